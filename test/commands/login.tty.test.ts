// `codika login` on a terminal: the masked key prompt and the replace confirmation, typed through a pseudo-terminal.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {stripVTControlCharacters} from 'node:util'

import {fileBytes, readConfig, writeConfig} from '../helpers/assertions.js'
import {configFile, tempHomes} from '../helpers/cli.js'
import {type FakePlatform, okEnvelope, startFakePlatform} from '../helpers/fake-platform.js'
import {runInPty} from '../helpers/pty.js'

// The middle of the key is what must never reach the screen; the mask shows only its first 8 and last 4 characters.
const SECRET_MIDDLE = 'QzXjVkWpTyRuMnBv'
const KEY = `cko_AbCd${SECRET_MIDDLE}wxyz`
const OLD_KEY = 'ckp_OldKey0123456789abcdefgh'

let platform: FakePlatform
const homes = tempHomes()
const home = homes.home

before(async () => {
  platform = await startFakePlatform({
    status: 200,
    json: okEnvelope({type: 'org-api-key', organizationName: 'Acme Corp', organizationId: 'org_1'}),
  })
})
after(async () => {
  await platform.close()
  homes.cleanup()
})

/** No run of 4 or more characters of the key's secret part appears anywhere on the screen. */
function assertNoKeyCharacters(screen: string): void {
  const text = stripVTControlCharacters(screen)
  assert.ok(!text.includes(KEY), `the key is on screen:\n${text}`)
  for (let i = 0; i + 4 <= SECRET_MIDDLE.length; i++)
    assert.ok(
      !text.includes(SECRET_MIDDLE.slice(i, i + 4)),
      `part of the key (${SECRET_MIDDLE.slice(i, i + 4)}) is on screen:\n${text}`,
    )
  assert.doesNotMatch(text, /\*{4,}/, 'not even a mask character per key character')
}

describe('login on a terminal', {concurrency: true}, () => {
  it('asks for the key with a masked prompt that shows none of the typed characters', async () => {
    const h = home()
    const result = await runInPty(h, ['login', '--base-url', platform.url], {
      steps: [{waitFor: /API key/, send: `${KEY}\r`}],
    })
    assert.equal(result.code, 0, result.screen)
    assertNoKeyCharacters(result.screen)
    const text = stripVTControlCharacters(result.screen)
    assert.match(text, /API key/)
    assert.match(text, /✓ Saved profile "acme-corp" \(now active\)/)
    assert.match(text, /cko_AbCd…wxyz/)
    assert.equal(readConfig(h).profiles['acme-corp'].apiKey, KEY, 'the typed key was saved whole')
    assert.ok(
      platform.requests.some((r) => r.headers['x-process-manager-key'] === KEY),
      'the typed key was verified',
    )
  })

  it('an empty answer at the prompt: exit 2, nothing saved', async () => {
    const h = home()
    const result = await runInPty(h, ['login', '--base-url', platform.url], {steps: [{waitFor: /API key/, send: '\r'}]})
    assert.equal(result.code, 2, result.screen)
    assert.match(stripVTControlCharacters(result.screen), /Error: No API key was given; nothing was saved\./)
    assert.equal(fileBytes(configFile(h)), null)
  })

  it('--json on a terminal never prompts: exit 2 with one JSON document', async () => {
    const h = home()
    const result = await runInPty(h, ['login', '--base-url', platform.url, '--json'])
    assert.equal(result.code, 2, result.screen)
    const doc = JSON.parse(stripVTControlCharacters(result.screen).replaceAll('\r\n', '\n'))
    assert.equal(doc.error.code, 'NO_API_KEY')
    assert.doesNotMatch(result.screen, /API key\b.*masked/)
  })

  it('a profile holding a different key is replaced after a yes, and kept after a no', async () => {
    const h = home()
    writeConfig(h, {activeProfile: 'prod', profiles: {prod: {apiKey: OLD_KEY, type: 'personal-api-key'}}})
    const args = ['login', '--base-url', platform.url, '--name', 'prod']

    const no = await runInPty(h, args, {
      steps: [
        {waitFor: /API key/, send: `${KEY}\r`},
        {waitFor: /Replace it\? \[y\/N\]/, send: 'n\r'},
      ],
    })
    assert.equal(no.code, 2, no.screen)
    assert.match(stripVTControlCharacters(no.screen), /Profile "prod" holds a different key \(ckp_OldK…efgh\)/)
    assert.match(
      stripVTControlCharacters(no.screen),
      /Error: Profile "prod" holds a different key \(ckp_OldK…efgh\); it was kept\./,
    )
    assertNoKeyCharacters(no.screen)
    assert.equal(readConfig(h).profiles.prod.apiKey, OLD_KEY)

    const yes = await runInPty(h, args, {
      steps: [
        {waitFor: /API key/, send: `${KEY}\r`},
        {waitFor: /Replace it\? \[y\/N\]/, send: 'y\r'},
      ],
    })
    assert.equal(yes.code, 0, yes.screen)
    assert.match(stripVTControlCharacters(yes.screen), /✓ Replaced profile "prod" \(now active\)/)
    assertNoKeyCharacters(yes.screen)
    assert.equal(readConfig(h).profiles.prod.apiKey, KEY)
  })
})
