// Guards the causes of a fast start (issue 7), never timings: what the quick commands load, oclif run from the
// build's bundle (help pages from its code cache, importing no ES module), and the manifest that lets oclif answer
// without importing every command.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import * as nodeModule from 'node:module'
import {tmpdir} from 'node:os'
import {join, relative, sep} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {writeConfig} from '../helpers/assertions.js'
import {BIN, cleanEnv, ROOT, tempHome} from '../helpers/cli.js'
import {type FakePlatform, json, okEnvelope, startFakePlatform} from '../helpers/fake-platform.js'
import {KEYRING_TOOLS, startPrivateKeyring} from '../helpers/keyring.js'
import {skipUnless} from '../helpers/tools.js'
import {readHeader} from '../../src/lib/oclif/bundle.cjs'

// Preloaded into the CLI: records every ES module resolved (a resolve hook) and every CommonJS module required.
const PROBE = pathToFileURL(join(ROOT, 'bench', 'probe.mjs')).href

/** What must not load on a path that does not use it (SPEC.md, "Speed"). */
const HEAVY: ReadonlyArray<[string, RegExp]> = [
  ['ajv', /\/node_modules\/ajv\//],
  ['undici', /\/node_modules\/undici\//],
  ['the sandbox', /\/(dist|src)\/sandbox\//],
  ['node-sqlite3-wasm', /\/node_modules\/node-sqlite3-wasm\//],
  ['@inquirer', /\/node_modules\/@inquirer\//],
  ['@oclif/table', /\/node_modules\/@oclif\/table\//],
  // What @oclif/table renders with.
  ['ink', /\/node_modules\/ink\//],
  ['react', /\/node_modules\/react\//],
  // The system credential store: only where a key is read from it or written to it.
  ['@napi-rs/keyring', /\/node_modules\/@napi-rs\/keyring/],
  ['the D-Bus probe', /\/(dist|src)\/lib\/profiles\/dbus-probe\./],
]

interface TracedRun {
  code: number | null
  stdout: string
  stderr: string
  /** Every module file the process loaded, as absolute paths with forward slashes. */
  files: string[]
  /** The files of those that Node's ES module loader resolved (an import, or the entry point itself). */
  esm: string[]
  /** Where codika's loader took @oclif/core from: the bundle compiled from the code cache or by require(). */
  oclif?: 'cached' | 'plain' | 'node_modules'
  /** The same, with dist/oclif-core.cjs (when loaded) standing for every module bundled in it. */
  modules: string[]
}

const slash = (path: string) => path.split(sep).join('/')
const BUNDLE = slash(join(ROOT, 'dist', 'oclif-core.cjs'))
/** The modules in the bundle, from its second line (scripts/build.mjs). */
const bundled = (): string[] =>
  (JSON.parse(readFileSync(BUNDLE, 'utf8').split('\n', 2)[1].slice(2)) as string[]).map((path) =>
    slash(join(ROOT, path)),
  )

let home: {home: string; cleanup(): void}
let platform: FakePlatform

before(async () => {
  home = tempHome('codika-startup-')
  platform = await startFakePlatform()
})
after(async () => {
  await platform.close()
  home.cleanup()
})

function traced(args: string[], env: Record<string, string> = {}, bin = BIN): Promise<TracedRun> {
  const trace = join(home.home, `trace-${process.hrtime.bigint()}.txt`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PROBE, bin, ...args], {
      cwd: home.home,
      env: cleanEnv(home.home, {...env, CODIKA_PROBE_FILE: trace, CODIKA_PROBE_MODULES: '1'}),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const lines = readFileSync(trace, 'utf8').split('\n')
      rmSync(trace, {force: true})
      const esm = lines
        .filter((line) => line.startsWith('esm file:'))
        .map((line) => slash(fileURLToPath(line.slice(4))))
      const oclif = lines.find((line) => line.startsWith('oclif '))?.slice(6) as TracedRun['oclif']
      const files = [...esm, ...lines.filter((line) => line.startsWith('cjs ')).map((line) => slash(line.slice(4)))]
      // Compiled by node:vm from the code cache, the bundle is in no module cache.
      if (oclif === 'cached') files.push(BUNDLE)
      const modules = files.includes(BUNDLE) ? [...files, ...bundled()] : files
      resolve({
        code,
        stdout,
        stderr,
        files: [...new Set(files)],
        esm: [...new Set(esm)],
        oclif,
        modules: [...new Set(modules)],
      })
    })
  })
}

const loaded = (run: TracedRun, pattern: RegExp) => run.modules.filter((path) => pattern.test(path))

function assertLoadsNone(run: TracedRun, names: readonly string[]) {
  for (const [name, pattern] of HEAVY.filter(([n]) => names.includes(n))) {
    const found = loaded(run, pattern)
    assert.deepEqual(found, [], `${name} was loaded:\n${found.slice(0, 5).join('\n')}`)
  }
}

const createKey = (url: string) => [
  ...['organization', 'create-key', '--organization-id', 'org_1', '--name', 'Start-up Key'],
  ...['--scopes', 'deploy:use-case', '--api-key', 'ckp_CallerKey0123456789abcdef', '--api-url', url, '--no-save'],
]

describe('start-up: quick commands load nothing heavy', () => {
  it('the trace sees both ES modules and CommonJS ones (else the checks below would prove nothing)', async () => {
    const command = await traced(createKey(platform.route('trace')))
    assert.equal(command.code, 0, command.stderr)
    assert.ok(
      command.files.includes(slash(join(ROOT, 'dist', 'commands', 'organization', 'create-key.js'))),
      'the command (an ES module) is in the trace',
    )
    const run = await traced(['organization', 'create-key', '--help'])
    assert.equal(run.code, 0, run.stderr)
    assert.ok(run.files.includes(slash(BIN)), 'bin/run.js (CommonJS) is in the trace')
    assert.ok(run.files.includes(BUNDLE), 'the bundle of oclif (CommonJS) is in the trace')
    // What the bundle holds counts as loaded: the checks below see every module of it.
    assert.ok(
      loaded(run, /\/node_modules\/@oclif\/core\/lib\/config\/config\.js$/).length > 0,
      'oclif core is in the trace',
    )
  })

  it('codika --version, and -V (3.6.0)', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await traced([flag])
      assert.equal(run.code, 0, run.stderr)
      assert.match(run.stdout, /^codika\/\d+\.\d+\.\d+/)
      assertLoadsNone(
        run,
        HEAVY.map(([name]) => name),
      )
    }
  })

  it('codika organization create-key --help', async () => {
    const run = await traced(['organization', 'create-key', '--help'])
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /--organization-id/)
    assertLoadsNone(
      run,
      HEAVY.map(([name]) => name),
    )
  })

  it("codika --version and -V (answered without oclif) print exactly oclif's own version line", async () => {
    const [fast, short, viaOclif, shortViaOclif] = await Promise.all([
      traced(['--version']),
      traced(['-V']),
      traced(['--version', '--json']),
      traced(['-V', '--json']),
    ])
    assert.equal(fast.code, 0, fast.stderr)
    assert.match(fast.stdout, /^codika\/\d+\.\d+\.\d+ [a-z0-9]+-[a-z0-9]+ node-v\d+\.\d+\.\d+\n$/)
    for (const run of [short, viaOclif, shortViaOclif]) assert.equal(run.stdout, fast.stdout)
    // The control: the last two really went through oclif (its additionalVersionFlags for -V).
    for (const run of [fast, short]) assert.deepEqual(loaded(run, /\/node_modules\/@oclif\/core\//), [])
    for (const run of [viaOclif, shortViaOclif]) assert.ok(loaded(run, /\/node_modules\/@oclif\/core\//).length > 0)
  })

  it('--version and use --list-names, written straight to fd 1, end quietly when the reader is gone (EPIPE)', async () => {
    const {home, cleanup} = tempHome()
    after(cleanup)
    writeConfig(home, {activeProfile: 'a', profiles: {a: {apiKey: 'cko_unused'}}})
    for (const args of [['--version'], ['use', '--list-names']]) {
      const child = spawn(process.execPath, [BIN, ...args], {env: cleanEnv(home), stdio: ['ignore', 'pipe', 'pipe']})
      // The read end closed before the CLI has started: its write fails with EPIPE.
      child.stdout.destroy()
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      assert.equal(stderr, '', args.join(' '))
      assert.equal(code, 0, args.join(' '))
    }
  })

  it("a real create-key validates with the validators generated at build time (no ajv compiler), sends with Node's fetch (no undici), and loads no sandbox, prompt or table", async () => {
    const run = await traced(createKey(platform.route('startup')))
    assert.equal(run.code, 0, run.stderr)
    assert.equal(platform.requestsTo('startup').length, 1)
    // The positive control: lazily imported modules do show up in the trace.
    assert.ok(
      loaded(run, /\/dist\/lib\/api\/validators\.generated\.js$/).length > 0,
      'the generated validators checked the messages',
    )
    assert.deepEqual(
      loaded(run, /\/node_modules\/ajv\/dist\/(ajv|core|compile\/index)\.js$/),
      [],
      'no schema compiled at run time',
    )
    assertLoadsNone(run, [
      ...['undici', 'the sandbox', 'node-sqlite3-wasm', '@inquirer', '@oclif/table', 'ink', 'react'],
      ...['@napi-rs/keyring', 'the D-Bus probe'],
    ])
  })

  it('with a proxy configured, create-key loads undici for its proxy agent', async () => {
    // NO_PROXY names the host, so the request still goes straight to the fake platform.
    const run = await traced(createKey(platform.route('startup-proxy')), {
      HTTP_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '127.0.0.1',
    })
    assert.equal(run.code, 0, run.stderr)
    assert.equal(platform.requestsTo('startup-proxy').length, 1)
    assert.ok(loaded(run, /\/node_modules\/undici\//).length > 0, 'undici sent the request')
  })
})

describe('start-up: the credential store loads only where a key is read or written there', () => {
  const everything = () => HEAVY.map(([name]) => name)
  it('neither --help, a topic, nor the completion script loads it', async () => {
    for (const args of [['--help'], ['profile', '--help'], ['login', '--help'], ['autocomplete', 'script', 'bash']]) {
      const run = await traced(args, {CODIKA_CREDENTIAL_STORE: 'auto'})
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`)
      assertLoadsNone(run, everything())
    }
  })

  it('a key kept in the file is read without it, and listing profiles needs it never', async () => {
    const url = platform.route('keyring-file', (_req, res) => json(res, 200, okEnvelope({type: 'personal-api-key'})))
    const profiles = join(home.home, 'file-profiles')
    const env = {XDG_CONFIG_HOME: join(profiles, 'config'), CODIKA_CREDENTIAL_STORE: 'auto'}
    writeConfig(profiles, {
      activeProfile: 'plain',
      profiles: {
        plain: {apiKey: 'ckp_FileKey0123456789abcdef', type: 'personal-api-key', baseUrl: url},
        stored: {
          type: 'personal-api-key',
          keyring: {service: 'codika', account: 'stored/0123456789ab'},
          maskedKey: 'ckp_Stor…abcd',
        },
      },
    })
    for (const args of [['whoami'], ['profile', 'list'], ['profile', 'show', 'stored']]) {
      const run = await traced(args, env)
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`)
      assertLoadsNone(run, ['@napi-rs/keyring', 'the D-Bus probe'])
    }
  })

  it('without a D-Bus session, saving a key probes the bus but never loads the native module', async () => {
    const run = await traced(['login', '--api-key', 'ckp_NoBus0123456789abcdef', '--skip-verify', '--json'], {
      CODIKA_CREDENTIAL_STORE: 'auto',
      XDG_CONFIG_HOME: join(home.home, 'no-bus'),
    })
    assert.equal(run.code, 0, run.stderr)
    assert.ok(loaded(run, /\/lib\/profiles\/dbus-probe\.js$/).length > 0, 'the probe ran')
    assertLoadsNone(run, ['@napi-rs/keyring'])
  })

  it(
    'the control: saving a key where a store answers loads it',
    {skip: skipUnless(KEYRING_TOOLS, 'the control runs in a private gnome-keyring')},
    async (t) => {
      const store = await startPrivateKeyring()
      t.after(() => store.close())
      const run = await traced(['login', '--api-key', 'ckp_WithBus0123456789abcdef', '--skip-verify', '--json'], {
        CODIKA_CREDENTIAL_STORE: 'auto',
        DBUS_SESSION_BUS_ADDRESS: store.address,
        XDG_CONFIG_HOME: join(home.home, 'with-bus'),
      })
      assert.equal(run.code, 0, run.stderr)
      assert.equal(JSON.parse(run.stdout).keyStore, 'keyring')
      assert.ok(loaded(run, /\/node_modules\/@napi-rs\/keyring\/index\.js$/).length > 0, 'the module was loaded')
    },
  )
})

describe('start-up: @oclif/core from the bundle', () => {
  const corePackage = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@oclif', 'core', 'package.json'), 'utf8'))
  /** Files of node_modules/@oclif/core that Node loaded itself: a second @oclif/core beside the bundle's. */
  const secondCore = (run: TracedRun) => run.files.filter((path) => path.includes('/node_modules/@oclif/core/'))

  it('the bundle holds @oclif/core at the installed version, and nothing heavy', () => {
    const bytes = readFileSync(BUNDLE)
    // The loader reads it as Latin-1: that reads ASCII right, and nothing else.
    assert.equal(
      bytes.findIndex((byte) => byte > 0x7f),
      -1,
      'the bundle is ASCII',
    )
    const header = readHeader(bytes.toString('latin1'))
    assert.equal(header?.core, corePackage.version)
    const inside = bundled()
    assert.ok(inside.some((path) => path.endsWith('/node_modules/@oclif/core/lib/config/config.js')))
    for (const [name, pattern] of HEAVY)
      assert.deepEqual(
        inside.filter((path) => pattern.test(path)),
        [],
        `${name} is bundled`,
      )
  })

  it("codika's commands and hooks run on the bundle's @oclif/core (no second copy); oclif's own plugins bring theirs", async () => {
    const command = await traced(createKey(platform.route('one-core')))
    assert.equal(command.code, 0, command.stderr)
    assert.ok(command.files.includes(BUNDLE))
    assert.deepEqual(secondCore(command), [])
    assert.ok(
      command.files.includes(slash(join(ROOT, 'dist', 'hooks', 'postrun.js'))),
      'the control: the postrun hook ran',
    )
    // @oclif/plugin-plugins imports @oclif/core itself: a copy of its own, as oclif supports for any plugin.
    const plugins = await traced(['plugins'])
    assert.equal(plugins.code, 0, plugins.stderr)
    assert.equal(plugins.stderr, '')
    assert.ok(
      plugins.files.some((path) => path.includes('/node_modules/@oclif/plugin-plugins/lib/commands/')),
      'the control: the plugin command ran',
    )
    assert.ok(secondCore(plugins).length > 0, 'the control: the plugin took @oclif/core from node_modules')
  })

  it('a help page imports no ES module: the one case in which oclif runs from the code cache', async () => {
    for (const args of [['organization', 'create-key', '--help'], ['--help'], [], ['-h'], ['whoami', '-h']]) {
      const run = await traced(args)
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.oclif, 'cached', args.join(' '))
      // Code compiled by node:vm imports an ES module only with an ExperimentalWarning (Node 20, 24).
      assert.equal(run.stderr, '', args.join(' '))
      assert.deepEqual(
        run.esm.filter((path) => path !== slash(BIN)),
        [],
        args.join(' '),
      )
      assert.ok(run.files.includes(slash(join(ROOT, 'dist', 'lib', 'oclif', 'help.cjs'))), 'codika help class')
    }
    // The control: a command imports its ES modules, and says nothing about it.
    const command = await traced(createKey(platform.route('esm')))
    assert.equal(command.code, 0, command.stderr)
    assert.equal(command.stderr, '')
    assert.equal(command.oclif, 'plain')
    assert.ok(command.esm.some((path) => path.endsWith('/dist/commands/organization/create-key.js')))
  })

  it('with a plugin installed or linked, a help page runs oclif without the code cache (its hooks may import)', async () => {
    // A linked plugin whose init hook is an ES module: oclif imports it before every help page.
    const plugin = join(home.home, 'plugin-with-init')
    mkdirSync(plugin, {recursive: true})
    writeFileSync(
      join(plugin, 'package.json'),
      JSON.stringify({
        name: 'codika-plugin-init',
        version: '1.0.0',
        type: 'module',
        oclif: {hooks: {init: './init.js'}},
      }),
    )
    writeFileSync(join(plugin, 'init.js'), 'export default async function () {}\n')
    const data = join(home.home, 'data-with-plugin')
    mkdirSync(join(data, 'codika'), {recursive: true})
    writeFileSync(
      join(data, 'codika', 'package.json'),
      JSON.stringify({oclif: {plugins: [{name: 'codika-plugin-init', type: 'link', root: plugin}]}}),
    )
    const run = await traced(['--help'], {XDG_DATA_HOME: data})
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stderr, '')
    assert.equal(run.oclif, 'plain')
    assert.ok(
      run.esm.some((path) => path.endsWith('/plugin-with-init/init.js')),
      'the control: the hook ran',
    )
    // …and an empty plugin list changes nothing.
    writeFileSync(join(data, 'codika', 'package.json'), JSON.stringify({oclif: {plugins: []}, dependencies: {}}))
    assert.equal((await traced(['--help'], {XDG_DATA_HOME: data})).oclif, 'cached')
  })

  it("oclif's own plugins and codika import nothing on a help page: no init hook, no command with dynamic help", () => {
    const manifests = ['.', 'node_modules/@oclif/plugin-help', 'node_modules/@oclif/plugin-autocomplete']
      .concat(['node_modules/@oclif/plugin-plugins'])
      .map((dir) => join(ROOT, dir))
    for (const dir of manifests) {
      const pjson = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      assert.deepEqual(
        Object.keys(pjson.oclif?.hooks ?? {}).filter((hook) => ['init', 'preparse'].includes(hook)),
        [],
        dir,
      )
      const manifest = JSON.parse(readFileSync(join(dir, 'oclif.manifest.json'), 'utf8'))
      for (const [id, command] of Object.entries<{hasDynamicHelp?: boolean}>(manifest.commands))
        assert.notEqual(command.hasDynamicHelp, true, `${dir}: ${id}`)
    }
  })

  it("changes no output: help pages, usage errors and an unknown command read as with oclif's own, unbundled", async (t) => {
    // A copy of the package without the bundle (bin/run.js falls back to node_modules/@oclif/core there) and with
    // oclif's own help class instead of codika's (lib/oclif/help.cts).
    const plain = mkdtempSync(join(tmpdir(), 'codika-no-bundle-'))
    t.after(() => rmSync(plain, {recursive: true, force: true}))
    for (const entry of ['bin', 'dist', 'package.json', 'oclif.manifest.json'])
      cpSync(join(ROOT, entry), join(plain, entry), {recursive: true})
    rmSync(join(plain, 'dist', 'oclif-core.cjs'))
    const pjson = JSON.parse(readFileSync(join(plain, 'package.json'), 'utf8'))
    assert.equal(pjson.oclif.helpClass, './dist/lib/oclif/help.cjs')
    delete pjson.oclif.helpClass
    writeFileSync(join(plain, 'package.json'), JSON.stringify(pjson))
    symlinkSync(join(ROOT, 'node_modules'), join(plain, 'node_modules'), 'junction')
    const cases = [
      ['--help'],
      ['organization', '--help'],
      ['organization', 'create-key', '--help'],
      ['help', 'profile', 'list'],
      ['plugins', '--help'],
      ['organization', 'create-key', '--name', 'x'],
      ['organisation', 'create-key'],
      ['autocomplete', 'script', 'bash'],
      ['help', 'organization', 'update-key'],
      ['sandbox', 'start', '--help'],
      [],
    ]
    for (const args of cases) {
      const [bundled, unbundled] = await Promise.all([traced(args), traced(args, {}, join(plain, 'bin', 'run.js'))])
      assert.ok(bundled.files.includes(BUNDLE) && !unbundled.files.some((path) => path.endsWith('/oclif-core.cjs')))
      // The control: the copy ran oclif from its own modules, and its own help.
      assert.ok(unbundled.files.some((path) => path.endsWith('/node_modules/@oclif/core/lib/config/config.js')))
      assert.ok(!unbundled.files.some((path) => path.endsWith('/dist/lib/oclif/help.cjs')))
      assert.deepEqual(
        {
          code: unbundled.code,
          stdout: unbundled.stdout,
          stderr: unbundled.stderr.replaceAll(plain, ROOT.replace(/[\\/]$/, '')),
        },
        {code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr},
        args.join(' '),
      )
    }
  })

  describe('the code cache', () => {
    const cacheHome = (name: string) => join(home.home, name)
    const cacheFile = (name: string) => {
      const {hash} = readHeader(readFileSync(BUNDLE, 'utf8'))!
      return join(
        cacheHome(name),
        'codika',
        'code-cache',
        `oclif-core-${hash}-node${process.versions.node}-${process.arch}.bin`,
      )
    }
    const help = (env: Record<string, string>) => traced(['organization', 'create-key', '--help'], env)

    it('is written by the first run under $XDG_CACHE_HOME/codika, for this bundle and this Node, and used as is after', async () => {
      const file = cacheFile('cache-first')
      const first = await help({XDG_CACHE_HOME: cacheHome('cache-first')})
      assert.equal(first.code, 0, first.stderr)
      assert.ok(existsSync(file), 'the first run wrote the cache')
      if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600)
      const written = statSync(file)
      const second = await help({XDG_CACHE_HOME: cacheHome('cache-first')})
      assert.equal(second.code, 0, second.stderr)
      assert.equal(second.stdout, first.stdout)
      assert.equal(second.stderr, '')
      // V8 accepted it: a rejected cache would have been written anew (a new file renamed over it).
      const after = statSync(file)
      assert.deepEqual([after.ino, after.mtimeMs], [written.ino, written.mtimeMs])
    })

    it('a damaged cache is rejected, silently, and replaced; of the caches of other builds, the 3 newest are kept', async () => {
      const file = cacheFile('cache-damaged')
      const dir = join(file, '..')
      mkdirSync(dir, {recursive: true})
      writeFileSync(file, Buffer.alloc(4096, 7))
      // Other builds' caches, one day older each.
      const others = [1, 2, 3, 4, 5].map((age) => {
        const other = join(dir, `oclif-core-000000000000000${age}-node18.0.0-x64.bin`)
        writeFileSync(other, 'another build')
        const time = new Date(Date.now() - age * 86_400_000)
        utimesSync(other, time, time)
        return other
      })
      const run = await help({XDG_CACHE_HOME: cacheHome('cache-damaged')})
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.stderr, '')
      assert.match(run.stdout, /--organization-id/)
      assert.notDeepEqual(readFileSync(file), Buffer.alloc(4096, 7))
      assert.deepEqual(
        others.map((other) => existsSync(other)),
        [true, true, true, false, false],
      )
    })

    it('a command (not a help page) neither reads nor writes it', async () => {
      const run = await traced(createKey(platform.route('no-cache')), {XDG_CACHE_HOME: cacheHome('cache-command')})
      assert.equal(run.code, 0, run.stderr)
      assert.ok(run.files.includes(BUNDLE), 'the control: oclif ran from the bundle')
      assert.equal(existsSync(join(cacheHome('cache-command'), 'codika', 'code-cache')), false)
    })

    it("on Node 22.1 and later, Node's own compile cache keeps what a command compiles, under $XDG_CACHE_HOME/codika", async (t) => {
      if (typeof (nodeModule as {enableCompileCache?: unknown}).enableCompileCache !== 'function') {
        t.skip(`Node ${process.version} has no module.enableCompileCache (22.1 and later have it; CI runs them)`)
        return
      }
      const env = {XDG_CACHE_HOME: cacheHome('node-compile-cache')}
      const first = await traced(createKey(platform.route('compile-cache')), env)
      assert.equal(first.code, 0, first.stderr)
      const dir = join(cacheHome('node-compile-cache'), 'codika', 'node-compile-cache')
      assert.ok(readdirSync(dir, {recursive: true}).length > 1, 'Node wrote its compile cache')
      const second = await traced(createKey(platform.route('compile-cache')), env)
      assert.equal(second.code, 0, second.stderr)
      assert.equal(second.stdout, first.stdout)
      assert.equal(second.stderr, '')
      // NODE_DISABLE_COMPILE_CACHE leaves it off: nothing written.
      const off = await traced(createKey(platform.route('compile-cache')), {
        XDG_CACHE_HOME: cacheHome('node-compile-cache-off'),
        NODE_DISABLE_COMPILE_CACHE: '1',
      })
      assert.equal(off.code, 0, off.stderr)
      assert.equal(existsSync(join(cacheHome('node-compile-cache-off'), 'codika', 'node-compile-cache')), false)
    })

    it('lives where oclif keeps its own caches: a relative XDG_CACHE_HOME is ignored by both (the XDG rule)', async () => {
      // The completion setup names oclif's Config#cacheDir.
      const run = await traced(['autocomplete', 'script', 'bash'], {XDG_CACHE_HOME: 'relative/cache'})
      assert.equal(run.code, 0, run.stderr)
      const expected = join(home.home, '.cache', 'codika')
      assert.match(run.stdout, new RegExp(`=${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/autocomplete/`))
      const help = await traced(['--help'], {XDG_CACHE_HOME: 'relative/cache'})
      assert.equal(help.code, 0, help.stderr)
      assert.ok(readdirSync(join(expected, 'code-cache')).some((name) => name.startsWith('oclif-core-')))
      assert.equal(existsSync(join(home.home, 'relative')), false)
    })

    it('an unwritable cache folder changes nothing but the speed: same output, no warning', async () => {
      // A file where the cache folder should be: nothing can be created under it.
      const blocked = cacheHome('cache-blocked')
      writeFileSync(blocked, 'not a folder')
      const run = await help({XDG_CACHE_HOME: blocked})
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.stderr, '')
      assert.equal(run.stdout, (await help({XDG_CACHE_HOME: cacheHome('cache-first')})).stdout)
    })
  })
})

describe('start-up: the manifest', () => {
  /** Command ids from the files under src/commands, as oclif derives them (`organization/create-key.ts`). */
  function sourceCommandIds(dir = join(ROOT, 'src', 'commands')): string[] {
    return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return sourceCommandIds(path)
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return []
      const parts = relative(join(ROOT, 'src', 'commands'), path)
        .slice(0, -'.ts'.length)
        .split(sep)
      if (parts.at(-1) === 'index') parts.pop()
      return [parts.join(':')]
    })
  }

  it('the built oclif.manifest.json lists every command in src/commands, for this version, loadable from it', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    // oclif ignores a manifest of another version and imports every command file instead.
    assert.equal(manifest.version, pjson.version)
    const ids = sourceCommandIds()
    assert.ok(ids.includes('organization:create-key'))
    assert.deepEqual(Object.keys(manifest.commands).sort(), ids.sort())
    for (const id of ids) {
      // Without these, oclif searches for the command's file instead of importing it straight away.
      assert.ok(Array.isArray(manifest.commands[id].relativePath), `${id}: relativePath`)
      assert.equal(manifest.commands[id].isESM, true, `${id}: isESM`)
    }
  })
})
