// The contract's URL rule (base + exactly one `/` + path, or the base itself when it already ends with the path), and
// the other wire rules the client and the sandbox share.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  ENDPOINTS,
  endpointUrl,
  COMPANY_NAME_MAX_LENGTH,
  isHttpUrl,
  isKeyExpiresInDays,
  isOrganizationNameLength,
  KEY_PREFIX_LENGTH,
  keyPrefixOf,
  keyTypeOf,
  ORGANIZATION_NAME_LENGTH,
  organizationNameLength,
  sniffLogoType,
} from '../../../src/lib/api/contract.js'
import {jpegImage, pngImage, webpImage} from '../../helpers/images.js'

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

// The wire rules the client and the sandbox share (one home: lib/api/contract.ts).
describe('shared wire rules', () => {
  it('sniffLogoType reads JPEG, PNG and WebP from their bytes, and nothing else', () => {
    assert.equal(sniffLogoType(pngImage()), 'image/png')
    assert.equal(sniffLogoType(jpegImage()), 'image/jpeg')
    assert.equal(sniffLogoType(webpImage()), 'image/webp')
    assert.equal(sniffLogoType(new Uint8Array(pngImage()).subarray(0, 7)), undefined)
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from('GIF89a'),
      Buffer.from('RIFF\0\0\0\0WAVE'),
      Buffer.from('<svg/>'),
    ])
      assert.equal(sniffLogoType(bytes), undefined)
  })

  it('organization names: 2 to 100 code points', () => {
    assert.equal(organizationNameLength('👍🏽x'), 3)
    assert.deepEqual(
      [1, 2, 100, 101].map((n) => isOrganizationNameLength(n)),
      [false, true, true, false],
    )
    assert.deepEqual(ORGANIZATION_NAME_LENGTH, {min: 2, max: 100})
    // A signup's company becomes the organization's name: the same limit.
    assert.equal(COMPANY_NAME_MAX_LENGTH, ORGANIZATION_NAME_LENGTH.max)
  })

  it('an OTP key expiry: a whole number of days, 1 to 365', () => {
    assert.deepEqual(
      [0, 1, 365, 366, 1.5, Number.NaN, -1].map((days) => isKeyExpiresInDays(days)),
      [false, true, true, false, false, false, false],
    )
  })

  it('the key prefix: the first 12 characters', () => {
    assert.equal(KEY_PREFIX_LENGTH, 12)
    assert.equal(keyPrefixOf('cko_AbCd1234EfGh5678'), 'cko_AbCd1234')
  })

  it('isHttpUrl: http or https, with a host', () => {
    for (const good of ['http://127.0.0.1:8787', 'https://n8n.example.com/x']) assert.equal(isHttpUrl(good), true, good)
    for (const bad of ['', 'notaurl', 'ftp://x', 'file:///etc/passwd', 'http://', 'mailto:a@b.c'])
      assert.equal(isHttpUrl(bad), false, bad)
  })
})
