// Runs every test file (test/**/*.test.ts) with Node's test runner, TypeScript through tsx.
// Files run in parallel (each starts its own servers on port 0 and uses its own temp folders).
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const only = process.argv.slice(2)

function find(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : find(path)
    return entry.name.endsWith('.test.ts') ? [path] : []
  })
}

/**
 * The test processes' environment. Never the user's credential store: tests that use ProfileStore in-process save
 * keys to the file, and the session bus is a dead address (the CLI's own runs get the same from test/helpers/cli.ts;
 * tests of the store start a private one).
 */
function testEnv() {
  const env = {...process.env, NODE_ENV: 'test', CODIKA_CREDENTIAL_STORE: 'file'}
  env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/codika-tests-have-no-session-bus'
  delete env.XDG_RUNTIME_DIR
  return env
}

const files = (only.length > 0 ? only : find(join(root, 'test')).map((f) => relative(root, f))).sort()
const concurrency = Math.max(2, availableParallelism())
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  {cwd: root, stdio: 'inherit', env: testEnv()},
)
process.exit(result.status ?? 1)
