// A bare `logout` removes the profile in use in this shell (issue 10, item 4): the one CODIKA_PROFILE names, else the
// active one; with CODIKA_API_KEY set the key in use is no profile, so a name is asked for and nothing is removed.
import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'

import {assertJsonFailure, fileBytes, onlyJson, readConfig, writeConfig} from '../helpers/assertions.js'
import {runCli, tempHomes} from '../helpers/cli.js'

const homes = tempHomes()
after(() => homes.cleanup())

const FILE = {
  activeProfile: 'one',
  profiles: {
    one: {apiKey: `ckp_${'1'.repeat(43)}`, type: 'personal-api-key'},
    two: {apiKey: `ckp_${'2'.repeat(43)}`, type: 'personal-api-key'},
  },
}

describe('logout without a name', {concurrency: true}, () => {
  it('with CODIKA_PROFILE=two and one active: removes two, and says why', async () => {
    const home = homes.home()
    writeConfig(home, FILE)
    const result = await runCli(home, ['logout'], {env: {CODIKA_PROFILE: 'two'}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Removed profile "two" \(the one CODIKA_PROFILE names\)/)
    assert.match(result.stdout, /Active profile: "one" \(unchanged\)/)
    assert.deepEqual(Object.keys(readConfig(home).profiles), ['one'])
  })

  it('--json says which and why', async () => {
    const home = homes.home()
    writeConfig(home, FILE)
    const doc = onlyJson(await runCli(home, ['logout', '--json'], {env: {CODIKA_PROFILE: 'two'}}))
    assert.equal(doc.removed, 'two')
    assert.equal(doc.chosenBy, 'CODIKA_PROFILE')
    assert.equal(doc.activeProfile, 'one')
  })

  it('without CODIKA_PROFILE: the active one, as before', async () => {
    const home = homes.home()
    writeConfig(home, FILE)
    const doc = onlyJson(await runCli(home, ['logout', '--json']))
    assert.equal(doc.removed, 'one')
    assert.equal(doc.chosenBy, 'active')
  })

  it('CODIKA_PROFILE naming no profile: exit 2, nothing removed', async () => {
    const home = homes.home()
    const path = writeConfig(home, FILE)
    const before = fileBytes(path)
    assertJsonFailure(
      await runCli(home, ['logout', '--json'], {env: {CODIKA_PROFILE: 'ghost'}}),
      2,
      'PROFILE_NOT_FOUND',
    )
    assert.deepEqual(fileBytes(path), before)
  })

  it('with CODIKA_API_KEY set: exit 2 asking for a name, nothing removed', async () => {
    const home = homes.home()
    const path = writeConfig(home, FILE)
    const before = fileBytes(path)
    const result = await runCli(home, ['logout'], {
      env: {CODIKA_API_KEY: `ckp_${'E'.repeat(43)}`, CODIKA_PROFILE: 'two'},
    })
    assert.equal(result.code, 2)
    assert.match(result.stderr, /CODIKA_API_KEY is set: the key in use in this shell is not a profile/)
    assert.match(result.stderr, /codika logout NAME \(known profiles: one, two\)/)
    assert.deepEqual(fileBytes(path), before)
  })

  it('a name given wins over CODIKA_PROFILE', async () => {
    const home = homes.home()
    writeConfig(home, FILE)
    const doc = onlyJson(await runCli(home, ['logout', 'one', '--json'], {env: {CODIKA_PROFILE: 'two'}}))
    assert.equal(doc.removed, 'one')
    assert.equal(doc.chosenBy, undefined)
  })
})
