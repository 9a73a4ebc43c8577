// `codika config set|show|clear`, 3.6.0's names (COMPAT.md): set is login, show is the profile list with the base URL
// a command would call here, clear removes the whole profile file (asking first on a terminal) or one profile.
import assert from 'node:assert/strict'
import {existsSync, statSync} from 'node:fs'
import {dirname} from 'node:path'
import {after, before, describe, it, type TestContext} from 'node:test'
import {stripVTControlCharacters} from 'node:util'

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
import {errorEnvelope, type FakePlatform, okEnvelope, startFakePlatform} from '../helpers/fake-platform.js'
import {KEYRING_TOOLS, type PrivateKeyring, startPrivateKeyring} from '../helpers/keyring.js'
import {runInPty} from '../helpers/pty.js'
import {skipUnless} from '../helpers/tools.js'

const ACME_KEY = 'cko_AcmeConfigKey0123456789SecretAAAA'
const SANDBOX_KEY = 'ckp_SandboxConfigKey0123456789SecretBB'
const ENV_KEY = 'cka_EnvConfigKey0123456789SecretCCCCC'
const SECRETS = [ACME_KEY, SANDBOX_KEY, ENV_KEY]
const SANDBOX_URL = 'http://127.0.0.1:8787'
const CTRL_C = '\u0003'

function twoProfiles() {
  return {
    activeProfile: 'acme',
    profiles: {
      acme: {apiKey: ACME_KEY, type: 'org-api-key', organizationId: 'org_1', organizationName: 'Acme Corp'},
      sandbox: {apiKey: SANDBOX_KEY, type: 'personal-api-key', keyName: 'Jane', baseUrl: SANDBOX_URL},
    },
  }
}

let platform: FakePlatform
const homes = tempHomes('codika-config-')
let routes = 0
before(async () => {
  platform = await startFakePlatform({status: 500, json: errorEnvelope('no route')})
})
after(async () => {
  await platform.close()
  homes.cleanup()
})

/** A temp home holding `content` as its profile file (null: no file, no folder). */
function home(content: unknown = twoProfiles()): string {
  const h = homes.home()
  if (content !== null) writeConfig(h, content)
  return h
}

