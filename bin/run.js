#!/usr/bin/env node
// Entry point of the installed CLI: runs the compiled commands from dist/.
import {fileURLToPath} from 'node:url'
import {execute, settings} from '@oclif/core'

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
