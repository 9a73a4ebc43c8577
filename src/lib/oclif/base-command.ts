// The one base command: --json envelopes, error → exit code mapping, secrets kept out of every output;
// PlatformCommand adds the shared flags of commands that call the platform and resolves key and URL.
import type {Interfaces} from '@oclif/core'

import {Command, Flags, ux} from './core.js'

import {CodikaClient, timeoutFromEnv} from '../api/client.js'
import {type Credentials, resolveCredentials} from '../credentials.js'
import {debugRequested} from '../debug.js'
import {CodikaError, type ErrorCode, EXIT} from '../errors.js'
import {paint, plain} from '../output.js'
import {ProfileStore} from '../profiles/store.js'
import {expiryWarning} from '../profiles/expiry.js'
import {registerArgvSecrets} from './logger.js'
import {redact, registerSecret} from '../redact.js'
import {userAgent} from '../version.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<T['flags'] & T['baseFlags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/** What a failed command prints with --json. */
export interface ErrorJson {
  success: false
  error: {code: ErrorCode; message: string; hint?: string; status?: number}
  requestId: string | null
}

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  /** Warnings of this run: on stderr in human mode, in the document's `warnings` with --json. */
  protected readonly warnings: string[] = []
  private storeInstance?: ProfileStore

  // Replaces Command.init, which logs the raw argv (keys included) when DEBUG is set.
  override async init(): Promise<void> {
    const ctor = this.ctor as typeof BaseCommand
    registerArgvSecrets(this.argv)
    // A rejected command line counts as parsed: else oclif adds an "UnparsedCommand" warning on stderr
    // (under NODE_ENV=development or test) after our error, even with --json.
    const {flags, args} = await this.parse({
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      args: ctor.args,
      strict: ctor.strict,
    }).finally(() => {
      this.parsed = true
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
  }

  protected get store(): ProfileStore {
    return (this.storeInstance ??= new ProfileStore())
  }

  /** Runs `work` with a spinner on stderr, only on a TTY and never with --json. */
  protected async withSpinner<R>(label: string, work: () => Promise<R>): Promise<R> {
    if (this.jsonEnabled() || !process.stderr.isTTY) return work()
    const {action} = ux()
    action.start(label)
    try {
      const result = await work()
      action.stop()
      return result
    } catch (error) {
      action.stop('failed')
      throw error
    }
  }

  override warn(input: string | Error): string | Error {
    const message = redact(typeof input === 'string' ? input : input.message)
    this.warnings.push(message)
    if (!this.jsonEnabled()) process.stderr.write(`${paint('yellow', 'Warning:', process.stderr)} ${message}\n`)
    return input
  }

  protected override toSuccessJson(result: unknown): unknown {
    if (result && typeof result === 'object' && !Array.isArray(result)) return {...result, warnings: this.warnings}
    return result
  }

  protected override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }

  protected override toErrorJson(err: unknown): ErrorJson {
    const e = toCodikaError(err)
    return {
      success: false,
      error: {
        code: e.code,
        message: redact(e.message),
        ...(e.hint ? {hint: redact(e.hint)} : {}),
        ...(e.status === undefined ? {} : {status: e.status}),
      },
      requestId: e.requestId ?? null,
    }
  }

  override async catch(err: Error & {oclif?: {exit?: number}}): Promise<void> {
    // this.exit() and the help flags end a command through an error that carries its own code.
    if (err.oclif?.exit === 0 || err.name === 'ExitError') throw err
    const e = toCodikaError(err)
    process.exitCode = e.exitCode
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(e))
      return
    }
    const lines = [`${paint('red', 'Error:', process.stderr)} ${redact(e.message)}`]
    if (e.hint) lines.push(`${paint('dim', 'Hint:', process.stderr)} ${redact(e.hint)}`)
    if (e.requestId) lines.push(`${paint('dim', 'Request ID:', process.stderr)} ${e.requestId}`)
    if (debugRequested() && err.stack) lines.push(redact(err.stack))
    process.stderr.write(`${lines.join('\n')}\n`)
  }
}

