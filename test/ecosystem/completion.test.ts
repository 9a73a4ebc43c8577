// Shell completion as a user gets it: `codika completion <shell>` loaded into a real bash (its completion function
// driven through COMP_WORDS), a real zsh (an interactive zsh on a pseudo-terminal, from the files `--install` writes)
// and a real fish (`complete -C`), with `codika` on PATH answering the profile-name listing at each TAB. What must be
// offered comes from oclif.manifest.json, so new commands and flags are covered as they land. Also: plugin-autocomplete's
// own `codika autocomplete` keeps working, and its generated functions are used exactly as it writes them.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {ORGANIZATION_SCOPE_NAMES} from '../../src/lib/scopes.js'
import {writeConfig} from '../helpers/assertions.js'
import {BIN, cleanEnv, ROOT, runCli, tempHomes} from '../helpers/cli.js'
import {skipUnless} from '../helpers/tools.js'

const FIXTURES = join(ROOT, 'test', 'ecosystem', 'fixtures')

interface ManifestFlag {
  name: string
  type: 'boolean' | 'option'
  char?: string
  aliases?: string[]
  allowNo?: boolean
  hidden?: boolean
  options?: string[]
}
interface ManifestCommand {
  id: string
  hidden?: boolean
  aliases: string[]
  flags: Record<string, ManifestFlag>
  args: Record<string, {name: string}>
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>
}
const commands = Object.values(manifest.commands).filter((c) => !c.hidden)
/** Each command under its id and under each alias, as the words a user types. */
const commandLines = commands.flatMap((c) =>
  [c.id, ...c.aliases].map((id) => ({command: c, words: id.split(':').join(' ')})),
)
const publicFlags = (c: ManifestCommand) => Object.values(c.flags).filter((f) => !f.hidden)

/** Profiles in an order that is not alphabetical: completion offers them as the file holds them. */
const PROFILES = ['zeta-prod', 'acme', 'sandbox']
/** Flags that take a path, where file names are right. */
const PATH_FLAGS = new Set(['organization:create --logo', 'sandbox:start --data', 'sandbox:outbox --data'])
/** The files in the folder completion runs in: none of them may be offered where a value is not a path. */
const FILES = ['notes.txt', 'logo.png']

const homes = tempHomes('codika-completion-')
let home = ''
let work = ''
let env: NodeJS.ProcessEnv = {}

/** A home with `codika` on PATH (bin/run.js, as npm links it), saved profiles, and a folder holding some files. */
function setUpHome(): void {
  home = homes.home()
  const bin = join(home, 'bin')
  mkdirSync(bin)
  symlinkSync(BIN, join(bin, 'codika'))
  writeConfig(home, {
    activeProfile: 'acme',
    profiles: Object.fromEntries(
      PROFILES.map((name) => [name, {apiKey: `cko_${name}Secret0123456789`, type: 'org-api-key'}]),
    ),
  })
  work = join(home, 'work')
  mkdirSync(work)
  for (const file of FILES) writeFileSync(join(work, file), '')
  env = cleanEnv(home, {PATH: `${bin}:${process.env.PATH}`})
}

function sh(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/** Each line's replies (sorted, without repeats), bash having run `setup` (e.g. the eval line of ~/.bashrc). */
function bashComplete(setup: string, lines: readonly string[]): string[][] {
  const script = [setup, `source ${sh(join(FIXTURES, 'complete.bash'))}`, ...lines.map((l) => `complete_line ${sh(l)}`)]
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script.join('\n')], {
    cwd: work,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  })
  assert.equal(result.status, 0, result.stderr)
  assert.equal(result.stderr, '')
  const blocks = result.stdout.split('--\n').slice(0, -1)
  assert.equal(blocks.length, lines.length, result.stdout)
  return blocks.map((b) => [...new Set(b.split('\n').filter(Boolean))].sort())
}

/** The words (last word of each reply line) bash offers for `line`. */
const offered = (replies: string[], line: string) => replies.map((r) => r.slice(line.lastIndexOf(' ') + 1))

const BASH_SETUP = 'eval "$(codika completion bash)"'

