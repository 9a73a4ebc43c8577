// Input that could never be sent (issue 10, items 7 and 10-14): keys an HTTP header cannot carry, URLs holding a
// user name or password, ports fetch refuses, timeouts a timer cannot hold, proxy variables that do not parse or a
// proxy that is down. Each is refused before anything is sent (exit 2, nothing written), or named for what it is.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {configFile, runCli} from '../helpers/cli.js'
import {assertHumanFailure, assertJsonFailure, assertNoLeak, fileBytes, writeConfig} from '../helpers/assertions.js'
import {fakePlatformForFile, okEnvelope, startFakePlatform} from '../helpers/fake-platform.js'

const {platform, homes} = fakePlatformForFile()

const KEY = `ckp_${'K'.repeat(43)}`
const createKey = [
  'organization',
  'create-key',
  '--organization-id',
  'org_1',
  '--name',
  'CI',
  '--scopes',
  'deploy:use-case',
]

describe('a key an HTTP header cannot carry is a usage error in every command, before anything is sent', () => {
  const bad: Array<[string, string]> = [
    ['an emoji', `ckp_abc😀${'x'.repeat(40)}`],
    ['a euro sign', `ckp_abc€${'x'.repeat(40)}`],
    ['a line break inside', `ckp_abc\n${'x'.repeat(40)}`],
    ['a space inside', `ckp_abc ${'x'.repeat(40)}`],
  ]
  const commands: Array<[string, string[]]> = [
    ['whoami', ['whoami']],
    ['create-key', createKey],
    ['organization create', ['organization', 'create', '--name', 'Acme Corp']],
    ['update-key', ['organization', 'update-key', '--key-id', 'k1', '--name', 'New']],
  ]
  for (const [what, key] of bad) {
    for (const [name, args] of commands) {
      it(`${name}, --api-key with ${what}`, async () => {
        const prefix = `hdr-${name.replace(/\W/g, '')}-${what.replace(/\W/g, '')}`
        const url = platform.route(prefix, {json: okEnvelope({type: 'personal-api-key'})})
        const home = homes.home()
        const result = await runCli(home, [...args, '--api-key', key, '--api-url', url, '--json'])
        const doc = assertJsonFailure(result, 2, 'INVALID_API_KEY')
        assert.match(doc.error.message, /--api-key .*HTTP header/)
        assert.equal(platform.requestsTo(prefix).length, 0, 'nothing was sent')
        assert.equal(fileBytes(configFile(home)), null, 'nothing was written')
        assertNoLeak(result, [key.slice(4, 12)])
      })
    }
  }

  it('from CODIKA_API_KEY, and from a profile, the message names where the key came from', async () => {
    const url = platform.route('hdr-env')
    const fromEnv = await runCli(homes.home(), ['whoami'], {
      env: {CODIKA_API_KEY: 'ckp_abc€def123', CODIKA_BASE_URL: url},
    })
    assertHumanFailure(fromEnv, 2, /CODIKA_API_KEY holds a character that is not plain ASCII/)
    const home = homes.home()
    writeConfig(home, {
      activeProfile: 'p',
      profiles: {p: {apiKey: 'ckp_abc\u0007def123', type: 'personal-api-key', baseUrl: url}},
    })
    const fromProfile = await runCli(home, createKey)
    assertHumanFailure(fromProfile, 2, /profile "p" holds a line break or another control character/)
    assert.equal(platform.requestsTo('hdr-env').length, 0)
  })

  it('login refuses it from --api-key and from stdin, and saves nothing', async () => {
    const url = platform.route('hdr-login', {json: okEnvelope({type: 'personal-api-key'})})
    const home = homes.home()
    const flag = await runCli(home, ['login', '--api-key', 'ckp_abc😀def', '--base-url', url])
    assertHumanFailure(flag, 2, /--api-key holds a character that is not plain ASCII/)
    const piped = await runCli(home, ['login', '--base-url', url, '--json'], {input: 'ckp_abc€def\n'})
    assertJsonFailure(piped, 2, 'INVALID_API_KEY')
    assert.equal(platform.requestsTo('hdr-login').length, 0)
    assert.equal(fileBytes(configFile(home)), null)
  })
})

describe('a URL with user:password@ is refused and its password shown nowhere', () => {
  const cases: Array<[string, (url: string) => {args: string[]; env?: Record<string, string>}]> = [
    ['--api-url', (url) => ({args: ['whoami', '--api-key', KEY, '--api-url', url]})],
    ['--base-url', (url) => ({args: ['login', '--api-key', KEY, '--base-url', url]})],
    ['CODIKA_BASE_URL', (url) => ({args: ['whoami'], env: {CODIKA_API_KEY: KEY, CODIKA_BASE_URL: url}})],
    [
      '--n8n-base-url',
      (url) => ({
        args: [
          'organization',
          'create',
          '--name',
          'Acme',
          '--n8n-base-url',
          url,
          '--n8n-api-key',
          'n8n',
          '--api-key',
          KEY,
        ],
        env: {CODIKA_BASE_URL: platform.route('creds-n8n')},
      }),
    ],
  ]
  for (const [source, make] of cases) {
    it(source, async () => {
      const prefix = `creds-${source.replace(/\W/g, '')}`
      const target = platform.route(prefix).replace('http://', 'http://alice:hunter2secret@')
      const {args, env} = make(target)
      const home = homes.home()
      const result = await runCli(home, args, {env: {...env, DEBUG: '*'}})
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, new RegExp(`${source} must not hold a user name or password`))
      assertNoLeak(result, ['hunter2secret'])
      assert.equal(platform.requestsTo(prefix).length + platform.requestsTo('creds-n8n').length, 0, 'nothing was sent')
      assert.equal(fileBytes(configFile(home)), null, 'nothing was saved')
    })
  }
})

