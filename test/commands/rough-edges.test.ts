// Issue 10's rough edges, each shown as a user meets it: another client's secrets in `profile show`, and whoami
// warning about the expiry the platform states rather than a stale one in the profile file.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {onlyJson, writeConfig} from '../helpers/assertions.js'
import {runCli} from '../helpers/cli.js'
import {fakePlatformForFile, okEnvelope, startFakePlatform} from '../helpers/fake-platform.js'

const {platform, homes} = fakePlatformForFile()

const KEY = `ckp_${'R'.repeat(43)}`
const DAY = 86_400_000
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString()

describe('profile show: fields of other clients whose names say they are secrets', () => {
  const N8N = 'n8n_api_0123456789abcdefSECRETPART'
  const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.payload.signatureSECRET'
  const file = {
    activeProfile: 'other',
    profiles: {
      other: {
        apiKey: KEY,
        type: 'personal-api-key',
        n8nApiKey: N8N,
        integration: {accessToken: TOKEN, expires: 3600, scope: 'read'},
        password: 'hunter2',
        region: 'eu-west-1',
      },
    },
  }

  for (const json of [false, true]) {
    it(json ? 'with --json' : 'on screen', async () => {
      const home = homes.home()
      writeConfig(home, file)
      const result = await runCli(home, ['profile', 'show', ...(json ? ['--json'] : [])])
      assert.equal(result.code, 0, result.stderr)
      for (const secret of [N8N, TOKEN, 'hunter2', 'SECRETPART', 'signatureSECRET'])
        assert.ok(!result.stdout.includes(secret), `${secret} is shown:\n${result.stdout}`)
      if (json) {
        const other = onlyJson(result).profile.otherFields
        assert.equal(other.n8nApiKey, 'n8n_…PART (hidden)')
        assert.equal(other.integration.accessToken, 'eyJh…CRET (hidden)')
        assert.equal(other.password, '(hidden)')
        assert.equal(other.integration.scope, 'read', 'what is no secret is shown as it is')
        assert.equal(other.region, 'eu-west-1')
      } else {
        assert.match(result.stdout, /n8nApiKey: +n8n_…PART \(hidden\)/)
        assert.match(result.stdout, /region: +eu-west-1/)
      }
    })
  }
})

describe('whoami warns about the expiry the platform states', () => {
  const profileExpiring = (expiresAt: string, url: string) => ({
    activeProfile: 'p',
    profiles: {p: {apiKey: KEY, type: 'personal-api-key', expiresAt, baseUrl: url}},
  })

  it('saved: expires in 2 days; the platform: in 2030 → no warning', async () => {
    const url = platform.route('exp-later', {
      json: okEnvelope({type: 'personal-api-key', expiresAt: '2030-01-01T00:00:00.000Z'}),
    })
    const home = homes.home()
    writeConfig(home, profileExpiring(inDays(2), url))
    const result = await runCli(home, ['whoami'])
    assert.equal(result.code, 0, result.stderr)
    assert.doesNotMatch(result.stderr, /Warning/)
  })

  it('saved: in 2030; the platform: in 3 days → one warning, with the platform’s date', async () => {
    const soon = inDays(3)
    const url = platform.route('exp-sooner', {json: okEnvelope({type: 'personal-api-key', expiresAt: soon})})
    const home = homes.home()
    writeConfig(home, profileExpiring('2030-01-01T00:00:00.000Z', url))
    const doc = onlyJson(await runCli(home, ['whoami', '--json']))
    assert.deepEqual(doc.warnings, [`The key of profile "p" expires in 3 day(s), on ${soon}.`])
  })

  it('the platform cannot be asked → the saved expiry is warned about', async () => {
    const closed = await startFakePlatform()
    const url = closed.url
    await closed.close()
    const soon = inDays(2)
    const home = homes.home()
    writeConfig(home, profileExpiring(soon, url))
    const result = await runCli(home, ['whoami'])
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      new RegExp(`Warning: The key of profile "p" expires in 2 day\\(s\\), on ${soon.replaceAll('.', '\\.')}`),
    )
  })
})
