// After a successful command: keeps shell completion in step (see lib/oclif/completion.ts), and says when a plugin
// just linked brings no command (lib/oclif/linked-plugins.ts).
// Runs after every command, so it decides on the command id alone and loads nothing else for the others.
import type {Hook} from '../lib/oclif/index.js'

const COMPLETION = new Set([
  'autocomplete',
  'autocomplete:script',
  'plugins:install',
  'plugins:uninstall',
  'plugins:link',
  'plugins:reset',
  'plugins:update',
])

const hook: Hook.Postrun = async function ({Command, argv, config}) {
  if (!Command?.id || !COMPLETION.has(Command.id)) return
  const {afterCommand} = await import('../lib/oclif/completion.js')
  await afterCommand(Command.id, config, argv)
}

export default hook