/** Turns anything thrown (our errors, oclif's parse errors, bugs) into a CodikaError with a code and exit code. */
export function toCodikaError(err: unknown): CodikaError {
  if (err instanceof CodikaError) return err
  const e = err as Error & {oclif?: {exit?: number}; parse?: unknown}
  const message = plain(e?.message ?? String(err))
    .replace(/\n?See more help with --help\s*$/, '')
    .trim()
  if (e?.parse !== undefined || e?.oclif?.exit === 2) {
    const missing = /Missing required flag ([\w-]+)/.exec(message)
    if (missing)
      return new CodikaError('MISSING_FLAG', `Missing required flag --${missing[1]}.`, {
        exitCode: 2,
        hint: 'See --help.',
      })
    // oclif's wording for a flag with `options` ("Expected --size=x to be one of: a, b") rephrased as ours.
    const option = /^Expected --([\w-]+)=(.*) to be one of: (.*)$/s.exec(message)
    if (option)
      return new CodikaError('INVALID_FLAG', `--${option[1]} must be one of: ${option[3]} (got "${option[2]}").`, {
        exitCode: 2,
      })
    const flat = message.replace(/^The following errors? occurred:\s*/, '').replace(/\s*\n\s*/g, '; ')
    const code: ErrorCode = /argument|arg\b|args\b/i.test(flat) ? 'INVALID_ARGUMENT' : 'INVALID_FLAG'
    return new CodikaError(code, flat, {exitCode: 2, hint: 'See --help.'})
  }
  return new CodikaError('INTERNAL_ERROR', message || 'Unexpected error.', {
    hint: 'Run again with DEBUG=codika* for details.',
    cause: err,
  })
}

export abstract class PlatformCommand<T extends typeof Command> extends BaseCommand<T> {
  static override baseFlags = {
    profile: Flags.string({
      char: 'p',
      summary: 'Use a specific profile instead of the active one.',
      helpGroup: 'GLOBAL',
    }),
    'api-url': Flags.string({summary: 'Override the API base URL.', helpGroup: 'GLOBAL'}),
    'api-key': Flags.string({summary: 'Override the API key.', helpGroup: 'GLOBAL'}),
  }

  private credentialsCache?: Credentials
  private readonly clients: CodikaClient[] = []

  /** The key and URL of this run (SPEC.md's table), resolved once. Warns when that key expires soon. */
  protected credentials(): Credentials {
    if (this.credentialsCache) return this.credentialsCache
    const flags = this.flags as {profile?: string; 'api-url'?: string; 'api-key'?: string}
    const c = resolveCredentials({apiKey: flags['api-key'], apiUrl: flags['api-url'], profile: flags.profile}, () =>
      this.store.read(),
    )
    registerSecret(c.apiKey)
    this.credentialsCache = c
    this.warnIfExpiring(c)
    return c
  }

  /** A client for the resolved credentials; closed when the command ends. */
  protected client(): CodikaClient {
    const c = this.credentials()
    const client = new CodikaClient({
      baseUrl: c.baseUrl,
      apiKey: c.apiKey,
      timeoutMs: timeoutFromEnv(),
      userAgent: userAgent(this.config.version),
    })
    this.clients.push(client)
    return client
  }

  override async finally(err: Error | undefined): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()))
    await super.finally(err)
  }

  /** Warns about the key actually in use: its own profile, or a saved profile holding the same key. */
  private warnIfExpiring(c: Credentials): void {
    let profile = c.profile
    if (!profile) {
      try {
        profile = Object.values(this.store.read().profiles).find((p) => p.apiKey === c.apiKey)
      } catch {
        // an unreadable file is reported by whatever needs it; this warning is a courtesy
      }
    }
    const warning = expiryWarning(c.profileName, profile?.expiresAt)
    if (warning) this.warn(warning)
  }
}

export {EXIT}
