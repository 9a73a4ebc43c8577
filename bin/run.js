#!/usr/bin/env node
// Entry point of the installed CLI: runs the compiled commands from dist/.
// CommonJS (bin/package.json says so): Node starts a CommonJS entry without its ES module loader, which --version
// and help pages never need; oclif starts it when it imports a command.
'use strict'

const {readFileSync} = require('node:fs')
const {join} = require('node:path')

const root = join(__dirname, '..')
const argv = process.argv.slice(2)
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
// --version, and package.json's additionalVersionFlags (3.6.0's -V): oclif's version flags, as oclif merges them.
if (argv.length === 1 && ['--version', ...(pjson.oclif.additionalVersionFlags ?? [])].includes(argv[0])) {
  // Scripts call `codika --version` often: answer it without loading oclif, in oclif's exact format.
  const {arch, platform, release} = require('node:os')
  const wsl = platform() === 'linux' && release().toLowerCase().includes('microsoft')
  const cpu = arch() === 'ia32' ? 'x86' : arch()
  const line = `${pjson.name}/${pjson.version} ${wsl ? 'wsl' : platform()}-${cpu} node-${process.version}\n`
  require('../dist/lib/stdout.cjs').writeStdout(line)
} else if (
  argv.at(-1) === '--list-names' &&
  require('../dist/lib/completion/profile-names.cjs').answersListNames(argv)
) {
  // Completion scripts call `codika use --list-names` on every TAB: the profile names, without loading oclif.
  const {writeStdout} = require('../dist/lib/stdout.cjs')
  require('../dist/lib/completion/profile-names.cjs').printProfileNames(undefined, writeStdout)
} else {
  // oclif checks its own engines field with semver (dozens of modules) on every start; package.json's
  // engines already states what codika needs.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= 'true'
  // oclif's Config#cacheDir (the completion cache) and Config#dataDir (installed plugins) read CODIKA_CACHE_DIR and
  // CODIKA_DATA_DIR first: the same folders as codika's own (lib/xdg.cts, the XDG rule).
  const xdg = require('../dist/lib/xdg.cjs')
  const cacheDir = xdg.cacheDir()
  process.env.CODIKA_CACHE_DIR = cacheDir
  process.env.CODIKA_DATA_DIR = xdg.dataDir()
  // Node 22.1 and later: Node's own compile cache (module.enableCompileCache, documented) for every module loaded from
  // here on, ES modules included: a create-key on Node 22 runs about 12% faster. Node 20 has none; a folder it cannot
  // write, or NODE_DISABLE_COMPILE_CACHE, leaves it off without a word; a NODE_COMPILE_CACHE of the user's wins.
  require('node:module').enableCompileCache?.(join(cacheDir, 'node-compile-cache'))
  const bundle = require('../dist/lib/oclif/bundle.cjs')
  // A help page imports no ES module, unless a plugin is installed: oclif may then run from the V8 code cache
  // (dist/lib/oclif/bundle.cjs says why only then). oclif shows help without arguments or with --help (or its
  // additionalHelpFlags, package.json's -h) before `--`.
  const end = argv.indexOf('--')
  const helpFlags = ['--help', ...(pjson.oclif.additionalHelpFlags ?? [])]
  const help = argv.length === 0 || argv.slice(0, end === -1 ? undefined : end).some((arg) => helpFlags.includes(arg))
  const cached = help && bundle.helpMayUseCodeCache(join(process.env.CODIKA_DATA_DIR, 'package.json'))
  const oclif = bundle.oclifEntries(cached ? {mode: 'cached', cacheDir} : {mode: 'plain'})
  const {settings} = oclif.settings()

  // Plugins run from their compiled output, linked ones included: oclif would otherwise try to transpile a linked
  // plugin's TypeScript sources (and, for an ESM plugin, warn on every command that it cannot).
  settings.enableAutoTranspile = false

  // The package root and its package.json, given: oclif would look for the root upwards from here (and take
  // bin/package.json for it), then read package.json again.
  const loadOptions = {root, pjson}
  const start = async () => {
    if (process.env.DEBUG) {
      // oclif's own debug lines print the raw command line: log them through a logger that scrubs keys.
      const {redactingLogger, registerArgvSecrets} = await import('../dist/lib/oclif/logger.js')
      registerArgvSecrets()
      loadOptions.logger = redactingLogger()
    }
    await oclif.execute().execute({loadOptions})
  }
  start()
}
