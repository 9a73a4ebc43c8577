// The loader of the oclif bundle: where its code cache goes (oclif's own cache folder) and how it reads the header
// the build writes. What it loads and the cache at work are tested on the built CLI, in test/bench/startup.test.ts.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {cacheDir, readHeader} from '../../../src/lib/oclif/bundle.cjs'

describe('oclif bundle: the cache folder, as oclif computes Config#cacheDir', () => {
  const home = join('/home', 'jane')

  it('CODIKA_CACHE_DIR first, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      assert.equal(cacheDir({HOME: home, XDG_CACHE_HOME: '/xdg', CODIKA_CACHE_DIR: '/mine'}, platform), '/mine')
    }
  })

  it('Linux: $XDG_CACHE_HOME/codika, else ~/.cache/codika', () => {
    assert.equal(cacheDir({HOME: home, XDG_CACHE_HOME: '/xdg'}, 'linux'), join('/xdg', 'codika'))
    assert.equal(cacheDir({HOME: home}, 'linux'), join(home, '.cache', 'codika'))
    assert.equal(cacheDir({HOME: home, XDG_CACHE_HOME: ''}, 'linux'), join(home, '.cache', 'codika'))
  })

  it('macOS: ~/Library/Caches/codika, whatever XDG_CACHE_HOME says (as oclif)', () => {
    assert.equal(cacheDir({HOME: home, XDG_CACHE_HOME: '/xdg'}, 'darwin'), join(home, 'Library', 'Caches', 'codika'))
  })

  it('Windows: %LOCALAPPDATA%\\codika unless XDG_CACHE_HOME is set', () => {
    assert.equal(cacheDir({HOME: home, LOCALAPPDATA: 'C:\\Local'}, 'win32'), join('C:\\Local', 'codika'))
    assert.equal(
      cacheDir({HOME: home, LOCALAPPDATA: 'C:\\Local', XDG_CACHE_HOME: '/xdg'}, 'win32'),
      join('/xdg', 'codika'),
    )
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
