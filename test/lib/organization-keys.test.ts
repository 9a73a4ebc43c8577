// create-key's input checks, its request body, and how a new key is kept as a profile.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import type {CreateOrganizationKeyData} from '../../src/lib/api/contract.js'
import {CodikaError} from '../../src/lib/errors.js'
import {
  createKeyRequest,
  parseExpiresInDays,
  parseScopes,
  profileBaseUrl,
  requireText,
  saveOrganizationKey,
} from '../../src/lib/organization-keys.js'
import {ProfileStore} from '../../src/lib/profiles/store.js'
import {tempHome} from '../helpers/cli.js'

function usage(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CodikaError, String(e))
    assert.equal(e.code, code)
    assert.equal(e.exitCode, 2)
    assert.match(e.message, message)
    return true
  })
}

describe('input checks', () => {
  it('requireText trims and refuses empty text', () => {
    assert.equal(requireText('  Acme  ', 'name'), 'Acme')
    usage(() => requireText('', 'name'), 'INVALID_FLAG', /--name must not be empty/)
    usage(() => requireText(' \t\n', 'organization-id'), 'INVALID_FLAG', /--organization-id must not be empty/)
  })

  it('parseScopes splits, trims, drops duplicates and empties, keeping order', () => {
    assert.deepEqual(parseScopes(' workflows:trigger, deploy:use-case ,workflows:trigger,, '), [
      'workflows:trigger',
      'deploy:use-case',
    ])
  })

  it('parseScopes needs at least one scope', () => {
    for (const raw of ['', ' ', ',', ' , '])
      usage(() => parseScopes(raw), 'INVALID_FLAG', /--scopes must name at least one scope/)
  })

  it('parseScopes names the unknown scope, the closest valid one and the whole list', () => {
    usage(
      () => parseScopes('deploy:use-case,deploy:usecase'),
      'UNKNOWN_SCOPE',
      /"deploy:usecase".*Did you mean "deploy:use-case"\?.*deploy:use-case, projects:create, projects:read, workflows:trigger, executions:read, instances:read, instances:manage, skills:read, integrations:manage, api-keys:manage/,
    )
    usage(() => parseScopes('API-KEYS:MANAGE'), 'UNKNOWN_SCOPE', /"api-keys:manage"/)
    usage(() => parseScopes('organizations:create'), 'UNKNOWN_SCOPE', /personal and admin keys/)
  })

  it('parseExpiresInDays takes whole numbers of at least 1, in digits', () => {
    assert.equal(parseExpiresInDays('90'), 90)
    assert.equal(parseExpiresInDays(' 1 '), 1)
    assert.equal(parseExpiresInDays('007'), 7)
    for (const bad of ['abc', '1.5', '12abc', '-3', '', ' ', '1e3', '0x10', '+5']) {
      usage(() => parseExpiresInDays(bad), 'INVALID_FLAG', /--expires-in-days must be a whole number/)
    }
    usage(() => parseExpiresInDays('0'), 'INVALID_FLAG', /--expires-in-days must be at least 1 \(got "0"\)/)
    assert.equal(parseExpiresInDays('9007199254740991'), Number.MAX_SAFE_INTEGER)
    // Beyond what a number holds exactly: "too large", not "at least 1" (issue 10).
    for (const big of ['9007199254740993', '99999999999999999999'])
      usage(() => parseExpiresInDays(big), 'INVALID_FLAG', /--expires-in-days is too large/)
  })
})

describe('createKeyRequest', () => {
  // As oclif hands them over: scopes and days parsed by their flag types (lib/oclif/flags.ts).
  const flags = {'organization-id': ' org_1 ', name: ' CI Deploy Key ', scopes: ['deploy:use-case']}

  it('sends the optional fields only when given', () => {
    assert.deepEqual(createKeyRequest(flags), {
      organizationId: 'org_1',
      name: 'CI Deploy Key',
      scopes: ['deploy:use-case'],
    })
    assert.deepEqual(createKeyRequest({...flags, description: 'For CI', 'expires-in-days': 30}), {
      organizationId: 'org_1',
      name: 'CI Deploy Key',
      scopes: ['deploy:use-case'],
      description: 'For CI',
      expiresInDays: 30,
    })
  })
})