describe('ports fetch refuses to call', () => {
  for (const port of [10080, 6000, 5060]) {
    it(`--api-url on port ${port} is a usage error, never "may have reached the platform"`, async () => {
      const result = await runCli(homes.home(), [
        ...createKey,
        '--api-key',
        KEY,
        '--api-url',
        `http://127.0.0.1:${port}`,
      ])
      assertHumanFailure(result, 2, new RegExp(`port ${port}, which fetch refuses to call`))
      assert.doesNotMatch(result.stderr, /may have reached/)
    })
  }

  it('sandbox start --port 10080 is refused before it binds anything', async () => {
    const home = homes.home()
    const result = await runCli(home, ['sandbox', 'start', '--port', '10080', '--json'])
    const doc = assertJsonFailure(result, 2, 'INVALID_FLAG')
    assert.match(doc.error.message, /--port 10080 is a port fetch refuses to call/)
  })
})

describe('sandbox start: empty and oversized values are usage errors', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['--host ""', ['--host', ''], {}, /--host must not be empty/],
    ['--data ""', ['--data', ''], {}, /--data must not be empty/],
    ['a clock offset of a billion days', [], {CODIKA_SANDBOX_CLOCK_OFFSET: '+999999999d'}, /is too large/],
  ]
  for (const [what, args, env, message] of cases) {
    it(what, async () => {
      const result = await runCli(homes.home(), ['sandbox', 'start', '--port', '0', ...args], {env, timeoutMs: 20_000})
      assertHumanFailure(result, 2, message)
    })
  }
})

describe('CODIKA_TIMEOUT', () => {
  it('beyond what a timer holds is refused (exit 2), not a timeout at once', async () => {
    const url = platform.route('timeout-big', {json: okEnvelope({type: 'personal-api-key'})})
    const result = await runCli(homes.home(), ['whoami', '--api-key', KEY, '--api-url', url], {
      env: {CODIKA_TIMEOUT: '2147484'},
    })
    assertHumanFailure(result, 2, /CODIKA_TIMEOUT is too large: at most 2147483 seconds/)
    assert.doesNotMatch(result.stderr, /TimeoutOverflowWarning|raise the limit/)
    assert.equal(platform.requestsTo('timeout-big').length, 0)
  })

  it('at the largest value a timer holds, the call is made as usual', async () => {
    const url = platform.route('timeout-max', {json: okEnvelope({type: 'personal-api-key'})})
    const result = await runCli(homes.home(), ['whoami', '--api-key', KEY, '--api-url', url], {
      env: {CODIKA_TIMEOUT: '2147483'},
    })
    assert.equal(result.code, 0, result.stderr)
    assert.doesNotMatch(result.stderr, /Warning/)
  })
})

describe('proxies', () => {
  it('a variable that does not parse is a usage error naming it, not its value (it may hold a password)', async () => {
    const url = platform.route('proxy-bad')
    const result = await runCli(homes.home(), [...createKey, '--api-key', KEY, '--api-url', url, '--json'], {
      env: {HTTPS_PROXY: 'http://user:pa55word@[bad', HTTP_PROXY: 'http://user:pa55word@[bad'},
    })
    const doc = assertJsonFailure(result, 2, 'INVALID_ARGUMENT')
    assert.match(doc.error.message, /HTTP_PROXY is not a proxy URL/)
    assertNoLeak(result, ['pa55word'])
    assert.equal(platform.requestsTo('proxy-bad').length, 0)
  })

  it('a proxy that is down is named with its variable, and a create is not "may have reached"', async () => {
    const url = platform.route('proxy-down')
    // A port nothing listens on: a server started and closed at once.
    const closed = await startFakePlatform()
    const deadProxy = closed.url
    await closed.close()
    const result = await runCli(homes.home(), [...createKey, '--api-key', KEY, '--api-url', url], {
      env: {HTTP_PROXY: deadProxy},
    })
    assertHumanFailure(
      result,
      1,
      new RegExp(`the proxy ${new URL(deadProxy).host} \\(from HTTP_PROXY\\) refused the connection`),
    )
    assert.doesNotMatch(result.stderr, /may have reached/)
    assert.equal(platform.requestsTo('proxy-down').length, 0)
  })
})
