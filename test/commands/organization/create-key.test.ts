// `codika organization create-key` end to end: the spawned CLI against a scriptable platform on 127.0.0.1.
import assert from 'node:assert/strict'
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {dirname} from 'node:path'
import {describe, it} from 'node:test'

import {fileBytes, onlyJson, readConfig, writeConfig} from '../../helpers/assertions.js'
import {configFile, ROOT, runCli} from '../../helpers/cli.js'
import {createdKey, fakePlatformForFile, json} from '../../helpers/fake-platform.js'
import {runInPty} from '../../helpers/pty.js'

const ORG = 'xwk9CcT440Vupa8soIhY'
const CALLER = 'ckp_CallerKey0123456789abcdef'
const ARGS = [
  'organization',
  'create-key',
  '--organization-id',
  ORG,
  '--name',
  'CI Deploy Key',
  '--scopes',
  'deploy:use-case,workflows:trigger',
]
const NEW_KEY = (createdKey({}).data as {apiKey: string}).apiKey
const VERSION = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).version

const {platform, homes} = fakePlatformForFile()
const home = homes.home

const mode = (path: string) => statSync(path).mode & 0o777

describe('create-key: the happy path', () => {
  it('sends exactly the contract request and prints the seed page output', async () => {
    const h = home()
    const url = platform.route('happy')
    const result = await runCli(h, [...ARGS, '--api-key', CALLER, '--api-url', url])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')

    const [request, ...more] = platform.requestsTo('happy')
    assert.equal(more.length, 0, 'one request only')
    assert.equal(request.method, 'POST')
    assert.equal(request.url, '/happy/createorganizationapikeypublic')
    assert.equal(request.headers['x-process-manager-key'], CALLER)
    assert.equal(request.headers['content-type'], 'application/json')
    assert.equal(
      request.headers['user-agent'],
      `codika-cli/${VERSION} node/${process.versions.node} ${process.platform}`,
    )
    assert.match(request.headers['user-agent'] ?? '', /^codika-cli\/\d+\.\d+\.\d+\S* node\/\d+\.\d+\.\d+ \w+$/)
    assert.equal(request.headers.authorization, undefined, 'no Authorization header')
    assert.deepEqual(JSON.parse(request.body), {
      organizationId: ORG,
      name: 'CI Deploy Key',
      scopes: ['deploy:use-case', 'workflows:trigger'],
    })

    assert.equal(
      result.stdout,
      [
        '✓ Organization API Key Created Successfully',
        '',
        '⚠ Save the API key below — it will not be shown again.',
        '',
        `  API Key:     ${NEW_KEY}`,
        '  Key Prefix:  cko_AAAAAAAA',
        '  Key ID:      abc123-def456',
        '  Name:        CI Deploy Key',
        '  Scopes:      deploy:use-case, workflows:trigger',
        '  Created:     3/30/2026',
        '  Request ID:  req-789',
        '',
        '  Saved as profile "org-api-key-ci-deploy-key" (now active)',
        '',
      ].join('\n'),
    )
    // (The exact text above has no colour: stdout is not a terminal. The control, on one, is the test below.)

    const path = configFile(h)
    assert.equal(mode(path), 0o600)
    assert.equal(mode(dirname(path)), 0o700)
    assert.deepEqual(readConfig(h), {
      activeProfile: 'org-api-key-ci-deploy-key',
      profiles: {
        'org-api-key-ci-deploy-key': {
          apiKey: NEW_KEY,
          type: 'org-api-key',
          organizationId: ORG,
          keyId: 'abc123-def456',
          keyName: 'CI Deploy Key',
          keyPrefix: 'cko_AAAAAAAA',
          scopes: ['deploy:use-case', 'workflows:trigger'],
          createdAt: '2026-03-30T12:00:00.000Z',
          baseUrl: url,
        },
      },
    })
    assert.deepEqual(readdirSync(dirname(path)), ['config.json'], 'no temporary or lock file left behind')
  })

  it('on a terminal the same page is coloured (so the plain page above is a choice the CLI made)', async () => {
    const result = await runInPty(home(), [
      ...ARGS,
      '--api-key',
      CALLER,
      '--api-url',
      platform.route('tty'),
      '--no-save',
    ])
    assert.equal(result.code, 0, result.screen)
    // Green: ESC [ 32 m before the heading.
    assert.ok(result.screen.includes('\u001B[32m✓ Organization API Key Created Successfully'), result.screen)
    assert.ok(result.screen.includes(NEW_KEY))
  })

  it('sends --description and --expires-in-days (as an integer), and keeps the expiry', async () => {
    const h = home()
    const url = platform.route('expiry', (req, res) =>
      json(res, 201, createdKey(req.json, {expiresAt: '2026-06-28T12:00:00.000Z'})),
    )
    const result = await runCli(h, [
      ...ARGS,
      '--description',
      'Key for autonomous agent deployments',
      '--expires-in-days',
      '90',
      '--api-key',
      CALLER,
      '--api-url',
      url,
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(platform.requestsTo('expiry')[0].body), {
      organizationId: ORG,
      name: 'CI Deploy Key',
      scopes: ['deploy:use-case', 'workflows:trigger'],
      description: 'Key for autonomous agent deployments',
      expiresInDays: 90,
    })
    assert.match(result.stdout, /^ {2}Expires: {5}6\/28\/2026$/m)
    assert.equal(readConfig(h).profiles['org-api-key-ci-deploy-key'].expiresAt, '2026-06-28T12:00:00.000Z')
  })

  it('trims the flags and drops duplicate scopes before sending', async () => {
    const h = home()
    const url = platform.route('trim')
    const args = [
      'organization',
      'create-key',
      '--organization-id',
      ` ${ORG} `,
      '--name',
      ' CI Deploy Key ',
      '--scopes',
      ' deploy:use-case , deploy:use-case,,workflows:trigger ',
    ]
    const result = await runCli(h, [...args, '--api-key', CALLER, '--api-url', url])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(platform.requestsTo('trim')[0].body), {
      organizationId: ORG,
      name: 'CI Deploy Key',
      scopes: ['deploy:use-case', 'workflows:trigger'],
    })
  })

  it('--json prints one document with the key, the request id and the profile name', async () => {
    const h = home()
    const url = platform.route('json')
    const result = await runCli(h, [...ARGS, '--api-key', CALLER, '--api-url', url, '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '', 'nothing on stderr with --json (no spinner, no warning)')
    const doc = onlyJson(result)
    assert.equal(doc.success, true)
    assert.equal(doc.data.apiKey, NEW_KEY)
    assert.equal(doc.data.keyId, 'abc123-def456')
    assert.equal(doc.requestId, 'req-789')
    assert.equal(doc.profile, 'org-api-key-ci-deploy-key')
    assert.deepEqual(doc.warnings, [])
    assert.equal(readConfig(h).activeProfile, 'org-api-key-ci-deploy-key')
  })

  it('de-duplicates the profile name with -2, -3 and leaves the existing profiles alone', async () => {
    const h = home()
    const existing = {
      apiKey: 'cko_OldKey000000000000000000',
      type: 'org-api-key',
      keyName: 'CI Deploy Key',
      shoeSize: 44,
    }
    writeConfig(h, {activeProfile: 'org-api-key-ci-deploy-key', profiles: {'org-api-key-ci-deploy-key': existing}})
    const url = platform.route('dedupe')
    const first = await runCli(h, [...ARGS, '--api-key', CALLER, '--api-url', url, '--json'])
    assert.equal(first.code, 0, first.stderr)
    assert.equal(onlyJson(first).profile, 'org-api-key-ci-deploy-key-2')
    const second = await runCli(h, [...ARGS, '--api-key', CALLER, '--api-url', url])
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /Saved as profile "org-api-key-ci-deploy-key-3" \(now active\)/)
    const file = readConfig(h)
    assert.deepEqual(Object.keys(file.profiles).sort(), [
      'org-api-key-ci-deploy-key',
      'org-api-key-ci-deploy-key-2',
      'org-api-key-ci-deploy-key-3',
    ])
    assert.deepEqual(file.profiles['org-api-key-ci-deploy-key'], existing)
    assert.equal(file.activeProfile, 'org-api-key-ci-deploy-key-3')
  })

  it('--no-save prints the key and writes nothing', async () => {
    const fresh = home()
    const withFile = home()
    const path = writeConfig(withFile, {activeProfile: null, profiles: {}})
    const before = fileBytes(path)
    const url = platform.route('nosave')
    const [human, jsonRun] = await Promise.all([
      runCli(fresh, [...ARGS, '--api-key', CALLER, '--api-url', url, '--no-save']),
      runCli(withFile, [...ARGS, '--api-key', CALLER, '--api-url', url, '--no-save', '--json']),
    ])
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stdout, new RegExp(`API Key: {5}${NEW_KEY}`))
    assert.match(human.stdout, /Not saved as a profile \(--no-save\)/)
    assert.equal(fileBytes(configFile(fresh)), null, 'no profile file created')
    assert.equal(jsonRun.code, 0, jsonRun.stderr)
    const doc = onlyJson(jsonRun)
    assert.equal(doc.data.apiKey, NEW_KEY)
    assert.equal(doc.profile, null)
    assert.deepEqual(fileBytes(path), before)
    assert.equal(platform.requestsTo('nosave').length, 2)
  })
})

