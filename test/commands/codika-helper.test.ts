// Profiles of codika-helper (the releases before 3.x, COMPAT.md "Files"): when codika's folder does not exist and
// codika-helper's does, the first command that reads profiles copies its file over (0700 folder, 0600 file, atomic,
// under the lock), says so once on stderr, and says how to remove the old folder that still holds the keys in clear.
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {assertJsonFailure, assertNoLeak, fileBytes, onlyJson} from '../helpers/assertions.js'
import {configFile, runCli, tempHomes} from '../helpers/cli.js'
import {type FakePlatform, okEnvelope, startFakePlatform} from '../helpers/fake-platform.js'

const OLD_KEY = 'cko_HelperOldKey0123456789SecretAAAAA'
const OTHER_KEY = 'ckp_HelperOtherKey0123456789SecretBBB'
const SECRETS = [OLD_KEY, OTHER_KEY]

let platform: FakePlatform
const homes = tempHomes('codika-helper-')
before(async () => {
  platform = await startFakePlatform({
    status: 200,
    json: okEnvelope({type: 'org-api-key', organizationId: 'org_h', organizationName: 'Helper Org', keyName: 'Old'}),
  })
})
after(async () => {
  await platform.close()
  homes.cleanup()
})

const helperFile = (h: string) => join(h, 'config', 'codika-helper', 'config.json')

/** A home with codika-helper's profile file (text as written) and no codika folder. */
function helperHome(content?: string, at: (h: string) => string = helperFile): {home: string; text: string} {
  const h = homes.home()
  const text =
    content ??
    `${JSON.stringify(
      {
        activeProfile: 'helper-org',
        profiles: {
          'helper-org': {apiKey: OLD_KEY, type: 'org-api-key', organizationId: 'org_h', baseUrl: platform.url},
          personal: {apiKey: OTHER_KEY, type: 'personal-api-key', keyName: 'Jane', legacyField: 1},
        },
      },
      null,
      2,
    )}\n`
  mkdirSync(dirname(at(h)), {recursive: true, mode: 0o755})
  writeFileSync(at(h), text, {mode: 0o644})
  return {home: h, text}
}

/** The two lines of the notice, exactly. */
function notice(from: string, to: string): string {
  const oldDir = dirname(from)
  return (
    `Note: copied the profiles of codika-helper (releases before 3.x) from ${from} to ${to}.\n` +
    `Note: ${oldDir} still holds their keys in plain text; once no codika-helper needs it, remove it: rm -rf ${oldDir}\n`
  )
}

