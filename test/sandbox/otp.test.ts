// The sandbox's OTP endpoints over real HTTP, with the established client's wire format: every rule and every error
// code of CONTRACT.md's table (status and details), codes kept hashed, and a restart that keeps codes as they were.
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import sqlite from 'node-sqlite3-wasm'

import {OTP_ERROR_STATUS} from '../../src/lib/api/contract.js'
import {ORGANIZATION_SCOPE_NAMES} from '../../src/lib/scopes.js'
import {startSandbox} from '../../src/sandbox/server.js'
import {assertOtpError, complete, latestCode, otherCode, outbox, requestCode} from '../helpers/otp.js'
import {call, DAY_MS, startTestSandbox, type TestSandbox, tempDir} from './helpers.js'

const SECOND = 1000
const HOUR = 3_600_000
const OWNER = 'owner@sandbox.codika.local'
const MEMBER = 'member@sandbox.codika.local'

/** Every code of the table this file has seen the sandbox answer with. */
const seen = new Set<string>()
function expectError(reply: Awaited<ReturnType<typeof call>>, code: keyof typeof OTP_ERROR_STATUS, details?: object) {
  assertOtpError(reply, OTP_ERROR_STATUS[code], code, details as Record<string, unknown>)
  seen.add(code)
}

let sandbox: TestSandbox
const log: string[] = []
let address = 0
/** A fresh address (the limits count per address). */
const fresh = (name = 'agent') => `${name}-${++address}@example.com`

before(async () => {
  sandbox = await startTestSandbox({log: (line) => log.push(line)})
})
after(async () => {
  await sandbox.dispose()
})

