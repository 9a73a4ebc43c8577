// `codika completion --install` / `--uninstall` on real files in temporary homes: 3.6.0's setups (COMPAT.md) are
// replaced in place, running it twice changes nothing, uninstall takes out exactly what was put in, and no other line
// of an rc file moves. Also: a ~/.bashrc that 3.6.0 wrote starts a clean shell after the switch.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {onlyJson} from '../helpers/assertions.js'
import {BIN, cleanEnv, runCli, tempHomes} from '../helpers/cli.js'

const BEGIN = '# BEGIN codika completion'
const END = '# END codika completion'
/** What 3.6.0's `completion --install` put in ~/.bashrc. */
const OLD_BASH_BLOCK = [BEGIN, 'eval "$(codika completion bash)"', END]
/** What ours holds. */
const BASH_BLOCK = [BEGIN, 'if command -v codika >/dev/null 2>&1; then eval "$(codika completion bash)"; fi', END]
/** What 3.6.0 added to ~/.zshrc, and ours. */
const OLD_ZSH_LINES = ['fpath=(~/.zsh/completions $fpath)', 'autoload -Uz compinit && compinit -C']
const ZSH_BLOCK = [
  BEGIN,
  'fpath=(~/.zsh/completions $fpath)',
  'if (( $+functions[compdef] )); then autoload -Uz _codika && compdef _codika codika; else autoload -Uz compinit && compinit -i; fi',
  END,
]
/** A user's own lines around the block. */
const BEFORE = ['# ~/.bashrc of a user', 'export PATH="$HOME/bin:$PATH"', '']
const AFTER = ['', 'alias ll="ls -l"', '# the end']

const homes = tempHomes('codika-completion-install-')
after(homes.cleanup)

/** A home with `codika` on PATH; XDG_CONFIG_HOME unset unless asked for (fish then uses ~/.config, as 3.6.0 did). */
function newHome(): {home: string; env: Record<string, string | undefined>} {
  const home = homes.home()
  mkdirSync(join(home, 'bin'))
  symlinkSync(BIN, join(home, 'bin', 'codika'))
  return {home, env: {PATH: `${join(home, 'bin')}:${process.env.PATH}`, XDG_CONFIG_HOME: undefined}}
}

const lines = (path: string) => readFileSync(path, 'utf8').split('\n')
const text = (...parts: string[][]) => `${parts.flat().join('\n')}\n`

async function completion(home: string, env: Record<string, string | undefined>, ...args: string[]) {
  const result = await runCli(home, ['completion', ...args, '--json'], {env})
  assert.equal(result.code, 0, result.stderr || result.stdout)
  assert.equal(result.stderr, '')
  return onlyJson(result)
}

