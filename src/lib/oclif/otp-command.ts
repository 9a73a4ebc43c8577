// What the four `codika auth` commands share, once. A request sends a code to an address. A complete checks all it
// can before the code is sent (and used up: a profile name that holds a key, a credential store that cannot be used),
// sends it, saves the minted key as login saves one, and shows it masked.
import {BaseCommand} from './base-command.js'
import type {Command} from './core.js'

import type {CodikaClient} from '../api/client.js'
import {
  type CompleteLoginData,
  type CompleteSignupData,
  ENDPOINTS,
  type OtpRequestData,
  type SuccessEnvelope,
} from '../api/contract.js'
import {
  checkEmail,
  type HintContext,
  type ProvisionResult,
  refuseTakenName,
  type RequestResult,
  requestResult,
  saveMintedKey,
  withPublicClient,
} from '../auth.js'
import {givenFlags} from '../auth-flags.js'
import {expiryWarning} from '../profiles/expiry.js'
import {checkProfileName, loginBaseUrl} from '../profiles/login.js'
import {codeSentText, provisionedText} from '../screens/auth.js'

/** The flags every auth command has (and, for a complete, --name), beside its own. */
type OtpFlags = Record<string, unknown> & {email: string; 'base-url'?: string; name?: string}

export abstract class OtpCommand<T extends typeof Command> extends BaseCommand<T> {
  /** signup-request / login-request: the code sent to --email, and the complete to run with it. */
  protected async sendCode(
    command: 'login-request' | 'signup-request',
    flags: OtpFlags,
    send: (client: CodikaClient, email: string) => Promise<SuccessEnvelope<OtpRequestData>>,
  ): Promise<RequestResult> {
    const baseUrl = loginBaseUrl(flags['base-url'])
    const email = checkEmail(flags.email)
    const ctx: HintContext = {bin: this.config.bin, command, email, given: givenFlags(flags, ['base-url'])}
    const envelope = await this.withSpinner('Sending a code', () =>
      withPublicClient(baseUrl, this.config.version, ctx, (client) => send(client, email)),
    )
    const result = requestResult(envelope, ctx)
    if (!this.jsonEnabled()) this.log(codeSentText(result))
    return result
  }

  /**
   * signup-complete / login-complete: `request` builds the body from the flags (its checks come after the URL's);
   * `repeated`, the flags a hint's command line repeats as given.
   */
  protected async completeCode<R>(
    command: 'login-complete' | 'signup-complete',
    flags: OtpFlags,
    step: {
      request: () => R
      repeated: readonly string[]
      send: (client: CodikaClient, request: R) => Promise<SuccessEnvelope<CompleteLoginData | CompleteSignupData>>
    },
  ): Promise<ProvisionResult> {
    const kind = command === 'login-complete' ? 'login' : 'signup'
    const baseUrl = loginBaseUrl(flags['base-url'])
    const request = step.request()
    const name = flags.name === undefined ? undefined : checkProfileName(flags.name)
    refuseTakenName(this.store.read(), name)
    await this.checkKeyStorage()
    const ctx: HintContext = {
      bin: this.config.bin,
      command,
      email: checkEmail(flags.email),
      given: givenFlags(flags, step.repeated),
    }
    const envelope = await this.withSpinner(kind === 'login' ? 'Logging in' : 'Signing up', () =>
      withPublicClient(baseUrl, this.config.version, ctx, (client) => step.send(client, request)),
    )
    const {result, warnings} = await saveMintedKey(this.store, envelope, {
      baseUrl,
      name,
      endpoint: kind === 'login' ? ENDPOINTS.completeLogin : ENDPOINTS.completeSignup,
      bin: this.config.bin,
    })
    for (const warning of [...warnings, expiryWarning(result.profile ?? undefined, result.data.apiKey.expiresAt)])
      if (warning) this.warn(warning)
    if (!this.jsonEnabled()) this.log(provisionedText(kind, result))
    return result
  }
}
