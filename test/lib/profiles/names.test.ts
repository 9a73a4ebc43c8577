// Profile names: slugs of key names, made unique with -2, -3, …
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {slugify, uniqueName} from '../../../src/lib/profiles/names.js'

describe('slugify', () => {
  it('lower-cases and dashes a key name as the seed page does', () => {
    assert.equal(slugify('CI Deploy Key'), 'ci-deploy-key')
    assert.equal(slugify('  Agent   Key!! v2 '), 'agent-key-v2')
    assert.equal(slugify('Clé d’été — Prod'), 'cle-d-ete-prod')
  })

  it('never gives an empty name, nor one ending with a dash, nor one over 60 characters', () => {
    assert.equal(slugify('!!!'), 'key')
    assert.equal(slugify('日本語'), 'key')
    const long = slugify(`${'a'.repeat(59)} b c`)
    assert.ok(long.length <= 60 && !long.endsWith('-'), long)
  })
})

describe('uniqueName', () => {
  it('is the base when free, else the first free -2, -3, …', () => {
    assert.equal(
      uniqueName('k', () => false),
      'k',
    )
    const taken = new Set(['k', 'k-2', 'k-4'])
    assert.equal(
      uniqueName('k', (n) => taken.has(n)),
      'k-3',
    )
  })
})
