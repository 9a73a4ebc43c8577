// `create-key` and the profile file: concurrent writers, corrupt files, modes, unknown fields, and a save that fails.
import assert from 'node:assert/strict'
import {chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {describe, it} from 'node:test'

import {
  assertHumanFailure,
  assertJsonFailure,
  fileBytes,
  onlyJson,
  readConfig,
  writeConfig,
} from '../../helpers/assertions.js'
import {configFile, runCli} from '../../helpers/cli.js'
import {inParallel} from '../../helpers/concurrency.js'
import {createdKey, fakePlatformForFile, json} from '../../helpers/fake-platform.js'

const CALLER = 'ckp_CallerKey0123456789abcdef'
const ARGS = [
  'organization',
  'create-key',
  '--organization-id',
  'org_1',
  '--name',
  'CI Deploy Key',
  '--scopes',
  'deploy:use-case',
]
const NEW_KEY = (createdKey({}).data as {apiKey: string}).apiKey

const {platform, homes} = fakePlatformForFile()
const home = homes.home
const mode = (path: string) => statSync(path).mode & 0o777

describe('create-key: the profile store', () => {
  it('20 processes at once leave 20 profiles, each holding the key its process printed, in valid JSON', async () => {
    const h = home()
    let n = 0
    const base = platform.route('many', (req, res) => {
      const i = String(++n).padStart(2, '0')
      json(res, 201, createdKey(req.json, {apiKey: `cko_Concurrent${i}${'z'.repeat(20)}`, keyId: `key-${i}`}))
    })
    const results = await Promise.all(
      Array.from({length: 20}, () => runCli(h, [...ARGS, '--api-key', CALLER, '--api-url', base, '--json'])),
    )
    const file = readConfig(h)
    const printed = results.map((r) => {
      assert.equal(r.code, 0, r.stderr)
      const doc = onlyJson(r)
      assert.deepEqual(doc.warnings, [])
      return doc
    })
    const expectedNames = [
      'org-api-key-ci-deploy-key',
      ...Array.from({length: 19}, (_, i) => `org-api-key-ci-deploy-key-${i + 2}`),
    ]
    assert.deepEqual(Object.keys(file.profiles).sort(), expectedNames.sort())
    assert.deepEqual(printed.map((d) => d.profile).sort(), expectedNames.sort())
    for (const doc of printed) assert.equal(file.profiles[doc.profile].apiKey, doc.data.apiKey)
    assert.equal(new Set(printed.map((d) => d.data.apiKey)).size, 20)
    assert.ok(expectedNames.includes(file.activeProfile))
    assert.deepEqual(readdirSync(dirname(configFile(h))), ['config.json'], 'no lock or temporary file left')
  })

  const corrupt: Array<[string, string, RegExp]> = [
    ['bad JSON', '{"activeProfile": "a", "profiles": {', /is not valid JSON/],
    ['"profiles": null', '{"activeProfile": null, "profiles": null}\n', /"profiles" entry that is not an object/],
    [
      'a profile without apiKey',
      '{"activeProfile": "a", "profiles": {"a": {"type": "org-api-key"}}}\n',
      /profile "a" without an "apiKey"/,
    ],
    ['a JSON array', '[]\n', /does not hold a JSON object/],
  ]

  it('a corrupt file stops create-key before any request, with its path, and is left byte-identical', async () => {
    const runs = corrupt.flatMap(([name, text, problem], i) =>
      [
        {json: false, args: ['--api-key', CALLER, '--api-url', platform.route(`corrupt${i}`)]},
        {json: true, args: ['--api-key', CALLER, '--api-url', platform.route(`corrupt${i}`)]},
        // Without --api-key the file is also where the key would come from.
        {json: false, args: [] as string[]},
      ].map((run) => ({name, text, problem, ...run})),
    )
    await inParallel(runs, async (run) => {
      const h = home()
      const path = writeConfig(h, run.text)
      const result = await runCli(h, [...ARGS, ...run.args, ...(run.json ? ['--json'] : [])])
      const where = new RegExp(path.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      if (run.json) {
        const doc = assertJsonFailure(result, 1, 'CONFIG_UNREADABLE')
        assert.match(doc.error.message, run.problem)
        assert.match(doc.error.message, where)
        assert.match(doc.error.hint, /Repair it by hand|move it aside/)
      } else {
        assertHumanFailure(result, 1, run.problem)
        assert.match(result.stderr, where)
        assert.match(result.stderr, /^Hint: .*(Repair|move it aside)/m)
      }
      assert.equal(fileBytes(path)?.toString(), run.text, `${run.name}: the file is byte-identical`)
      assert.deepEqual(readdirSync(dirname(path)), ['config.json'])
    })
    for (let i = 0; i < corrupt.length; i++)
      assert.equal(platform.requestsTo(`corrupt${i}`).length, 0, 'nothing was sent')
  })

  it('--no-save with --api-key and --api-url does not need the profile file, and leaves a corrupt one alone', async () => {
    const h = home()
    const text = '{"profiles": null}'
    const path = writeConfig(h, text)
    const result = await runCli(h, [...ARGS, '--api-key', CALLER, '--api-url', platform.route('nosave'), '--no-save'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(NEW_KEY))
    assert.equal(fileBytes(path)?.toString(), text)
  })

  it('a write tightens a 0755 folder to 0700 and a 0644 file to 0600, keeping unknown fields', async () => {
    const h = home()
    const other = {
      apiKey: 'ckp_Existing000000000000000',
      type: 'personal-api-key',
      organizationId: 'org_1',
      favouriteColour: 'teal',
      nested: {kept: [1, 2, 3]},
      revokedAt: null,
    }
    const path = writeConfig(h, {
      activeProfile: 'me',
      profiles: {me: other},
      telemetry: {optIn: false},
      schemaVersion: 7,
    })
    chmodSync(path, 0o644)
    chmodSync(dirname(path), 0o755)
    const result = await runCli(h, [...ARGS, '--api-key', CALLER, '--api-url', platform.route('modes')])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(mode(path), 0o600)
    assert.equal(mode(dirname(path)), 0o700)
    const file = readConfig(h)
    assert.deepEqual(file.telemetry, {optIn: false})
    assert.equal(file.schemaVersion, 7)
    assert.deepEqual(file.profiles.me, other)
    assert.equal(file.activeProfile, 'org-api-key-ci-deploy-key')
  })

  it('a relative XDG_CONFIG_HOME is ignored: the profile goes to ~/.config/codika/config.json', async () => {
    const h = home()
    const result = await runCli(h, [...ARGS, '--api-key', CALLER, '--api-url', platform.route('xdg')], {
      env: {XDG_CONFIG_HOME: 'relative/config'},
    })
    assert.equal(result.code, 0, result.stderr)
    const path = join(h, '.config', 'codika', 'config.json')
    assert.ok(fileBytes(path), `expected ${path}`)
    assert.equal(fileBytes(join(h, 'relative', 'config', 'codika', 'config.json')), null)
  })
})

describe('create-key: the key is printed even when saving fails', () => {
  // Permission bits mean nothing to root (the tests may run as root), so the failure is injected by changing
  // the file system while the request is at the platform: the profile folder or file is replaced by something
  // that cannot be written to, after the pre-check read it fine.
  const sabotage = {
    'the profile folder became a file': (path: string) => {
      rmSync(dirname(path), {recursive: true, force: true})
      writeFileSync(dirname(path), 'not a folder')
    },
    'the profile file became a folder': (path: string) => {
      rmSync(path, {force: true})
      mkdirSync(path)
    },
  }

  it('exit 0, the key on stdout, a warning on stderr (human) or in `warnings` (--json)', async () => {
    const runs = Object.entries(sabotage).flatMap(([name, breakIt], i) =>
      [false, true].map((asJson) => ({name, breakIt, asJson, prefix: `save${i}${asJson ? 'j' : 'h'}`})),
    )
    await inParallel(runs, async ({name, breakIt, asJson, prefix}) => {
      const h = home()
      const path = writeConfig(h, {activeProfile: null, profiles: {}})
      const base = platform.route(prefix, (req, res) => {
        breakIt(path)
        json(res, 201, createdKey(req.json))
      })
      const result = await runCli(h, [...ARGS, '--api-key', CALLER, '--api-url', base, ...(asJson ? ['--json'] : [])])
      const label = `${name}${asJson ? ' --json' : ''}`
      assert.equal(result.code, 0, `${label}: ${result.stderr}`)
      assert.equal(platform.requestsTo(prefix).length, 1)
      if (asJson) {
        const doc = onlyJson(result)
        assert.equal(doc.success, true)
        assert.equal(doc.data.apiKey, NEW_KEY)
        assert.equal(doc.profile, null)
        assert.equal(doc.warnings.length, 1, label)
        assert.match(doc.warnings[0], /could not be saved as a profile/)
        assert.equal(result.stderr, '', `${label}: nothing on stderr with --json`)
      } else {
        assert.match(result.stdout, new RegExp(`API Key: {5}${NEW_KEY}`), label)
        assert.match(result.stdout, /Not saved as a profile/)
        assert.doesNotMatch(result.stdout, /Saved as profile/)
        assert.match(
          result.stderr,
          /^Warning: The key was created but could not be saved as a profile: .*config\.json[^\n]*[.!?] Copy the key now/m,
          label,
        )
        assert.ok(!result.stderr.includes(NEW_KEY), 'the key is not repeated in the warning')
      }
    })
  })
})