describe('create-key: a key in use that expires soon', () => {
  it('is warned about on stderr, or in `warnings` with --json; the command still succeeds', async () => {
    const h = home()
    const base = platform.route('expiring')
    const soon = new Date(Date.now() + 3 * 86_400_000 - 60_000).toISOString()
    writeConfig(h, {
      activeProfile: 'me',
      profiles: {me: {apiKey: CALLER, type: 'personal-api-key', baseUrl: base, expiresAt: soon}},
    })
    const [human, asJson, byFlag] = await Promise.all([
      runCli(h, [...ARGS, '--no-save']),
      runCli(h, [...ARGS, '--no-save', '--json']),
      // The same key given with --api-key is still the key in use.
      runCli(h, [...ARGS, '--no-save', '--api-key', CALLER, '--api-url', base]),
    ])
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stderr, /^Warning: The key of profile "me" expires in 3 day\(s\)/m)
    assert.equal(asJson.code, 0, asJson.stderr)
    assert.equal(asJson.stderr, '')
    assert.match(onlyJson(asJson).warnings.join('\n'), /expires in 3 day\(s\)/)
    assert.equal(byFlag.code, 0, byFlag.stderr)
    assert.match(byFlag.stderr, /^Warning: The key (in use|of profile "me") expires in 3 day\(s\)/m)
    for (const r of [human, asJson, byFlag]) assert.ok(!r.stderr.includes(CALLER))
  })
})