describe('codika-helper profiles', {concurrency: true}, () => {
  it('copied over by the first command: the same bytes, folder 0700 and file 0600, the old file left in place', async () => {
    const {home, text} = helperHome()
    const result = await runCli(home, ['use', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assertNoLeak(result, SECRETS)
    // The notice: on stderr, once, never in the JSON document.
    assert.equal(result.stderr, notice(helperFile(home), configFile(home)))
    const doc = onlyJson(result)
    assert.deepEqual(
      doc.profiles.map((p: {name: string}) => p.name),
      ['helper-org', 'personal'],
    )
    assert.equal(doc.activeProfile, 'helper-org')
    assert.doesNotMatch(result.stdout, /codika-helper/)

    assert.equal(readFileSync(configFile(home), 'utf8'), text)
    assert.equal(statSync(dirname(configFile(home))).mode & 0o777, 0o700)
    assert.equal(statSync(configFile(home)).mode & 0o777, 0o600)
    assert.equal(readFileSync(helperFile(home), 'utf8'), text, 'the old file is untouched')
    assert.equal(existsSync(`${configFile(home)}.lock`), false)

    // Once: a second run says nothing, and finds the profiles where they now are.
    const again = await runCli(home, ['use'])
    assert.equal(again.code, 0, again.stderr)
    assert.equal(again.stderr, '')
    assert.match(again.stdout, /\*\s+helper-org/)
  })

  it('whoami finds the profile, its key and its URL (human: the notice on stderr, not stdout)', async () => {
    const {home} = helperHome()
    const result = await runCli(home, ['whoami'])
    assert.equal(result.code, 0, result.stderr)
    assertNoLeak(result, SECRETS)
    assert.ok(result.stderr.startsWith(notice(helperFile(home), configFile(home))), result.stderr)
    assert.doesNotMatch(result.stdout, /codika-helper|Note:/)
    assert.match(result.stdout, /Helper Org/)
    const sent = platform.requests.filter((r) => r.headers['x-process-manager-key'] === OLD_KEY)
    assert.equal(sent.length, 1, 'the key of the copied profile was sent, to its own URL')
    const second = await runCli(home, ['whoami', '--json'])
    assert.equal(second.code, 0, second.stderr)
    assert.equal(second.stderr, '')
    assert.equal(onlyJson(second).profile, 'helper-org')
  })

  it('any command that reads profiles copies it, also one that writes: login adds to the copied profiles', async () => {
    const {home} = helperHome()
    const result = await runCli(home, ['login', '--api-key', 'cko_NewKey0123456789abcdefghijklm', '--skip-verify'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /^Note: copied the profiles of codika-helper/)
    const saved = JSON.parse(readFileSync(configFile(home), 'utf8'))
    assert.deepEqual(Object.keys(saved.profiles).sort(), ['helper-org', 'org-api-key', 'personal'])
    assert.equal(saved.profiles.personal.legacyField, 1, 'fields this CLI does not know are kept')
  })

  it('without XDG_CONFIG_HOME: ~/.config/codika-helper to ~/.config/codika', async () => {
    const dotConfig = (h: string) => join(h, '.config', 'codika-helper', 'config.json')
    const {home, text} = helperHome(undefined, dotConfig)
    const env = {XDG_CONFIG_HOME: undefined}
    const result = await runCli(home, ['profile', 'list', '--json'], {env})
    assert.equal(result.code, 0, result.stderr)
    const target = join(home, '.config', 'codika', 'config.json')
    assert.equal(result.stderr, notice(dotConfig(home), target))
    assert.equal(readFileSync(target, 'utf8'), text)
  })

  it('a corrupt old file is not copied: CONFIG_UNREADABLE naming it, exit 1, nothing created, every time', async () => {
    const {home, text} = helperHome('{"profiles": {"a": ')
    for (const args of [
      ['use', '--json'],
      ['whoami', '--json'],
      ['config', 'show', '--json'],
    ]) {
      const doc = assertJsonFailure(await runCli(home, args), 1, 'CONFIG_UNREADABLE')
      assert.ok(doc.error.message.includes(helperFile(home)), doc.error.message)
      assert.match(doc.error.message, /codika-helper profile file .* is not valid JSON/)
    }
    const human = await runCli(home, ['profile', 'list'])
    assert.equal(human.code, 1)
    assert.match(
      human.stderr,
      /Error: The codika-helper profile file .*codika-helper\/config\.json is not valid JSON\./,
    )
    assert.equal(existsSync(dirname(configFile(home))), false)
    assert.equal(readFileSync(helperFile(home), 'utf8'), text)
    // Not of the layout either.
    const layout = helperHome('{"profiles": {"a": {"type": "org-api-key"}}}')
    const doc = assertJsonFailure(await runCli(layout.home, ['use', '--json']), 1, 'CONFIG_UNREADABLE')
    assert.match(doc.error.message, /has a profile "a" without an "apiKey"/)
  })

  it('only while codika has no folder: an existing (even empty) codika folder wins, nothing copied or said', async () => {
    const {home} = helperHome()
    mkdirSync(dirname(configFile(home)), {recursive: true, mode: 0o700})
    const result = await runCli(home, ['use', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.deepEqual(onlyJson(result).profiles, [])
    assert.equal(fileBytes(configFile(home)), null)
  })

  it('config clear after the copy leaves the folder, so the old profiles do not come back', async () => {
    const {home} = helperHome()
    const clear = await runCli(home, ['config', 'clear', '--json'])
    assert.equal(clear.code, 0, clear.stderr)
    assert.match(clear.stderr, /^Note: copied the profiles of codika-helper/)
    assert.deepEqual(onlyJson(clear).removed, ['helper-org', 'personal'])
    const after = await runCli(home, ['use', '--json'])
    assert.equal(after.stderr, '')
    assert.deepEqual(onlyJson(after).profiles, [])
  })

  it('the completion listing names the old profiles before the copy, and copies nothing', async () => {
    const {home} = helperHome()
    const result = await runCli(home, ['use', '--list-names'])
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, 'helper-org\npersonal\n', ''])
    assert.equal(existsSync(dirname(configFile(home))), false)
  })

  it('processes starting together copy it once: one notice among them, every one sees the profiles', async () => {
    const {home} = helperHome()
    const runs = await Promise.all(Array.from({length: 4}, () => runCli(home, ['profile', 'list', '--json'])))
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr)
      assert.equal(onlyJson(run).profiles.length, 2)
    }
    assert.equal(runs.filter((run) => run.stderr.includes('Note: copied')).length, 1)
  })
})
