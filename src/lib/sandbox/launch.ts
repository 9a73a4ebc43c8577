// What `codika sandbox start` does around the server: start it, explain failures, describe it, save a profile.
import {statSync} from 'node:fs'
import {join} from 'node:path'

import {SEEDED_ACCOUNTS, type SeededSandbox} from '../../sandbox/seed.js'
import {type Sandbox, SandboxStoreError, startSandbox, type SandboxOptions} from '../../sandbox/server.js'
import {CodikaError, usageError} from '../errors.js'
import type {ProfileStore} from '../profiles/store.js'
import {defaultDataFile} from './paths.js'

export const SANDBOX_PROFILE = 'sandbox'

// What the file system answers when the data file or its folder cannot be created, opened or written, in words.
const FILE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EEXIST: 'a part of its path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links in its path',
}

export {defaultDataFile} from './paths.js'

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
    if (e.path && e.code && Object.hasOwn(FILE_ERRORS, e.code)) {
      const file = options.dataFile
      throw new CodikaError(
        'SANDBOX_ERROR',
        `Cannot use the data file ${file}: ${FILE_ERRORS[e.code]} (${e.code}, ${e.syscall} ${e.path}).`,
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
