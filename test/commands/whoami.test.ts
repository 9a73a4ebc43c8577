// `codika whoami` end to end: every row of SPEC.md's key/URL table, rejected keys, no platform, expiry, no raw key.
import assert from 'node:assert/strict'
import type {ServerResponse} from 'node:http'
import {after, before, describe, it} from 'node:test'

import {assertJsonFailure, assertNoLeak, onlyJson, writeConfig} from '../helpers/assertions.js'
import {runCli, tempHomes} from '../helpers/cli.js'
import {
  closedPort,
  errorEnvelope,
  type FakePlatform,
  json,
  okEnvelope,
  type RecordedRequest,
  startFakePlatform,
} from '../helpers/fake-platform.js'
import {startRecordingProxy} from '../helpers/proxy.js'

const ACTIVE_KEY = 'cko_Act1veKey0123456789SecretAAAA'
const OTHER_KEY = 'ckp_OtherKey0123456789SecretBBBB'
const FLAG_KEY = 'ckp_FlagKey01234567890SecretCCCC'
const ENV_KEY = 'cka_EnvKey012345678901SecretDDDD'
const SECRETS = [ACTIVE_KEY, OTHER_KEY, FLAG_KEY, ENV_KEY]

/** What the platform knows about each key; anything else is rejected as the real one does (401). */
const KNOWN: Record<string, object> = {
  [ACTIVE_KEY]: {
    type: 'org-api-key',
    keyName: 'CI Deploy Key',
    organizationId: 'org_1',
    organizationName: 'Acme Corp',
    scopes: ['deploy:use-case'],
  },
  [OTHER_KEY]: {type: 'personal-api-key', keyName: 'Jane', scopes: ['organizations:create', 'api-keys:manage']},
  [FLAG_KEY]: {type: 'personal-api-key', keyName: 'Flag Key'},
  [ENV_KEY]: {type: 'admin-api-key', keyName: 'Env Key'},
}
function verify(req: RecordedRequest, res: ServerResponse) {
  const data = KNOWN[String(req.headers['x-process-manager-key'])]
  if (data) json(res, 200, okEnvelope(data, `req-${req.url.split('/')[1]}`))
  else json(res, 401, errorEnvelope('Invalid API key', 'req-rejected'))
}

let platform: FakePlatform
const homes = tempHomes()
let routes = 0
function route(): {url: string; prefix: string} {
  const prefix = `w${++routes}`
  return {url: platform.route(prefix, verify), prefix}
}

/** A home with two profiles on two routes of their own: `main` (active) and `other`. */
function setup() {
  const home = homes.home()
  const main = route()
  const other = route()
  writeConfig(home, {
    activeProfile: 'main',
    profiles: {
      main: {
        apiKey: ACTIVE_KEY,
        type: 'org-api-key',
        organizationId: 'org_1',
        organizationName: 'Acme Corp',
        keyName: 'CI Deploy Key',
        baseUrl: main.url,
      },
      other: {apiKey: OTHER_KEY, type: 'personal-api-key', keyName: 'Jane', baseUrl: other.url},
    },
  })
  return {home, main, other}
}

