import {Args, example} from '../../lib/oclif/index.js'

import {BaseCommand} from '../../lib/oclif/base-command.js'
import {showProfile} from '../../lib/profiles/views.js'
import {profileFields} from '../../lib/screens/profiles.js'

export default class ProfileShow extends BaseCommand<typeof ProfileShow> {
  static override summary = 'Show everything a profile holds except its raw key (default: the active profile).'

  static override description = `Without a name: the profile named by CODIKA_PROFILE, else the active one. Fields this CLI does not know (written by another client) are shown too.`

  static override examples = [example('The active profile'), example('A named profile, as JSON', 'sandbox --json')]

  static override args = {
    name: Args.string({description: 'The profile to show.'}),
  }

  async run() {
    const result = showProfile(this.store.read(), this.args.name)
    if (!this.jsonEnabled()) this.log(profileFields(result.profile, result.profile.otherFields))
    return result
  }
}
