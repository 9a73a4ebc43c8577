// `codika organization update-key`: input checks, the exact request and the local profile refresh against a recording
// platform, then end to end against the sandbox (renames, re-scopes, roles and unknown keys as the platform rules them).
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import {
  assertHumanFailure,
  assertJsonFailure,
  assertNoLeak,
  fileBytes,
  onlyJson,
  readConfig,
  writeConfig,
} from '../../helpers/assertions.js'
import {configFile, runCli, tempHomes} from '../../helpers/cli.js'
import {
  errorEnvelope,
  type FakePlatform,
  okEnvelope,
  type Reply,
  startFakePlatform,
} from '../../helpers/fake-platform.js'
import {startTestSandbox, type TestSandbox} from '../../sandbox/helpers.js'

const CALLER = 'ckp_CallerKey0123456789abcdef'
const HELD_KEY = 'cko_HeldKey0123456789abcdefghij'
const KEY_ID = 'key_abc123'

/** What the platform answers: the request's changes applied to a key named "Old name". */
const updated: Reply = (req, res) => {
  const body = req.json ?? {}
  const data: Record<string, unknown> = {
    keyId: body.keyId,
    name: body.name ?? 'Old name',
    scopes: body.scopes ?? ['deploy:use-case'],
    updatedAt: '2026-04-01T09:30:00.000Z',
  }
  const description = body.description ?? 'Old description'
  if (description !== '') data.description = description
  const text = JSON.stringify(okEnvelope(data, 'req-upd-1'))
  res.writeHead(200, {'content-type': 'application/json'})
  res.end(text)
}

let platform: FakePlatform
const homes = tempHomes()
const home = homes.home

before(async () => {
  platform = await startFakePlatform(updated)
})
after(async () => {
  await platform.close()
  homes.cleanup()
})

async function updateKey(route: string, args: string[], h = home()) {
  const url = platform.route(route, updated)
  const result = await runCli(h, ['organization', 'update-key', ...args, '--api-key', CALLER, '--api-url', url])
  return {result, requests: platform.requestsTo(route), url, home: h}
}

/** A profile as create-key saves it. */
function heldProfile(baseUrl: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    apiKey: HELD_KEY,
    type: 'org-api-key',
    organizationId: 'org_1',
    keyId: KEY_ID,
    keyName: 'Old name',
    keyPrefix: HELD_KEY.slice(0, 12),
    scopes: ['deploy:use-case'],
    createdAt: '2026-03-30T12:00:00.000Z',
    ...(baseUrl === undefined ? {} : {baseUrl}),
    ...extra,
  }
}

