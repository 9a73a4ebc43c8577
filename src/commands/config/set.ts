import Login from '../login.js'

// 3.6.0's name for `login` (COMPAT.md): the same flags, the same protocol, the same output.
export default class ConfigSet extends Login {
  static override summary = 'The same as `codika login`: verify an API key and save it as the active profile.'

  static override examples = [
    {description: 'Log in with a masked prompt', command: '<%= config.bin %> <%= command.id %>'},
    {
      description: 'Save a key for a local sandbox',
      command:
        '<%= config.bin %> <%= command.id %> --api-key "$SANDBOX_KEY" --base-url http://127.0.0.1:8787 --name sandbox',
    },
  ]
}