describe('signup', () => {
  it('request → outbox → complete, in the wire format of the established client; the key verifies', async () => {
    const email = fresh()
    const requested = await call(sandbox.url, 'clirequestsignupotp', {rawBody: JSON.stringify({email})})
    assert.equal(requested.status, 200)
    assert.deepEqual(requested.body.data, {email, expiresInSeconds: 600})

    const [message] = await outbox(sandbox.url, email)
    assert.equal(message.email, email)
    assert.equal(message.purpose, 'signup')
    assert.match(message.code, /^\d{6}$/)
    assert.equal(Date.parse(message.expiresAt) - Date.parse(message.sentAt), 600 * SECOND)
    assert.ok(log.includes(`outbox: signup code ${message.code} sent to ${email} (valid until ${message.expiresAt})`))

    // Exactly the body the established client sends: nested company and apiKey objects, no auth header.
    const body = JSON.stringify({
      email,
      code: message.code,
      company: {name: 'Acme Agents', description: 'Made by an agent'},
      apiKey: {name: 'Agent key', expiresInDays: 30},
    })
    const done = await call(sandbox.url, 'clicompletesignup', {rawBody: body})
    assert.equal(done.status, 200, JSON.stringify(done.body))
    const {data} = done.body
    assert.deepEqual(Object.keys(data).sort(), ['apiKey', 'isNewUser', 'organizationId', 'organizationName'])
    assert.equal(data.organizationName, 'Acme Agents')
    assert.equal(data.isNewUser, true)
    const key = data.apiKey
    assert.deepEqual(Object.keys(key).sort(), ['createdAt', 'expiresAt', 'keyId', 'keyPrefix', 'name', 'raw', 'scopes'])
    assert.match(key.raw, /^cko_[A-Za-z0-9_-]{43}$/)
    assert.equal(key.keyPrefix, key.raw.slice(0, 12))
    assert.equal(key.name, 'Agent key')
    assert.deepEqual(key.scopes, ORGANIZATION_SCOPE_NAMES)
    assert.equal(Date.parse(key.expiresAt) - Date.parse(key.createdAt), 30 * DAY_MS)

    const verified = await call(sandbox.url, 'verifyapikey', {key: key.raw})
    assert.equal(verified.status, 200)
    assert.equal(verified.body.data.type, 'org-api-key')
    assert.equal(verified.body.data.organizationId, data.organizationId)
    assert.equal(verified.body.data.organizationName, 'Acme Agents')

    // The new user owns the organization: a login for it mints a key there.
    sandbox.shift(31 * SECOND)
    const code = await requestCode(sandbox.url, 'login', email)
    const login = await complete(sandbox.url, 'login', {email, code})
    assert.equal(login.status, 200)
    assert.equal(login.body.data.organizationId, data.organizationId)
  })

  it('defaults: company "My Organization", key "CLI default key", no expiry; the address is matched without case', async () => {
    const email = fresh('Mixed.Case')
    const requested = await call(sandbox.url, 'clirequestsignupotp', {body: {email: `  ${email.toUpperCase()} `}})
    assert.equal(requested.body.data.email, email.toLowerCase())
    const code = await latestCode(sandbox.url, email)
    const done = await complete(sandbox.url, 'signup', {email, code})
    assert.equal(done.status, 200)
    assert.equal(done.body.data.organizationName, 'My Organization')
    assert.equal(done.body.data.apiKey.name, 'CLI default key')
    assert.equal('expiresAt' in done.body.data.apiKey, false)
  })

  it('USER_ALREADY_HAS_ORGANIZATION at the request, and at a complete after the address got one', async () => {
    expectError(await call(sandbox.url, 'clirequestsignupotp', {body: {email: OWNER}}), 'USER_ALREADY_HAS_ORGANIZATION')
    const email = fresh()
    const first = await requestCode(sandbox.url, 'signup', email)
    sandbox.shift(31 * SECOND)
    const second = await requestCode(sandbox.url, 'signup', email)
    assert.equal((await complete(sandbox.url, 'signup', {email, code: second})).status, 200)
    expectError(await complete(sandbox.url, 'signup', {email, code: first}), 'USER_ALREADY_HAS_ORGANIZATION')
  })

  it('COMPANY_NAME_TOO_LONG over 100 characters (counted as characters), INVALID_EXPIRES_IN_DAYS outside 1–365', async () => {
    const email = fresh()
    const code = await requestCode(sandbox.url, 'signup', email)
    expectError(
      await complete(sandbox.url, 'signup', {email, code, company: {name: '🦊'.repeat(101)}}),
      'COMPANY_NAME_TOO_LONG',
    )
    for (const expiresInDays of [0, 366, 1.5, -3, '30'])
      expectError(
        await complete(sandbox.url, 'signup', {email, code, apiKey: {expiresInDays}}),
        'INVALID_EXPIRES_IN_DAYS',
      )
    // None of these used the code or counted a try.
    const done = await complete(sandbox.url, 'signup', {
      email,
      code,
      company: {name: '🦊'.repeat(100)},
      apiKey: {expiresInDays: 365},
    })
    assert.equal(done.status, 200, JSON.stringify(done.body))
    assert.equal(done.body.data.organizationName, '🦊'.repeat(100))
  })

  it('ORGANIZATION_CREATION_FAILED leaves the user without an organization (USER_HAS_NO_ORGANIZATION) and the code valid', async () => {
    const email = fresh()
    const code = await requestCode(sandbox.url, 'signup', email)
    expectError(
      await complete(sandbox.url, 'signup', {email, code, company: {name: 'X'}}),
      'ORGANIZATION_CREATION_FAILED',
    )
    expectError(await call(sandbox.url, 'clirequestloginotp', {body: {email}}), 'USER_HAS_NO_ORGANIZATION')
    const again = await complete(sandbox.url, 'signup', {email, code, company: {name: 'Xylophone'}})
    assert.equal(again.status, 200)
    assert.equal(again.body.data.isNewUser, false, 'the user was created by the first attempt')
  })
})

