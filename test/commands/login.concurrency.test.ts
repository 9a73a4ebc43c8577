// Twenty `codika login --skip-verify` processes at once on one profile file: every profile is kept, every output is JSON.
import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {dirname} from 'node:path'
import {after, it} from 'node:test'

import {onlyJson, readConfig} from '../helpers/assertions.js'
import {configFile, runCli, tempHome} from '../helpers/cli.js'

const {home, cleanup} = tempHome()
after(cleanup)

it('20 concurrent logins leave 20 profiles, valid JSON, and no stray temporary or lock file', async () => {
  const keys = Array.from({length: 20}, (_, i) => `cko_Concurrent${String(i).padStart(2, '0')}Secret0123456789`)
  const results = await Promise.all(
    keys.map((key) => runCli(home, ['login', '--api-key', key, '--skip-verify', '--json'], {timeoutMs: 120_000})),
  )

  const names = new Set<string>()
  for (const [i, result] of results.entries()) {
    assert.equal(result.code, 0, `run ${i}: ${result.stdout}\n${result.stderr}`)
    const doc = onlyJson(result)
    assert.equal(doc.success, true)
    assert.equal(doc.action, 'created')
    assert.ok(!result.stdout.includes(keys[i]), 'no raw key in the output')
    names.add(doc.profile)
  }
  assert.equal(names.size, 20, 'every process got a name of its own')

  const file = readConfig(home)
  assert.equal(Object.keys(file.profiles).length, 20)
  assert.deepEqual(new Set(Object.keys(file.profiles)), names)
  assert.deepEqual(
    Object.values(file.profiles)
      .map((p: any) => p.apiKey)
      .sort(),
    [...keys].sort(),
  )
  assert.ok(names.has(file.activeProfile), 'the active profile is one of them')
  assert.deepEqual(readdirSync(dirname(configFile(home))), ['config.json'])
})
