// The loader of the oclif bundle: where its code cache goes (oclif's own cache folder) and how it reads the header
// the build writes. What it loads and the cache at work are tested on the built CLI, in test/bench/startup.test.ts.
import assert from 'node:assert/strict'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {readHeader} from '../../../src/lib/oclif/bundle.cjs'
import {cacheDir} from '../../../src/lib/xdg.cjs'

describe('oclif bundle: the cache folder (handed to oclif as its Config#cacheDir)', () => {
  it('CODIKA_CACHE_DIR first, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      assert.equal(cacheDir({XDG_CACHE_HOME: '/xdg', CODIKA_CACHE_DIR: '/mine'}, platform), '/mine')
    }
  })

  it('else <XDG cache home>/codika: $XDG_CACHE_HOME when it is an absolute path, else ~/.cache', () => {
    assert.equal(cacheDir({XDG_CACHE_HOME: '/xdg'}, 'linux'), join('/xdg', 'codika'))
    assert.equal(cacheDir({}, 'linux'), join(homedir(), '.cache', 'codika'))
    assert.equal(cacheDir({XDG_CACHE_HOME: ''}, 'linux'), join(homedir(), '.cache', 'codika'))
    // The XDG rule (lib/xdg.cts): a relative path is ignored.
    assert.equal(cacheDir({XDG_CACHE_HOME: 'relative/cache'}, 'linux'), join(homedir(), '.cache', 'codika'))
    assert.equal(cacheDir({XDG_CACHE_HOME: '/xdg'}, 'win32'), join('/xdg', 'codika'))
  })

  it('macOS: ~/Library/Caches/codika, whatever XDG_CACHE_HOME says (as oclif)', () => {
    assert.equal(cacheDir({XDG_CACHE_HOME: '/xdg'}, 'darwin'), join(homedir(), 'Library', 'Caches', 'codika'))
  })
})

describe('oclif bundle: the header line', () => {
  it('reads the @oclif/core version and the code hash', () => {
    assert.deepEqual(readHeader('//{"core":"4.14.0","hash":"0123456789abcdef"}\n//[]\ncode'), {
      core: '4.14.0',
      hash: '0123456789abcdef',
    })
  })

  it('anything else is no header (the loader then uses node_modules/@oclif/core)', () => {
    for (const source of [
      '',
      'code',
      '// a comment\n',
      '//{"core":"4.14.0"}\n',
      '//{not json\n',
      '//{"core":4,"hash":"x"}\n',
    ]) {
      assert.equal(readHeader(source), undefined, JSON.stringify(source))
    }
  })
})
