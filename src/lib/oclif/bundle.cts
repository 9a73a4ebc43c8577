// Start-up (issue 7): runs @oclif/core from dist/oclif-core.cjs, the one-file bundle scripts/build.mjs makes of it,
// with a V8 code cache, and makes that the process's only @oclif/core. Importing oclif's ~110 separate modules is
// most of a bare `codika … --help`; one file, compiled from the cache, costs a fraction of it.
//
// CommonJS (.cts), like bin/run.js: a help page then never starts Node's ES module loader.
//
// "The only one": every module of node_modules/@oclif/core that a package export names is put into Node's module
// cache, holding the bundle's objects. codika's own modules, oclif's plugins and a plugin importing 'codika' all
// resolve '@oclif/core' there, so one Config, one Command class and one set of flag helpers serve the process.
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {createRequire, Module} from 'node:module'
import {homedir, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {Script} from 'node:vm'

import type * as OclifCore from '@oclif/core'

type Core = typeof OclifCore

/** What the build writes on the bundle's first line, after `//`. */
export interface BundleHeader {
  /** The version of @oclif/core bundled. */
  core: string
  /** A hash of the bundle's code (everything after the header lines). */
  hash: string
}

/** Node's module cache and search paths: documented only as internals, stable since Node 0.x. */
const Modules = Module as unknown as {
  _cache: Record<string, InstanceType<typeof Module> | undefined>
  _nodeModulePaths(from: string): string[]
  new (id: string, parent?: unknown): InstanceType<typeof Module>
}

const BUNDLE = join(__dirname, '..', '..', 'oclif-core.cjs')
/** The name under which the bundle reaches the dynamic import() calls of oclif (see scripts/build.mjs). */
export const IMPORT_PARAMETER = '__codikaImport'

/**
 * @oclif/core, from the bundle when there is one that matches the installed @oclif/core, else from node_modules
 * (a build without the bundle, or node_modules changed since the build).
 */
export function loadOclif(): Core {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only without a usable bundle, and only then
  return loadBundle() ?? (require('@oclif/core') as Core)
}

export function readHeader(source: string): BundleHeader | undefined {
  if (!source.startsWith('//{')) return undefined
  try {
    const header = JSON.parse(source.slice(2, source.indexOf('\n'))) as Partial<BundleHeader>
    return typeof header.core === 'string' && typeof header.hash === 'string' ? (header as BundleHeader) : undefined
  } catch {
    return undefined
  }
}

function loadBundle(file = BUNDLE): Core | undefined {
  let source: string
  try {
    // The build writes it in ASCII: Latin-1 reads it the fastest, into a one-byte string.
    source = readFileSync(file, 'latin1')
  } catch {
    return undefined
  }
  const header = readHeader(source)
  if (!header) return undefined
  const core = installedCore(file)
  if (!core) return undefined
  const coreMain = join(core.root, 'lib', 'index.js')
  // Already loaded from node_modules (not through bin/run.js): that copy stays the only one.
  const loaded = Modules._cache[coreMain]
  if (loaded?.loaded) return loaded.exports as Core
  if (core.version !== header.core) return undefined

  const cacheFile = codeCacheFile(header)
  const cachedData = cacheFile === undefined ? undefined : readCodeCache(cacheFile)
  // Node's own CommonJS wrapper, plus the import() oclif loads ES module commands and plugins with: code compiled
  // by node:vm cannot call import() itself on Node 20.
  const wrapper = `(function (exports, require, module, __filename, __dirname, ${IMPORT_PARAMETER}) {${source}\n})`
  const script = new Script(wrapper, {filename: file, cachedData})
  const bundle = new Modules(file)
  bundle.filename = file
  bundle.paths = Modules._nodeModulePaths(dirname(file))
  // The code runs as if it were node_modules/@oclif/core/lib/index.js: oclif finds its package.json beside it and
  // resolves its optional dependencies (typescript, tsx, ts-node) from there.
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(bundle.exports, bundle.exports, createRequire(coreMain), bundle, coreMain, dirname(coreMain), dynamicImport)
  bundle.loaded = true
  Modules._cache[file] = bundle

  const modules = (bundle.exports as {modules: Record<string, unknown>}).modules
  for (const [relative, exports] of Object.entries(modules)) {
    const path = join(core.root, relative)
    const seeded = new Modules(path)
    seeded.filename = path
    seeded.paths = Modules._nodeModulePaths(dirname(path))
    seeded.exports = exports
    seeded.loaded = true
    Modules._cache[path] = seeded
  }

  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // At exit, so that the cache also holds the functions this run compiled, not only the top level.
    process.once('exit', () => writeCodeCache(cacheFile, () => script.createCachedData()))
  }
  return modules['lib/index.js'] as Core
}

