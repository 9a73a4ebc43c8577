import {Args, example} from '../lib/oclif/index.js'

import {BaseCommand} from '../lib/oclif/base-command.js'
import {listNamesFlag} from '../lib/oclif/flags.js'
import {listProfileNames} from '../lib/completion/profile-names.cjs'
import {configPath} from '../lib/profiles/paths.js'
import {removeProfile} from '../lib/profiles/manage.js'
import {removalText} from '../lib/screens/profiles.js'

export default class Logout extends BaseCommand<typeof Logout> {
  static override summary = 'Remove a profile and its key from this machine (default: the profile in use).'

  static override description = `Without a name: the profile in use in this shell — the one CODIKA_PROFILE names, else the active one. With CODIKA_API_KEY set, the key in use is not a profile: name the profile to remove.

When the active profile is removed, the remaining profile first in name order becomes active, and the command says which. The key itself stays valid on the platform.`

  static override examples = [
    example('Log out of the active profile'),
    example('Remove a named profile', 'sandbox --json'),
  ]

  static override args = {
    name: Args.string({description: 'The profile to remove (default: the profile in use).'}),
  }

  static override flags = {
    ...listNamesFlag,
  }

  async run() {
    if (this.flags['list-names']) return listProfileNames(configPath(), this.jsonEnabled())
    const result = await removeProfile(this.store, this.args.name)
    if (!this.jsonEnabled()) this.log(removalText(result))
    return result
  }
}
