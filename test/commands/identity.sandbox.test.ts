// login, whoami and the profile commands end to end against the sandbox platform (real keys, real expiry).
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import {assertJsonFailure, assertNoLeak, onlyJson, readConfig} from '../helpers/assertions.js'
import {runCli, tempHomes} from '../helpers/cli.js'
import {startTestSandbox, type TestSandbox} from '../sandbox/helpers.js'

let sandbox: TestSandbox
const homes = tempHomes()
const home = homes.home

before(async () => {
  sandbox = await startTestSandbox()
})
after(async () => {
  await sandbox.dispose()
  homes.cleanup()
})

describe('against the sandbox', {concurrency: true}, () => {
  it('login (piped) → create-key → login with the new key → whoami → list', async () => {
    const h = home()
    const owner = sandbox.seeded!.owner
    const login = await runCli(h, ['login', '--base-url', sandbox.url, '--name', 'owner', '--json'], {
      input: `${owner.apiKey}\n`,
    })
    assert.equal(login.code, 0, login.stdout + login.stderr)
    const loginDoc = onlyJson(login)
    assert.equal(loginDoc.verified, true)
    assert.equal(loginDoc.data.type, 'personal-api-key')
    assert.equal(readConfig(h).profiles.owner.baseUrl, sandbox.url)

    const created = await runCli(h, [
      'organization',
      'create-key',
      '--organization-id',
      sandbox.seeded!.organizationId,
      '--name',
      'Deploy Bot',
      '--scopes',
      'deploy:use-case',
      '--no-save',
      '--json',
    ])
    assert.equal(created.code, 0, created.stdout + created.stderr)
    const orgKey: string = onlyJson(created).data.apiKey

    const second = await runCli(h, ['login', '--api-key', orgKey, '--base-url', sandbox.url, '--json'])
    assert.equal(second.code, 0, second.stdout + second.stderr)
    assert.equal(onlyJson(second).profile, 'sandbox-org', 'named after the organization')

    const whoami = await runCli(h, ['whoami', '--json'])
    assert.equal(whoami.code, 0, whoami.stdout + whoami.stderr)
    const doc = onlyJson(whoami)
    assert.equal(doc.data.type, 'org-api-key')
    assert.equal(doc.data.organizationId, sandbox.seeded!.organizationId)
    assert.equal(doc.profile, 'sandbox-org')
    assert.equal(doc.keySource, 'active-profile')
    assert.equal(doc.urlSource, 'profile')
    assertNoLeak(whoami, [owner.apiKey, orgKey])

    const list = onlyJson(await runCli(h, ['profiles', '--json']))
    assert.deepEqual(
      list.profiles.map((p: {name: string}) => p.name),
      ['owner', 'sandbox-org'],
    )
    assert.equal(list.activeProfile, 'sandbox-org')
    assert.ok(!JSON.stringify(list).includes(orgKey))
  })

  it('a key the sandbox does not know: login and whoami exit 1 with the platform’s message', async () => {
    const h = home()
    const bogus = 'ckp_NotARealKey0123456789abcdef'
    const login = assertJsonFailure(
      await runCli(h, ['login', '--api-key', bogus, '--base-url', sandbox.url, '--json']),
      1,
      'KEY_REJECTED',
    )
    assert.equal(login.error.status, 401)
    const whoami = await runCli(h, ['whoami', '--api-key', bogus, '--api-url', sandbox.url])
    assert.equal(whoami.code, 1)
    assert.match(whoami.stderr, /Error: Key rejected by the platform: /)
    assertNoLeak(whoami, [bogus])
  })

  it('a key expiring tomorrow is warned about by whoami; once the platform says it expired, whoami exits 1 unverified', async () => {
    // A sandbox of its own, since its clock is moved.
    const own = await startTestSandbox()
    try {
      const h = home()
      const created = await runCli(h, [
        'organization',
        'create-key',
        '--organization-id',
        own.seeded!.organizationId,
        '--name',
        'Short Lived',
        '--scopes',
        'deploy:use-case',
        '--expires-in-days',
        '1',
        '--api-key',
        own.seeded!.owner.apiKey,
        '--api-url',
        own.url,
        '--json',
      ])
      assert.equal(created.code, 0, created.stdout + created.stderr)
      const profile = onlyJson(created).profile

      const soon = await runCli(h, ['whoami'])
      assert.equal(soon.code, 0, soon.stderr)
      assert.match(soon.stderr, new RegExp(`Warning: The key of profile "${profile}" expires in 1 day\\(s\\)`))
      assert.match(soon.stdout, /Expires:\s+\S+ \(in 1 day\)/)

      own.shift(2 * 86_400_000)
      const expired = await runCli(h, ['whoami', '--json'])
      const doc = assertJsonFailure(expired, 1, 'KEY_REJECTED')
      assert.equal(doc.verified, false)
      assert.equal(doc.profile, profile)
      assert.equal(doc.cachedDetails.keyName, 'Short Lived')
    } finally {
      await own.dispose()
    }
  })
})
