// `codika login` end to end: the spawned CLI against a scriptable platform on 127.0.0.1, piped stdin, real files.
import assert from 'node:assert/strict'
import {statSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'

import {assertJsonFailure, assertNoLeak, fileBytes, onlyJson, readConfig, writeConfig} from '../helpers/assertions.js'
import {configFile, runCli, tempHomes} from '../helpers/cli.js'
import {closedPort, errorEnvelope, type FakePlatform, okEnvelope, startFakePlatform} from '../helpers/fake-platform.js'

const ORG_KEY = 'cko_AbCd1234SecretOrgKeyMiddle0wxyz'
const OTHER_ORG_KEY = 'cko_EfGh5678AnotherOrgKeyMiddle9stu'
const PERSONAL_KEY = 'ckp_PeRs0nal1234SecretPersonal5678'
const ORG_DATA = {
  type: 'org-api-key',
  keyName: 'CI Deploy Key',
  keyPrefix: 'cko_AbCd1234',
  scopes: ['deploy:use-case', 'workflows:trigger'],
  organizationId: 'org_1',
  organizationName: 'Acme Corp',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2099-01-01T00:00:00.000Z',
  lastUsedAt: '2026-02-01T00:00:00.000Z',
}
const PERSONAL_DATA = {
  type: 'personal-api-key',
  keyName: "Jane's Laptop",
  keyPrefix: 'ckp_PeRs0nal',
  scopes: ['organizations:create'],
}

let platform: FakePlatform
const homes = tempHomes()
const home = homes.home
let routes = 0
/** A route of its own on the shared platform, answering verify with `data` (or the given replies). */
function verifies(data: unknown): {url: string; prefix: string} {
  const prefix = `r${++routes}`
  return {url: platform.route(prefix, {status: 200, json: okEnvelope(data)}), prefix}
}

before(async () => {
  platform = await startFakePlatform({status: 500, json: errorEnvelope('no route')})
})
after(async () => {
  await platform.close()
  homes.cleanup()
})

describe('login: verified', {concurrency: true}, () => {
  it('verifies the key with one POST to verifyapikey and saves what the platform said, active, with the URL', async () => {
    const h = home()
    const {url, prefix} = verifies(ORG_DATA)
    const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')

    const requests = platform.requestsTo(prefix)
    assert.equal(requests.length, 1)
    assert.equal(requests[0].method, 'POST')
    assert.equal(requests[0].url, `/${prefix}/verifyapikey`)
    assert.equal(requests[0].headers['x-process-manager-key'], ORG_KEY)
    assert.equal(requests[0].body, '')

    assert.match(result.stdout, /✓ Saved profile "acme-corp" \(now active\)/)
    assert.match(result.stdout, /Organization:\s+Acme Corp \(org_1\)/)
    assert.match(result.stdout, /Key:\s+cko_AbCd…wxyz/)
    assertNoLeak(result, [ORG_KEY])

    assert.deepEqual(readConfig(h), {
      activeProfile: 'acme-corp',
      profiles: {
        'acme-corp': {
          apiKey: ORG_KEY,
          type: 'org-api-key',
          baseUrl: url,
          keyPrefix: 'cko_AbCd1234',
          keyName: 'CI Deploy Key',
          organizationId: 'org_1',
          organizationName: 'Acme Corp',
          scopes: ['deploy:use-case', 'workflows:trigger'],
          createdAt: '2026-01-01T00:00:00.000Z',
          expiresAt: '2099-01-01T00:00:00.000Z',
        },
      },
    })
    assert.equal(statSync(configFile(h)).mode & 0o777, 0o600)
  })

  it('--json: the platform envelope plus the saved profile, never the raw key', async () => {
    const h = home()
    const {url} = verifies(ORG_DATA)
    const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url, '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.deepEqual(onlyJson(result), {
      success: true,
      verified: true,
      data: ORG_DATA,
      requestId: 'req-789',
      profile: 'acme-corp',
      action: 'created',
      maskedKey: 'cko_AbCd…wxyz',
      keyStore: 'file',
      baseUrl: url,
      warnings: [],
    })
    assertNoLeak(result, [ORG_KEY])
  })

  it('a rejected key: exit 1 with the platform message, nothing saved', async () => {
    const h = home()
    const prefix = `r${++routes}`
    const url = platform.route(prefix, {status: 401, json: errorEnvelope('Invalid API key', 'req-401')})
    const human = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url])
    assert.equal(human.code, 1)
    assert.match(human.stderr, /Error: Key rejected by the platform: Invalid API key/)
    assert.match(human.stderr, /Request ID: req-401/)
    assert.equal(human.stdout, '')
    assertNoLeak(human, [ORG_KEY])
    assert.equal(fileBytes(configFile(h)), null, 'no profile file was written')

    const doc = assertJsonFailure(
      await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url, '--json']),
      1,
      'KEY_REJECTED',
    )
    assert.equal(doc.requestId, 'req-401')
    assert.equal(doc.error.status, 401)
    assert.equal(fileBytes(configFile(h)), null)
  })

  it('a rejected key leaves an existing file exactly as it was', async () => {
    const h = home()
    const path = writeConfig(h, {
      activeProfile: 'keep',
      profiles: {keep: {apiKey: PERSONAL_KEY, type: 'personal-api-key'}},
    })
    const before = fileBytes(path)
    const prefix = `r${++routes}`
    const url = platform.route(prefix, {status: 401, json: errorEnvelope('Key expired')})
    const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url, '--name', 'keep', '--force'])
    assert.equal(result.code, 1)
    assert.deepEqual(fileBytes(path), before)
  })

  it('no platform (connection refused): exit 1, nothing saved', async () => {
    const h = home()
    const port = await closedPort()
    const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', `http://127.0.0.1:${port}`, '--json'])
    assertJsonFailure(result, 1, 'NETWORK_ERROR')
    assert.equal(fileBytes(configFile(h)), null)
  })

  it('a key expiring within 7 days is warned about on stderr', async () => {
    const h = home()
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString()
    const {url} = verifies({...ORG_DATA, expiresAt: soon})
    const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Warning: The key of profile "acme-corp" expires in 3 day\(s\)/)
    assert.match(result.stdout, /Expires:\s+\S+ \(in 3 days\)/)
  })
})

