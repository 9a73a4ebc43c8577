// What `npm pack` would publish (a dry run: no network, nothing written): dist/, bin/run.js, a manifest listing
// every command, README, LICENSE, package.json and the shrinkwrap, nothing else; and an honest engines.node.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {describe, it} from 'node:test'

import {ROOT} from '../helpers/cli.js'

const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: ROOT, encoding: 'utf8'})
  return (JSON.parse(out)[0].files as Array<{path: string}>).map((f) => f.path).sort()
}

function walk(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  )
}

/** The command ids oclif derives from the compiled command files (dist/commands/a/b.js → a:b). */
function compiledCommandIds(): string[] {
  const dir = join(ROOT, 'dist', 'commands')
  return walk(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) =>
      relative(dir, f)
        .slice(0, -3)
        .split(sep)
        .filter((part) => part !== 'index')
        .join(':'),
    )
    .sort()
}

describe('npm pack', () => {
  it('holds dist/, bin/run.js (and the bin/package.json that makes it CommonJS), the manifest, README, LICENSE, package.json and npm-shrinkwrap.json only', () => {
    const files = packedFiles()
    const top = [
      'LICENSE',
      'README.md',
      'bin/package.json',
      'bin/run.js',
      'npm-shrinkwrap.json',
      'oclif.manifest.json',
      'package.json',
    ]
    assert.deepEqual(
      files.filter((f) => !f.startsWith('dist/')),
      top,
    )
    // .cjs: the build's bundle of @oclif/core and its loader (src/lib/oclif/bundle.cts), with its .d.cts.
    const strays = files.filter((f) => f.startsWith('dist/') && !/\.(c?js|d\.c?ts)$/.test(f))
    assert.deepEqual(strays, [], 'no source maps or other files under dist/')
    assert.ok(files.includes('dist/oclif-core.cjs'), 'the bundle of @oclif/core is shipped')
    // every compiled file is shipped, and its types (the package exports types for plugins)
    const built = walk(join(ROOT, 'dist'))
      .map((f) => relative(ROOT, f).split(sep).join('/'))
      .filter((f) => !f.endsWith('.map'))
    assert.deepEqual(
      files.filter((f) => f.startsWith('dist/')),
      built.sort(),
    )
    assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts'))
  })

  it('the manifest lists every command, with its flags', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    assert.equal(manifest.version, pjson.version)
    const ids = compiledCommandIds()
    assert.ok(ids.includes('organization:create-key'))
    assert.deepEqual(Object.keys(manifest.commands).sort(), ids)
    for (const command of Object.values<any>(manifest.commands)) {
      assert.ok(command.summary || command.description, `${command.id} has a summary`)
      assert.ok(Object.keys(command.flags).length > 0, `${command.id} has flags`)
    }
    // The hooks package.json declares are in the build.
    for (const target of Object.values<string>(pjson.oclif.hooks)) assert.ok(existsSync(join(ROOT, target)), target)
  })

  it('npm-shrinkwrap.json is the lock file: it pins the tree of package.json', () => {
    assert.ok(
      !existsSync(join(ROOT, 'package-lock.json')),
      'one lock file: npm would ignore package-lock.json next to a shrinkwrap',
    )
    const lock = JSON.parse(readFileSync(join(ROOT, 'npm-shrinkwrap.json'), 'utf8'))
    assert.equal(lock.name, pjson.name)
    assert.deepEqual(lock.packages[''].dependencies, pjson.dependencies)
    assert.deepEqual(lock.packages[''].devDependencies, pjson.devDependencies)
    for (const name of Object.keys(pjson.dependencies)) {
      const entry = lock.packages[`node_modules/${name}`]
      assert.ok(entry?.version && entry.integrity, `${name} is pinned to a version with its integrity`)
      assert.ok(!entry.dev, `${name} is a runtime dependency`)
    }
  })

  it('engines.node is the real minimum: every runtime dependency accepts it, and one needs exactly it', () => {
    const minimum = /^>=(\d+\.\d+\.\d+)$/.exec(pjson.engines.node)?.[1]
    assert.ok(minimum, `engines.node is ">=x.y.z": ${pjson.engines.node}`)
    const lock = JSON.parse(readFileSync(join(ROOT, 'npm-shrinkwrap.json'), 'utf8'))
    const ranges = Object.entries<any>(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.dev && entry.engines?.node)
      .map(([path, entry]) => ({path, range: entry.engines.node as string}))
    const refusing = ranges.filter((r) => !satisfies(minimum, r.range))
    assert.deepEqual(refusing, [], `runtime dependencies that refuse Node ${minimum}`)
    const [major, minor, patch] = minimum.split('.').map(Number)
    const below = patch > 0 ? `${major}.${minor}.${patch - 1}` : `${major}.${minor - 1}.999`
    assert.ok(
      ranges.some((r) => !satisfies(below, r.range)),
      `no runtime dependency needs ${minimum}: the minimum could be lower than stated`,
    )
  })
})

/** Enough of semver's range syntax for engines fields: `||` of space-separated `>=`, `>`, `^`, `~` and bare versions. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version)
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replaceAll(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => {
        const [, op, text] = /^([<>=^~]*)(.+)$/.exec(comparator)!
        const parts = text.split('.').filter((p) => p !== 'x' && p !== '*')
        const c = parse(text)
        const cmp = compare(v, c)
        if (op === '>=') return cmp >= 0
        if (op === '>') return cmp > 0
        if (op === '<') return cmp < 0
        if (op === '<=') return cmp <= 0
        if (op === '^') return cmp >= 0 && v[0] === c[0]
        if (op === '~') return cmp >= 0 && v[0] === c[0] && v[1] === c[1]
        // a bare version: equal on the parts given (20 means 20.x.x)
        return parts.every((p, i) => v[i] === Number(p))
      }),
  )
}

function parse(text: string): number[] {
  const parts = text.split('.').map((p) => Number.parseInt(p, 10))
  return [0, 1, 2].map((i) => (Number.isNaN(parts[i]) || parts[i] === undefined ? 0 : parts[i]))
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}
