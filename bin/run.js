#!/usr/bin/env node
// Entry point of the installed CLI: runs the compiled commands from dist/.
import {execute, settings} from '@oclif/core'

// Plugins run from their compiled output, linked ones included: oclif would otherwise try to transpile a linked
// plugin's TypeScript sources (and, for an ESM plugin, warn on every command that it cannot).
settings.enableAutoTranspile = false

await execute({dir: import.meta.url})
