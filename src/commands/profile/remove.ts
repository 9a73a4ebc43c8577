import {Args, example} from '../../lib/oclif/index.js'

import {BaseCommand} from '../../lib/oclif/base-command.js'
import {removeProfile} from '../../lib/profiles/manage.js'
import {removalText} from '../../lib/screens/profiles.js'

export default class ProfileRemove extends BaseCommand<typeof ProfileRemove> {
  static override summary = 'Remove a profile (the same as `logout NAME`).'

  static override description = `When the active profile is removed, the remaining profile first in name order becomes active, and the command says which.`

  static override examples = [example('Remove the sandbox profile', 'sandbox')]

  static override args = {
    name: Args.string({description: 'The profile to remove.', required: true}),
  }

  async run() {
    const result = await removeProfile(this.store, this.args.name)
    if (!this.jsonEnabled()) this.log(removalText(result))
    return result
  }
}
