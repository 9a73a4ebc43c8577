// What `codika sandbox start` does around the server: start it, explain failures, describe it, save a profile.
import {resolve} from 'node:path'

import {ClockOffsetError} from '../../sandbox/clock.js'
import {DEFAULT_HOST, DEFAULT_PORT} from '../../sandbox/defaults.js'
import {SEEDED_ACCOUNTS, type SeededSandbox} from '../../sandbox/seed.js'
import {type Sandbox, SandboxStoreError, startSandbox, type SandboxOptions} from '../../sandbox/server.js'
import {FETCH_BLOCKED_PORTS} from '../api/transport-rules.js'
import {CodikaError, usageError} from '../errors.js'
import {describeFileError, isDescribedFileError} from '../file-errors.js'
import {type ClashPolicy, type SavedKey, saveKeyProfile} from '../profiles/login.js'
import {configPath} from '../profiles/paths.js'
import type {ProfileStore} from '../profiles/store.js'
import {checkDataFile, defaultDataFile} from './paths.js'

export const SANDBOX_PROFILE = 'sandbox'

export {defaultDataFile} from './paths.js'

export type LaunchOptions = Omit<SandboxOptions, 'dataFile'> & {dataFile?: string}

/** Starts the sandbox, turning its failures (port taken, file in use, unusable or not a sandbox) into CLI errors. */
export async function launchSandbox(launch: LaunchOptions): Promise<Sandbox> {
  const options: SandboxOptions = {...launch, dataFile: launch.dataFile ?? defaultDataFile(launch.env)}
  checkLaunchOptions(options)
  try {
    return await startSandbox(options)
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    // Only errors that name a path: an EACCES from listen() is about the port, not the file.
    if (e.path && isDescribedFileError(e)) {
      const file = options.dataFile
      throw new CodikaError(
        'SANDBOX_ERROR',
        `Cannot use the data file ${file}: ${describeFileError(e)} (${e.code}, ${e.syscall} ${e.path}).`,
        {
          hint: 'Choose another file with --data.',
        },
      )
    }
    if (e.code === 'EADDRINUSE')
      throw new CodikaError('SANDBOX_ERROR', `Port ${options.port} on ${options.host} is already in use.`, {
        hint: 'Choose another with --port, or --port 0 for any free port.',
      })
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
      throw new CodikaError('SANDBOX_ERROR', `Cannot listen on ${options.host}: no such local address.`, {exitCode: 2})
    if (error instanceof SandboxStoreError) throw dataFileError(error)
    if (error instanceof ClockOffsetError) throw usageError('INVALID_ARGUMENT', `${error.message}.`)
    throw error
  }
}

/**
 * The sandbox's refusal of its data file, with what to do. A file it did not make is a wrong command line (exit 2),
 * and its hint never suggests --reset: that deletes the file, and this one is someone else's.
 */
function dataFileError(error: SandboxStoreError): CodikaError {
  switch (error.code) {
    case 'DATA_FILE_FOREIGN':
      return usageError(
        'INVALID_FLAG',
        `${error.message}.`,
        'Choose another file with --data, for example --data ./sandbox.db.',
      )
    case 'DATA_FILE_IN_USE':
      return new CodikaError('SANDBOX_ERROR', error.message, {
        hint: 'Stop the other sandbox, or use another file with --data.',
      })
    case 'DATA_FILE_TOO_NEW':
      return new CodikaError('SANDBOX_ERROR', `${error.message}.`, {
        hint: 'Upgrade codika, use another file with --data, or start afresh with --reset (which deletes it).',
      })
    case 'DATA_FILE_INVALID':
      return new CodikaError('SANDBOX_ERROR', `${error.message}.`, {
        hint: 'Use another file with --data, or start afresh with --reset (which deletes it).',
      })
  }
}

/** What `sandbox start` refuses before it opens or binds anything (exit 2). */
function checkLaunchOptions(options: SandboxOptions): void {
  checkDataFile(options.dataFile)
  if (resolve(options.dataFile) === resolve(configPath(options.env)))
    throw usageError(
      'INVALID_FLAG',
      `--data ${options.dataFile} is codika's profile file; the sandbox keeps its data in a file of its own.`,
      'Leave --data out, or give another file, for example --data ./sandbox.db.',
    )
  if (options.host !== undefined && options.host.trim() === '')
    throw usageError(
      'INVALID_FLAG',
      '--host must not be empty (an empty host would listen on every interface).',
      `Leave it out for ${DEFAULT_HOST} (this machine only), or give 0.0.0.0 to listen on every interface on purpose.`,
    )
  const port = options.port ?? DEFAULT_PORT
  if (port !== 0 && FETCH_BLOCKED_PORTS.has(port))
    throw usageError(
      'INVALID_FLAG',
      `--port ${port} is a port fetch refuses to call (a "bad port" of the Fetch standard): no client could reach the sandbox.`,
      `Use another port, such as the default ${DEFAULT_PORT}, or --port 0 for any free port.`,
    )
}

/** The document `sandbox start --json` prints once it listens (the seeded keys only on the first start; the people's addresses always). */
export function describeSandbox(sandbox: Sandbox, profile: string | null) {
  return {
    success: true as const,
    data: {
      url: sandbox.url,
      host: sandbox.host,
      port: sandbox.port,
      dataFile: sandbox.dataFile,
      clockOffsetMs: sandbox.clockOffsetMs,
      seeded: sandbox.seeded ?? null,
      // On every start: the seeded people log in by emailed code, their codes in the outbox.
      people: SEEDED_ACCOUNTS,
    },
    profile,
  }
}

/**
 * Saves the seeded owner key as the active profile `sandbox`, pointing at this server, as `login` saves a key
 * (saveKeyProfile: locked, atomic, the credential store): a profile of that name holding another key is replaced only
 * with consent (`onClash`), else the key goes under a free name (`sandbox-2`), which the result says.
 */
export async function saveOwnerProfile(
  store: ProfileStore,
  seeded: SeededSandbox,
  url: string,
  onClash: ClashPolicy,
): Promise<SavedKey> {
  const {owner} = seeded
  const profile = {
    apiKey: owner.apiKey,
    type: owner.type,
    keyId: owner.keyId,
    keyName: owner.keyName,
    keyPrefix: owner.keyPrefix,
    scopes: owner.scopes,
    createdAt: owner.createdAt,
    baseUrl: url,
  }
  return saveKeyProfile(store, profile, SANDBOX_PROFILE, onClash)
}