describe('login', () => {
  it('a user of one organization gets a new key for it; earlier keys stay valid', async () => {
    const keys: string[] = []
    for (let i = 0; i < 2; i++) {
      sandbox.shift(31 * SECOND)
      const code = await requestCode(sandbox.url, 'login', MEMBER)
      const body = JSON.stringify({email: MEMBER, code, apiKey: {name: `Member agent ${i}`}})
      const done = await call(sandbox.url, 'clicompletelogin', {rawBody: body})
      assert.equal(done.status, 200, JSON.stringify(done.body))
      assert.deepEqual(Object.keys(done.body.data).sort(), ['apiKey', 'organizationId', 'organizationName'])
      assert.equal(done.body.data.organizationId, sandbox.seeded!.organizationId)
      assert.equal(done.body.data.organizationName, 'Sandbox Org')
      assert.equal(done.body.data.apiKey.name, `Member agent ${i}`)
      keys.push(done.body.data.apiKey.raw)
    }
    for (const key of keys) assert.equal((await call(sandbox.url, 'verifyapikey', {key})).status, 200)
  })

  it('USER_NOT_FOUND for an unknown address', async () => {
    expectError(await call(sandbox.url, 'clirequestloginotp', {body: {email: fresh('nobody')}}), 'USER_NOT_FOUND')
  })

  it('MULTIPLE_ORGANIZATIONS lists them and keeps the code; ORGANIZATION_NOT_MEMBER too; then the same code works', async () => {
    const created = await call(sandbox.url, 'createorganizationviaapikey', {
      key: sandbox.seeded!.owner.apiKey,
      body: {name: 'Second Org'},
    })
    assert.equal(created.status, 200)
    const second = created.body.data.organizationId
    sandbox.shift(31 * SECOND)
    const code = await requestCode(sandbox.url, 'login', OWNER)
    const organizations = [
      {id: sandbox.seeded!.organizationId, name: 'Sandbox Org'},
      {id: second, name: 'Second Org'},
    ]
    expectError(await complete(sandbox.url, 'login', {email: OWNER, code}), 'MULTIPLE_ORGANIZATIONS', {organizations})
    expectError(
      await complete(sandbox.url, 'login', {email: OWNER, code, organizationId: 'org_not_mine'}),
      'ORGANIZATION_NOT_MEMBER',
      {organizations},
    )
    const done = await complete(sandbox.url, 'login', {email: OWNER, code, organizationId: second})
    assert.equal(done.status, 200)
    assert.equal(done.body.data.organizationName, 'Second Org')
    expectError(await complete(sandbox.url, 'login', {email: OWNER, code, organizationId: second}), 'OTP_ALREADY_USED')
  })

  it('INVALID_EXPIRES_IN_DAYS on login too', async () => {
    sandbox.shift(31 * SECOND)
    const code = await requestCode(sandbox.url, 'login', MEMBER)
    expectError(
      await complete(sandbox.url, 'login', {email: MEMBER, code, apiKey: {expiresInDays: 400}}),
      'INVALID_EXPIRES_IN_DAYS',
    )
  })
})

