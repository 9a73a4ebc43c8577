// The skip rule of tests that need zsh, fish or gnome-keyring (tools.ts): skipped with a printed reason where the
// tool is missing, a failure where CODIKA_TEST_REQUIRE_TOOLS=1 (CI). Checked in child processes, as the flag is read once.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {describe, it} from 'node:test'
import {pathToFileURL} from 'node:url'

import {ROOT} from './cli.js'

const TOOLS = pathToFileURL(`${ROOT}/test/helpers/tools.ts`).href
const probe = (env: Record<string, string>) =>
  spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const {skipUnless} = await import(${JSON.stringify(TOOLS)}); console.log(JSON.stringify(skipUnless(['sh', 'codika-no-such-tool'], 'why')))`,
    ],
    {cwd: ROOT, encoding: 'utf8', env: {...process.env, CODIKA_TEST_REQUIRE_TOOLS: '', ...env}},
  )

describe('skipUnless', () => {
  it('a missing tool: the reason, printed on stderr and given to node:test', () => {
    const result = probe({})
    assert.equal(result.status, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout), 'needs codika-no-such-tool (why); not installed here')
    assert.match(result.stderr, /^skipping: needs codika-no-such-tool \(why\); not installed here$/m)
  })

  it('with CODIKA_TEST_REQUIRE_TOOLS=1: an error instead', () => {
    const result = probe({CODIKA_TEST_REQUIRE_TOOLS: '1'})
    assert.notEqual(result.status, 0)
    assert.match(result.stderr, /CODIKA_TEST_REQUIRE_TOOLS=1 but needs codika-no-such-tool/)
  })
})
