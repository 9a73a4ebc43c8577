// The sandbox's state: one SQLite file (node-sqlite3-wasm, no native build) of people, organizations and hashed keys.
import {timingSafeEqual} from 'node:crypto'
import {mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, isAbsolute, join, resolve} from 'node:path'
import sqlite from 'node-sqlite3-wasm'

import {
  LOGO_MIME_TYPES,
  type KeyType,
  type LogoMimeType,
  MAX_LOGO_BYTES,
  ORGANIZATION_SIZES,
  type OrganizationSize,
} from '../lib/api/contract.js'
import {hashKey, mintKey, newId} from './keys.js'

type Database = InstanceType<typeof sqlite.Database>
type Row = Record<string, unknown>

export type Role = 'owner' | 'admin' | 'member'

/**
 * Version of the schema below, kept in `PRAGMA user_version`. A release that changes the schema appends a
 * migration to MIGRATIONS and bumps this; opening an older file runs the missing migrations in order.
 */
export const SCHEMA_VERSION = 1

/** `PRAGMA application_id` of a sandbox file ("cksb"), so another program's SQLite file is never mistaken for one. */
const APPLICATION_ID = 0x636b7362

const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ')

const MIGRATIONS: readonly string[] = [
  // 0 → 1: the first schema.
  `
  CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE people (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE organizations (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
    description           TEXT,
    size                  TEXT CHECK (size IN (${sqlList(ORGANIZATION_SIZES)})),
    logo_mime_type        TEXT CHECK (logo_mime_type IN (${sqlList(LOGO_MIME_TYPES)})),
    logo                  BLOB CHECK (length(logo) BETWEEN 1 AND ${MAX_LOGO_BYTES}),
    n8n_base_url          TEXT,
    store_credential_copy INTEGER NOT NULL DEFAULT 0 CHECK (store_credential_copy IN (0, 1)),
    created_by            TEXT NOT NULL REFERENCES people (id),
    created_at            TEXT NOT NULL,
    CHECK ((logo IS NULL) = (logo_mime_type IS NULL))
  ) STRICT;

  CREATE TABLE memberships (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id       TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organization_id, person_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX memberships_by_person ON memberships (person_id);

  -- Only the SHA-256 of a key is kept; UNIQUE gives the index every authentication looks keys up by.
  -- Organization keys belong to an organization (created_by: the person who minted it); personal and
  -- admin keys belong to a person and to no organization.
  CREATE TABLE api_keys (
    id              TEXT PRIMARY KEY,
    key_hash        TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64 AND key_hash NOT GLOB '*[^0-9a-f]*'),
    key_prefix      TEXT NOT NULL CHECK (length(key_prefix) = 12),
    type            TEXT NOT NULL CHECK (type IN ('org-api-key', 'personal-api-key', 'admin-api-key')),
    name            TEXT NOT NULL CHECK (length(name) > 0),
    description     TEXT,
    scopes          TEXT NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
    organization_id TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    person_id       TEXT REFERENCES people (id) ON DELETE CASCADE,
    created_by      TEXT REFERENCES people (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT CHECK (expires_at > created_at),
    updated_at      TEXT NOT NULL,
    last_used_at    TEXT,
    revoked_at      TEXT,
    CHECK (substr(key_prefix, 1, 4) =
           CASE type WHEN 'org-api-key' THEN 'cko_' WHEN 'personal-api-key' THEN 'ckp_' ELSE 'cka_' END),
    CHECK ((type = 'org-api-key') = (organization_id IS NOT NULL)),
    CHECK ((type = 'org-api-key') = (person_id IS NULL))
  ) STRICT;
  CREATE INDEX api_keys_by_organization ON api_keys (organization_id);
  `,
]

export interface Person {
  id: string
  name: string
  email: string
  createdAt: string
}

export interface Organization {
  id: string
  name: string
  description?: string
  size?: OrganizationSize
  logoMimeType?: LogoMimeType
  logoBytes?: number
  n8nBaseUrl?: string
  storeCredentialCopy: boolean
  createdBy: string
  createdAt: string
}

export interface ApiKeyRecord {
  id: string
  type: KeyType
  keyPrefix: string
  name: string
  description?: string
  scopes: string[]
  organizationId?: string
  personId?: string
  createdBy?: string
  createdAt: string
  expiresAt?: string
  updatedAt: string
  lastUsedAt?: string
  revokedAt?: string
}

