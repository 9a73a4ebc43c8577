#!/usr/bin/env node
// Development entry point: runs the TypeScript sources (src/) directly, without a build.
// CommonJS, like bin/run.js (bin/package.json). No tsx flag in a shebang, which `node bin/dev.js` would lose:
// in development mode oclif registers tsx itself and maps dist/commands to src/commands (tsconfig's rootDirs).
'use strict'

const {readFileSync} = require('node:fs')
const {join} = require('node:path')

const root = join(__dirname, '..')
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
// The built manifest names the compiled files: the root plugin is loaded without it (oclif's documented
// PluginOptions.ignoreManifest), so its commands come from src/; oclif's other plugins are then loaded as usual
// (Config#loadPluginsAndCommands). The sources run as version `<version>+dev` (semver build metadata).
// codika's help class is CommonJS (lib/oclif/help.cts), which oclif's source lookup does not map from dist/ (it
// looks for .ts and .tsx only): the sources draw their pages with oclif's own Help, whose pages are the same (the
// start-up test compares them); the class only saves time.
const {helpClass: _compiledOnly, ...devOclif} = pjson.oclif
const devPjson = {...pjson, version: `${pjson.version}+dev`, oclif: devOclif}

import('@oclif/core').then(async ({Config, Plugin, execute, settings}) => {
  // What execute({development: true}) sets, set before the root plugin looks for its commands: tsx registered, and
  // dist/commands read from src/commands (tsconfig's rootDirs).
  process.env.NODE_ENV = 'development'
  settings.debug = true
  const rootPlugin = new Plugin({root, isRoot: true, pjson: devPjson, ignoreManifest: true})
  await rootPlugin.load()
  const config = await Config.load({root, pjson: devPjson, plugins: new Map([[rootPlugin.name, rootPlugin]])})
  await config.loadPluginsAndCommands({force: true})
  return execute({development: true, loadOptions: config})
})
