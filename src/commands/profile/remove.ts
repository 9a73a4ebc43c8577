import {Args} from '@oclif/core'

import {BaseCommand} from '../../lib/base-command.js'
import {removalText, removeProfile} from '../../lib/profiles/manage.js'

export default class ProfileRemove extends BaseCommand<typeof ProfileRemove> {
  static override summary = 'Remove a profile (the same as `logout NAME`).'

  static override description = `When the active profile is removed, the remaining profile first in name order becomes active, and the command says which.`

  static override examples = [
    {description: 'Remove the sandbox profile', command: '<%= config.bin %> <%= command.id %> sandbox'},
  ]

  static override args = {
    name: Args.string({description: 'The profile to remove.', required: true}),
  }

  async run() {
    const result = await removeProfile(this.store, this.args.name)
    if (!this.jsonEnabled()) this.log(removalText(result))
    return result
  }
}
