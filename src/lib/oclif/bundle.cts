// Start-up (issue 7): @oclif/core from dist/oclif-core.cjs, the one-file bundle scripts/build.mjs makes of it. Importing
// oclif's ~110 separate modules is most of a bare `codika … --help`; one file costs a fraction of it, and a fraction
// again when V8 compiles it from a code cache (node:vm's cachedData, the documented way to give V8 one).
//
// CommonJS (.cts), like bin/run.js: a help page then never starts Node's ES module loader.
//
// Every codika module takes oclif from loadOclif() (lib/oclif/core.ts), so codika's commands, hooks and plugins that
// import 'codika' share the Config, Command and flag helpers of the oclif that runs them. oclif's own plugins import
// @oclif/core from node_modules: a second copy when their commands run, which oclif supports (a plugin may bring
// its own @oclif/core).
import {closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync} from 'node:fs'
import {renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {constants, Script} from 'node:vm'

import type * as OclifCore from '@oclif/core'

type Core = typeof OclifCore

/**
 * What the bundle exports (scripts/build.mjs): @oclif/core's documented entry points, each initialised on first use.
 * A help page needs `execute` and `settings` (and the help classes), not the rest of oclif (the command class, the
 * flag parser, …): those are initialised when a command runs.
 */
export interface OclifEntries {
  core(): Core
  execute(): typeof import('@oclif/core/execute')
  settings(): typeof import('@oclif/core/settings')
  help(): typeof import('@oclif/core/help')
}

/** What the build writes on the bundle's first line, after `//`. */
export interface BundleHeader {
  /** The version of @oclif/core bundled. */
  core: string
  /** A hash of the bundle's code (everything after the header lines). */
  hash: string
}

/**
 * How the bundle is compiled. `cached`: by node:vm, from a V8 code cache. Code compiled that way cannot import an ES
 * module on Node 20 once it comes from the cache (the import callback is lost: ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING),
 * and does so with an ExperimentalWarning on Node 24 (vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER), so bin/run.js
 * asks for it only where oclif imports none: a help page, with no plugin installed (helpMayUseCodeCache). `plain`: by
 * require(), like any other module.
 */
export type LoadMode = 'cached' | 'plain'

/** `cached` needs the folder of the code cache (lib/xdg.cts, cacheDir()). */
export type LoadOptions = {mode: 'cached'; cacheDir: string} | {mode: 'plain'}

const BUNDLE = join(__dirname, '..', '..', 'oclif-core.cjs')

let loaded: {entries: OclifEntries; mode: LoadMode | 'node_modules'} | undefined

/**
 * @oclif/core's entry points, from the bundle when there is one that matches the installed @oclif/core, else from
 * node_modules (a build without the bundle, node_modules changed since the build, or the TypeScript sources run by
 * bin/dev.js). The first call decides; every later one returns the same copy, whatever mode it asks for.
 */
export function oclifEntries(options: LoadOptions = {mode: 'plain'}): OclifEntries {
  loaded ??= loadBundle(options) ?? {entries: fromNodeModules, mode: 'node_modules'}
  return loaded.entries
}

/** All of @oclif/core (the same copy as oclifEntries()). */
export function loadOclif(): Core {
  return oclifEntries().core()
}

/** Where the running oclif came from: the bundle (compiled from the code cache, or by require()), or node_modules. */
export function oclifSource(): LoadMode | 'node_modules' | undefined {
  return loaded?.mode
}

/* eslint-disable @typescript-eslint/no-require-imports -- only without a usable bundle, and only then */
const fromNodeModules: OclifEntries = {
  core: () => require('@oclif/core') as Core,
  execute: () => require('@oclif/core/execute') as ReturnType<OclifEntries['execute']>,
  settings: () => require('@oclif/core/settings') as ReturnType<OclifEntries['settings']>,
  help: () => require('@oclif/core/help') as ReturnType<OclifEntries['help']>,
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * May a help page run oclif from the code cache? Only when no plugin is installed or linked besides oclif's own
 * (whose hooks and help import nothing on a help page): a plugin's `init` hook or a command with dynamic help would
 * import an ES module, which code compiled from a code cache cannot do on Node 20 (and does with a warning on 24).
 * `userPlugins` is the file where oclif keeps them (`<data folder>/package.json`); anything unexpected there says no.
 */
export function helpMayUseCodeCache(userPlugins: string): boolean {
  let text: string
  try {
    text = readFileSync(userPlugins, 'utf8')
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
  }
  try {
    const pjson = JSON.parse(text) as {oclif?: {plugins?: unknown[]}; dependencies?: Record<string, string>}
    return (pjson.oclif?.plugins ?? []).length === 0 && Object.keys(pjson.dependencies ?? {}).length === 0
  } catch {
    return false
  }
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

function loadBundle(options: LoadOptions, file = BUNDLE): {entries: OclifEntries; mode: LoadMode} | undefined {
  let source: string
  try {
    // The build writes it in ASCII: Latin-1 reads it the fastest, into a one-byte string.
    source = readFileSync(file, 'latin1')
  } catch {
    return undefined
  }
  const header = readHeader(source)
  const installed = header && installedCore(file)
  if (!header || !installed || installed.version !== header.core) return undefined
  if (options.mode === 'plain') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- our own build output, loaded like any module
    return {entries: require(file) as OclifEntries, mode: 'plain'}
  }

  const cacheFile = codeCacheFile(header, options.cacheDir)
  const cachedData = readCodeCache(cacheFile)
  // Node's own CommonJS wrapper, around our own build output.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const module = {exports: {} as unknown}
  // require() as from node_modules/@oclif/core/lib/index.js: oclif resolves its optional dependencies (typescript,
  // tsx, ts-node) from there, as it does unbundled.
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(module.exports, module.exports, createRequire(installed.main), module, file, dirname(file))

  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit, so that the cache also holds the functions this run compiled, not only the top level.
    process.once('exit', () => writeCodeCache(cacheFile, () => script.createCachedData()))
  }
  return {entries: module.exports as OclifEntries, mode: 'cached'}
}

/**
 * The main file of @oclif/core as Node's resolution finds it from the bundle, and its version. npm installs it in
 * codika's own node_modules: that is looked at first, without the search, which costs more than the rest of this.
 */
function installedCore(bundle: string): {main: string; version: string} | undefined {
  try {
    let pjson = join(dirname(bundle), '..', 'node_modules', '@oclif', 'core', 'package.json')
    // Resolution from dist/ would look in dist/node_modules first: never there in a build.
    if (!existsSync(pjson)) pjson = createRequire(bundle).resolve('@oclif/core/package.json')
    const {version} = JSON.parse(readFileSync(pjson, 'utf8')) as {version: string}
    return {main: join(dirname(pjson), 'lib', 'index.js'), version}
  } catch {
    return undefined
  }
}

// ---- The code cache --------------------------------------------------------------------------------------------
// V8 checks a cache against its own version and flags and the code's length; the file name adds the code's hash,
// so a cache is only ever offered to the exact code it was made from. Nothing here throws or prints: a cache that
// cannot be read or written only means compiling the bundle as if there were none.

const CACHE_PREFIX = 'oclif-core-'
/** Cache files kept in the folder, this one included. */
const KEPT_CACHES = 4

function codeCacheFile(header: BundleHeader, cacheDir: string): string {
  return join(cacheDir, 'code-cache', `${CACHE_PREFIX}${header.hash}-node${process.versions.node}-${process.arch}.bin`)
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
