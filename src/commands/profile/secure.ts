import {Args, Flags, example} from '../../lib/oclif/index.js'

import {usageError} from '../../lib/errors.js'
import {BaseCommand} from '../../lib/oclif/base-command.js'
import {secureProfiles} from '../../lib/profiles/manage.js'
import {securedText} from '../../lib/screens/profiles.js'

export default class ProfileSecure extends BaseCommand<typeof ProfileSecure> {
  static override summary =
    'Move the keys of profiles from the profile file into the system credential store (or back, with --insecure-storage).'

  static override description = `The profile file then keeps a reference to each key's entry instead of the key. Atomic: the file changes only once every key is in the store, and when the store cannot be used nothing changes (exit 1). CODIKA_CREDENTIAL_STORE does not apply here: the command says where the keys go.

With --insecure-storage the keys go back into the profile file, in plain text, and their entries are deleted: the established 3.x client can only read keys kept there.`

  static override examples = [
    example('Secure the key of one profile', 'acme-prod'),
    example('Secure every profile', '--all'),
    example('Keep a key in the file, for the 3.x client', '--insecure-storage acme-prod'),
  ]

  static override args = {
    name: Args.string({description: 'The profile whose key moves (or --all).'}),
  }

  static override flags = {
    all: Flags.boolean({summary: 'Every profile.'}),
    'insecure-storage': Flags.boolean({
      summary: 'Move the keys into the profile file (plain text) instead, deleting their entries from the store.',
    }),
  }

  async run() {
    const {name} = this.args
    if ((name === undefined) === !this.flags.all)
      throw usageError(
        name === undefined ? 'MISSING_FLAG' : 'INVALID_ARGUMENT',
        name === undefined ? 'Name a profile, or pass --all.' : 'Name a profile or pass --all, not both.',
        'For example codika profile secure acme-prod.',
      )
    const result = await secureProfiles(
      this.store,
      name === undefined ? undefined : [name],
      this.flags['insecure-storage'] ? 'file' : 'keyring',
    )
    if (!this.jsonEnabled()) this.log(securedText(result))
    return result
  }
}
