// Errors as values: a stable code, a message, a hint and the exit code; only the base command prints them.

export type ErrorCode =
  | 'API_ERROR'
  | 'COMMAND_NOT_FOUND'
  | 'CONFIG_UNREADABLE'
  | 'CONFIG_UNWRITABLE'
  | 'HTTP_ERROR'
  | 'INTERNAL_ERROR'
  | 'INVALID_ARGUMENT'
  | 'INVALID_FLAG'
  | 'INVALID_REQUEST'
  | 'INVALID_RESPONSE'
  | 'KEY_REJECTED'
  | 'MISSING_FLAG'
  | 'NETWORK_ERROR'
  | 'NO_API_KEY'
  | 'PROFILE_EXISTS'
  | 'PROFILE_NOT_FOUND'
  | 'SANDBOX_ERROR'
  | 'TIMEOUT'
  | 'UNKNOWN_SCOPE'

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
  /** The platform's sentence for the user on what to do next (`error.nextAction`), when it gave one. */
  nextAction?: string
  /** The platform's `error.details` object, when it gave one. */
  details?: Record<string, unknown>
  cause?: unknown
}

export class CodikaError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  readonly exitCode: 1 | 2
  readonly status?: number
  readonly requestId?: string
  readonly platformCode?: string
  readonly nextAction?: string
  readonly details?: Record<string, unknown>

  constructor(code: ErrorCode, message: string, options: CodikaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'CodikaError'
    this.code = code
    this.hint = options.hint
    this.exitCode = options.exitCode ?? 1
    this.status = options.status
    this.requestId = options.requestId
    this.platformCode = options.platformCode
    this.nextAction = options.nextAction
    this.details = options.details
  }
}

/** A wrong command line: exit 2, nothing sent, nothing written. */
export function usageError(code: ErrorCode, message: string, hint?: string): CodikaError {
  return new CodikaError(code, message, {exitCode: 2, hint})
}
