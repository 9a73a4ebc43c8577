// Shell completion: the setup lines `codika autocomplete` prints, and what bash and zsh really complete once the
// generated scripts are loaded (bash: the completion function driven directly; zsh: an interactive zsh on a
// pseudo-terminal). Expectations come from oclif.manifest.json, so new commands and flags are covered as they land.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {ORGANIZATION_SCOPE_NAMES} from '../../src/lib/scopes.js'
import {cleanEnv, ROOT, runCli, tempHome} from '../helpers/cli.js'
import {skipUnless} from '../helpers/tools.js'

const FIXTURES = join(ROOT, 'test', 'ecosystem', 'fixtures')

interface ManifestFlag {
  name: string
  type: 'boolean' | 'option'
  char?: string
  hidden?: boolean
  options?: string[]
}
interface ManifestCommand {
  id: string
  hidden?: boolean
  aliases: string[]
  flags: Record<string, ManifestFlag>
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>
}
const commands = Object.values(manifest.commands).filter((c) => !c.hidden)
const words = (id: string) => id.split(':').join(' ')
const publicFlags = (c: ManifestCommand) => Object.values(c.flags).filter((f) => !f.hidden)

const {home, cleanup} = tempHome()
const cacheDir = join(home, 'cache', 'codika', 'autocomplete')

/** Runs bash without any rc file: the setup line `codika autocomplete script bash` printed, then `complete_line`s. */
function bashComplete(setup: string, lines: string[]): string[][] {
  const script = [setup, `source ${join(FIXTURES, 'complete.bash')}`, ...lines.map((l) => `complete_line ${sh(l)}`)]
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script.join('\n')], {
    env: cleanEnv(home),
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.equal(result.status, 0, result.stderr)
  assert.equal(result.stderr, '')
  const blocks = result.stdout.split('--\n').slice(0, -1)
  assert.equal(blocks.length, lines.length, result.stdout)
  return blocks.map((b) => [...new Set(b.split('\n').filter(Boolean))].sort())
}

