// The hidden `--list-names` of `use` and `logout` (3.6.0's, COMPAT.md), which completion scripts call on every TAB:
// the profile names one per line in file order, exit 0 whatever the file holds, answered without oclif, and never a
// key; a person at a terminal is told why a list is empty.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {fileBytes, writeConfig} from '../helpers/assertions.js'
import {BIN, cleanEnv, configFile, ROOT, runCli, tempHomes} from '../helpers/cli.js'
import {runInPty} from '../helpers/pty.js'

/** In an order that is neither alphabetical nor any command's listing order: the file's. */
const KEYS = {
  'zeta-prod': 'cko_ZetaSecret0123456789abcdefghij',
  acme: 'ckp_AcmeSecret0123456789abcdefghij',
  sandbox: 'cko_SandboxSecret0123456789abcdefg',
}
const FORMS = [
  ['use', '--list-names'],
  ['profiles', '--list-names'],
  ['profile', 'use', '--list-names'],
  ['logout', '--list-names'],
]

const homes = tempHomes('codika-list-names-')
after(homes.cleanup)

function homeWithProfiles(): string {
  const home = homes.home()
  writeConfig(home, {
    activeProfile: 'acme',
    profiles: Object.fromEntries(Object.entries(KEYS).map(([name, apiKey]) => [name, {apiKey, type: 'org-api-key'}])),
  })
  return home
}

describe('use --list-names, logout --list-names', () => {
  it('prints the names one per line, in file order, exit 0, and no key', async () => {
    const home = homeWithProfiles()
    const order = Object.keys(KEYS)
    const file = fileBytes(configFile(home))
    for (const args of FORMS) {
      const result = await runCli(home, args)
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stderr, '')
      assert.equal(result.stdout, `${order.join('\n')}\n`, args.join(' '))
      for (const key of Object.values(KEYS)) assert.ok(!result.stdout.includes(key))
    }
    // logout --list-names removes nothing.
    assert.deepEqual(fileBytes(configFile(home)), file)
  })

  it('through oclif (any other command line) answers the same, and --json gives {names}', async () => {
    const home = homeWithProfiles()
    const fast = await runCli(home, ['use', '--list-names'])
    // A name given too: not a line bin/run.js answers itself. The names are listed, the name is not used.
    const viaOclif = await runCli(home, ['use', 'sandbox', '--list-names'])
    assert.equal(viaOclif.code, 0, viaOclif.stderr)
    assert.equal(viaOclif.stdout, fast.stdout)
    assert.equal(JSON.parse(readFileSync(configFile(home), 'utf8')).activeProfile, 'acme')
    const json = await runCli(home, ['logout', '--list-names', '--json'])
    assert.equal(json.code, 0, json.stderr)
    assert.deepEqual(json.json().names, fast.stdout.trimEnd().split('\n'))
  })

  it('is hidden from the help pages', async () => {
    const home = homes.home()
    for (const command of ['use', 'profiles', 'logout', 'profile use']) {
      const help = await runCli(home, [...command.split(' '), '--help'])
      assert.equal(help.code, 0, help.stderr)
      assert.doesNotMatch(help.stdout, /list-names/)
    }
  })

  it('no file, a file that is not JSON, not a profile file, or a folder: nothing on stdout or stderr, exit 0', async () => {
    const contents: Array<string | undefined> = [
      undefined,
      '{"profiles": {"a": ',
      '[1, 2]',
      '{"profiles": []}',
      'folder',
    ]
    for (const content of contents) {
      const home = homes.home()
      if (content === 'folder') mkdirSync(configFile(home), {recursive: true})
      else if (content !== undefined) writeConfig(home, content)
      for (const args of FORMS) {
        const result = await runCli(home, args)
        assert.deepEqual([result.code, result.stdout, result.stderr], [0, '', ''], `${content}: ${args.join(' ')}`)
      }
    }
  })

  it('leaves out names that cannot be a line of a word list (control characters)', async () => {
    const home = homes.home()
    writeConfig(home, {
      activeProfile: null,
      profiles: {
        ok: {apiKey: 'cko_a', type: 'org-api-key'},
        'two\nlines': {apiKey: 'cko_b', type: 'org-api-key'},
        'esc\u001b[2J': {apiKey: 'cko_c', type: 'org-api-key'},
      },
    })
    const result = await runCli(home, ['use', '--list-names'])
    assert.equal(result.stdout, 'ok\n')
  })

  it('on a terminal, says on stderr why the list is empty', async () => {
    const home = homes.home()
    writeConfig(home, '{"profiles": ')
    const result = await runInPty(home, ['use', '--list-names'])
    assert.equal(result.code, 0)
    assert.match(
      result.screen,
      /codika: no profile names: .*config\.json is not valid JSON \(codika profile list says more\)/,
    )
  })

  it('loads no oclif and no ES module: bin/run.js, this listing, the stdout writer and the XDG rule', async () => {
    for (const command of ['use', 'profiles']) await assertFastPath(command)
  })

  async function assertFastPath(command: string) {
    const home = homeWithProfiles()
    const trace = join(home, 'trace.txt')
    const probe = pathToFileURL(join(ROOT, 'bench', 'probe.mjs')).href
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', probe, BIN, command, '--list-names'], {
        env: cleanEnv(home, {CODIKA_PROBE_FILE: trace, CODIKA_PROBE_MODULES: '1'}),
        stdio: 'ignore',
      })
      child.on('error', reject)
      child.on('close', resolve)
    })
    assert.equal(code, 0)
    const lines = readFileSync(trace, 'utf8').split('\n')
    rmSync(trace)
    const ours = [
      ...new Set(
        lines
          .filter((line) => line.startsWith('cjs ') || line.startsWith('esm file:'))
          .map((line) => (line.startsWith('cjs ') ? line.slice(4) : fileURLToPath(line.slice(4))))
          .filter((path) => path.startsWith(ROOT) && !path.startsWith(join(ROOT, 'bench')))
          .map((path) => path.slice(ROOT.length)),
      ),
    ].sort()
    assert.deepEqual(
      ours,
      ['bin/run.js', 'dist/lib/completion/profile-names.cjs', 'dist/lib/stdout.cjs', 'dist/lib/xdg.cjs'],
      command,
    )
  }
})
