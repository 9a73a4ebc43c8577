// Input from outside is data, not instructions (issue 10, item 8): names, descriptions and messages from the platform
// or the profile file reach the terminal with every escape sequence and control character removed — no window title,
// no screen clear, no bell — in whoami, login, create-key, update-key, organization create, profile show|list|use,
// logout, warnings and errors. On a terminal, codika's own colours are still there.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {type CliResult, runCli} from '../helpers/cli.js'
import {writeConfig} from '../helpers/assertions.js'
import {errorEnvelope, fakePlatformForFile, json, okEnvelope} from '../helpers/fake-platform.js'
import {runInPty} from '../helpers/pty.js'

const TITLE = '\u001B]0;pwned\u0007'
const CLEAR = '\u001B[2J\u001B[H'
const C1 = '\u009B31m'
const EVIL = (word: string) => `${word}${TITLE}${CLEAR}${C1}\u0008\r!`

/** Nothing a terminal would act on: no ESC, no BEL, no backspace or carriage return, no C1 control. */
function assertInert(text: string, where: string): void {
  // eslint-disable-next-line no-control-regex
  const found = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.exec(text)
  assert.equal(found, null, `${where} holds control character ${JSON.stringify(found?.[0])}:\n${JSON.stringify(text)}`)
}

function assertClean(result: CliResult, what: string): void {
  assertInert(result.stdout, `${what}: stdout`)
  assertInert(result.stderr, `${what}: stderr`)
}

const KEY = `ckp_${'E'.repeat(43)}`
const {platform, homes} = fakePlatformForFile()
const VERIFIED = {
  type: 'personal-api-key',
  keyName: EVIL('Key'),
  keyPrefix: 'ckp_EEEEEEEE',
  scopes: [EVIL('deploy:use-case')],
  organizationId: EVIL('org'),
  organizationName: EVIL('Acme'),
  createdAt: '2026-01-01T00:00:00.000Z',
}

describe('platform answers', () => {
  it('whoami and login show the verified fields inert', async () => {
    const url = platform.route('esc-verify', {json: okEnvelope(VERIFIED, EVIL('req'))})
    const home = homes.home()
    assertClean(await runCli(home, ['whoami', '--api-key', KEY, '--api-url', url]), 'whoami')
    const login = await runCli(home, ['login', '--api-key', KEY, '--base-url', url, '--name', 'evil'])
    assert.equal(login.code, 0, login.stderr)
    assertClean(login, 'login')
    assert.match(login.stdout, /Acme/)
  })

  it('create-key, update-key and organization create show their answers inert', async () => {
    const created = {
      keyId: EVIL('key'),
      apiKey: `cko_${'A'.repeat(43)}`,
      keyPrefix: 'cko_AAAAAAAA',
      name: EVIL('CI'),
      scopes: ['deploy:use-case'],
      createdAt: '2026-01-01T00:00:00.000Z',
    }
    const home = homes.home()
    const ck = platform.route('esc-ck', {json: okEnvelope(created, EVIL('req'))})
    const args = ['--organization-id', 'org_1', '--name', 'CI', '--scopes', 'deploy:use-case']
    const key = await runCli(home, ['organization', 'create-key', ...args, '--api-key', KEY, '--api-url', ck])
    assert.equal(key.code, 0, key.stderr)
    assertClean(key, 'create-key')
    const uk = platform.route('esc-uk', {
      json: okEnvelope({
        keyId: 'k1',
        name: EVIL('New'),
        description: EVIL('desc'),
        scopes: ['deploy:use-case'],
        updatedAt: 'x',
      }),
    })
    const update = await runCli(home, [
      'organization',
      'update-key',
      '--key-id',
      'k1',
      '--name',
      'N',
      '--api-key',
      KEY,
      '--api-url',
      uk,
    ])
    assert.equal(update.code, 0, update.stderr)
    assertClean(update, 'update-key')
    const oc = platform.route('esc-oc', {json: okEnvelope({organizationId: EVIL('org')})})
    const org = await runCli(home, ['organization', 'create', '--name', 'Acme', '--api-key', KEY, '--api-url', oc])
    assert.equal(org.code, 0, org.stderr)
    assertClean(org, 'organization create')
  })

  it('an error message from the platform is shown inert', async () => {
    const url = platform.route('esc-error', (_req, res) =>
      json(res, 403, errorEnvelope(EVIL('Forbidden'), EVIL('req'), 'MISSING_SCOPE')),
    )
    const result = await runCli(homes.home(), ['whoami', '--api-key', KEY, '--api-url', url])
    assert.equal(result.code, 1)
    assertClean(result, 'the error')
    assert.match(result.stderr, /Forbidden/)
  })
})

describe('the profile file', () => {
  const file = {
    activeProfile: 'evil',
    profiles: {
      evil: {
        apiKey: KEY,
        type: 'personal-api-key',
        keyName: EVIL('Key'),
        organizationName: EVIL('Acme'),
        organizationId: EVIL('org'),
        scopes: [EVIL('scope')],
        notes: EVIL('hand-written'),
      },
      [EVIL('odd')]: {apiKey: `ckp_${'O'.repeat(43)}`, type: EVIL('personal-api-key')},
    },
  }

  for (const args of [['profile', 'show'], ['profile', 'list'], ['profile', 'use', 'evil'], ['use']]) {
    it(args.join(' '), async () => {
      const home = homes.home()
      writeConfig(home, file)
      const result = await runCli(home, args, {env: {CODIKA_PROFILE: EVIL('shell')}})
      assertClean(result, args.join(' '))
    })
  }

  it('logout names what is active next, inert', async () => {
    const home = homes.home()
    writeConfig(home, file)
    const result = await runCli(home, ['logout'])
    assert.equal(result.code, 0, result.stderr)
    assertClean(result, 'logout')
    assert.match(result.stdout, /Active profile is now "odd/)
  })
})

describe('on a terminal', () => {
  it("codika's own colours stay, the platform's escapes go", async () => {
    const url = platform.route('esc-tty', {json: okEnvelope(VERIFIED)})
    const {code, screen} = await runInPty(homes.home(), ['whoami', '--api-key', KEY, '--api-url', url])
    assert.equal(code, 0, screen)
    assert.ok(screen.includes('\u001B[32m✓ Key verified'), `the heading is green:\n${JSON.stringify(screen)}`)
    assert.ok(!screen.includes(TITLE) && !screen.includes('\u001B]0;'), 'no window title')
    assert.ok(!screen.includes('\u001B[2J'), 'no screen clear')
  })
})
