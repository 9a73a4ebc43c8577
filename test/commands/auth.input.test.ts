// `codika auth …` against a scriptable platform: bad input refused before anything is sent, the bodies on the wire, a
// complete never sent twice, and the minted key never lost (a name taken meanwhile, a profile file that broke).
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'

import {
  assertHumanFailure,
  assertJsonFailure,
  assertNoLeak,
  fileBytes,
  onlyJson,
  readConfig,
  writeConfig,
} from '../helpers/assertions.js'
import {configFile, runCli, tempHomes} from '../helpers/cli.js'
import {type FakePlatform, json, okEnvelope, startFakePlatform} from '../helpers/fake-platform.js'
import {requestCode} from '../helpers/otp.js'
import {call, startTestSandbox} from '../sandbox/helpers.js'

const RAW = `cko_${'R'.repeat(8)}${'k'.repeat(35)}`
const RAW2 = `cko_${'S'.repeat(8)}${'k'.repeat(35)}`
const CODE = '482913'

/** A complete's success, as the platform answers it. */
function minted(extra: Record<string, unknown> = {}) {
  return okEnvelope(
    {
      organizationId: 'org_agents',
      organizationName: 'Agents Inc',
      isNewUser: true,
      apiKey: {
        keyId: 'key_1',
        raw: RAW,
        keyPrefix: RAW.slice(0, 12),
        name: 'CLI default key',
        scopes: ['deploy:use-case'],
        createdAt: '2026-03-30T12:00:00.000Z',
      },
      ...extra,
    },
    'req-minted',
  )
}

let platform: FakePlatform
const homes = tempHomes('codika-auth-input-')
const home = homes.home
before(async () => {
  platform = await startFakePlatform((_req, res) => json(res, 200, minted()))
})
after(async () => {
  await platform.close()
  homes.cleanup()
})

