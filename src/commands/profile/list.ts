import {example} from '../../lib/oclif/index.js'

import {BaseCommand} from '../../lib/oclif/base-command.js'
import {listProfiles, shadowingNote} from '../../lib/profiles/views.js'
import {profileListText} from '../../lib/screens/profiles.js'

export default class ProfileList extends BaseCommand<typeof ProfileList> {
  static override summary = 'List the saved profiles, the active one marked, and credentials from CODIKA_API_KEY.'

  static override description = `Keys are masked. CODIKA_API_KEY, when set, beats every profile; it is shown as its own [env] row.`

  static override examples = [example('The table'), example('As JSON (no keys)', '--json')]

  async run() {
    const list = listProfiles(this.store.read())
    // What overrides the active profile in this shell is said on stderr (and in `warnings`), not in the table.
    const note = shadowingNote()
    if (note) this.warn(note)
    if (!this.jsonEnabled()) this.log(await profileListText(list))
    return list
  }
}
