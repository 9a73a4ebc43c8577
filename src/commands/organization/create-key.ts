import {Flags} from '../../lib/oclif/index.js'

import {PlatformCommand} from '../../lib/oclif/base-command.js'
import {daysFlag, scopesFlag} from '../../lib/oclif/flags.js'
import {createKeyRequest, saveOrganizationKey} from '../../lib/organization-keys.js'
import {createdKeyText} from '../../lib/screens/organization.js'
import {scopeHelpTable} from '../../lib/scopes.js'

export default class OrganizationCreateKey extends PlatformCommand<typeof OrganizationCreateKey> {
  static override summary = 'Create an API key (cko_) for an organization, save it as a profile and make it active.'

  static override description = `Needs a personal key (ckp_) or admin key (cka_) with the api-keys:manage scope, held by an admin or owner of the organization. The raw key is shown once and cannot be retrieved again; it is printed even when saving the profile fails.

The new key is saved as the profile "org-api-key-<name>" (with -2, -3, … when taken), pointing at the same URL, and becomes the active profile. Use --no-save on machines that should not keep secrets.

Available scopes:
${scopeHelpTable()}`

  static override examples = [
    {
      description: 'Basic key creation',
      command:
        '<%= config.bin %> <%= command.id %> --organization-id "xwk9CcT440Vupa8soIhY" --name "CI Deploy Key" --scopes "deploy:use-case,workflows:trigger"',
    },
    {
      description: 'With description and expiry',
      command:
        '<%= config.bin %> <%= command.id %> --organization-id "xwk9CcT440Vupa8soIhY" --name "Agent Key" --scopes "deploy:use-case,workflows:trigger,integrations:manage" --description "Key for autonomous agent deployments" --expires-in-days 90',
    },
    {
      description: 'JSON output for scripting',
      command:
        '<%= config.bin %> <%= command.id %> --organization-id "xwk9CcT440Vupa8soIhY" --name "Script Key" --scopes "deploy:use-case,workflows:trigger" --json',
    },
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
  }

  async run() {
    const request = createKeyRequest(this.flags)
    const credentials = this.credentials()
    // The new key must have somewhere to go: an unreadable profile file stops us before anything is sent.
    if (this.flags.save) this.store.read()

    const envelope = await this.withSpinner('Creating organization API key', () =>
      this.client().createOrganizationKey(request),
    )
    const {data, requestId} = envelope

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
          `The key was created but could not be saved as a profile: ${(error as Error).message} Copy the key now; it cannot be shown again.`,
        )
      }
    }

    if (!this.jsonEnabled()) this.log(createdKeyText(data, requestId, profile, this.flags.save))
    return {...envelope, profile}
  }
}
