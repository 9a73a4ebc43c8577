import {example} from '../../lib/oclif/index.js'

import {OtpCommand} from '../../lib/oclif/otp-command.js'
import {baseUrlFlag, emailFlag} from '../../lib/auth-flags.js'

export default class AuthSignupRequest extends OtpCommand<typeof AuthSignupRequest> {
  static override summary = 'Sign up by email: send a 6-digit code to the address (no key needed).'

  static override description = `The first half of getting an organization key (cko_) without a browser or a key, for agents and bare terminals: the platform emails a code, valid for 10 minutes; "auth signup-complete" sends it back and gets the key. An address that already has an organization is refused (USER_ALREADY_HAS_ORGANIZATION): use "auth login-request" instead.

At least 30 s between two codes for one address, at most 20 an hour for it and 60 an hour for one machine. Against a local sandbox, the code is in "codika sandbox outbox".`

  static override examples = [
    example('Ask for a code', '--email agent@example.com'),
    example('Against a local sandbox, as JSON', '--email agent@example.com --base-url http://127.0.0.1:8787 --json'),
  ]

  static override flags = {email: emailFlag, 'base-url': baseUrlFlag}

  async run() {
    return this.sendCode('signup-request', this.flags, (client, email) => client.requestSignupOtp({email}))
  }
}
