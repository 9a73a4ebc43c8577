// The contract's URL rule: base + exactly one `/` + path, or the base itself when it already ends with the path.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ENDPOINTS, endpointUrl, keyTypeOf} from '../../../src/lib/api/contract.js'

describe('endpointUrl', () => {
  const create = ENDPOINTS.createOrganizationKey
  it('joins with exactly one slash', () => {
    assert.equal(endpointUrl('https://api.codika.io', create), 'https://api.codika.io/createorganizationapikeypublic')
    assert.equal(endpointUrl('https://api.codika.io/', create), 'https://api.codika.io/createorganizationapikeypublic')
    assert.equal(
      endpointUrl('http://127.0.0.1:8787/v1//', create),
      'http://127.0.0.1:8787/v1/createorganizationapikeypublic',
    )
  })

  it("uses a URL that already ends with the endpoint's path as it is", () => {
    assert.equal(
      endpointUrl('https://europe-west1-x.cloudfunctions.net/createorganizationapikeypublic', create),
      'https://europe-west1-x.cloudfunctions.net/createorganizationapikeypublic',
    )
    assert.equal(
      endpointUrl('http://h/v1/createOrganizationApiKeyPublic', create),
      'http://h/v1/createOrganizationApiKeyPublic',
    )
  })

  it("does not treat another endpoint's path as its own", () => {
    assert.equal(endpointUrl('http://h/verifyapikey', create), 'http://h/verifyapikey/createorganizationapikeypublic')
  })
})

describe('keyTypeOf', () => {
  it('maps the prefixes of the contract', () => {
    assert.equal(keyTypeOf('cko_x'), 'org-api-key')
    assert.equal(keyTypeOf('ckp_x'), 'personal-api-key')
    assert.equal(keyTypeOf('cka_x'), 'admin-api-key')
    assert.equal(keyTypeOf('sk_live_x'), undefined)
  })
})