export interface NewOrganization {
  name: string
  description?: string
  size?: OrganizationSize
  logo?: {mimeType: LogoMimeType; bytes: Buffer}
  n8nBaseUrl?: string
  storeCredentialCopy?: boolean
}

export interface NewApiKey {
  type: KeyType
  name: string
  description?: string
  scopes: readonly string[]
  organizationId?: string
  personId?: string
  createdBy?: string
  createdAt: Date
  expiresAt?: Date
}

export interface ApiKeyChanges {
  name?: string
  /** `null` clears the description. */
  description?: string | null
  scopes?: readonly string[]
}

/** The data file is in use, not a sandbox database, or too new; the message says which and what to do. */
export class SandboxStoreError extends Error {
  constructor(
    message: string,
    readonly code: 'DATA_FILE_IN_USE' | 'DATA_FILE_INVALID' | 'DATA_FILE_TOO_NEW',
  ) {
    super(message)
    this.name = 'SandboxStoreError'
  }
}

/** `$XDG_DATA_HOME/codika/sandbox.db` (XDG_DATA_HOME counts only when absolute), else under `~/.local/share/`. */
export function defaultDataFile(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'share')
  return join(base, 'codika', 'sandbox.db')
}

// Files this process has open, so opening one twice in the same process is refused like a second process would be.
const openInThisProcess = new Set<string>()

export interface OpenOptions {
  /** Delete the file (and its journal) first and start from an empty database. */
  reset?: boolean
}

export class SandboxStore {
  private closed = false

  private constructor(
    private readonly db: Database,
    readonly file: string,
    private readonly pidFile: string,
  ) {}

  /**
   * Opens (creating or migrating as needed) the database in `file`.
   *
   * A `<file>.pid` file marks the database as in use: a second sandbox on the same file is refused instead of
   * corrupting it. node-sqlite3-wasm locks with a `<file>.lock` directory, held here for the whole session,
   * which a `kill -9` leaves behind; once we know the previous owner is dead, that directory is stale and is
   * removed, and SQLite then rolls back any half-written transaction from its journal on the first read.
   */
  static open(file: string, options: OpenOptions = {}): SandboxStore {
    const path = resolve(file)
    mkdirSync(dirname(path), {recursive: true, mode: 0o700})
    const pidFile = `${path}.pid`
    claim(path, pidFile)
    let db: Database | undefined
    try {
      rmSync(`${path}.lock`, {recursive: true, force: true})
      if (options.reset) {
        for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, {force: true})
      }
      try {
        db = new sqlite.Database(path)
        // EXCLUSIVE: the pid file already makes this process the only user, and without it every statement
        // would create and remove the lock directory and re-read the file (about 5x slower).
        // TRUNCATE + synchronous=FULL: each commit fsyncs journal, database and the reset journal before it
        // returns, so an acknowledged write survives kill -9 and power loss (DELETE mode would need EXTRA to
        // sync the directory). WAL is not available: the VFS has no shared memory.
        db.exec(
          'PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = TRUNCATE;' +
            ' PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;',
        )
      } catch (error) {
        throw new SandboxStoreError(
          `${path} is not a sandbox database (${(error as Error).message}); choose another file or start with --reset`,
          'DATA_FILE_INVALID',
        )
      }
      migrate(db, path)
      return new SandboxStore(db, path, pidFile)
    } catch (error) {
      if (db?.isOpen) db.close()
      release(path, pidFile)
      throw error
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.db.close()
    release(this.file, this.pidFile)
  }

