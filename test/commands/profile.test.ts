// `codika profile list|use|show|remove`, `logout` and the aliases: JSON shapes, exit codes, the active-profile rules,
// and a hand-written file in CONTRACT.md's layout (with fields this CLI does not know) kept intact.
import assert from 'node:assert/strict'
import {statSync} from 'node:fs'
import {after, describe, it} from 'node:test'

import {assertJsonFailure, assertNoLeak, fileBytes, onlyJson, readConfig, writeConfig} from '../helpers/assertions.js'
import {configFile, runCli, tempHomes} from '../helpers/cli.js'

const ACME_KEY = 'cko_AcmeKey0123456789SecretAAAA'
const SANDBOX_KEY = 'ckp_SandboxKey0123456789SecretBB'
const OLD_KEY = 'cko_OldKey012345678901SecretCCCC'
const ENV_KEY = 'cka_EnvKey012345678901SecretDDDD'
const SECRETS = [ACME_KEY, SANDBOX_KEY, OLD_KEY, ENV_KEY]
// 2 days and an hour: shown as 3 days left (whole days, rounded up, as the warnings count them).
const SOON = new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString()

/** CONTRACT.md's layout, written by hand, with fields of the established client this CLI does not know. */
function handWritten() {
  return {
    activeProfile: 'acme-corp',
    telemetry: {optOut: true},
    profiles: {
      'acme-corp': {
        apiKey: ACME_KEY,
        type: 'org-api-key',
        organizationId: 'org_1',
        organizationName: 'Acme Corp',
        keyName: 'CI Deploy Key',
        keyPrefix: 'cko_AcmeKey0',
        scopes: ['deploy:use-case'],
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2099-01-01T00:00:00.000Z',
        legacyNote: 'written by the established client',
        region: {name: 'eu-west', weight: 3},
      },
      sandbox: {
        apiKey: SANDBOX_KEY,
        type: 'personal-api-key',
        keyName: 'Jane',
        expiresAt: SOON,
        baseUrl: 'http://127.0.0.1:8787',
      },
      'old-key': {apiKey: OLD_KEY, type: 'org-api-key', organizationId: 'org_2', expiresAt: '2020-01-01T00:00:00.000Z'},
    },
  }
}

const homes = tempHomes()
/** A temp home holding `content` as its profile file (null: no file at all). */
function home(content: unknown = handWritten()): string {
  const h = homes.home()
  if (content !== null) writeConfig(h, content)
  return h
}
after(() => homes.cleanup())

