// The README's agent recipe, run as written (bash, the `codika` of this build on PATH) against a sandbox: a signup,
// then an address with an organization already (the fallback to login) whose owner is in two (the pick).
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, it} from 'node:test'

import {readConfig} from '../helpers/assertions.js'
import {BIN, cleanEnv, ROOT, tempHomes} from '../helpers/cli.js'
import {call, startTestSandbox, type TestSandbox} from '../sandbox/helpers.js'

const homes = tempHomes('codika-recipe-')
const home = homes.home()
let sandbox: TestSandbox

/** The block between `<!-- agent-recipe -->` and `<!-- /agent-recipe -->`, without its fences. */
function recipe(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const block = /<!-- agent-recipe -->\n```sh\n([^]*?)```\n<!-- \/agent-recipe -->/.exec(readme)?.[1]
  assert.ok(block, 'README.md holds the agent recipe between its markers')
  return block
}

before(async () => {
  // The sandbox's file where `codika sandbox outbox` looks by default for this home (XDG_DATA_HOME=<home>/data).
  sandbox = await startTestSandbox({dataFile: join(home, 'data', 'codika', 'sandbox.db')})
  const bin = join(home, 'bin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'codika'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(join(bin, 'codika'), 0o755)
  writeFileSync(join(home, 'recipe.sh'), recipe())
})
after(async () => {
  await sandbox.dispose()
  homes.cleanup()
})

function runRecipe(email: string): Promise<{code: number | null; stdout: string; stderr: string}> {
  const env = cleanEnv(home, {
    EMAIL: email,
    CODIKA_BASE_URL: sandbox.url,
    PATH: `${join(home, 'bin')}:${process.env.PATH}`,
  })
  const child = spawn('bash', [join(home, 'recipe.sh')], {cwd: home, env, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})))
}

it('a new address signs up; the whoami at the end verifies the saved key', async () => {
  const result = await runRecipe('recipe-agent@example.com')
  assert.equal(result.code, 0, result.stdout + result.stderr)
  assert.match(result.stdout, /^saved as profile my-organization$/m)
  assert.match(result.stdout, /Key verified[^]*Organization: +My Organization/)
  assert.equal(readConfig(home).activeProfile, 'my-organization')
})

it('the seeded owner, in two organizations: the signup is refused, the login picks the first', async () => {
  const created = await call(sandbox.url, 'createorganizationviaapikey', {
    key: sandbox.seeded!.owner.apiKey,
    body: {name: 'Owner Second Org'},
  })
  assert.equal(created.status, 200)
  const result = await runRecipe('owner@sandbox.codika.local')
  assert.equal(result.code, 0, result.stdout + result.stderr)
  assert.match(result.stdout, /^saved as profile sandbox-org$/m)
  assert.match(result.stdout, /Key verified[^]*Organization: +Sandbox Org/)
})
