// The database file: schema, constraints, versioning, ownership, and the cost of an insert as keys accumulate.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, test} from 'node:test'
import sqlite from 'node-sqlite3-wasm'

import {hashKey, isWellFormedKey, mintKey} from '../../src/sandbox/keys.js'
import {seedSandbox} from '../../src/sandbox/seed.js'
import {SCHEMA_VERSION} from '../../src/sandbox/schema.js'
import {SandboxStore} from '../../src/sandbox/store.js'
import {tempDir} from './helpers.js'
import {countKeys, queryPlan} from '../helpers/sandbox-store.js'

const folders: (() => void)[] = []
after(() => folders.forEach((remove) => remove()))

function newDataFile(): string {
  const {dir, remove} = tempDir()
  folders.push(remove)
  return join(dir, 'sandbox.db')
}

/** A seeded store, closed again; returns the file and the seed. */
function seededFile() {
  const file = newDataFile()
  const store = SandboxStore.open(file)
  const seeded = seedSandbox(store, new Date())!
  store.close()
  return {file, seeded}
}

test('keys: prefix by type, 32 random bytes, keyPrefix of 12 characters, SHA-256 hex digest', () => {
  for (const [type, prefix] of [
    ['org-api-key', 'cko_'],
    ['personal-api-key', 'ckp_'],
    ['admin-api-key', 'cka_'],
  ] as const) {
    const key = mintKey(type)
    assert.ok(key.apiKey.startsWith(prefix))
    assert.equal(Buffer.from(key.apiKey.slice(4), 'base64url').length, 32)
    assert.equal(key.keyPrefix, key.apiKey.slice(0, 12))
    assert.match(key.keyHash, /^[0-9a-f]{64}$/)
    assert.equal(key.keyHash, hashKey(key.apiKey))
    assert.ok(isWellFormedKey(key.apiKey))
  }
  assert.equal(isWellFormedKey('cko_short'), false)
  assert.equal(isWellFormedKey(`ckx_${'A'.repeat(43)}`), false)
})

test('a new file gets the current schema version and the sandbox application id', () => {
  const {file} = seededFile()
  const db = new sqlite.Database(file)
  try {
    assert.equal(db.get('PRAGMA user_version')?.user_version, SCHEMA_VERSION)
    assert.equal(db.get('PRAGMA application_id')?.application_id, 0x636b7362)
  } finally {
    db.close()
  }
})

