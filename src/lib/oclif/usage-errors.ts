// oclif's errors as CodikaErrors, by what they are, never by their English text: CLIError and ExitError are classes
// @oclif/core exports; its parser errors (not exported) are told apart by the fields their types declare (`parse`,
// `args`, `flags`), and a failed flag validation is worked out again from the definitions and values it carries.
import {CodikaError, type ErrorCode, usageError} from '../errors.js'
import {plain} from '../output.js'
import {redact} from '../redact.js'
import {PERSONAL_SCOPE_NAMES} from '../scopes.js'
import {Errors} from './core.js'

/** Our words for a relation between flags that oclif checks (dependsOn, exclusive), by the flag that has it. */
export type FlagRuleWords = Record<string, {code: ErrorCode; message: string; hint?: string}>

/** What a command says about itself for these errors (its static fields, also in the manifest). */
export interface CommandFacts {
  id?: string
  /** Set on a command whose extra words may be a secret: they are never shown, and this hint says what to do. */
  secretArgumentsHint?: string
  flagRuleWords?: FlagRuleWords
  /** Its flags, by name (a command with `--scopes` hears about comma-separated lists). */
  flags?: Record<string, unknown>
}

type FlagDefinition = {required?: boolean; dependsOn?: string[]; exclusive?: string[]; char?: string}
type ArgDefinition = {name?: string; description?: string}
interface ParseFacts {
  input?: {flags?: Record<string, FlagDefinition>}
  output?: {flags?: Record<string, unknown>; metadata?: {flags?: Record<string, {setFromDefault?: boolean}>}}
}
/** The public fields of oclif's parser errors (@oclif/core/lib/parser/errors.d.ts). */
type ParserError = InstanceType<typeof Errors.CLIError> & {parse?: ParseFacts; args?: unknown; flags?: unknown}

const SEE_HELP = 'See --help.'

/** Turns anything thrown (our errors, oclif's parse errors, bugs) into a CodikaError with a code and exit code. */
export function toCodikaError(err: unknown, command: CommandFacts = {}): CodikaError {
  if (err instanceof CodikaError) return err
  if (err instanceof Errors.CLIError && err.oclif.exit === 2) return usageErrorOf(err, command)
  const message = plain((err as Error | undefined)?.message ?? String(err)).trim()
  return new CodikaError('INTERNAL_ERROR', message || 'Unexpected error.', {
    hint: 'Run again with DEBUG=codika* for details.',
    cause: err,
  })
}

function usageErrorOf(err: ParserError, command: CommandFacts): CodikaError {
  const {args, flags, parse} = err
  // UnexpectedArgsError: the words left over.
  if (isStringList(args)) return unexpectedArguments(args, command, parse?.output?.flags?.scopes)
  // RequiredArgsError: the definitions of the missing ones.
  if (Array.isArray(args)) return missingArguments(args as ArgDefinition[])
  // NonExistentFlagsError.
  if (isStringList(flags))
    return usageError(
      'INVALID_FLAG',
      `Nonexistent flag${flags.length === 1 ? '' : 's'}: ${flags.join(', ')}.`,
      SEE_HELP,
    )
  // FailedFlagValidationError: required flags, dependsOn, exclusive.
  if (parse?.input?.flags && parse.output?.flags) {
    const found = failedFlagRule(parse, command.flagRuleWords ?? {})
    if (found) return found
  }
  // Anything else oclif's parser refuses (a flag without its value, a value it cannot parse): its own words.
  return usageError(
    'INVALID_FLAG',
    plain(err.message)
      .trim()
      .replace(/\s*\n\s*/g, '; '),
  )
}