describe('profileBaseUrl', () => {
  it('omits production, with or without a trailing slash or the endpoint path', () => {
    for (const url of [
      'https://api.codika.io',
      'https://api.codika.io/',
      'https://api.codika.io/createorganizationapikeypublic',
    ]) {
      assert.equal(profileBaseUrl(url), undefined, url)
    }
  })

  it('keeps any other base URL, without the endpoint path or a trailing slash', () => {
    assert.equal(profileBaseUrl('http://127.0.0.1:8787'), 'http://127.0.0.1:8787')
    assert.equal(profileBaseUrl('http://127.0.0.1:8787/'), 'http://127.0.0.1:8787')
    assert.equal(profileBaseUrl('http://127.0.0.1:8787/v1/createorganizationapikeypublic'), 'http://127.0.0.1:8787/v1')
    assert.equal(profileBaseUrl('http://127.0.0.1:8787/v1/createorganizationapikeypublic/'), 'http://127.0.0.1:8787/v1')
    assert.equal(profileBaseUrl('https://staging.codika.io/api/'), 'https://staging.codika.io/api')
  })
})

describe('saveOrganizationKey', () => {
  const home = tempHome('codika-orgkeys-')
  after(() => home.cleanup())
  let n = 0
  const store = () => new ProfileStore(join(home.home, String(++n), 'config.json'))
  const read = (s: ProfileStore) => JSON.parse(readFileSync(s.path, 'utf8'))
  const data: CreateOrganizationKeyData = {
    keyId: 'key_1',
    apiKey: 'cko_AbCd1234SecretSecretSecret',
    keyPrefix: 'cko_AbCd1234',
    name: 'CI Deploy Key',
    scopes: ['deploy:use-case'],
    createdAt: '2026-03-30T12:00:00.000Z',
    organizationId: 'org_1',
  }
  const request = {organizationId: 'org_1', name: 'CI Deploy Key', scopes: ['deploy:use-case']}

  it('saves everything the response says, makes it active, and omits baseUrl for production', async () => {
    const s = store()
    const name = await saveOrganizationKey(s, {data, request, baseUrl: 'https://api.codika.io'})
    assert.equal(name, 'org-api-key-ci-deploy-key')
    assert.deepEqual(read(s), {
      activeProfile: name,
      profiles: {
        [name]: {
          apiKey: data.apiKey,
          type: 'org-api-key',
          organizationId: 'org_1',
          keyId: 'key_1',
          keyName: 'CI Deploy Key',
          keyPrefix: 'cko_AbCd1234',
          scopes: ['deploy:use-case'],
          createdAt: '2026-03-30T12:00:00.000Z',
        },
      },
    })
  })

  it('keeps the base URL the call went to, and the expiry', async () => {
    const s = store()
    const name = await saveOrganizationKey(s, {
      data: {...data, expiresAt: '2026-06-28T12:00:00.000Z'},
      request,
      baseUrl: 'http://127.0.0.1:8787/createorganizationapikeypublic',
    })
    assert.equal(read(s).profiles[name].baseUrl, 'http://127.0.0.1:8787')
    assert.equal(read(s).profiles[name].expiresAt, '2026-06-28T12:00:00.000Z')
  })

  it("takes the organization's name from the creating profile only when it is about the same organization", async () => {
    const s = store()
    const creator = {apiKey: 'ckp_x', type: 'personal-api-key', organizationId: 'org_1', organizationName: 'Acme Corp'}
    const same = await saveOrganizationKey(s, {data, request, baseUrl: 'https://api.codika.io', creator})
    const other = await saveOrganizationKey(s, {
      data,
      request,
      baseUrl: 'https://api.codika.io',
      creator: {...creator, organizationId: 'org_2'},
    })
    assert.equal(read(s).profiles[same].organizationName, 'Acme Corp')
    assert.equal('organizationName' in read(s).profiles[other], false)
    assert.equal(other, 'org-api-key-ci-deploy-key-2')
  })

  it('uses the organization id of the request when the response leaves it out', async () => {
    const s = store()
    const {organizationId: _omitted, ...withoutOrg} = data
    const name = await saveOrganizationKey(s, {data: withoutOrg, request, baseUrl: 'https://api.codika.io'})
    assert.equal(read(s).profiles[name].organizationId, 'org_1')
  })
})