/** whoami --json, checked for success, one document and no raw key; returns the document. */
async function whoami(home: string, args: string[], env: Record<string, string> = {}) {
  const result = await runCli(home, ['whoami', '--json', ...args], {env})
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`)
  assertNoLeak(result, SECRETS)
  return onlyJson(result)
}

before(async () => {
  platform = await startFakePlatform(verify)
})
after(async () => {
  await platform.close()
  homes.cleanup()
})

describe('whoami: which row gave the key and the URL', {concurrency: true}, () => {
  it('row 5: the active profile, and its URL', async () => {
    const {home, main} = setup()
    const doc = await whoami(home, [])
    assert.deepEqual(doc, {
      success: true,
      verified: true,
      loggedIn: true,
      data: KNOWN[ACTIVE_KEY],
      requestId: `req-${main.prefix}`,
      maskedKey: 'cko_Act1…AAAA',
      profile: 'main',
      keySource: 'active-profile',
      keySourceLabel: 'profile "main" (active)',
      baseUrl: main.url,
      urlSource: 'profile',
      urlSourceLabel: 'profile "main"',
      source: 'profile "main"',
      profileName: 'main',
      expiryStatus: null,
      // 3.6.0's layout: the verify answer's fields at the top level too.
      ...KNOWN[ACTIVE_KEY],
      warnings: [],
    })
    assert.equal(platform.requestsTo(main.prefix)[0].headers['x-process-manager-key'], ACTIVE_KEY)
  })

  it('row 1: --api-key and --api-url', async () => {
    const {home, main} = setup()
    const elsewhere = route()
    const doc = await whoami(home, ['--api-key', FLAG_KEY, '--api-url', elsewhere.url])
    assert.equal(doc.keySource, 'flag')
    assert.equal(doc.keySourceLabel, '--api-key')
    assert.equal(doc.urlSource, 'flag')
    assert.equal(doc.urlSourceLabel, '--api-url')
    assert.equal(doc.profile, null)
    assert.equal(doc.source, 'flag')
    assert.equal(doc.profileName, null)
    assert.equal(doc.data.keyName, 'Flag Key')
    assert.equal(doc.keyName, 'Flag Key')
    assert.equal(platform.requestsTo(elsewhere.prefix).length, 1)
    assert.equal(platform.requestsTo(main.prefix).length, 0)
  })

  it('row 1 key with row 5 URL: --api-key alone goes to the active profile’s URL', async () => {
    const {home, main} = setup()
    const doc = await whoami(home, ['--api-key', FLAG_KEY])
    assert.equal(doc.keySource, 'flag')
    assert.equal(doc.urlSource, 'profile')
    assert.equal(doc.urlSourceLabel, 'profile "main"')
    assert.equal(platform.requestsTo(main.prefix)[0].headers['x-process-manager-key'], FLAG_KEY)
  })

  it('row 2: --profile, with that profile’s URL (or --api-url)', async () => {
    const {home, other} = setup()
    const doc = await whoami(home, ['--profile', 'other'])
    assert.equal(doc.keySource, 'profile-flag')
    assert.equal(doc.keySourceLabel, 'profile "other" (--profile)')
    assert.equal(doc.source, 'profile "other"')
    assert.equal(doc.profileName, 'other')
    assert.equal(doc.urlSource, 'profile')
    assert.equal(doc.urlSourceLabel, 'profile "other"')
    assert.equal(doc.profile, 'other')
    assert.equal(doc.baseUrl, other.url)

    const elsewhere = route()
    const flagged = await whoami(home, ['-p', 'other', '--api-url', elsewhere.url])
    assert.equal(flagged.keySource, 'profile-flag')
    assert.equal(flagged.urlSource, 'flag')
    assert.equal(platform.requestsTo(elsewhere.prefix)[0].headers['x-process-manager-key'], OTHER_KEY)
  })

  it('row 3: CODIKA_API_KEY with CODIKA_BASE_URL', async () => {
    const {home, main} = setup()
    const env = route()
    const doc = await whoami(home, [], {CODIKA_API_KEY: ENV_KEY, CODIKA_BASE_URL: env.url})
    assert.equal(doc.keySource, 'env')
    assert.equal(doc.keySourceLabel, 'CODIKA_API_KEY')
    assert.equal(doc.source, 'env (CODIKA_API_KEY)')
    assert.equal(doc.profileName, null)
    assert.equal(doc.urlSource, 'env')
    assert.equal(doc.urlSourceLabel, 'CODIKA_BASE_URL')
    assert.equal(doc.profile, null)
    assert.equal(platform.requestsTo(env.prefix).length, 1)
    assert.equal(platform.requestsTo(main.prefix).length, 0)
  })

  it('row 4: CODIKA_PROFILE, with that profile’s URL; CODIKA_BASE_URL beats the profile’s URL', async () => {
    const {home, other} = setup()
    const doc = await whoami(home, [], {CODIKA_PROFILE: 'other'})
    assert.equal(doc.keySource, 'env-profile')
    assert.equal(doc.keySourceLabel, 'profile "other" (CODIKA_PROFILE)')
    assert.equal(doc.source, 'profile "other"')
    assert.equal(doc.urlSource, 'profile')
    assert.equal(doc.baseUrl, other.url)

    const env = route()
    const overridden = await whoami(home, [], {CODIKA_PROFILE: 'other', CODIKA_BASE_URL: env.url})
    assert.equal(overridden.keySource, 'env-profile')
    assert.equal(overridden.urlSource, 'env')
    assert.equal(platform.requestsTo(env.prefix)[0].headers['x-process-manager-key'], OTHER_KEY)
  })

  it('production by default: CODIKA_API_KEY never goes to a profile’s URL (seen through a proxy that refuses it)', async () => {
    const {home, main} = setup()
    const proxy = await startRecordingProxy({tunnel: () => false})
    try {
      const result = await runCli(home, ['whoami', '--json'], {env: {CODIKA_API_KEY: ENV_KEY, HTTPS_PROXY: proxy.url}})
      const doc = assertJsonFailure(result, 1, 'NETWORK_ERROR')
      assert.equal(doc.keySource, 'env')
      assert.equal(doc.urlSource, 'default')
      assert.equal(doc.urlSourceLabel, 'production (default)')
      assert.equal(doc.baseUrl, 'https://api.codika.io')
      assert.equal(doc.verified, false)
      // verify is retried once after a network error; every attempt went to production, nowhere else.
      assert.ok(proxy.requests.length >= 1)
      assert.deepEqual(new Set(proxy.requests.map((r) => r.target)), new Set(['api.codika.io:443']))
      assert.equal(platform.requestsTo(main.prefix).length, 0)
      assertNoLeak(result, SECRETS)
    } finally {
      await proxy.close()
    }
  })

  it('an unknown --profile or CODIKA_PROFILE, and no key at all: exit 2, nothing sent', async () => {
    const {home, main} = setup()
    const unknown = assertJsonFailure(
      await runCli(home, ['whoami', '--json', '--profile', 'nope']),
      2,
      'PROFILE_NOT_FOUND',
    )
    assert.match(unknown.error.hint, /main, other/)
    assert.equal(unknown.loggedIn, false)
    assertJsonFailure(await runCli(home, ['whoami', '--json'], {env: {CODIKA_PROFILE: 'nope'}}), 2, 'PROFILE_NOT_FOUND')
    const none = await runCli(homes.home(), ['whoami'])
    assert.equal(none.code, 2)
    assert.match(none.stderr, /Error: No API key to use\./)
    // 3.6.0 printed {"loggedIn": false}: our error document carries it beside the error, with our exit code.
    const noneJson = assertJsonFailure(await runCli(homes.home(), ['whoami', '--json']), 2, 'NO_API_KEY')
    assert.deepEqual(Object.keys(noneJson), ['success', 'error', 'requestId', 'loggedIn'])
    assert.equal(noneJson.loggedIn, false)
    assert.equal(platform.requestsTo(main.prefix).length, 0)
  })
})

describe('whoami: human output, failures and expiry', {concurrency: true}, () => {
  it('shows organization, key name, type, masked key, scopes, expiry, profile and both sources', async () => {
    const {home, main} = setup()
    const result = await runCli(home, ['whoami'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.equal(
      result.stdout,
      [
        '✓ Key verified',
        '',
        '  Organization:  Acme Corp (org_1)',
        '  Key name:      CI Deploy Key',
        '  Type:          org-api-key',
        '  Key:           cko_Act1…AAAA',
        '  Scopes:        deploy:use-case',
        '  Expires:       never',
        '  Profile:       main',
        '  Key from:      profile "main" (active)',
        `  URL:           ${main.url}`,
        '  URL from:      profile "main"',
        `  Request ID:    req-${main.prefix}`,
        '',
      ].join('\n'),
    )
  })

  it('a rejected key: exit 1 "key rejected" with the platform message, cached details marked unverified', async () => {
    const {home} = setup()
    const rejected = 'cko_Rejected0123456789SecretEEEE'
    writeConfig(home, {
      activeProfile: 'gone',
      profiles: {
        gone: {
          apiKey: rejected,
          type: 'org-api-key',
          organizationName: 'Old Org',
          organizationId: 'org_9',
          keyName: 'Revoked',
          baseUrl: route().url,
        },
      },
    })
    const human = await runCli(home, ['whoami'])
    assert.equal(human.code, 1)
    assert.match(human.stderr, /^Error: Key rejected by the platform: Invalid API key \(HTTP 401\)$/m)
    assert.match(human.stderr, /Request ID: req-rejected/)
    assert.match(human.stdout, /Unverified/)
    assert.match(human.stdout, /Organization:\s+Old Org \(org_9\)/)
    assert.match(human.stdout, /Key:\s+cko_Reje…EEEE/)
    assert.doesNotMatch(human.stdout, /✓/)
    assertNoLeak(human, [rejected])

    const result = await runCli(home, ['whoami', '--json'])
    const doc = assertJsonFailure(result, 1, 'KEY_REJECTED')
    assert.equal(doc.error.message, 'Invalid API key', 'the platform’s message, exactly')
    assert.equal(doc.error.status, 401)
    assert.equal(doc.requestId, 'req-rejected')
    assert.equal(doc.verified, false)
    assert.equal(doc.loggedIn, true)
    assert.equal(doc.profile, 'gone')
    assert.equal(doc.profileName, 'gone')
    assert.equal(doc.source, 'profile "gone"')
    assert.equal(doc.maskedKey, 'cko_Reje…EEEE')
    const details = {type: 'org-api-key', keyName: 'Revoked', organizationId: 'org_9', organizationName: 'Old Org'}
    assert.equal(doc.cached, true)
    assert.deepEqual(doc.cachedDetails, details)
    // 3.6.0's layout: the saved profile's (key-free) details at the top level.
    for (const [field, value] of Object.entries(details)) assert.equal(doc[field], value, field)
    assert.equal(doc.apiKey, undefined)
    assertNoLeak(result, [rejected])
  })

  it('server down: exit 1 with the cached details marked unverified', async () => {
    const {home} = setup()
    const port = await closedPort()
    const human = await runCli(home, ['whoami', '--api-url', `http://127.0.0.1:${port}`])
    assert.equal(human.code, 1)
    assert.match(human.stderr, /Error: Network error: connection refused/)
    assert.match(human.stdout, /Unverified/)
    assert.match(human.stdout, /Organization:\s+Acme Corp \(org_1\)/)
    assert.match(human.stdout, /URL from:\s+--api-url/)

    const result = await runCli(home, ['whoami', '--json', '--api-url', `http://127.0.0.1:${port}`])
    const doc = assertJsonFailure(result, 1, 'NETWORK_ERROR')
    assert.equal(doc.verified, false)
    assert.equal(doc.loggedIn, true)
    assert.equal(doc.cached, true)
    assert.equal(doc.cachedDetails.organizationName, 'Acme Corp')
    assert.equal(doc.organizationName, 'Acme Corp')
    assert.equal(doc.keySource, 'active-profile')
    assert.equal(doc.urlSource, 'flag')
    assertNoLeak(result, SECRETS)
  })

  it('a key from --api-key that a profile also holds shows that profile’s cached details when unverified', async () => {
    const {home} = setup()
    const port = await closedPort()
    const doc = assertJsonFailure(
      await runCli(home, ['whoami', '--json', '--api-key', OTHER_KEY, '--api-url', `http://127.0.0.1:${port}`]),
      1,
      'NETWORK_ERROR',
    )
    assert.equal(doc.profile, null)
    assert.equal(doc.cached, true)
    assert.equal(doc.cachedDetails.keyName, 'Jane')

    const unknownKey = assertJsonFailure(
      await runCli(home, ['whoami', '--json', '--api-key', FLAG_KEY, '--api-url', `http://127.0.0.1:${port}`]),
      1,
      'NETWORK_ERROR',
    )
    assert.equal(unknownKey.loggedIn, true)
    assert.equal(unknownKey.cached, false, 'no saved profile knows that key')
    assert.equal(unknownKey.cachedDetails, null)
    assert.equal(unknownKey.keyName, undefined)
  })

  it('a key expiring within 7 days: the date, "in N days" and a warning on stderr (also for a key in no profile)', async () => {
    const {home} = setup()
    const soonKey = 'ckp_SoonKey0123456789SecretFFFF'
    const soon = new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString()
    const prefix = `w${++routes}`
    const url = platform.route(prefix, {
      status: 200,
      json: okEnvelope({type: 'personal-api-key', keyName: 'Soon', expiresAt: soon}),
    })
    const result = await runCli(home, ['whoami', '--api-key', soonKey, '--api-url', url])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Expires:\s+\S+ \(in 3 days\)/)
    assert.match(result.stderr, /^Warning: The key in use expires in 3 day\(s\), on /m)

    const doc = await whoami(home, ['--api-key', soonKey, '--api-url', url])
    assert.equal(doc.expiryStatus, 'expiring')
    assert.equal(doc.warnings.length, 1)
  })

  it('an expired key: EXPIRED, and warned about from the cached profile even when the platform rejects it', async () => {
    const {home} = setup()
    const expiredKey = 'cko_Expired0123456789SecretGGGG'
    const prefix = `w${++routes}`
    const url = platform.route(prefix, {status: 401, json: errorEnvelope('API key expired')})
    writeConfig(home, {
      activeProfile: 'old',
      profiles: {old: {apiKey: expiredKey, type: 'org-api-key', expiresAt: '2020-01-01T00:00:00.000Z', baseUrl: url}},
    })
    const result = await runCli(home, ['whoami'])
    assert.equal(result.code, 1)
    assert.match(result.stdout, /Expires:\s+1\/1\/2020 \(EXPIRED\)/)
    assert.match(result.stderr, /Warning: The key of profile "old" expired on 2020-01-01T00:00:00.000Z\./)
    assert.match(result.stderr, /Error: Key rejected by the platform: API key expired/)
  })
})