describe('bad input: exit 2, nothing sent, nothing written', {concurrency: true}, () => {
  const signup = ['auth', 'signup-complete', '--email', 'agent@example.com', '--code', CODE]
  const login = ['auth', 'login-complete', '--email', 'agent@example.com', '--code', CODE]
  const cases: Array<[string, string[], string, RegExp]> = [
    ['email without @', ['auth', 'signup-request', '--email', 'agent'], 'INVALID_FLAG', /--email must be an email/],
    ['empty email', ['auth', 'login-request', '--email', '  '], 'INVALID_FLAG', /--email must not be empty/],
    [
      'email holding an escape sequence',
      ['auth', 'signup-request', '--email', 'a\u001b]0;title\u0007@example.com'],
      'INVALID_FLAG',
      /--email holds control characters/,
    ],
    ['no email', ['auth', 'signup-request'], 'MISSING_FLAG', /--email/],
    ['no code', ['auth', 'login-complete', '--email', 'agent@example.com'], 'MISSING_FLAG', /--code/],
    ['5-digit code', [...signup.slice(0, 5), '48291'], 'INVALID_FLAG', /--code must be the 6 digits/],
    ['expiry 0', [...signup, '--key-expires-in', '0'], 'INVALID_FLAG', /--key-expires-in must be .* 1 to 365/],
    [
      'company of 101 characters',
      [...signup, '--company', 'é'.repeat(101)],
      'INVALID_FLAG',
      /at most 100 characters \(got 101\)/,
    ],
    ['empty company', [...signup, '--company', ' '], 'INVALID_FLAG', /--company must not be empty/],
    ['empty description', [...signup, '--description', ''], 'INVALID_FLAG', /--description must not be empty/],
    ['empty key name', [...login, '--key-name', ' '], 'INVALID_FLAG', /--key-name must not be empty/],
    [
      'empty organization id',
      [...login, '--organization-id', ''],
      'INVALID_FLAG',
      /--organization-id must not be empty/,
    ],
    ['profile name with a space', [...signup, '--name', 'my agent'], 'INVALID_FLAG', /--name must be/],
    ['not an http URL', [...login, '--base-url', 'ftp://example.com'], 'INVALID_FLAG', /--base-url must be an http/],
  ]
  for (const [label, args, code, message] of cases)
    it(label, async () => {
      const h = home()
      const prefix = `bad-${label.replaceAll(/\W+/g, '-')}`
      const url = platform.route(prefix)
      const withUrl = args.some((a) => a.startsWith('--base-url')) ? args : [...args, '--base-url', url]
      // One mode a case (spawns are the cost of this file): --json, whose message is the human one.
      const result = await runCli(h, [...withUrl, '--json'])
      const doc = assertJsonFailure(result, 2, code)
      assert.match(doc.error.message, message)
      assertNoLeak(result, args.includes('--code') ? [args[args.indexOf('--code') + 1]] : [])
      assert.equal(platform.requestsTo(prefix).length, 0, 'nothing was sent')
      assert.equal(fileBytes(configFile(h)), null, 'nothing was written')
    })

  it('a profile file that cannot be read stops a complete before the code is sent (exit 1), and is left as it was', async () => {
    const h = home()
    const path = writeConfig(h, '{not json')
    const url = platform.route('corrupt')
    const result = await runCli(h, [...signup, '--base-url', url, '--json'])
    assertJsonFailure(result, 1, 'CONFIG_UNREADABLE')
    assert.equal(platform.requestsTo('corrupt').length, 0)
    assert.equal(fileBytes(path)?.toString(), '{not json')
  })

  it('a --name that holds a key: PROFILE_EXISTS (exit 2) before the code is sent', async () => {
    const h = home()
    writeConfig(h, {activeProfile: null, profiles: {agent: {apiKey: 'ckp_someone', type: 'personal-api-key'}}})
    const before = fileBytes(configFile(h))
    const url = platform.route('taken')
    const result = await runCli(h, [...login, '--name', 'agent', '--base-url', url])
    assertHumanFailure(result, 2, /Profile "agent" already holds a key \(ckp_…\); the code was not sent/)
    assert.match(result.stderr, /Hint: Choose another --name, or remove that profile first with `codika logout agent`/)
    assert.equal(platform.requestsTo('taken').length, 0)
    assert.deepEqual(fileBytes(configFile(h)), before)
  })

  it('a bad CODIKA_TIMEOUT: exit 2, nothing sent', async () => {
    const url = platform.route('timeout-env')
    const result = await runCli(home(), ['auth', 'signup-request', '--email', 'a@example.com', '--base-url', url], {
      env: {CODIKA_TIMEOUT: 'soon'},
    })
    assertHumanFailure(result, 2, /CODIKA_TIMEOUT must be a positive number/)
    assert.equal(platform.requestsTo('timeout-env').length, 0)
  })
})

