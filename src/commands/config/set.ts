import {example} from '../../lib/oclif/index.js'

import Login from '../login.js'

// 3.6.0's name for `login` (COMPAT.md): the same flags, the same protocol, the same output.
export default class ConfigSet extends Login {
  static override summary = 'The same as `codika login`: verify an API key and save it as the active profile.'

  static override examples = [
    example('Log in with a masked prompt'),
    example(
      'Save a key for a local sandbox',
      '--api-key "$SANDBOX_KEY" --base-url http://127.0.0.1:8787 --name sandbox',
    ),
  ]
}