  /**
   * Runs `fn` in one transaction: all of it is on disk when this returns, or none of it is.
   * Nested calls join the outer transaction, which alone commits.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn()
    this.db.exec('BEGIN IMMEDIATE')
    try {
      const result = fn()
      this.db.exec('COMMIT')
      return result
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      throw error
    }
  }

  getMeta(name: string): string | undefined {
    return this.db.get('SELECT value FROM meta WHERE name = ?', [name])?.value as string | undefined
  }

  setMeta(name: string, value: string): void {
    this.db.run(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      [name, value],
    )
  }

  createPerson(name: string, email: string, at: Date): Person {
    const person = {id: newId('usr'), name, email, createdAt: at.toISOString()}
    this.db.run('INSERT INTO people (id, name, email, created_at) VALUES (?, ?, ?, ?)', [
      person.id,
      name,
      email,
      person.createdAt,
    ])
    return person
  }

  /** Creates an organization whose owner is `creatorId`, in one transaction. */
  createOrganization(input: NewOrganization, creatorId: string, at: Date): Organization {
    const id = newId('org')
    const createdAt = at.toISOString()
    this.transaction(() => {
      this.db.run(
        `INSERT INTO organizations
           (id, name, description, size, logo_mime_type, logo, n8n_base_url, store_credential_copy,
            created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          input.name,
          input.description ?? null,
          input.size ?? null,
          input.logo?.mimeType ?? null,
          input.logo ? new Uint8Array(input.logo.bytes) : null,
          input.n8nBaseUrl ?? null,
          input.storeCredentialCopy ? 1 : 0,
          creatorId,
          createdAt,
        ],
      )
      this.addMember(id, creatorId, 'owner', at)
    })
    return this.getOrganization(id)!
  }

  getOrganization(id: string): Organization | undefined {
    const row = this.db.get(
      `SELECT id, name, description, size, logo_mime_type, length(logo) AS logo_bytes, n8n_base_url,
              store_credential_copy, created_by, created_at
         FROM organizations WHERE id = ?`,
      [id],
    )
    return row ? toOrganization(row) : undefined
  }

  /** The organization's logo bytes, if it has one. */
  getLogo(organizationId: string): Buffer | undefined {
    const logo = this.db.get('SELECT logo FROM organizations WHERE id = ?', [organizationId])?.logo
    return logo instanceof Uint8Array ? Buffer.from(logo) : undefined
  }

  addMember(organizationId: string, personId: string, role: Role, at: Date): void {
    this.db.run('INSERT INTO memberships (organization_id, person_id, role, created_at) VALUES (?, ?, ?, ?)', [
      organizationId,
      personId,
      role,
      at.toISOString(),
    ])
  }

  roleOf(organizationId: string, personId: string): Role | undefined {
    const row = this.db.get('SELECT role FROM memberships WHERE organization_id = ? AND person_id = ?', [
      organizationId,
      personId,
    ])
    return row?.role as Role | undefined
  }

  /** Stores a new key (its hash only) and returns the record with the raw key, which exists nowhere else. */
  createKey(input: NewApiKey): {record: ApiKeyRecord; apiKey: string} {
    const {apiKey, keyHash, keyPrefix} = mintKey(input.type)
    const id = newId('key')
    const createdAt = input.createdAt.toISOString()
    this.db.run(
      `INSERT INTO api_keys
         (id, key_hash, key_prefix, type, name, description, scopes, organization_id, person_id, created_by,
          created_at, expires_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        keyHash,
        keyPrefix,
        input.type,
        input.name,
        input.description || null,
        JSON.stringify(input.scopes),
        input.organizationId ?? null,
        input.personId ?? null,
        input.createdBy ?? null,
        createdAt,
        input.expiresAt?.toISOString() ?? null,
        createdAt,
      ],
    )
    return {record: this.getKey(id)!, apiKey}
  }

  getKey(id: string): ApiKeyRecord | undefined {
    const row = this.db.get('SELECT * FROM api_keys WHERE id = ?', [id])
    return row ? toApiKey(row) : undefined
  }

  /**
   * The key whose hash matches `apiKey`, if any (revoked and expired ones included: the caller decides).
   * The lookup goes through the unique index on the hash; the final comparison is constant-time.
   */
  findKey(apiKey: string): ApiKeyRecord | undefined {
    const digest = hashKey(apiKey)
    const row = this.db.get('SELECT * FROM api_keys WHERE key_hash = ?', [digest])
    if (!row) return undefined
    const stored = Buffer.from(row.key_hash as string, 'hex')
    const given = Buffer.from(digest, 'hex')
    return stored.length === given.length && timingSafeEqual(stored, given) ? toApiKey(row) : undefined
  }

  updateKey(id: string, changes: ApiKeyChanges, at: Date): ApiKeyRecord | undefined {
    const sets: string[] = ['updated_at = ?']
    const values: (string | null)[] = [at.toISOString()]
    if (changes.name !== undefined) {
      sets.push('name = ?')
      values.push(changes.name)
    }
    if (changes.description !== undefined) {
      sets.push('description = ?')
      values.push(changes.description || null)
    }
    if (changes.scopes !== undefined) {
      sets.push('scopes = ?')
      values.push(JSON.stringify(changes.scopes))
    }
    const {changes: updated} = this.db.run(`UPDATE api_keys SET ${sets.join(', ')} WHERE id = ?`, [...values, id])
    return updated ? this.getKey(id) : undefined
  }

  touchKey(id: string, at: Date): void {
    this.db.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [at.toISOString(), id])
  }

  revokeKey(id: string, at: Date): void {
    this.db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at.toISOString(), id])
  }

  countKeys(): number {
    return Number(this.db.get('SELECT count(*) AS n FROM api_keys')?.n ?? 0)
  }

  /** `PRAGMA integrity_check`: 'ok' for a sound file. */
  integrityCheck(): string {
    return this.db
      .all('PRAGMA integrity_check')
      .map((row) => String(Object.values(row)[0]))
      .join('; ')
  }

  schemaVersion(): number {
    return Number(this.db.get('PRAGMA user_version')?.user_version)
  }
}

