#!/usr/bin/env node
// Development entry point: runs the TypeScript sources (src/) directly, without a build.
// CommonJS, like bin/run.js (bin/package.json). No tsx flag in a shebang, which `node bin/dev.js` would lose:
// in development mode oclif registers tsx itself and maps dist/commands to src/commands (tsconfig's rootDirs).
'use strict'

const {readFileSync} = require('node:fs')
const {join} = require('node:path')

const root = join(__dirname, '..')
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
// The built manifest names the compiled files; oclif skips a manifest of another version, so the sources run
// as version `<version>+dev` (semver build metadata), and oclif's warning about that mismatch is dropped.
const emitWarning = process.emitWarning.bind(process)
process.emitWarning = (warning, ...rest) => {
  if (String(warning).startsWith(`Mismatched version in ${pjson.name} plugin manifest`)) return
  emitWarning(warning, ...rest)
}

import('@oclif/core').then(({execute}) =>
  execute({development: true, loadOptions: {root, pjson: {...pjson, version: `${pjson.version}+dev`}}}),
)
