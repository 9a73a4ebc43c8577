// `codika hello`: greets the organization of the key in use — a third-party command built only on codika's exports.
import {PlatformCommand} from 'codika'

export default class Hello extends PlatformCommand<typeof Hello> {
  static override summary = 'Say hello to the organization of the key in use.'

  static override description =
    'Verifies the key with the platform (found as for every codika command: --api-key, --profile, CODIKA_API_KEY, CODIKA_PROFILE, then the active profile) and prints the name of its organization.'

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --profile acme-corp',
    '<%= config.bin %> <%= command.id %> --json',
  ]

  async run() {
    // The base command resolves the key and URL, maps errors to exit codes and prints --json; the client speaks the contract.
    const envelope = await this.withSpinner('Verifying the key', () => this.client().verifyApiKey())
    const {organizationName, organizationId, type} = envelope.data
    if (!this.jsonEnabled()) {
      const who = organizationName ?? organizationId
      this.log(who ? `Hello, ${who}!` : `Hello! This ${type} is not bound to one organization.`)
    }
    return envelope
  }
}