describe('create-key: the URL it calls and the URL it remembers', () => {
  it('an --api-url that already ends with the endpoint path is used as it is, and saved without it', async () => {
    const [a, b, c] = [home(), home(), home()]
    const base = platform.route('asis')
    const [full, slash, trailing] = await Promise.all([
      runCli(a, [...ARGS, '--api-key', CALLER, '--api-url', `${base}/createorganizationapikeypublic`]),
      runCli(b, [...ARGS, '--api-key', CALLER, '--api-url', `${base}/`]),
      runCli(c, [...ARGS, '--api-key', CALLER, '--api-url', `${base}/createorganizationapikeypublic/`]),
    ])
    for (const r of [full, slash, trailing]) assert.equal(r.code, 0, r.stderr)
    // Never doubled; an endpoint URL given with a trailing slash is still sent exactly as the user wrote it.
    assert.deepEqual(
      platform
        .requestsTo('asis')
        .map((r) => r.url)
        .sort(),
      [
        '/asis/createorganizationapikeypublic',
        '/asis/createorganizationapikeypublic',
        '/asis/createorganizationapikeypublic/',
      ],
    )
    for (const h of [a, b, c]) assert.equal(readConfig(h).profiles['org-api-key-ci-deploy-key'].baseUrl, base)
  })

  it('with no flags, uses the active profile: its key, its URL, and passes both URL and organization name on', async () => {
    const h = home()
    const base = platform.route('inherit')
    const creator = {
      apiKey: 'ckp_ActiveProfileKey000000000',
      type: 'personal-api-key',
      organizationId: ORG,
      organizationName: 'Acme Corp',
      baseUrl: base,
    }
    writeConfig(h, {activeProfile: 'me', profiles: {me: creator}})
    const result = await runCli(h, ARGS)
    assert.equal(result.code, 0, result.stderr)
    const [request] = platform.requestsTo('inherit')
    assert.equal(request.headers['x-process-manager-key'], creator.apiKey)
    const file = readConfig(h)
    assert.equal(file.activeProfile, 'org-api-key-ci-deploy-key')
    assert.deepEqual(file.profiles.me, creator)
    assert.equal(file.profiles['org-api-key-ci-deploy-key'].baseUrl, base)
    assert.equal(file.profiles['org-api-key-ci-deploy-key'].organizationName, 'Acme Corp')
  })
})