describe('login: where the key comes from', {concurrency: true}, () => {
  it('piped stdin: the first line is the key, the rest is ignored', async () => {
    const h = home()
    const {url, prefix} = verifies(ORG_DATA)
    const result = await runCli(h, ['login', '--base-url', url, '--json'], {input: `  ${ORG_KEY}  \r\nsecond line\n`})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(platform.requestsTo(prefix)[0].headers['x-process-manager-key'], ORG_KEY)
    assert.equal(readConfig(h).profiles['acme-corp'].apiKey, ORG_KEY)
    assertNoLeak(result, [ORG_KEY])
  })

  it('piped stdin without a final newline', async () => {
    const h = home()
    const {url} = verifies(ORG_DATA)
    const result = await runCli(h, ['login', '--base-url', url], {input: ORG_KEY})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(readConfig(h).profiles['acme-corp'].apiKey, ORG_KEY)
  })

  for (const [what, input] of [
    ['empty stdin', ''],
    ['an empty first line', '\nckp_TheSecondLineIsNotRead1234\n'],
    ['only spaces', '   \n'],
  ] as const) {
    it(`${what}: exit 2, nothing sent, nothing saved`, async () => {
      const h = home()
      const {url, prefix} = verifies(ORG_DATA)
      const human = await runCli(h, ['login', '--base-url', url], {input})
      assert.equal(human.code, 2)
      assert.match(human.stderr, /Error: No API key was given; nothing was saved\./)
      assert.equal(human.stdout, '')
      assertJsonFailure(await runCli(h, ['login', '--base-url', url, '--json'], {input}), 2, 'NO_API_KEY')
      assert.equal(platform.requestsTo(prefix).length, 0)
      assert.equal(fileBytes(configFile(h)), null)
    })
  }

  it('--api-key "" and a key with spaces inside: exit 2, nothing sent', async () => {
    const h = home()
    const {url, prefix} = verifies(ORG_DATA)
    assertJsonFailure(await runCli(h, ['login', '--api-key', '', '--base-url', url, '--json']), 2, 'NO_API_KEY')
    const spaced = await runCli(h, ['login', '--base-url', url, '--json'], {input: 'cko_AbCd 1234SecretWithSpace\n'})
    assertJsonFailure(spaced, 2, 'INVALID_API_KEY')
    assertNoLeak(spaced, ['1234SecretWithSpace'])
    assert.equal(platform.requestsTo(prefix).length, 0)
  })
})

