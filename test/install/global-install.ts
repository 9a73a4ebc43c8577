// `npm run test:install`: the tarball `npm pack` makes, installed with `npm install -g` into an empty prefix, is a
// working codika. Not a *.test.ts file, so `npm test` leaves it out: it needs npm's package cache or the npm
// registry (nothing else), and takes ten seconds or more; .ci/run runs it after `npm test`.
import assert from 'node:assert/strict'
import {execFile, execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'

import {assertNoLeak, onlyJson} from '../helpers/assertions.js'
import {cleanEnv, configFile, ROOT, tempHome} from '../helpers/cli.js'
import {startTestSandbox, type TestSandbox} from '../sandbox/helpers.js'

const run = promisify(execFile)
const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

describe('npm pack, then npm install -g --prefix <empty folder>', () => {
  const {home, cleanup} = tempHome('codika-install-')
  const prefix = join(home, 'prefix')
  const installed = join(prefix, 'lib', 'node_modules', 'codika')
  const codika = join(prefix, 'bin', 'codika')
  let sandbox: TestSandbox

  /** The installed binary, as a user's shell would run it (its shebang finds node on PATH). */
  async function cli(...args: string[]) {
    try {
      const {stdout, stderr} = await run(codika, args, {cwd: home, env: cleanEnv(home), timeout: 60_000})
      return {code: 0, stdout, stderr}
    } catch (error) {
      const e = error as {code?: number; stdout?: string; stderr?: string}
      return {code: e.code ?? null, stdout: e.stdout ?? '', stderr: e.stderr ?? ''}
    }
  }

  before(async () => {
    // npm itself runs with the caller's own npm settings (registry, proxy, cache); only codika gets a temp home.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', home], {cwd: ROOT, encoding: 'utf8'}),
    )[0]
    const tarball = join(home, packed.filename)
    // --prefer-offline: the package cache first, the npm registry for anything missing; never anything else.
    execFileSync(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        tarball,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      {cwd: home, stdio: ['ignore', 'inherit', 'inherit']},
    )
    sandbox = await startTestSandbox()
  })
  after(async () => {
    await sandbox?.dispose()
    cleanup()
  })

  it('installs the bin and the runtime packages that npm-shrinkwrap.json pins', (t) => {
    assert.ok(existsSync(codika), 'bin/codika in the prefix')
    const lock = JSON.parse(readFileSync(join(installed, 'npm-shrinkwrap.json'), 'utf8'))
    const entries = Object.entries<any>(lock.packages).filter(([path]) => path !== '')
    // Pinned versions by package name. npm may place a package elsewhere than the shrinkwrap does (it hoists what
    // the shrinkwrap nests), so a package is matched by its name, wherever it landed.
    const pinned = new Map<string, Set<string>>()
    for (const [path, entry] of entries) {
      const name = packageName(path)
      if (!pinned.has(name)) pinned.set(name, new Set())
      pinned.get(name)!.add(entry.version)
    }
    const actual = installedPackages(installed)
    // Nothing installed that the shrinkwrap does not name at all…
    const unknown = actual.filter(({path}) => !pinned.has(packageName(path)))
    assert.deepEqual(unknown, [], 'installed packages that the shrinkwrap does not name')
    // …and versions as pinned. A global install of a tarball does not always honour its shrinkwrap (npm/cli#5349,
    // npm/cli#7977): when npm picks a newer release within the range, the test says which one, and fails only when
    // more than one package drifted (then the shrinkwrap is stale: \`npm dedupe\` and commit it).
    const drifted = actual.filter(({path, version}) => !pinned.get(packageName(path))!.has(version))
    for (const {path, version} of drifted)
      t.diagnostic(
        `${path}: npm installed ${version}, the shrinkwrap pins ${[...pinned.get(packageName(path))!].join(', ')}`,
      )
    assert.ok(drifted.length <= 1, `packages at versions the shrinkwrap does not pin: ${JSON.stringify(drifted)}`)
    // …and every runtime package is installed (dev ones are not, optional ones may be skipped by platform).
    const present = new Set(actual.map((p) => packageName(p.path)))
    const missing = entries
      .filter(([, e]) => !e.dev && !e.devOptional && !e.optional && !e.inBundle)
      .map(([path]) => packageName(path))
      .filter((name) => !present.has(name))
    assert.deepEqual(missing, [], 'runtime packages of the shrinkwrap that were not installed')
    for (const tool of ['typescript', 'eslint', 'tsx', 'oclif'])
      assert.ok(!existsSync(join(installed, 'node_modules', tool)), `${tool} (dev) installed`)
  })

  it('runs --version, --help and organization create-key --help', async () => {
    const version = await cli('--version')
    assert.equal(version.code, 0, version.stderr)
    assert.match(version.stdout, new RegExp(`^codika/${pjson.version.replaceAll('.', '\\.')} `))

    const help = await cli('--help')
    assert.equal(help.code, 0, help.stderr)
    for (const word of ['organization', 'profile', 'autocomplete', 'plugins'])
      assert.match(help.stdout, new RegExp(`\\b${word}\\b`))

    const createKeyHelp = await cli('organization', 'create-key', '--help')
    assert.equal(createKeyHelp.code, 0, createKeyHelp.stderr)
    assert.match(createKeyHelp.stdout, /--scopes/)
    assert.match(createKeyHelp.stdout, /codika organization create-key --organization-id/)
    assert.equal(createKeyHelp.stderr, '')
    // oclif ran from the installed bundle (src/lib/oclif/bundle.cts): only that run writes a code cache.
    assert.ok(
      readdirSync(join(home, 'cache', 'codika', 'code-cache')).some((f) => /^oclif-core-\w+-node.+\.bin$/.test(f)),
    )
  })

  it('creates a key against the sandbox and saves it as a profile', async () => {
    const owner = sandbox.seeded!.owner.apiKey
    const result = await cli(
      'organization',
      'create-key',
      '--api-key',
      owner,
      '--api-url',
      sandbox.url,
      '--organization-id',
      sandbox.seeded!.organizationId,
      '--name',
      'Installed CLI',
      '--scopes',
      'deploy:use-case,workflows:trigger',
      '--json',
    )
    assert.equal(result.code, 0, result.stderr)
    const doc = onlyJson(result as any)
    assert.equal(doc.success, true)
    assert.match(doc.data.apiKey, /^cko_/)
    assert.deepEqual(doc.data.scopes, ['deploy:use-case', 'workflows:trigger'])
    const file = JSON.parse(readFileSync(configFile(home), 'utf8'))
    assert.equal(file.activeProfile, doc.profile)
    assert.equal(file.profiles[doc.profile].apiKey, doc.data.apiKey)
    assertNoLeak(result as any, [owner])
  })

  it('its plugins and completion work from the install', async () => {
    const plugins = await cli('plugins', '--core')
    assert.equal(plugins.code, 0, plugins.stderr)
    assert.match(plugins.stdout, /@oclif\/plugin-autocomplete/)
    const script = await cli('autocomplete', 'script', 'bash')
    assert.equal(script.code, 0, script.stderr)
    assert.ok(existsSync(join(home, 'cache', 'codika', 'autocomplete', 'functions', 'bash', 'codika.bash')))
    const typo = await cli('organisation', 'create-key')
    assert.equal(typo.code, 2)
    assert.match(typo.stderr, /Did you mean "codika organization create-key"\?/)
  })
})

/** Every package installed under `root` (nested ones included), by its path from `root`. */
/** The package a lock path names: node_modules/a/node_modules/@s/b → @s/b. */
function packageName(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
}

function installedPackages(root: string, base = ''): Array<{path: string; version: string}> {
  const dir = join(root, base, 'node_modules')
  if (!existsSync(dir)) return []
  const found: Array<{path: string; version: string}> = []
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue
    const names = entry.name.startsWith('@')
      ? readdirSync(join(dir, entry.name)).map((n) => `${entry.name}/${n}`)
      : [entry.name]
    for (const name of names) {
      const path = `${base ? `${base}/` : ''}node_modules/${name}`
      const manifest = JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8'))
      found.push({path, version: manifest.version})
      // a package's bundled dependencies (npm's own) come inside its tarball, not from the install plan
      if (!manifest.bundleDependencies && !manifest.bundledDependencies) found.push(...installedPackages(root, path))
    }
  }
  return found
}
