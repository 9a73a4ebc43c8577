// Shell completion's touch points with oclif and @oclif/plugin-autocomplete: the scripts `codika completion <shell>`
// prints (the plugin's own function, as the plugin generates it, with codika's generated part beside it), and the
// postrun hook's upkeep of the plugin's cache and of the files `completion --install` wrote. CONTRIBUTING.md
// ("Shell completion") lists each touch point and why it is there.
import {existsSync} from 'node:fs'
import {createHash} from 'node:crypto'
import {mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'

import type {Interfaces} from '@oclif/core'

import {bashCompletion} from '../completion/bash.js'
import {fishCompletion} from '../completion/fish.js'
import {type CompletionShell, refreshInstalledFiles} from '../completion/install.js'
import {type CommandMeta, type CompletionModel, completionModel} from '../completion/model.js'
import {zshCompletion} from '../completion/zsh.js'
import {Config} from './core.js'
import {warnIfLinkedPluginIsEmpty} from './linked-plugins.js'

/** The completion script for `shell`, for the commands (plugins included) that `config` knows. */
export async function completionScript(config: Interfaces.Config, shell: CompletionShell): Promise<string> {
  // Each plugin's own commands (config.commands also holds a copy of each under each alias).
  const commands = config.getPluginsList().flatMap((plugin) => plugin.commands) as CommandMeta[]
  const model = completionModel(config.bin, commands, config.topics)
  switch (shell) {
    case 'bash': {
      return `${await pluginScript(config, model, join('bash', `${config.bin}.bash`))}\n${bashCompletion(model)}`
    }
    case 'zsh': {
      return zshCompletion(model, await pluginScript(config, model, join('zsh', `_${config.bin}`)))
    }
    case 'powershell': {
      return pluginScript(config, model, join('powershell', `${config.bin}.ps1`))
    }
    case 'fish': {
      return fishCompletion(model)
    }
  }
}

/**
 * One of the completion functions plugin-autocomplete generates, as it generates it. Generating takes a quarter of a
 * second (bash runs `codika completion bash` at each start), so it is kept in codika's cache, under a key made of all
 * it depends on: the commands and their flags (the model), the plugin's version, and its topic separator setting.
 */
async function pluginScript(config: Interfaces.Config, model: CompletionModel, file: string): Promise<string> {
  const key = createHash('sha256')
    .update(
      JSON.stringify([config.version, pluginVersion(config), process.env.OCLIF_AUTOCOMPLETE_TOPIC_SEPARATOR, model]),
    )
    .digest('hex')
    .slice(0, 16)
  const dir = join(config.cacheDir, 'completion')
  const name = basename(file)
  try {
    return await readFile(join(dir, `${name}.${key}`), 'utf8')
  } catch {
    // Not generated yet for these commands.
  }
  const text = await generatePluginScript(config, file)
  // A cache that cannot be written costs speed only.
  await keep(dir, name, key, text).catch(() => undefined)
  return text
}

function pluginVersion(config: Interfaces.Config): string | undefined {
  return config.getPluginsList().find((p) => p.name === '@oclif/plugin-autocomplete')?.version
}

/** Writes the cache file at once (a reader never sees half of it), and removes the ones of other keys. */
async function keep(dir: string, name: string, key: string, text: string): Promise<void> {
  await mkdir(dir, {recursive: true})
  const temporary = join(dir, `.${name}.${process.pid}.tmp`)
  await writeFile(temporary, text)
  await rename(temporary, join(dir, `${name}.${key}`))
  for (const entry of await readdir(dir))
    if (entry.startsWith(`${name}.`) && entry !== `${name}.${key}`) await rm(join(dir, entry), {force: true})
}

/**
 * `autocomplete:create` run into a private cache folder (oclif's documented CODIKA_CACHE_DIR), its file read, the
 * folder thrown away: the plugin's own cache is left to the plugin, and two shells starting at once never read a
 * file the other is writing.
 */
async function generatePluginScript(config: Interfaces.Config, file: string): Promise<string> {
  const cacheDir = await mkdtemp(join(tmpdir(), `${config.bin}-completion-`))
  const variable = `${config.bin.toUpperCase().replaceAll('-', '_')}_CACHE_DIR`
  const saved = process.env[variable]
  process.env[variable] = cacheDir
  try {
    // A config reloaded from this one (the same plugins) with the private cache folder; the command reloads it
    // once more, so the variable stays set until it is done.
    const scratch = await Config.load(config)
    await scratch.runCommand('autocomplete:create')
    return await readFile(join(cacheDir, 'autocomplete', 'functions', file), 'utf8')
  } finally {
    if (saved === undefined) delete process.env[variable]
    else process.env[variable] = saved
    await rm(cacheDir, {recursive: true, force: true})
  }
}

/** Commands after which the set of commands may have changed: the installed zsh and fish files are rewritten. */
const CHANGES_COMMANDS = new Set([
  'autocomplete',
  'plugins:install',
  'plugins:uninstall',
  'plugins:link',
  'plugins:reset',
  'plugins:update',
])
/** Of those, the ones after which plugin-autocomplete does not rebuild its own cache (it listens to install only). */
const MISSED_BY_THE_PLUGIN = new Set(['plugins:link', 'plugins:reset', 'plugins:update'])

/**
 * Called by the postrun hook. `autocomplete:script` prints the line for a shell's rc file, which sources the
 * plugin's cache: build the cache when it does not exist yet, so that the plugin's one line is all a user needs.
 * After the plugin commands, the plugin's cache is rebuilt where the plugin does not do it, and the zsh and fish
 * files that `codika completion --install` wrote are written again, so that new commands complete.
 */
export async function afterCommand(id: string, config: Interfaces.Config, argv: readonly string[] = []): Promise<void> {
  if (id === 'autocomplete:script') {
    if (!existsSync(join(config.cacheDir, 'autocomplete', 'bash_setup'))) await config.runCommand('autocomplete:create')
    return
  }
  if (!CHANGES_COMMANDS.has(id)) return
  // This process's config still lists the plugins as they were when it started.
  const fresh = await Config.load('options' in config ? (config as Config).options : config.root)
  if (id === 'plugins:link') warnIfLinkedPluginIsEmpty(argv, fresh)
  if (MISSED_BY_THE_PLUGIN.has(id)) await fresh.runCommand('autocomplete:create')
  await refreshInstalledFiles((shell) => completionScript(fresh, shell))
}
