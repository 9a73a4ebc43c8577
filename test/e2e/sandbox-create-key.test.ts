// End to end: the real CLI against a real `codika sandbox start` process (one per file, restarted on the same data
// file): create-key's happy path and the platform's refusals (403, 404, 400, 401), keys kept only as hashes,
// keys that survive a kill -9, and keys that expire on the sandbox's shifted clock.
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {ORGANIZATION_SCOPE_NAMES} from '../../src/lib/scopes.js'
import {
  assertHumanFailure,
  assertJsonFailure,
  assertNoLeak,
  onlyJson,
  readConfig,
  writeConfig,
} from '../helpers/assertions.js'
import {configFile, runCli, tempHomes} from '../helpers/cli.js'
import {killLeftovers, type SandboxDocument, type StartedSandbox, startSandboxCli} from '../helpers/sandbox-cli.js'
import {call, DAY_MS} from '../sandbox/helpers.js'

const homes = tempHomes('codika-e2e-')
const home = homes.home

let sandboxHome: string
let dataFile: string
let sandbox: StartedSandbox
let url: string
let port: number
let seeded: NonNullable<SandboxDocument['data']['seeded']>

/** (Re)starts the file's sandbox on the same data file and port, so that saved profiles keep pointing at it. */
async function startFileSandbox(env: Record<string, string> = {}): Promise<SandboxDocument> {
  sandbox = await startSandboxCli(sandboxHome, ['--port', String(port ?? 0), '--data', dataFile, '--json'], {env})
  const doc = JSON.parse(sandbox.stdout()) as SandboxDocument
  url = doc.data.url
  port = doc.data.port
  return doc
}

before(async () => {
  sandboxHome = home()
  dataFile = join(sandboxHome, 'sandbox.db')
  const doc = await startFileSandbox()
  seeded = doc.data.seeded!
})
after(async () => {
  await sandbox?.stop()
  killLeftovers()
  homes.cleanup()
})

/** A fresh home whose active profile holds a seeded key and points at the sandbox. */
function homeWith(who: 'owner' | 'admin' | 'member'): string {
  const h = home()
  const key = seeded[who]
  writeConfig(h, {
    activeProfile: who,
    profiles: {[who]: {apiKey: key.apiKey, type: key.type, keyName: key.keyName, scopes: key.scopes, baseUrl: url}},
  })
  return h
}

function createKeyArgs(organizationId: string, name: string, scopes: string, ...more: string[]): string[] {
  return [
    'organization',
    'create-key',
    '--organization-id',
    organizationId,
    '--name',
    name,
    '--scopes',
    scopes,
    ...more,
  ]
}

/** A key created with the owner through the CLI (--json, not saved). */
async function mintWithOwner(name: string, scopes: string, ...more: string[]): Promise<{apiKey: string; data: any}> {
  const result = await runCli(home(), [
    ...createKeyArgs(seeded.organizationId, name, scopes, ...more),
    '--no-save',
    '--json',
    '--api-key',
    seeded.owner.apiKey,
    '--api-url',
    url,
  ])
  assert.equal(result.code, 0, result.stdout + result.stderr)
  const {data} = onlyJson(result)
  return {apiKey: data.apiKey, data}
}

/** Every file the sandbox keeps beside its data file (database, journal, pid), as bytes; the lock is a folder. */
function dataFolderBytes(): Buffer {
  const files = readdirSync(sandboxHome, {withFileTypes: true}).filter(
    (f) => f.isFile() && f.name.startsWith('sandbox.db'),
  )
  assert.ok(files.some((f) => f.name === 'sandbox.db'))
  return Buffer.concat(files.map((f) => readFileSync(join(sandboxHome, f.name))))
}

function createKeyRequests(): number {
  return sandbox
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('POST /createorganizationapikeypublic ')).length
}

