import {Flags} from '../lib/oclif/index.js'

import {PRODUCTION_BASE_URL, type VerifyApiKeyData} from '../lib/api/contract.js'
import {BaseCommand, keyStorageFlags} from '../lib/oclif/base-command.js'
import {verifyNewKey} from '../lib/profiles/identity.js'
import {
  checkKey,
  checkProfileName,
  loginBaseUrl,
  loginProfile,
  planLoginNow,
  replaceRefused,
  sameHolder,
  saveLogin,
} from '../lib/profiles/login.js'
import {canPrompt, confirm, readKey} from '../lib/profiles/prompt.js'
import {expiryWarning} from '../lib/profiles/expiry.js'
import {loginText} from '../lib/screens/identity.js'
import {maskKey, registerSecret} from '../lib/redact.js'
import {keyIdentity, keyLocation, profileMask} from '../lib/profiles/types.js'

export default class Login extends BaseCommand<typeof Login> {
  static override summary = 'Verify an API key with the platform and save it as the active profile.'

  static override description = `Without --api-key, the key is asked for with a masked prompt on a terminal, or read from the first line of stdin when it is piped (never from the command line history). The key is verified with the platform (verifyapikey) at --base-url, else CODIKA_BASE_URL, else production, and saved with what the platform says about it and that base URL.

The profile is named --name, or after the organization (organization keys) or the key's name (personal and admin keys). Logging in again with the same key refreshes its profile. A profile that holds a different key is replaced only with --force or after a yes at the terminal's prompt.

The key goes to the system credential store (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) and the profile file keeps a reference to it; where no store works, to the profile file, with a notice. --insecure-storage, or CODIKA_CREDENTIAL_STORE=file|keyring|auto, chooses.`

  static override examples = [
    {description: 'Log in with a masked prompt', command: '<%= config.bin %> <%= command.id %>'},
    {
      description: 'Pipe the key from a secret store',
      command: 'op read op://vault/codika/key | <%= config.bin %> <%= command.id %> --name acme-prod',
    },
    {
      description: 'Log in to a local sandbox',
      command:
        '<%= config.bin %> <%= command.id %> --api-key "$SANDBOX_KEY" --base-url http://127.0.0.1:8787 --name sandbox',
    },
    {
      description: 'Save without asking the platform (the type comes from the prefix)',
      command: '<%= config.bin %> <%= command.id %> --api-key "$CODIKA_KEY" --skip-verify --name offline --json',
    },
  ]

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
    const before = this.store.read()
    await this.checkKeyStorage()

    const apiKey = checkKey(
      flags['api-key'] ?? (await readKey(json)),
      flags['api-key'] === undefined ? 'the input' : '--api-key',
    )
    registerSecret(apiKey)

    // Without a terminal to ask on, a refused replace is known before anything is sent.
    const early = name === undefined ? undefined : await planLoginNow(this.store, before, apiKey, name)
    if (early?.action === 'replaced' && !flags.force && !canPrompt(json)) throw replaceRefused(early, false)

    let verified: {data: VerifyApiKeyData; requestId: string} | undefined
    if (!flags['skip-verify'])
      verified = await this.withSpinner('Verifying the key', () => verifyNewKey(apiKey, baseUrl, this.config.version))
    const profile = loginProfile(apiKey, baseUrl, verified?.data)

    let confirmed: string | undefined
    const planned = await planLoginNow(this.store, this.store.read(), apiKey, name, profile)
    if (planned.action === 'replaced' && !flags.force) {
      const asked = canPrompt(json)
      if (
        !asked ||
        !(await confirm(
          `Profile "${planned.name}" holds a different key (${profileMask(planned.existing!)}). Replace it?`,
        ))
      )
        throw replaceRefused(planned, asked)
      confirmed = keyIdentity(planned.existing)
    }
    const plan = await saveLogin(this.store, profile, name, (p) => flags.force || sameHolder(p, confirmed))

    const warning = expiryWarning(plan.name, profile.expiresAt)
    if (warning) this.warn(warning)
    const savedUrl = profile.baseUrl ?? PRODUCTION_BASE_URL
    const keyStore = keyLocation(this.store.read().profiles[plan.name])
    if (!json)
      this.log(loginText(plan.name, plan.action, verified?.data, profile.type, maskKey(apiKey), savedUrl, keyStore))
    return {
      success: true,
      verified: verified !== undefined,
      data: verified?.data ?? null,
      requestId: verified?.requestId ?? null,
      profile: plan.name,
      action: plan.action,
      maskedKey: maskKey(apiKey),
      keyStore,
      baseUrl: savedUrl,
    }
  }
}
