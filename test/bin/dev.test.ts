// bin/dev.js runs the TypeScript sources, also as `node bin/dev.js` (no shebang flag to lose) and with a built
// manifest present.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {cleanEnv, ROOT, tempHome} from '../helpers/cli.js'

const home = tempHome('codika-dev-')
after(() => home.cleanup())

function dev(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'dev.js'), ...args], {
    cwd: home.home,
    env: cleanEnv(home.home, env),
    encoding: 'utf8',
    timeout: 60_000,
  })
}

describe('bin/dev.js', () => {
  it('node bin/dev.js answers as the development version', () => {
    const result = dev(['--version'])
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /^codika\/\d+\.\d+\.\d+\+dev /)
    assert.equal(result.stderr, '')
  })

  it('draws help pages from the sources without a warning, the same page as the build', () => {
    const result = dev(['organization', 'create-key', '--help'])
    assert.equal(result.status, 0, result.stderr)
    assert.equal(result.stderr, '')
    const built = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), 'organization', 'create-key', '--help'], {
      cwd: home.home,
      env: cleanEnv(home.home),
      encoding: 'utf8',
    })
    assert.equal(result.stdout, built.stdout)
  })

  it('runs a command from src/commands, not the compiled dist/', () => {
    const result = dev(
      [
        'organization',
        'create-key',
        '--organization-id',
        'o',
        '--name',
        'n',
        '--scopes',
        'nope',
        '--api-key',
        'ckp_DevKey0123456789',
        '--json',
      ],
      {
        DEBUG: 'oclif:config:ts-path',
      },
    )
    assert.equal(result.status, 2, result.stderr)
    assert.equal(JSON.parse(result.stdout).error.code, 'UNKNOWN_SCOPE')
    assert.match(result.stderr, /Found source directory for \S+dist\/commands at \S+src\/commands/)
    assert.doesNotMatch(result.stderr, /Mismatched version/)
  })
})
