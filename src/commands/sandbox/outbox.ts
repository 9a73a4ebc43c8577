import {Flags, example} from '../../lib/oclif/index.js'

import {BaseCommand} from '../../lib/oclif/base-command.js'
import {sandboxDataFlag} from '../../lib/oclif/flags.js'

export default class SandboxOutbox extends BaseCommand<typeof SandboxOutbox> {
  static override summary = 'Show the codes a local sandbox "emailed" (its outbox), newest first.'

  static override description = `The sandbox sends no email: each code of "codika auth signup-request" and "auth login-request" goes to its outbox instead (and one line on its console). This reads the outbox of the same data file as "sandbox start": from the running sandbox, which holds the file (over HTTP, at the URL it recorded beside its pid), or from the file itself when no sandbox runs on it.

--json prints {"success": true, "messages": [{"email", "code", "purpose", "sentAt", "expiresAt"}], "dataFile", "source", "url"}; GET <sandbox>/_sandbox/outbox?email=ADDRESS answers {"messages": [...]} alike, for test scripts.`

  static override examples = [
    example('Every code sent, newest first'),
    example(
      'The latest code for one address, in a script',
      '--email agent@example.com --json | jq -r ".messages[0].code"',
    ),
    example('The outbox of another data file', '--data ./sandbox.db'),
  ]

  static override flags = {
    ...sandboxDataFlag,
    email: Flags.string({summary: 'Only the messages sent to this address.'}),
  }

  async run() {
    const {checkEmail} = await import('../../lib/auth.js')
    const {readOutbox} = await import('../../lib/sandbox/outbox.js')
    const {outboxText} = await import('../../lib/screens/sandbox.js')
    const email = this.flags.email === undefined ? undefined : checkEmail(this.flags.email)
    const outbox = await readOutbox(this.flags.data, email)
    if (!this.jsonEnabled()) this.log(outboxText(outbox, email))
    return {success: true, ...outbox}
  }
}