describe('codes', () => {
  it('EMAIL_REQUIRED and EMAIL_INVALID on every endpoint', async () => {
    for (const path of ['clirequestsignupotp', 'clirequestloginotp', 'clicompletesignup', 'clicompletelogin']) {
      for (const body of [{}, {email: ''}, {email: '   '}, [], 'text'])
        expectError(await call(sandbox.url, path, {body}), 'EMAIL_REQUIRED')
      for (const email of [
        'agent',
        'agent@',
        '@example.com',
        'a b@example.com',
        'agent@example',
        42,
        `${'a'.repeat(250)}@x.io`,
        'a\u001b]0;title\u0007@example.com',
      ])
        expectError(await call(sandbox.url, path, {body: {email, code: '123456'}}), 'EMAIL_INVALID')
    }
  })

  it('OTP_NOT_FOUND without a request; OTP_PURPOSE_MISMATCH for a signup code sent to log in', async () => {
    expectError(
      await complete(sandbox.url, 'login', {email: MEMBER.replace('member', 'admin'), code: '123456'}),
      'OTP_NOT_FOUND',
    )
    const email = fresh()
    expectError(await complete(sandbox.url, 'signup', {email, code: '123456'}), 'OTP_NOT_FOUND')
    const code = await requestCode(sandbox.url, 'signup', email)
    expectError(await complete(sandbox.url, 'login', {email, code}), 'OTP_PURPOSE_MISMATCH')
    assert.equal((await complete(sandbox.url, 'signup', {email, code})).status, 200, 'kept apart, not used up')
  })

  it('OTP_INVALID counts down attemptsRemaining; the fifth wrong code locks out (OTP_LOCKED_OUT), even for the right one', async () => {
    const email = fresh()
    const code = await requestCode(sandbox.url, 'signup', email)
    // A malformed code guesses nothing: refused, not counted.
    const malformed = await complete(sandbox.url, 'signup', {email, code: '12345'})
    assertOtpError(malformed, 400, 'OTP_INVALID')
    for (let remaining = 4; remaining >= 1; remaining--)
      expectError(await complete(sandbox.url, 'signup', {email, code: otherCode(code)}), 'OTP_INVALID', {
        attemptsRemaining: remaining,
      })
    expectError(await complete(sandbox.url, 'signup', {email, code: otherCode(code)}), 'OTP_LOCKED_OUT')
    expectError(await complete(sandbox.url, 'signup', {email, code}), 'OTP_LOCKED_OUT')
    // A new code starts afresh.
    sandbox.shift(31 * SECOND)
    const next = await requestCode(sandbox.url, 'signup', email)
    assert.equal((await complete(sandbox.url, 'signup', {email, code: next})).status, 200)
  })

  it('OTP_EXPIRED after 10 minutes on the sandbox clock; an older code is no longer the one', async () => {
    const email = fresh()
    const code = await requestCode(sandbox.url, 'signup', email)
    sandbox.shift(600 * SECOND)
    expectError(await complete(sandbox.url, 'signup', {email, code}), 'OTP_EXPIRED')
    const newer = await requestCode(sandbox.url, 'signup', email)
    // The expired code is now a wrong guess against the newer one.
    expectError(await complete(sandbox.url, 'signup', {email, code}), 'OTP_INVALID', {attemptsRemaining: 4})
    assert.equal((await complete(sandbox.url, 'signup', {email, code: newer})).status, 200)
  })

  it('OTP_RESEND_COOLDOWN: 30 s between two codes for one address, whatever their purpose; retryInSeconds', async () => {
    const email = fresh()
    await requestCode(sandbox.url, 'signup', email)
    sandbox.shift(10 * SECOND)
    const refused = await call(sandbox.url, 'clirequestsignupotp', {body: {email}})
    expectError(refused, 'OTP_RESEND_COOLDOWN')
    const wait = refused.body.error.details.retryInSeconds
    assert.ok(wait > 0 && wait <= 20, `retryInSeconds ${wait}`)
    assert.match(refused.body.error.nextAction, new RegExp(`${wait} seconds`))
    sandbox.shift(wait * SECOND)
    assert.equal((await call(sandbox.url, 'clirequestsignupotp', {body: {email}})).status, 200)
  })

  it('unknown fields and wrong types are refused (INVALID_REQUEST); an auth header is not needed, nor looked at', async () => {
    const email = fresh()
    assertOtpError(await call(sandbox.url, 'clirequestsignupotp', {body: {email, extra: 1}}), 400, 'INVALID_REQUEST')
    const code = await requestCode(sandbox.url, 'signup', email)
    assertOtpError(await complete(sandbox.url, 'signup', {email, code, company: 'Acme'}), 400, 'INVALID_REQUEST')
    assertOtpError(await complete(sandbox.url, 'signup', {email, code, apiKey: {name: '  '}}), 400, 'INVALID_REQUEST')
    const done = await call(sandbox.url, 'clicompletesignup', {key: 'not-a-key', body: {email, code}})
    assert.equal(done.status, 200)
  })

  it('codes are kept as salted hashes: the database holds each code only in the outbox', async () => {
    const email = fresh()
    const code = await requestCode(sandbox.url, 'signup', email)
    const {dir, remove} = tempDir()
    try {
      // A copy of the file (every answer follows a full commit), since the running sandbox holds it exclusively.
      const copy = join(dir, 'copy.db')
      writeFileSync(copy, readFileSync(sandbox.dataFile))
      const db = new sqlite.Database(copy)
      try {
        const rows = db.all('SELECT * FROM otp_codes WHERE email = ?', [email])
        assert.equal(rows.length, 1)
        assert.ok(!JSON.stringify(rows).includes(code))
        assert.match(rows[0].code_hash as string, /^[0-9a-f]{64}$/)
        assert.equal(db.all('SELECT * FROM outbox WHERE code = ? AND email = ?', [code, email]).length, 1)
      } finally {
        db.close()
      }
    } finally {
      remove()
    }
  })
})

