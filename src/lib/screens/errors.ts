// The human screen of a failed command (stderr): the message, what the platform said to do, its details, our hint.
import {CodikaError} from '../errors.js'
import {paint} from '../output.js'
import {redact} from '../redact.js'

/** The platform's `error.details` as lines: organizations as a list, known counters in words, anything else as JSON. */
export function detailLines(details: Record<string, unknown>, stream: NodeJS.WriteStream = process.stderr): string[] {
  const lines: string[] = []
  for (const [field, value] of Object.entries(details)) {
    if (field === 'organizations' && Array.isArray(value)) {
      lines.push(`${paint('dim', 'Organizations:', stream)}`)
      for (const o of value as Array<{id?: unknown; name?: unknown}>)
        lines.push(
          `  ${typeof o?.id === 'string' ? o.id : '?'}  ${typeof o?.name === 'string' ? o.name : ''}`.trimEnd(),
        )
    } else if (field === 'retryInSeconds' && typeof value === 'number') {
      lines.push(`${paint('dim', 'Retry in:', stream)} ${value} s`)
    } else if (field === 'attemptsRemaining' && typeof value === 'number') {
      lines.push(`${paint('dim', 'Tries left:', stream)} ${value}`)
    } else {
      lines.push(`${paint('dim', `${field}:`, stream)} ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    }
  }
  return lines
}

/** The whole block, secrets redacted; `stack` is added when DEBUG asks for it. */
export function errorText(e: CodikaError, stack?: string, stream: NodeJS.WriteStream = process.stderr): string {
  const label = (text: string) => paint('dim', text, stream)
  const lines = [`${paint('red', 'Error:', stream)} ${e.message}`]
  if (e.platformCode) lines.push(`${label('Code:')} ${e.platformCode}`)
  if (e.nextAction) lines.push(`${label('Next:')} ${e.nextAction}`)
  if (e.details) lines.push(...detailLines(e.details, stream))
  if (e.hint) lines.push(`${label('Hint:')} ${e.hint}`)
  if (e.requestId) lines.push(`${label('Request ID:')} ${e.requestId}`)
  if (stack) lines.push(stack)
  return redact(`${lines.join('\n')}\n`)
}
