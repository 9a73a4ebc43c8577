// The four endpoints of CONTRACT.md and their rules, over real HTTP on loopback.
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'

import {check} from '../../src/lib/api/validate.js'
import {ORGANIZATION_SCOPE_NAMES} from '../../src/lib/scopes.js'
import type {SeededSandbox} from '../../src/sandbox/server.js'
import {startSandbox} from '../../src/sandbox/server.js'
import {SandboxStore} from '../../src/sandbox/store.js'
import {call, DAY_MS, startTestSandbox, type TestSandbox} from './helpers.js'
import {revokeKey} from '../helpers/sandbox-store.js'

const VALID_SCOPES = ORGANIZATION_SCOPE_NAMES.join(', ')
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)])
const GIF = Buffer.from('GIF89a\x01\0\x01\0', 'latin1')
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(64, 2)])
const WEBP = Buffer.concat([Buffer.from('RIFF\x3c\0\0\0WEBPVP8 ', 'latin1'), Buffer.alloc(64, 3)])

let sandbox: TestSandbox
let seeded: SeededSandbox
let owner: string
let admin: string
let member: string
let orgId: string

before(async () => {
  sandbox = await startTestSandbox()
  assert.ok(sandbox.seeded, 'a new data file is seeded')
  seeded = sandbox.seeded
  owner = seeded.owner.apiKey
  admin = seeded.admin.apiKey
  member = seeded.member.apiKey
  orgId = seeded.organizationId
})
after(() => sandbox.dispose())

async function createKey(key: string, body: Record<string, unknown>) {
  return call(sandbox.url, 'createorganizationapikeypublic', {key, body})
}

async function newOrgKey(scopes = ['deploy:use-case'], extra: Record<string, unknown> = {}) {
  const reply = await createKey(owner, {organizationId: orgId, name: 'Helper key', scopes, ...extra})
  assert.equal(reply.status, 200, JSON.stringify(reply.body))
  return reply.body.data as {apiKey: string; keyId: string}
}

async function newOrgKeyOn(url: string) {
  const reply = await call(url, 'createorganizationapikeypublic', {
    key: owner,
    body: {organizationId: orgId, name: 'Helper key', scopes: ['deploy:use-case']},
  })
  assert.equal(reply.status, 200, JSON.stringify(reply.body))
  return reply.body.data as {apiKey: string; keyId: string}
}

describe('seeding', () => {
  test('seeds Sandbox Org with an owner, an admin and a member, each with a personal key', () => {
    assert.equal(seeded.organizationName, 'Sandbox Org')
    assert.match(orgId, /^org_/)
    for (const role of ['owner', 'admin', 'member'] as const) {
      assert.equal(seeded[role].role, role)
      assert.match(seeded[role].apiKey, /^ckp_[A-Za-z0-9_-]{43}$/)
      assert.equal(seeded[role].keyPrefix, seeded[role].apiKey.slice(0, 12))
    }
    assert.ok(seeded.owner.scopes.includes('organizations:create'))
    assert.ok(seeded.owner.scopes.includes('api-keys:manage'))
    assert.ok(seeded.admin.scopes.includes('api-keys:manage'))
    assert.ok(!seeded.admin.scopes.includes('organizations:create'))
    assert.ok(!seeded.member.scopes.includes('api-keys:manage'))
  })

  test('every seeded key verifies as a personal key without an organization', async () => {
    for (const role of ['owner', 'admin', 'member'] as const) {
      const reply = await call(sandbox.url, 'verifyapikey', {key: seeded[role].apiKey})
      assert.equal(reply.status, 200)
      assert.equal(reply.body.data.type, 'personal-api-key')
      assert.equal(reply.body.data.keyName, seeded[role].keyName)
      assert.deepEqual(reply.body.data.scopes, seeded[role].scopes)
      assert.equal(reply.body.data.organizationId, undefined)
    }
  })
})