async function ok(h: string, args: string[], env: Record<string, string | undefined> = {}) {
  const result = await runCli(h, args, {env})
  assert.equal(result.code, 0, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`)
  assertNoLeak(result, SECRETS)
  return result
}

describe('config set: login under its 3.6.0 name', {concurrency: true}, () => {
  it('verifies and saves exactly as login does: the same request, the same file, the same document', async () => {
    const prefix = `set${++routes}`
    const data = {type: 'org-api-key', organizationId: 'org_1', organizationName: 'Acme Corp', keyName: 'CI'}
    const url = platform.route(prefix, {status: 200, json: okEnvelope(data)})
    const [viaSet, viaLogin] = [home(null), home(null)]
    const args = ['--api-key', ACME_KEY, '--base-url', url, '--json']
    const set = onlyJson(await ok(viaSet, ['config', 'set', ...args]))
    const login = onlyJson(await ok(viaLogin, ['login', ...args]))
    assert.deepEqual(set, login)
    assert.equal(set.profile, 'acme-corp')
    assert.deepEqual(readConfig(viaSet), readConfig(viaLogin))
    const requests = platform.requestsTo(prefix)
    assert.deepEqual(
      requests.map((r) => [r.method, r.url, r.headers['x-process-manager-key']]),
      [
        ['POST', `/${prefix}/verifyapikey`, ACME_KEY],
        ['POST', `/${prefix}/verifyapikey`, ACME_KEY],
      ],
    )
  })

  it("has login's flags, and its key from stdin", async () => {
    const help = await ok(home(null), ['config', 'set', '--help'])
    for (const flag of [
      '--api-key',
      '--base-url',
      '--name',
      '--skip-verify',
      '--force',
      '--insecure-storage',
      '--json',
    ])
      assert.ok(help.stdout.includes(flag), `${flag} in:\n${help.stdout}`)
    const h = home(null)
    const result = await runCli(h, ['config', 'set', '--skip-verify', '--name', 'piped'], {input: `${SANDBOX_KEY}\n`})
    assert.equal(result.code, 0, result.stderr)
    assertNoLeak(result, SECRETS)
    assert.equal(readConfig(h).profiles.piped.apiKey, SANDBOX_KEY)
  })

  it("refuses login's bad input the same way: exit 2, nothing sent, nothing written", async () => {
    const prefix = `set-bad${++routes}`
    const url = platform.route(prefix, {status: 200, json: okEnvelope({type: 'org-api-key'})})
    const h = home(null)
    const cases: Array<[string[], string]> = [
      [['--api-key', ACME_KEY, '--base-url', 'ftp://example.com'], 'INVALID_FLAG'],
      [['--api-key', ACME_KEY, '--base-url', url, '--name', 'bad name!'], 'INVALID_FLAG'],
      [['--api-key', ACME_KEY, '--base-url', url, '--colour'], 'INVALID_FLAG'],
    ]
    for (const [args, code] of cases) {
      const result = await runCli(h, ['config', 'set', ...args, '--json'])
      assertJsonFailure(result, 2, code)
      assertNoLeak(result, SECRETS)
    }
    // A key typed as an argument is never echoed (login's hint).
    const stray = await runCli(h, ['config', 'set', ACME_KEY])
    assertHumanFailure(stray, 2, /Unexpected argument/)
    assertNoLeak(stray, SECRETS)
    assert.equal(platform.requestsTo(prefix).length, 0)
    assert.equal(existsSync(dirname(configFile(h))), false)
  })

  it('a profile holding another key is kept without --force', async () => {
    const h = home()
    const before = fileBytes(configFile(h))
    const result = await runCli(h, ['config', 'set', '--api-key', ENV_KEY, '--skip-verify', '--name', 'acme'])
    assertHumanFailure(result, 2, /Profile "acme" holds a different key/)
    assert.deepEqual(fileBytes(configFile(h)), before)
  })
})

describe('config show', {concurrency: true}, () => {
  it('the table of profile list, then the base URL when it is not production, and where it comes from', async () => {
    const h = home()
    const list = await ok(h, ['profile', 'list'])
    const show = await ok(h, ['config', 'show'])
    // acme is active and on production: no Base URL line.
    assert.equal(show.stdout, list.stdout)
    assert.doesNotMatch(show.stdout, /Base URL/)
    const sandbox = await ok(h, ['config', 'show', '--profile', 'sandbox'])
    assert.equal(sandbox.stdout, `${list.stdout.trimEnd()}\n\nBase URL: ${SANDBOX_URL}  (profile "sandbox")\n`)
    const env = await ok(h, ['config', 'show'], {CODIKA_BASE_URL: 'http://127.0.0.1:9999'})
    assert.match(env.stdout, /\nBase URL: http:\/\/127\.0\.0\.1:9999 {2}\(CODIKA_BASE_URL\)\n$/)
    const flag = await ok(h, ['config', 'show', '--api-url', 'http://127.0.0.1:7777/'])
    assert.match(flag.stdout, /\nBase URL: http:\/\/127\.0\.0\.1:7777\/ {2}\(--api-url\)\n$/)
    assert.equal(show.stderr, '')
    // What overrides the active profile in this shell: a warning on stderr (in `warnings` with --json), as in profile list.
    const shadowed = await ok(h, ['config', 'show'], {CODIKA_PROFILE: 'sandbox'})
    assert.match(shadowed.stderr, /Warning: CODIKA_PROFILE is set: commands in this shell use profile "sandbox"/)
    assert.doesNotMatch(shadowed.stdout, /CODIKA_PROFILE/)
    const doc = onlyJson(await ok(h, ['config', 'show', '--json'], {CODIKA_API_KEY: ENV_KEY}))
    assert.match(doc.warnings[0], /CODIKA_API_KEY is set/)
  })

  it('--json: the objects of use --json and profile list --json, baseUrl and baseUrlSource in 3.6.0 words', async () => {
    const h = home()
    const list = onlyJson(await ok(h, ['profile', 'list', '--json']))
    const use = onlyJson(await ok(h, ['use', '--json']))
    const show = onlyJson(await ok(h, ['config', 'show', '--json']))
    assert.deepEqual(show.profiles, list.profiles)
    assert.deepEqual(show.profiles, use.profiles)
    assert.deepEqual(show, {
      ...list,
      baseUrl: 'https://api.codika.io',
      baseUrlSource: 'default',
      urlSource: 'default',
      urlSourceLabel: 'production (default)',
    })
    const sources: Array<[string[], Record<string, string>, string, string]> = [
      [['-p', 'sandbox'], {}, SANDBOX_URL, 'profile "sandbox"'],
      [['--api-url', 'http://127.0.0.1:7777'], {}, 'http://127.0.0.1:7777', 'flag'],
      [[], {CODIKA_BASE_URL: 'http://127.0.0.1:9999'}, 'http://127.0.0.1:9999', 'env (CODIKA_BASE_URL)'],
      [[], {CODIKA_PROFILE: 'sandbox'}, SANDBOX_URL, 'profile "sandbox"'],
      // A key from the environment never goes to a profile's URL.
      [[], {CODIKA_PROFILE: 'sandbox', CODIKA_API_KEY: ENV_KEY}, 'https://api.codika.io', 'default'],
    ]
    for (const [args, env, baseUrl, baseUrlSource] of sources) {
      const doc = onlyJson(await ok(h, ['config', 'show', ...args, '--json'], env))
      assert.deepEqual(
        [doc.baseUrl, doc.baseUrlSource],
        [baseUrl, baseUrlSource],
        `${args.join(' ')} ${JSON.stringify(env)}`,
      )
    }
  })

  it('no profiles: exit 1 with what to do (human); --json: the empty list, exit 0; no file created', async () => {
    const h = home(null)
    const human = await runCli(h, ['config', 'show'])
    assertHumanFailure(human, 1, /^Error: There are no profiles\.$/)
    assert.match(human.stderr, /Hint: Run `codika login` \(or `codika config set`\) to add one\./)
    const env = await runCli(h, ['config', 'show'], {env: {CODIKA_API_KEY: ENV_KEY}})
    assertHumanFailure(env, 1, /There are no profiles/)
    assert.match(env.stderr, /CODIKA_API_KEY is set: commands in this shell use that key/)
    assertNoLeak(env, SECRETS)
    const doc = onlyJson(await ok(h, ['config', 'show', '--json']))
    assert.deepEqual(doc, {
      success: true,
      activeProfile: null,
      profiles: [],
      env: null,
      baseUrl: 'https://api.codika.io',
      baseUrlSource: 'default',
      urlSource: 'default',
      urlSourceLabel: 'production (default)',
      warnings: [],
    })
    assert.equal(existsSync(dirname(configFile(h))), false)
  })

  it('bad input: an unknown profile or URL is exit 2, a broken file exit 1; nothing written', async () => {
    const h = home()
    const before = fileBytes(configFile(h))
    const unknown = assertJsonFailure(
      await runCli(h, ['config', 'show', '-p', 'nope', '--json']),
      2,
      'PROFILE_NOT_FOUND',
    )
    assert.match(unknown.error.hint, /acme, sandbox/)
    assertHumanFailure(await runCli(h, ['config', 'show', '--api-url', 'ftp://x']), 2, /--api-url must be an http/)
    assertJsonFailure(
      await runCli(h, ['config', 'show', '--api-url', 'http://u:p@127.0.0.1', '--json']),
      2,
      'INVALID_FLAG',
    )
    assertJsonFailure(await runCli(h, ['config', 'show', 'extra', '--json']), 2, 'INVALID_ARGUMENT')
    assert.deepEqual(fileBytes(configFile(h)), before)
    const broken = home('{"profiles": ')
    const doc = assertJsonFailure(await runCli(broken, ['config', 'show', '--json']), 1, 'CONFIG_UNREADABLE')
    assert.ok(doc.error.message.includes(configFile(broken)))
    assert.equal(fileBytes(configFile(broken))?.toString(), '{"profiles": ')
  })
})

describe('config clear', {concurrency: true}, () => {
  it('off a terminal: the whole file goes without a question, the folder stays; 3.6.0 line; exit 0', async () => {
    const h = home()
    const result = await ok(h, ['config', 'clear'])
    assert.equal(result.stdout, '✓ Configuration cleared\nRemoved 2 profiles: acme, sandbox.\n')
    assert.equal(result.stderr, '')
    assert.equal(existsSync(configFile(h)), false)
    assert.equal(statSync(dirname(configFile(h))).mode & 0o777, 0o700)
    assert.equal(existsSync(`${configFile(h)}.lock`), false)
    // Nothing left to clear: still exit 0.
    const again = await ok(h, ['config', 'clear', '--json'])
    assert.deepEqual(onlyJson(again), {
      success: true,
      removed: [],
      file: configFile(h),
      fileRemoved: false,
      warnings: [],
    })
    assert.match((await ok(h, ['config', 'clear'])).stdout, /^✓ Configuration cleared\nThere were no profiles\.\n$/)
  })

  it('--json says what was removed; --force is accepted; no folder is made when there was none', async () => {
    const h = home()
    const doc = onlyJson(await ok(h, ['config', 'clear', '--force', '--json']))
    assert.deepEqual(doc, {
      success: true,
      removed: ['acme', 'sandbox'],
      file: configFile(h),
      fileRemoved: true,
      warnings: [],
    })
    const empty = home(null)
    assert.match((await ok(empty, ['config', 'clear', '-f'])).stdout, /Configuration cleared/)
    assert.equal(existsSync(dirname(configFile(empty))), false)
  })

  it('--profile NAME is profile remove: the same document, the same file after', async () => {
    const [a, b] = [home(), home()]
    const clear = onlyJson(await ok(a, ['config', 'clear', '--profile', 'acme', '--json']))
    const remove = onlyJson(await ok(b, ['profile', 'remove', 'acme', '--json']))
    assert.deepEqual(clear, remove)
    assert.deepEqual(readConfig(a), readConfig(b))
    assert.deepEqual(Object.keys(readConfig(a).profiles), ['sandbox'])
    const human = await ok(a, ['config', 'clear', '-p', 'sandbox'])
    assert.match(human.stdout, /✓ Removed profile "sandbox"/)
  })

  it('bad input: an unknown profile is exit 2 (PROFILE_NOT_FOUND), a broken file exit 1; nothing removed', async () => {
    const h = home()
    const before = fileBytes(configFile(h))
    const human = await runCli(h, ['config', 'clear', '--profile', 'nope'])
    assertHumanFailure(human, 2, /No profile named "nope"/)
    assert.match(human.stderr, /Known profiles: acme, sandbox/)
    assertJsonFailure(await runCli(h, ['config', 'clear', '--profile', 'nope', '--json']), 2, 'PROFILE_NOT_FOUND')
    assertJsonFailure(await runCli(h, ['config', 'clear', '--profile', '--json']), 2, 'INVALID_FLAG')
    assertJsonFailure(await runCli(h, ['config', 'clear', '--yes', '--json']), 2, 'INVALID_FLAG')
    assertJsonFailure(await runCli(h, ['config', 'clear', 'acme', '--json']), 2, 'INVALID_ARGUMENT')
    assert.deepEqual(fileBytes(configFile(h)), before)
    // A file that cannot be read names entries nobody could find again: kept, exit 1.
    const broken = home('{"profiles": [1]}')
    const doc = assertJsonFailure(
      await runCli(broken, ['config', 'clear', '--force', '--json']),
      1,
      'CONFIG_UNREADABLE',
    )
    assert.ok(doc.error.message.includes(configFile(broken)))
    assert.equal(fileBytes(configFile(broken))?.toString(), '{"profiles": [1]}')
  })

  it('on a terminal: asks first; no keeps everything (exit 1), yes clears, Ctrl+C is 130, --force asks nothing', async () => {
    const question = /Remove all 2 profiles \(acme, sandbox\) and their saved keys\? \[y\/N\]/
    const no = home()
    const before = fileBytes(configFile(no))
    const refused = await runInPty(no, ['config', 'clear'], {steps: [{waitFor: question, send: 'n\r'}]})
    assert.equal(refused.code, 1, refused.screen)
    assert.match(stripVTControlCharacters(refused.screen), /Error: Nothing was removed: the answer was no\./)
    assert.match(stripVTControlCharacters(refused.screen), /Hint: Pass --force to clear without the question\./)
    assert.deepEqual(fileBytes(configFile(no)), before)

    const cancel = await runInPty(no, ['config', 'clear'], {steps: [{waitFor: question, send: CTRL_C}]})
    assert.equal(cancel.code, 130, cancel.screen)
    assert.match(stripVTControlCharacters(cancel.screen), /Error: Cancelled; nothing was removed\./)
    assert.deepEqual(fileBytes(configFile(no)), before)

    const yes = home()
    const cleared = await runInPty(yes, ['config', 'clear'], {steps: [{waitFor: question, send: 'y\r'}]})
    assert.equal(cleared.code, 0, cleared.screen)
    assert.match(stripVTControlCharacters(cleared.screen), /✓ Configuration cleared/)
    assert.equal(existsSync(configFile(yes)), false)

    const forced = home()
    const force = await runInPty(forced, ['config', 'clear', '--force'])
    assert.equal(force.code, 0, force.screen)
    assert.doesNotMatch(force.screen, /\[y\/N\]/)
    assert.equal(existsSync(configFile(forced)), false)

    // One profile, named: no question for --profile, the question's words for one.
    const one = home({activeProfile: 'acme', profiles: {acme: twoProfiles().profiles.acme}})
    const single = await runInPty(one, ['config', 'clear'], {
      steps: [{waitFor: /Remove the profile \(acme\) and their saved keys\? \[y\/N\]/, send: 'y\r'}],
    })
    assert.equal(single.code, 0, single.screen)
    const named = home()
    const byName = await runInPty(named, ['config', 'clear', '--profile', 'acme'])
    assert.equal(byName.code, 0, byName.screen)
    assert.doesNotMatch(byName.screen, /\[y\/N\]/)
    // Many profiles: the first five named, and how many more.
    const many = home({
      activeProfile: null,
      profiles: Object.fromEntries(
        Array.from({length: 7}, (_, i) => [`p${i + 1}`, {apiKey: `${ACME_KEY}${i}`, type: 'org-api-key'}]),
      ),
    })
    const long = await runInPty(many, ['config', 'clear'], {
      steps: [
        {waitFor: /Remove all 7 profiles \(p1, p2, p3, p4, p5, 2 more\) and their saved keys\? \[y\/N\]/, send: '\r'},
      ],
    })
    assert.equal(long.code, 1, long.screen)
    for (const result of [refused, cancel, cleared, force, single, byName, long])
      for (const secret of SECRETS) assert.ok(!result.screen.includes(secret))
  })
})

const keyringSuite = {skip: skipUnless(KEYRING_TOOLS, 'the credential store tests use a private gnome-keyring')}

describe('config clear and the system credential store', {...keyringSuite, concurrency: true}, () => {
  async function keyring(t: TestContext): Promise<PrivateKeyring> {
    const store = await startPrivateKeyring()
    t.after(() => store.close())
    return store
  }
  const login = (store: PrivateKeyring, h: string, key: string, name: string) =>
    ok(h, ['login', '--api-key', key, '--skip-verify', '--name', name, '--json'], store.env)

  it('every entry of the removed profiles goes: all of them, or the one of --profile', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    await login(store, h, ACME_KEY, 'acme')
    await login(store, h, SANDBOX_KEY, 'sandbox')
    const accounts = ['acme', 'sandbox'].map((n) => readConfig(h).profiles[n].keyring.account as string)
    assert.equal(await store.count(), 2)
    await ok(h, ['config', 'clear', '--profile', 'sandbox'], store.env)
    assert.equal(await store.secret(accounts[1]), undefined)
    assert.equal(await store.secret(accounts[0]), ACME_KEY)
    await login(store, h, SANDBOX_KEY, 'sandbox')
    assert.equal(await store.count(), 2)
    const doc = onlyJson(await ok(h, ['config', 'clear', '--json'], store.env))
    assert.deepEqual(doc.removed, ['acme', 'sandbox'])
    assert.equal(await store.count(), 0)
    assert.equal(existsSync(configFile(h)), false)
  })
})
