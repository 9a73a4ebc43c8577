import {Flags, example} from '../../lib/oclif/index.js'

import {PlatformCommand} from '../../lib/oclif/base-command.js'
import {scopesFlag} from '../../lib/oclif/flags.js'
import {refreshKeyProfiles, updateKeyRequest} from '../../lib/organization-keys.js'
import {updatedKeyText} from '../../lib/screens/organization.js'
import {scopeHelpTable} from '../../lib/scopes.js'

export default class OrganizationUpdateKey extends PlatformCommand<typeof OrganizationUpdateKey> {
  static override summary = "Change an organization API key's name, description or scopes."

  static override description = `Needs a personal key (ckp_) or admin key (cka_) with the api-keys:manage scope, held by an admin or owner of the key's organization. Give --key-id and at least one change; --scopes replaces the whole set, and --description "" clears the description.

A local profile holding the updated key (created by "organization create-key" on the same platform) gets its cached name and scopes refreshed.

Available scopes:
${scopeHelpTable()}`

  static override examples = [
    example('Rename a key', '--key-id "abc123-def456" --name "CI Deploy Key (production)"'),
    example(
      'Replace its scopes',
      '--key-id "abc123-def456" --scopes "deploy:use-case,workflows:trigger,executions:read"',
    ),
    example('Clear its description', '--key-id "abc123-def456" --description ""'),
    example('JSON output for scripting', '--key-id "abc123-def456" --name "Agent Key" --json'),
  ]

  static override flags = {
    'key-id': Flags.string({summary: 'ID of the key to change (shown by create-key).', required: true}),
    name: Flags.string({summary: 'New key name.'}),
    description: Flags.string({summary: 'New key description ("" clears it).'}),
    scopes: scopesFlag({summary: 'Comma-separated list of scopes; replaces the current set (see the list below).'}),
  }

  async run() {
    const request = updateKeyRequest(this.flags)
    const credentials = this.credentials()
    const envelope = await this.withSpinner('Updating organization API key', () =>
      this.client().updateOrganizationKey(request),
    )
    const {data, requestId} = envelope

    let refreshed: string[] = []
    try {
      refreshed = await refreshKeyProfiles(this.store, data, credentials.baseUrl)
    } catch (error) {
      this.warn(`The key was updated, but its local profile could not be refreshed: ${(error as Error).message}`)
    }

    if (!this.jsonEnabled()) this.log(updatedKeyText(data, requestId, refreshed))
    return {...envelope, profile: refreshed[0] ?? null}
  }
}
