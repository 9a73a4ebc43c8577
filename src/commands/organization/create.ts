import {Flags, example} from '../../lib/oclif/index.js'

import {MAX_LOGO_MIB, ORGANIZATION_NAME_LENGTH, ORGANIZATION_SIZES} from '../../lib/api/contract.js'
import {PlatformCommand} from '../../lib/oclif/base-command.js'
import {createOrganizationRequest, N8N_FLAG_RULES} from '../../lib/organizations.js'
import {createdOrganizationText} from '../../lib/screens/organization.js'

export default class OrganizationCreate extends PlatformCommand<typeof OrganizationCreate> {
  static override summary = 'Create an organization; the key that creates it becomes its owner.'

  static override description = `Needs a personal key (ckp_) or admin key (cka_) with the organizations:create scope. The person behind the key becomes the organization's owner, so the same key can then create keys for it with "organization create-key".

The logo's type is read from its content, not its name: a JPEG, PNG or WebP file of at most ${MAX_LOGO_MIB} MiB.

For a self-hosted n8n instance give both --n8n-base-url and --n8n-api-key (or neither, for the platform-managed n8n). The n8n key is sent to the platform and never printed.

Local profiles are not changed.`

  static override examples = [
    example('Basic organization', '--name "Acme Corp"'),
    example(
      'With a description, a size and a logo',
      '--name "Acme Corp" --description "Automation for the Acme sales team" --size 11-50 --logo ./acme-logo.png',
    ),
    example(
      'With a self-hosted n8n instance',
      '--name "Acme Corp" --n8n-base-url https://n8n.acme.example --n8n-api-key "$N8N_API_KEY" --store-credential-copy',
    ),
    example('JSON output for scripting (the new id is .data.organizationId)', '--name "Acme Corp" --size solo --json'),
  ]

  static override flags = {
    name: Flags.string({
      summary: `Organization name (${ORGANIZATION_NAME_LENGTH.min} to ${ORGANIZATION_NAME_LENGTH.max} characters).`,
      required: true,
    }),
    description: Flags.string({summary: 'Organization description.'}),
    size: Flags.string({summary: 'Organization size.', options: [...ORGANIZATION_SIZES]}),
    logo: Flags.string({
      summary: `Path to a logo image (JPEG, PNG or WebP, at most ${MAX_LOGO_MIB} MiB).`,
    }),
    'n8n-base-url': Flags.string({
      summary: 'Base URL of a self-hosted n8n instance (with --n8n-api-key).',
      dependsOn: ['n8n-api-key'],
    }),
    'n8n-api-key': Flags.string({
      summary: 'API key of the self-hosted n8n instance (with --n8n-base-url).',
      dependsOn: ['n8n-base-url'],
    }),
    'store-credential-copy': Flags.boolean({
      summary: 'Let the platform keep a copy of the n8n credentials (only with a self-hosted n8n).',
      dependsOn: ['n8n-base-url'],
    }),
  }

  static override flagRuleWords = N8N_FLAG_RULES

  async run() {
    const request = createOrganizationRequest(this.flags)
    const envelope = await this.withSpinner('Creating organization', () => this.client().createOrganization(request))

    if (!this.jsonEnabled())
      this.log(createdOrganizationText(envelope.data.organizationId, request.name, envelope.requestId, this.config.bin))
    return envelope
  }
}
