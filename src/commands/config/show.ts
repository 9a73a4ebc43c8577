import {Flags, example} from '../../lib/oclif/index.js'

import {resolveBaseUrl} from '../../lib/credentials.js'
import {BaseCommand} from '../../lib/oclif/base-command.js'
import {noProfiles} from '../../lib/profiles/errors.js'
import type {ProfileFile} from '../../lib/profiles/types.js'
import {configOverview, shadowingNote} from '../../lib/profiles/views.js'
import {configShowText} from '../../lib/screens/profiles.js'

export default class ConfigShow extends BaseCommand<typeof ConfigShow> {
  static override summary = 'List the profiles (the active one marked) and the base URL a command run here would call.'

  static override description = `The list is the one of \`codika profile list\`. The base URL follows the rules of every command that calls the platform (--api-url, else CODIKA_BASE_URL, else the profile's own): it is shown, with where it comes from, when it is not production. No profiles: exit 1 (with --json: the empty list, exit 0).`

  static override examples = [
    example('The profiles and the URL in use'),
    example('Which URL the sandbox profile calls', '-p sandbox'),
    example('As JSON (no keys)', '--json'),
  ]

  static override flags = {
    profile: Flags.string({char: 'p', summary: 'Resolve the base URL for this profile instead of the active one.'}),
    'api-url': Flags.string({summary: 'Resolve the base URL as a command given this --api-url would.'}),
  }

  async run() {
    const {flags} = this
    let file: ProfileFile | undefined
    const read = () => (file ??= this.store.read())
    const url = resolveBaseUrl({apiUrl: flags['api-url'], profile: flags.profile}, read)
    const overview = configOverview(read(), url)
    const json = this.jsonEnabled()
    if (!json && overview.profiles.length === 0) throw noProfiles()
    // As profile list: what overrides the active profile in this shell is a warning (stderr, or `warnings`).
    const note = shadowingNote()
    if (note) this.warn(note)
    if (!json) this.log(await configShowText(overview))
    return overview
  }
}