describe('completion --install / --uninstall: bash', () => {
  it("replaces 3.6.0's block in place, changes nothing the second time, and --uninstall leaves the user's lines", async () => {
    const {home, env} = newHome()
    const rc = join(home, '.bashrc')
    writeFileSync(rc, text(BEFORE, OLD_BASH_BLOCK, AFTER))

    const first = await completion(home, {...env, SHELL: '/bin/bash'}, '--install')
    assert.deepEqual(lines(rc), [...BEFORE, ...BASH_BLOCK, ...AFTER, ''])
    assert.deepEqual(first.files, [{path: rc, kind: 'block', change: 'replaced', lines: [4, 6]}])
    assert.equal(first.changed, true)
    assert.equal(first.shell, 'bash')

    const installed = readFileSync(rc)
    const second = await completion(home, {...env, SHELL: '/bin/bash'}, '--install')
    assert.deepEqual(readFileSync(rc), installed)
    assert.equal(second.changed, false)
    assert.equal(second.files[0].change, 'unchanged')

    const removed = await completion(home, {...env, SHELL: '/bin/bash'}, '--uninstall')
    assert.deepEqual(lines(rc), [...BEFORE, ...AFTER, ''])
    assert.equal(removed.files[0].change, 'removed')
    const again = await completion(home, {...env, SHELL: '/bin/bash'}, '--uninstall')
    assert.equal(again.changed, false)
    assert.equal(again.files[0].change, 'absent')
    assert.deepEqual(lines(rc), [...BEFORE, ...AFTER, ''])
  })

  it("adds the block at the end of an rc file without it, and --uninstall gives the user's lines back (a newline added only where the last one lacked it)", async () => {
    const {home, env} = newHome()
    const rc = join(home, '.bashrc')
    // No newline at the end, and a CRLF line: bytes other tools wrote are left as they are.
    const original = 'export A=1\r\nalias x=y'
    writeFileSync(rc, original)
    const installed = await completion(home, env, '--install', '--shell', 'bash')
    assert.deepEqual(lines(rc), ['export A=1\r', 'alias x=y', ...BASH_BLOCK, ''])
    assert.deepEqual(installed.files[0].lines, [3, 5])
    await completion(home, env, '--uninstall', '--shell', 'bash')
    // The newline that had to go before the block stays: it ends the user's last line.
    assert.equal(readFileSync(rc, 'utf8'), `${original}\n`)

    // A home without ~/.bashrc gets one holding the block only.
    const fresh = newHome()
    await completion(fresh.home, fresh.env, '--install', '--shell', 'bash')
    assert.equal(readFileSync(join(fresh.home, '.bashrc'), 'utf8'), text(BASH_BLOCK))
  })

  it('says what it changed, in words', async () => {
    const {home, env} = newHome()
    writeFileSync(join(home, '.bashrc'), text(BEFORE, OLD_BASH_BLOCK))
    const installed = await runCli(home, ['completion', '--install', '--shell', 'bash'], {env})
    assert.equal(installed.code, 0, installed.stderr)
    assert.match(installed.stdout, /bash completion installed/)
    assert.match(installed.stdout, /\.bashrc: replaced the former codika completion block \(lines 4–6\)/)
    assert.match(installed.stdout, /Open a new shell/)
    const again = await runCli(home, ['completion', '--install', '--shell', 'bash'], {env})
    assert.match(again.stdout, /already installed: nothing changed/)
    const removed = await runCli(home, ['completion', '--uninstall', '--shell', 'bash'], {env})
    assert.match(removed.stdout, /bash completion removed\.\n.*\.bashrc: removed the codika completion block/)
  })

  it('writes through a symbolic link and keeps the file mode', async () => {
    const {home, env} = newHome()
    const dotfiles = join(home, 'dotfiles')
    mkdirSync(dotfiles)
    const target = join(dotfiles, 'bashrc')
    writeFileSync(target, text(BEFORE))
    chmodSync(target, 0o600)
    symlinkSync(target, join(home, '.bashrc'))
    await completion(home, env, '--install', '--shell', 'bash')
    assert.ok(lstatSync(join(home, '.bashrc')).isSymbolicLink())
    assert.equal(readlinkSync(join(home, '.bashrc')), target)
    assert.deepEqual(lines(target), [...BEFORE, ...BASH_BLOCK, ''])
    assert.equal(statSync(target).mode & 0o777, 0o600)
    assert.deepEqual(readdirSync(dotfiles), ['bashrc'], 'no temporary file left behind')
  })

  it('a begin marker without an end marker: exit 1, the file untouched', async () => {
    const {home, env} = newHome()
    const rc = join(home, '.bashrc')
    const original = text(BEFORE, [BEGIN, 'eval "$(codika completion bash)"'], AFTER)
    writeFileSync(rc, original)
    for (const action of ['--install', '--uninstall']) {
      const result = await runCli(home, ['completion', action, '--shell', 'bash', '--json'], {env})
      assert.equal(result.code, 1, result.stderr)
      const doc = onlyJson(result)
      assert.equal(doc.error.code, 'CONFIG_UNREADABLE')
      assert.match(doc.error.message, /line 4/)
      assert.equal(readFileSync(rc, 'utf8'), original)
    }
  })

  it("an rc file that is a folder: exit 1, the file system's answer in words, nothing written", async () => {
    const {home, env} = newHome()
    const rc = join(home, '.bashrc')
    mkdirSync(rc)
    const result = await runCli(home, ['completion', '--install', '--shell', 'bash', '--json'], {env})
    assert.equal(result.code, 1, result.stderr)
    const doc = onlyJson(result)
    assert.equal(doc.error.code, 'CONFIG_UNREADABLE')
    assert.equal(doc.error.message, `Cannot read ${rc}: it is a folder.`)
    assert.deepEqual(readdirSync(rc), [])
  })

  it('a shell that 3.6.0 set up starts cleanly after the switch, and so does ours; ours also once codika is gone', () => {
    for (const block of [OLD_BASH_BLOCK, BASH_BLOCK]) {
      const {home, env} = newHome()
      writeFileSync(join(home, '.bashrc'), text(BEFORE, block, AFTER))
      const shell = spawnSync('bash', ['--norc', '--noprofile', '-c', 'source ~/.bashrc && complete -p codika'], {
        env: cleanEnv(home, env),
        encoding: 'utf8',
        timeout: 60_000,
      })
      assert.equal(shell.status, 0, shell.stderr)
      assert.equal(shell.stderr, '')
      assert.equal(shell.stdout, 'complete -F __codika_complete codika\n')
    }
    const {home} = newHome()
    writeFileSync(join(home, '.bashrc'), text(BASH_BLOCK))
    const gone = spawnSync('bash', ['--norc', '--noprofile', '-c', 'source ~/.bashrc'], {
      env: cleanEnv(home, {PATH: '/usr/bin:/bin'}),
      encoding: 'utf8',
    })
    assert.equal(gone.status, 0, gone.stderr)
    assert.equal(gone.stderr, '')
  })
})