describe('create-key: which key goes to which URL (SPEC.md table, end to end)', () => {
  const KEYS = {
    act: 'ckp_ActiveProfile00000000000',
    named: 'ckp_NamedProfile000000000000',
    envp: 'ckp_EnvProfile00000000000000',
    prod: 'ckp_ProductionProfile0000000',
    flag: 'ckp_FromTheFlag0000000000000',
    env: 'ckp_FromTheEnvironment000000',
  }
  type Target = 'act' | 'named' | 'envp' | 'env' | 'flag'
  interface Case {
    name: string
    args?: string[]
    env?: Record<string, string>
    key: keyof typeof KEYS
    url: Target
  }
  // `url` is where the request must land; every other URL of the case must receive nothing.
  const cases: Case[] = [
    {name: 'row 5: the active profile', key: 'act', url: 'act'},
    {name: 'row 2: --profile', args: ['--profile', 'named'], key: 'named', url: 'named'},
    {name: 'row 2: -p', args: ['-p', 'named'], key: 'named', url: 'named'},
    {
      name: 'row 2 beats row 3 for the URL',
      args: ['--profile', 'named'],
      env: {CODIKA_API_KEY: KEYS.env, CODIKA_BASE_URL: 'env'},
      key: 'named',
      url: 'named',
    },
    {
      name: 'row 4: CODIKA_PROFILE, never the active profile URL',
      env: {CODIKA_PROFILE: 'envp'},
      key: 'envp',
      url: 'envp',
    },
    {
      name: 'row 3: CODIKA_API_KEY with CODIKA_BASE_URL',
      env: {CODIKA_API_KEY: KEYS.env, CODIKA_BASE_URL: 'env'},
      key: 'env',
      url: 'env',
    },
    {
      name: 'row 1: --api-key with --api-url beats everything',
      args: ['--api-key', KEYS.flag, '--api-url', 'flag', '--profile', 'named'],
      env: {CODIKA_API_KEY: KEYS.env, CODIKA_BASE_URL: 'env', CODIKA_PROFILE: 'envp'},
      key: 'flag',
      url: 'flag',
    },
    {
      name: 'row 5: --api-key alone goes to the active profile URL',
      args: ['--api-key', KEYS.flag],
      key: 'flag',
      url: 'act',
    },
    {
      name: 'row 4/5: --api-key with CODIKA_PROFILE goes to that profile URL',
      args: ['--api-key', KEYS.flag],
      env: {CODIKA_PROFILE: 'envp'},
      key: 'flag',
      url: 'envp',
    },
    {
      name: 'row 2: --api-key with --profile goes to that profile URL',
      args: ['--api-key', KEYS.flag, '--profile', 'named'],
      key: 'flag',
      url: 'named',
    },
    {name: 'row 1 URL with the active profile key', args: ['--api-url', 'flag'], key: 'act', url: 'flag'},
    {name: 'row 3 URL with the active profile key', env: {CODIKA_BASE_URL: 'env'}, key: 'act', url: 'env'},
    {
      name: 'row 3 URL with a CODIKA_PROFILE key',
      env: {CODIKA_PROFILE: 'envp', CODIKA_BASE_URL: 'env'},
      key: 'envp',
      url: 'env',
    },
    {
      name: '--profile beats CODIKA_PROFILE',
      args: ['--profile', 'named'],
      env: {CODIKA_PROFILE: 'envp'},
      key: 'named',
      url: 'named',
    },
  ]

  it('sends each key to the URL the table names, and nowhere else', async () => {
    const targets: Target[] = ['act', 'named', 'envp', 'env', 'flag']
    await Promise.all(
      cases.map(async (c, i) => {
        const h = home()
        const at = (t: Target) => platform.route(`t${i}-${t}`)
        writeConfig(h, {
          activeProfile: 'act',
          profiles: {
            act: {apiKey: KEYS.act, type: 'personal-api-key', baseUrl: at('act')},
            named: {apiKey: KEYS.named, type: 'personal-api-key', baseUrl: at('named')},
            envp: {apiKey: KEYS.envp, type: 'personal-api-key', baseUrl: at('envp')},
            prod: {apiKey: KEYS.prod, type: 'personal-api-key'},
          },
        })
        const resolve = (v: string) => (v === 'env' || v === 'flag' ? at(v) : v)
        const args = (c.args ?? []).map((a, j, all) => (all[j - 1] === '--api-url' ? resolve(a) : a))
        const env = Object.fromEntries(
          Object.entries(c.env ?? {}).map(([k, v]) => [k, k === 'CODIKA_BASE_URL' ? resolve(v) : v]),
        )
        const result = await runCli(h, [...ARGS, '--no-save', ...args], {env})
        assert.equal(result.code, 0, `${c.name}: ${result.stderr}`)
        for (const t of targets) {
          const got = platform.requestsTo(`t${i}-${t}`)
          if (t === c.url) {
            assert.equal(got.length, 1, `${c.name}: one request to ${t}`)
            assert.equal(got[0].headers['x-process-manager-key'], KEYS[c.key], `${c.name}: the key`)
          } else assert.equal(got.length, 0, `${c.name}: nothing to ${t}`)
        }
      }),
    )
  })

  it('a key from CODIKA_API_KEY, or a profile without baseUrl, goes to production, not to a profile URL', async () => {
    const {startRecordingProxy} = await import('../../helpers/proxy.js')
    const runs = [
      {name: 'CODIKA_API_KEY', args: [] as string[], env: {CODIKA_API_KEY: KEYS.env}, key: KEYS.env},
      {
        name: 'CODIKA_API_KEY with CODIKA_PROFILE',
        args: [],
        env: {CODIKA_API_KEY: KEYS.env, CODIKA_PROFILE: 'envp'},
        key: KEYS.env,
      },
      {
        name: '--profile prod',
        args: ['--profile', 'prod'],
        env: {CODIKA_BASE_URL: 'http://127.0.0.1:9/never'},
        key: KEYS.prod,
      },
    ]
    await Promise.all(
      runs.map(async (run, i) => {
        // The proxy refuses every tunnel, so production is never reached, yet it tells where the CLI went.
        const proxy = await startRecordingProxy({tunnel: () => false})
        try {
          const h = home()
          const at = (t: string) => platform.route(`p${i}-${t}`)
          writeConfig(h, {
            activeProfile: 'act',
            profiles: {
              act: {apiKey: KEYS.act, type: 'personal-api-key', baseUrl: at('act')},
              envp: {apiKey: KEYS.envp, type: 'personal-api-key', baseUrl: at('envp')},
              prod: {apiKey: KEYS.prod, type: 'personal-api-key'},
            },
          })
          const result = await runCli(h, [...ARGS, ...run.args], {env: {...run.env, HTTPS_PROXY: proxy.url}})
          assert.equal(result.code, 1, `${run.name}: ${result.stderr}`)
          assert.match(result.stderr, /api\.codika\.io/, run.name)
          assert.deepEqual(
            proxy.requests.map((r) => r.target),
            ['api.codika.io:443'],
            run.name,
          )
          assert.equal(platform.requestsTo(`p${i}-act`).length + platform.requestsTo(`p${i}-envp`).length, 0, run.name)
          assert.ok(!result.stderr.includes(run.key), 'the key is not printed')
        } finally {
          await proxy.close()
        }
      }),
    )
  })

  it('a profile named by --profile or CODIKA_PROFILE that does not exist is exit 2, with nothing sent', async () => {
    const h = home()
    const base = platform.route('nosuch')
    const path = writeConfig(h, {
      activeProfile: 'act',
      profiles: {act: {apiKey: KEYS.act, type: 'personal-api-key', baseUrl: base}},
    })
    const before = fileBytes(path)
    const results = await Promise.all([
      runCli(h, [...ARGS, '--profile', 'nosuch']),
      runCli(h, [...ARGS, '--profile', 'nosuch', '--api-key', KEYS.flag]),
      runCli(h, ARGS, {env: {CODIKA_PROFILE: 'nosuch'}}),
      runCli(h, [...ARGS, '--json'], {env: {CODIKA_PROFILE: 'nosuch'}}),
    ])
    for (const r of results.slice(0, 3)) {
      assert.equal(r.code, 2, r.stderr)
      assert.match(r.stderr, /No profile named "nosuch"/)
      assert.match(r.stderr, /Known profiles: act/)
    }
    assert.equal(results[3].code, 2)
    assert.equal(onlyJson(results[3]).error.code, 'PROFILE_NOT_FOUND')
    assert.equal(platform.requestsTo('nosuch').length, 0)
    assert.deepEqual(fileBytes(path), before)
  })
})
