// Keys in the system credential store (issue 13), end to end: the CLI spawned against a private D-Bus session with
// an unlocked gnome-keyring (never the user's own), secret-tool reading the store as an independent client, and the
// fake platform recording which key each request carried. Without a session: the file, with its notice.
import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {describe, it, type TestContext} from 'node:test'

import {assertJsonFailure, assertNoLeak, fileBytes, onlyJson, readConfig, writeConfig} from '../helpers/assertions.js'
import {configFile, runCli} from '../helpers/cli.js'
import {createdKey, fakePlatformForFile, json, okEnvelope} from '../helpers/fake-platform.js'
import {filesContaining, KEYRING_TOOLS, type PrivateKeyring, startPrivateKeyring} from '../helpers/keyring.js'
import {startSandboxCli} from '../helpers/sandbox-cli.js'
import {skipUnless} from '../helpers/tools.js'

const PERSONAL_KEY = 'ckp_KeyringPersonal0123456789SecretAAAA'
const OTHER_KEY = 'ckp_KeyringOther000123456789SecretBBBB'
const MINTED_KEY = 'cko_KeyringMinted0000123456789SecretCCCC'
const SECRETS = [PERSONAL_KEY, OTHER_KEY, MINTED_KEY]

const {platform, homes} = fakePlatformForFile('codika-keyring-test-')
let routes = 0

/** A route of the fake platform that verifies any key as a personal key and mints MINTED_KEY on create-key. */
function route(): {url: string; prefix: string} {
  const prefix = `k${++routes}`
  const url = platform.route(prefix, (req, res) => {
    if (req.url.endsWith('/verifyapikey'))
      json(res, 200, okEnvelope({type: 'personal-api-key', keyName: 'Jane', scopes: ['api-keys:manage']}))
    else json(res, 201, createdKey(req.json, {apiKey: MINTED_KEY, keyPrefix: MINTED_KEY.slice(0, 12)}))
  })
  return {url, prefix}
}

const keysSent = (prefix: string) => platform.requestsTo(prefix).map((r) => r.headers['x-process-manager-key'])

async function keyring(t: TestContext): Promise<PrivateKeyring> {
  const store = await startPrivateKeyring()
  t.after(() => store.close())
  return store
}