const escape = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('create-key against the sandbox', () => {
  it('happy path with the seeded owner: the key printed once, saved as the active profile; it verifies; the database holds no raw key', async () => {
    const h = homeWith('owner')
    const result = await runCli(
      h,
      createKeyArgs(
        seeded.organizationId,
        'CI Deploy Key',
        'deploy:use-case, workflows:trigger,deploy:use-case',
        '--description',
        'for CI',
        '--expires-in-days',
        '30',
      ),
    )
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.match(result.stdout, /Organization API Key Created Successfully/)
    const apiKey = /^ {2}API Key: +(cko_[A-Za-z0-9_-]+)$/m.exec(result.stdout)?.[1]
    assert.ok(apiKey, result.stdout)
    assert.match(apiKey, /^cko_[A-Za-z0-9_-]{43,}$/)
    assert.match(result.stdout, new RegExp(`^ {2}Key Prefix: +${escape(apiKey.slice(0, 12))}$`, 'm'))
    assert.match(result.stdout, /^ {2}Scopes: +deploy:use-case, workflows:trigger$/m)
    assert.match(result.stdout, /Saved as profile "org-api-key-ci-deploy-key" \(now active\)/)

    const config = readConfig(h)
    assert.equal(config.activeProfile, 'org-api-key-ci-deploy-key')
    const saved = config.profiles['org-api-key-ci-deploy-key']
    assert.equal(saved.apiKey, apiKey)
    assert.equal(saved.type, 'org-api-key')
    assert.equal(saved.organizationId, seeded.organizationId)
    assert.equal(saved.baseUrl, url)
    assert.deepEqual(saved.scopes, ['deploy:use-case', 'workflows:trigger'])
    const days = (Date.parse(saved.expiresAt) - Date.parse(saved.createdAt)) / DAY_MS
    assert.equal(days, 30)

    // The new key verifies: through the saved profile, through --api-key, and straight at the endpoint.
    const [active, flagged, direct] = await Promise.all([
      runCli(h, ['whoami']),
      runCli(home(), ['whoami', '--api-key', apiKey, '--api-url', url, '--json']),
      call(url, 'verifyapikey', {key: apiKey}),
    ])
    assert.equal(active.code, 0, active.stderr)
    assert.match(active.stdout, /Key verified/)
    assert.match(active.stdout, new RegExp(`Organization: +Sandbox Org \\(${seeded.organizationId}\\)`))
    assert.match(active.stdout, /Key name: +CI Deploy Key/)
    assert.equal(flagged.code, 0, flagged.stderr)
    const who = onlyJson(flagged)
    assert.equal(who.verified, true)
    assert.equal(who.data.type, 'org-api-key')
    assert.equal(who.data.keyPrefix, apiKey.slice(0, 12))
    assert.deepEqual(who.data.scopes, ['deploy:use-case', 'workflows:trigger'])
    assert.equal(direct.status, 200)
    assert.deepEqual(direct.body.data.scopes, ['deploy:use-case', 'workflows:trigger'])
    assertNoLeak(active, [apiKey])
    assertNoLeak(flagged, [apiKey])

    // Security: the sandbox's files hold neither the new key nor the seeded ones, only hashes (and 12-char prefixes).
    const stored = dataFolderBytes()
    for (const key of [apiKey, seeded.owner.apiKey, seeded.member.apiKey]) {
      assert.ok(!stored.includes(key), 'a raw key is in the database')
      assert.ok(!stored.includes(key.slice(12)), "a key's secret part is in the database")
    }
    assert.ok(stored.includes(apiKey.slice(0, 12)), 'the prefix is stored (the search above does look at the data)')
    assert.ok(!sandbox.stderr().includes(apiKey), 'the request log holds no key')
  })

  it('the new key carries exactly the requested scopes (as create-key --json reports and verify confirms)', async () => {
    const {apiKey, data} = await mintWithOwner('Reader', 'projects:read,executions:read')
    assert.deepEqual(data.scopes, ['projects:read', 'executions:read'])
    assert.equal(data.expiresAt, undefined, 'no --expires-in-days: a key that never expires')
    const verified = await runCli(home(), ['whoami', '--api-key', apiKey, '--api-url', url, '--json'])
    assert.equal(verified.code, 0, verified.stderr)
    assert.deepEqual(onlyJson(verified).data.scopes, ['projects:read', 'executions:read'])
    assert.equal(onlyJson(verified).data.expiresAt, undefined)
  })

  it('refusals: the member (403 scope), keys without api-keys:manage, organization keys (403), an admin outside its organization (403), an unknown organization (404)', async () => {
    const owner = homeWith('owner')
    const other = await runCli(owner, ['organization', 'create', '--name', 'Other Org', '--json'])
    assert.equal(other.code, 0, other.stderr)
    const otherOrg = onlyJson(other).data.organizationId as string
    const [plainOrgKey, managingOrgKey] = await Promise.all([
      mintWithOwner('Plain', 'projects:read'),
      mintWithOwner('Manager', 'api-keys:manage,projects:read'),
    ])
    assert.deepEqual(managingOrgKey.data.scopes, ['api-keys:manage', 'projects:read'])

    const attempt = (h: string, organizationId: string, json = false) =>
      runCli(h, [...createKeyArgs(organizationId, 'Denied', 'projects:read'), ...(json ? ['--json'] : [])])
    const withKey = (apiKey: string, organizationId: string) =>
      runCli(home(), [
        ...createKeyArgs(organizationId, 'Denied', 'projects:read'),
        '--api-key',
        apiKey,
        '--api-url',
        url,
      ])
    const member = homeWith('member')
    const admin = homeWith('admin')
    const [memberHuman, memberJson, plainOrg, managingOrg, adminOther, adminOwn, unknownHuman, unknownJson] =
      await Promise.all([
        attempt(member, seeded.organizationId),
        attempt(member, seeded.organizationId, true),
        withKey(plainOrgKey.apiKey, seeded.organizationId),
        withKey(managingOrgKey.apiKey, seeded.organizationId),
        attempt(admin, otherOrg),
        // A home of its own: the key it creates becomes its active profile, which the run beside it must not see.
        attempt(homeWith('admin'), seeded.organizationId, true),
        attempt(owner, 'org_doesnotexist'),
        attempt(owner, 'org_doesnotexist', true),
      ])

    // The member's personal key lacks api-keys:manage: the platform's 403, exit 1.
    assertHumanFailure(memberHuman, 1, /^Error: This API key lacks the api-keys:manage scope \(HTTP 403\)$/)
    const memberDoc = assertJsonFailure(memberJson, 1, 'API_ERROR')
    assert.equal(memberDoc.error.status, 403)
    assert.match(memberDoc.error.message, /lacks the api-keys:manage scope/)
    assert.match(memberDoc.requestId, /^req_/)
    // An organization key may never create keys, whether or not it carries api-keys:manage.
    for (const result of [plainOrg, managingOrg])
      assertHumanFailure(
        result,
        1,
        /^Error: Organization API keys cannot create API keys; use a personal \(ckp_\) or admin \(cka_\) API key \(HTTP 403\)$/,
      )
    // The admin has api-keys:manage, but is no member of the other organization; in its own, it may.
    assertHumanFailure(
      adminOther,
      1,
      new RegExp(
        `^Error: Only owners and admins of organization ${otherOrg} can manage its API keys \\(this key is not a member of it\\) \\(HTTP 403\\)$`,
      ),
    )
    assert.equal(adminOwn.code, 0, adminOwn.stderr)
    assert.equal(onlyJson(adminOwn).data.organizationId, seeded.organizationId)
    // An organization that does not exist.
    assertHumanFailure(unknownHuman, 1, /^Error: Organization not found: org_doesnotexist \(HTTP 404\)$/)
    assert.equal(assertJsonFailure(unknownJson, 1, 'API_ERROR').error.status, 404)

    // Refused calls save nothing: the homes keep only the profile they started with.
    for (const h of [member, owner])
      assert.deepEqual(Object.keys(readConfig(h).profiles), [h === member ? 'member' : 'owner'])
    for (const result of [memberHuman, memberJson, plainOrg, managingOrg, adminOther, unknownHuman])
      assertNoLeak(result, [
        seeded.member.apiKey,
        seeded.owner.apiKey,
        seeded.admin.apiKey,
        plainOrgKey.apiKey,
        managingOrgKey.apiKey,
      ])
  })

  it('an unknown scope sent raw to the server (past the CLI) is a 400 naming it and listing every valid scope; the CLI stops it first', async () => {
    const raw = await Promise.all(
      ['deploy:everything', 'organizations:create'].map((scope) =>
        call(url, 'createorganizationapikeypublic', {
          key: seeded.owner.apiKey,
          body: {organizationId: seeded.organizationId, name: 'Raw', scopes: ['projects:read', scope]},
        }),
      ),
    )
    for (const [i, scope] of ['deploy:everything', 'organizations:create'].entries()) {
      assert.equal(raw[i].status, 400)
      assert.equal(raw[i].body.success, false)
      assert.equal(
        raw[i].body.error.message,
        `Invalid scope: ${scope}. Valid scopes: ${ORGANIZATION_SCOPE_NAMES.join(', ')}`,
      )
    }

    // The CLI refuses the same scope itself (exit 2): nothing reaches the sandbox.
    await sandbox.waitForStderr(/(?:POST \/createorganizationapikeypublic 400 .*\n[^]*){2}/)
    const before = createKeyRequests()
    const refused = await runCli(homeWith('owner'), [
      ...createKeyArgs(seeded.organizationId, 'Raw', 'deploy:everything'),
      '--json',
    ])
    assertJsonFailure(refused, 2, 'UNKNOWN_SCOPE')
    assert.equal(createKeyRequests(), before)
  })
})