describe('the checks themselves, every variant (in this process; the CLI runs above show one of each)', () => {
  it('--email, --code, --key-expires-in, --company: what passes and what is refused (exit 2)', async () => {
    const {checkCode, checkCompany, checkEmail, parseKeyExpiresIn} = await import('../../src/lib/auth.js')
    const refused = (fn: () => unknown) =>
      assert.throws(fn, (e: any) => e.code === 'INVALID_FLAG' && e.exitCode === 2, String(fn))
    for (const ok of ['agent@example.com', ' a.b+tag@sub.example.co ', 'x@y.io'])
      assert.equal(checkEmail(ok), ok.trim())
    for (const bad of [
      'agent',
      'agent@',
      '@example.com',
      'a b@example.com',
      'agent@example',
      'a@@b.io',
      `${'a'.repeat(250)}@x.io`,
      // Control characters: a terminal escape (window title), a DEL, a C1 CSI.
      'a\u001b]0;title\u0007@example.com',
      'agent@exa\u007fmple.com',
      'agent@example.co\u009b2J',
    ])
      refused(() => checkEmail(bad))
    assert.equal(checkCode(' 012345 '), '012345')
    for (const bad of ['12345', '1234567', '48a913', '12 345', '１２３４５６', '']) refused(() => checkCode(bad))
    for (const [raw, days] of [
      ['1', 1],
      ['365', 365],
      [' 90 ', 90],
    ] as const)
      assert.equal(parseKeyExpiresIn(raw), days)
    for (const bad of ['0', '366', '1.5', '-3', '30d', '1e2', '', '0x10']) refused(() => parseKeyExpiresIn(bad))
    assert.equal(checkCompany('🦊'.repeat(100)), '🦊'.repeat(100))
    refused(() => checkCompany('🦊'.repeat(101)))
  })

  it('the bodies leave out what was not given; hints quote values for a shell, never placeholders', async () => {
    const {commandLine, loginCompleteRequest, signupCompleteRequest} = await import('../../src/lib/auth.js')
    assert.deepEqual(signupCompleteRequest({email: 'a@b.io', code: CODE}), {email: 'a@b.io', code: CODE})
    assert.deepEqual(signupCompleteRequest({email: 'a@b.io', code: CODE, description: 'd'}), {
      email: 'a@b.io',
      code: CODE,
      company: {description: 'd'},
    })
    assert.deepEqual(loginCompleteRequest({email: 'a@b.io', code: CODE, 'key-expires-in': '7'}), {
      email: 'a@b.io',
      code: CODE,
      apiKey: {expiresInDays: 7},
    })
    assert.equal(
      commandLine('codika', 'auth login-complete', [
        ['--email', 'a+b@c.io'],
        ['--code', '<code>'],
        ['--key-name', "Bob's key"],
        ['--company', '<company name>'],
      ]),
      `codika auth login-complete --email a+b@c.io --code <code> --key-name 'Bob'\\''s key' --company <company name>`,
    )
  })
})

