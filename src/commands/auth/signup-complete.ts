import {Flags, example} from '../../lib/oclif/index.js'

import {COMPANY_NAME_MAX_LENGTH, DEFAULT_COMPANY_NAME} from '../../lib/api/contract.js'
import {OtpCommand} from '../../lib/oclif/otp-command.js'
import {signupCompleteRequest} from '../../lib/auth.js'
import {codeFlags, mintedKeyFlags, REPEATED_KEY_FLAGS} from '../../lib/auth-flags.js'

export default class AuthSignupComplete extends OtpCommand<typeof AuthSignupComplete> {
  static override summary =
    'Sign up by email: send back the code, create the organization, save its new key as the active profile.'

  static override description = `The second half of "auth signup-request": creates the account (when new) and an organization it owns (--company, default "My Organization"), mints an organization key (cko_) with the ten organization scopes, and saves it as a profile exactly like "login" does, named --name or after the organization, and made active. The raw key is never printed, not even with --json: only its mask, the profile's name and what to run next.

A profile named --name that holds a key is never replaced: the command stops before sending the code. A refusal that is not about the code (the organization could not be created) leaves the code valid, to be sent again.`

  static override examples = [
    example('Complete with the code from the email', '--email agent@example.com --code 123456 --company "Acme Corp"'),
    example(
      'A key that expires in 90 days, saved as profile "acme-agent", as JSON',
      '--email agent@example.com --code 123456 --company "Acme Corp" --key-name "Agent key" --key-expires-in 90 --name acme-agent --json',
    ),
  ]

  static override flags = {
    ...codeFlags,
    company: Flags.string({
      summary: `Name of the new organization, at most ${COMPANY_NAME_MAX_LENGTH} characters (default: "${DEFAULT_COMPANY_NAME}").`,
    }),
    description: Flags.string({summary: 'Description of the new organization.'}),
    ...mintedKeyFlags,
  }

  async run() {
    const {flags} = this
    return this.completeCode('signup-complete', flags, {
      request: () => signupCompleteRequest(flags),
      repeated: ['company', 'description', ...REPEATED_KEY_FLAGS],
      send: (client, request) => client.completeSignup(request),
    })
  }
}