describe('login: --skip-verify', {concurrency: true}, () => {
  it('saves without any request; the type comes from the prefix', async () => {
    const h = home()
    const {url, prefix} = verifies(ORG_DATA)
    const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url, '--skip-verify', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(platform.requestsTo(prefix).length, 0)
    const doc = onlyJson(result)
    assert.equal(doc.verified, false)
    assert.equal(doc.data, null)
    assert.equal(doc.requestId, null)
    assert.equal(doc.profile, 'org-api-key')
    assert.deepEqual(readConfig(h), {
      activeProfile: 'org-api-key',
      profiles: {'org-api-key': {apiKey: ORG_KEY, type: 'org-api-key', baseUrl: url, keyPrefix: 'cko_AbCd1234'}},
    })
  })

  it('personal and admin keys get their own type and name; an unknown prefix is exit 2', async () => {
    const h = home()
    assert.equal((await runCli(h, ['login', '--api-key', PERSONAL_KEY, '--skip-verify'])).code, 0)
    assert.equal((await runCli(h, ['login', '--api-key', 'cka_Admin0123456789abcdef', '--skip-verify'])).code, 0)
    const file = readConfig(h)
    assert.equal(file.profiles['personal-api-key'].type, 'personal-api-key')
    assert.equal(file.profiles['admin-api-key'].type, 'admin-api-key')
    assert.equal(file.activeProfile, 'admin-api-key')

    const unknown = await runCli(h, ['login', '--api-key', 'xyz_NotACodikaKey0123456789', '--skip-verify', '--json'])
    const doc = assertJsonFailure(unknown, 2, 'INVALID_FLAG')
    assert.match(doc.error.message, /cko_, ckp_ or cka_/)
    assertNoLeak(unknown, ['xyz_NotACodikaKey0123456789'])
  })

  it('production is the default URL, and is not written into the profile', async () => {
    const h = home()
    const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--skip-verify', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(onlyJson(result).baseUrl, 'https://api.codika.io')
    assert.equal('baseUrl' in readConfig(h).profiles['org-api-key'], false)
  })
})

describe('login: the saved base URL', {concurrency: true}, () => {
  it('is the URL verified against, without a trailing slash or the endpoint path', async () => {
    for (const suffix of ['/', '/verifyapikey']) {
      const h = home()
      const {url, prefix} = verifies(ORG_DATA)
      const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', `${url}${suffix}`, '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(platform.requestsTo(prefix)[0].url, `/${prefix}/verifyapikey`)
      assert.equal(readConfig(h).profiles['acme-corp'].baseUrl, url, suffix)
      assert.equal(onlyJson(result).baseUrl, url)
    }
  })

  it('CODIKA_BASE_URL is used when --base-url is absent; --base-url beats it', async () => {
    const h = home()
    const env = verifies(ORG_DATA)
    const flag = verifies(PERSONAL_DATA)
    assert.equal((await runCli(h, ['login', '--api-key', ORG_KEY], {env: {CODIKA_BASE_URL: env.url}})).code, 0)
    assert.equal(platform.requestsTo(env.prefix).length, 1)
    assert.equal(readConfig(h).profiles['acme-corp'].baseUrl, env.url)

    const result = await runCli(h, ['login', '--api-key', PERSONAL_KEY, '--base-url', flag.url], {
      env: {CODIKA_BASE_URL: env.url},
    })
    assert.equal(result.code, 0, result.stderr)
    assert.equal(platform.requestsTo(env.prefix).length, 1, 'nothing more sent to CODIKA_BASE_URL')
    assert.equal(readConfig(h).profiles['jane-s-laptop'].baseUrl, flag.url)
  })

  it('--api-url is accepted for --base-url', async () => {
    const h = home()
    const {url} = verifies(ORG_DATA)
    assert.equal((await runCli(h, ['login', '--api-key', ORG_KEY, '--api-url', url])).code, 0)
    assert.equal(readConfig(h).profiles['acme-corp'].baseUrl, url)
  })

  it('a --base-url that is not http(s), or a bad --name: exit 2 before anything is asked or sent', async () => {
    const h = home()
    assertJsonFailure(
      await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', 'ftp://example.test', '--json']),
      2,
      'INVALID_FLAG',
    )
    assertJsonFailure(
      await runCli(h, ['login', '--api-key', ORG_KEY, '--name', 'has space', '--skip-verify', '--json']),
      2,
      'INVALID_FLAG',
    )
    assertJsonFailure(
      await runCli(h, ['login', '--api-key', ORG_KEY, '--name', '', '--skip-verify', '--json']),
      2,
      'INVALID_FLAG',
    )
    assert.equal(fileBytes(configFile(h)), null)
  })
})

