// The sandbox's clock: real time shifted by CODIKA_SANDBOX_CLOCK_OFFSET, so expiry can be tried without waiting.
//
// CODIKA_SANDBOX_CLOCK_OFFSET moves the sandbox's "now" (used for expiry checks and for every timestamp it
// writes) by a signed amount: `+8d`, `-2h`, `30m`, `90s`, `1w`, or a bare number of seconds (`-3600`).
// It is read once, when the sandbox starts, and only by the sandbox; the CLI never looks at it. Typical use:
// create a key with `--expires-in-days 7`, restart the sandbox with `CODIKA_SANDBOX_CLOCK_OFFSET=+8d`, and the
// key is rejected as expired (HTTP 401).

export const CLOCK_OFFSET_ENV = 'CODIKA_SANDBOX_CLOCK_OFFSET'

const UNIT_MS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000}
const OFFSET_FORMAT = /^([+-]?)(\d+(?:\.\d+)?)\s*([smhdw]?)$/i

/** The largest shift accepted, either way: 100 years (the store's timestamps must stay four-digit years). */
export const MAX_CLOCK_OFFSET_MS = 100 * 365 * UNIT_MS.d

/** A CODIKA_SANDBOX_CLOCK_OFFSET that cannot be read or is too large; the message says which and what to write. */
export class ClockOffsetError extends Error {
  override name = 'ClockOffsetError'
}

/** The offset in milliseconds; throws on anything it cannot read, so a typo never silently means "no offset". */
export function parseClockOffset(raw: string | undefined): number {
  const text = raw?.trim() ?? ''
  if (text === '') return 0
  const match = OFFSET_FORMAT.exec(text)
  if (!match) {
    throw new ClockOffsetError(
      `${CLOCK_OFFSET_ENV}="${raw}" is not an offset; ` +
        'use a signed amount such as +8d, -2h, 30m, 90s, 1w or a number of seconds',
    )
  }
  const [, sign, amount, unit] = match
  const ms = Number(amount) * UNIT_MS[(unit || 's').toLowerCase()]
  if (!(ms <= MAX_CLOCK_OFFSET_MS))
    throw new ClockOffsetError(
      `${CLOCK_OFFSET_ENV}="${raw}" is too large; the sandbox's clock moves at most 100 years either way`,
    )
  return sign === '-' ? -ms : ms
}

export type Clock = () => Date

/** A clock that reads `base` (the real clock by default) and adds `offsetMs`. */
export function shiftedClock(offsetMs: number, base: () => Date | number = Date.now): Clock {
  return () => new Date(new Date(base()).getTime() + offsetMs)
}
