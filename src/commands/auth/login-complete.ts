import {Flags} from '../../lib/oclif/index.js'

import {ENDPOINTS} from '../../lib/api/contract.js'
import {BaseCommand, keyStorageFlags} from '../../lib/oclif/base-command.js'
import {
  checkEmail,
  type HintContext,
  loginCompleteRequest,
  refuseTakenName,
  saveMintedKey,
  withPublicClient,
} from '../../lib/auth.js'
import {baseUrlFlag, codeFlag, emailFlag, givenFlags, keyFlags} from '../../lib/auth-flags.js'
import {expiryWarning} from '../../lib/profiles/expiry.js'
import {checkProfileName, loginBaseUrl} from '../../lib/profiles/login.js'
import {provisionedText} from '../../lib/screens/auth.js'

export default class AuthLoginComplete extends BaseCommand<typeof AuthLoginComplete> {
  static override summary =
    'Log in by email: send back the code, mint a new organization key, save it as the active profile.'

  static override description = `The second half of "auth login-request": mints a new organization key (cko_) with the ten organization scopes for one of the account's organizations (earlier keys stay valid), and saves it as a profile exactly like "login" does, named --name or after the organization, and made active. The raw key is never printed, not even with --json: only its mask, the profile's name and what to run next.

An account in several organizations must say which with --organization-id (MULTIPLE_ORGANIZATIONS lists them); the code stays valid until a key is minted, so the same command can be run again with the choice. A profile named --name that holds a key is never replaced: the command stops before sending the code.`

  static override examples = [
    {
      description: 'Complete with the code from the email',
      command: '<%= config.bin %> <%= command.id %> --email agent@example.com --code 123456',
    },
    {
      description: 'For one organization of several, with a key that expires in 30 days, as JSON',
      command:
        '<%= config.bin %> <%= command.id %> --email agent@example.com --code 123456 --organization-id "xwk9CcT440Vupa8soIhY" --key-expires-in 30 --json',
    },
  ]

  static override flags = {
    email: emailFlag,
    code: codeFlag,
    'organization-id': Flags.string({summary: 'The organization to mint the key for (needed when there are several).'}),
    ...keyFlags,
    'base-url': baseUrlFlag,
    ...keyStorageFlags,
  }

  async run() {
    const {flags} = this
    const baseUrl = loginBaseUrl(flags['base-url'])
    const request = loginCompleteRequest(flags)
    const name = flags.name === undefined ? undefined : checkProfileName(flags.name)
    // The key must have somewhere to go: an unreadable file, a --name holding a key, or (CODIKA_CREDENTIAL_STORE=keyring)
    // a credential store that cannot be used stops us before the code is sent (and used up).
    refuseTakenName(this.store.read(), name)
    await this.checkKeyStorage()
    const ctx: HintContext = {
      bin: this.config.bin,
      command: 'login-complete',
      email: checkEmail(flags.email),
      given: givenFlags(flags, ['organization-id', 'key-name', 'key-expires-in', 'name', 'base-url']),
    }
    const envelope = await this.withSpinner('Logging in', () =>
      withPublicClient(baseUrl, this.config.version, ctx, (client) => client.completeLogin(request)),
    )
    const {result, warnings} = await saveMintedKey(this.store, envelope, {
      baseUrl,
      name,
      endpoint: ENDPOINTS.completeLogin,
      bin: this.config.bin,
    })
    for (const warning of [...warnings, expiryWarning(result.profile ?? undefined, result.data.apiKey.expiresAt)])
      if (warning) this.warn(warning)
    if (!this.jsonEnabled()) this.log(provisionedText('login', result))
    return result
  }
}