describe('login: names, refreshes and --force', {concurrency: true}, () => {
  it('derives names: organization name for organization keys, key name for personal keys, de-duplicated', async () => {
    const h = home()
    const org = verifies(ORG_DATA)
    const personal = verifies(PERSONAL_DATA)
    const sameOrg = verifies({...ORG_DATA, keyName: 'Second Key', keyPrefix: 'cko_EfGh5678'})
    const noOrgName = verifies({type: 'org-api-key', organizationId: 'Org_9 X'})
    const k4 = 'cko_Fourth0123456789abcdefgh'
    assert.equal((await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', org.url])).code, 0)
    assert.equal((await runCli(h, ['login', '--api-key', PERSONAL_KEY, '--base-url', personal.url])).code, 0)
    assert.equal((await runCli(h, ['login', '--api-key', OTHER_ORG_KEY, '--base-url', sameOrg.url])).code, 0)
    assert.equal((await runCli(h, ['login', '--api-key', k4, '--base-url', noOrgName.url])).code, 0)
    const file = readConfig(h)
    assert.deepEqual(Object.keys(file.profiles).sort(), ['acme-corp', 'acme-corp-2', 'jane-s-laptop', 'org-9-x'])
    assert.equal(file.profiles['acme-corp'].apiKey, ORG_KEY)
    assert.equal(file.profiles['acme-corp-2'].apiKey, OTHER_ORG_KEY)
    assert.equal(file.profiles['jane-s-laptop'].apiKey, PERSONAL_KEY)
    assert.equal(file.activeProfile, 'org-9-x')
  })

  it('logging in again with the same key refreshes its profile (keeping what only the file knows)', async () => {
    const h = home()
    writeConfig(h, {
      activeProfile: 'other',
      profiles: {
        mine: {
          apiKey: ORG_KEY,
          type: 'org-api-key',
          keyId: 'key_1',
          keyName: 'Old Name',
          expiresAt: '2030-01-01T00:00:00.000Z',
          legacyField: {kept: true},
        },
        other: {apiKey: PERSONAL_KEY, type: 'personal-api-key'},
      },
    })
    const {url} = verifies({type: 'org-api-key', keyName: 'New Name', organizationId: 'org_1'})
    const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url, '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(onlyJson(result).action, 'refreshed')
    assert.equal(onlyJson(result).profile, 'mine')
    const file = readConfig(h)
    assert.deepEqual(Object.keys(file.profiles).sort(), ['mine', 'other'], 'no duplicate profile')
    assert.equal(file.activeProfile, 'mine')
    assert.deepEqual(file.profiles.mine, {
      apiKey: ORG_KEY,
      type: 'org-api-key',
      keyId: 'key_1',
      keyName: 'New Name',
      legacyField: {kept: true},
      baseUrl: url,
      keyPrefix: 'cko_AbCd1234',
      organizationId: 'org_1',
    })
  })

  it('a name holding a different key: exit 2 without --force (nothing sent, file untouched); replaced with it', async () => {
    const h = home()
    const path = writeConfig(h, {
      activeProfile: 'prod',
      profiles: {prod: {apiKey: PERSONAL_KEY, type: 'personal-api-key', oldField: 'dropped on replace'}},
    })
    const before = fileBytes(path)
    const {url, prefix} = verifies(ORG_DATA)

    const human = await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url, '--name', 'prod'])
    assert.equal(human.code, 2)
    assert.match(human.stderr, /Error: Profile "prod" holds a different key \(ckp_PeRs…5678\)\./)
    assert.match(human.stderr, /Hint: Add --force/)
    assertNoLeak(human, [ORG_KEY, PERSONAL_KEY])
    assertJsonFailure(
      await runCli(h, ['login', '--api-key', ORG_KEY, '--base-url', url, '--name', 'prod', '--json']),
      2,
      'PROFILE_EXISTS',
    )
    assert.equal(platform.requestsTo(prefix).length, 0, 'refused before verifying')
    assert.deepEqual(fileBytes(path), before)

    const forced = await runCli(h, [
      'login',
      '--api-key',
      ORG_KEY,
      '--base-url',
      url,
      '--name',
      'prod',
      '--force',
      '--json',
    ])
    assert.equal(forced.code, 0, forced.stderr)
    assert.equal(onlyJson(forced).action, 'replaced')
    const file = readConfig(h)
    assert.equal(file.profiles.prod.apiKey, ORG_KEY)
    assert.equal(file.profiles.prod.organizationName, 'Acme Corp')
    assert.equal('oldField' in file.profiles.prod, false, 'the old key’s fields went with it')
  })

  it('--name with the same key refreshes without --force', async () => {
    const h = home()
    writeConfig(h, {activeProfile: null, profiles: {prod: {apiKey: ORG_KEY, type: 'org-api-key'}}})
    const result = await runCli(h, ['login', '--api-key', ORG_KEY, '--name', 'prod', '--skip-verify', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(onlyJson(result).action, 'refreshed')
    assert.equal(readConfig(h).activeProfile, 'prod')
  })

  it('an unreadable profile file: exit 1 before the key is read or sent, and the file is not touched', async () => {
    const h = home()
    const path = writeConfig(h, '{"profiles": not json')
    const {url, prefix} = verifies(ORG_DATA)
    const result = await runCli(h, ['login', '--base-url', url, '--json'], {input: `${ORG_KEY}\n`})
    assertJsonFailure(result, 1, 'CONFIG_UNREADABLE')
    assert.equal(platform.requestsTo(prefix).length, 0)
    assert.equal(fileBytes(path)?.toString(), '{"profiles": not json')
  })
})