test('the schema enforces unique key hashes, foreign keys, roles, key types and JSON scopes', () => {
  const {file, seeded} = seededFile()
  const db = new sqlite.Database(file)
  db.exec('PRAGMA foreign_keys = ON')
  const at = new Date().toISOString()
  const existing = db.get('SELECT key_hash FROM api_keys LIMIT 1')!.key_hash as string
  const insertKey = (values: Record<string, unknown>) => {
    const row = {
      id: `key_${Math.random()}`,
      key_hash: 'a'.repeat(64),
      key_prefix: 'cko_AAAAAAAA',
      type: 'org-api-key',
      name: 'k',
      scopes: '["projects:read"]',
      organization_id: seeded.organizationId,
      person_id: null,
      created_at: at,
      updated_at: at,
      ...values,
    }
    const columns = Object.keys(row)
    db.run(
      `INSERT INTO api_keys (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      Object.values(row),
    )
  }
  try {
    insertKey({})
    assert.throws(() => insertKey({key_hash: existing}), /UNIQUE/)
    assert.throws(() => insertKey({key_hash: 'b'.repeat(64), organization_id: 'org_missing'}), /FOREIGN KEY/)
    assert.throws(() => insertKey({key_hash: 'c'.repeat(64), scopes: 'projects:read'}), /CHECK/)
    assert.throws(() => insertKey({key_hash: 'd'.repeat(64), key_prefix: 'ckp_AAAAAAAA'}), /CHECK/)
    assert.throws(() => insertKey({key_hash: 'e'.repeat(64), type: 'personal-api-key'}), /CHECK/)
    assert.throws(() => insertKey({key_hash: 'NOT-HEX'.padEnd(64, '0')}), /CHECK/)
    assert.throws(() => insertKey({key_hash: 'f'.repeat(64), expires_at: '2000-01-01T00:00:00.000Z'}), /CHECK/)
    db.run('INSERT INTO people (id, name, email, created_at) VALUES (?, ?, ?, ?)', ['usr_guest', 'Guest', 'g@x', at])
    assert.throws(
      () =>
        db.run('INSERT INTO memberships (organization_id, person_id, role, created_at) VALUES (?, ?, ?, ?)', [
          seeded.organizationId,
          'usr_guest',
          'guest',
          at,
        ]),
      /CHECK/,
    )
    const personal = {type: 'personal-api-key', key_prefix: 'ckp_AAAAAAAA', organization_id: null}
    assert.throws(() => insertKey({...personal, key_hash: '9'.repeat(64), person_id: 'usr_nobody'}), /FOREIGN KEY/)
    assert.throws(
      () =>
        db.run('INSERT INTO organizations (id, name, size, created_by, created_at) VALUES (?, ?, ?, ?, ?)', [
          'org_x',
          'Okay',
          'huge',
          seeded.owner.personId,
          at,
        ]),
      /CHECK/,
    )
  } finally {
    db.close()
  }
})

test('the seed is written once: a second call on the same file adds nothing', () => {
  const {file} = seededFile()
  const store = SandboxStore.open(file)
  try {
    assert.equal(seedSandbox(store, new Date()), undefined)
    assert.equal(countKeys(store), 3)
  } finally {
    store.close()
  }
})

test('reset starts from an empty file', () => {
  const {file} = seededFile()
  const store = SandboxStore.open(file, {reset: true})
  try {
    assert.equal(countKeys(store), 0)
    assert.ok(seedSandbox(store, new Date()))
  } finally {
    store.close()
  }
})

test("a file in use, another program's SQLite file, a non-database and a newer schema are refused", () => {
  const {file} = seededFile()
  const store = SandboxStore.open(file)
  try {
    assert.throws(() => SandboxStore.open(file), {code: 'DATA_FILE_IN_USE'})
    // Not even --reset deletes a file that a live sandbox is using.
    assert.throws(() => SandboxStore.open(file, {reset: true}), {code: 'DATA_FILE_IN_USE'})
  } finally {
    store.close()
  }

  const foreign = newDataFile()
  const db = new sqlite.Database(foreign)
  db.exec('CREATE TABLE notes (body TEXT)')
  db.close()
  assert.throws(() => SandboxStore.open(foreign), {code: 'DATA_FILE_FOREIGN'})

  const text = newDataFile()
  writeFileSync(text, 'this is not a database, just a file that happens to be long enough to have a header'.repeat(10))
  assert.throws(() => SandboxStore.open(text), {code: 'DATA_FILE_FOREIGN'})

  const newer = seededFile().file
  const raw = new sqlite.Database(newer)
  raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
  raw.close()
  assert.throws(() => SandboxStore.open(newer), {code: 'DATA_FILE_TOO_NEW'})
})

test('a pid file left by a dead process does not block opening', () => {
  const {file} = seededFile()
  // Pid 2^22 + 1 is above Linux's pid_max default range, so no process has it.
  writeFileSync(`${file}.pid`, `${2 ** 22 + 1}\n`)
  const store = SandboxStore.open(file)
  store.close()
})

// A request's cost must not grow with the number of stored keys: every lookup on its path goes through an index
// (SQLite's own plan, EXPLAIN QUERY PLAN), never a scan of the table. Timings would say the same, less reliably.
test('the lookups of a request use an index, never a scan of the table', () => {
  const store = SandboxStore.open(newDataFile())
  try {
    const {organizationId, owner} = seedSandbox(store, new Date())!
    const lookups: Array<[string, string, Array<string | number>]> = [
      ['authentication: a key by its hash', 'SELECT * FROM api_keys WHERE key_hash = ?', ['0'.repeat(64)]],
      ['a key by its id', 'SELECT * FROM api_keys WHERE id = ?', [owner.keyId]],
      ['recording its use', 'UPDATE api_keys SET last_used_at = ? WHERE id = ?', ['2026-01-01', owner.keyId]],
      ['an organization by its id', 'SELECT * FROM organizations WHERE id = ?', [organizationId]],
      ['a role', 'SELECT role FROM memberships WHERE organization_id = ? AND person_id = ?', [organizationId, 'usr_x']],
    ]
    for (const [what, sql, params] of lookups) {
      const plan = queryPlan(store, sql, params)
      assert.ok(
        plan.some((step) => /^SEARCH .* USING (INDEX|PRIMARY KEY|INTEGER PRIMARY KEY|COVERING INDEX)/.test(step)),
        `${what}: ${plan.join(' | ')}`,
      )
      assert.deepEqual(
        plan.filter((step) => step.startsWith('SCAN')),
        [],
        what,
      )
    }
    // The control: a column without an index is scanned, and the check above would see it.
    assert.ok(queryPlan(store, 'SELECT * FROM api_keys WHERE name = ?', ['x']).some((step) => step.startsWith('SCAN')))
  } finally {
    store.close()
  }
})
