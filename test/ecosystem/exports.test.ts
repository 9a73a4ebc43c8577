// The package's main export (what plugins import as 'codika'): the base commands, the client and its errors,
// credentials, the profile store, the scopes; resolved through package.json "exports", and light to import.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {ROOT} from '../helpers/cli.js'

// Imported by name at run time (not type-checked against dist/, which lint runs before building).
const PACKAGE: string = 'codika'
const load = (): Promise<typeof import('../../src/index.js')> => import(PACKAGE)

describe("import … from 'codika'", () => {
  it('exposes what a plugin needs, the same classes the built-in commands use', async () => {
    // Self-reference by package name goes through package.json "exports", as a plugin's import does.
    const codika = await load()
    for (const name of [
      'BaseCommand',
      'PlatformCommand',
      'CodikaClient',
      'CodikaError',
      'ProfileStore',
      'Flags',
      'Args',
    ])
      assert.ok(codika[name as keyof typeof codika], `missing export ${name}`)
    for (const name of [
      'resolveCredentials',
      'loadCredentials',
      'usageError',
      'toCodikaError',
      'maskKey',
      'redact',
      'keyTypeOf',
      'configPath',
    ])
      assert.equal(typeof codika[name as keyof typeof codika], 'function', `${name} is a function`)
    assert.deepEqual(codika.EXIT, {OK: 0, FAILURE: 1, USAGE: 2, CANCELLED: 130})
    assert.ok(codika.ORGANIZATION_SCOPE_NAMES.includes('deploy:use-case'))
    assert.ok(codika.PERSONAL_SCOPE_NAMES.includes(codika.ORGANIZATIONS_CREATE))
    assert.equal(codika.PRODUCTION_BASE_URL, 'https://api.codika.io')

    const {default: CreateKey} = await import(join(ROOT, 'dist', 'commands', 'organization', 'create-key.js'))
    assert.ok(
      CreateKey.prototype instanceof codika.PlatformCommand,
      'built-in commands extend the exported PlatformCommand',
    )
    assert.ok(codika.PlatformCommand.prototype instanceof codika.BaseCommand)

    const error = codika.usageError('INVALID_FLAG', 'bad')
    assert.ok(error instanceof codika.CodikaError)
    assert.equal(error.exitCode, 2)
  })

  it('resolves credentials and reads profiles as codika does', async () => {
    const codika = await load()
    const c = codika.resolveCredentials({apiKey: 'cko_FromTheFlag0123', apiUrl: 'http://127.0.0.1:9999'}, () => {
      throw new Error('no profile file needed with --api-key and --api-url')
    })
    assert.deepEqual(
      [c.apiKey, c.baseUrl, c.keySource, c.urlSource],
      ['cko_FromTheFlag0123', 'http://127.0.0.1:9999', 'flag', 'flag'],
    )
    const store = new codika.ProfileStore(join(ROOT, 'no-such-folder', 'config.json'))
    const file = store.read()
    assert.equal(file.activeProfile, null)
    // Profiles by name in an object without a prototype: a name is looked up as an own property only.
    assert.equal(Object.getPrototypeOf(file.profiles), null)
    assert.deepEqual(Object.keys(file.profiles), [])
  })

  it('loads neither ajv, undici, the sandbox nor a prompt library when imported', () => {
    // A resolve hook (on the loader thread) writes every module URL it resolves to stdout of the child.
    const hook = `
      export async function resolve(specifier, context, next) {
        const result = await next(specifier, context)
        process._rawDebug('loaded ' + result.url)
        return result
      }`
    const program = `
      import {register, createRequire} from 'node:module'
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}))
      await import('codika')
      for (const id of Object.keys(createRequire(import.meta.url).cache)) process._rawDebug('loaded ' + id)`
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], {cwd: ROOT, encoding: 'utf8'})
    assert.equal(result.status, 0, result.stderr)
    const loaded = result.stderr
      .split('\n')
      .filter((l) => l.startsWith('loaded '))
      .map((l) => l.slice(7))
    assert.ok(
      loaded.some((u) => u.endsWith('/dist/index.js')),
      `the hook saw the import:\n${result.stderr}`,
    )
    // oclif, from the build's bundle of it (lib/oclif/bundle.cts), which a plugin's commands then share.
    assert.ok(
      loaded.some((u) => u.endsWith('/dist/oclif-core.cjs')),
      'the hook sees dependencies too',
    )
    const heavy = loaded.filter((u) =>
      /node_modules\/(ajv|undici|node-sqlite3-wasm|@inquirer|@oclif\/table)\/|\/dist\/sandbox\//.test(u),
    )
    assert.deepEqual(heavy, [])
  })

  it('package.json points main, types and exports at the built entry', () => {
    const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    assert.equal(pjson.main, './dist/index.js')
    assert.equal(pjson.types, './dist/index.d.ts')
    assert.deepEqual(pjson.exports['.'], {types: './dist/index.d.ts', default: './dist/index.js'})
    const dts = readFileSync(join(ROOT, 'dist', 'index.d.ts'), 'utf8')
    assert.match(dts, /PlatformCommand/)
  })
})
