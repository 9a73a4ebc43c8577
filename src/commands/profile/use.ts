import {Args, example} from '../../lib/oclif/index.js'

import {BaseCommand} from '../../lib/oclif/base-command.js'
import {listNamesFlag} from '../../lib/oclif/flags.js'
import {listProfileNames} from '../../lib/completion/profile-names.cjs'
import {configPath} from '../../lib/profiles/paths.js'
import {useProfile} from '../../lib/profiles/manage.js'
import {listProfiles, shadowingNote} from '../../lib/profiles/views.js'
import {profileListText, switchedText} from '../../lib/screens/profiles.js'

export default class ProfileUse extends BaseCommand<typeof ProfileUse> {
  static override summary = 'Make a profile the active one (without a name: list the profiles).'

  // `profiles` is 3.6.0's alias of `use` (COMPAT.md): `codika profiles staging` switches, a bare `codika profiles` lists.
  static override aliases = ['use', 'profiles']

  static override examples = [
    example('Switch to the sandbox profile', 'sandbox'),
    {description: 'The short form', command: '<%= config.bin %> use acme-prod'},
    {description: 'Which profiles are there?', command: '<%= config.bin %> use'},
    {description: "3.6.0's name for the same command", command: '<%= config.bin %> profiles staging'},
  ]

  static override args = {
    name: Args.string({description: 'The profile to make active.'}),
  }

  static override flags = {
    ...listNamesFlag,
  }

  async run() {
    if (this.flags['list-names']) return listProfileNames(configPath(), this.jsonEnabled())
    const note = shadowingNote()
    if (this.args.name === undefined) {
      const list = listProfiles(this.store.read())
      if (note) this.warn(note)
      if (!this.jsonEnabled()) this.log(await profileListText(list))
      return list
    }
    const result = await useProfile(this.store, this.args.name)
    if (note) this.warn(note)
    if (!this.jsonEnabled()) this.log(switchedText(result))
    return result
  }
}
