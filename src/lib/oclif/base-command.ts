// The one base command: --json envelopes, error → exit code mapping, secrets kept out of every output;
// PlatformCommand adds the shared flags of commands that call the platform and resolves key and URL.
import type {Interfaces} from '@oclif/core'

import {Command, Errors, Flags, ux} from './core.js'
import {type ErrorJson, errorJson, type FlagRuleWords, toCodikaError, withExtras} from './usage-errors.js'

import {CodikaClient, timeoutFromEnv} from '../api/client.js'
import {type Credentials, loadCredentials} from '../credentials.js'
import {debugRequested} from '../debug.js'
import {CodikaError, EXIT, usageError} from '../errors.js'
import {describeFileError} from '../file-errors.js'
import {paint, printable} from '../output.js'
import {openKeyring, type StorageChoice, storageChoice} from '../profiles/keyring.js'
import {configPath} from '../profiles/paths.js'
import {ProfileStore} from '../profiles/store.js'
import {errorText} from '../screens/errors.js'
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
  /**
   * Set by a command once it has made something that exists only once (a new key): should its output then fail to be
   * written, the error on stderr says what was made and where it was kept, instead of losing track of it.
   */
  protected madeOnce?: string
  private storeInstance?: ProfileStore

  // Replaces Command.init, which logs the raw argv (keys included) when DEBUG is set.
  override async init(): Promise<void> {
    const ctor = this.ctor as typeof BaseCommand
    registerArgvSecrets(this.argv)
    watchStdout(this)
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
    return (this.storeInstance ??= new ProfileStore(configPath(), {
      storage: () => this.keyStorage(),
      warn: (message) => this.warn(message),
    }))
  }

  private storageCache?: StorageChoice

  /** Where this run saves a key: --insecure-storage (commands that save keys have it), CODIKA_CREDENTIAL_STORE, auto. */
  protected keyStorage(): StorageChoice {
    const flags = this.flags as {'insecure-storage'?: boolean}
    return (this.storageCache ??= storageChoice(flags['insecure-storage'] ?? false))
  }

  /**
   * For a command about to save a key, before it asks for, sends or creates anything: a bad CODIKA_CREDENTIAL_STORE
   * is exit 2, and with `keyring` a store that cannot be used is exit 1 (the key would have nowhere to go).
   */
  protected async checkKeyStorage(): Promise<void> {
    if (this.keyStorage() !== 'keyring') return
    const access = await openKeyring()
    if ('unavailable' in access)
      throw new CodikaError(
        'KEYRING_UNAVAILABLE',
        `CODIKA_CREDENTIAL_STORE=keyring, but the system credential store cannot be used here: ${access.unavailable}.`,
        {
          hint: 'Unset CODIKA_CREDENTIAL_STORE (or set it to auto) to fall back to the profile file, or pass --insecure-storage.',
        },
      )
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
    const message = printable(redact(typeof input === 'string' ? input : input.message))
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

  /**
   * stdout refused a write (a full disk, a closed pipe; Node reports it as an 'error' event): said on stderr, with
   * what this run made once, then the end of the process — nothing more can be printed. A reader that went away
   * (EPIPE) is the usual end of `codika … | head`, and ends quietly unless something was made once.
   */
  stdoutFailed(error: NodeJS.ErrnoException): void {
    if (error.code !== 'EPIPE' || this.madeOnce) {
      this.printError(outputUnwritable(error))
      process.exitCode = EXIT.FAILURE
    }
    process.exit()
  }

  /** The CodikaError for anything this command threw, with what the command says about its own rules. */
  protected toCodikaError(err: unknown) {
    return toCodikaError(err, this.ctor)
  }

  protected override toErrorJson(err: unknown): ErrorJson {
    const e = this.toCodikaError(err)
    return withExtras(errorJson(e), this.errorJsonExtras(e))
  }

  /**
   * What this command adds to its --json error document, beside `success`, `error` and `requestId` (never in their
   * place); passed through the key scrubber like the rest of the document. None by default.
   */
  protected errorJsonExtras(_error: CodikaError): Record<string, unknown> | undefined {
    return undefined
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
    this.printError(e, err)
  }

  /** An error as the human screen shows it, on stderr (with what was made once, when the output is what failed). */
  private printError(e: CodikaError, original: Error = e): void {
    const note = e.code === 'OUTPUT_UNWRITABLE' ? this.madeOnce : undefined
    process.stderr.write(errorText(e, {stack: debugRequested() ? original.stack : undefined, note}))
  }
}

