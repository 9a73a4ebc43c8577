import {Flags, example} from '../../lib/oclif/index.js'

import {BaseCommand, keyStorageFlags} from '../../lib/oclif/base-command.js'
import {sandboxDataFlag} from '../../lib/oclif/flags.js'
import {sentence} from '../../lib/output.js'
import {nextStopSignal} from '../../lib/sandbox/stop-signal.js'
import {DEFAULT_HOST, DEFAULT_PORT} from '../../sandbox/defaults.js'

export default class SandboxStart extends BaseCommand<typeof SandboxStart> {
  static override summary = 'Run a local Codika-compatible platform.'

  static override description = `Serves every endpoint of the platform's contract on loopback, with the same envelopes, status codes and rules, from an SQLite file that survives restarts. The first start of a data file creates "Sandbox Org" with an owner, an admin and a plain member, and prints their keys once.

The codes of "codika auth" are not emailed: they go to the outbox ("codika sandbox outbox", or GET /_sandbox/outbox?email=) and one line on stderr. The seeded people's addresses (owner@sandbox.codika.local, admin@…, member@…) are shown on every start.

Runs until Ctrl+C (SIGINT) or SIGTERM. Requests are logged on stderr, never with keys. CODIKA_SANDBOX_CLOCK_OFFSET (+8d, -2h, 30m, 90s, 1w or seconds) shifts the sandbox's clock, to try expired keys without waiting.`

  static override examples = [
    example('Start on the default port, 8787'),
    example(
      'A fresh sandbox on any free port, saving the owner key as the active profile "sandbox"',
      '--port 0 --reset --login',
    ),
    example('Keep the data in a file of your choice and read the keys as JSON', '--data ./sandbox.db --json'),
  ]

  static override flags = {
    port: Flags.integer({summary: 'Port to listen on (0: any free port).', default: DEFAULT_PORT, min: 0, max: 65_535}),
    host: Flags.string({
      summary: 'Interface to bind; anything but loopback is reachable from other machines.',
      default: DEFAULT_HOST,
    }),
    ...sandboxDataFlag,
    reset: Flags.boolean({summary: 'Delete the data file first and start empty.'}),
    login: Flags.boolean({
      summary:
        'Save the seeded owner key as the active profile "sandbox" (or "sandbox-2"… when "sandbox" holds another key).',
    }),
    force: Flags.boolean({
      summary: 'With --login: replace a profile "sandbox" that holds another key, without asking.',
      dependsOn: ['login'],
    }),
    ...keyStorageFlags,
  }

  async run(): Promise<void> {
    // Listened for first: a supervisor's SIGTERM during start-up still ends in a clean stop, exit 0.
    const stopped = nextStopSignal()
    const {describeSandbox, launchSandbox, saveOwnerProfile} = await import('../../lib/sandbox/launch.js')
    const {sandboxBanner} = await import('../../lib/screens/sandbox.js')
    const {isLoopbackHost} = await import('../../sandbox/server.js')
    const {port, host, data, reset, login, force} = this.flags
    if (login) await this.checkKeyStorage()
    const sandbox = await launchSandbox({
      port,
      host,
      dataFile: data,
      reset,
      log: (line) => process.stderr.write(`${line}\n`),
    })

    // Said once it listens: a start that failed reached nobody.
    if (!isLoopbackHost(host)) {
      const warning = `Listening on ${host}: other machines can reach this sandbox.`
      this.warn(warning)
      // stderr is this server's log even with --json, and a script reading only `data` would never see it.
      if (this.jsonEnabled()) process.stderr.write(`Warning: ${warning}\n`)
    }

    let profile: string | null = null
    if (login && sandbox.seeded) {
      const {canPrompt, confirm} = await import('../../lib/profiles/prompt.js')
      try {
        const saved = await saveOwnerProfile(
          this.store,
          sandbox.seeded,
          sandbox.url,
          force
            ? {kind: 'replace'}
            : canPrompt(this.jsonEnabled())
              ? {kind: 'ask', confirm: (plan) => confirm(replaceQuestion(plan.name))}
              : {kind: 'rename'},
        )
        profile = saved.name
        if (saved.renamedFrom) this.warn(renamedNotice(saved.renamedFrom, saved.name))
      } catch (error) {
        const e = this.toCodikaError(error)
        // No consent at the question: the server still runs, its keys in the banner; nothing was saved.
        if (e.code === 'CANCELLED') throw e
        this.warn(`Could not save the profile "sandbox": ${sentence(e.message)}${e.hint ? ` ${e.hint}` : ''}`)
      }
    } else if (login) {
      this.warn('--login needs the seeded keys, which this data file showed on an earlier start only; use --reset.')
    }

    if (this.jsonEnabled()) this.logJson({...describeSandbox(sandbox, profile), warnings: this.warnings})
    else this.log(sandboxBanner(sandbox, profile))

    const signal = await stopped
    await sandbox.close()
    if (!this.jsonEnabled()) process.stderr.write(`Sandbox stopped (${signal}).\n`)
  }
}

function replaceQuestion(name: string): string {
  return `Profile "${name}" holds a different key. Replace it with this sandbox's owner key?`
}

function renamedNotice(wanted: string, used: string): string {
  return `Profile "${wanted}" holds another key, which stays; the owner key is saved as "${used}" (--force replaces "${wanted}").`
}