describe('POST /createorganizationapikeypublic', () => {
  test('the owner mints a cko_ key; the response follows the contract', async () => {
    const reply = await createKey(owner, {
      organizationId: orgId,
      name: 'CI Deploy Key',
      scopes: ['deploy:use-case', 'projects:read', 'deploy:use-case'],
      description: 'for CI',
      expiresInDays: 30,
    })
    assert.equal(reply.status, 200, JSON.stringify(reply.body))
    assert.equal(await check('createOrganizationKey.data', reply.body.data), undefined)
    const data = reply.body.data
    assert.match(data.apiKey, /^cko_[A-Za-z0-9_-]{43}$/)
    assert.equal(data.keyPrefix, data.apiKey.slice(0, 12))
    assert.equal(data.name, 'CI Deploy Key')
    assert.deepEqual(data.scopes, ['deploy:use-case', 'projects:read'], 'duplicates dropped, order kept')
    assert.equal(data.organizationId, orgId)
    assert.equal(Date.parse(data.expiresAt) - Date.parse(data.createdAt), 30 * DAY_MS)
  })

  test('a key without expiresInDays never expires', async () => {
    const reply = await createKey(owner, {organizationId: orgId, name: 'Forever', scopes: ['skills:read']})
    assert.equal(reply.status, 200)
    assert.equal('expiresAt' in reply.body.data, false)
  })

  test('the new key verifies and carries exactly the requested scopes', async () => {
    const created = await createKey(owner, {
      organizationId: orgId,
      name: 'Scoped',
      scopes: ['workflows:trigger', 'executions:read'],
      expiresInDays: 7,
    })
    const reply = await call(sandbox.url, 'verifyapikey', {key: created.body.data.apiKey})
    assert.equal(reply.status, 200)
    assert.equal(await check('verifyApiKey.data', reply.body.data), undefined)
    assert.deepEqual(reply.body.data, {
      type: 'org-api-key',
      keyName: 'Scoped',
      keyPrefix: created.body.data.keyPrefix,
      scopes: ['workflows:trigger', 'executions:read'],
      organizationId: orgId,
      organizationName: 'Sandbox Org',
      createdAt: created.body.data.createdAt,
      expiresAt: created.body.data.expiresAt,
    })
  })

  test('an admin of the organization may create keys', async () => {
    const reply = await createKey(admin, {organizationId: orgId, name: 'By admin', scopes: ['projects:read']})
    assert.equal(reply.status, 200, JSON.stringify(reply.body))
  })

  test('a member is refused with 403', async () => {
    const reply = await createKey(member, {organizationId: orgId, name: 'Nope', scopes: ['projects:read']})
    assert.equal(reply.status, 403)
    assert.match(reply.body.error.message, /api-keys:manage/)
  })

  test('an organization key cannot create keys, whatever its scopes (403)', async () => {
    const {apiKey} = await newOrgKey(['api-keys:manage'])
    const reply = await createKey(apiKey, {organizationId: orgId, name: 'Nope', scopes: ['projects:read']})
    assert.equal(reply.status, 403)
    assert.match(reply.body.error.message, /Organization API keys cannot create API keys/)
  })

  test('an admin of one organization is refused (403) on another it is not in', async () => {
    const created = await call(sandbox.url, 'createorganizationviaapikey', {key: owner, body: {name: 'Owner Only'}})
    assert.equal(created.status, 200)
    const reply = await createKey(admin, {
      organizationId: created.body.data.organizationId,
      name: 'Nope',
      scopes: ['projects:read'],
    })
    assert.equal(reply.status, 403)
    assert.match(reply.body.error.message, /Only owners and admins .* not a member/)
  })

  test('an unknown organization is 404', async () => {
    const reply = await createKey(owner, {organizationId: 'org_missing', name: 'K', scopes: ['projects:read']})
    assert.equal(reply.status, 404)
    assert.equal(reply.body.error.message, 'Organization not found: org_missing')
  })

  test('an unknown scope is 400 with the list of valid scopes', async () => {
    const scopes = ['projects:read', 'deploy:usecase']
    const reply = await createKey(owner, {organizationId: orgId, name: 'K', scopes})
    assert.equal(reply.status, 400)
    assert.equal(reply.body.error.message, `Invalid scope: deploy:usecase. Valid scopes: ${VALID_SCOPES}`)
  })

  test('organizations:create is not an organization scope (400)', async () => {
    const reply = await createKey(owner, {organizationId: orgId, name: 'K', scopes: ['organizations:create']})
    assert.equal(reply.status, 400)
    assert.match(reply.body.error.message, /^Invalid scope: organizations:create\. Valid scopes: /)
  })

  test('requests that break the schema are 400', async () => {
    const cases: unknown[] = [
      {organizationId: orgId, name: 'K', scopes: []},
      {organizationId: orgId, name: '   ', scopes: ['projects:read']},
      {organizationId: orgId, scopes: ['projects:read']},
      {name: 'K', scopes: ['projects:read']},
      {organizationId: orgId, name: 'K', scopes: ['projects:read'], expiresInDays: 0},
      {organizationId: orgId, name: 'K', scopes: ['projects:read'], expiresInDays: 1.5},
      {organizationId: orgId, name: 'K', scopes: ['projects:read'], expiresInDays: '3'},
      {organizationId: orgId, name: 'K', scopes: ['projects:read'], expiresInDays: 10_000_000},
      {organizationId: orgId, name: 'K', scopes: ['projects:read'], extra: true},
      [1, 2],
    ]
    for (const body of cases) {
      const reply = await createKey(owner, body as Record<string, unknown>)
      assert.equal(reply.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(reply.body)}`)
    }
  })

  test('a key expires after expiresInDays (401 once the clock passes it)', async () => {
    const {apiKey} = await newOrgKey(['projects:read'], {expiresInDays: 1})
    assert.equal((await call(sandbox.url, 'verifyapikey', {key: apiKey})).status, 200)
    sandbox.shift(DAY_MS + 1000)
    try {
      const reply = await call(sandbox.url, 'verifyapikey', {key: apiKey})
      assert.equal(reply.status, 401)
      assert.match(reply.body.error.message, /expired/)
      assert.equal(reply.body.error.code, 'API_KEY_EXPIRED')
    } finally {
      sandbox.shift(-(DAY_MS + 1000))
    }
  })
})

describe('POST /updateorganizationapikeypublic', () => {
  test('changes name, description and scopes; verify sees the change', async () => {
    const {apiKey, keyId} = await newOrgKey(['deploy:use-case'], {description: 'old'})
    const reply = await call(sandbox.url, 'updateorganizationapikeypublic', {
      key: owner,
      body: {keyId, name: 'Renamed', description: 'new', scopes: ['projects:read', 'skills:read']},
    })
    assert.equal(reply.status, 200, JSON.stringify(reply.body))
    assert.equal(await check('updateOrganizationKey.data', reply.body.data), undefined)
    assert.equal(reply.body.data.keyId, keyId)
    assert.equal(reply.body.data.name, 'Renamed')
    assert.equal(reply.body.data.description, 'new')
    assert.deepEqual(reply.body.data.scopes, ['projects:read', 'skills:read'])
    assert.ok(Number.isFinite(Date.parse(reply.body.data.updatedAt)))
    const verified = await call(sandbox.url, 'verifyapikey', {key: apiKey})
    assert.equal(verified.body.data.keyName, 'Renamed')
    assert.deepEqual(verified.body.data.scopes, ['projects:read', 'skills:read'])
  })

  test('an empty description clears it and leaves the rest alone', async () => {
    const {keyId} = await newOrgKey(['deploy:use-case'], {description: 'to clear'})
    const body = {keyId, description: ''}
    const reply = await call(sandbox.url, 'updateorganizationapikeypublic', {key: admin, body})
    assert.equal(reply.status, 200)
    assert.equal('description' in reply.body.data, false)
    assert.equal(reply.body.data.name, 'Helper key')
    assert.deepEqual(reply.body.data.scopes, ['deploy:use-case'])
  })

  test('an unknown key, or a personal key id, is 404', async () => {
    for (const keyId of ['key_missing', seeded.member.keyId]) {
      const reply = await call(sandbox.url, 'updateorganizationapikeypublic', {key: owner, body: {keyId, name: 'X'}})
      assert.equal(reply.status, 404)
      assert.equal(reply.body.error.message, `API key not found: ${keyId}`)
    }
  })

  test('nothing to change, or an unknown scope, is 400', async () => {
    const {keyId} = await newOrgKey()
    const empty = await call(sandbox.url, 'updateorganizationapikeypublic', {key: owner, body: {keyId}})
    assert.equal(empty.status, 400)
    const body = {keyId, scopes: ['nope']}
    const scope = await call(sandbox.url, 'updateorganizationapikeypublic', {key: owner, body})
    assert.equal(scope.status, 400)
    assert.equal(scope.body.error.message, `Invalid scope: nope. Valid scopes: ${VALID_SCOPES}`)
  })

  // Only the role check stands in the way here: the admin's key carries api-keys:manage.
  test("an admin of one organization is refused (403) on another organization's key, which stays as it was", async () => {
    const created = await call(sandbox.url, 'createorganizationviaapikey', {key: owner, body: {name: 'Owner Only 2'}})
    assert.equal(created.status, 200)
    const organizationId = created.body.data.organizationId
    const minted = await createKey(owner, {organizationId, name: 'Theirs', scopes: ['projects:read']})
    assert.equal(minted.status, 200, JSON.stringify(minted.body))
    assert.ok(seeded.admin.scopes.includes('api-keys:manage'))
    const reply = await call(sandbox.url, 'updateorganizationapikeypublic', {
      key: admin,
      body: {keyId: minted.body.data.keyId, name: 'Hijacked'},
    })
    assert.equal(reply.status, 403, JSON.stringify(reply.body))
    assert.match(
      reply.body.error.message,
      new RegExp(`Only owners and admins of organization ${organizationId} .* not a member`),
    )
    const verified = await call(sandbox.url, 'verifyapikey', {key: minted.body.data.apiKey})
    assert.equal(verified.body.data.keyName, 'Theirs')
  })

  test('members and organization keys are refused (403)', async () => {
    const {apiKey, keyId} = await newOrgKey(['api-keys:manage'])
    for (const key of [member, apiKey]) {
      const reply = await call(sandbox.url, 'updateorganizationapikeypublic', {key, body: {keyId, name: 'X'}})
      assert.equal(reply.status, 403)
    }
  })
})

describe('POST /createorganizationviaapikey', () => {
  test('creates an organization whose creator is its owner', async () => {
    const created = await call(sandbox.url, 'createorganizationviaapikey', {
      key: owner,
      body: {name: 'Acme Corp', description: 'Widgets', size: '11-50'},
    })
    assert.equal(created.status, 200, JSON.stringify(created.body))
    assert.equal(await check('createOrganization.data', created.body.data), undefined)
    const newOrg = created.body.data.organizationId
    assert.match(newOrg, /^org_/)
    // Being the owner, the creator may mint the new organization's keys; its key then names the organization.
    const key = await createKey(owner, {organizationId: newOrg, name: 'Acme CI', scopes: ['deploy:use-case']})
    assert.equal(key.status, 200)
    const verified = await call(sandbox.url, 'verifyapikey', {key: key.body.data.apiKey})
    assert.equal(verified.body.data.organizationName, 'Acme Corp')
  })

  test('accepts PNG, JPEG and WebP logos judged by content, and a self-hosted n8n', async () => {
    for (const [bytes, logoMimeType] of [
      [PNG, 'image/png'],
      [JPEG, 'image/jpeg'],
      [WEBP, 'image/webp'],
    ] as const) {
      const reply = await call(sandbox.url, 'createorganizationviaapikey', {
        key: owner,
        body: {
          name: `Logo ${logoMimeType}`,
          logoBase64: bytes.toString('base64'),
          logoMimeType,
          n8nBaseUrl: 'https://n8n.example.com',
          n8nApiKey: 'n8n-secret',
          storeCredentialCopy: true,
        },
      })
      assert.equal(reply.status, 200, `${logoMimeType}: ${JSON.stringify(reply.body)}`)
    }
  })

  test('refuses bad names, sizes, logos and n8n settings (400)', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{name: 'A'}, /2 to 100 characters/],
      [{name: '  A  '}, /2 to 100 characters/],
      [{name: 'x'.repeat(101)}, /2 to 100 characters/],
      [{name: '🚀'}, /2 to 100 characters \(got 1\)/],
      [{name: '🚀'.repeat(101)}, /2 to 100 characters \(got 101\)/],
      [{name: 'Okay', size: '5-10'}, /^Invalid size: 5-10\. Valid sizes: solo, 2-10, 11-50, 51-200, 201-1000, 1000\+$/],
      [{name: 'Okay', logoBase64: PNG.toString('base64'), logoMimeType: 'image/jpeg'}, /image\/png by its content/],
      [{name: 'Okay', logoBase64: GIF.toString('base64'), logoMimeType: 'image/png'}, /JPEG, PNG or WebP/],
      [{name: 'Okay', logoBase64: '***not base64***', logoMimeType: 'image/png'}, /not valid base64/],
      [{name: 'Okay', logoBase64: PNG.toString('base64'), logoMimeType: 'image/gif'}, /Invalid logoMimeType/],
      [{name: 'Okay', logoBase64: PNG.toString('base64')}, /logoMimeType/],
      [{name: 'Okay', n8nBaseUrl: 'https://n8n.example.com'}, /n8nApiKey/],
      [{name: 'Okay', n8nBaseUrl: 'ftp://n8n.example.com', n8nApiKey: 'k'}, /http or https/],
      [{name: 'Okay', unknownField: 1}, /additional properties/],
    ]
    for (const [body, message] of cases) {
      const reply = await call(sandbox.url, 'createorganizationviaapikey', {key: owner, body})
      assert.equal(reply.status, 400, `${JSON.stringify(body).slice(0, 80)} → ${JSON.stringify(reply.body)}`)
      assert.match(reply.body.error.message, message)
    }
  })

  test('a name of 100 characters is accepted even when they are emoji', async () => {
    const reply = await call(sandbox.url, 'createorganizationviaapikey', {key: owner, body: {name: '🚀'.repeat(100)}})
    assert.equal(reply.status, 200, JSON.stringify(reply.body))
  })

  test('a logo of exactly 5 MiB is accepted, one byte more is refused', async () => {
    const logo = Buffer.alloc(5 * 1024 * 1024, 7)
    PNG.copy(logo)
    const fits = await call(sandbox.url, 'createorganizationviaapikey', {
      key: owner,
      body: {name: 'Big Logo', logoBase64: logo.toString('base64'), logoMimeType: 'image/png'},
    })
    assert.equal(fits.status, 200, JSON.stringify(fits.body))
    const bigger = Buffer.concat([logo, Buffer.from([0])])
    const tooBig = await call(sandbox.url, 'createorganizationviaapikey', {
      key: owner,
      body: {name: 'Bigger Logo', logoBase64: bigger.toString('base64'), logoMimeType: 'image/png'},
    })
    assert.equal(tooBig.status, 400)
    assert.match(tooBig.body.error.message, /limit is 5 MiB/)
  })

  test('needs organizations:create (403), which organization keys never have', async () => {
    const {apiKey} = await newOrgKey()
    for (const key of [admin, member, apiKey]) {
      const reply = await call(sandbox.url, 'createorganizationviaapikey', {key, body: {name: 'Nope'}})
      assert.equal(reply.status, 403, JSON.stringify(reply.body))
    }
  })
})

describe('POST /verifyapikey and authentication', () => {
  test('lastUsedAt is the use before this one', async () => {
    const {apiKey} = await newOrgKey()
    const first = await call(sandbox.url, 'verifyapikey', {key: apiKey})
    assert.equal(first.body.data.lastUsedAt, undefined)
    const second = await call(sandbox.url, 'verifyapikey', {key: apiKey})
    assert.ok(Date.parse(second.body.data.lastUsedAt) >= Date.parse(first.body.data.createdAt))
  })

  test('the use is recorded by a change (in its own commit) and by a refusal alike', async () => {
    const before = Date.now() - 1000
    const created = await call(sandbox.url, 'createorganizationapikeypublic', {
      key: admin,
      body: {organizationId: orgId, name: 'Use Recorded', scopes: ['deploy:use-case']},
    })
    assert.equal(created.status, 200, JSON.stringify(created.body))
    const refused = await call(sandbox.url, 'createorganizationapikeypublic', {
      key: member,
      body: {organizationId: orgId, name: 'Refused', scopes: ['deploy:use-case']},
    })
    assert.equal(refused.status, 403)
    for (const key of [admin, member]) {
      const verified = await call(sandbox.url, 'verifyapikey', {key})
      assert.ok(Date.parse(verified.body.data.lastUsedAt) >= before, JSON.stringify(verified.body))
    }
  })

  test('a missing, malformed or unknown key is 401 on every endpoint', async () => {
    const unknown = `ckp_${'A'.repeat(43)}`
    const paths = [
      'verifyapikey',
      'createorganizationviaapikey',
      'createorganizationapikeypublic',
      'updateorganizationapikeypublic',
    ]
    for (const path of paths) {
      for (const key of [undefined, '', 'not-a-key', `${owner}x`, unknown, owner.slice(0, -1)]) {
        const reply = await call(sandbox.url, path, {key, body: {}})
        assert.equal(reply.status, 401, `${path} with ${JSON.stringify(key)}`)
      }
    }
  })

  test('an Authorization header is not the platform header (401)', async () => {
    const reply = await call(sandbox.url, 'verifyapikey', {headers: {Authorization: `Bearer ${owner}`}})
    assert.equal(reply.status, 401)
    assert.match(reply.body.error.message, /X-Process-Manager-Key/)
  })
})

describe('rules that need keys the seed does not hold', () => {
  // These stop the shared sandbox, change its file directly, and start it again on the same file.
  let restarted: Awaited<ReturnType<typeof startSandbox>>
  let adminKey: string
  let revoked: string

  before(async () => {
    const {apiKey: orgKey, keyId} = await newOrgKey()
    revoked = orgKey
    await sandbox.close()
    const store = SandboxStore.open(sandbox.dataFile)
    try {
      const at = new Date()
      // The member's key gains api-keys:manage, so only its role stands in the way.
      store.updateKey(seeded.member.keyId, {scopes: [...seeded.member.scopes, 'api-keys:manage']}, at)
      const person = store.createPerson('Platform Admin', 'root@sandbox.codika.local', at)
      adminKey = store.createKey({
        type: 'admin-api-key',
        name: 'Platform admin key',
        scopes: ['api-keys:manage', 'organizations:create'],
        personId: person.id,
        createdAt: at,
      }).apiKey
      revokeKey(store, keyId, at)
    } finally {
      store.close()
    }
    restarted = await startSandbox({port: 0, dataFile: sandbox.dataFile, env: {}})
    assert.equal(restarted.seeded, undefined, 'seeded on the first start only')
  })
  after(() => restarted.close())

  test('a member holding api-keys:manage is still refused by its role (403)', async () => {
    const reply = await call(restarted.url, 'createorganizationapikeypublic', {
      key: member,
      body: {organizationId: orgId, name: 'Nope', scopes: ['projects:read']},
    })
    assert.equal(reply.status, 403)
    assert.match(reply.body.error.message, /Only owners and admins .* role there: member/)
  })

  test('the same member is refused by its role on update-key too (403)', async () => {
    const {keyId} = await newOrgKeyOn(restarted.url)
    const reply = await call(restarted.url, 'updateorganizationapikeypublic', {key: member, body: {keyId, name: 'X'}})
    assert.equal(reply.status, 403, JSON.stringify(reply.body))
    assert.match(reply.body.error.message, /Only owners and admins .* role there: member/)
  })

  test('an admin key (cka_) manages keys of any organization and may create organizations', async () => {
    const verified = await call(restarted.url, 'verifyapikey', {key: adminKey})
    assert.equal(verified.body.data.type, 'admin-api-key')
    const key = await call(restarted.url, 'createorganizationapikeypublic', {
      key: adminKey,
      body: {organizationId: orgId, name: 'By platform admin', scopes: ['projects:read']},
    })
    assert.equal(key.status, 200, JSON.stringify(key.body))
    const org = await call(restarted.url, 'createorganizationviaapikey', {key: adminKey, body: {name: 'Admin Org'}})
    assert.equal(org.status, 200)
  })

  test('a revoked key is 401', async () => {
    const reply = await call(restarted.url, 'verifyapikey', {key: revoked})
    assert.equal(reply.status, 401)
    assert.equal(reply.body.error.message, 'Invalid API key')
  })
})
