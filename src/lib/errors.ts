// Errors as values: a stable code, a message, a hint and the exit code; only the base command prints them.

/** Every error code (README.md, "Exit codes and errors", lists the same: a test compares them). */
export const ERROR_CODES = [
  'API_ERROR',
  'CANCELLED',
  'COMMAND_NOT_FOUND',
  'CONFIG_UNREADABLE',
  'CONFIG_UNWRITABLE',
  'HTTP_ERROR',
  'INTERNAL_ERROR',
  'INVALID_API_KEY',
  'INVALID_ARGUMENT',
  'INVALID_FLAG',
  'INVALID_REQUEST',
  'INVALID_RESPONSE',
  'KEY_REJECTED',
  'KEYRING_ENTRY_MISSING',
  'KEYRING_UNAVAILABLE',
  'MISSING_FLAG',
  'NETWORK_ERROR',
  'NO_API_KEY',
  'NO_PROFILES',
  'OUTPUT_UNWRITABLE',
  'PROFILE_EXISTS',
  'PROFILE_NOT_FOUND',
  'SANDBOX_ERROR',
  'TIMEOUT',
  'UNKNOWN_SCOPE',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * Exit codes of SPEC.md: 1 for the platform, the network or local files; 2 for a wrong command line; 130 when the
 * user cancelled at a prompt (Ctrl+C: 128 + SIGINT, as shells report it).
 */
export const EXIT = {OK: 0, FAILURE: 1, USAGE: 2, CANCELLED: 130} as const

export type ExitCode = 1 | 2 | 130

export interface CodikaErrorOptions {
  hint?: string
  exitCode?: ExitCode
  /** HTTP status, when the error comes from a response. */
  status?: number
  /** The platform's request id, when known. */
  requestId?: string
  /** The platform's own error code, when it gave one. */
  platformCode?: string
  /**
   * The parsed body of a response that broke the contract, for callers that must still use part of it (a key the
   * platform made exists once). Never printed: it may hold a secret.
   */
  body?: unknown
  /** The platform's sentence for the user on what to do next (`error.nextAction`), when it gave one. */
  nextAction?: string
  /** The platform's `error.details` object, when it gave one. */
  details?: Record<string, unknown>
  cause?: unknown
}

export class CodikaError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  readonly exitCode: ExitCode
  readonly status?: number
  readonly requestId?: string
  readonly platformCode?: string
  readonly body?: unknown
  readonly nextAction?: string
  readonly details?: Record<string, unknown>

  constructor(code: ErrorCode, message: string, options: CodikaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    // oclif's flag parser writes its own words around the message of an error thrown by a flag's parse()
    // ("Parsing --scopes …"); a CodikaError keeps its own (the base command prints it, with its hint).
    Object.defineProperty(this, 'message', {get: () => message, set: () => {}, configurable: true})
    this.name = 'CodikaError'
    this.code = code
    this.hint = options.hint
    this.exitCode = options.exitCode ?? 1
    this.status = options.status
    this.requestId = options.requestId
    this.platformCode = options.platformCode
    this.body = options.body
    this.nextAction = options.nextAction
    this.details = options.details
  }
}

/** A wrong command line: exit 2, nothing sent, nothing written. */
export function usageError(code: ErrorCode, message: string, hint?: string): CodikaError {
  return new CodikaError(code, message, {exitCode: 2, hint})
}

/** The user pressed Ctrl+C at a prompt: exit 130, and nothing was sent or saved (`nothing`: or removed) after that. */
export function cancelled(nothing = 'nothing was saved'): CodikaError {
  return new CodikaError('CANCELLED', `Cancelled; ${nothing}.`, {exitCode: EXIT.CANCELLED})
}
