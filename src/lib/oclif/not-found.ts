// An unknown command: names the closest real one and exits 2 (a wrong command line, SPEC.md).
// On a TTY (and without --json) @oclif/plugin-not-found asks "Did you mean …?" and runs it on yes. Off a TTY that
// plugin prints no suggestion at all, which is why this hook owns the event and uses the plugin for the prompt only.
import type {Hook} from '@oclif/core'

import {toConfiguredId} from './core.js'

import type {ErrorJson} from './base-command.js'
import {EXIT} from '../errors.js'
import {paint} from '../output.js'
import {redact} from '../redact.js'
import {closestScope} from '../scopes.js'

const hook: Hook.CommandNotFound = async function (options) {
  const {config, id} = options
  const argv = options.argv ?? []
  const json = argv.includes('--json')
  if (process.stdin.isTTY && process.stderr.isTTY && !json) {
    const {default: prompt} = await import('@oclif/plugin-not-found')
    const context = {...this, error: (message: string | Error) => this.error(message, {exit: EXIT.USAGE})}
    return prompt.call(context, options)
  }

  const hidden = new Set(config.commands.filter((c) => c.hidden).map((c) => c.id))
  const known = [...config.commandIDs, ...config.commands.flatMap((c) => c.aliases)].filter((c) => !hidden.has(c))
  // The same edit-distance match that suggests a scope for a mistyped one.
  const suggestion = known.length > 0 ? toConfiguredId(closestScope(id, known), config) : undefined
  // Only the command words are shown, never the flags, and never anything shaped like a key.
  const typed = redact(toConfiguredId(id, config))
  const message = `"${config.bin} ${typed}" is not a ${config.bin} command.`
  const hint = `${suggestion ? `Did you mean "${config.bin} ${suggestion}"? ` : ''}Run "${config.bin} help" for the list of commands.`

  if (json) {
    const document: ErrorJson = {success: false, error: {code: 'COMMAND_NOT_FOUND', message, hint}, requestId: null}
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`)
  } else {
    process.stderr.write(
      `${paint('red', 'Error:', process.stderr)} ${message}\n${paint('dim', 'Hint:', process.stderr)} ${hint}\n`,
    )
  }
  this.exit(EXIT.USAGE)
}

export default hook