/** Runs the CLI in `home` against the private session; exit 0 expected unless `code` says otherwise. */
async function cli(
  store: PrivateKeyring | undefined,
  home: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  code = 0,
) {
  const result = await runCli(home, args, {env: {...store?.env, ...env}})
  assert.equal(result.code, code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`)
  assertNoLeak(result, SECRETS)
  return result
}

const login = (store: PrivateKeyring | undefined, home: string, key: string, name: string, ...more: string[]) =>
  cli(store, home, ['login', '--api-key', key, '--skip-verify', '--name', name, '--json', ...more])

/** The entry a profile names (asserting it names one). */
function refOf(home: string, name: string): {service: string; account: string} {
  const profile = readConfig(home).profiles[name]
  assert.ok(profile?.keyring, `profile ${name} names no entry: ${JSON.stringify(profile)}`)
  assert.equal(profile.apiKey, undefined, 'no key beside the reference')
  return profile.keyring
}

const keyringSuite = {skip: skipUnless(KEYRING_TOOLS, 'the credential store tests use a private gnome-keyring')}

describe('keys in the system credential store', {...keyringSuite, concurrency: true}, () => {
  it('login: the key is in the store and in clear in no file; the file keeps a reference and the mask', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    const {url, prefix} = route()
    const result = await cli(store, h, ['login', '--api-key', PERSONAL_KEY, '--base-url', url, '--json'])
    const doc = onlyJson(result)
    assert.equal(doc.keyStore, 'keyring')
    assert.deepEqual(doc.warnings, [])
    assert.equal(result.stderr, '')
    assert.deepEqual(keysSent(prefix), [PERSONAL_KEY], 'verified with the key given')

    const ref = refOf(h, 'jane')
    assert.equal(ref.service, 'codika')
    assert.match(ref.account, /^jane\/[0-9a-f]{12}$/)
    assert.equal(readConfig(h).profiles.jane.maskedKey, 'ckp_Keyr…AAAA')
    assert.equal(await store.secret(ref.account), PERSONAL_KEY)
    assert.equal(await store.count(), 1)
    assert.deepEqual(filesContaining(h, PERSONAL_KEY), [], 'the key is in clear in no file under the home')
    assert.deepEqual(filesContaining(store.home, PERSONAL_KEY), [], 'nor in the keyring daemon’s files')

    // The human screens and the JSON say where it is, without reading the store for the list.
    const list = onlyJson(await cli(store, h, ['profile', 'list', '--json']))
    assert.equal(list.profiles[0].keyStore, 'keyring')
    assert.equal(list.profiles[0].maskedKey, 'ckp_Keyr…AAAA')
    assert.match(
      (await cli(store, h, ['profile', 'list'])).stdout,
      /jane\s+-\s+personal-api-key\s+ckp_Keyr…AAAA\s+keyring/,
    )
    assert.match((await cli(store, h, ['profile', 'show'])).stdout, /Stored in:\s+system credential store/)
    assert.equal(onlyJson(await cli(store, h, ['profile', 'show', '--json'])).profile.keyStore, 'keyring')
  })

  it('commands read the key back from the store: whoami and create-key send it, and the minted key goes there too', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    const {url, prefix} = route()
    await cli(store, h, ['login', '--api-key', PERSONAL_KEY, '--base-url', url])
    const whoami = onlyJson(await cli(store, h, ['whoami', '--json']))
    assert.equal(whoami.profile, 'jane')
    assert.equal(whoami.maskedKey, 'ckp_Keyr…AAAA')
    // create-key shows the new key once, on purpose: this run is not checked for leaks.
    const createKey = ['organization', 'create-key', '--organization-id', 'org_1', '--name', 'CI Key']
    const created = await runCli(h, [...createKey, '--scopes', 'deploy:use-case', '--json'], {env: store.env})
    assert.equal(created.code, 0, created.stderr)
    const doc = onlyJson(created)
    assert.equal(doc.data.apiKey, MINTED_KEY, 'the new key is shown, once')
    assert.equal(doc.profile, 'org-api-key-ci-key')
    assert.deepEqual(keysSent(prefix), [PERSONAL_KEY, PERSONAL_KEY, PERSONAL_KEY], 'login, whoami, create-key')

    assert.equal(await store.secret(refOf(h, 'org-api-key-ci-key').account), MINTED_KEY)
    assert.equal(await store.count(), 2)
    assert.deepEqual(filesContaining(h, MINTED_KEY), [])
    // The new profile is active: whoami now sends the minted key, read from the store.
    await cli(store, h, ['whoami'])
    assert.equal(keysSent(prefix).at(-1), MINTED_KEY)
  })

  it('every way of removing a profile removes its entry: logout, logout NAME, profile remove', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    for (const [key, name] of [
      [PERSONAL_KEY, 'one'],
      [OTHER_KEY, 'two'],
      [MINTED_KEY, 'three'],
    ])
      await login(store, h, key, name)
    const refs = Object.fromEntries(['one', 'two', 'three'].map((n) => [n, refOf(h, n)]))
    assert.equal(await store.count(), 3)

    await cli(store, h, ['logout']) // the active one: three
    assert.equal(await store.secret(refs.three.account), undefined)
    await cli(store, h, ['logout', 'one'])
    assert.equal(await store.secret(refs.one.account), undefined)
    await cli(store, h, ['profile', 'remove', 'two'])
    assert.equal(await store.secret(refs.two.account), undefined)
    assert.equal(await store.count(), 0)
    assert.deepEqual(readConfig(h), {activeProfile: null, profiles: {}})
  })

  it('replacing a profile keeps exactly one entry: another key replaces it, the same key keeps it', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    await login(store, h, PERSONAL_KEY, 'main')
    const first = refOf(h, 'main')
    const refreshed = onlyJson(await login(store, h, PERSONAL_KEY, 'main'))
    assert.equal(refreshed.action, 'refreshed')
    assert.deepEqual(refOf(h, 'main'), first, 'a refresh with the same key keeps its entry')

    const refused = await runCli(h, ['login', '--api-key', OTHER_KEY, '--skip-verify', '--name', 'main', '--json'], {
      env: store.env,
    })
    assert.equal(assertJsonFailure(refused, 2, 'PROFILE_EXISTS').error.message.includes('ckp_Keyr…AAAA'), true)
    assert.equal(await store.count(), 1, 'a refused replace writes no entry')

    assert.equal(onlyJson(await login(store, h, OTHER_KEY, 'main', '--force')).action, 'replaced')
    const second = refOf(h, 'main')
    assert.notEqual(second.account, first.account)
    assert.equal(await store.secret(second.account), OTHER_KEY)
    assert.equal(await store.secret(first.account), undefined, 'the old entry is gone')
    assert.equal(await store.count(), 1)
  })

  it('sandbox start --login, then again with --force: the profile "sandbox" is replaced, and so is its entry', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    const start = async (...more: string[]) => {
      const sandbox = await startSandboxCli(h, ['--port', '0', '--reset', '--login', '--json', ...more], {
        env: store.env,
      })
      const doc = JSON.parse(sandbox.stdout())
      assert.equal((await sandbox.stop()).code, 0)
      return doc
    }
    const first = await start()
    assert.equal(first.profile, 'sandbox')
    const firstRef = refOf(h, 'sandbox')
    assert.equal(await store.secret(firstRef.account), first.data.seeded.owner.apiKey)
    // Replaced with consent (--force; without it, the key would go to "sandbox-2"): one entry, the new key's.
    const second = await start('--force')
    assert.equal(second.profile, 'sandbox')
    const secondRef = refOf(h, 'sandbox')
    assert.equal(await store.secret(secondRef.account), second.data.seeded.owner.apiKey)
    assert.equal(await store.secret(firstRef.account), undefined)
    assert.equal(await store.count(), 1)
    assert.deepEqual(filesContaining(join(h, 'config'), second.data.seeded.owner.apiKey), [])
  })

  it('profile secure moves file keys into the store, and --insecure-storage back, with --all or by name', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    await login(store, h, PERSONAL_KEY, 'one', '--insecure-storage')
    await login(store, h, OTHER_KEY, 'two', '--insecure-storage')
    assert.equal(readConfig(h).profiles.one.apiKey, PERSONAL_KEY)
    assert.equal(await store.count(), 0)

    const one = onlyJson(await cli(store, h, ['profile', 'secure', 'one', '--json']))
    assert.deepEqual(one, {success: true, keyStore: 'keyring', moved: ['one'], unchanged: [], warnings: []})
    assert.equal(await store.secret(refOf(h, 'one').account), PERSONAL_KEY)
    assert.equal(readConfig(h).profiles.two.apiKey, OTHER_KEY, 'the other one stays where it was')

    const all = await cli(store, h, ['profile', 'secure', '--all'])
    assert.match(all.stdout, /Moved the key of profile "two" to the system credential store/)
    assert.match(all.stdout, /Already in the system credential store: "one"/)
    assert.deepEqual(filesContaining(h, PERSONAL_KEY), [])
    assert.deepEqual(filesContaining(h, OTHER_KEY), [])
    assert.equal(await store.count(), 2)
    const refTwo = refOf(h, 'two')

    // Back, for the 3.x client: the key in the file where the reference was, the entry deleted.
    const back = onlyJson(await cli(store, h, ['profile', 'secure', '--insecure-storage', 'two', '--json']))
    assert.deepEqual(back.moved, ['two'])
    assert.deepEqual(Object.keys(readConfig(h).profiles.two), ['apiKey', 'type', 'keyPrefix'])
    assert.equal(readConfig(h).profiles.two.apiKey, OTHER_KEY)
    assert.equal(await store.secret(refTwo.account), undefined)
    await cli(store, h, ['profile', 'secure', '--all', '--insecure-storage'])
    assert.equal(await store.count(), 0)
    assert.equal(readConfig(h).profiles.one.apiKey, PERSONAL_KEY)

    // Bad command lines: nothing changes.
    const before = fileBytes(configFile(h))
    assertJsonFailure(
      await runCli(h, ['profile', 'secure', 'nope', '--json'], {env: store.env}),
      2,
      'PROFILE_NOT_FOUND',
    )
    assertJsonFailure(await runCli(h, ['profile', 'secure', '--json'], {env: store.env}), 2, 'MISSING_FLAG')
    assertJsonFailure(
      await runCli(h, ['profile', 'secure', 'one', '--all', '--json'], {env: store.env}),
      2,
      'INVALID_ARGUMENT',
    )
    assert.deepEqual(fileBytes(configFile(h)), before)
  })

  it('a profile whose entry is gone (a wiped keychain) is a clear error naming the profile and the fix; nothing is sent', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    const {url, prefix} = route()
    await cli(store, h, ['login', '--api-key', PERSONAL_KEY, '--base-url', url, '--name', 'wiped'])
    await store.clear(refOf(h, 'wiped').account)
    const sentBefore = keysSent(prefix).length

    const whoami = assertJsonFailure(
      await runCli(h, ['whoami', '--json'], {env: store.env}),
      1,
      'KEYRING_ENTRY_MISSING',
    )
    assert.match(whoami.error.message, /The key of profile "wiped" is missing from the system credential store/)
    assert.match(whoami.error.hint, /codika login --name wiped --force/)
    assert.match(whoami.error.hint, /codika profile remove wiped/)
    const human = await runCli(
      h,
      ['organization', 'create-key', '--organization-id', 'o', '--name', 'n', '--scopes', 'deploy:use-case'],
      {
        env: store.env,
      },
    )
    assert.equal(human.code, 1)
    assert.match(human.stderr, /Error: The key of profile "wiped" is missing/)
    assert.equal(keysSent(prefix).length, sentBefore, 'nothing was sent')

    // The fix works: removing the profile (its entry is gone already) and logging in again.
    await cli(store, h, ['profile', 'remove', 'wiped'])
    assert.equal(await store.count(), 0)
  })

  it('--insecure-storage and each CODIKA_CREDENTIAL_STORE value choose where the key goes', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    const env = (value: string) => ({CODIKA_CREDENTIAL_STORE: value})
    const flagged = onlyJson(await login(store, h, PERSONAL_KEY, 'flag', '--insecure-storage'))
    assert.equal(flagged.keyStore, 'file')
    assert.deepEqual(flagged.warnings, [], 'no notice when the file was chosen')
    assert.equal(readConfig(h).profiles.flag.apiKey, PERSONAL_KEY)
    for (const value of ['file', 'FILE']) {
      const doc = onlyJson(
        await cli(
          store,
          h,
          ['login', '--api-key', OTHER_KEY, '--skip-verify', '--name', `env-${value}`, '--json'],
          env(value),
        ),
      )
      assert.equal(doc.keyStore, 'file')
    }
    for (const value of ['keyring', 'auto', '']) {
      const name = `env-${value || 'empty'}`
      const doc = onlyJson(
        await cli(store, h, ['login', '--api-key', OTHER_KEY, '--skip-verify', '--name', name, '--json'], env(value)),
      )
      assert.equal(doc.keyStore, 'keyring', value)
      assert.equal(await store.secret(refOf(h, name).account), OTHER_KEY)
    }
    // The flag beats the variable.
    const both = onlyJson(
      await cli(
        store,
        h,
        ['login', '--api-key', OTHER_KEY, '--skip-verify', '--name', 'both', '--insecure-storage', '--json'],
        env('keyring'),
      ),
    )
    assert.equal(both.keyStore, 'file')

    // A bad value: exit 2, nothing asked, sent or written.
    const before = fileBytes(configFile(h))
    const {url, prefix} = route()
    const bad = await runCli(h, ['login', '--api-key', MINTED_KEY, '--base-url', url, '--json'], {
      env: {...store.env, CODIKA_CREDENTIAL_STORE: 'vault'},
    })
    const doc = assertJsonFailure(bad, 2, 'INVALID_ARGUMENT')
    assert.match(doc.error.message, /CODIKA_CREDENTIAL_STORE must be one of: auto, keyring, file \(got "vault"\)/)
    const createKey = await runCli(
      h,
      [
        'organization',
        'create-key',
        '--organization-id',
        'o',
        '--name',
        'n',
        '--scopes',
        'deploy:use-case',
        '--api-key',
        PERSONAL_KEY,
        '--api-url',
        url,
      ],
      {env: {...store.env, CODIKA_CREDENTIAL_STORE: 'vault'}},
    )
    assert.equal(createKey.code, 2)
    assert.deepEqual(platform.requestsTo(prefix), [], 'nothing sent')
    assert.deepEqual(fileBytes(configFile(h)), before, 'nothing written')
  })

  it('concurrent logins keep every profile and every entry', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    const keys = Array.from({length: 8}, (_, i) => `cko_KeyringConcurrent${i}0123456789Secret`)
    const results = await Promise.all(
      keys.map((key) =>
        runCli(h, ['login', '--api-key', key, '--skip-verify', '--json'], {env: store.env, timeoutMs: 120_000}),
      ),
    )
    for (const result of results) {
      assert.equal(result.code, 0, result.stderr)
      assert.equal(onlyJson(result).keyStore, 'keyring')
    }
    const profiles = readConfig(h).profiles
    assert.equal(Object.keys(profiles).length, keys.length)
    const stored = await Promise.all(Object.keys(profiles).map((name) => store.secret(refOf(h, name).account)))
    assert.deepEqual(stored.sort(), [...keys].sort())
    assert.equal(await store.count(), keys.length, 'no stray entry')
    for (const key of keys) assert.deepEqual(filesContaining(h, key), [])
  })

  it('two config folders (XDG_CONFIG_HOME) with the same profile name never share an entry', async (t) => {
    const store = await keyring(t)
    const [a, b] = [homes.home(), homes.home()]
    await login(store, a, PERSONAL_KEY, 'same')
    await login(store, b, OTHER_KEY, 'same')
    assert.notEqual(refOf(a, 'same').account, refOf(b, 'same').account)
    await cli(store, a, ['logout', 'same'])
    assert.equal(await store.secret(refOf(b, 'same').account), OTHER_KEY, 'the other folder keeps its key')
    assert.equal(await store.count(), 1)
  })

  it('the other fields of a profile and of the file are kept as they are around a reference', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    writeConfig(h, {
      custom: {kept: true},
      activeProfile: null,
      profiles: {old: {apiKey: OTHER_KEY, type: 'personal-api-key', note: null}},
    })
    await login(store, h, PERSONAL_KEY, 'new')
    await cli(store, h, ['profile', 'secure', 'old'])
    await cli(store, h, ['profile', 'use', 'old'])
    const file = readConfig(h)
    assert.deepEqual(file.custom, {kept: true})
    assert.deepEqual(Object.keys(file.profiles.old), ['keyring', 'maskedKey', 'type', 'note'])
    assert.equal(file.profiles.old.note, null)
  })

  it('a locked store: a new key falls back to the file with the notice; a key kept there is a clear error', async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    await login(store, h, PERSONAL_KEY, 'locked')
    await store.lock()
    const saved = onlyJson(await login(store, h, OTHER_KEY, 'plain'))
    assert.equal(saved.keyStore, 'file')
    assert.match(
      saved.warnings[0],
      /The key of profile "plain" is stored in plain text in .*config\.json, as no system credential store could take it: /,
    )
    const read = assertJsonFailure(
      await runCli(h, ['whoami', '-p', 'locked', '--json'], {env: store.env}),
      1,
      'KEYRING_UNAVAILABLE',
    )
    assert.match(read.error.message, /The key of profile "locked" could not be read from the system credential store/)
  })
})

describe('a credential store that cannot be used', {concurrency: true}, () => {
  const auto = {CODIKA_CREDENTIAL_STORE: undefined}

  it('no D-Bus session: auto keeps the key in the file, with a one-line notice on stderr and in warnings', async () => {
    const h = homes.home()
    const human = await cli(undefined, h, ['login', '--api-key', PERSONAL_KEY, '--skip-verify', '--name', 'ci'], auto)
    const notice = human.stderr.trimEnd().split('\n')
    assert.equal(notice.length, 1, human.stderr)
    assert.match(
      notice[0],
      /^Warning: The key of profile "ci" is stored in plain text in \S+config\.json, as no system credential store could take it: the D-Bus session bus cannot be reached \(ENOENT\)\. --insecure-storage or CODIKA_CREDENTIAL_STORE=file chooses the file without this notice\.$/,
    )
    assert.match(human.stdout, /Stored in:\s+profile file \(plain text\)/)
    assert.equal(readConfig(h).profiles.ci.apiKey, PERSONAL_KEY)

    const doc = onlyJson(
      await cli(undefined, h, ['login', '--api-key', OTHER_KEY, '--skip-verify', '--name', 'ci2', '--json'], auto),
    )
    assert.equal(doc.keyStore, 'file')
    assert.equal(doc.warnings.length, 1)
    // Without the variable at all (not even a dead address), the reason says so.
    const unset = onlyJson(
      await cli(undefined, h, ['login', '--api-key', MINTED_KEY, '--skip-verify', '--name', 'ci3', '--json'], {
        ...auto,
        DBUS_SESSION_BUS_ADDRESS: undefined,
      }),
    )
    assert.match(unset.warnings[0], /there is no D-Bus session bus \(DBUS_SESSION_BUS_ADDRESS is not set\)/)
    // The file choice, made explicitly, gives no notice.
    const chosen = await cli(
      undefined,
      h,
      ['login', '--api-key', OTHER_KEY, '--skip-verify', '--name', 'ci4', '--insecure-storage'],
      auto,
    )
    assert.equal(chosen.stderr, '')
  })

  it('no D-Bus session and CODIKA_CREDENTIAL_STORE=keyring: exit 1 before anything is asked, sent or written', async () => {
    const h = homes.home()
    const {url, prefix} = route()
    const env = {CODIKA_CREDENTIAL_STORE: 'keyring'}
    const loginRun = await runCli(h, ['login', '--api-key', PERSONAL_KEY, '--base-url', url, '--json'], {env})
    const doc = assertJsonFailure(loginRun, 1, 'KEYRING_UNAVAILABLE')
    assert.match(
      doc.error.message,
      /CODIKA_CREDENTIAL_STORE=keyring, but the system credential store cannot be used here/,
    )
    const createKey = await runCli(
      h,
      [
        'organization',
        'create-key',
        '--organization-id',
        'o',
        '--name',
        'n',
        '--scopes',
        'deploy:use-case',
        '--api-key',
        PERSONAL_KEY,
        '--api-url',
        url,
        '--json',
      ],
      {env},
    )
    assertJsonFailure(createKey, 1, 'KEYRING_UNAVAILABLE')
    // --no-save has no key to keep: it goes ahead.
    const noSave = await runCli(
      h,
      [
        'organization',
        'create-key',
        '--organization-id',
        'o',
        '--name',
        'n',
        '--scopes',
        'deploy:use-case',
        '--api-key',
        PERSONAL_KEY,
        '--api-url',
        url,
        '--no-save',
        '--json',
      ],
      {env},
    )
    assert.equal(noSave.code, 0, noSave.stderr)
    assert.equal(platform.requestsTo(prefix).length, 1, 'only the --no-save run sent anything')
    assert.equal(fileBytes(configFile(h)), null, 'no file written')
  })

  it('a profile kept in the store, read where there is none: exit 1 naming the profile', async () => {
    const h = homes.home()
    writeConfig(h, {
      activeProfile: 'desk',
      profiles: {
        desk: {
          type: 'personal-api-key',
          keyring: {service: 'codika', account: 'desk/0123456789ab'},
          maskedKey: 'ckp_Keyr…AAAA',
        },
      },
    })
    const doc = assertJsonFailure(await runCli(h, ['whoami', '--json']), 1, 'KEYRING_UNAVAILABLE')
    assert.match(
      doc.error.message,
      /The key of profile "desk" is kept in the system credential store, which cannot be used here/,
    )
    // Listing needs no store: the mask is in the file.
    const list = onlyJson(await cli(undefined, h, ['profile', 'list', '--json']))
    assert.deepEqual(
      list.profiles.map((p: {keyStore: string; maskedKey: string}) => [p.keyStore, p.maskedKey]),
      [['keyring', 'ckp_Keyr…AAAA']],
    )
  })

  it('a bad reference in the file is reported as a broken file, never overwritten', async () => {
    const h = homes.home()
    const path = writeConfig(h, {
      activeProfile: null,
      profiles: {bad: {type: 'org-api-key', keyring: {service: 'codika'}}},
    })
    const before = fileBytes(path)
    const doc = assertJsonFailure(await runCli(h, ['profile', 'list', '--json']), 1, 'CONFIG_UNREADABLE')
    assert.match(doc.error.message, /has a profile "bad" whose "keyring" is not/)
    assert.deepEqual(fileBytes(path), before)
  })

  it('a session bus that never answers does not hang the CLI: the key goes to the file within the bound', async (t) => {
    const h = homes.home()
    const socketPath = join(h, 'silent-bus')
    const silent = createServer(() => {}) // accepts, never says a word
    await new Promise<void>((resolve) => silent.listen(socketPath, resolve))
    t.after(() => silent.close())
    const started = Date.now()
    const doc = onlyJson(
      await cli(undefined, h, ['login', '--api-key', PERSONAL_KEY, '--skip-verify', '--name', 'hung', '--json'], {
        ...auto,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}`,
      }),
    )
    assert.equal(doc.keyStore, 'file')
    assert.match(doc.warnings[0], /the Secret Service did not answer within 3 s/)
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`)
  })

  it('a Secret Service that stopped answering does not hang the CLI either', {skip: keyringSuite.skip}, async (t) => {
    const store = await keyring(t)
    const h = homes.home()
    process.kill(store.daemonPid, 'SIGSTOP')
    t.after(() => process.kill(store.daemonPid, 'SIGCONT'))
    const started = Date.now()
    const doc = onlyJson(await login(store, h, PERSONAL_KEY, 'stopped'))
    assert.equal(doc.keyStore, 'file')
    assert.match(doc.warnings[0], /the Secret Service did not answer within 3 s/)
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`)
  })

  it(
    'no binary of the native module for this platform: auto falls back to the file and says why',
    {skip: keyringSuite.skip},
    async (t) => {
      const store = await keyring(t)
      const h = homes.home()
      // napi-rs's loader takes the binary from this path only; a path with nothing there is a platform without one.
      const missing = onlyJson(
        await cli(store, h, ['login', '--api-key', OTHER_KEY, '--skip-verify', '--name', 'nobinary2', '--json'], {
          NAPI_RS_NATIVE_LIBRARY_PATH: join(h, 'no-such-binary.node'),
        }),
      )
      assert.equal(missing.keyStore, 'file')
      assert.ok(
        missing.warnings[0].includes(
          `the credential store module has no binary for ${process.platform}-${process.arch}`,
        ),
        missing.warnings[0],
      )
      // The control: the same session takes the key when the module loads.
      assert.equal(onlyJson(await login(store, h, PERSONAL_KEY, 'binary')).keyStore, 'keyring')
    },
  )
})