describe('completion --install / --uninstall: zsh', () => {
  const zshFile = (home: string) => join(home, '.zsh', 'completions', '_codika')

  /** A home as 3.6.0 left it: its _codika beside another tool's file, its two lines in ~/.zshrc. */
  function oldZshHome() {
    const made = newHome()
    mkdirSync(join(made.home, '.zsh', 'completions'), {recursive: true})
    writeFileSync(zshFile(made.home), '#compdef codika\n# codika 3.6.0\n')
    writeFileSync(join(made.home, '.zsh', 'completions', '_other'), '#compdef other\n')
    writeFileSync(join(made.home, '.zshrc'), text(BEFORE, OLD_ZSH_LINES, AFTER))
    return made
  }

  it("replaces 3.6.0's file and lines, twice the same, and --uninstall leaves everything else", async () => {
    const {home, env} = oldZshHome()
    const zshrc = join(home, '.zshrc')
    const first = await completion(home, {...env, SHELL: '/usr/bin/zsh'}, '--install')
    assert.equal(first.shell, 'zsh')
    assert.deepEqual(first.files, [
      {path: zshFile(home), kind: 'file', change: 'written'},
      {path: zshrc, kind: 'block', change: 'replaced', lines: [4, 7]},
    ])
    assert.deepEqual(lines(zshrc), [...BEFORE, ...ZSH_BLOCK, ...AFTER, ''])
    const script = await runCli(home, ['completion', 'zsh'], {env})
    assert.equal(readFileSync(zshFile(home), 'utf8'), script.stdout)
    assert.equal(readFileSync(join(home, '.zsh', 'completions', '_other'), 'utf8'), '#compdef other\n')

    const second = await completion(home, {...env, SHELL: '/usr/bin/zsh'}, '--install')
    assert.equal(second.changed, false)
    assert.deepEqual(
      second.files.map((f: {change: string}) => f.change),
      ['unchanged', 'unchanged'],
    )
    assert.deepEqual(lines(zshrc), [...BEFORE, ...ZSH_BLOCK, ...AFTER, ''])

    const removed = await completion(home, {...env, SHELL: '/usr/bin/zsh'}, '--uninstall')
    assert.deepEqual(
      removed.files.map((f: {change: string}) => f.change),
      ['deleted', 'removed'],
    )
    assert.ok(!existsSync(zshFile(home)))
    assert.ok(existsSync(join(home, '.zsh', 'completions', '_other')))
    assert.deepEqual(lines(zshrc), [...BEFORE, ...AFTER, ''])
  })

  it('--uninstall on a setup 3.6.0 made removes its file and its two lines', async () => {
    const {home, env} = oldZshHome()
    const removed = await completion(home, env, '--uninstall', '--shell', 'zsh')
    assert.equal(removed.changed, true)
    assert.ok(!existsSync(zshFile(home)))
    assert.deepEqual(lines(join(home, '.zshrc')), [...BEFORE, ...AFTER, ''])
  })

  it('uses $ZDOTDIR/.zshrc when ZDOTDIR is set (the one zsh reads)', async () => {
    const {home, env} = newHome()
    const zdotdir = join(home, 'zsh-config')
    mkdirSync(zdotdir)
    await completion(home, {...env, ZDOTDIR: zdotdir}, '--install', '--shell', 'zsh')
    assert.deepEqual(lines(join(zdotdir, '.zshrc')), [...ZSH_BLOCK, ''])
    assert.ok(!existsSync(join(home, '.zshrc')))
  })
})

