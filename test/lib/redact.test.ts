// Secrets out of output: keys masked for display and scrubbed from any message.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {maskKey, redact, registerSecret} from '../../src/lib/redact.js'

describe('maskKey', () => {
  it('keeps the prefix and the last four characters only', () => {
    assert.equal(maskKey('cko_AbCd1234efgh5678wxyz'), 'cko_AbCd…wxyz')
    assert.equal(maskKey('cko_short'), 'cko_…')
  })
})

describe('redact', () => {
  it('masks anything shaped like a Codika key, and leaves masked keys alone', () => {
    assert.equal(redact('key cko_AbCd1234efgh5678wxyz rejected'), 'key cko_AbCd…wxyz rejected')
    assert.equal(redact('ckp_AbCd1234efgh5678wxyz, cka_AbCd1234efgh5678wxyz'), 'ckp_AbCd…wxyz, cka_AbCd…wxyz')
    assert.equal(redact('cko_AbCd…wxyz'), 'cko_AbCd…wxyz')
  })

  it('scrubs registered secrets of any shape', () => {
    registerSecret('hunter2-not-a-codika-key')
    assert.equal(redact('Unexpected argument: hunter2-not-a-codika-key'), 'Unexpected argument: hunter2-…-key')
    registerSecret('abc') // too short to register: it would mangle ordinary words
    assert.equal(redact('abc'), 'abc')
  })
})
