// Issue 10, item 6: profile names that are members of Object.prototype are names like any other. A name no profile
// has is PROFILE_NOT_FOUND (exit 2) in every command that takes one, nothing is sent and the file is not touched;
// a profile that really has such a name is found and used.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {assertJsonFailure, fileBytes, onlyJson, readConfig, writeConfig} from '../helpers/assertions.js'
import {configFile, runCli} from '../helpers/cli.js'
import {fakePlatformForFile, okEnvelope} from '../helpers/fake-platform.js'

const {platform, homes} = fakePlatformForFile()

const KEY = `ckp_${'P'.repeat(43)}`
const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']

describe('a name that only Object.prototype has', () => {
  const commands: Array<[string, (name: string) => string[]]> = [
    [
      'organization create-key -p',
      (name) => [
        'organization',
        'create-key',
        '--organization-id',
        'org_1',
        '--name',
        'k',
        '--scopes',
        'deploy:use-case',
        '-p',
        name,
      ],
    ],
    ['whoami --profile', (name) => ['whoami', '--profile', name]],
    ['profile use', (name) => ['profile', 'use', name]],
    ['profile show', (name) => ['profile', 'show', name]],
    ['profile remove', (name) => ['profile', 'remove', name]],
    ['logout', (name) => ['logout', name]],
  ]
  for (const [label, args] of commands) {
    it(`${label}: PROFILE_NOT_FOUND (exit 2) for each, nothing sent, the file as it was`, async () => {
      const url = platform.route(`proto-${label.replaceAll(/\W+/g, '-')}`)
      const home = homes.home()
      writeConfig(home, {
        activeProfile: 'real',
        profiles: {real: {apiKey: KEY, type: 'personal-api-key', baseUrl: url}},
      })
      const before = fileBytes(configFile(home))
      for (const name of NAMES) {
        const result = await runCli(home, [...args(name), '--json'])
        const doc = assertJsonFailure(result, 2, 'PROFILE_NOT_FOUND')
        assert.match(doc.error.message, /profile/i)
        assert.ok(!result.stdout.includes(KEY) && !result.stderr.includes(KEY))
      }
      assert.deepEqual(platform.requestsTo(`proto-${label.replaceAll(/\W+/g, '-')}`), [], 'a request was sent')
      assert.deepEqual(fileBytes(configFile(home)), before, 'the profile file changed')
    })
  }
})

describe('a profile that really has such a name', () => {
  it('is used by --profile (its own key is sent), switched to, shown and removed', async () => {
    const url = platform.route('proto-real', {json: okEnvelope({type: 'personal-api-key', keyName: 'mine'})})
    const home = homes.home()
    writeConfig(home, {
      activeProfile: null,
      profiles: {
        constructor: {apiKey: KEY, type: 'personal-api-key', baseUrl: url},
        ['__proto__']: {apiKey: KEY, type: 'personal-api-key', baseUrl: url},
      },
    })
    const whoami = await runCli(home, ['whoami', '--profile', 'constructor', '--json'])
    assert.equal(whoami.code, 0, whoami.stderr)
    const sent = platform.requestsTo('proto-real')
    assert.equal(sent.length, 1)
    assert.equal(sent[0].headers['x-process-manager-key'], KEY)

    const use = await runCli(home, ['profile', 'use', '__proto__', '--json'])
    assert.equal(use.code, 0, use.stderr)
    assert.equal(readConfig(home).activeProfile, '__proto__')
    const show = onlyJson(await runCli(home, ['profile', 'show', 'constructor', '--json']))
    assert.equal(show.profile.name, 'constructor')

    const removed = await runCli(home, ['profile', 'remove', 'constructor', '--json'])
    assert.equal(removed.code, 0, removed.stderr)
    assert.deepEqual(Object.keys(readConfig(home).profiles), ['__proto__'])
  })
})
