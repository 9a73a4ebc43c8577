// What shell completion knows about codika's commands, built from their metadata (oclif's manifest, plugins
// included): for every command and alias, its flags with what each flag's value completes to, and its arguments.
// The bash, zsh and fish generators read this model only.
import {ORGANIZATION_SCOPE_NAMES} from '../scopes.js'

/** The part of a command's cached metadata (oclif.manifest.json) that completion reads. */
export interface CommandMeta {
  id: string
  aliases?: readonly string[]
  hidden?: boolean
  summary?: string
  description?: string
  flags?: Record<string, FlagMeta | undefined>
  args?: Record<string, ArgMeta | undefined>
}

export interface FlagMeta {
  name: string
  type: 'boolean' | 'option'
  char?: string
  aliases?: readonly string[]
  charAliases?: readonly string[]
  hidden?: boolean
  allowNo?: boolean
  multiple?: boolean
  delimiter?: string
  options?: readonly string[]
  summary?: string
  description?: string
  helpValue?: string | readonly string[]
}

export interface ArgMeta {
  name: string
  options?: readonly string[]
  hidden?: boolean
}

export interface TopicMeta {
  name: string
  description?: string
  hidden?: boolean
}

/** What the value of a flag, or an argument, completes to. */
export type Values =
  /** Nothing: free text (a name, a key, a URL); never file names. */
  | {kind: 'none'}
  | {kind: 'files'}
  /** The names of the saved profiles, asked for at each TAB (`codika use --list-names`). */
  | {kind: 'profiles'}
  /** Fixed words; with `list`, a comma-separated list of them (each offered once). */
  | {kind: 'words'; words: readonly string[]; list: boolean}

export interface FlagSpec {
  /** `--name`, then its aliases (`--api-url`), then `-c` forms. */
  names: string[]
  /** `--no-name` for a boolean flag that can be negated. */
  negation?: string
  /** Whether the flag takes a value (an option flag). */
  takesValue: boolean
  values: Values
  multiple: boolean
  summary: string
}

export interface CommandSpec {
  /** `organization:create-key`, or an alias (`use`). */
  id: string
  summary: string
  flags: FlagSpec[]
  /** What each positional argument completes to, in order. */
  args: Values[]
}

export interface CompletionModel {
  bin: string
  commands: CommandSpec[]
  /** Every id that has commands under it (`organization`, `profile`, `plugins`), with its summary when known. */
  topics: Array<{id: string; summary: string}>
}

/** Commands whose first argument is a profile name, by id; their aliases are found from the metadata. */
const PROFILE_ARGUMENT_COMMANDS = new Set(['logout', 'profile:use', 'profile:show', 'profile:remove'])

/** codika's own flags that take a path (oclif's metadata does not say which flags do). */
const PATH_FLAGS = new Set(['organization:create --logo', 'sandbox:start --data', 'sandbox:outbox --data'])

const NONE: Values = {kind: 'none'}
const FILES: Values = {kind: 'files'}
const PROFILES: Values = {kind: 'profiles'}

export function completionModel(
  bin: string,
  commands: readonly CommandMeta[],
  topics: readonly TopicMeta[] = [],
): CompletionModel {
  const specs: CommandSpec[] = []
  for (const command of commands) {
    if (command.hidden) continue
    const summary = firstLine(command.summary ?? command.description).replaceAll(/<%=\s*config\.bin\s*%>/g, bin)
    const flags = Object.values(command.flags ?? {})
      .filter((flag): flag is FlagMeta => flag !== undefined && !flag.hidden)
      .map((flag) => flagSpec(command.id, flag))
    const profileArgument = PROFILE_ARGUMENT_COMMANDS.has(command.id)
    const args = Object.values(command.args ?? {})
      .filter((arg): arg is ArgMeta => arg !== undefined && !arg.hidden)
      .map((arg, position) => (position === 0 && profileArgument ? PROFILES : argValues(arg)))
    for (const id of [command.id, ...(command.aliases ?? [])])
      if (!specs.some((s) => s.id === id)) specs.push({id, summary, flags, args})
  }
  specs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const described = new Map(topics.filter((t) => !t.hidden).map((t) => [t.name, firstLine(t.description)]))
  const topicIds = new Set<string>()
  for (const {id} of specs) {
    const parts = id.split(':')
    for (let n = 1; n < parts.length; n++) topicIds.add(parts.slice(0, n).join(':'))
  }
  return {
    bin,
    commands: specs,
    topics: [...topicIds]
      .sort()
      .map((id) => ({id, summary: described.get(id) ?? `${id.replaceAll(':', ' ')} commands`})),
  }
}

function flagSpec(commandId: string, flag: FlagMeta): FlagSpec {
  const names = [flag.name, ...(flag.aliases ?? [])].map((n) => `--${n}`)
  for (const c of [flag.char, ...(flag.charAliases ?? [])]) if (c) names.push(`-${c}`)
  const summary = firstLine(flag.summary ?? flag.description)
  if (flag.type === 'boolean')
    return {
      names,
      ...(flag.allowNo ? {negation: `--no-${flag.name}`} : {}),
      takesValue: false,
      values: NONE,
      multiple: false,
      summary,
    }
  return {names, takesValue: true, values: optionValues(commandId, flag), multiple: Boolean(flag.multiple), summary}
}

function optionValues(commandId: string, flag: FlagMeta): Values {
  const list = flag.delimiter === ','
  if (flag.options && flag.options.length > 0) return {kind: 'words', words: flag.options, list}
  // --scopes is free text for the parser (so that an unknown scope gets codika's own error), but its words are known.
  if (flag.name === 'scopes') return {kind: 'words', words: ORGANIZATION_SCOPE_NAMES, list: true}
  if (flag.name === 'profile') return PROFILES
  if (PATH_FLAGS.has(`${commandId} --${flag.name}`) || saysPath(flag.helpValue)) return FILES
  return NONE
}

function argValues(arg: ArgMeta): Values {
  if (arg.options && arg.options.length > 0) return {kind: 'words', words: arg.options, list: false}
  // plugin-plugins' `plugins link PATH`, and any plugin's argument named so.
  if (/^(path|file|dir|directory)$/i.test(arg.name)) return FILES
  return NONE
}

/** A plugin's flag declares a path through its help value (`--config FILE`, `--out <path>`). */
function saysPath(helpValue: FlagMeta['helpValue']): boolean {
  const text = Array.isArray(helpValue) ? helpValue.join(' ') : (helpValue ?? '')
  return /\b(file|path|dir|directory)\b/i.test(text as string)
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0].trim()
}

/** Whether the command declares --help itself (plugin-plugins' commands do); else oclif's own is offered. */
export function hasHelp(command: CommandSpec): boolean {
  return command.flags.some((f) => f.names.includes('--help'))
}
