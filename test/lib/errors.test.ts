// The error codes: README.md lists exactly the codes of lib/errors.ts, a CodikaError keeps its own words, and the
// human screen says a platform error's status around the platform's own message.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {CodikaError, ERROR_CODES, usageError} from '../../src/lib/errors.js'
import {errorText} from '../../src/lib/screens/errors.js'
import {ROOT} from '../helpers/cli.js'

describe('error codes', () => {
  it("README.md's table lists every code of lib/errors.ts, and no other", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const table = readme.slice(readme.indexOf('with a stable `code`:'), readme.indexOf('## Profiles file'))
    const listed = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1])
    assert.ok(listed.length > 0, 'the table is found')
    assert.deepEqual([...listed].sort(), [...ERROR_CODES].sort())
  })
})

describe('CodikaError', () => {
  it("keeps its message when a caller writes over it (oclif's flag parser prefixes a parse() error's message)", () => {
    const error = usageError('UNKNOWN_SCOPE', 'Unknown scope "x".', 'hint')
    error.message = `Parsing --scopes \n\t${error.message}\nSee more help with --help`
    assert.equal(error.message, 'Unknown scope "x".')
    assert.ok(error instanceof CodikaError && error instanceof Error)
    assert.match(String(error), /Unknown scope "x"\./)
  })
})

describe('the human screen of a platform error (errorText)', () => {
  it('adds the HTTP status, and what a rejected key means, to the platform’s message, which itself stays as it came', () => {
    const refused = new CodikaError('API_ERROR', 'Organization not found: org_1', {
      status: 404,
      platformCode: 'ORGANIZATION_NOT_FOUND',
      requestId: 'req-1',
    })
    assert.equal(refused.message, 'Organization not found: org_1')
    assert.equal(
      errorText(refused),
      'Error: Organization not found: org_1 (HTTP 404)\nCode: ORGANIZATION_NOT_FOUND\nRequest ID: req-1\n',
    )
    const rejected = new CodikaError('KEY_REJECTED', 'Invalid API key', {status: 401})
    assert.equal(errorText(rejected), 'Error: Key rejected by the platform: Invalid API key (HTTP 401)\n')
    // An error envelope on a 2xx has no status worth saying; our own messages already say theirs.
    assert.equal(errorText(new CodikaError('API_ERROR', 'Odd', {status: 200})), 'Error: Odd\n')
    const ours = new CodikaError('HTTP_ERROR', 'The platform answered HTTP 502 Bad Gateway.', {status: 502})
    assert.equal(errorText(ours), 'Error: The platform answered HTTP 502 Bad Gateway.\n')
  })
})