describe('shell completion', () => {
  before(setUpHome)
  after(homes.cleanup)

  describe('`codika completion <shell>`', () => {
    it('prints a script for bash, zsh, fish and PowerShell, and nothing else', async () => {
      for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
        const result = await runCli(home, ['completion', shell], {env: {PATH: env.PATH}})
        assert.equal(result.code, 0, result.stderr)
        assert.equal(result.stderr, '')
        assert.ok(result.stdout.length > 1000, `${shell}: ${result.stdout}`)
      }
    })

    it('without a shell or --install, says how to use it (exit 2)', async () => {
      const result = await runCli(home, ['completion'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /Name the shell/)
      assert.match(result.stderr, /codika completion bash\|zsh\|fish\|powershell/)
      assert.equal(result.stdout, '')
    })

    it("holds plugin-autocomplete's functions as the plugin writes them, every line unchanged (bash, zsh, PowerShell)", async () => {
      const refreshed = await runCli(home, ['autocomplete', '--refresh-cache'])
      assert.equal(refreshed.code, 0, refreshed.stderr)
      const plugin = (file: string) =>
        readFileSync(join(home, 'cache', 'codika', 'autocomplete', 'functions', file), 'utf8')
      const script = async (shell: string) => (await runCli(home, ['completion', shell])).stdout
      // The plugin lists the commands in the order its process loaded them (a run of its own command and a run from
      // codika's differ there), so its text is compared line by line, whatever the order: every line of it is in our
      // script, unchanged, as often as the plugin writes it.
      const holds = (ours: string, theirs: string) => {
        const count = (lines: string[]) =>
          lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>())
        const ourCounts = count(ours.split('\n'))
        for (const [line, n] of count(theirs.trimEnd().split('\n')))
          assert.ok((ourCounts.get(line) ?? 0) >= n, `the plugin's line is in the script, unchanged (${n}×): ${line}`)
      }
      holds(await script('bash'), plugin(join('bash', 'codika.bash')))
      holds(await script('zsh'), plugin(join('zsh', '_codika')))
      holds(await script('powershell'), plugin(join('powershell', 'codika.ps1')))
    })
  })

  describe('`codika autocomplete` (plugin-autocomplete) keeps working', () => {
    it('prints its one-line setup for bash, zsh and PowerShell', async () => {
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

    it('its bash setup line sources the cache it builds, and completes commands and flags', async () => {
      const script = await runCli(home, ['autocomplete', 'script', 'bash'])
      assert.equal(script.code, 0, script.stderr)
      const setup = script.stdout.trim()
      assert.match(
        setup,
        /^CODIKA_AC_BASH_SETUP_PATH=\S+ && test -f \$CODIKA_AC_BASH_SETUP_PATH && source \$CODIKA_AC_BASH_SETUP_PATH;/,
      )
      assert.ok(setup.includes(join(home, 'cache', 'codika', 'autocomplete', 'bash_setup')))
      const [org, flags] = bashComplete(setup, ['codika org', 'codika organization create-key --sc'])
      assert.deepEqual(org, ['codika organization'])
      assert.deepEqual(flags, ['codika organization create-key --scopes'])
    })
  })

  describe('bash, loaded as ~/.bashrc does it: eval "$(codika completion bash)"', () => {
    it('completes topics and top-level commands: `codika org` → organization; `codika ` → every one', () => {
      const [org, all, profile] = bashComplete(BASH_SETUP, ['codika org', 'codika ', 'codika profile '])
      assert.deepEqual(org, ['codika organization'])
      const top = offered(all, 'codika ')
      for (const {words} of commandLines) assert.ok(top.includes(words.split(' ')[0]), `codika <TAB> misses ${words}`)
      for (const builtin of ['autocomplete', 'plugins', 'help', 'completion', 'use', 'logout'])
        assert.ok(top.includes(builtin))
      assert.deepEqual(offered(profile, 'codika profile '), ['list', 'remove', 'secure', 'show', 'use'])
    })

    it('completes the commands of a topic: `codika organization ` → its commands', () => {
      const expected = commands
        .filter((c) => c.id.startsWith('organization:'))
        .map((c) => `codika ${c.id.split(':').join(' ')}`)
        .sort()
      assert.ok(expected.length > 0)
      assert.deepEqual(bashComplete(BASH_SETUP, ['codika organization '])[0], expected)
    })

    it('completes every public flag of every command, its aliases, -c short forms and --no-* included', () => {
      const cases = commandLines.flatMap(({command, words}) => {
        const long = publicFlags(command).flatMap((f) => [
          `--${f.name}`,
          ...(f.aliases ?? []).map((a) => `--${a}`),
          ...(f.allowNo ? [`--no-${f.name}`] : []),
        ])
        const short = publicFlags(command).flatMap((f) => (f.char ? [`-${f.char}`] : []))
        return [
          {line: `codika ${words} --`, expected: [...long, '--help']},
          {line: `codika ${words} -`, expected: [...long, ...short, '--help']},
        ]
      })
      const replies = bashComplete(
        BASH_SETUP,
        cases.map((c) => c.line),
      )
      cases.forEach(({line, expected}, i) => assert.deepEqual(offered(replies[i], line), [...expected].sort(), line))
      // The three the first release missed.
      const [noSave, p, f] = bashComplete(BASH_SETUP, [
        'codika organization create-key --no',
        'codika whoami -',
        'codika login -',
      ])
      assert.deepEqual(noSave, ['codika organization create-key --no-save'])
      assert.ok(p.includes('codika whoami -p'))
      assert.ok(f.includes('codika login -f'))
    })

    it('after other flags and their values, still completes flags', () => {
      const [afterValue] = bashComplete(BASH_SETUP, ['codika organization create-key --name CI --save --sc'])
      assert.deepEqual(afterValue, ['codika organization create-key --name CI --save --scopes'])
    })

    it('completes the fixed values of flags (options), e.g. --size, also as --size=', () => {
      const withOptions = commands.flatMap((c) =>
        publicFlags(c)
          .filter((f) => f.options && f.options.length > 0)
          .map((f) => ({line: `codika ${c.id.split(':').join(' ')} --${f.name} `, options: f.options!})),
      )
      assert.ok(withOptions.some((o) => o.line === 'codika organization create --size '))
      const replies = bashComplete(
        BASH_SETUP,
        withOptions.map((o) => o.line),
      )
      withOptions.forEach((o, i) => assert.deepEqual(replies[i], o.options.map((v) => `${o.line}${v}`).sort()))
      const [inline] = bashComplete(BASH_SETUP, ['codika organization create --size=5'])
      assert.deepEqual(inline, ['codika organization create --size=51-200'])
    })

    it('completes scope names for --scopes, comma after comma, the colons in them included', () => {
      const scopesCommands = commands.filter((c) => c.flags.scopes).map((c) => `codika ${c.id.split(':').join(' ')}`)
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
        BASH_SETUP,
        cases.map(([line]) => line),
      )
      cases.forEach(([line, expected], i) => assert.deepEqual(replies[i], expected.sort(), line))
    })

    it('completes profile names after use, profiles, logout, profile use|show|remove, and after --profile/-p on every command', () => {
      const lines = [
        ...['use', 'profiles', 'logout', 'profile use', 'profile show', 'profile remove'].map(
          (words) => `codika ${words} `,
        ),
        ...commandLines
          .filter(({command}) => command.flags.profile)
          .flatMap(({words}) => [`codika ${words} --profile `, `codika ${words} -p `, `codika ${words} --profile=`]),
      ]
      assert.ok(lines.includes('codika organization create-key -p '))
      assert.ok(lines.includes('codika config clear --profile '))
      const replies = bashComplete(BASH_SETUP, lines)
      lines.forEach((line, i) => assert.deepEqual(replies[i], PROFILES.map((p) => `${line}${p}`).sort(), line))
      const [narrowed, second] = bashComplete(BASH_SETUP, ['codika use s', 'codika use acme '])
      assert.deepEqual(narrowed, ['codika use sandbox'])
      // `use` takes one name: after it, its flags.
      assert.deepEqual(offered(second, 'codika use acme '), ['--help', '--json'])
    })

    it('offers no file names for flags and arguments that are not paths; file names for --logo and --data', () => {
      const valueLines = commandLines.flatMap(({command, words}) =>
        publicFlags(command)
          .filter((f) => f.type === 'option' && !f.options && f.name !== 'scopes' && f.name !== 'profile')
          .map((f) => ({line: `codika ${words} --${f.name} `, path: PATH_FLAGS.has(`${command.id} --${f.name}`)})),
      )
      const argumentLines = commandLines
        .filter(({command}) => Object.keys(command.args ?? {}).length === 0)
        .map(({words}) => ({line: `codika ${words} `, path: false}))
      const cases = [...valueLines, ...argumentLines]
      assert.ok(cases.some((c) => c.line === 'codika login --name '))
      assert.ok(cases.some((c) => c.line === 'codika login --api-key '))
      const replies = bashComplete(
        BASH_SETUP,
        cases.map((c) => c.line),
      )
      cases.forEach(({line, path}, i) => {
        const words = offered(replies[i], line)
        if (path) assert.deepEqual(words, [...FILES].sort(), line)
        else for (const file of FILES) assert.ok(!words.includes(file), `${line} offers the file ${file}`)
      })
      assert.ok(cases.filter((c) => c.path).length >= 3)
      // Both commands of the sandbox's data file complete it as a path.
      for (const line of ['codika sandbox start --data ', 'codika sandbox outbox --data '])
        assert.ok(
          cases.some((c) => c.path && c.line === line),
          line,
        )
    })

    it('completes the shells of `codika completion`', () => {
      const [shells] = bashComplete(BASH_SETUP, ['codika completion '])
      assert.deepEqual(offered(shells, 'codika completion '), ['bash', 'fish', 'powershell', 'zsh'])
    })
  })

  describe(
    'zsh, from the files `codika completion --install` writes',
    {
      skip: skipUnless(['zsh'], 'the zsh completion tests load the generated script in zsh'),
    },
    () => {
      let zshHome = ''

      before(async () => {
        zshHome = homes.home()
        mkdirSync(join(zshHome, 'bin'))
        symlinkSync(BIN, join(zshHome, 'bin', 'codika'))
        writeConfig(zshHome, {
          activeProfile: null,
          profiles: Object.fromEntries(PROFILES.map((n) => [n, {apiKey: 'cko_x', type: 'org-api-key'}])),
        })
        mkdirSync(join(zshHome, 'work'))
        for (const file of FILES) writeFileSync(join(zshHome, 'work', file), '')
        const installed = await runCli(zshHome, ['completion', '--install', '--shell', 'zsh'])
        assert.equal(installed.code, 0, installed.stderr)
      })

      /** What an interactive zsh completes for `line` after running the setup file (~/.zshrc by default). */
      function zshComplete(line: string, setup = join(zshHome, '.zshrc')): string[] {
        const result = spawnSync('zsh', ['-f', join(FIXTURES, 'capture.zsh'), setup, line], {
          cwd: join(zshHome, 'work'),
          env: cleanEnv(zshHome, {PATH: `${join(zshHome, 'bin')}:${process.env.PATH}`}),
          encoding: 'utf8',
          timeout: 60_000,
        })
        assert.equal(result.status, 0, `zsh completion of "${line}" failed: ${result.stderr}`)
        return [...new Set(result.stdout.split('\n').filter(Boolean))].sort()
      }

      it('the generated file is valid zsh, and a new zsh starts from ~/.zshrc without a word on stderr', () => {
        const syntax = spawnSync('zsh', ['-f', '-n', join(zshHome, '.zsh', 'completions', '_codika')], {
          encoding: 'utf8',
        })
        assert.equal(syntax.status, 0, syntax.stderr)
        const start = spawnSync('zsh', ['-f', '-c', 'source ~/.zshrc && print -r -- $_comps[codika]'], {
          env: cleanEnv(zshHome),
          encoding: 'utf8',
        })
        assert.equal(start.status, 0, start.stderr)
        assert.equal(start.stderr, '')
        assert.equal(start.stdout.trim(), '_codika')
      })

      it('completes topics, commands, flags (--no-*, -p, -f) and flag values', () => {
        const subcommands = commands
          .filter((c) => c.id.startsWith('organization:'))
          .map((c) => c.id.split(':')[1])
          .sort()
        assert.deepEqual(zshComplete('codika org'), ['organization'])
        assert.deepEqual(zshComplete('codika organization '), subcommands)
        assert.deepEqual(zshComplete('codika organization create-key --sc'), ['--scopes'])
        assert.deepEqual(zshComplete('codika organization create-key --no'), ['--no-save'])
        assert.ok(zshComplete('codika whoami -').includes('-p'))
        assert.ok(zshComplete('codika login -').includes('-f'))
        const size = manifest.commands['organization:create']?.flags.size?.options
        assert.ok(size, 'organization create has --size options')
        assert.deepEqual(zshComplete('codika organization create --size '), [...size].sort())
        // _sequence offers the next scope after the comma (and shows the comma it would add as a suffix)
        assert.deepEqual(zshComplete('codika organization create-key --scopes dep'), ['deploy:use-case,'])
        assert.deepEqual(zshComplete('codika organization create-key --scopes deploy:use-case,wor'), [
          'deploy:use-case,workflows:trigger,',
        ])
      })

      it('completes profile names after use, profiles, logout, profile show and -p/--profile', () => {
        for (const line of [
          'codika use ',
          'codika profiles ',
          'codika config clear -p ',
          'codika logout ',
          'codika profile show ',
          'codika whoami -p ',
          'codika organization create-key --profile ',
        ])
          assert.deepEqual(zshComplete(line), [...PROFILES].sort(), line)
      })

      it('offers no file names for --name and --api-key, and file names for --logo', () => {
        for (const line of [
          'codika login --name ',
          'codika login --api-key ',
          'codika organization create --name ',
          'codika whoami ',
        ])
          for (const file of FILES) assert.ok(!zshComplete(line).includes(file), `${line} offers ${file}`)
        assert.deepEqual(zshComplete('codika organization create --logo '), [...FILES].sort())
        assert.deepEqual(zshComplete('codika sandbox outbox --data '), [...FILES].sort())
      })

      it("~/.zshrc's block also works where compinit has already run (oh-my-zsh and the like)", () => {
        const setup = join(zshHome, 'omz.zsh')
        writeFileSync(setup, 'autoload -Uz compinit && compinit -i -d ~/.zcompdump-omz\nsource ~/.zshrc\n')
        assert.deepEqual(zshComplete('codika use ', setup), [...PROFILES].sort())
        assert.deepEqual(zshComplete('codika organization create-key --no', setup), ['--no-save'])
      })

      it('also works sourced after compinit: source <(codika completion zsh)', () => {
        const setup = join(zshHome, 'sourced.zsh')
        writeFileSync(
          setup,
          'autoload -Uz compinit && compinit -i -d ~/.zcompdump-sourced\nsource <(codika completion zsh)\n',
        )
        assert.deepEqual(zshComplete('codika organization create-key --no', setup), ['--no-save'])
        assert.deepEqual(zshComplete('codika use ', setup), [...PROFILES].sort())
      })
    },
  )

  describe('fish', {skip: skipUnless(['fish'], 'the fish completion tests load the generated script in fish')}, () => {
    let script = ''

    before(async () => {
      const result = await runCli(home, ['completion', 'fish'])
      assert.equal(result.code, 0, result.stderr)
      script = join(home, 'codika.fish')
      writeFileSync(script, result.stdout)
    })

    /** The words fish offers for `line` (`complete -C`), descriptions dropped. */
    function fishComplete(line: string): string[] {
      const result = spawnSync('fish', ['--no-config', '-c', `source ${sh(script)}; complete -C ${sh(line)}`], {
        cwd: work,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      })
      assert.equal(result.status, 0, result.stderr)
      assert.equal(result.stderr, '')
      return [
        ...new Set(
          result.stdout
            .split('\n')
            .filter(Boolean)
            .map((l) => l.split('\t')[0]),
        ),
      ].sort()
    }

    it('the script passes `fish -n`', () => {
      const syntax = spawnSync('fish', ['-n', script], {encoding: 'utf8'})
      assert.equal(syntax.status, 0, syntax.stderr)
      assert.equal(syntax.stderr, '')
    })

    it('completes topics, commands, flags and flag values', () => {
      assert.deepEqual(fishComplete('codika org'), ['organization'])
      assert.deepEqual(
        fishComplete('codika organization '),
        commands
          .filter((c) => c.id.startsWith('organization:'))
          .map((c) => c.id.split(':')[1])
          .sort(),
      )
      const top = fishComplete('codika ')
      for (const {words} of commandLines) assert.ok(top.includes(words.split(' ')[0]), `codika <TAB> misses ${words}`)
      for (const {command, words} of commandLines) {
        const flags = fishComplete(`codika ${words} -`)
        for (const f of publicFlags(command)) {
          assert.ok(flags.includes(`--${f.name}`), `codika ${words} - misses --${f.name}`)
          if (f.char) assert.ok(flags.includes(`-${f.char}`), `codika ${words} - misses -${f.char}`)
          if (f.allowNo) assert.ok(flags.includes(`--no-${f.name}`), `codika ${words} - misses --no-${f.name}`)
        }
      }
      assert.deepEqual(
        fishComplete('codika organization create --size '),
        [...manifest.commands['organization:create'].flags.size.options!].sort(),
      )
      assert.deepEqual(fishComplete('codika organization create-key --scopes deploy:use-case,wor'), [
        'deploy:use-case,workflows:trigger',
      ])
      assert.deepEqual(fishComplete('codika organization create-key --scopes=skills:read,dep'), [
        '--scopes=skills:read,deploy:use-case',
      ])
    })

    it('completes profile names after use, profiles, logout, profile use|show|remove and -p/--profile', () => {
      for (const line of [
        'codika use ',
        'codika profiles ',
        'codika config show --profile ',
        'codika logout ',
        'codika profile use ',
        'codika profile show ',
        'codika profile remove ',
        'codika whoami -p ',
        'codika organization create-key --profile ',
      ])
        assert.deepEqual(fishComplete(line), [...PROFILES].sort(), line)
      assert.deepEqual(fishComplete('codika use acme '), [])
    })

    it('offers no file names for flags and arguments that are not paths; file names for --logo', () => {
      for (const line of ['codika login --name ', 'codika login --api-key ', 'codika whoami ', 'codika use acme '])
        for (const file of FILES) assert.ok(!fishComplete(line).includes(file), `${line} offers ${file}`)
      assert.deepEqual(fishComplete('codika organization create --logo '), [...FILES].sort())
    })
  })
})
