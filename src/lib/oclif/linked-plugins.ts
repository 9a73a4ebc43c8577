// After `codika plugins link PATH`: a plugin that brings no command (its TypeScript was never compiled, so its
// oclif.commands folder is missing or empty) is said so, instead of a silent "done" and a command that is not there.
import {realpathSync} from 'node:fs'
import {resolve} from 'node:path'

import type {Interfaces} from '@oclif/core'

import {paint} from '../output.js'

/** The linked folder named on the command line (the first word that is not a flag), as a real path. */
function linkedFolder(argv: readonly string[]): string | undefined {
  const path = argv.find((arg) => !arg.startsWith('-'))
  if (path === undefined) return undefined
  try {
    return realpathSync(resolve(path))
  } catch {
    return undefined
  }
}

/** Warns on stderr when the plugin just linked (found in `config`, loaded after the link) has no command. */
export function warnIfLinkedPluginIsEmpty(argv: readonly string[], config: Interfaces.Config): void {
  const folder = linkedFolder(argv)
  if (folder === undefined) return
  const plugin = config.getPluginsList().find((p) => {
    try {
      return realpathSync(p.root) === folder
    } catch {
      return false
    }
  })
  if (!plugin || plugin.commands.length > 0) return
  const where = (plugin.pjson.oclif as {commands?: unknown} | undefined)?.commands
  process.stderr.write(
    `${paint('yellow', 'Warning:', process.stderr)} the plugin ${plugin.name} was linked, but it has no compiled commands` +
      `${typeof where === 'string' ? ` (nothing in ${where})` : ''}: build it first (for example npm run build in ${folder}).\n`,
  )
}
