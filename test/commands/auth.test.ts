// `codika auth …` end to end against the sandbox (real HTTP), the code read from its outbox: each command, the saved
// profile, the raw key absent from every output, and every error code the sandbox answers, as the CLI shows it.
import assert from 'node:assert/strict'
import {statSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'

import {ORGANIZATION_SCOPE_NAMES} from '../../src/lib/scopes.js'
import {
  assertHumanFailure,
  assertJsonFailure,
  assertNoLeak,
  onlyJson,
  readConfig,
  writeConfig,
} from '../helpers/assertions.js'
import {configFile, runCli, tempHomes} from '../helpers/cli.js'
import {complete, latestCode, otherCode, requestCode} from '../helpers/otp.js'
import {call, DAY_MS, startTestSandbox, type TestSandbox} from '../sandbox/helpers.js'

const SECOND = 1000
const OWNER = 'owner@sandbox.codika.local'

let sandbox: TestSandbox
const homes = tempHomes('codika-auth-')
const home = homes.home
let address = 0
const fresh = (name = 'agent') => `${name}-${++address}@example.com`

before(async () => {
  sandbox = await startTestSandbox()
})
after(async () => {
  await sandbox.dispose()
  homes.cleanup()
})

/** Every raw key in the profile file (to prove no output holds one). */
function savedKeys(h: string): string[] {
  return Object.values(readConfig(h).profiles as Record<string, {apiKey: string}>).map((p) => p.apiKey)
}

describe('codika auth against the sandbox', {concurrency: true}, () => {
  it('signup: request (human) → code from `codika sandbox outbox` → complete (human) → whoami with the saved key', async () => {
    const h = home()
    const email = fresh()
    const requested = await runCli(h, ['auth', 'signup-request', '--email', email, '--api-url', sandbox.url])
    assert.equal(requested.code, 0, requested.stderr)
    assert.match(requested.stdout, new RegExp(`^✓ Code sent to ${email} \\(valid for 10 minutes\\)$`, 'm'))
    assert.match(
      requested.stdout,
      new RegExp(
        `^ {2}Next: codika auth signup-complete --email ${email} --code <code> --base-url ${sandbox.url}$`,
        'm',
      ),
    )
    assert.equal(requested.stderr, '')

    // The outbox of the running sandbox, through its data file: the CLI asks the sandbox that holds it.
    const box = await runCli(h, ['sandbox', 'outbox', '--data', sandbox.dataFile, '--email', email, '--json'])
    assert.equal(box.code, 0, box.stderr)
    const boxDoc = onlyJson(box)
    assert.equal(boxDoc.source, 'sandbox')
    assert.equal(boxDoc.url, sandbox.url)
    assert.equal(boxDoc.messages.length, 1)
    const {code} = boxDoc.messages[0]
    assert.equal(code, await latestCode(sandbox.url, email))

    const args = ['auth', 'signup-complete', '--email', email, '--code', code, '--company', 'Acme Agents']
    const done = await runCli(h, [...args, '--key-expires-in', '30', '--base-url', sandbox.url])
    assert.equal(done.code, 0, done.stderr)
    assert.equal(done.stderr, '')
    assert.match(done.stdout, /^✓ Signed up: organization "Acme Agents" created, with a key for it$/m)
    assert.match(done.stdout, /^ {2}Key: +cko_.{4}….{4}$/m)
    assert.match(done.stdout, /^ {2}Saved as profile "acme-agents" \(now active\)$/m)
    assert.match(done.stdout, /^ {2}Next: codika whoami$/m)

    const file = readConfig(h)
    assert.equal(file.activeProfile, 'acme-agents')
    const profile = file.profiles['acme-agents']
    assert.deepEqual(Object.keys(profile).sort(), [
      'apiKey',
      'baseUrl',
      'createdAt',
      'expiresAt',
      'keyId',
      'keyName',
      'keyPrefix',
      'organizationId',
      'organizationName',
      'scopes',
      'type',
    ])
    assert.equal(profile.type, 'org-api-key')
    assert.equal(profile.organizationName, 'Acme Agents')
    assert.equal(profile.keyName, 'CLI default key')
    assert.equal(profile.keyPrefix, profile.apiKey.slice(0, 12))
    assert.deepEqual(profile.scopes, ORGANIZATION_SCOPE_NAMES)
    assert.equal(Date.parse(profile.expiresAt) - Date.parse(profile.createdAt), 30 * DAY_MS)
    assert.equal(profile.baseUrl, sandbox.url)
    assert.equal(statSync(configFile(h)).mode & 0o777, 0o600)
    assertNoLeak(done, [profile.apiKey, code])

    const whoami = await runCli(h, ['whoami', '--json'])
    assert.equal(whoami.code, 0, whoami.stderr)
    const doc = onlyJson(whoami)
    assert.equal(doc.data.type, 'org-api-key')
    assert.equal(doc.data.organizationId, profile.organizationId)
    assert.equal(doc.profile, 'acme-agents')
  })

  it('signup --json: one document, the key masked and never raw; --name and --key-name; the organization is the user’s', async () => {
    const h = home()
    const email = fresh()
    const request = await runCli(h, ['auth', 'signup-request', '--email', email, '--base-url', sandbox.url, '--json'])
    assert.equal(request.code, 0, request.stderr)
    const requestDoc = onlyJson(request)
    assert.deepEqual(requestDoc.data, {email, expiresInSeconds: 600})
    assert.match(requestDoc.requestId, /^req_/)
    assert.equal(
      requestDoc.next,
      `codika auth signup-complete --email ${email} --code <code> --base-url ${sandbox.url}`,
    )
    assert.equal(request.stderr, '')

    const code = await latestCode(sandbox.url, email)
    const done = await runCli(h, [
      'auth',
      'signup-complete',
      '--email',
      email,
      '--code',
      code,
      '--company',
      'JSON Corp',
      '--description',
      'For scripts',
      '--key-name',
      'Agent key',
      '--name',
      'agent',
      '--base-url',
      sandbox.url,
      '--json',
    ])
    assert.equal(done.code, 0, done.stderr)
    assert.equal(done.stderr, '')
    const doc = onlyJson(done)
    const [raw] = savedKeys(h)
    assert.ok(raw.startsWith('cko_'))
    assertNoLeak(done, [raw, code])
    assert.equal(doc.success, true)
    assert.equal(doc.profile, 'agent')
    assert.equal(doc.action, 'created')
    assert.equal(doc.data.organizationName, 'JSON Corp')
    assert.equal(doc.data.isNewUser, true)
    assert.equal('raw' in doc.data.apiKey, false)
    assert.equal(doc.data.apiKey.name, 'Agent key')
    assert.equal(doc.data.apiKey.keyPrefix, raw.slice(0, 12))
    assert.equal(doc.data.apiKey.maskedKey, doc.maskedKey)
    assert.equal(doc.baseUrl, sandbox.url)
    assert.equal(doc.next, 'codika whoami')
    assert.equal('unsavedKey' in doc, false)
    assert.deepEqual(doc.warnings, [])
    assert.equal(readConfig(h).activeProfile, 'agent')
  })

  it('login-complete: MULTIPLE_ORGANIZATIONS lists them and names the command; the same code then works with --organization-id', async () => {
    const h = home()
    const created = await call(sandbox.url, 'createorganizationviaapikey', {
      key: sandbox.seeded!.owner.apiKey,
      body: {name: 'Second Org'},
    })
    const second = created.body.data.organizationId as string
    const requested = await runCli(h, ['auth', 'login-request', '--email', OWNER, '--base-url', sandbox.url])
    assert.equal(requested.code, 0, requested.stderr)
    assert.match(
      requested.stdout,
      /Next: codika auth login-complete --email owner@sandbox\.codika\.local --code <code>/,
    )
    const code = await latestCode(sandbox.url, OWNER)

    const args = [
      'auth',
      'login-complete',
      '--email',
      OWNER,
      '--code',
      code,
      '--key-name',
      'Owner agent',
      '--base-url',
      sandbox.url,
    ]
    const [human, json] = await Promise.all([runCli(h, args), runCli(h, [...args, '--json'])])
    assertHumanFailure(human, 1, /belongs to 2 organizations/)
    assert.match(human.stderr, /^Code: MULTIPLE_ORGANIZATIONS$/m)
    assert.match(human.stderr, /^Next: .+/m)
    assert.match(
      human.stderr,
      new RegExp(
        `^Organizations:\\n {2}${sandbox.seeded!.organizationId} {2}Sandbox Org\\n {2}${second} {2}Second Org$`,
        'm',
      ),
    )
    const rerun = `codika auth login-complete --email ${OWNER} --code <code> --key-name 'Owner agent' --base-url ${sandbox.url} --organization-id <id>`
    assert.ok(human.stderr.includes(rerun), human.stderr)
    const doc = assertJsonFailure(json, 1, 'API_ERROR')
    assert.equal(doc.error.platformCode, 'MULTIPLE_ORGANIZATIONS')
    assert.equal(doc.error.status, 409)
    assert.equal(typeof doc.error.nextAction, 'string')
    assert.deepEqual(doc.error.details, {
      organizations: [
        {id: sandbox.seeded!.organizationId, name: 'Sandbox Org'},
        {id: second, name: 'Second Org'},
      ],
    })
    assert.ok(doc.error.hint.includes(rerun))
    for (const r of [human, json]) assertNoLeak(r, [code])

    const done = await runCli(h, [...args, '--organization-id', second])
    assert.equal(done.code, 0, done.stderr)
    assert.match(done.stdout, /^✓ Logged in: a new key for organization "Second Org"$/m)
    assert.match(done.stdout, /Saved as profile "second-org" \(now active\)/)
    assertNoLeak(done, [...savedKeys(h), code])
    assert.equal(readConfig(h).profiles['second-org'].keyName, 'Owner agent')
  })

  it('login-complete --json for a user of one organization; a --name that holds a key is refused before the code is sent (it stays valid)', async () => {
    const h = home()
    const email = 'member@sandbox.codika.local'
    writeConfig(h, {activeProfile: 'taken', profiles: {taken: {apiKey: 'cko_other', type: 'org-api-key'}}})
    const code = await requestCode(sandbox.url, 'login', email)
    const args = ['auth', 'login-complete', '--email', email, '--code', code, '--base-url', sandbox.url, '--json']
    const refused = await runCli(h, [...args, '--name', 'taken'])
    const error = assertJsonFailure(refused, 2, 'PROFILE_EXISTS')
    assert.match(error.error.message, /the code was not sent/)
    assert.equal(readConfig(h).profiles.taken.apiKey, 'cko_other')

    const done = await runCli(h, args)
    assert.equal(done.code, 0, done.stderr)
    const doc = onlyJson(done)
    assert.equal(doc.data.organizationName, 'Sandbox Org')
    assert.equal('isNewUser' in doc.data, false)
    assert.equal(doc.profile, 'sandbox-org')
    assertNoLeak(done, [...savedKeys(h), code])
    const file = readConfig(h)
    assert.equal(file.activeProfile, 'sandbox-org')
    assert.equal(file.profiles.taken.apiKey, 'cko_other', 'the other profile is untouched')
  })
})

type Mode = 'human' | 'json' | 'both'

/**
 * Runs a command that the platform refuses, in human mode, --json, or both: the platform's code, nextAction and
 * hint shown (human) and kept (--json), with the HTTP status; no secret in any output.
 */
async function showsError(
  args: string[],
  code: string,
  status: number,
  {mode = 'json', secrets = []}: {mode?: Mode; secrets?: string[]} = {},
): Promise<{human?: Awaited<ReturnType<typeof runCli>>; doc?: any}> {
  const h = home()
  const [human, json] = await Promise.all([
    mode === 'json' ? undefined : runCli(h, args),
    mode === 'human' ? undefined : runCli(h, [...args, '--json']),
  ])
  let doc: any
  if (human) {
    assertHumanFailure(human, 1, new RegExp(`\\(HTTP ${status}\\)`))
    assert.match(human.stderr, new RegExp(`^Code: ${code}$`, 'm'), human.stderr)
    assert.match(human.stderr, /^Next: .+$/m)
    assert.match(human.stderr, /^Hint: .+$/m)
    assertNoLeak(human, secrets)
  }
  if (json) {
    doc = assertJsonFailure(json, 1, 'API_ERROR')
    assert.equal(doc.error.platformCode, code)
    assert.equal(doc.error.status, status)
    // The platform's message exactly as it came: the status is its own field, not words added to it.
    assert.doesNotMatch(doc.error.message, /\(HTTP \d+\)/)
    assert.equal(typeof doc.error.nextAction, 'string')
    assert.equal(typeof doc.error.hint, 'string')
    assertNoLeak(json, secrets)
  }
  return {human, doc}
}

describe('every error code the sandbox answers, as the CLI shows it', {concurrency: true}, () => {
  const request = (purpose: 'signup' | 'login', email: string) => [
    'auth',
    `${purpose}-request`,
    '--email',
    email,
    '--base-url',
    sandbox.url,
  ]
  const completeArgs = (purpose: 'signup' | 'login', email: string, code: string, ...more: string[]) => [
    'auth',
    `${purpose}-complete`,
    '--email',
    email,
    '--code',
    code,
    '--base-url',
    sandbox.url,
    ...more,
  ]

  it('USER_ALREADY_HAS_ORGANIZATION (the hint: log in instead)', async () => {
    const {doc} = await showsError(request('signup', OWNER), 'USER_ALREADY_HAS_ORGANIZATION', 409)
    assert.equal(
      doc.error.hint,
      `This address has an organization already: log in instead with codika auth login-request --email ${OWNER} --base-url ${sandbox.url}`,
    )
  })

  it('USER_NOT_FOUND (the hint: sign up instead)', async () => {
    const email = fresh()
    const {human} = await showsError(request('login', email), 'USER_NOT_FOUND', 404, {mode: 'human'})
    assert.match(human!.stderr, new RegExp(`^Hint: .*codika auth signup-request --email ${email} `, 'm'))
  })

  it('ORGANIZATION_CREATION_FAILED (the code stays valid: re-run with another --company), then USER_HAS_NO_ORGANIZATION', async () => {
    const email = fresh()
    const code = await requestCode(sandbox.url, 'signup', email)
    const {doc} = await showsError(
      completeArgs('signup', email, code, '--company', 'X'),
      'ORGANIZATION_CREATION_FAILED',
      400,
      {
        secrets: [code],
      },
    )
    assert.match(
      doc.error.hint,
      new RegExp(`codika auth signup-complete --email ${email} --code <code> --base-url \\S+ --company <company name>`),
    )
    await showsError(request('login', email), 'USER_HAS_NO_ORGANIZATION', 409, {mode: 'human'})
  })

  it('OTP_RESEND_COOLDOWN says the seconds', async () => {
    const email = fresh()
    await requestCode(sandbox.url, 'signup', email)
    const {human, doc} = await showsError(request('signup', email), 'OTP_RESEND_COOLDOWN', 429, {mode: 'both'})
    const seconds = doc.error.details.retryInSeconds
    assert.ok(seconds > 0 && seconds <= 30)
    assert.match(human!.stderr, /^Error: .*\(HTTP 429\)$/m)
    assert.doesNotMatch(doc.error.message, /retry in/, 'the seconds are in the details, not added to the message')
    assert.match(human!.stderr, /^Retry in: \d+ s$/m)
    assert.match(doc.error.hint, /^Wait \d+ seconds, then run codika auth signup-request --email /)
  })

  it('OTP_INVALID (tries left), then OTP_LOCKED_OUT', async () => {
    const email = fresh()
    const code = await requestCode(sandbox.url, 'signup', email)
    const wrong = otherCode(code)
    const {human, doc} = await showsError(completeArgs('signup', email, wrong), 'OTP_INVALID', 400, {
      mode: 'both',
      secrets: [wrong],
    })
    assert.ok([3, 4].includes(doc.error.details.attemptsRemaining))
    assert.match(human!.stderr, /^Tries left: [34]$/m)
    for (let i = 0; i < 3; i++) await complete(sandbox.url, 'signup', {email, code: wrong})
    const locked = await showsError(completeArgs('signup', email, code), 'OTP_LOCKED_OUT', 429, {secrets: [code]})
    assert.match(
      locked.doc.error.hint,
      new RegExp(`^Request a new code: codika auth signup-request --email ${email} --base-url `),
    )
  })

  it('OTP_NOT_FOUND, and OTP_PURPOSE_MISMATCH (the hint names the other complete)', async () => {
    const email = fresh()
    await showsError(completeArgs('signup', email, '123456'), 'OTP_NOT_FOUND', 404, {mode: 'human'})
    const code = await requestCode(sandbox.url, 'signup', email)
    const mismatch = await showsError(completeArgs('login', email, code), 'OTP_PURPOSE_MISMATCH', 409, {
      secrets: [code],
    })
    assert.match(
      mismatch.doc.error.hint,
      new RegExp(`use it with codika auth signup-complete --email ${email} --code <code>`),
    )
  })

  it('ORGANIZATION_NOT_MEMBER lists the organizations', async () => {
    const email = 'admin@sandbox.codika.local'
    const code = await requestCode(sandbox.url, 'login', email)
    const args = completeArgs('login', email, code, '--organization-id', 'org_elsewhere')
    const {human, doc} = await showsError(args, 'ORGANIZATION_NOT_MEMBER', 403, {mode: 'both', secrets: [code]})
    assert.deepEqual(doc.error.details.organizations, [{id: sandbox.seeded!.organizationId, name: 'Sandbox Org'}])
    assert.match(human!.stderr, /^Organizations:\n {2}org_\S+ {2}Sandbox Org$/m)
  })
})

describe('errors that need the sandbox clock or a fault (a sandbox of their own)', () => {
  let clocked: TestSandbox
  let failing = false
  let offset = 0
  before(async () => {
    clocked = await startTestSandbox({
      now: () => {
        if (failing) throw new Error('injected fault')
        return Date.now() + offset
      },
    })
  })
  after(async () => {
    await clocked.dispose()
  })
  const args = (command: string, email: string, ...more: string[]) => [
    'auth',
    command,
    '--email',
    email,
    '--base-url',
    clocked.url,
    ...more,
  ]

  it('OTP_EXPIRED after 10 minutes; OTP_ALREADY_USED for a code a login used', async () => {
    const email = fresh()
    const code = await requestCode(clocked.url, 'signup', email)
    offset += 601 * SECOND
    await showsError(args('signup-complete', email, '--code', code), 'OTP_EXPIRED', 410, {
      mode: 'human',
      secrets: [code],
    })
    const used = await requestCode(clocked.url, 'login', 'member@sandbox.codika.local')
    assert.equal((await complete(clocked.url, 'login', {email: 'member@sandbox.codika.local', code: used})).status, 200)
    await showsError(args('login-complete', 'member@sandbox.codika.local', '--code', used), 'OTP_ALREADY_USED', 409, {
      secrets: [used],
    })
  })

  it('EMAIL_RATE_LIMITED after 20 codes an hour', async () => {
    const email = fresh()
    for (let i = 0; i < 20; i++) {
      assert.equal((await call(clocked.url, 'clirequestsignupotp', {body: {email}})).status, 200)
      offset += 31 * SECOND
    }
    await showsError(args('signup-request', email), 'EMAIL_RATE_LIMITED', 429)
  })

  it('IP_RATE_LIMITED after 60 codes an hour from this machine', async () => {
    offset += 2 * 3_600_000
    for (let i = 0; i < 60; i++)
      assert.equal((await call(clocked.url, 'clirequestsignupotp', {body: {email: fresh('ip')}})).status, 200)
    await showsError(args('signup-request', fresh()), 'IP_RATE_LIMITED', 429, {mode: 'human'})
    offset += 2 * 3_600_000
  })

  it('MAX_API_KEYS_REACHED at 20 active keys', async () => {
    for (let i = 0; i < 20; i++) {
      const created = await call(clocked.url, 'createorganizationapikeypublic', {
        key: clocked.seeded!.owner.apiKey,
        body: {organizationId: clocked.seeded!.organizationId, name: `Key ${i}`, scopes: ['projects:read']},
      })
      assert.equal(created.status, 200)
    }
    offset += 31 * SECOND
    const email = 'member@sandbox.codika.local'
    const code = await requestCode(clocked.url, 'login', email)
    await showsError(args('login-complete', email, '--code', code), 'MAX_API_KEYS_REACHED', 429, {secrets: [code]})
  })

  it('INTERNAL when the platform fails', async () => {
    failing = true
    try {
      await showsError(args('signup-request', fresh()), 'INTERNAL', 500, {mode: 'human'})
    } finally {
      failing = false
    }
  })
})
