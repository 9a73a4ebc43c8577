// Shell completion on top of @oclif/plugin-autocomplete: keeps its cache in step with the plugins (also after
// `plugins link`, which fires no hook) and teaches its bash and zsh scripts the values of flags.
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {Config, type Command, type Interfaces} from '@oclif/core'

import {ORGANIZATION_SCOPE_NAMES} from '../scopes.js'

/** What a completing shell offers after a flag: fixed words, or a comma-separated list of them. */
export interface FlagValues {
  values: readonly string[]
  list: boolean
}

/** Marks our addition in a generated file, so that it is never added twice. */
const MARK = '# codika: values of flags'

/**
 * Called by the postrun hook. `autocomplete` and `autocomplete:create` have just written the cache: add the flag
 * values. `autocomplete:script` prints the line for a shell's rc file, which sources the cache: build the cache
 * when it does not exist yet, so that the README's one line is all a user needs. The plugin commands change the
 * set of commands without plugin-autocomplete's own refresh (it listens to install and uninstall only).
 */
export async function afterCommand(id: string, config: Interfaces.Config): Promise<void> {
  if (id === 'autocomplete' || id === 'autocomplete:create') return addFlagValues(config)
  if (id === 'autocomplete:script') {
    if (!existsSync(join(autocompleteDir(config), 'bash_setup'))) await config.runCommand('autocomplete:create')
    return
  }
  // This process's config still lists the plugins as they were when it started.
  const fresh = await Config.load('options' in config ? (config as Config).options : config.root)
  await fresh.runCommand('autocomplete:create')
}

function autocompleteDir(config: Interfaces.Config): string {
  return join(config.cacheDir, 'autocomplete')
}

/** The values each flag of each command completes to, keyed by `<command id> --<flag>` (and `-<char>`). */
export function flagValues(commands: readonly Command.Loadable[]): Map<string, FlagValues> {
  const map = new Map<string, FlagValues>()
  for (const command of commands) {
    if (command.hidden) continue
    for (const [name, flag] of Object.entries(command.flags ?? {})) {
      if (flag.hidden || flag.type !== 'option') continue
      const values = valuesOf(name, flag)
      if (!values) continue
      for (const id of [command.id, ...(command.aliases ?? [])]) {
        map.set(`${id} --${name}`, values)
        if (flag.char) map.set(`${id} -${flag.char}`, values)
      }
    }
  }
  return map
}

function valuesOf(name: string, flag: Command.Flag.Cached & {type: 'option'}): FlagValues | undefined {
  const list = flag.delimiter === ','
  if (flag.options && flag.options.length > 0) return {values: flag.options, list}
  // --scopes is free text for the parser (so that an unknown scope gets codika's own error), but its words are known.
  if (name === 'scopes') return {values: ORGANIZATION_SCOPE_NAMES, list: true}
  return undefined
}

/** Adds the flag values to the generated bash and zsh functions (PowerShell's script has no place for them). */
export async function addFlagValues(config: Interfaces.Config): Promise<void> {
  const commands = config.getPluginsList().flatMap((p) => p.commands)
  const values = flagValues(commands)
  const functions = join(autocompleteDir(config), 'functions')
  await amend(join(functions, 'bash', `${config.bin}.bash`), (text) => text + bashValues(config.bin, values))
  await amend(join(functions, 'zsh', `_${config.bin}`), (text) => zshValues(text))
}

async function amend(path: string, change: (text: string) => string): Promise<void> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return // that shell's file was not generated: nothing to amend
  }
  if (!text.includes(MARK)) await writeFile(path, change(text))
}

/** Single-quotes a word for bash. */
function sh(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/**
 * A completion function that answers for the value of a flag with known values and hands everything else to
 * plugin-autocomplete's function (showing it only the command when a flag is being completed, since it finds no
 * flags after another flag). It reads the line itself: scope names contain ':', which bash splits words on.
 */
export function bashValues(bin: string, values: Map<string, FlagValues>): string {
  const fn = `_${bin}`
  const cases = [...values.entries()]
    .map(([key, v]) => `    ${sh(key)}) ${v.list ? 'list=1; ' : ''}words=(${v.values.map(sh).join(' ')}) ;;`)
    .join('\n')
  return `
${MARK} (added by ${bin} to the function above; \`${bin} autocomplete --refresh-cache\` rebuilds both)
${fn}_values()
{
  local line="\${COMP_LINE:0:COMP_POINT}" cur="\${COMP_WORDS[COMP_CWORD]}"
  local -a parts
  read -r -a parts <<< "$line"
  [[ "$line" == *[[:space:]] ]] && parts+=("")
  local n=\${#parts[@]} token="\${parts[n-1]}" flag="" value="" inline=""
  if [[ "$token" == -*=* ]]; then
    flag="\${token%%=*}"; value="\${token#*=}"; inline="$flag="
  elif (( n > 2 )) && [[ "\${parts[n-2]}" == -* && "\${parts[n-2]}" != *=* ]]; then
    flag="\${parts[n-2]}"; value="$token"
  fi
  local w
  if [[ -n "$flag" ]]; then
    local id="" list=0
    local -a words=()
    for w in "\${parts[@]:1:n-2}"; do
      [[ "$w" == -* ]] && break
      id="\${id:+$id:}$w"
    done
    case "$id $flag" in
${cases}
    esac
    if (( \${#words[@]} > 0 )); then
      local head="" item="$value" reply
      if (( list )) && [[ "$value" == *,* ]]; then head="\${value%,*},"; item="\${value##*,}"; fi
      # bash replaces only the part of the token after its last ':' or '=' (the current word): drop the rest
      local skip="\${token%"$cur"}"
      local -a left=()
      for w in "\${words[@]}"; do [[ ",$head" == *",$w,"* ]] || left+=("$w"); done
      COMPREPLY=()
      for reply in $(compgen -W "\${left[*]}" -- "$item"); do
        reply="$inline$head$reply"
        COMPREPLY+=("\${reply#"$skip"}")
      done
      (( list )) && compopt -o nospace 2>/dev/null
      return 0
    fi
  fi
  if [[ "$token" == -* ]]; then
    # The function above finds a command's flags only right after the command: hide the flags typed before.
    local -a command=("\${parts[0]}")
    for w in "\${parts[@]:1:n-2}"; do
      [[ "$w" == -* ]] && break
      command+=("$w")
    done
    COMP_WORDS=("\${command[@]}" "$token")
    COMP_CWORD=\${#command[@]}
  fi
  ${fn}_autocomplete "$@"
}
complete -F ${fn}_values ${bin}
`
}

/** In the zsh function, `--scopes` completes scope names, comma-separated, instead of file names. */
export function zshValues(text: string): string {
  // _arguments splits an action on ':', so the colons of scope names are escaped.
  const words = ORGANIZATION_SCOPE_NAMES.map((s) => s.replaceAll(':', '\\:')).join(' ')
  const amended = text.replaceAll(
    /^(.*--scopes\b.*\]):file:_files"/gm,
    (_, spec: string) => `${spec}:scope:_sequence compadd - ${words}"`,
  )
  return `${amended}\n${MARK}\n`
}
