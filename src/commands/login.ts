import {Flags, example} from '../lib/oclif/index.js'

import {PRODUCTION_BASE_URL} from '../lib/api/contract.js'
import {BaseCommand, keyStorageFlags} from '../lib/oclif/base-command.js'
import {verifyNewKey} from '../lib/profiles/identity.js'
import {checkProfileName, loginBaseUrl, type LoginPlan, loginWithKey} from '../lib/profiles/login.js'
import {canPrompt, confirm, readKey} from '../lib/profiles/prompt.js'
import {expiryWarning} from '../lib/profiles/expiry.js'
import {loginText} from '../lib/screens/identity.js'
import {maskKey} from '../lib/redact.js'
import {keyLocation, profileMask} from '../lib/profiles/types.js'

export default class Login extends BaseCommand<typeof Login> {
  static override summary = 'Verify an API key with the platform and save it as the active profile.'

  static override description = `Without --api-key, the key is asked for with a masked prompt on a terminal, or read from the first line of stdin when it is piped (never from the command line history). The key is verified with the platform (verifyapikey) at --base-url, else CODIKA_BASE_URL, else production, and saved with what the platform says about it and that base URL.

The profile is named --name, or after the organization (organization keys) or the key's name (personal and admin keys). Logging in again with the same key refreshes its profile. A profile that holds a different key is replaced only with --force or after a yes at the terminal's prompt.`

  static override examples = [
    example('Log in with a masked prompt'),
    {
      description: 'Pipe the key from a secret store',
      command: 'op read op://vault/codika/key | <%= config.bin %> <%= command.id %> --name acme-prod',
    },
    example('Log in to a local sandbox', '--api-key "$SANDBOX_KEY" --base-url http://127.0.0.1:8787 --name sandbox'),
    example(
      'Save without asking the platform (the type comes from the prefix)',
      '--api-key "$CODIKA_KEY" --skip-verify --name offline --json',
    ),
  ]

  // `codika login ckp_…` would leave the key in the shell's history: refused, the word never shown.
  static override secretArgumentsHint =
    'Pass the key with --api-key, or pipe it on stdin; on a terminal, run codika login to type it at a masked prompt.'

  static override flags = {
    'api-key': Flags.string({summary: 'The API key to log in with (default: prompt, or the first line of stdin).'}),
    'base-url': Flags.string({
      summary:
        'Platform base URL to verify against and save in the profile (default: CODIKA_BASE_URL, else production).',
      aliases: ['api-url'],
    }),
    name: Flags.string({summary: 'Profile name (default: derived from the organization or key name).'}),
    'skip-verify': Flags.boolean({
      summary: 'Save the key without asking the platform; the type comes from its prefix.',
    }),
    force: Flags.boolean({
      char: 'f',
      summary: 'Replace a profile of that name that holds a different key, without asking.',
    }),
    ...keyStorageFlags,
  }

  async run() {
    const {flags} = this
    const json = this.jsonEnabled()
    const baseUrl = loginBaseUrl(flags['base-url'])
    const name = flags.name === undefined ? undefined : checkProfileName(flags.name)
    // An unreadable profile file, or a key store that cannot take the key, stops us before the key is asked for.
    this.store.read()
    await this.checkKeyStorage()
    const given = flags['api-key']
    const key =
      given === undefined ? {value: await readKey(json), from: 'the input'} : {value: given, from: '--api-key'}

    const {apiKey, profile, saved, verified} = await loginWithKey({
      store: this.store,
      key,
      baseUrl,
      name,
      verify: flags['skip-verify']
        ? undefined
        : (k, url) => this.withSpinner('Verifying the key', () => verifyNewKey(k, url, this.config.version)),
      onClash: flags.force
        ? {kind: 'replace'}
        : canPrompt(json)
          ? {kind: 'ask', confirm: confirmReplace}
          : {kind: 'refuse'},
    })

    const warning = expiryWarning(saved.name, profile.expiresAt)
    if (warning) this.warn(warning)
    const savedUrl = profile.baseUrl ?? PRODUCTION_BASE_URL
    const keyStore = keyLocation(this.store.read().profiles[saved.name])
    if (!json)
      this.log(loginText(saved.name, saved.action, verified?.data, profile.type, maskKey(apiKey), savedUrl, keyStore))
    return {
      success: true,
      verified: verified !== undefined,
      data: verified?.data ?? null,
      requestId: verified?.requestId ?? null,
      profile: saved.name,
      action: saved.action,
      maskedKey: maskKey(apiKey),
      keyStore,
      baseUrl: savedUrl,
    }
  }
}

/** The terminal's yes/no before a profile holding another key is replaced. */
function confirmReplace(plan: LoginPlan): Promise<boolean> {
  return confirm(`Profile "${plan.name}" holds a different key (${profileMask(plan.existing!)}). Replace it?`)
}
