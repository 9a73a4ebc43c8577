#!/usr/bin/env node
// Entry point of the installed CLI: runs the compiled commands from dist/.

const argv = process.argv.slice(2)
if (argv.length === 1 && argv[0] === '--version') {
  // Scripts call `codika --version` often: answer it without loading oclif, in oclif's exact format.
  const {readFileSync} = await import('node:fs')
  const {arch, platform, release} = await import('node:os')
  const {name, version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  const wsl = platform() === 'linux' && release().toLowerCase().includes('microsoft')
  const cpu = arch() === 'ia32' ? 'x86' : arch()
  process.stdout.write(`${name}/${version} ${wsl ? 'wsl' : platform()}-${cpu} node-${process.version}\n`)
} else {
  // oclif checks its own engines field with semver (dozens of modules) on every start; package.json's
  // engines already states what codika needs.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= 'true'
  const {fileURLToPath} = await import('node:url')
  const {execute, settings} = await import('@oclif/core')

  // Plugins run from their compiled output, linked ones included: oclif would otherwise try to transpile a linked
  // plugin's TypeScript sources (and, for an ESM plugin, warn on every command that it cannot).
  settings.enableAutoTranspile = false

  const options = {dir: import.meta.url}
  if (process.env.DEBUG) {
    // oclif's own debug lines print the raw command line: log them through a logger that scrubs keys.
    const {redactingLogger, registerArgvSecrets} = await import('../dist/lib/oclif-logger.js')
    registerArgvSecrets()
    options.loadOptions = {root: fileURLToPath(new URL('..', import.meta.url)), logger: redactingLogger()}
  }
  await execute(options)
}