async function ok(h: string, args: string[], env: Record<string, string> = {}) {
  const result = await runCli(h, args, {env})
  assert.equal(result.code, 0, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`)
  assertNoLeak(result, SECRETS)
  return result
}

describe('profile list', {concurrency: true}, () => {
  it('--json: {activeProfile, profiles, env} with masked keys, sorted by name', async () => {
    const doc = onlyJson(await ok(home(), ['profile', 'list', '--json']))
    assert.deepEqual(doc, {
      success: true,
      activeProfile: 'acme-corp',
      profiles: [
        {
          name: 'acme-corp',
          active: true,
          type: 'org-api-key',
          maskedKey: 'cko_Acme…AAAA',
          keyStore: 'file',
          keyPrefix: 'cko_AcmeKey0',
          keyName: 'CI Deploy Key',
          organizationId: 'org_1',
          organizationName: 'Acme Corp',
          scopes: ['deploy:use-case'],
          createdAt: '2026-01-01T00:00:00.000Z',
          expiresAt: '2099-01-01T00:00:00.000Z',
          expiryStatus: 'valid',
          baseUrl: 'https://api.codika.io',
        },
        {
          name: 'old-key',
          active: false,
          type: 'org-api-key',
          maskedKey: 'cko_OldK…CCCC',
          keyStore: 'file',
          organizationId: 'org_2',
          expiresAt: '2020-01-01T00:00:00.000Z',
          expiryStatus: 'expired',
          baseUrl: 'https://api.codika.io',
        },
        {
          name: 'sandbox',
          active: false,
          type: 'personal-api-key',
          maskedKey: 'ckp_Sand…etBB',
          keyStore: 'file',
          keyName: 'Jane',
          expiresAt: SOON,
          expiryStatus: 'expiring',
          baseUrl: 'http://127.0.0.1:8787',
        },
      ],
      env: null,
      warnings: [],
    })
  })

  it('the table: name, active mark, organization, type, masked key, where it is stored, expiry, URL when not production; plain when piped', async () => {
    const result = await ok(home(), ['profile', 'list'])
    const lines = result.stdout.trimEnd().split('\n')
    assert.match(lines[0], /^\s+NAME\s+ORGANIZATION\s+TYPE\s+KEY\s+STORED\s+EXPIRES\s+URL$/)
    const row = (name: string) =>
      lines.find((l) => l.includes(` ${name} `)) ?? assert.fail(`no row for ${name}:\n${result.stdout}`)
    assert.match(
      row('acme-corp'),
      /^\s+\*\s+acme-corp\s+Acme Corp \(org_1\)\s+org-api-key\s+cko_Acme…AAAA\s+file\s+1\/1\/2099\s*$/,
    )
    assert.match(
      row('sandbox'),
      /^\s+sandbox\s+-\s+personal-api-key\s+ckp_Sand…etBB\s+file\s+\S+ \(3d left\)\s+http:\/\/127\.0\.0\.1:8787$/,
    )
    assert.match(row('old-key'), /^\s+old-key\s+org_2\s+org-api-key\s+cko_OldK…CCCC\s+file\s+1\/1\/2020 EXPIRED\s*$/)
    assert.ok(!result.stdout.includes('\u001B['), 'no colour when stdout is not a terminal')
    assert.equal(result.stderr, '')
  })

  it('no URL column when every profile is on production', async () => {
    const file = handWritten()
    delete (file.profiles.sandbox as {baseUrl?: string}).baseUrl
    const result = await ok(home(file), ['profile', 'list'])
    assert.doesNotMatch(result.stdout, /URL/)
  })

  it('CODIKA_API_KEY appears as its own [env] row, and in JSON as env', async () => {
    const h = home()
    const env = {CODIKA_API_KEY: ENV_KEY, CODIKA_BASE_URL: 'http://127.0.0.1:9999'}
    const table = await ok(h, ['profile', 'list'], env)
    assert.match(
      table.stdout,
      /^\s+env\s+\[env\]\s+CODIKA_API_KEY\s+admin-api-key\s+cka_EnvK…DDDD\s+-\s+-\s+http:\/\/127\.0\.0\.1:9999$/m,
    )
    // Issue 10: the note goes to stderr (and `warnings`), never into the table on stdout.
    assert.match(
      table.stderr,
      /^Warning: CODIKA_API_KEY is set: commands in this shell use it, not the active profile\.$/m,
    )
    assert.doesNotMatch(table.stdout, /is set/)
    const doc = onlyJson(await ok(h, ['profile', 'list', '--json'], env))
    assert.deepEqual(doc.warnings, ['CODIKA_API_KEY is set: commands in this shell use it, not the active profile.'])
    assert.deepEqual(doc.env, {
      maskedKey: 'cka_EnvK…DDDD',
      type: 'admin-api-key',
      baseUrl: 'http://127.0.0.1:9999',
      urlSource: 'env',
    })
    assert.equal(doc.profiles.length, 3, 'the env row is not a profile')
  })

  it('`profiles` and `use` without a name are the same list', async () => {
    const h = home()
    const list = onlyJson(await ok(h, ['profile', 'list', '--json']))
    assert.deepEqual(onlyJson(await ok(h, ['profiles', '--json'])), list)
    assert.deepEqual(onlyJson(await ok(h, ['use', '--json'])), list)
    assert.deepEqual(onlyJson(await ok(h, ['profile', 'use', '--json'])), list)
    assert.match((await ok(h, ['use'])).stdout, /\*\s+acme-corp/)
  })

  it('no file yet: an empty list, exit 0, and no file created', async () => {
    const h = home(null)
    assert.deepEqual(onlyJson(await ok(h, ['profile', 'list', '--json'])), {
      success: true,
      activeProfile: null,
      profiles: [],
      env: null,
      warnings: [],
    })
    assert.match((await ok(h, ['profiles'])).stdout, /No profiles yet\. Run `codika login`/)
    assert.equal(fileBytes(configFile(h)), null)
  })

  it('a broken file: exit 1 with its path, never overwritten', async () => {
    const h = home('{"activeProfile": "x", "profiles": [1, 2]}')
    const doc = assertJsonFailure(await runCli(h, ['profile', 'list', '--json']), 1, 'CONFIG_UNREADABLE')
    assert.ok(doc.error.message.includes(configFile(h)))
    assertJsonFailure(await runCli(h, ['profile', 'use', 'x', '--json']), 1, 'CONFIG_UNREADABLE')
    assertJsonFailure(await runCli(h, ['logout', '--json']), 1, 'CONFIG_UNREADABLE')
    assert.equal(fileBytes(configFile(h))?.toString(), '{"activeProfile": "x", "profiles": [1, 2]}')
  })
})

describe('profile use', {concurrency: true}, () => {
  it('switches the active profile; --json gives the new and previous ones', async () => {
    const h = home()
    const doc = onlyJson(await ok(h, ['profile', 'use', 'sandbox', '--json']))
    assert.equal(doc.success, true)
    assert.equal(doc.activeProfile, 'sandbox')
    assert.equal(doc.previousProfile, 'acme-corp')
    assert.equal(doc.profile.name, 'sandbox')
    assert.equal(doc.profile.active, true)
    assert.equal(doc.profile.maskedKey, 'ckp_Sand…etBB')
    assert.equal(readConfig(h).activeProfile, 'sandbox')
  })

  it('`use NAME` is the same; the human form says what is active now', async () => {
    const h = home()
    const result = await ok(h, ['use', 'old-key'])
    assert.match(result.stdout, /✓ Switched to profile "old-key"/)
    assert.match(result.stdout, /Key:\s+cko_OldK…CCCC/)
    assert.match(result.stdout, /Expires:\s+1\/1\/2020 \(EXPIRED\)/)
    assert.equal(readConfig(h).activeProfile, 'old-key')
  })

  it('an unknown name: exit 2 with the known names, file untouched', async () => {
    const h = home()
    const before = fileBytes(configFile(h))
    const human = await runCli(h, ['use', 'nope'])
    assert.equal(human.code, 2)
    assert.match(human.stderr, /Error: No profile named "nope"\./)
    assert.match(human.stderr, /Hint: Known profiles: acme-corp, old-key, sandbox\./)
    const doc = assertJsonFailure(await runCli(h, ['profile', 'use', 'nope', '--json']), 2, 'PROFILE_NOT_FOUND')
    assert.match(doc.error.hint, /acme-corp, old-key, sandbox/)
    assert.deepEqual(fileBytes(configFile(h)), before)
  })

  it('warns when CODIKA_PROFILE or CODIKA_API_KEY would override the switch in this shell', async () => {
    const h = home()
    const result = await ok(h, ['use', 'sandbox'], {CODIKA_PROFILE: 'acme-corp'})
    assert.match(
      result.stderr,
      /Warning: CODIKA_PROFILE is set: commands in this shell use profile "acme-corp", not the active one\./,
    )
    const doc = onlyJson(await ok(h, ['use', 'old-key', '--json'], {CODIKA_API_KEY: ENV_KEY}))
    assert.match(doc.warnings[0], /CODIKA_API_KEY is set/)
  })
})

describe('profile show', {concurrency: true}, () => {
  it('the active profile by default: everything but the raw key, unknown fields included', async () => {
    const h = home()
    const result = await ok(h, ['profile', 'show'])
    assert.match(result.stdout, /Profile:\s+acme-corp \(active\)/)
    assert.match(result.stdout, /Organization:\s+Acme Corp \(org_1\)/)
    assert.match(result.stdout, /Key:\s+cko_Acme…AAAA/)
    assert.match(result.stdout, /URL:\s+https:\/\/api\.codika\.io \(production\)/)
    assert.match(result.stdout, /legacyNote:\s+written by the established client/)

    const doc = onlyJson(await ok(h, ['profile', 'show', '--json']))
    assert.equal(doc.profile.name, 'acme-corp')
    assert.equal(doc.profile.maskedKey, 'cko_Acme…AAAA')
    assert.equal('apiKey' in doc.profile, false)
    assert.deepEqual(doc.profile.otherFields, {
      legacyNote: 'written by the established client',
      region: {name: 'eu-west', weight: 3},
    })
  })

  it('a named profile; CODIKA_PROFILE when no name; a key-shaped unknown field is masked', async () => {
    const file = handWritten()
    ;(file.profiles.sandbox as Record<string, unknown>).n8nApiKey = ENV_KEY
    const h = home(file)
    const doc = onlyJson(await ok(h, ['profile', 'show', 'sandbox', '--json']))
    assert.equal(doc.profile.name, 'sandbox')
    assert.equal(doc.profile.active, false)
    assert.equal(doc.profile.baseUrl, 'http://127.0.0.1:8787')
    assert.equal(doc.profile.expiryStatus, 'expiring')
    assert.deepEqual(doc.profile.otherFields, {n8nApiKey: 'cka_…DDDD (hidden)'})
    const viaEnv = onlyJson(await ok(h, ['profile', 'show', '--json'], {CODIKA_PROFILE: 'old-key'}))
    assert.equal(viaEnv.profile.name, 'old-key')
  })

  it('an unknown name, or no active profile: exit 2', async () => {
    assertJsonFailure(await runCli(home(), ['profile', 'show', 'nope', '--json']), 2, 'PROFILE_NOT_FOUND')
    const none = home({activeProfile: null, profiles: {a: {apiKey: ACME_KEY, type: 'org-api-key'}}})
    const result = await runCli(none, ['profile', 'show'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Error: There is no active profile to show\./)
  })
})

describe('logout and profile remove', {concurrency: true}, () => {
  it('logout without a name removes the active profile; the first remaining by name becomes active, and is said', async () => {
    const h = home()
    const result = await ok(h, ['logout'])
    assert.equal(
      result.stdout,
      '✓ Removed profile "acme-corp"\nActive profile is now "old-key". Switch with `codika profile use NAME`.\n',
    )
    const file = readConfig(h)
    assert.deepEqual(Object.keys(file.profiles).sort(), ['old-key', 'sandbox'])
    assert.equal(file.activeProfile, 'old-key')
  })

  it('--json: {removed, wasActive, activeProfile, chosenBy (without a name)}', async () => {
    const h = home()
    assert.deepEqual(onlyJson(await ok(h, ['logout', '--json'])), {
      success: true,
      removed: 'acme-corp',
      wasActive: true,
      activeProfile: 'old-key',
      chosenBy: 'active',
      warnings: [],
    })
    assert.deepEqual(onlyJson(await ok(h, ['logout', 'sandbox', '--json'])), {
      success: true,
      removed: 'sandbox',
      wasActive: false,
      activeProfile: 'old-key',
      warnings: [],
    })
    assert.deepEqual(onlyJson(await ok(h, ['profile', 'remove', 'old-key', '--json'])), {
      success: true,
      removed: 'old-key',
      wasActive: true,
      activeProfile: null,
      warnings: [],
    })
    assert.deepEqual(readConfig(h).profiles, {})
    assert.equal(readConfig(h).activeProfile, null)
    assert.equal(readConfig(h).telemetry.optOut, true, 'the file’s unknown fields stay')
  })

  it('removing another profile leaves the active one alone; removing the last one says none is left', async () => {
    const h = home()
    const other = await ok(h, ['profile', 'remove', 'sandbox'])
    assert.equal(other.stdout, '✓ Removed profile "sandbox"\nActive profile: "acme-corp" (unchanged)\n')
    await ok(h, ['logout', 'old-key'])
    const last = await ok(h, ['logout'])
    assert.match(last.stdout, /No profiles are left\. Run `codika login` to add one\./)
  })

  it('an unknown name: exit 2 with the known names, nothing removed', async () => {
    const h = home()
    const before = fileBytes(configFile(h))
    const human = await runCli(h, ['logout', 'nope'])
    assert.equal(human.code, 2)
    assert.match(human.stderr, /Error: No profile named "nope"\./)
    assert.match(human.stderr, /Known profiles: acme-corp, old-key, sandbox\./)
    assertJsonFailure(await runCli(h, ['profile', 'remove', 'nope', '--json']), 2, 'PROFILE_NOT_FOUND')
    assert.deepEqual(fileBytes(configFile(h)), before)
  })

  it('no active profile and no name, or `profile remove` without a name: exit 2', async () => {
    const none = home({activeProfile: null, profiles: {a: {apiKey: ACME_KEY, type: 'org-api-key'}}})
    const doc = assertJsonFailure(await runCli(none, ['logout', '--json']), 2, 'PROFILE_NOT_FOUND')
    assert.match(doc.error.message, /no active profile/)
    assert.match(doc.error.hint, /known profiles: a/)
    const missing = await runCli(none, ['profile', 'remove'])
    assert.equal(missing.code, 2)
    // Issue 10: not oclif's "Missing 1 required arg:; name" run together.
    assert.equal(missing.stderr, 'Error: Missing required argument NAME (The profile to remove).\nHint: See --help.\n')
    const missingJson = assertJsonFailure(await runCli(none, ['profile', 'remove', '--json']), 2, 'INVALID_ARGUMENT')
    assert.equal(missingJson.error.message, 'Missing required argument NAME (The profile to remove).')
    assert.deepEqual(Object.keys(readConfig(none).profiles), ['a'])
  })
})

describe('compatibility with the established client’s file', {concurrency: true}, () => {
  it('a hand-written file is read, listed and rewritten with every unknown field intact', async () => {
    const h = home()
    const listed = onlyJson(await ok(h, ['profile', 'list', '--json']))
    assert.deepEqual(
      listed.profiles.map((p: {name: string}) => p.name),
      ['acme-corp', 'old-key', 'sandbox'],
    )

    await ok(h, ['profile', 'use', 'sandbox'])
    await ok(h, ['login', '--api-key', 'ckp_NewKey0123456789abcdefgh', '--skip-verify', '--name', 'new'])
    await ok(h, ['logout', 'new'])
    await ok(h, ['profile', 'use', 'acme-corp'])
    assert.deepEqual(readConfig(h), {...handWritten(), activeProfile: 'acme-corp'})
    assert.equal(statSync(configFile(h)).mode & 0o777, 0o600)
  })

  it('a profile with only apiKey and type, and a file without activeProfile, are fine', async () => {
    const h = home({profiles: {bare: {apiKey: ACME_KEY, type: 'org-api-key'}}})
    const doc = onlyJson(await ok(h, ['profile', 'list', '--json']))
    assert.equal(doc.activeProfile, null)
    assert.deepEqual(doc.profiles, [
      {
        name: 'bare',
        active: false,
        type: 'org-api-key',
        maskedKey: 'cko_Acme…AAAA',
        keyStore: 'file',
        baseUrl: 'https://api.codika.io',
      },
    ])
    await ok(h, ['use', 'bare'])
    assert.deepEqual(readConfig(h), {activeProfile: 'bare', profiles: {bare: {apiKey: ACME_KEY, type: 'org-api-key'}}})
  })
})