describe('persistence and expiry through restarts of `codika sandbox start`', () => {
  let shortLived: {home: string; apiKey: string}
  let longLived: string

  it('a key created with the CLI still verifies after kill -9 and a restart on the same file', async () => {
    const h = homeWith('owner')
    const [created, other] = await Promise.all([
      runCli(h, createKeyArgs(seeded.organizationId, 'Short Lived', 'deploy:use-case', '--expires-in-days', '1')),
      mintWithOwner('Long Lived', 'projects:read', '--expires-in-days', '30'),
    ])
    assert.equal(created.code, 0, created.stderr)
    shortLived = {home: h, apiKey: readConfig(h).profiles['org-api-key-short-lived'].apiKey}
    longLived = other.apiKey

    assert.deepEqual(await sandbox.stop('SIGKILL'), {code: null, signal: 'SIGKILL'})
    const restarted = await startFileSandbox()
    assert.equal(restarted.data.seeded, null, 'no second seeding: the keys of the first start are not shown again')

    // The saved profile (active, pointing at the same URL) verifies as it did before the crash.
    const [whoami, owner] = await Promise.all([
      runCli(h, ['whoami']),
      call(url, 'verifyapikey', {key: seeded.owner.apiKey}),
    ])
    assert.equal(whoami.code, 0, whoami.stderr)
    assert.match(whoami.stdout, /Key name: +Short Lived/)
    assert.equal(owner.status, 200)
  })

  it('on a clock 2 days ahead, the 1-day key is rejected (401): whoami and create-key with it exit 1', async () => {
    assert.deepEqual(await sandbox.stop('SIGTERM'), {code: 0, signal: null})
    const shifted = await startFileSandbox({CODIKA_SANDBOX_CLOCK_OFFSET: '+2d'})
    const expiredCaller = home()
    assert.equal(shifted.data.clockOffsetMs, 2 * DAY_MS)

    const [whoami, whoamiJson, createWithExpired, raw, stillValid, ownerCreates] = await Promise.all([
      runCli(shortLived.home, ['whoami']),
      runCli(shortLived.home, ['whoami', '--json']),
      runCli(expiredCaller, [
        ...createKeyArgs(seeded.organizationId, 'Too Late', 'projects:read'),
        '--api-key',
        shortLived.apiKey,
        '--api-url',
        url,
      ]),
      call(url, 'verifyapikey', {key: shortLived.apiKey}),
      call(url, 'verifyapikey', {key: longLived}),
      mintWithOwner('After The Shift', 'projects:read'),
    ])

    assert.equal(raw.status, 401)
    assert.match(raw.body.error.message, /^API key expired on \d{4}-\d\d-\d\dT/)

    assertHumanFailure(
      {...whoami, stdout: ''},
      1,
      /^Error: Key rejected by the platform: API key expired on .+ \(HTTP 401\)$/,
    )
    assert.match(whoami.stdout, /Unverified/, 'whoami shows the cached details, marked unverified')
    assert.match(whoami.stdout, /Profile: +org-api-key-short-lived/)
    const doc = assertJsonFailure(whoamiJson, 1, 'KEY_REJECTED')
    assert.equal(doc.error.status, 401)
    assert.equal(doc.verified, false)

    assertHumanFailure(createWithExpired, 1, /API key expired on .+ \(HTTP 401\)$/)
    assert.ok(!existsSync(configFile(expiredCaller)), 'nothing saved')

    // Keys that have not expired, and the owner's, work as before on the shifted clock.
    assert.equal(stillValid.status, 200)
    assert.ok(
      Math.abs(Date.parse(ownerCreates.data.createdAt) - Date.now() - 2 * DAY_MS) < 3_600_000,
      ownerCreates.data.createdAt,
    )
    for (const result of [whoami, whoamiJson, createWithExpired]) assertNoLeak(result, [shortLived.apiKey])
  })
})