function migrate(db: Database, path: string): void {
  const version = Number(db.get('PRAGMA user_version')?.user_version)
  const applicationId = Number(db.get('PRAGMA application_id')?.application_id)
  if (version === 0) {
    const objects = Number(db.get('SELECT count(*) AS n FROM sqlite_schema')?.n)
    if (objects > 0 || applicationId !== 0) {
      throw new SandboxStoreError(
        `${path} is an SQLite database of another program, not a sandbox database; choose another file`,
        'DATA_FILE_INVALID',
      )
    }
  } else if (applicationId !== APPLICATION_ID) {
    throw new SandboxStoreError(
      `${path} is an SQLite database of another program, not a sandbox database; choose another file`,
      'DATA_FILE_INVALID',
    )
  }
  if (version > SCHEMA_VERSION) {
    throw new SandboxStoreError(
      `${path} was written by a newer codika (schema ${version}, this one knows ${SCHEMA_VERSION}); ` +
        'upgrade codika or start with --reset',
      'DATA_FILE_TOO_NEW',
    )
  }
  for (let next = version; next < SCHEMA_VERSION; next++) {
    db.exec('BEGIN IMMEDIATE')
    try {
      db.exec(MIGRATIONS[next])
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${next + 1};`)
      db.exec('COMMIT')
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw error
    }
  }
}

function claim(path: string, pidFile: string): void {
  const inUse = (who: string) =>
    new SandboxStoreError(
      `${path} is in use by ${who}; stop it first, or use another data file` +
        ` (if no sandbox is running, delete ${pidFile})`,
      'DATA_FILE_IN_USE',
    )
  if (openInThisProcess.has(path)) throw inUse('a sandbox in this process')
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(pidFile, `${process.pid}\n`, {flag: 'wx', mode: 0o600})
      openInThisProcess.add(path)
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error
    }
    const pid = Number.parseInt(readPid(pidFile), 10)
    // Our own pid here is a leftover of an earlier life of this pid (a container restart), since the set above
    // knows what this process has open.
    if (pid > 0 && pid !== process.pid && isAlive(pid)) throw inUse(`another sandbox (pid ${pid})`)
    rmSync(pidFile, {force: true})
  }
}

function release(path: string, pidFile: string): void {
  openInThisProcess.delete(path)
  try {
    unlinkSync(pidFile)
  } catch {
    // Already gone (for example deleted by the user); nothing to undo.
  }
}

function readPid(pidFile: string): string {
  try {
    return readFileSync(pidFile, 'utf8')
  } catch {
    return ''
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A nullable TEXT column (or a number read back from one) as an optional string. */
const optional = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value)

function toOrganization(row: Row): Organization {
  return stripUndefined({
    id: String(row.id),
    name: String(row.name),
    description: optional(row.description),
    size: optional(row.size) as OrganizationSize | undefined,
    logoMimeType: optional(row.logo_mime_type) as LogoMimeType | undefined,
    logoBytes: row.logo_bytes === null ? undefined : Number(row.logo_bytes),
    n8nBaseUrl: optional(row.n8n_base_url),
    storeCredentialCopy: Number(row.store_credential_copy) === 1,
    createdBy: String(row.created_by),
    createdAt: String(row.created_at),
  })
}

function toApiKey(row: Row): ApiKeyRecord {
  return stripUndefined({
    id: String(row.id),
    type: String(row.type) as KeyType,
    keyPrefix: String(row.key_prefix),
    name: String(row.name),
    description: optional(row.description),
    scopes: JSON.parse(String(row.scopes)) as string[],
    organizationId: optional(row.organization_id),
    personId: optional(row.person_id),
    createdBy: optional(row.created_by),
    createdAt: String(row.created_at),
    expiresAt: optional(row.expires_at),
    updatedAt: String(row.updated_at),
    lastUsedAt: optional(row.last_used_at),
    revokedAt: optional(row.revoked_at),
  })
}

/** Drops undefined fields, so records and the JSON made from them omit what is unknown. */
export function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
