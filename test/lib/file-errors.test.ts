// The one table of errno descriptions (profile file, --logo, the sandbox's data file).
import assert from 'node:assert/strict'
import {openSync} from 'node:fs'
import {describe, it} from 'node:test'

import {describeFileError, isDescribedFileError} from '../../src/lib/file-errors.js'

const errno = (code: string) => Object.assign(new Error(`${code}: boom`), {code})

describe('file errors in words', () => {
  it('the codes it knows, in words', () => {
    assert.equal(describeFileError(errno('EACCES')), 'permission denied')
    assert.equal(describeFileError(errno('ENOTDIR')), 'a part of its path is a file, not a folder')
    assert.equal(isDescribedFileError(errno('ENOSPC')), true)
  })

  it('anything else: its code, else its message', () => {
    assert.equal(describeFileError(errno('EWEIRD')), 'EWEIRD')
    assert.equal(isDescribedFileError(errno('EWEIRD')), false)
    assert.equal(describeFileError(new Error('plain')), 'plain')
    assert.equal(isDescribedFileError(errno('constructor')), false, 'own entries only')
  })

  it('a real error from the file system', () => {
    assert.throws(
      () => openSync('/nonexistent-codika-dir/x', 'r'),
      (e: unknown) => describeFileError(e) === 'no such file',
    )
  })
})