/** What an interactive zsh completes for `line` after sourcing the zsh setup file. */
function zshComplete(line: string): string[] {
  const result = spawnSync('zsh', ['-f', join(FIXTURES, 'capture.zsh'), join(cacheDir, 'zsh_setup'), line], {
    env: cleanEnv(home),
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.equal(result.status, 0, `zsh completion of "${line}" failed: ${result.stderr}`)
  return [...new Set(result.stdout.split('\n').filter(Boolean))].sort()
}

function sh(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`
}

describe('shell completion', () => {
  let bashSetup = ''

  before(async () => {
    // The line a user puts in ~/.bashrc; printing it also builds the completion cache (codika's postrun hook).
    const script = await runCli(home, ['autocomplete', 'script', 'bash'])
    assert.equal(script.code, 0, script.stderr)
    bashSetup = script.stdout.trim()
  })
  after(cleanup)

  it('`codika autocomplete <shell>` prints a one-line setup for bash, zsh and PowerShell', async () => {
    const expected: Record<string, string> = {
      bash: 'printf "$(codika autocomplete script bash)" >> ~/.bashrc; source ~/.bashrc',
      zsh: 'printf "$(codika autocomplete script zsh)" >> ~/.zshrc; source ~/.zshrc',
      powershell:
        'Add-Content -Path $PROFILE -Value (Invoke-Expression -Command "codika autocomplete script powershell"); .$PROFILE',
    }
    for (const [shell, line] of Object.entries(expected)) {
      const result = await runCli(home, ['autocomplete', shell])
      assert.equal(result.code, 0, result.stderr)
      assert.ok(result.stdout.includes(line), `${shell}: ${result.stdout}`)
    }
  })

  it('the bash setup line sources the cache built for it', () => {
    assert.match(
      bashSetup,
      /^CODIKA_AC_BASH_SETUP_PATH=\S+ && test -f \$CODIKA_AC_BASH_SETUP_PATH && source \$CODIKA_AC_BASH_SETUP_PATH;/,
    )
    assert.ok(bashSetup.includes(join(cacheDir, 'bash_setup')))
  })

  describe('bash', () => {
    it('completes topics and top-level commands: `codika org` → organization', () => {
      const [org, all] = bashComplete(bashSetup, ['codika org', 'codika '])
      assert.deepEqual(org, ['codika organization'])
      for (const c of commands) assert.ok(all.includes(`codika ${c.id.split(':')[0]}`), `codika <TAB> misses ${c.id}`)
      for (const builtin of ['autocomplete', 'plugins', 'help']) assert.ok(all.includes(`codika ${builtin}`))
    })

    it('completes the commands of a topic: `codika organization ` → its commands', () => {
      const expected = commands
        .filter((c) => c.id.startsWith('organization:'))
        .map((c) => `codika ${words(c.id)}`)
        .sort()
      assert.ok(expected.length > 0)
      assert.deepEqual(bashComplete(bashSetup, ['codika organization '])[0], expected)
    })

    it('completes every public flag of every command: `codika organization create-key --sc` → --scopes', () => {
      const [sc] = bashComplete(bashSetup, ['codika organization create-key --sc'])
      assert.deepEqual(sc, ['codika organization create-key --scopes'])
      const lines = commands.map((c) => `codika ${words(c.id)} --`)
      const replies = bashComplete(bashSetup, lines)
      commands.forEach((c, i) => {
        const expected = publicFlags(c)
          .map((f) => `codika ${words(c.id)} --${f.name}`)
          .sort()
        for (const flag of expected)
          assert.ok(replies[i].includes(flag), `${lines[i]} misses ${flag}: ${replies[i].join(' ')}`)
      })
    })

    it('completes the fixed values of flags (options), e.g. --size', () => {
      const withOptions = commands.flatMap((c) =>
        publicFlags(c)
          .filter((f) => f.options && f.options.length > 0)
          .map((f) => ({line: `codika ${words(c.id)} --${f.name} `, options: f.options!})),
      )
      assert.ok(
        withOptions.some((o) => o.line === 'codika organization create --size '),
        'organization create has --size options',
      )
      const replies = bashComplete(
        bashSetup,
        withOptions.map((o) => o.line),
      )
      withOptions.forEach((o, i) => assert.deepEqual(replies[i], o.options.map((v) => `${o.line}${v}`).sort()))
    })

    it('completes scope names for --scopes, comma after comma, the colons in them included', () => {
      const scopesCommands = commands.filter((c) => c.flags.scopes).map((c) => `codika ${words(c.id)}`)
      assert.ok(scopesCommands.includes('codika organization create-key'))
      const cases: Array<[string, string[]]> = []
      for (const command of scopesCommands) {
        cases.push(
          [`${command} --scopes `, ORGANIZATION_SCOPE_NAMES.map((s) => `${command} --scopes ${s}`)],
          [`${command} --scopes dep`, [`${command} --scopes deploy:use-case`]],
          [`${command} --scopes deploy:`, [`${command} --scopes deploy:use-case`]],
          [`${command} --scopes deploy:use-case,wor`, [`${command} --scopes deploy:use-case,workflows:trigger`]],
          [
            `${command} --scopes=deploy:use-case,skills:read,in`,
            ['instances:read', 'instances:manage', 'integrations:manage'].map(
              (s) => `${command} --scopes=deploy:use-case,skills:read,${s}`,
            ),
          ],
          // a scope already in the list is not offered again
          [`${command} --scopes skills:read,s`, []],
        )
      }
      const replies = bashComplete(
        bashSetup,
        cases.map(([line]) => line),
      )
      cases.forEach(([line, expected], i) => assert.deepEqual(replies[i], expected.sort(), line))
    })

    it('after another flag, a boolean flag or a free-text value, still completes flags', () => {
      const [afterValue] = bashComplete(bashSetup, ['codika organization create-key --name CI --save --sc'])
      assert.deepEqual(afterValue, ['codika organization create-key --name CI --save --scopes'])
    })
  })

  describe('zsh', {skip: skipUnless(['zsh'], 'the zsh completion tests load the generated script in zsh')}, () => {
    it('the generated script and its setup load in `zsh -f` without error', () => {
      const setup = spawnSync(
        'zsh',
        ['-f', '-c', `source ${sh(join(cacheDir, 'zsh_setup'))} && autoload +X _codika && whence -w _codika`],
        {
          env: cleanEnv(home),
          encoding: 'utf8',
        },
      )
      assert.equal(setup.error, undefined, 'zsh is not installed (apt-get install zsh)')
      assert.equal(setup.status, 0, setup.stderr)
      assert.equal(setup.stderr, '')
      assert.equal(setup.stdout.trim(), '_codika: function')
      const syntax = spawnSync('zsh', ['-f', '-n', join(cacheDir, 'functions', 'zsh', '_codika')], {encoding: 'utf8'})
      assert.equal(syntax.status, 0, syntax.stderr)
    })

    it('completes topics, commands, flags and flag values', () => {
      const subcommands = commands
        .filter((c) => c.id.startsWith('organization:'))
        .map((c) => c.id.split(':')[1])
        .sort()
      assert.deepEqual(zshComplete('codika org'), ['organization'])
      assert.deepEqual(zshComplete('codika organization '), subcommands)
      assert.deepEqual(zshComplete('codika organization create-key --sc'), ['--scopes'])
      const size = manifest.commands['organization:create']?.flags.size?.options
      assert.ok(size, 'organization create has --size options')
      assert.deepEqual(zshComplete('codika organization create --size '), [...size].sort())
      // _sequence offers the next scope after the comma (and shows the comma it would add as a suffix)
      assert.deepEqual(zshComplete('codika organization create-key --scopes dep'), ['deploy:use-case,'])
      assert.deepEqual(zshComplete('codika organization create-key --scopes deploy:use-case,wor'), [
        'deploy:use-case,workflows:trigger,',
      ])
    })
  })

  it('rebuilding the cache (`codika autocomplete --refresh-cache`) keeps the flag values, added once', async () => {
    const result = await runCli(home, ['autocomplete', '--refresh-cache'])
    assert.equal(result.code, 0, result.stderr)
    const bash = readFileSync(join(cacheDir, 'functions', 'bash', 'codika.bash'), 'utf8')
    assert.equal(bash.split('# codika: values of flags').length, 2)
    const zsh = readFileSync(join(cacheDir, 'functions', 'zsh', '_codika'), 'utf8')
    assert.equal(zsh.split('# codika: values of flags').length, 2)
    assert.deepEqual(bashComplete(bashSetup, ['codika organization create-key --scopes dep'])[0], [
      'codika organization create-key --scopes deploy:use-case',
    ])
  })
})
