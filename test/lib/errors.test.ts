// The error codes: README.md lists exactly the codes of lib/errors.ts, and a CodikaError keeps its own words.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {CodikaError, ERROR_CODES, usageError} from '../../src/lib/errors.js'
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
