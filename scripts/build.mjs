// Builds the CLI: a clean compile of src/ into dist/, then the oclif manifest from dist/.
// The manifest is written only after the compile, so it can never describe stale code.
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
// The oclif dev tool would otherwise look for a newer version of itself on every build.
const env = {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}
const run = (bin, args) => execFileSync(process.execPath, [bin, ...args], {cwd: root, stdio: 'inherit', env})

rmSync(join(root, 'dist'), {force: true, recursive: true})
rmSync(join(root, 'oclif.manifest.json'), {force: true})
run(require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.build.json'])
run(join(dirname(require.resolve('oclif/package.json')), 'bin', 'run.js'), ['manifest'])
