// Where the profile file lives: XDG_CONFIG_HOME only when absolute, else ~/.config.
import assert from 'node:assert/strict'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {configDir, configPath, legacyConfigDir, legacyConfigPath} from '../../../src/lib/profiles/paths.js'

describe('configPath', () => {
  it('uses an absolute XDG_CONFIG_HOME', () => {
    assert.equal(configPath({XDG_CONFIG_HOME: '/tmp/xdg'}), '/tmp/xdg/codika/config.json')
    assert.equal(configDir({XDG_CONFIG_HOME: '/tmp/xdg'}), '/tmp/xdg/codika')
  })

  it('ignores a relative or empty XDG_CONFIG_HOME', () => {
    const fallback = join(homedir(), '.config', 'codika', 'config.json')
    assert.equal(configPath({XDG_CONFIG_HOME: 'relative/dir'}), fallback)
    assert.equal(configPath({XDG_CONFIG_HOME: ''}), fallback)
    assert.equal(configPath({}), fallback)
  })
})

describe('legacyConfigPath (codika-helper, the releases before 3.x)', () => {
  it('is the folder beside codika, by the same XDG rule', () => {
    assert.equal(legacyConfigPath({XDG_CONFIG_HOME: '/tmp/xdg'}), '/tmp/xdg/codika-helper/config.json')
    assert.equal(legacyConfigDir({XDG_CONFIG_HOME: '/tmp/xdg'}), '/tmp/xdg/codika-helper')
    assert.equal(
      legacyConfigPath({XDG_CONFIG_HOME: 'relative'}),
      join(homedir(), '.config', 'codika-helper', 'config.json'),
    )
  })
})
