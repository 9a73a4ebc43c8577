import {Flags, example} from '../../lib/oclif/index.js'

import {OtpCommand} from '../../lib/oclif/otp-command.js'
import {loginCompleteRequest} from '../../lib/auth.js'
import {codeFlags, mintedKeyFlags, REPEATED_KEY_FLAGS} from '../../lib/auth-flags.js'

export default class AuthLoginComplete extends OtpCommand<typeof AuthLoginComplete> {
  static override summary =
    'Log in by email: send back the code, mint a new organization key, save it as the active profile.'

  static override description = `The second half of "auth login-request": mints a new organization key (cko_) with the ten organization scopes for one of the account's organizations (earlier keys stay valid), and saves it as a profile exactly like "login" does, named --name or after the organization, and made active. The raw key is never printed, not even with --json: only its mask, the profile's name and what to run next.

An account in several organizations must say which with --organization-id (MULTIPLE_ORGANIZATIONS lists them); the code stays valid until a key is minted, so the same command can be run again with the choice. A profile named --name that holds a key is never replaced: the command stops before sending the code.`

  static override examples = [
    example('Complete with the code from the email', '--email agent@example.com --code 123456'),
    example(
      'For one organization of several, with a key that expires in 30 days, as JSON',
      '--email agent@example.com --code 123456 --organization-id "xwk9CcT440Vupa8soIhY" --key-expires-in 30 --json',
    ),
  ]

  static override flags = {
    ...codeFlags,
    'organization-id': Flags.string({summary: 'The organization to mint the key for (needed when there are several).'}),
    ...mintedKeyFlags,
  }

  async run() {
    const {flags} = this
    return this.completeCode('login-complete', flags, {
      request: () => loginCompleteRequest(flags),
      repeated: ['organization-id', ...REPEATED_KEY_FLAGS],
      send: (client, request) => client.completeLogin(request),
    })
  }
}
