import {BaseCommand} from '../../lib/oclif/base-command.js'
import {checkEmail, type HintContext, requestResult, withPublicClient} from '../../lib/auth.js'
import {baseUrlFlag, emailFlag, givenFlags} from '../../lib/auth-flags.js'
import {loginBaseUrl} from '../../lib/profiles/login.js'
import {codeSentText} from '../../lib/screens/auth.js'

export default class AuthSignupRequest extends BaseCommand<typeof AuthSignupRequest> {
  static override summary = 'Sign up by email: send a 6-digit code to the address (no key needed).'

  static override description = `The first half of getting an organization key (cko_) without a browser or a key, for agents and bare terminals: the platform emails a code, valid for 10 minutes; "auth signup-complete" sends it back and gets the key. An address that already has an organization is refused (USER_ALREADY_HAS_ORGANIZATION): use "auth login-request" instead.

At least 30 s between two codes for one address, at most 20 an hour for it and 60 an hour for one machine. Against a local sandbox, the code is in "codika sandbox outbox".`

  static override examples = [
    {description: 'Ask for a code', command: '<%= config.bin %> <%= command.id %> --email agent@example.com'},
    {
      description: 'Against a local sandbox, as JSON',
      command: '<%= config.bin %> <%= command.id %> --email agent@example.com --base-url http://127.0.0.1:8787 --json',
    },
  ]

  static override flags = {email: emailFlag, 'base-url': baseUrlFlag}

  async run() {
    const baseUrl = loginBaseUrl(this.flags['base-url'])
    const email = checkEmail(this.flags.email)
    const ctx: HintContext = {
      bin: this.config.bin,
      command: 'signup-request',
      email,
      given: givenFlags(this.flags, ['base-url']),
    }
    const envelope = await this.withSpinner('Sending a code', () =>
      withPublicClient(baseUrl, this.config.version, ctx, (client) => client.requestSignupOtp({email})),
    )
    const result = requestResult(envelope, ctx)
    if (!this.jsonEnabled()) this.log(codeSentText(result))
    return result
  }
}
