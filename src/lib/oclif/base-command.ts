// The one base command: --json envelopes, error → exit code mapping, secrets kept out of every output;
// PlatformCommand adds the shared flags of commands that call the platform and resolves key and URL.
import type {Interfaces} from '@oclif/core'

import {Command, Errors, Flags, ux} from './core.js'
import {type ErrorJson, errorJson, errorText, type FlagRuleWords, toCodikaError} from './usage-errors.js'

import {CodikaClient, timeoutFromEnv} from '../api/client.js'
import {type Credentials, resolveCredentials} from '../credentials.js'
import {debugRequested} from '../debug.js'
import {EXIT, usageError} from '../errors.js'
import {paint} from '../output.js'
import {ProfileStore} from '../profiles/store.js'
import {expiryWarning} from '../profiles/expiry.js'
import {registerArgvSecrets} from './logger.js'
import {redact, registerSecret} from '../redact.js'
import {userAgent} from '../version.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<T['flags'] & T['baseFlags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true
  /**
   * Set on a command whose stray words may be a secret (login): an `Unexpected argument` error then never shows them,
   * and gives this hint instead.
   */
  static secretArgumentsHint?: string
  /** Our words for the command's dependsOn/exclusive rules, by the flag that has the rule (see usage-errors.ts). */
  static flagRuleWords?: FlagRuleWords

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
      // Flags with `options` are checked below, in our words: oclif's own error for them carries no facts to map.
      flags: withoutOptions(ctor.flags),
      baseFlags: ctor.baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      args: ctor.args,
      strict: ctor.strict,
    }).finally(() => {
      this.parsed = true
    })
    checkOptions(ctor.flags, flags)
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

  /** The CodikaError for anything this command threw, with what the command says about its own rules. */
  protected toCodikaError(err: unknown) {
    return toCodikaError(err, this.ctor)
  }

  protected override toErrorJson(err: unknown): ErrorJson {
    return errorJson(this.toCodikaError(err))
  }

  override async catch(err: Error & {oclif?: {exit?: number}}): Promise<void> {
    // this.exit() and the help flags end a command through an error that carries its own code.
    if (err instanceof Errors.ExitError || err.oclif?.exit === 0) throw err
    const e = this.toCodikaError(err)
    process.exitCode = e.exitCode
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(e))
      return
    }
    const stack = debugRequested() && err.stack ? `\n${redact(err.stack)}` : ''
    process.stderr.write(`${errorText(e)}${stack}\n`)
  }
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

type FlagDefinitions = Interfaces.FlagInput<Record<string, unknown>> | undefined

/** The flag definitions with their `options` lists left out (checkOptions applies them). */
function withoutOptions<F extends FlagDefinitions>(flags: F): F {
  if (!flags) return flags
  return Object.fromEntries(
    Object.entries(flags).map(([name, flag]) => [name, 'options' in flag ? {...flag, options: undefined} : flag]),
  ) as F
}

/** A value outside its flag's `options`: exit 2, in our words. */
function checkOptions(definitions: FlagDefinitions, values: Record<string, unknown>): void {
  for (const [name, flag] of Object.entries(definitions ?? {})) {
    const options = 'options' in flag ? flag.options : undefined
    const value = values[name]
    if (!options || value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value])
      if (!options.includes(one as string))
        throw usageError('INVALID_FLAG', `--${name} must be one of: ${options.join(', ')} (got "${String(one)}").`)
  }
}

export {EXIT, toCodikaError}
export type {ErrorJson}
