// The human screen of a failed command (stderr): the message, what the platform said to do, its details, our hint.
import {CodikaError, type ErrorCode} from '../errors.js'
import {paint, printable} from '../output.js'
import {redact} from '../redact.js'

/** The platform's `error.details` as lines: organizations as a list, known counters in words, anything else as JSON. */
export function detailLines(details: Record<string, unknown>, stream: NodeJS.WriteStream = process.stderr): string[] {
  const lines: string[] = []
  for (const [field, value] of Object.entries(details)) {
    if (field === 'organizations' && Array.isArray(value)) {
      lines.push(`${paint('dim', 'Organizations:', stream)}`)
      for (const o of value as Array<{id?: unknown; name?: unknown}>)
        lines.push(
          printable(
            `  ${typeof o?.id === 'string' ? o.id : '?'}  ${typeof o?.name === 'string' ? o.name : ''}`,
          ).trimEnd(),
        )
    } else if (field === 'retryInSeconds' && typeof value === 'number') {
      lines.push(`${paint('dim', 'Retry in:', stream)} ${value} s`)
    } else if (field === 'attemptsRemaining' && typeof value === 'number') {
      lines.push(`${paint('dim', 'Tries left:', stream)} ${value}`)
    } else {
      lines.push(
        `${paint('dim', `${field}:`, stream)} ${printable(typeof value === 'string' ? value : JSON.stringify(value))}`,
      )
    }
  }
  return lines
}

/**
 * The errors whose message is the platform's own words, kept exactly as they came for --json (scripts compare them):
 * the screen says, in the same sentence, what we know around them — what the error means here, and the HTTP status.
 */
const PLATFORM_WORDS: Partial<Record<ErrorCode, {lead?: string}>> = {
  API_ERROR: {},
  KEY_REJECTED: {lead: 'Key rejected by the platform: '},
}

/** The first line's sentence: `Key rejected by the platform: Invalid API key (HTTP 401)`. */
function headline(e: CodikaError): string {
  const words = PLATFORM_WORDS[e.code]
  if (!words) return e.message
  const status = e.status !== undefined && (e.status < 200 || e.status > 299) ? ` (HTTP ${e.status})` : ''
  return `${words.lead ?? ''}${e.message}${status}`
}

/**
 * The whole block, secrets redacted and every value from outside made printable: the message, what was made once
 * (`note`, when the output is what failed), the platform's code, next action and details, our hint, the request id;
 * `stack` when DEBUG asks for it.
 */
export function errorText(
  e: CodikaError,
  {stack, note}: {stack?: string; note?: string} = {},
  stream: NodeJS.WriteStream = process.stderr,
): string {
  const label = (text: string) => paint('dim', text, stream)
  const safe = (text: string) => printable(redact(text))
  const lines = [`${paint('red', 'Error:', stream)} ${safe(headline(e))}`]
  if (note) lines.push(safe(note))
  if (e.platformCode) lines.push(`${label('Code:')} ${safe(e.platformCode)}`)
  if (e.nextAction) lines.push(`${label('Next:')} ${safe(e.nextAction)}`)
  if (e.details) lines.push(...detailLines(e.details, stream).map(redact))
  if (e.hint) lines.push(`${label('Hint:')} ${safe(e.hint)}`)
  if (e.requestId) lines.push(`${label('Request ID:')} ${safe(e.requestId)}`)
  if (stack) lines.push(redact(stack))
  return `${lines.join('\n')}\n`
}
