// `DEBUG=codika*` logging on stderr, with every key scrubbed.
import {printable} from './output.js'
import {redact} from './redact.js'

/** Does the DEBUG variable (globs, `-` to exclude) ask for this namespace? */
export function enabled(namespace: string, patterns = process.env.DEBUG ?? ''): boolean {
  let on = false
  for (const raw of patterns.split(/[\s,]+/)) {
    if (!raw) continue
    const negate = raw.startsWith('-')
    const glob = negate ? raw.slice(1) : raw
    const re = new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`)
    if (re.test(namespace)) on = !negate
  }
  return on
}

export type DebugLog = ((message: string) => void) & {enabled: boolean}

export function makeDebug(namespace: string): DebugLog {
  const on = enabled(namespace)
  const log = ((message: string) => {
    if (on) process.stderr.write(`${namespace} ${printable(redact(message))}\n`)
  }) as DebugLog
  log.enabled = on
  return log
}

/** Is any DEBUG pattern set that asks for codika's details (stack traces included)? */
export function debugRequested(): boolean {
  return enabled('codika:error')
}