describe('update-key: what it sends and prints', () => {
  it('renames: sends only the key id and the name, prints the new state', async () => {
    const {result, requests} = await updateKey('rename', ['--key-id', KEY_ID, '--name', '  CI Deploy Key (prod)  '])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.equal(requests.length, 1)
    assert.equal(requests[0].url, '/rename/updateorganizationapikeypublic')
    assert.equal(requests[0].headers['x-process-manager-key'], CALLER)
    assert.deepEqual(requests[0].json, {keyId: KEY_ID, name: 'CI Deploy Key (prod)'})
    assert.equal(
      result.stdout,
      [
        '✓ Organization API Key Updated Successfully',
        '',
        `  Key ID:       ${KEY_ID}`,
        '  Name:         CI Deploy Key (prod)',
        '  Description:  Old description',
        '  Scopes:       deploy:use-case',
        '  Updated:      2026-04-01T09:30:00.000Z',
        '  Request ID:   req-upd-1',
        '',
      ].join('\n'),
    )
  })

  it('re-scopes: the list split, trimmed and de-duplicated', async () => {
    const {result, requests} = await updateKey('rescope', [
      '--key-id',
      KEY_ID,
      '--scopes',
      ' workflows:trigger, executions:read,workflows:trigger ',
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(requests[0].json, {keyId: KEY_ID, scopes: ['workflows:trigger', 'executions:read']})
    assert.match(result.stdout, /Scopes: {7}workflows:trigger, executions:read\n/)
  })

  it('--description "" sends an empty description (which clears it)', async () => {
    const {result, requests} = await updateKey('clear', ['--key-id', KEY_ID, '--description', ''])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(requests[0].json, {keyId: KEY_ID, description: ''})
    assert.match(result.stdout, /Description: {2}\(none\)\n/)
  })

  it('--json prints the envelope plus the refreshed profile (null when none holds the key)', async () => {
    const {result} = await updateKey('json', [
      '--key-id',
      KEY_ID,
      '--name',
      'New',
      '--description',
      'Why',
      '--scopes',
      'skills:read',
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(onlyJson(result), {
      success: true,
      data: {
        keyId: KEY_ID,
        name: 'New',
        description: 'Why',
        scopes: ['skills:read'],
        updatedAt: '2026-04-01T09:30:00.000Z',
      },
      requestId: 'req-upd-1',
      profile: null,
      warnings: [],
    })
  })
})

describe('update-key: the local profile holding the key', () => {
  it('refreshes the name and scopes of the profile with that keyId on that platform, and nothing else', async () => {
    const h = home()
    const url = platform.route('refresh', updated)
    const other = `${url}-elsewhere`
    writeConfig(h, {
      activeProfile: 'caller',
      profiles: {
        caller: {apiKey: CALLER, type: 'personal-api-key', baseUrl: url},
        'org-api-key-old-name': heldProfile(url, {custom: 'kept'}),
        // the same key id on another platform is another key
        elsewhere: heldProfile(other, {apiKey: 'cko_OtherPlatformKey0123456789'}),
      },
      extra: {kept: true},
    })
    const result = await runCli(h, [
      'organization',
      'update-key',
      '--key-id',
      KEY_ID,
      '--name',
      'New name',
      '--scopes',
      'skills:read,projects:read',
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(onlyJson(result).profile, 'org-api-key-old-name')
    assert.deepEqual(readConfig(h), {
      activeProfile: 'caller',
      profiles: {
        caller: {apiKey: CALLER, type: 'personal-api-key', baseUrl: url},
        'org-api-key-old-name': heldProfile(url, {
          custom: 'kept',
          keyName: 'New name',
          scopes: ['skills:read', 'projects:read'],
        }),
        elsewhere: heldProfile(other, {apiKey: 'cko_OtherPlatformKey0123456789'}),
      },
      extra: {kept: true},
    })

    const human = await runCli(h, ['organization', 'update-key', '--key-id', KEY_ID, '--description', 'x'])
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stdout, /\n {2}Refreshed the name and scopes of profile "org-api-key-old-name"\n$/)
  })

  it('writes nothing when no profile holds the key', async () => {
    const h = home()
    const path = writeConfig(h, {activeProfile: null, profiles: {p: heldProfile(undefined, {keyId: 'key_other'})}})
    const before = fileBytes(path)
    const {result} = await updateKey('untouched', ['--key-id', KEY_ID, '--name', 'New'], h)
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(fileBytes(path), before)
  })

  it('succeeds with a warning when the profile file cannot be read (the key was updated)', async () => {
    const h = home()
    const path = writeConfig(h, '{ not json')
    const {result} = await updateKey('broken', ['--key-id', KEY_ID, '--name', 'New', '--json'], h)
    assert.equal(result.code, 0, result.stderr)
    const doc = onlyJson(result)
    assert.equal(doc.success, true)
    assert.equal(doc.profile, null)
    assert.equal(doc.warnings.length, 1)
    assert.match(
      doc.warnings[0],
      /The key was updated, but its local profile could not be refreshed: .*is not valid JSON/,
    )
    assert.equal(fileBytes(path)?.toString(), '{ not json')
  })
})

describe('update-key: failures', () => {
  const bad: Array<{label: string; args: string[]; message: RegExp; code: string}> = [
    {label: 'no --key-id', args: ['--name', 'New'], message: /Missing required flag --key-id/, code: 'MISSING_FLAG'},
    {
      label: 'an empty --key-id',
      args: ['--key-id', '  ', '--name', 'New'],
      message: /--key-id must not be empty/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'nothing to change',
      args: ['--key-id', KEY_ID],
      message: /Nothing to change: give at least one of --name, --description or --scopes/,
      code: 'MISSING_FLAG',
    },
    {
      label: 'an empty --name',
      args: ['--key-id', KEY_ID, '--name', ' '],
      message: /--name must not be empty/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'no scope in --scopes',
      args: ['--key-id', KEY_ID, '--scopes', ' , '],
      message: /--scopes must name at least one scope/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'an unknown scope',
      args: ['--key-id', KEY_ID, '--scopes', 'deploy:use-case,workflow:trigger'],
      message:
        /Unknown scope "workflow:trigger"\. Did you mean "workflows:trigger"\? Valid scopes: deploy:use-case, .*api-keys:manage\./,
      code: 'UNKNOWN_SCOPE',
    },
    {
      label: 'a scope only personal keys may carry',
      args: ['--key-id', KEY_ID, '--scopes', 'organizations:create'],
      message: /"organizations:create" can only be carried by personal and admin keys/,
      code: 'UNKNOWN_SCOPE',
    },
  ]
  for (const c of bad) {
    it(`${c.label}: exit 2, nothing sent`, async () => {
      const h = home()
      const route = `bad-${c.label.replace(/\W+/g, '-')}`
      const url = platform.route(route, updated)
      const args = ['organization', 'update-key', ...c.args, '--api-key', CALLER, '--api-url', url]
      const human = await runCli(h, args)
      assertHumanFailure(human, 2, c.message)
      assertNoLeak(human, [CALLER], args)
      const json = await runCli(h, [...args, '--json'])
      const doc = assertJsonFailure(json, 2, c.code)
      assert.match(doc.error.message, c.message)
      assertNoLeak(json, [CALLER], args)
      assert.equal(platform.requestsTo(route).length, 0, 'nothing was sent')
      assert.equal(fileBytes(configFile(h)), null, 'nothing was written')
    })
  }

  it('an unknown key: exit 1 with the platform message, the profile untouched', async () => {
    const h = home()
    const url = platform.route('404', {
      status: 404,
      json: errorEnvelope(`API key not found: ${KEY_ID}`, 'req-404', 'API_KEY_NOT_FOUND'),
    })
    const path = writeConfig(h, {activeProfile: null, profiles: {held: heldProfile(url)}})
    const before = fileBytes(path)
    const args = [
      'organization',
      'update-key',
      '--key-id',
      KEY_ID,
      '--name',
      'New',
      '--api-key',
      CALLER,
      '--api-url',
      url,
    ]
    const human = await runCli(h, args)
    assertHumanFailure(human, 1, /API key not found: key_abc123 \(HTTP 404\)/)
    assertNoLeak(human, [CALLER, HELD_KEY])
    const doc = assertJsonFailure(await runCli(h, [...args, '--json']), 1, 'API_ERROR')
    assert.equal(doc.error.status, 404)
    assert.deepEqual(fileBytes(path), before)
  })
})

// ---- Against the sandbox ---------------------------------------------------------------------------------------

describe('update-key against the sandbox', () => {
  let sandbox: TestSandbox
  const log: string[] = []
  /** Update requests that reached the sandbox so far. */
  const updates = () => log.filter((l) => l.startsWith('POST /updateorganizationapikeypublic ')).length
  let h: string
  let keyId: string
  let heldKey: string
  const PROFILE = 'org-api-key-ci-deploy-key'

  /** What the platform now says about the held key, asked with the key itself. */
  async function verifyHeld(): Promise<{keyName: string; scopes: string[]}> {
    const response = await fetch(`${sandbox.url}/verifyapikey`, {
      method: 'POST',
      headers: {'X-Process-Manager-Key': heldKey},
    })
    assert.equal(response.status, 200)
    return ((await response.json()) as {data: {keyName: string; scopes: string[]}}).data
  }
  const asOwner = (...args: string[]) => runCli(h, ['organization', 'update-key', '--profile', 'owner', ...args])
  const secrets = () => [
    sandbox.seeded!.owner.apiKey,
    sandbox.seeded!.admin.apiKey,
    sandbox.seeded!.member.apiKey,
    heldKey,
  ]

  before(async () => {
    sandbox = await startTestSandbox({log: (line) => log.push(line)})
    h = home()
    writeConfig(h, {
      activeProfile: 'owner',
      profiles: {owner: {apiKey: sandbox.seeded!.owner.apiKey, type: 'personal-api-key', baseUrl: sandbox.url}},
    })
    // create-key saves the new key as a profile (with its keyId) and makes it active.
    const made = await runCli(h, [
      'organization',
      'create-key',
      '--organization-id',
      sandbox.seeded!.organizationId,
      '--name',
      'CI Deploy Key',
      '--scopes',
      'deploy:use-case',
      '--description',
      'Deploys from CI',
      '--json',
    ])
    assert.equal(made.code, 0, made.stderr)
    const doc = onlyJson(made)
    assert.equal(doc.profile, PROFILE)
    keyId = doc.data.keyId
    heldKey = doc.data.apiKey
    assert.equal(readConfig(h).profiles[PROFILE].keyId, keyId)
  })
  after(async () => {
    await sandbox.dispose()
  })

  it('renames the key, and refreshes the profile holding it', async () => {
    const result = await asOwner('--key-id', keyId, '--name', 'CI Deploy Key (prod)')
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Name: +CI Deploy Key \(prod\)\n/)
    assert.match(result.stdout, /Description: +Deploys from CI\n/)
    assert.match(result.stdout, /Scopes: +deploy:use-case\n/)
    assert.match(result.stdout, /Updated: +\d{4}-\d\d-\d\dT/)
    assert.match(result.stdout, /Request ID: +req_[0-9a-f]{16}\n/)
    assert.match(result.stdout, new RegExp(`Refreshed the name and scopes of profile "${PROFILE}"`))
    assertNoLeak(result, secrets())

    assert.equal((await verifyHeld()).keyName, 'CI Deploy Key (prod)')
    const profile = readConfig(h).profiles[PROFILE]
    assert.equal(profile.keyName, 'CI Deploy Key (prod)')
    assert.equal(profile.apiKey, heldKey, 'the key itself is kept')
  })

  it('re-scopes the key (the whole set replaced), --json with the refreshed profile', async () => {
    const result = await asOwner('--key-id', keyId, '--scopes', 'workflows:trigger,executions:read', '--json')
    assert.equal(result.code, 0, result.stderr)
    const doc = onlyJson(result)
    assert.equal(doc.success, true)
    assert.equal(doc.profile, PROFILE)
    assert.deepEqual(doc.data.scopes, ['workflows:trigger', 'executions:read'])
    assert.equal(doc.data.keyId, keyId)
    assert.match(doc.requestId, /^req_/)

    assert.deepEqual((await verifyHeld()).scopes, ['workflows:trigger', 'executions:read'])
    assert.deepEqual(readConfig(h).profiles[PROFILE].scopes, ['workflows:trigger', 'executions:read'])
  })

  it('clears the description with --description ""', async () => {
    const result = await asOwner('--key-id', keyId, '--description', '', '--json')
    assert.equal(result.code, 0, result.stderr)
    const {data} = onlyJson(result)
    assert.equal(data.description, undefined)
    assert.equal(data.name, 'CI Deploy Key (prod)', 'the other fields are kept')

    const human = await asOwner('--key-id', keyId, '--description', 'Back again')
    assert.match(human.stdout, /Description: +Back again\n/)
    const cleared = await asOwner('--key-id', keyId, '--description', '')
    assert.match(cleared.stdout, /Description: +\(none\)\n/)
  })

  it('an admin of the organization may update its keys too', async () => {
    const result = await runCli(h, [
      'organization',
      'update-key',
      '--key-id',
      keyId,
      '--name',
      'Renamed by admin',
      '--api-key',
      sandbox.seeded!.admin.apiKey,
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(onlyJson(result).data.name, 'Renamed by admin')
    // --api-key with the profile's URL: still the same platform, so the profile is refreshed
    assert.equal(readConfig(h).profiles[PROFILE].keyName, 'Renamed by admin')
  })

  it('an unknown key id: exit 1 with the 404 message', async () => {
    const human = await asOwner('--key-id', 'key_doesnotexist', '--name', 'X')
    assertHumanFailure(human, 1, /API key not found: key_doesnotexist \(HTTP 404\)/)
    assert.match(human.stderr, /Hint: Check the id you gave\./)
    const json = await asOwner('--key-id', 'key_doesnotexist', '--name', 'X', '--json')
    const doc = assertJsonFailure(json, 1, 'API_ERROR')
    assert.equal(doc.error.status, 404)
    for (const r of [human, json]) assertNoLeak(r, secrets())
  })

  it("a member's key: exit 1, 403 (the key lacks api-keys:manage)", async () => {
    const args = [
      'organization',
      'update-key',
      '--key-id',
      keyId,
      '--name',
      'X',
      '--api-key',
      sandbox.seeded!.member.apiKey,
    ]
    const human = await runCli(h, args)
    assertHumanFailure(human, 1, /This API key lacks the api-keys:manage scope \(HTTP 403\)/)
    const doc = assertJsonFailure(await runCli(h, [...args, '--json']), 1, 'API_ERROR')
    assert.equal(doc.error.status, 403)
    assertNoLeak(human, secrets())
    assert.equal(readConfig(h).profiles[PROFILE].keyName, 'Renamed by admin', 'nothing refreshed')
  })

  it("an admin's key on another organization's key: exit 1, 403 (not a member there)", async () => {
    const org = await runCli(h, ['organization', 'create', '--profile', 'owner', '--name', 'Other Org', '--json'])
    assert.equal(org.code, 0, org.stderr)
    const organizationId = onlyJson(org).data.organizationId
    const key = await runCli(h, [
      'organization',
      'create-key',
      '--profile',
      'owner',
      '--organization-id',
      organizationId,
      '--name',
      'Other',
      '--scopes',
      'skills:read',
      '--no-save',
      '--json',
    ])
    assert.equal(key.code, 0, key.stderr)
    const otherKeyId = onlyJson(key).data.keyId

    const result = await runCli(h, [
      'organization',
      'update-key',
      '--key-id',
      otherKeyId,
      '--name',
      'X',
      '--api-key',
      sandbox.seeded!.admin.apiKey,
      '--json',
    ])
    const doc = assertJsonFailure(result, 1, 'API_ERROR')
    assert.equal(doc.error.status, 403)
    assert.match(doc.error.message, /Only owners and admins of organization .* can manage its API keys/)
    assertNoLeak(result, secrets())
  })

  it('no field to change, or an unknown scope: exit 2, nothing reaches the sandbox', async () => {
    const sent = updates()
    const none = await asOwner('--key-id', keyId)
    assertHumanFailure(none, 2, /Nothing to change/)
    assertJsonFailure(await asOwner('--key-id', keyId, '--json'), 2, 'MISSING_FLAG')

    const scope = await asOwner('--key-id', keyId, '--scopes', 'deploy:use-case,instances:admin')
    assertHumanFailure(scope, 2, /Unknown scope "instances:admin"\. Did you mean "instances:read"\?/)
    const doc = assertJsonFailure(
      await asOwner('--key-id', keyId, '--scopes', 'instances:admin', '--json'),
      2,
      'UNKNOWN_SCOPE',
    )
    assert.match(doc.error.message, /Valid scopes: deploy:use-case/)
    for (const r of [none, scope]) assertNoLeak(r, secrets())
    assert.equal(updates(), sent)
  })
})
