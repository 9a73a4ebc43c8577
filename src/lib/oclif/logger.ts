// oclif's debug logger, replaced when DEBUG is set: the same namespaces, but every key scrubbed, because
// oclif's own debug lines print the raw command line (--api-key values included).
import {format} from 'node:util'

import {enabled} from '../debug.js'
import {redact, registerSecret} from '../redact.js'

interface Logger {
  debug(formatter: unknown, ...args: unknown[]): void
  error(formatter: unknown, ...args: unknown[]): void
  info(formatter: unknown, ...args: unknown[]): void
  trace(formatter: unknown, ...args: unknown[]): void
  warn(formatter: unknown, ...args: unknown[]): void
  child(namespace: string, delimiter?: string): Logger
  namespace: string
}

/** Registers the secrets of the command line and the environment, before oclif logs any of them. */
export function registerArgvSecrets(argv: readonly string[] = process.argv, env = process.env): void {
  for (const [i, arg] of argv.entries()) {
    if (arg === '--api-key' || arg === '--n8n-api-key') registerSecret(argv[i + 1])
    const inline = /^--(?:n8n-)?api-key=(.*)$/.exec(arg)
    if (inline) registerSecret(inline[1])
    // An emailed code (codika auth …-complete) is a secret until it is used: nothing of it is shown.
    const code = arg === '--code' ? argv[i + 1] : /^--code=(.*)$/.exec(arg)?.[1]
    if (code) registerSecret(code.trim(), '••••••')
  }
  registerSecret(env.CODIKA_API_KEY)
  // A URL's user:password@ (refused by every command, but oclif logs argv before a command can refuse it).
  for (const arg of argv) for (const [, userinfo] of arg.matchAll(/\/\/([^/?#@\s]+)@/g)) registerSecret(userinfo)
}

export function redactingLogger(namespace = 'oclif'): Logger {
  const on = enabled(namespace)
  const log = (formatter: unknown, ...args: unknown[]) => {
    if (on) process.stderr.write(`${namespace} ${redact(format(formatter, ...args))}\n`)
  }
  return {
    namespace,
    debug: log,
    info: log,
    trace: log,
    warn: log,
    error: (formatter, ...args) => redactingLogger(`${namespace}:error`).debug(formatter, ...args),
    child: (child, delimiter = ':') => redactingLogger(`${namespace}${delimiter}${child}`),
  }
}
