// The human screen of `sandbox start`: where it listens, and the seeded keys the one time they exist.
import type {Sandbox} from '../../sandbox/server.js'

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
  lines.push('', 'Press Ctrl+C to stop.')
  return lines.join('\n')
}
