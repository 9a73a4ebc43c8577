import {Flags} from '../../lib/oclif/index.js'

import {ENDPOINTS} from '../../lib/api/contract.js'
import {BaseCommand, keyStorageFlags} from '../../lib/oclif/base-command.js'
import {
  checkEmail,
  type HintContext,
  refuseTakenName,
  saveMintedKey,
  signupCompleteRequest,
  withPublicClient,
} from '../../lib/auth.js'
import {baseUrlFlag, codeFlag, emailFlag, givenFlags, keyFlags} from '../../lib/auth-flags.js'
import {expiryWarning} from '../../lib/profiles/expiry.js'
import {checkProfileName, loginBaseUrl} from '../../lib/profiles/login.js'
import {provisionedText} from '../../lib/screens/auth.js'

export default class AuthSignupComplete extends BaseCommand<typeof AuthSignupComplete> {
  static override summary =
    'Sign up by email: send back the code, create the organization, save its new key as the active profile.'

  static override description = `The second half of "auth signup-request": creates the account (when new) and an organization it owns (--company, default "My Organization"), mints an organization key (cko_) with the ten organization scopes, and saves it as a profile exactly like "login" does, named --name or after the organization, and made active. The raw key is never printed, not even with --json: only its mask, the profile's name and what to run next.

A profile named --name that holds a key is never replaced: the command stops before sending the code. A refusal that is not about the code (the organization could not be created) leaves the code valid, to be sent again.`

  static override examples = [
    {
      description: 'Complete with the code from the email',
      command: '<%= config.bin %> <%= command.id %> --email agent@example.com --code 123456 --company "Acme Corp"',
    },
    {
      description: 'A key that expires in 90 days, saved as profile "acme-agent", as JSON',
      command:
        '<%= config.bin %> <%= command.id %> --email agent@example.com --code 123456 --company "Acme Corp" --key-name "Agent key" --key-expires-in 90 --name acme-agent --json',
    },
  ]

  static override flags = {
    email: emailFlag,
    code: codeFlag,
    company: Flags.string({
      summary: 'Name of the new organization, at most 100 characters (default: "My Organization").',
    }),
    description: Flags.string({summary: 'Description of the new organization.'}),
    ...keyFlags,
    'base-url': baseUrlFlag,
    ...keyStorageFlags,
  }

  async run() {
    const {flags} = this
    const baseUrl = loginBaseUrl(flags['base-url'])
    const request = signupCompleteRequest(flags)
    const name = flags.name === undefined ? undefined : checkProfileName(flags.name)
    // The key must have somewhere to go: an unreadable file, a --name holding a key, or (CODIKA_CREDENTIAL_STORE=keyring)
    // a credential store that cannot be used stops us before the code is sent (and used up).
    refuseTakenName(this.store.read(), name)
    await this.checkKeyStorage()
    const ctx: HintContext = {
      bin: this.config.bin,
      command: 'signup-complete',
      email: checkEmail(flags.email),
      given: givenFlags(flags, ['company', 'description', 'key-name', 'key-expires-in', 'name', 'base-url']),
    }
    const envelope = await this.withSpinner('Signing up', () =>
      withPublicClient(baseUrl, this.config.version, ctx, (client) => client.completeSignup(request)),
    )
    const {result, warnings} = await saveMintedKey(this.store, envelope, {
      baseUrl,
      name,
      endpoint: ENDPOINTS.completeSignup,
      bin: this.config.bin,
    })
    for (const warning of [...warnings, expiryWarning(result.profile ?? undefined, result.data.apiKey.expiresAt)])
      if (warning) this.warn(warning)
    if (!this.jsonEnabled()) this.log(provisionedText('signup', result))
    return result
  }
}