/**
 * The folder of @oclif/core as Node's resolution finds it from the bundle (a real path: Node's module cache is keyed
 * by real paths), and its version. npm installs it in codika's own node_modules: that is looked at first, without
 * the search, which costs more than the rest of this.
 */
function installedCore(bundle: string): {root: string; version: string} | undefined {
  let pjson: string
  try {
    pjson = join(dirname(bundle), '..', 'node_modules', '@oclif', 'core', 'package.json')
    // Resolution from dist/ would look in dist/node_modules first: never there in a build.
    if (!existsSync(pjson)) pjson = createRequire(bundle).resolve('@oclif/core/package.json')
    const {version} = JSON.parse(readFileSync(pjson, 'utf8')) as {version: string}
    return {root: realpathSync(dirname(pjson)), version}
  } catch {
    return undefined
  }
}

function dynamicImport(specifier: string): Promise<unknown> {
  return import(specifier)
}

// ---- The code cache --------------------------------------------------------------------------------------------
// V8 checks a cache against its own version and flags and the code's length; the file name adds the code's hash,
// so a cache is only ever offered to the exact code it was made from. Nothing here throws or prints: a cache that
// cannot be read or written only means compiling the bundle as if there were none.

/** The folder oclif gives codika's caches (`Config#cacheDir`), where the completion cache lives too. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CODIKA_CACHE_DIR) return env.CODIKA_CACHE_DIR
  const home = env.HOME || homedir() || tmpdir()
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'codika')
  return join(env.XDG_CACHE_HOME || (platform === 'win32' && env.LOCALAPPDATA) || join(home, '.cache'), 'codika')
}

const CACHE_PREFIX = 'oclif-core-'
/** Cache files kept in the folder, this one included. */
const KEPT_CACHES = 4

function codeCacheFile(header: BundleHeader): string | undefined {
  try {
    const name = `${CACHE_PREFIX}${header.hash}-node${process.versions.node}-${process.arch}.bin`
    return join(cacheDir(), 'code-cache', name)
  } catch {
    return undefined
  }
}

function readCodeCache(file: string): Buffer | undefined {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    // Compiled code is run as is: only a file this user wrote is trusted (a folder under tmpdir may be shared).
    if (process.getuid && fstatSync(fd).uid !== process.getuid()) return undefined
    return readFileSync(fd)
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function writeCodeCache(file: string, data: () => Buffer): void {
  const temp = `${file}.${process.pid}.tmp`
  let fd: number | undefined
  /** The temp file exists, made by this process. */
  let created = false
  try {
    const dir = dirname(file)
    mkdirSync(dir, {recursive: true, mode: 0o700})
    // Written aside and renamed: a concurrent start reads the old file or the new one, never half of one. Never
    // through a file or link already there ('wx'), should the folder be one others can write to. Opened before the
    // cache is made: where nothing can be written, making it would be time lost on every start.
    fd = openSync(temp, 'wx', 0o600)
    created = true
    writeFileSync(fd, data())
    closeSync(fd)
    fd = undefined
    renameSync(temp, file)
    created = false
    // Caches of other builds or Node versions: a few are kept (two installs of codika used in turn would otherwise
    // remove each other's cache on every start), the oldest beyond those removed.
    const others = readdirSync(dir)
      .filter((name) => name.startsWith(CACHE_PREFIX) && name.endsWith('.bin') && join(dir, name) !== file)
      .map((name) => ({path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs}))
      .sort((a, b) => b.mtime - a.mtime)
    for (const {path} of others.slice(KEPT_CACHES - 1)) rmSync(path, {force: true})
  } catch {
    try {
      if (fd !== undefined) closeSync(fd)
      if (created) rmSync(temp, {force: true})
    } catch {
      // Nothing more to do: the next start compiles without a cache again.
    }
  }
}