/** Extra words after a command: `Unexpected argument`, exit 2 (also for `whoami extra`, see lib/oclif/not-found.ts). */
export function unexpectedArguments(words: readonly string[], command: CommandFacts, given?: unknown): CodikaError {
  const s = words.length === 1 ? '' : 's'
  if (command.secretArgumentsHint)
    return usageError(
      'INVALID_ARGUMENT',
      `Unexpected argument${s}: ${command.id ? `"${command.id.replaceAll(':', ' ')}"` : 'this command'} takes none (what was typed is not shown: it may be a key).`,
      command.secretArgumentsHint,
    )
  // `--scopes a b`: the words after the first scope are left over.
  const scopes = words.filter(isKnownScope)
  const hint =
    scopes.length > 0 && command.flags && Object.hasOwn(command.flags, 'scopes')
      ? `Scopes are comma-separated, without spaces: --scopes ${[...(isStringList(given) ? given : []), ...scopes].join(',')}`
      : SEE_HELP
  return usageError('INVALID_ARGUMENT', `Unexpected argument${s}: ${redact(words.join(' '))}.`, hint)
}

function isKnownScope(word: string): boolean {
  return PERSONAL_SCOPE_NAMES.includes(word)
}

function missingArguments(args: ArgDefinition[]): CodikaError {
  const named = args.map((a) => (a.name ?? 'ARG').toUpperCase())
  const description = args.length === 1 && args[0].description ? ` (${args[0].description.replace(/\.$/, '')})` : ''
  return usageError(
    'INVALID_ARGUMENT',
    `Missing required argument${named.length === 1 ? '' : 's'} ${named.join(', ')}${description}.`,
    SEE_HELP,
  )
}

/** Which of the command's flag rules the given flags break, worked out from the definitions the error carries. */
function failedFlagRule(parse: ParseFacts, words: FlagRuleWords): CodikaError | undefined {
  const definitions = parse.input!.flags!
  const values = parse.output!.flags!
  const given = (name: string) => values[name] !== undefined && !parse.output!.metadata?.flags?.[name]?.setFromDefault
  const missing = Object.entries(definitions)
    .filter(([name, flag]) => flag.required && values[name] === undefined)
    .map(([name]) => `--${name}`)
  if (missing.length > 0)
    return usageError(
      'MISSING_FLAG',
      `Missing required flag${missing.length === 1 ? '' : 's'} ${missing.join(', ')}.`,
      SEE_HELP,
    )
  for (const [name, flag] of Object.entries(definitions)) {
    if (!given(name)) continue
    const needs = (flag.dependsOn ?? []).filter((other) => !given(other))
    const clashes = (flag.exclusive ?? []).filter((other) => given(other))
    if (needs.length === 0 && clashes.length === 0) continue
    const own = words[name]
    if (own) return usageError(own.code, own.message, own.hint)
    if (needs.length > 0)
      return usageError('MISSING_FLAG', `--${name} needs ${needs.map((n) => `--${n}`).join(' and ')}.`, SEE_HELP)
    return usageError(
      'INVALID_FLAG',
      `--${name} cannot be used with ${clashes.map((n) => `--${n}`).join(' or ')}.`,
      SEE_HELP,
    )
  }
  return undefined
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

/** What a failed command prints with --json. */
export interface ErrorJson {
  success: false
  error: {
    code: ErrorCode
    message: string
    hint?: string
    status?: number
    /** The platform's own error code, next action and details, as it gave them. */
    platformCode?: string
    nextAction?: string
    details?: Record<string, unknown>
  }
  requestId: string | null
}

/** The --json document of an error; keys scrubbed. */
export function errorJson(e: CodikaError): ErrorJson {
  return {
    success: false,
    error: {
      code: e.code,
      message: redact(e.message),
      ...(e.hint ? {hint: redact(e.hint)} : {}),
      ...(e.status === undefined ? {} : {status: e.status}),
      ...(e.platformCode === undefined ? {} : {platformCode: e.platformCode}),
      ...(e.nextAction === undefined ? {} : {nextAction: redact(e.nextAction)}),
      ...(e.details === undefined
        ? {}
        : {details: JSON.parse(redact(JSON.stringify(e.details))) as Record<string, unknown>}),
    },
    requestId: e.requestId ?? null,
  }
}