/** The command whose output stdout carries now (commands run one after another, plugins' hooks included). */
let writing: BaseCommand<typeof Command> | undefined

/**
 * Listens for stdout's write errors once per process, ahead of every other listener (oclif's own re-throws all but
 * EPIPE, which would end the process with a stack trace), and hands them to the command running.
 */
function watchStdout(command: BaseCommand<typeof Command>): void {
  if (writing === undefined)
    process.stdout.prependListener('error', (error: NodeJS.ErrnoException) => writing?.stdoutFailed(error))
  writing = command
}

/** stdout refused a write (a full disk, a closed pipe): exit 1, said on stderr. */
function outputUnwritable(error: unknown): CodikaError {
  return new CodikaError('OUTPUT_UNWRITABLE', `Cannot write the output to stdout: ${describeFileError(error)}.`, {
    hint: 'Check where the output goes (a full disk, a closed pipe) and run the command again.',
    cause: error,
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

  private resolved?: {credentials: Credentials; expiryWarning?: string} | {error: unknown}
  private expiryWarned = false
  private readonly clients: CodikaClient[] = []

  // The key is resolved here, where waiting is possible (it may come from the system credential store), so that
  // credentials() and client() stay synchronous; a failure is kept for credentials() to throw, so that a command
  // still reports the errors of its own flags first, as it did when the key was resolved on demand.
  override async init(): Promise<void> {
    await super.init()
    const flags = this.flags as {profile?: string; 'api-url'?: string; 'api-key'?: string}
    try {
      const credentials = await loadCredentials(
        {apiKey: flags['api-key'], apiUrl: flags['api-url'], profile: flags.profile},
        this.store,
      )
      registerSecret(credentials.apiKey)
      this.resolved = {credentials, expiryWarning: await this.expiryWarningFor(credentials)}
    } catch (error) {
      this.resolved = {error}
    }
  }

  /**
   * The key and URL of this run (SPEC.md's table), resolved once. Warns when the saved details of that key say it
   * expires soon — unless `warnExpiry` is false: a command that learns the truth from the platform (whoami) warns
   * from that instead, and takes the saved warning (cachedExpiryWarning) only when the platform cannot be asked.
   */
  protected credentials({warnExpiry = true}: {warnExpiry?: boolean} = {}): Credentials {
    const resolved = this.resolved!
    if ('error' in resolved) throw resolved.error
    if (!this.expiryWarned) {
      this.expiryWarned = true
      if (warnExpiry && resolved.expiryWarning) this.warn(resolved.expiryWarning)
    }
    return resolved.credentials
  }

  /** The expiry warning the saved details of the key in use give, if any. */
  protected cachedExpiryWarning(): string | undefined {
    return this.resolved && 'credentials' in this.resolved ? this.resolved.expiryWarning : undefined
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

  /** The warning about the key actually in use: its own profile, or a saved profile holding the same key. */
  private async expiryWarningFor(c: Credentials): Promise<string | undefined> {
    let profile = c.profile
    if (!profile) {
      try {
        const file = this.store.read()
        const [holder] = await this.store.keyHolders(file, c.apiKey)
        profile = holder === undefined ? undefined : file.profiles[holder]
      } catch {
        // an unreadable file is reported by whatever needs it; this warning is a courtesy
      }
    }
    return expiryWarning(c.profileName, profile?.expiresAt)
  }
}

/** The flag of every command that saves a key. */
export const keyStorageFlags = {
  'insecure-storage': Flags.boolean({
    summary: 'Save the key in the profile file in plain text instead of the system credential store.',
  }),
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
