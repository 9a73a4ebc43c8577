// Third-party plugins: examples/plugin-hello, built against the package's exports, linked with `codika plugins
// link` into a temp data folder, run against the sandbox like a built-in command, then uninstalled.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {assertHumanFailure, assertJsonFailure, assertNoLeak, onlyJson} from '../helpers/assertions.js'
import {ROOT, runCli, tempHome} from '../helpers/cli.js'
import {startTestSandbox, type TestSandbox} from '../sandbox/helpers.js'

const EXAMPLE = join(ROOT, 'examples', 'plugin-hello')
const WRONG_KEY = 'cko_Wr0ngKey0123456789NotKnownAAAA'

describe('codika plugins link examples/plugin-hello', () => {
  let sandbox: TestSandbox
  const {home, cleanup} = tempHome()
  const secrets = () => [sandbox.seeded!.owner.apiKey, sandbox.seeded!.admin.apiKey, orgKey, WRONG_KEY]
  let orgKey = ''
  let profile = ''

  before(async () => {
    // The example compiles with the root's TypeScript against dist/index.d.ts (built by `npm test`).
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-example.mjs')], {stdio: 'inherit'})
    sandbox = await startTestSandbox()
    // An organization key saved as the active profile, pointing at the sandbox: what `hello` will use.
    const created = await runCli(home, [
      'organization',
      'create-key',
      '--api-key',
      sandbox.seeded!.owner.apiKey,
      '--api-url',
      sandbox.url,
      '--organization-id',
      sandbox.seeded!.organizationId,
      '--name',
      'Hello Plugin',
      '--scopes',
      'skills:read',
      '--json',
    ])
    assert.equal(created.code, 0, created.stderr)
    const doc = onlyJson(created)
    orgKey = doc.data.apiKey
    profile = doc.profile
  })
  after(async () => {
    await sandbox?.dispose()
    cleanup()
  })

  it('links the example (dependencies come from the repository: no npm run, no network)', async () => {
    // Installed before the link: the postrun hook must bring these files in step with the new command.
    for (const shell of ['zsh', 'fish']) {
      const installed = await runCli(home, ['completion', '--install', '--shell', shell])
      assert.equal(installed.code, 0, installed.stderr)
    }
    const result = await runCli(home, ['plugins', 'link', EXAMPLE])
    assert.equal(result.code, 0, result.stderr)
    assert.doesNotMatch(result.stderr, /auto-transpiled|Error|no compiled commands/)
    const listed = await runCli(home, ['plugins'])
    assert.match(listed.stdout, /codika-plugin-hello 0\.1\.0 \(link\)/)
    // Recorded in the temp data folder (XDG_DATA_HOME), nowhere else.
    const pjson = JSON.parse(readFileSync(join(home, 'data', 'codika', 'package.json'), 'utf8'))
    assert.deepEqual(
      pjson.oclif.plugins.map((p: {name: string; type: string}) => [p.name, p.type]),
      [['codika-plugin-hello', 'link']],
    )
  })

  it('`codika hello` prints the organization name of the active profile', async () => {
    const result = await runCli(home, ['hello'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'Hello, Sandbox Org!\n')
    assertNoLeak(result, secrets())
  })

  it('honours --profile, and --json prints one document with the verify envelope', async () => {
    const result = await runCli(home, ['hello', '--profile', profile, '--json'])
    assert.equal(result.code, 0, result.stderr)
    const doc = onlyJson(result)
    assert.equal(doc.success, true)
    assert.equal(doc.data.organizationName, 'Sandbox Org')
    assert.equal(doc.data.organizationId, sandbox.seeded!.organizationId)
    assert.equal(doc.data.type, 'org-api-key')
    assert.equal(typeof doc.requestId, 'string')
    assert.deepEqual(doc.warnings, [])
    assert.equal(result.stderr, '')
    assertNoLeak(result, secrets())
  })

  it('a rejected key exits 1, in human mode and with --json, without showing the key', async () => {
    const human = await runCli(home, ['hello', '--api-key', WRONG_KEY])
    assertHumanFailure(human, 1, /invalid|unknown|rejected|revoked|expired/i)
    assertNoLeak(human, secrets())
    const json = await runCli(home, ['hello', '--api-key', WRONG_KEY, '--json'])
    const doc = assertJsonFailure(json, 1, 'API_ERROR')
    assert.equal(doc.error.status, 401)
    assertNoLeak(json, secrets())
  })

  it('a wrong command line exits 2 as for built-in commands', async () => {
    const unknownProfile = await runCli(home, ['hello', '--profile', 'nope', '--json'])
    assertJsonFailure(unknownProfile, 2, 'PROFILE_NOT_FOUND')
    const unknownFlag = await runCli(home, ['hello', '--bogus'])
    assert.equal(unknownFlag.code, 2, unknownFlag.stderr)
  })

  it('the completion cache follows link and uninstall', async () => {
    const bash = join(home, 'cache', 'codika', 'autocomplete', 'functions', 'bash', 'codika.bash')
    // `plugins link` fires no hook of plugin-autocomplete: codika's postrun hook rebuilt the cache.
    assert.ok(existsSync(bash), 'the completion cache was built after plugins link')
    assert.match(readFileSync(bash, 'utf8'), /^hello --json /m)

    // So did `codika completion`'s script, and the zsh and fish files that `completion --install` wrote.
    const installed = [
      join(home, '.zsh', 'completions', '_codika'),
      join(home, 'config', 'fish', 'completions', 'codika.fish'),
    ]
    const script = await runCli(home, ['completion', 'bash'])
    assert.match(script.stdout, /'hello'/)
    for (const file of installed) assert.match(readFileSync(file, 'utf8'), /'hello'/, file)

    const removed = await runCli(home, ['plugins', 'uninstall', 'codika-plugin-hello'])
    assert.equal(removed.code, 0, removed.stderr)
    assert.doesNotMatch(readFileSync(bash, 'utf8'), /^hello /m)
    for (const file of installed) assert.doesNotMatch(readFileSync(file, 'utf8'), /'hello'/, file)
  })

  it('after uninstall, `codika hello` is gone', async () => {
    const listed = await runCli(home, ['plugins'])
    assert.doesNotMatch(listed.stdout, /codika-plugin-hello/)
    const result = await runCli(home, ['hello'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /"codika hello" is not a codika command/)
  })
})
