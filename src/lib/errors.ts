// Errors as values: a stable code, a message, a hint and the exit code; only the base command prints them.

/** Every error code (README.md, "Exit codes and errors", lists the same: a test compares them). */
export const ERROR_CODES = [
  'API_ERROR',
  'COMMAND_NOT_FOUND',
  'CONFIG_UNREADABLE',
  'CONFIG_UNWRITABLE',
  'HTTP_ERROR',
  'INTERNAL_ERROR',
  'INVALID_ARGUMENT',
  'INVALID_FLAG',
  'INVALID_REQUEST',
  'INVALID_RESPONSE',
  'KEY_REJECTED',
  'MISSING_FLAG',
  'NETWORK_ERROR',
  'NO_API_KEY',
  'PROFILE_EXISTS',
  'PROFILE_NOT_FOUND',
  'SANDBOX_ERROR',
  'TIMEOUT',
  'UNKNOWN_SCOPE',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** Exit codes of SPEC.md: 1 for the platform, the network or local files; 2 for a wrong command line. */
export const EXIT = {OK: 0, FAILURE: 1, USAGE: 2} as const

export interface CodikaErrorOptions {
  hint?: string
  exitCode?: 1 | 2
  /** HTTP status, when the error comes from a response. */
  status?: number
  /** The platform's request id, when known. */
  requestId?: string
  /** The platform's own error code, when it gave one. */
  platformCode?: string
  cause?: unknown
}

export class CodikaError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  readonly exitCode: 1 | 2
  readonly status?: number
  readonly requestId?: string
  readonly platformCode?: string

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
  }
}

/** A wrong command line: exit 2, nothing sent, nothing written. */
export function usageError(code: ErrorCode, message: string, hint?: string): CodikaError {
  return new CodikaError(code, message, {exitCode: 2, hint})
}
