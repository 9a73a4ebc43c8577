// The human screen of `sandbox start`: where it listens, and the seeded keys the one time they exist.
import {SEEDED_ACCOUNTS} from '../../sandbox/seed.js'
import type {Sandbox} from '../../sandbox/server.js'
import type {Outbox} from '../sandbox/outbox.js'

/** The human banner: where it listens, and the seeded keys the one time they exist. */
export function sandboxBanner(sandbox: Sandbox, profile: string | null): string {
  const lines = [`Codika sandbox listening on ${sandbox.url}`, `  Data: ${sandbox.dataFile}`]
  if (sandbox.clockOffsetMs)
    lines.push(`  Clock shifted by ${sandbox.clockOffsetMs / 1000} s (CODIKA_SANDBOX_CLOCK_OFFSET)`)
  const seeded = sandbox.seeded
  if (seeded) {
    lines.push(
      '',
      `First start: created "${seeded.organizationName}" (${seeded.organizationId}).`,
      'Its keys are shown this once and never again:',
    )
    for (const who of [seeded.owner, seeded.admin, seeded.member])
      lines.push(`  ${who.role.padEnd(6)}  ${who.apiKey}  (${who.scopes.join(', ')})`)
    lines.push(
      '',
      profile
        ? `Saved the owner key as profile "${profile}" (now active).`
        : `Log in:  codika login --api-key ${seeded.owner.apiKey} --base-url ${sandbox.url}`,
    )
  } else {
    lines.push('', 'Seeded on an earlier start: its keys are not shown again (--reset starts afresh).')
  }
  lines.push(
    '',
    'Its people log in by emailed code (`codika auth login-request --email <address>`; codes: `codika sandbox outbox`):',
  )
  for (const who of SEEDED_ACCOUNTS) lines.push(`  ${who.role.padEnd(6)}  ${who.email}`)
  lines.push('', 'Press Ctrl+C to stop.')
  return lines.join('\n')
}

/** `sandbox outbox`: each message on one line, newest first, code last (easy to pick out with a shell tool). */
export function outboxText(outbox: Outbox, email: string | undefined): string {
  const where = outbox.source === 'sandbox' ? `the sandbox at ${outbox.url}` : outbox.dataFile
  const count = outbox.messages.length
  if (count === 0) return `No codes sent${email ? ` to ${email}` : ''} (outbox of ${where}).`
  const lines = [
    `${count} code${count === 1 ? '' : 's'} sent${email ? ` to ${email}` : ''}, newest first (outbox of ${where}):`,
    '',
  ]
  const width = Math.max(...outbox.messages.map((m) => m.email.length))
  for (const m of outbox.messages)
    lines.push(`  ${m.sentAt}  ${m.purpose.padEnd(6)}  ${m.email.padEnd(width)}  expires ${m.expiresAt}  ${m.code}`)
  return lines.join('\n')
}
