import {example} from '../../lib/oclif/index.js'

import {OtpCommand} from '../../lib/oclif/otp-command.js'
import {baseUrlFlag, emailFlag} from '../../lib/auth-flags.js'

export default class AuthLoginRequest extends OtpCommand<typeof AuthLoginRequest> {
  static override summary =
    'Log in by email: send a 6-digit code to the address of an existing account (no key needed).'

  static override description = `The first half of getting a new organization key (cko_) for an account that has one or more organizations, without a browser or a key: the platform emails a code, valid for 10 minutes; "auth login-complete" sends it back and gets the key (earlier keys stay valid). An unknown address is refused (USER_NOT_FOUND): use "auth signup-request" instead.

At least 30 s between two codes for one address, at most 20 an hour for it and 60 an hour for one machine. Against a local sandbox, the code is in "codika sandbox outbox"; its seeded people are owner@sandbox.codika.local, admin@sandbox.codika.local and member@sandbox.codika.local.`

  static override examples = [
    example('Ask for a code', '--email agent@example.com'),
    example(
      'The seeded owner of a local sandbox, as JSON',
      '--email owner@sandbox.codika.local --base-url http://127.0.0.1:8787 --json',
    ),
  ]

  static override flags = {email: emailFlag, 'base-url': baseUrlFlag}

  async run() {
    return this.sendCode('login-request', this.flags, (client, email) => client.requestLoginOtp({email}))
  }
}
