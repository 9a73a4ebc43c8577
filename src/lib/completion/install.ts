// `codika completion --install` / `--uninstall`: where each shell finds its completion (3.6.0's places, COMPAT.md),
// and the changes there — an rc-file block, a completion file — each said in the result, nothing else touched.
import {chmod, lstat, mkdir, readFile, realpath, rename, rm, stat, writeFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {basename, dirname, isAbsolute, join} from 'node:path'

import {CodikaError, usageError} from '../errors.js'
import {describeFileError} from '../file-errors.js'
import {configHome} from '../xdg.cjs'
import {type BlockChange, dropBlock, putBlock} from './rc-block.js'

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const
export type CompletionShell = (typeof COMPLETION_SHELLS)[number]
export const INSTALL_SHELLS = ['bash', 'zsh', 'fish'] as const
export type InstallShell = (typeof INSTALL_SHELLS)[number]

/** The bash block: load the script at each start, and say nothing when codika has been uninstalled since. */
export const BASH_BLOCK = ['if command -v codika >/dev/null 2>&1; then eval "$(codika completion bash)"; fi']
/**
 * The zsh block: ~/.zsh/completions on $fpath; then, where compinit has already run (oh-my-zsh and the like), _codika
 * registered at once, else compinit (-i: insecure folders are skipped, never asked about at start-up).
 */
export const ZSH_BLOCK = [
  'fpath=(~/.zsh/completions $fpath)',
  'if (( $+functions[compdef] )); then autoload -Uz _codika && compdef _codika codika; else autoload -Uz compinit && compinit -i; fi',
]
/** What 3.6.0 added to ~/.zshrc, recognised as its block (replaced by codika's, removed by --uninstall). */
export const ZSH_LEGACY_LINES = ['fpath=(~/.zsh/completions $fpath)', 'autoload -Uz compinit && compinit -C']

/** Marks the completion files codika writes, so that the postrun hook rewrites only those. */
export const GENERATED_MARK = 'written by `codika completion'

export type FileChange =
  | BlockChange
  /** A completion file written anew, or deleted. */
  | 'written'
  | 'deleted'

export interface ChangedFile {
  path: string
  /** `block`: codika's lines in an rc file; `file`: a completion file of codika's own. */
  kind: 'block' | 'file'
  change: FileChange
  /** Where the block is, for a block (lines from 1). */
  lines?: [number, number]
}

export interface InstallResult {
  shell: InstallShell
  action: 'install' | 'uninstall'
  /** Whether any file changed. */
  changed: boolean
  files: ChangedFile[]
}

export interface CompletionPlaces {
  bashrc: string
  zshrc: string
  zshFunction: string
  fishFunction: string
}

/** 3.6.0's places: ~/.bashrc; ~/.zshrc ($ZDOTDIR/.zshrc when zsh reads that one); fish's own completion folder. */
export function completionPlaces(env: NodeJS.ProcessEnv = process.env): CompletionPlaces {
  const home = homedir()
  const zdotdir = env.ZDOTDIR && isAbsolute(env.ZDOTDIR) ? env.ZDOTDIR : home
  return {
    bashrc: join(home, '.bashrc'),
    zshrc: join(zdotdir, '.zshrc'),
    zshFunction: join(home, '.zsh', 'completions', '_codika'),
    fishFunction: join(configHome(env), 'fish', 'completions', 'codika.fish'),
  }
}

/** The shell to install for: the one named, else the one $SHELL runs. */
export function installShell(named: string | undefined, env: NodeJS.ProcessEnv = process.env): InstallShell {
  const shell = named ?? (env.SHELL ? basename(env.SHELL) : undefined)
  if ((INSTALL_SHELLS as readonly string[]).includes(shell ?? '')) return shell as InstallShell
  if (shell === 'powershell' || shell === 'pwsh')
    throw usageError(
      'INVALID_FLAG',
      'codika completion --install knows bash, zsh and fish.',
      'For PowerShell, add this line to $PROFILE: codika completion powershell | Out-String | Invoke-Expression',
    )
  if (named !== undefined) throw usageError('INVALID_FLAG', `--shell must be bash, zsh or fish (got "${named}").`)
  throw usageError(
    'MISSING_FLAG',
    env.SHELL
      ? `Cannot tell which shell to set up from SHELL=${env.SHELL}.`
      : 'Cannot tell which shell to set up: SHELL is not set.',
    'Name it: codika completion --install --shell bash|zsh|fish',
  )
}

/** A shell's setup: a completion file (zsh, fish) and a block in an rc file (bash, zsh), changed in that order. */
interface ShellSetup {
  file?: string
  rc?: {path: string; block: readonly string[]; legacy?: readonly string[]}
}

function setupOf(shell: InstallShell, places: CompletionPlaces): ShellSetup {
  switch (shell) {
    case 'bash':
      return {rc: {path: places.bashrc, block: BASH_BLOCK}}
    case 'zsh':
      return {file: places.zshFunction, rc: {path: places.zshrc, block: ZSH_BLOCK, legacy: ZSH_LEGACY_LINES}}
    case 'fish':
      return {file: places.fishFunction}
  }
}

export async function installCompletion(
  shell: InstallShell,
  script: (shell: InstallShell) => Promise<string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InstallResult> {
  const {file, rc} = setupOf(shell, completionPlaces(env))
  const files: ChangedFile[] = []
  if (file) files.push(await writeCompletionFile(file, await script(shell)))
  if (rc) files.push(await editBlock(rc.path, (text) => putBlock(text, rc.block, rc.path, rc.legacy)))
  return {shell, action: 'install', changed: files.some((f) => f.change !== 'unchanged'), files}
}

export async function uninstallCompletion(
  shell: InstallShell,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InstallResult> {
  const {file, rc} = setupOf(shell, completionPlaces(env))
  const files: ChangedFile[] = []
  if (file) files.push(await deleteCompletionFile(file))
  if (rc) files.push(await editBlock(rc.path, (text) => dropBlock(text, rc.path, rc.legacy)))
  return {shell, action: 'uninstall', changed: files.some((f) => f.change !== 'absent'), files}
}

/**
 * Rewrites the zsh and fish completion files that `completion --install` wrote (and only those: a file without
 * codika's mark is left alone), after the set of commands changed. Best effort: a file that cannot be rewritten keeps
 * completing the commands it knew.
 */
export async function refreshInstalledFiles(
  script: (shell: 'zsh' | 'fish') => Promise<string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const places = completionPlaces(env)
  for (const [shell, path] of [
    ['zsh', places.zshFunction],
    ['fish', places.fishFunction],
  ] as const) {
    const text = await readText(path).catch(() => undefined)
    if (!text?.includes(GENERATED_MARK)) continue
    await writeCompletionFile(path, await script(shell)).catch(() => undefined)
  }
}

async function editBlock(path: string, edit: (text: string) => ReturnType<typeof putBlock>): Promise<ChangedFile> {
  const before = (await readText(path)) ?? ''
  const result = edit(before)
  if (result.text !== before) await writeText(path, result.text)
  return {path, kind: 'block', change: result.change, ...(result.lines ? {lines: result.lines} : {})}
}

async function writeCompletionFile(path: string, text: string): Promise<ChangedFile> {
  const before = await readText(path)
  if (before === text) return {path, kind: 'file', change: 'unchanged'}
  await writeText(path, text)
  return {path, kind: 'file', change: 'written'}
}

async function deleteCompletionFile(path: string): Promise<ChangedFile> {
  try {
    await lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {path, kind: 'file', change: 'absent'}
    throw unwritable(path, error)
  }
  await rm(path).catch((error: unknown) => {
    throw unwritable(path, error)
  })
  return {path, kind: 'file', change: 'deleted'}
}

/** The file's text; undefined when there is no file. */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CodikaError('CONFIG_UNREADABLE', `Cannot read ${path}: ${describeFileError(error)}.`, {
      hint: 'Check that the file belongs to you and is readable. Nothing was changed.',
    })
  }
}

/**
 * Replaces the file's content at once (a temporary file in the same folder, renamed over it), keeping its mode, and
 * through a symbolic link (dotfiles kept in a repository stay links).
 */
async function writeText(path: string, text: string): Promise<void> {
  try {
    const target = await realpath(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return path
      throw error
    })
    await mkdir(dirname(target), {recursive: true})
    const mode = await stat(target).then(
      (s) => s.mode & 0o7777,
      () => undefined,
    )
    const temporary = join(dirname(target), `.${basename(target)}.codika-${process.pid}.tmp`)
    try {
      await writeFile(temporary, text, {mode: mode ?? 0o644, flag: 'wx'})
      // The mode given to writeFile passes through the umask: the file keeps exactly the mode it had.
      if (mode !== undefined) await chmod(temporary, mode)
      await rename(temporary, target)
    } catch (error) {
      await rm(temporary, {force: true})
      throw error
    }
  } catch (error) {
    throw unwritable(path, error)
  }
}

function unwritable(path: string, error: unknown): CodikaError {
  return new CodikaError('CONFIG_UNWRITABLE', `Cannot write ${path}: ${describeFileError(error)}.`, {
    hint: 'Check that the file and its folder belong to you and are writable.',
  })
}
