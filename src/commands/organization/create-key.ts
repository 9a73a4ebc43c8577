import {Flags, example} from '../../lib/oclif/index.js'

import {type CreateOrganizationKeyRequest, keyPrefixOf} from '../../lib/api/contract.js'
import {keyStorageFlags, PlatformCommand} from '../../lib/oclif/base-command.js'
import {daysFlag, scopesFlag} from '../../lib/oclif/flags.js'
import {
  createKeyRequest,
  type RecoveredKey,
  recoverCreatedKey,
  saveOrganizationKey,
} from '../../lib/organization-keys.js'
import {sentence} from '../../lib/output.js'
import {createdKeyText} from '../../lib/screens/organization.js'
import {scopeHelpTable} from '../../lib/scopes.js'

export default class OrganizationCreateKey extends PlatformCommand<typeof OrganizationCreateKey> {
  static override summary = 'Create an API key (cko_) for an organization, save it as a profile and make it active.'

  static override description = `Needs a personal key (ckp_) or admin key (cka_) with the api-keys:manage scope, held by an admin or owner of the organization. The raw key is shown once and cannot be retrieved again; it is printed even when saving the profile fails.

The new key is saved as the profile "org-api-key-<name>" (with -2, -3, … when taken), pointing at the same URL, and becomes the active profile: the key in the system credential store where one works (else in the profile file, with a notice; --insecure-storage chooses the file). Use --no-save on machines that should not keep secrets.

Available scopes:
${scopeHelpTable()}`

  static override examples = [
    example(
      'Basic key creation',
      '--organization-id "xwk9CcT440Vupa8soIhY" --name "CI Deploy Key" --scopes "deploy:use-case,workflows:trigger"',
    ),
    example(
      'With description and expiry',
      '--organization-id "xwk9CcT440Vupa8soIhY" --name "Agent Key" --scopes "deploy:use-case,workflows:trigger,integrations:manage" --description "Key for autonomous agent deployments" --expires-in-days 90',
    ),
    example(
      'JSON output for scripting',
      '--organization-id "xwk9CcT440Vupa8soIhY" --name "Script Key" --scopes "deploy:use-case,workflows:trigger" --json',
    ),
  ]

  static override flags = {
    'organization-id': Flags.string({summary: 'Organization ID to create the key for.', required: true}),
    name: Flags.string({summary: 'Key name (for identification).', required: true}),
    scopes: scopesFlag({summary: 'Comma-separated list of scopes (see the list below).', required: true}),
    description: Flags.string({summary: 'Key description.'}),
    'expires-in-days': daysFlag({summary: 'Number of days until the key expires (default: no expiry).'}),
    save: Flags.boolean({
      summary: 'Save the new key as a profile and make it active.',
      default: true,
      allowNo: true,
    }),
    ...keyStorageFlags,
  }

  async run() {
    const request = createKeyRequest(this.flags)
    const credentials = this.credentials()
    // The new key must have somewhere to go: an unreadable profile file, or (with CODIKA_CREDENTIAL_STORE=keyring) a
    // credential store that cannot be used, stops us before anything is sent.
    if (this.flags.save) {
      this.store.read()
      await this.checkKeyStorage()
    }

    const envelope = await this.withSpinner('Creating organization API key', () => this.createKey(request))
    const {data, requestId} = envelope
    this.madeOnce = `The key ${data.keyId ?? keyPrefixOf(data.apiKey)} was created on the platform.`

    let profile: string | null = null
    if (this.flags.save) {
      try {
        profile = await saveOrganizationKey(this.store, {
          data,
          request,
          baseUrl: credentials.baseUrl,
          creator: credentials.profile,
        })
      } catch (error) {
        this.warn(
          `The key was created but could not be saved as a profile: ${sentence((error as Error).message)} Copy the key now; it cannot be shown again.`,
        )
      }
    }

    if (profile) this.madeOnce += ` It is saved as profile "${profile}" (now active).`
    else this.madeOnce += ' It was not saved: it cannot be shown again. Revoke it on the platform if it is lost.'
    if (!this.jsonEnabled()) this.log(createdKeyText(data, requestId, profile, this.flags.save))
    return {...envelope, profile}
  }

  /**
   * The create call. An answer that carries the new key but strays from the contract elsewhere still yields the key,
   * with a warning: it exists, and cannot be fetched again.
   */
  private async createKey(request: CreateOrganizationKeyRequest): Promise<RecoveredKey['envelope']> {
    try {
      return await this.client().createOrganizationKey(request)
    } catch (error) {
      const recovered = recoverCreatedKey(error)
      if (!recovered) throw error
      this.warn(
        `${recovered.problem} The key it holds was created, and is shown and saved anyway: it cannot be fetched again.`,
      )
      return recovered.envelope
    }
  }
}
