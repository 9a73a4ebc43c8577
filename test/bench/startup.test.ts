// Guards the causes of a fast start (issue 7), never timings: what the quick commands load, and the manifest that
// lets oclif answer without importing every command.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {readdirSync, readFileSync, rmSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {BIN, cleanEnv, ROOT, tempHome} from '../helpers/cli.js'
import {type FakePlatform, startFakePlatform} from '../helpers/fake-platform.js'

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
]

interface TracedRun {
  code: number | null
  stdout: string
  stderr: string
  /** Every module file the process loaded, as absolute paths with forward slashes. */
  modules: string[]
}

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

function traced(args: string[], env: Record<string, string> = {}): Promise<TracedRun> {
  const trace = join(home.home, `trace-${process.hrtime.bigint()}.txt`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PROBE, BIN, ...args], {
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
      const modules = lines
        .filter((line) => line.startsWith('esm file:') || line.startsWith('cjs '))
        .map((line) => (line.startsWith('esm ') ? fileURLToPath(line.slice(4)) : line.slice(4)))
        .map((path) => path.split(sep).join('/'))
      resolve({code, stdout, stderr, modules: [...new Set(modules)]})
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

describe('start-up: quick commands load nothing heavy', () => {
  it('the trace sees both ES modules and CommonJS ones (else the checks below would prove nothing)', async () => {
    const run = await traced(['organization', 'create-key', '--help'])
    assert.equal(run.code, 0, run.stderr)
    assert.ok(run.modules.includes(BIN.split(sep).join('/')), 'bin/run.js (an ES module) is in the trace')
    assert.ok(loaded(run, /\/node_modules\/@oclif\/core\/lib\/config\/config\.js$/).length > 0, 'oclif core (CommonJS) is in the trace')
  })

  it('codika --version', async () => {
    const run = await traced(['--version'])
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^codika\/\d+\.\d+\.\d+/)
    assertLoadsNone(
      run,
      HEAVY.map(([name]) => name),
    )
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

  it("codika --version (answered without oclif) prints exactly oclif's own version line", async () => {
    const [fast, viaOclif] = await Promise.all([traced(['--version']), traced(['--version', '--json'])])
    assert.equal(fast.code, 0, fast.stderr)
    assert.match(fast.stdout, /^codika\/\d+\.\d+\.\d+ [a-z0-9]+-[a-z0-9]+ node-v\d+\.\d+\.\d+\n$/)
    assert.equal(fast.stdout, viaOclif.stdout)
    // The control: the second one really went through oclif.
    assert.deepEqual(loaded(fast, /\/node_modules\/@oclif\/core\//), [])
    assert.ok(loaded(viaOclif, /\/node_modules\/@oclif\/core\//).length > 0)
  })

  const createKey = (url: string) => [
    ...['organization', 'create-key', '--organization-id', 'org_1', '--name', 'Start-up Key'],
    ...['--scopes', 'deploy:use-case', '--api-key', 'ckp_CallerKey0123456789abcdef', '--api-url', url, '--no-save'],
  ]

  it('a real create-key validates with the validators generated at build time (no ajv compiler), sends with Node\'s fetch (no undici), and loads no sandbox, prompt or table', async () => {
    const run = await traced(createKey(platform.route('startup')))
    assert.equal(run.code, 0, run.stderr)
    assert.equal(platform.requestsTo('startup').length, 1)
    // The positive control: lazily imported modules do show up in the trace.
    assert.ok(loaded(run, /\/dist\/lib\/api\/validators\.generated\.js$/).length > 0, 'the generated validators checked the messages')
    assert.deepEqual(loaded(run, /\/node_modules\/ajv\/dist\/(ajv|core|compile\/index)\.js$/), [], 'no schema compiled at run time')
    assertLoadsNone(run, ['undici', 'the sandbox', 'node-sqlite3-wasm', '@inquirer', '@oclif/table', 'ink', 'react'])
  })

  it('with a proxy configured, create-key loads undici for its proxy agent', async () => {
    // NO_PROXY names the host, so the request still goes straight to the fake platform.
    const run = await traced(createKey(platform.route('startup-proxy')), {HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1'})
    assert.equal(run.code, 0, run.stderr)
    assert.equal(platform.requestsTo('startup-proxy').length, 1)
    assert.ok(loaded(run, /\/node_modules\/undici\//).length > 0, 'undici sent the request')
  })
})

describe('start-up: the manifest', () => {
  /** Command ids from the files under src/commands, as oclif derives them (`organization/create-key.ts`). */
  function sourceCommandIds(dir = join(ROOT, 'src', 'commands')): string[] {
    return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return sourceCommandIds(path)
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return []
      const parts = relative(join(ROOT, 'src', 'commands'), path).slice(0, -'.ts'.length).split(sep)
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
