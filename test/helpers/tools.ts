// Tests that need a program the machine may lack (zsh, fish, gnome-keyring): skipped with the reason printed when it
// is absent, so that `npm install && npm test` passes on a fresh machine; a failure instead when
// CODIKA_TEST_REQUIRE_TOOLS=1, which .ci/run sets after installing them, so that CI always runs those tests.
import {spawnSync} from 'node:child_process'

/** Is CI asking for every tool-dependent test to run? */
export const toolsRequired = process.env.CODIKA_TEST_REQUIRE_TOOLS === '1'

const found = new Map<string, boolean>()

/** Can `command` be run from PATH? (`command -v`, once per name.) */
export function hasCommand(command: string): boolean {
  let known = found.get(command)
  if (known === undefined) {
    known = spawnSync('sh', ['-c', `command -v "$1" >/dev/null 2>&1`, 'sh', command]).status === 0
    found.set(command, known)
  }
  return known
}

/**
 * The `skip` option for a test or suite that needs these commands: false when they are all there; else the reason
 * (node:test prints it). With CODIKA_TEST_REQUIRE_TOOLS=1 a missing command throws instead, failing the test file.
 */
export function skipUnless(commands: readonly string[], why: string): false | string {
  const missing = commands.filter((c) => !hasCommand(c))
  if (missing.length === 0) return false
  const reason = `needs ${missing.join(', ')} (${why}); not installed here`
  if (toolsRequired) throw new Error(`CODIKA_TEST_REQUIRE_TOOLS=1 but ${reason}`)
  process.stderr.write(`skipping: ${reason}\n`)
  return reason
}
