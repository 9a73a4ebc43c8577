import {example} from '../lib/oclif/index.js'

import {PlatformCommand} from '../lib/oclif/base-command.js'
import {
  cachedDetails,
  detailsFromProfile,
  sourceFacts,
  unverifiedFields,
  verifiedDocument,
  verifyKey,
} from '../lib/profiles/identity.js'
import {expiryWarning} from '../lib/profiles/expiry.js'
import {whoamiText} from '../lib/screens/identity.js'

export default class Whoami extends PlatformCommand<typeof Whoami> {
  static override summary = 'Verify the API key in use and show who it is, and where the key and the URL came from.'

  static override description = `The key and the URL are chosen as every command chooses them: --api-key, --profile, CODIKA_API_KEY, CODIKA_PROFILE, then the active profile; --api-url, CODIKA_BASE_URL, then the profile's URL or production. whoami says which one gave each.

A key the platform rejects, or a platform that cannot be reached, exits 1 and shows the cached details of the key, marked unverified. The raw key is never shown, not even with --json.

--json prints {success, verified, loggedIn, data (the platform's answer), requestId, maskedKey, profile, keySource, keySourceLabel, baseUrl, urlSource, urlSourceLabel, source, profileName, expiryStatus}, and the answer's fields (type, keyName, organizationId, scopes, …) at the top level as codika 3.6.0 printed them. A failure prints the error document with the same local facts, loggedIn: true, verified: false, cached (whether a saved profile knows the key) and that profile's details as "cachedDetails" and at the top level; with no key to be found, loggedIn: false.`

  static override examples = [
    example('The active profile'),
    example('Another profile', '--profile sandbox'),
    {
      description: 'A key from the environment, as JSON',
      command: 'CODIKA_API_KEY=ckp_... <%= config.bin %> <%= command.id %> --json',
    },
  ]

  /** What a failed run adds to its JSON error document: no key found, or the local facts marked unverified. */
  private failure?: {loggedIn: false} | ReturnType<typeof unverifiedFields>

  async run() {
    // The expiry warned about is the platform's when it answers; the saved one only when it cannot be asked.
    let credentials
    try {
      credentials = this.credentials({warnExpiry: false})
    } catch (error) {
      this.failure = {loggedIn: false}
      throw error
    }
    const facts = sourceFacts(credentials)
    const cached = await cachedDetails(credentials, this.store)
    this.failure = unverifiedFields(facts, cached?.profile, credentials.apiKey)

    // Made first: a bad CODIKA_TIMEOUT or proxy variable is a usage error, not an unverified key.
    const client = this.client()
    let envelope
    try {
      envelope = await this.withSpinner('Verifying the key', () => verifyKey(client))
    } catch (error) {
      const cachedWarning = this.cachedExpiryWarning()
      if (cachedWarning) this.warn(cachedWarning)
      if (!this.jsonEnabled())
        this.log(whoamiText(detailsFromProfile(cached?.profile, credentials.apiKey), facts, false))
      throw error
    }
    this.failure = undefined

    const warning = expiryWarning(facts.profile ?? undefined, envelope.data.expiresAt)
    if (warning) this.warn(warning)
    if (!this.jsonEnabled()) this.log(whoamiText(envelope.data, facts, true, envelope.requestId))
    return verifiedDocument(envelope, facts)
  }

  protected override errorJsonExtras() {
    return this.failure
  }
}
