// The sandbox's OTP tables (schema version 2): codes kept as salted hashes, the outbox, and the lookups the rules need.
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto'

import type {OtpPurpose} from '../lib/api/contract.js'
import {newId} from './keys.js'
import type {Person, Row} from './records.js'
import type {SandboxStore} from './store.js'

/** One code the sandbox sent, as the rules see it (the code itself is not here: only whether a guess matches). */
export interface OtpCode {
  id: string
  email: string
  purpose: OtpPurpose
  createdAt: string
  expiresAt: string
  failedAttempts: number
  usedAt?: string
  lockedAt?: string
  /** Does `guess` match this code? Always false once the code is locked out (deleted). */
  matches(guess: string): boolean
}

/** A message of the outbox, as `GET /_sandbox/outbox` and `codika sandbox outbox` show it. */
export interface OutboxMessage {
  email: string
  code: string
  purpose: OtpPurpose
  sentAt: string
  expiresAt: string
}

export interface NewOtp {
  email: string
  purpose: OtpPurpose
  code: string
  clientIp: string
  at: Date
  expiresAt: Date
}

export interface MembershipView {
  id: string
  name: string
  role: string
}

/**
 * A salted SHA-256 of the code. What protects a 6-digit code is its 10-minute life and the 5 tries, not the hash
 * (a million candidates are quickly hashed whatever the function); the hash only keeps codes out of the file.
 */
function hashCode(salt: string, code: string): string {
  return createHash('sha256').update(`${salt}:${code}`, 'utf8').digest('hex')
}

function toOtpCode(row: Row): OtpCode {
  const salt = row.code_salt as string | null
  const stored = row.code_hash as string | null
  return {
    id: String(row.id),
    email: String(row.email),
    purpose: String(row.purpose) as OtpPurpose,
    createdAt: String(row.created_at),
    expiresAt: String(row.expires_at),
    failedAttempts: Number(row.failed_attempts),
    usedAt: (row.used_at as string | null) ?? undefined,
    lockedAt: (row.locked_at as string | null) ?? undefined,
    matches(guess) {
      if (salt === null || stored === null) return false
      return timingSafeEqual(Buffer.from(hashCode(salt, guess), 'hex'), Buffer.from(stored, 'hex'))
    },
  }
}

/** The OTP tables of one sandbox store; every write joins the store's transaction when one is open. */
export class OtpStore {
  constructor(private readonly store: SandboxStore) {}

  private get db() {
    return this.store.database
  }

  /** The person with this address (addresses are compared without regard to case). */
  findPerson(email: string): Person | undefined {
    const row: Row | null = this.db.get('SELECT id, name, email, created_at FROM people WHERE lower(email) = ?', [
      email.toLowerCase(),
    ])
    return row
      ? {id: String(row.id), name: String(row.name), email: String(row.email), createdAt: String(row.created_at)}
      : undefined
  }

  /** The organizations a person belongs to, oldest membership first. */
  organizationsOf(personId: string): MembershipView[] {
    return this.db
      .all(
        `SELECT o.id, o.name, m.role FROM memberships m JOIN organizations o ON o.id = m.organization_id
          WHERE m.person_id = ? ORDER BY m.created_at, o.id`,
        [personId],
      )
      .map((row: Row) => ({id: String(row.id), name: String(row.name), role: String(row.role)}))
  }

  /** Keys of the organization neither revoked nor expired at `at`. */
  countActiveKeys(organizationId: string, at: Date): number {
    const row = this.db.get(
      `SELECT count(*) AS n FROM api_keys
        WHERE organization_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
      [organizationId, at.toISOString()],
    )
    return Number(row?.n ?? 0)
  }

  /** Codes requested since `since`, for one address or from one client IP. */
  countRequestsSince(by: {email: string} | {clientIp: string}, since: Date): number {
    const [column, value] = 'email' in by ? ['email', by.email] : ['client_ip', by.clientIp]
    const row = this.db.get(`SELECT count(*) AS n FROM otp_codes WHERE ${column} = ? AND created_at > ?`, [
      value,
      since.toISOString(),
    ])
    return Number(row?.n ?? 0)
  }

  /** When the address last had a code sent, whatever its purpose. */
  lastRequestAt(email: string): string | undefined {
    const row = this.db.get('SELECT max(created_at) AS at FROM otp_codes WHERE email = ?', [email])
    return (row?.at as string | null) ?? undefined
  }

  /** The codes sent to an address, newest first. */
  codesOf(email: string): OtpCode[] {
    return this.db
      .all('SELECT * FROM otp_codes WHERE email = ? ORDER BY created_at DESC, rowid DESC', [email])
      .map(toOtpCode)
  }

  /** Keeps a new code (hashed) and its message in the outbox, in one transaction. */
  saveCode(otp: NewOtp): void {
    const salt = randomBytes(16).toString('hex')
    const createdAt = otp.at.toISOString()
    const expiresAt = otp.expiresAt.toISOString()
    this.store.transaction(() => {
      this.db.run(
        `INSERT INTO otp_codes (id, email, purpose, code_salt, code_hash, client_ip, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [newId('otp'), otp.email, otp.purpose, salt, hashCode(salt, otp.code), otp.clientIp, createdAt, expiresAt],
      )
      this.db.run('INSERT INTO outbox (email, purpose, code, sent_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
        otp.email,
        otp.purpose,
        otp.code,
        createdAt,
        expiresAt,
      ])
    })
  }

  /** Counts a wrong guess; returns the failed attempts so far. */
  recordFailure(id: string): number {
    this.db.run('UPDATE otp_codes SET failed_attempts = failed_attempts + 1 WHERE id = ?', [id])
    return Number(this.db.get('SELECT failed_attempts FROM otp_codes WHERE id = ?', [id])?.failed_attempts)
  }

  /** Deletes the code itself (its hash and salt) after too many wrong guesses; the row remembers the lockout. */
  lockOut(id: string, at: Date): void {
    this.db.run('UPDATE otp_codes SET code_hash = NULL, code_salt = NULL, locked_at = ? WHERE id = ?', [
      at.toISOString(),
      id,
    ])
  }

  markUsed(id: string, at: Date): void {
    this.db.run('UPDATE otp_codes SET used_at = ? WHERE id = ? AND used_at IS NULL', [at.toISOString(), id])
  }

  /** The outbox, newest first; only the messages to `email` when given. */
  outbox(email?: string): OutboxMessage[] {
    const rows =
      email === undefined
        ? this.db.all('SELECT * FROM outbox ORDER BY seq DESC')
        : this.db.all('SELECT * FROM outbox WHERE email = ? ORDER BY seq DESC', [email.toLowerCase()])
    return rows.map((row: Row) => ({
      email: String(row.email),
      code: String(row.code),
      purpose: String(row.purpose) as OtpPurpose,
      sentAt: String(row.sent_at),
      expiresAt: String(row.expires_at),
    }))
  }
}
