// The sandbox's state: one SQLite file (node-sqlite3-wasm, no native build) of people, organizations and hashed keys.
import {timingSafeEqual} from 'node:crypto'
import {mkdirSync, rmSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import sqlite from 'node-sqlite3-wasm'

import {claim, inspectDataFile, pidFileOf, release} from './data-file.js'
import {hashKey, mintKey, newId} from './keys.js'
import {
  type ApiKeyChanges,
  type ApiKeyRecord,
  type NewApiKey,
  type NewOrganization,
  type Organization,
  type Person,
  type Role,
  SandboxStoreError,
  toApiKey,
  toOrganization,
} from './records.js'
import {migrate} from './schema.js'

type Database = InstanceType<typeof sqlite.Database>

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
    const pidFile = pidFileOf(path)
    claim(path, pidFile)
    let db: Database | undefined
    try {
      rmSync(`${path}.lock`, {recursive: true, force: true})
      // A file this sandbox did not make is neither opened as a database (which could write to it) nor reset.
      const found = inspectDataFile(path)
      if (found.kind === 'foreign')
        throw new SandboxStoreError(
          `${path} is ${found.what}, not a sandbox database; it was left as it is`,
          'DATA_FILE_FOREIGN',
        )
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
          `${path} is a sandbox database that cannot be read (${(error as Error).message})`,
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

  /** The database itself, for modules that keep their own tables in it (otp-store.ts); write inside transaction(). */
  get database(): Database {
    return this.db
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

  /**
   * Runs one SQL statement and returns its rows: for diagnostics only (the tests' helpers, `npm run bench`, in
   * test/helpers/sandbox-store.ts); the sandbox itself never calls it.
   */
  query(sql: string, params: Array<string | number | null> = []): Array<Record<string, unknown>> {
    return this.db.all(sql, params)
  }
}
