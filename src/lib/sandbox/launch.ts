// What `codika sandbox start` does around the server: start it, explain failures, describe it, save a profile.
import {statSync} from 'node:fs'
import {join} from 'node:path'

import {DATA_FILE_NAME} from '../../sandbox/defaults.js'
import type {SeededSandbox} from '../../sandbox/seed.js'
import {type Sandbox, SandboxStoreError, startSandbox, type SandboxOptions} from '../../sandbox/server.js'
import {CodikaError, usageError} from '../errors.js'
import {describeFileError, isDescribedFileError} from '../file-errors.js'
import type {ProfileStore} from '../profiles/store.js'
import {dataHome} from '../xdg.cjs'

export const SANDBOX_PROFILE = 'sandbox'

/** Where `sandbox start` keeps its data without --data: <XDG data home>/codika/sandbox.db. */
export function defaultDataFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataHome(env), 'codika', DATA_FILE_NAME)
}

export type LaunchOptions = Omit<SandboxOptions, 'dataFile'> & {dataFile?: string}

/** Starts the sandbox, turning its failures (port taken, file in use, unusable or not a sandbox) into CLI errors. */
export async function launchSandbox(launch: LaunchOptions): Promise<Sandbox> {
  const options: SandboxOptions = {...launch, dataFile: launch.dataFile ?? defaultDataFile(launch.env)}
  // A folder would be reported as "not a sandbox database", and --reset cannot help with that.
  if (isFolder(options.dataFile))
    throw usageError(
      'INVALID_FLAG',
      `--data ${options.dataFile} is a folder; it takes the path of a file.`,
      `For example --data ${join(options.dataFile, 'sandbox.db')}.`,
    )
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
    if (error instanceof SandboxStoreError)
      throw new CodikaError('SANDBOX_ERROR', error.message, {
        hint:
          error.code === 'DATA_FILE_IN_USE'
            ? 'Stop the other sandbox, or use another file with --data.'
            : 'Use another file with --data, or start afresh with --reset.',
      })
    if (error instanceof Error && /CODIKA_SANDBOX_CLOCK_OFFSET/.test(error.message))
      throw new CodikaError('INVALID_ARGUMENT', error.message, {exitCode: 2})
    throw error
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false // missing or unreachable: opening it says why
  }
}

/** The document `sandbox start --json` prints once it listens (the seeded keys only on the first start). */
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
    },
    profile,
  }
}

/** Saves the seeded owner key as the active profile `sandbox`, pointing at this server. */
export async function saveOwnerProfile(store: ProfileStore, seeded: SeededSandbox, url: string): Promise<string> {
  const {owner} = seeded
  await store.update((file) => {
    file.profiles[SANDBOX_PROFILE] = {
      apiKey: owner.apiKey,
      type: owner.type,
      keyId: owner.keyId,
      keyName: owner.keyName,
      keyPrefix: owner.keyPrefix,
      scopes: owner.scopes,
      createdAt: owner.createdAt,
      baseUrl: url,
    }
    file.activeProfile = SANDBOX_PROFILE
  })
  return SANDBOX_PROFILE
}
