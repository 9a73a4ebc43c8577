import {Args} from '../lib/oclif/index.js'

import {BaseCommand} from '../lib/oclif/base-command.js'
import {removeProfile} from '../lib/profiles/manage.js'
import {removalText} from '../lib/screens/profiles.js'

export default class Logout extends BaseCommand<typeof Logout> {
  static override summary = 'Remove a profile and its key from this machine (default: the active profile).'

  static override description = `When the active profile is removed, the remaining profile first in name order becomes active, and the command says which. The key itself stays valid on the platform.`

  static override examples = [
    {description: 'Log out of the active profile', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Remove a named profile', command: '<%= config.bin %> <%= command.id %> sandbox --json'},
  ]

  static override args = {
    name: Args.string({description: 'The profile to remove (default: the active one).'}),
  }

  async run() {
    const result = await removeProfile(this.store, this.args.name)
    if (!this.jsonEnabled()) this.log(removalText(result))
    return result
  }
}
