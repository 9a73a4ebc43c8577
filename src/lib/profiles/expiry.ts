// The expiry rule: when a key counts as expiring or expired, and the warning about the key in use.

/** Days before expiry from which a key is warned about (SPEC.md: within 7 days). */
export const EXPIRY_WARNING_DAYS = 7
const DAY_MS = 86_400_000

export type ExpiryStatus = 'valid' | 'expiring' | 'expired'

export interface Expiry {
  status: ExpiryStatus
  /** Whole days left, rounded up; 0 or less once expired. */
  daysLeft: number
}

/** The state of an expiry date, or undefined when there is none (or it cannot be read). */
export function expiryOf(expiresAt: string | undefined, now = Date.now()): Expiry | undefined {
  if (!expiresAt) return undefined
  const left = new Date(expiresAt).getTime() - now
  if (Number.isNaN(left)) return undefined
  const daysLeft = Math.ceil(left / DAY_MS)
  if (left <= 0) return {status: 'expired', daysLeft}
  return {status: left <= EXPIRY_WARNING_DAYS * DAY_MS ? 'expiring' : 'valid', daysLeft}
}

/** The warning for a key that expires soon or has expired, else undefined (PlatformCommand warns with it). */
export function expiryWarning(profileName: string | undefined, expiresAt: string | undefined): string | undefined {
  const subject = profileName ? `The key of profile "${profileName}"` : 'The key in use'
  const expiry = expiryOf(expiresAt)
  if (expiry?.status === 'expired') return `${subject} expired on ${expiresAt}.`
  if (expiry?.status === 'expiring') return `${subject} expires in ${expiry.daysLeft} day(s), on ${expiresAt}.`
  return undefined
}
