import {BaseCommand} from '../../lib/oclif/base-command.js'
import {checkEmail, type HintContext, requestResult, withPublicClient} from '../../lib/auth.js'
import {baseUrlFlag, emailFlag, givenFlags} from '../../lib/auth-flags.js'
import {loginBaseUrl} from '../../lib/profiles/login.js'
import {codeSentText} from '../../lib/screens/auth.js'

export default class AuthLoginRequest extends BaseCommand<typeof AuthLoginRequest> {
  static override summary =
    'Log in by email: send a 6-digit code to the address of an existing account (no key needed).'

  static override description = `The first half of getting a new organization key (cko_) for an account that has one or more organizations, without a browser or a key: the platform emails a code, valid for 10 minutes; "auth login-complete" sends it back and gets the key (earlier keys stay valid). An unknown address is refused (USER_NOT_FOUND): use "auth signup-request" instead.

At least 30 s between two codes for one address, at most 20 an hour for it and 60 an hour for one machine. Against a local sandbox, the code is in "codika sandbox outbox"; its seeded people are owner@sandbox.codika.local, admin@sandbox.codika.local and member@sandbox.codika.local.`

  static override examples = [
    {description: 'Ask for a code', command: '<%= config.bin %> <%= command.id %> --email agent@example.com'},
    {
      description: 'The seeded owner of a local sandbox, as JSON',
      command:
        '<%= config.bin %> <%= command.id %> --email owner@sandbox.codika.local --base-url http://127.0.0.1:8787 --json',
    },
  ]

  static override flags = {email: emailFlag, 'base-url': baseUrlFlag}

  async run() {
    const baseUrl = loginBaseUrl(this.flags['base-url'])
    const email = checkEmail(this.flags.email)
    const ctx: HintContext = {
      bin: this.config.bin,
      command: 'login-request',
      email,
      given: givenFlags(this.flags, ['base-url']),
    }
    const envelope = await this.withSpinner('Sending a code', () =>
      withPublicClient(baseUrl, this.config.version, ctx, (client) => client.requestLoginOtp({email})),
    )
    const result = requestResult(envelope, ctx)
    if (!this.jsonEnabled()) this.log(codeSentText(result))
    return result
  }
}
