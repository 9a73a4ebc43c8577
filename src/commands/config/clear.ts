import {Flags, example} from '../../lib/oclif/index.js'

import {BaseCommand} from '../../lib/oclif/base-command.js'
import {clearDeclined} from '../../lib/profiles/errors.js'
import {clearProfiles, removeProfile} from '../../lib/profiles/manage.js'
import {canPrompt, confirm} from '../../lib/profiles/prompt.js'
import {clearedText, clearQuestion, removalText} from '../../lib/screens/profiles.js'

export default class ConfigClear extends BaseCommand<typeof ConfigClear> {
  static override summary = 'Remove every profile and the profile file (with --profile: that profile only).'

  static override description = `Every profile goes, with the profile file itself and each key's entry in the system credential store; the folder stays. On a terminal you are asked first (--force skips the question); elsewhere, as in codika 3.x, it goes ahead. No profile file is no error.

With --profile, that one profile goes, exactly as with \`codika profile remove NAME\`.`

  static override examples = [
    example('Remove everything (asks on a terminal)'),
    example('Without the question', '--force'),
    example('Remove one profile', '--profile sandbox'),
  ]

  static override flags = {
    profile: Flags.string({char: 'p', summary: 'Remove only this profile (as `codika profile remove NAME`).'}),
    force: Flags.boolean({char: 'f', summary: 'Remove every profile without asking.'}),
  }

  async run() {
    const {flags} = this
    const json = this.jsonEnabled()
    if (flags.profile !== undefined) {
      const result = await removeProfile(this.store, flags.profile)
      if (!json) this.log(removalText(result))
      return result
    }
    const names = Object.keys(this.store.read().profiles)
    if (names.length > 0 && !flags.force && canPrompt(json)) {
      if (!(await confirm(clearQuestion(names), 'nothing was removed'))) throw clearDeclined()
    }
    const result = await clearProfiles(this.store)
    if (!json) this.log(clearedText(result))
    return result
  }
}
