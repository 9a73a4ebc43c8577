// What 3.6.0 users type besides the command names (COMPAT.md): -V for --version, -h for --help at the top level and
// on every command, and `profiles [NAME]` as `use [NAME]`.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {assertJsonFailure, assertNoLeak, fileBytes, onlyJson, readConfig, writeConfig} from '../helpers/assertions.js'
import {configFile, ROOT, runCli, tempHomes} from '../helpers/cli.js'

const ACME_KEY = 'cko_AcmeCompatKey0123456789SecretAAAA'
const SANDBOX_KEY = 'ckp_SandboxCompatKey0123456789SecretBB'

const homes = tempHomes('codika-compat-')
after(homes.cleanup)

function withProfiles(): string {
  const h = homes.home()
  writeConfig(h, {
    activeProfile: 'acme',
    profiles: {
      acme: {apiKey: ACME_KEY, type: 'org-api-key'},
      sandbox: {apiKey: SANDBOX_KEY, type: 'personal-api-key', baseUrl: 'http://127.0.0.1:8787'},
    },
  })
  return h
}

describe('-V and -h', {concurrency: true}, () => {
  it('-V prints exactly what --version prints, exit 0', async () => {
    const h = homes.home()
    const [short, long] = await Promise.all([runCli(h, ['-V']), runCli(h, ['--version'])])
    assert.equal(short.code, 0, short.stderr)
    assert.match(short.stdout, /^codika\/\d+\.\d+\.\d+ \S+ node-v\d+/)
    assert.deepEqual([short.stdout, short.stderr], [long.stdout, long.stderr])
  })

  it('-h prints the same help as --help: codika, organization create-key, whoami, config clear', async () => {
    const h = homes.home()
    for (const words of [[], ['organization', 'create-key'], ['whoami'], ['config', 'clear'], ['organization']]) {
      const [short, long] = await Promise.all([runCli(h, [...words, '-h']), runCli(h, [...words, '--help'])])
      assert.equal(short.code, 0, `${words.join(' ')} -h: ${short.stderr}`)
      assert.match(short.stdout, /USAGE/)
      assert.deepEqual([short.stdout, short.stderr], [long.stdout, long.stderr], words.join(' '))
    }
    // Anywhere on the line, as --help: nothing runs, nothing is written.
    const help = await runCli(h, ['login', '--api-key', ACME_KEY, '-h'])
    assert.equal(help.code, 0)
    assert.match(help.stdout, /USAGE\n {2}\$ codika login/)
    assertNoLeak(help, [ACME_KEY])
    assert.equal(fileBytes(configFile(h)), null)
  })

  it('no command of codika has a -h or -V of its own that would be shadowed', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    for (const [id, command] of Object.entries<{flags: Record<string, {char?: string; type: string}>}>(
      manifest.commands,
    ))
      for (const [name, flag] of Object.entries(command.flags))
        assert.ok(flag.char !== 'h' && flag.char !== 'V', `${id} --${name} has -${flag.char}`)
    assert.ok(Object.keys(manifest.commands).includes('config:clear'), 'the control: the manifest lists them')
  })
})

describe('profiles [NAME]: 3.6.0 alias of use', {concurrency: true}, () => {
  it('no name lists, as use does (human and --json)', async () => {
    const h = withProfiles()
    const [profiles, use] = await Promise.all([runCli(h, ['profiles', '--json']), runCli(h, ['use', '--json'])])
    assert.equal(profiles.code, 0, profiles.stderr)
    assert.deepEqual(onlyJson(profiles), onlyJson(use))
    const human = await runCli(h, ['profiles'])
    assert.equal(human.stdout, (await runCli(h, ['use'])).stdout)
    assert.match(human.stdout, /\*\s+acme/)
    assertNoLeak(human, [ACME_KEY, SANDBOX_KEY])
  })

  it('a name switches, as use NAME does', async () => {
    const h = withProfiles()
    const result = await runCli(h, ['profiles', 'sandbox'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /✓ Switched to profile "sandbox"/)
    assert.equal(readConfig(h).activeProfile, 'sandbox')
    const doc = onlyJson(await runCli(h, ['profiles', 'acme', '--json']))
    assert.deepEqual([doc.activeProfile, doc.previousProfile], ['acme', 'sandbox'])
  })

  it('an unknown name: exit 2 with the known ones, file untouched', async () => {
    const h = withProfiles()
    const before = fileBytes(configFile(h))
    const doc = assertJsonFailure(await runCli(h, ['profiles', 'nope', '--json']), 2, 'PROFILE_NOT_FOUND')
    assert.match(doc.error.hint, /acme, sandbox/)
    assertJsonFailure(await runCli(h, ['profiles', 'a', 'b', '--json']), 2, 'INVALID_ARGUMENT')
    assert.deepEqual(fileBytes(configFile(h)), before)
  })

  it('profile list keeps working; the help of profile use names the alias', async () => {
    const h = withProfiles()
    const list = await runCli(h, ['profile', 'list', '--json'])
    assert.deepEqual(onlyJson(list), onlyJson(await runCli(h, ['profiles', '--json'])))
    const help = await runCli(h, ['profile', 'use', '--help'])
    assert.match(help.stdout, /ALIASES\n {2}\$ codika use\n {2}\$ codika profiles/)
  })
})
