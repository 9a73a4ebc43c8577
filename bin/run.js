#!/usr/bin/env node
// Entry point of the installed CLI: runs the compiled commands from dist/.
// CommonJS (bin/package.json says so): Node starts a CommonJS entry without its ES module loader, which --version
// and help pages never need; oclif starts it when it imports a command.
'use strict'

const argv = process.argv.slice(2)
if (argv.length === 1 && argv[0] === '--version') {
  // Scripts call `codika --version` often: answer it without loading oclif, in oclif's exact format.
  const {readFileSync} = require('node:fs')
  const {arch, platform, release} = require('node:os')
  const {name, version} = JSON.parse(readFileSync(require('node:path').join(__dirname, '..', 'package.json'), 'utf8'))
  const wsl = platform() === 'linux' && release().toLowerCase().includes('microsoft')
  const cpu = arch() === 'ia32' ? 'x86' : arch()
  process.stdout.write(`${name}/${version} ${wsl ? 'wsl' : platform()}-${cpu} node-${process.version}\n`)
} else if (
  argv.at(-1) === '--list-names' &&
  require('../dist/lib/completion/profile-names.cjs').answersListNames(argv)
) {
  // Completion scripts call `codika use --list-names` on every TAB: the profile names, without loading oclif.
  require('../dist/lib/completion/profile-names.cjs').printProfileNames()
} else {
  // oclif checks its own engines field with semver (dozens of modules) on every start; package.json's
  // engines already states what codika needs.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= 'true'
  // The build's one-file bundle of oclif, compiled from a code cache (dist/lib/oclif/bundle.cjs says why).
  const {execute, settings} = require('../dist/lib/oclif/bundle.cjs').loadOclif()

  // Plugins run from their compiled output, linked ones included: oclif would otherwise try to transpile a linked
  // plugin's TypeScript sources (and, for an ESM plugin, warn on every command that it cannot).
  settings.enableAutoTranspile = false

  // The package root, given: oclif would look for it upwards from here and take bin/package.json for it.
  const loadOptions = {root: require('node:path').join(__dirname, '..')}
  const start = async () => {
    if (process.env.DEBUG) {
      // oclif's own debug lines print the raw command line: log them through a logger that scrubs keys.
      const {redactingLogger, registerArgvSecrets} = await import('../dist/lib/oclif/logger.js')
      registerArgvSecrets()
      loadOptions.logger = redactingLogger()
    }
    await execute({loadOptions})
  }
  start()
}
