// Builds examples/plugin-hello with the root's TypeScript, offline: the example finds `codika` through a
// node_modules/codika link to this repository (what `npm install` would make of its "file:../.." devDependency),
// and its other imports (@oclif/core, @types/node) from the repository's node_modules further up.
import {execFileSync} from 'node:child_process'
import {existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const example = join(root, 'examples', 'plugin-hello')
const require = createRequire(import.meta.url)

if (!existsSync(join(root, 'dist', 'index.d.ts'))) {
  console.error('Build codika first (npm run build): the example compiles against its dist/index.d.ts.')
  process.exit(1)
}

const link = join(example, 'node_modules', 'codika')
const target = relative(join(example, 'node_modules'), root) || '.'
let current
try {
  current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : 'not a link'
} catch {
  current = undefined
}
if (current !== target) {
  rmSync(link, {recursive: true, force: true})
  mkdirSync(join(example, 'node_modules'), {recursive: true})
  // A junction on Windows needs no privilege; elsewhere the type is ignored.
  symlinkSync(target, link, 'junction')
}

rmSync(join(example, 'dist'), {recursive: true, force: true})
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(example, 'tsconfig.json')], {
  cwd: example,
  stdio: 'inherit',
})

// The manifest lets codika list the example's commands without importing them on every start.
execFileSync(process.execPath, [join(dirname(require.resolve('oclif/package.json')), 'bin', 'run.js'), 'manifest'], {
  cwd: example,
  // no look-up of a newer oclif on the registry: the build stays offline
  env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'},
  stdio: ['ignore', 'ignore', 'inherit'],
})