describe('completion --install / --uninstall: fish', () => {
  it("replaces 3.6.0's ~/.config/fish/completions/codika.fish, twice the same, and --uninstall deletes it alone", async () => {
    const {home, env} = newHome()
    const folder = join(home, '.config', 'fish', 'completions')
    mkdirSync(folder, {recursive: true})
    const file = join(folder, 'codika.fish')
    writeFileSync(file, '# codika 3.6.0\ncomplete -c codika -f\n')
    writeFileSync(join(folder, 'git.fish'), '# another tool\n')
    const first = await completion(home, {...env, SHELL: '/usr/bin/fish'}, '--install')
    assert.deepEqual(first.files, [{path: file, kind: 'file', change: 'written'}])
    const script = await runCli(home, ['completion', 'fish'], {env})
    assert.equal(readFileSync(file, 'utf8'), script.stdout)
    const second = await completion(home, {...env, SHELL: '/usr/bin/fish'}, '--install')
    assert.equal(second.files[0].change, 'unchanged')
    const removed = await completion(home, {...env, SHELL: '/usr/bin/fish'}, '--uninstall')
    assert.equal(removed.files[0].change, 'deleted')
    assert.deepEqual(readdirSync(folder), ['git.fish'])
  })

  it('follows XDG_CONFIG_HOME when it is set, as fish does', async () => {
    const {home, env} = newHome()
    const config = join(home, 'xdg')
    await completion(home, {...env, XDG_CONFIG_HOME: config}, '--install', '--shell', 'fish')
    assert.ok(existsSync(join(config, 'fish', 'completions', 'codika.fish')))
  })
})

describe('the installed zsh and fish files follow the commands (the postrun hook)', () => {
  it('`codika autocomplete --refresh-cache` rewrites the files codika wrote, and leaves any other alone', async () => {
    const {home, env} = newHome()
    await completion(home, env, '--install', '--shell', 'zsh')
    await completion(home, env, '--install', '--shell', 'fish')
    const zsh = join(home, '.zsh', 'completions', '_codika')
    const fish = join(home, '.config', 'fish', 'completions', 'codika.fish')
    const current = readFileSync(zsh, 'utf8')
    // A file from an older codika (its mark, other commands), and one that codika did not write.
    writeFileSync(zsh, '#compdef codika\n# codika completion for zsh, written by `codika completion zsh` (older)\n')
    writeFileSync(fish, '# my own fish completion for codika\n')
    const refreshed = await runCli(home, ['autocomplete', '--refresh-cache'], {env})
    assert.equal(refreshed.code, 0, refreshed.stderr)
    assert.equal(readFileSync(zsh, 'utf8'), current)
    assert.equal(readFileSync(fish, 'utf8'), '# my own fish completion for codika\n')
  })
})

describe('completion --install: wrong command lines (exit 2, nothing written)', () => {
  const cases: Array<[string, string[], Record<string, string | undefined>, RegExp]> = [
    ['no SHELL', ['--install'], {SHELL: undefined}, /SHELL is not set.*\n.*--shell bash\|zsh\|fish/],
    ['a shell it does not know', ['--install'], {SHELL: '/bin/tcsh'}, /SHELL=\/bin\/tcsh/],
    ['PowerShell', ['--install', '--shell', 'powershell'], {}, /Out-String \| Invoke-Expression/],
    ['--shell alone', ['--shell', 'bash'], {}, /--install, --uninstall/],
    [
      '--install with --uninstall',
      ['--install', '--uninstall', '--shell', 'bash'],
      {},
      /--install cannot be used with --uninstall/,
    ],
    ['two different shells', ['bash', '--install', '--shell', 'zsh'], {}, /Two shells named/],
    ['an unknown shell', ['tcsh'], {}, /Expected tcsh to be one of|tcsh/],
  ]
  for (const [what, args, extra, message] of cases) {
    it(what, async () => {
      const {home, env} = newHome()
      // (oclif's start-up code cache may appear under cache/: not a file of the user's shells)
      const files = () =>
        readdirSync(home)
          .filter((f) => f !== 'cache')
          .sort()
      const before = files()
      const result = await runCli(home, ['completion', ...args], {env: {...env, ...extra}})
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, message)
      assert.equal(result.stdout, '')
      assert.deepEqual(files(), before)
    })
  }
})