describe('on the wire', {concurrency: true}, () => {
  it('the four bodies, field by field, optional objects only when given, and no auth header', async () => {
    const h = home()
    const base = platform.route(
      'wire',
      {json: okEnvelope({email: 'agent@example.com', expiresInSeconds: 600})},
      {json: minted()},
      {json: okEnvelope({email: 'agent@example.com', expiresInSeconds: 600})},
      {
        json: minted({
          isNewUser: undefined,
          apiKey: {...(minted().data as {apiKey: object}).apiKey, raw: RAW2, keyPrefix: RAW2.slice(0, 12)},
        }),
      },
    )
    const env = {CODIKA_API_KEY: 'ckp_fromenvironment', CODIKA_BASE_URL: base}
    const runs = [
      ['auth', 'signup-request', '--email', ' agent@example.com '],
      [
        'auth',
        'signup-complete',
        '--email',
        'agent@example.com',
        '--code',
        CODE,
        '--company',
        ' Agents Inc ',
        '--description',
        'Made by an agent',
        '--key-name',
        'Agent key',
        '--key-expires-in',
        '90',
        '--name',
        'agents',
      ],
      ['auth', 'login-request', '--email', 'agent@example.com'],
      ['auth', 'login-complete', '--email', 'agent@example.com', '--code', CODE, '--organization-id', 'org_agents'],
    ]
    for (const args of runs) {
      const result = await runCli(h, [...args, '--json'], {env})
      assert.equal(result.code, 0, result.stdout + result.stderr)
    }
    const sent = platform.requestsTo('wire')
    assert.deepEqual(
      sent.map((r) => [r.method, r.url]),
      [
        ['POST', '/wire/clirequestsignupotp'],
        ['POST', '/wire/clicompletesignup'],
        ['POST', '/wire/clirequestloginotp'],
        ['POST', '/wire/clicompletelogin'],
      ],
    )
    assert.deepEqual(
      sent.map((r) => r.json),
      [
        {email: 'agent@example.com'},
        {
          email: 'agent@example.com',
          code: CODE,
          company: {name: 'Agents Inc', description: 'Made by an agent'},
          apiKey: {name: 'Agent key', expiresInDays: 90},
        },
        {email: 'agent@example.com'},
        {email: 'agent@example.com', code: CODE, organizationId: 'org_agents'},
      ],
    )
    for (const r of sent) {
      assert.equal(r.headers['x-process-manager-key'], undefined, 'no key is sent, not even one from the environment')
      assert.equal(r.headers['content-type'], 'application/json')
    }
    // The second login of the same key (same organization) does not replace the profile: a new one is made.
    const file = readConfig(h)
    assert.deepEqual(Object.keys(file.profiles), ['agents', 'agents-inc'])
    assert.equal(file.activeProfile, 'agents-inc')
    assert.equal(file.profiles.agents.baseUrl, base)
  })

  it('--api-url as a full endpoint URL is used as it is; the profile keeps the base URL', async () => {
    const h = home()
    const base = platform.route('endpoint', {json: minted()})
    const result = await runCli(h, [
      'auth',
      'signup-complete',
      '--email',
      'agent@example.com',
      '--code',
      CODE,
      '--api-url',
      `${base}/clicompletesignup`,
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(platform.requestsTo('endpoint')[0].url, '/endpoint/clicompletesignup')
    assert.equal(readConfig(h).profiles['agents-inc'].baseUrl, base)
    assert.equal(onlyJson(result).baseUrl, base)
  })

  it('DEBUG output shows nothing of the code (nor of the minted key), though oclif logs the command line', async () => {
    const base = platform.route('debug', {json: minted()})
    const result = await runCli(
      home(),
      ['auth', 'signup-complete', '--email', 'agent@example.com', `--code=${CODE}`, '--base-url', base],
      {
        env: {DEBUG: '*'},
      },
    )
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /••••••/)
    assert.match(result.stderr, /POST \S+\/clicompletesignup → 200/)
    assertNoLeak(result, [CODE, RAW])
  })

  it('a complete is never sent twice: a connection cut after it left fails once (exit 1), saying the code may be used', async () => {
    const h = home()
    const base = platform.route('cut', (_req, _res, socket) => socket.destroy())
    const result = await runCli(h, [
      'auth',
      'login-complete',
      '--email',
      'agent@example.com',
      '--code',
      CODE,
      '--base-url',
      base,
      '--json',
    ])
    const doc = assertJsonFailure(result, 1, 'NETWORK_ERROR')
    assert.match(doc.error.hint, /may have used up the code .* it was not sent again/)
    assert.match(doc.error.hint, /codika auth login-request --email agent@example\.com --base-url /)
    assert.equal(platform.requestsTo('cut').length, 1)
    assert.equal(fileBytes(configFile(h)), null)
  })
})

describe('the minted key is never lost', {concurrency: true}, () => {
  /** A platform answer held back until the test has changed the profile file. */
  function heldBack(prefix: string, meanwhile: () => void): string {
    return platform.route(prefix, (_req, res) => {
      meanwhile()
      json(res, 200, minted())
    })
  }

  it('a --name created by another process meanwhile: the key goes under a free name, with a warning', async () => {
    const h = home()
    const base = heldBack('meanwhile', () =>
      writeConfig(h, {activeProfile: 'agent', profiles: {agent: {apiKey: 'cko_otherkey', type: 'org-api-key'}}}),
    )
    const result = await runCli(h, [
      'auth',
      'signup-complete',
      '--email',
      'agent@example.com',
      '--code',
      CODE,
      '--name',
      'agent',
      '--base-url',
      base,
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    const doc = onlyJson(result)
    assert.equal(doc.profile, 'agent-2')
    assert.match(doc.warnings[0], /Profile "agent" was created by another process meanwhile; .* saved as "agent-2"/)
    assertNoLeak(result, [RAW])
    const file = readConfig(h)
    assert.equal(file.profiles.agent.apiKey, 'cko_otherkey')
    assert.equal(file.profiles['agent-2'].apiKey, RAW)
    assert.equal(file.activeProfile, 'agent-2')
  })

  it('a profile file that broke meanwhile: exit 0, a warning, and the raw key printed this once (human and --json)', async () => {
    for (const mode of ['human', 'json'] as const) {
      const h = home()
      const base = heldBack(`broke-${mode}`, () => writeFileSync(configFile(h), '{broken'))
      writeConfig(h, {activeProfile: null, profiles: {}})
      const args = ['auth', 'login-complete', '--email', 'agent@example.com', '--code', CODE, '--base-url', base]
      const result = await runCli(h, mode === 'json' ? [...args, '--json'] : args)
      assert.equal(result.code, 0, result.stderr)
      if (mode === 'json') {
        const doc = onlyJson(result)
        assert.equal(doc.profile, null)
        assert.equal(doc.unsavedKey, RAW)
        assert.match(doc.warnings[0], /minted but could not be saved as a profile: .* save it now/)
        assert.equal('raw' in doc.data.apiKey, false)
      } else {
        assert.match(result.stdout, /⚠ Not saved as a profile \(see the warning above\)/)
        assert.ok(result.stdout.includes(`API Key:  ${RAW}`), result.stdout)
        assert.match(result.stderr, /^Warning: The key was minted but could not be saved/m)
        assert.ok(!result.stderr.includes(RAW), 'the warning masks it')
      }
      assert.equal(fileBytes(configFile(h))?.toString(), '{broken', 'the broken file is not overwritten')
    }
  })
})

describe('the sandbox’s refusals of input the CLI checks first, as the CLI shows them', () => {
  it('EMAIL_REQUIRED, EMAIL_INVALID, COMPANY_NAME_TOO_LONG, INVALID_EXPIRES_IN_DAYS: the sandbox’s answers, replayed', async () => {
    const sandbox = await startTestSandbox()
    try {
      const email = 'replay@example.com'
      const code = await requestCode(sandbox.url, 'signup', email)
      const answers = {
        EMAIL_REQUIRED: await call(sandbox.url, 'clirequestloginotp', {body: {}}),
        EMAIL_INVALID: await call(sandbox.url, 'clirequestsignupotp', {body: {email: 'agent'}}),
        COMPANY_NAME_TOO_LONG: await call(sandbox.url, 'clicompletesignup', {
          body: {email, code, company: {name: 'x'.repeat(101)}},
        }),
        INVALID_EXPIRES_IN_DAYS: await call(sandbox.url, 'clicompletelogin', {
          body: {email, code, apiKey: {expiresInDays: 999}},
        }),
      }
      const commands: Record<keyof typeof answers, string[]> = {
        EMAIL_REQUIRED: ['auth', 'login-request', '--email', email],
        EMAIL_INVALID: ['auth', 'signup-request', '--email', email],
        COMPANY_NAME_TOO_LONG: ['auth', 'signup-complete', '--email', email, '--code', code, '--company', 'Acme'],
        INVALID_EXPIRES_IN_DAYS: ['auth', 'login-complete', '--email', email, '--code', code, '--key-expires-in', '9'],
      }
      await Promise.all(
        Object.entries(answers).map(async ([platformCode, answer]) => {
          const base = platform.route(`replay-${platformCode}`, {status: answer.status, json: answer.body})
          const args = [...commands[platformCode as keyof typeof answers], '--base-url', base]
          // One mode a code: the two that the CLI would refuse with --json, the other two in human mode.
          if (platformCode === 'EMAIL_INVALID' || platformCode === 'INVALID_EXPIRES_IN_DAYS') {
            const asJson = await runCli(home(), [...args, '--json'])
            const doc = assertJsonFailure(asJson, 1, 'API_ERROR')
            assert.equal(doc.error.platformCode, platformCode)
            assert.equal(doc.error.status, 400)
            assert.equal(doc.error.nextAction, answer.body.error.nextAction)
            assert.match(doc.error.hint, /^(Check --email|Use a --key-expires-in)/)
            assertNoLeak(asJson, [code])
          } else {
            const human = await runCli(home(), args)
            assertHumanFailure(human, 1, /\(HTTP 400\)/)
            assert.match(human.stderr, new RegExp(`^Code: ${platformCode}$`, 'm'))
            assert.ok(human.stderr.includes(`Next: ${answer.body.error.nextAction}`))
            assert.match(human.stderr, /^Hint: (Check --email|Use a --company)/m)
            assertNoLeak(human, [code])
          }
        }),
      )
    } finally {
      await sandbox.dispose()
    }
  })
})