describe('limits (a sandbox of their own)', () => {
  let limits: TestSandbox
  before(async () => {
    limits = await startTestSandbox()
  })
  after(async () => {
    await limits.dispose()
  })

  it('EMAIL_RATE_LIMITED: 20 codes an hour for one address, then again an hour later', async () => {
    const email = fresh('busy')
    for (let i = 0; i < 20; i++) {
      assert.equal((await call(limits.url, 'clirequestsignupotp', {body: {email}})).status, 200, `request ${i + 1}`)
      limits.shift(31 * SECOND)
    }
    expectError(await call(limits.url, 'clirequestsignupotp', {body: {email}}), 'EMAIL_RATE_LIMITED')
    limits.shift(HOUR)
    assert.equal((await call(limits.url, 'clirequestsignupotp', {body: {email}})).status, 200)
  })

  it('IP_RATE_LIMITED: 60 codes an hour from one client address, whatever the addresses they go to', async () => {
    limits.shift(2 * HOUR)
    for (let i = 0; i < 60; i++)
      assert.equal((await call(limits.url, 'clirequestsignupotp', {body: {email: fresh('many')}})).status, 200)
    expectError(await call(limits.url, 'clirequestsignupotp', {body: {email: fresh('many')}}), 'IP_RATE_LIMITED')
    expectError(await call(limits.url, 'clirequestloginotp', {body: {email: MEMBER}}), 'IP_RATE_LIMITED')
    limits.shift(HOUR)
  })

  it('MAX_API_KEYS_REACHED at 20 active keys; keys that expired do not count', async () => {
    const owner = limits.seeded!.owner.apiKey
    for (let i = 0; i < 20; i++) {
      const created = await call(limits.url, 'createorganizationapikeypublic', {
        key: owner,
        body: {
          organizationId: limits.seeded!.organizationId,
          name: `Key ${i}`,
          scopes: ['projects:read'],
          expiresInDays: 1,
        },
      })
      assert.equal(created.status, 200)
    }
    const code = await requestCode(limits.url, 'login', MEMBER)
    expectError(await complete(limits.url, 'login', {email: MEMBER, code}), 'MAX_API_KEYS_REACHED')
    limits.shift(2 * DAY_MS)
    const later = await requestCode(limits.url, 'login', MEMBER)
    assert.equal((await complete(limits.url, 'login', {email: MEMBER, code: later})).status, 200)
  })
})

describe('restart and faults', () => {
  it('a restart keeps pending codes pending and used codes used, and the outbox', async () => {
    const {dir, remove} = tempDir()
    const dataFile = join(dir, 'sandbox.db')
    try {
      let first = await startSandbox({port: 0, dataFile, env: {}})
      const used = await requestCode(first.url, 'login', MEMBER)
      assert.equal((await complete(first.url, 'login', {email: MEMBER, code: used})).status, 200)
      const pending = await requestCode(first.url, 'signup', 'restart@example.com')
      const before = await outbox(first.url)
      await first.close()

      first = await startSandbox({port: 0, dataFile, env: {}})
      try {
        assert.deepEqual(await outbox(first.url), before)
        expectError(await complete(first.url, 'login', {email: MEMBER, code: used}), 'OTP_ALREADY_USED')
        assert.equal((await complete(first.url, 'signup', {email: 'restart@example.com', code: pending})).status, 200)
      } finally {
        await first.close()
      }
    } finally {
      remove()
    }
  })

  it('INTERNAL (500) when the sandbox fails inside an OTP endpoint; the error is logged', async () => {
    let failing = false
    const lines: string[] = []
    const broken = await startTestSandbox({
      log: (line) => lines.push(line),
      now: () => {
        if (failing) throw new Error('the clock broke')
        return Date.now()
      },
    })
    try {
      failing = true
      expectError(await call(broken.url, 'clirequestsignupotp', {body: {email: 'x@example.com'}}), 'INTERNAL')
      assert.ok(lines.some((l) => l.includes('the clock broke')))
    } finally {
      failing = false
      await broken.dispose()
    }
  })

  it('the running sandbox records its URL beside its pid; /_sandbox/outbox is GET only and lists newest first', async () => {
    const [pid, url] = readFileSync(`${sandbox.dataFile}.pid`, 'utf8').trim().split('\n')
    assert.equal(Number(pid), process.pid)
    assert.equal(url, sandbox.url)
    const all = await outbox(sandbox.url)
    assert.ok(all.length > 5)
    const times = all.map((m) => Date.parse(m.sentAt))
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest first',
    )
    const one = all[0].email
    assert.ok((await outbox(sandbox.url, one.toUpperCase())).every((m) => m.email === one))
    const post = await call(sandbox.url, '_sandbox/outbox', {body: {}})
    assert.equal(post.status, 405)
    assert.equal(post.headers.get('allow'), 'GET, HEAD')
    assert.equal((await call(sandbox.url, '_sandbox/other', {method: 'GET'})).status, 404)
  })
})

it('every error code of the table was produced', () => {
  assert.deepEqual([...seen].sort(), Object.keys(OTP_ERROR_STATUS).sort())
})
