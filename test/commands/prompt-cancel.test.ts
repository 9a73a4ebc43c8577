// Ctrl+C at a prompt is a cancel (issue 10, item 15): exit 130, a line break after the prompt, nothing sent or saved.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {stripVTControlCharacters} from 'node:util'

import {fileBytes, writeConfig} from '../helpers/assertions.js'
import {configFile, tempHomes} from '../helpers/cli.js'
import {type FakePlatform, okEnvelope, startFakePlatform} from '../helpers/fake-platform.js'
import {runInPty} from '../helpers/pty.js'

const KEY = `cko_${'C'.repeat(43)}`
const OLD_KEY = `ckp_${'O'.repeat(43)}`
const CTRL_C = '\u0003'

let platform: FakePlatform
const homes = tempHomes()
before(async () => {
  platform = await startFakePlatform({json: okEnvelope({type: 'org-api-key', organizationName: 'Acme Corp'})})
})
after(async () => {
  await platform.close()
  homes.cleanup()
})

describe('Ctrl+C at a prompt', {concurrency: true}, () => {
  it('at the masked key prompt: exit 130, the prompt line ended, nothing sent or saved', async () => {
    const home = homes.home()
    const url = platform.route('cancel-key')
    const result = await runInPty(home, ['login', '--base-url', url], {steps: [{waitFor: /API key/, send: CTRL_C}]})
    assert.equal(result.code, 130, result.screen)
    const text = stripVTControlCharacters(result.screen)
    assert.match(text, /API key[^\n]*\n(?:\r?\n)?Error: Cancelled; nothing was saved\./)
    assert.doesNotMatch(text, /No API key was given/)
    assert.equal(platform.requestsTo('cancel-key').length, 0)
    assert.equal(fileBytes(configFile(home)), null)
  })

  it('at the replace question: exit 130, the profile kept as it was', async () => {
    const home = homes.home()
    const path = writeConfig(home, {
      activeProfile: 'prod',
      profiles: {prod: {apiKey: OLD_KEY, type: 'personal-api-key'}},
    })
    const before = fileBytes(path)
    const result = await runInPty(home, ['login', '--api-key', KEY, '--skip-verify', '--name', 'prod'], {
      steps: [{waitFor: /Replace it\?/, send: CTRL_C}],
    })
    assert.equal(result.code, 130, result.screen)
    const text = stripVTControlCharacters(result.screen)
    assert.match(text, /Replace it\? \[y\/N\] [^\n]*\n(?:\r?\n)?Error: Cancelled; nothing was saved\./)
    assert.deepEqual(fileBytes(path), before)
  })
})
