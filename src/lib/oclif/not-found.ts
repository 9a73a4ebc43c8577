// An unknown command: names the closest real one and exits 2 (a wrong command line, SPEC.md).
// A known command followed by words it does not take arrives here too: oclif reads `whoami extra` as the command
// id `whoami:extra` when `whoami` takes no arguments. That is `Unexpected argument`, as for a command that takes
// some (lib/oclif/usage-errors.ts), and never a suggestion to run something else.
// On a TTY (and without --json) @oclif/plugin-not-found asks "Did you mean …?" and runs it on yes. Off a TTY that
// plugin prints no suggestion at all, which is why this hook owns the event and uses the plugin for the prompt only.
import type {Hook, Interfaces} from '@oclif/core'

import {EXIT, usageError} from '../errors.js'
import {redact} from '../redact.js'
import {closestMatch} from '../closest-match.js'
import {toConfiguredId} from './core.js'
import {errorText} from '../screens/errors.js'
import {type CommandFacts, errorJson, unexpectedArguments} from './usage-errors.js'

/** The longest known command the id starts with, and the words after it. */
export function knownCommandPrefix(
  id: string,
  config: Pick<Interfaces.Config, 'findCommand'>,
): {command: CommandFacts; words: string[]} | undefined {
  const parts = id.split(':')
  for (let length = parts.length - 1; length > 0; length--) {
    const command = config.findCommand(parts.slice(0, length).join(':'))
    if (command) return {command: command, words: parts.slice(length)}
  }
  return undefined
}

const hook: Hook.CommandNotFound = async function (options) {
  const {config, id} = options
  const argv = options.argv ?? []
  const json = argv.includes('--json')
  const fail = (error: ReturnType<typeof usageError>) => {
    if (json) process.stdout.write(`${JSON.stringify(errorJson(error), null, 2)}\n`)
    else process.stderr.write(errorText(error))
    this.exit(EXIT.USAGE)
  }

  const known = knownCommandPrefix(id, config)
  if (known) return fail(unexpectedArguments(known.words, known.command))

  // Only the command words are shown, never the flags, and never anything shaped like a key.
  const typed = redact(toConfiguredId(id, config))
  if (process.stdin.isTTY && process.stderr.isTTY && !json) {
    const {default: prompt} = await import('@oclif/plugin-not-found')
    const context = {
      ...this,
      // The plugin's own warning would show the words as typed (a key among them): ours, with the same meaning.
      warn: () => process.stderr.write(`Warning: "${config.bin} ${typed}" is not a ${config.bin} command.\n`),
      error: (message: string | Error) => this.error(message, {exit: EXIT.USAGE}),
    }
    return prompt.call(context, options)
  }

  const hidden = new Set(config.commands.filter((c) => c.hidden).map((c) => c.id))
  const ids = [...config.commandIDs, ...config.commands.flatMap((c) => c.aliases)].filter((c) => !hidden.has(c))
  const suggestion = ids.length > 0 ? toConfiguredId(closestMatch(id, ids), config) : undefined
  fail(
    usageError(
      'COMMAND_NOT_FOUND',
      `"${config.bin} ${typed}" is not a ${config.bin} command.`,
      `${suggestion ? `Did you mean "${config.bin} ${suggestion}"? ` : ''}Run "${config.bin} help" for the list of commands.`,
    ),
  )
}

export default hook
