// The profile file: validated reads, and read-modify-write under a lock with an atomic, fsynced replace.
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {dirname} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {CodikaError} from '../errors.js'
import {describeFileError} from '../file-errors.js'
import {configPath} from './paths.js'
import {emptyProfileFile, type Profile, type ProfileFile} from './types.js'

const LOCK_WAIT_MS = 15_000
/** A lock older than this is left over by a crashed process: no write takes anywhere near as long. */
const STALE_LOCK_MS = 10_000

export class ProfileStore {
  readonly path: string

  constructor(path: string = configPath()) {
    this.path = path
  }

  /** The file's content; an empty file layout when it does not exist. Never modifies anything. */
  read(): ProfileFile {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyProfileFile()
      throw new CodikaError(
        'CONFIG_UNREADABLE',
        `Cannot read the profile file ${this.path}: ${describeFileError(error)}`,
        {
          hint: `Check the file's permissions (it should belong to you, mode 0600).`,
        },
      )
    }
    return parseProfileFile(text, this.path)
  }

  /**
   * Reads the file under the lock, lets `change` modify it in place, and writes it back atomically
   * (temporary file in the same folder, fsync, rename), with the folder at 0700 and the file at 0600.
   */
  async update<T>(change: (file: ProfileFile) => T | Promise<T>): Promise<T> {
    this.ensureFolder()
    const release = await this.lock()
    try {
      const file = this.read()
      const result = await change(file)
      normalise(file)
      this.write(file)
      return result
    } finally {
      release()
    }
  }

  private ensureFolder(): void {
    const dir = dirname(this.path)
    try {
      mkdirSync(dir, {recursive: true, mode: 0o700})
      chmodSync(dir, 0o700)
    } catch (error) {
      throw unwritable(this.path, error)
    }
  }

  private async lock(): Promise<() => void> {
    const lockPath = `${this.path}.lock`
    const deadline = Date.now() + LOCK_WAIT_MS
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(lockPath, 'wx', 0o600)
        writeSync(fd, `${process.pid}\n`)
        closeSync(fd)
        return () => rmSync(lockPath, {force: true})
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(this.path, error)
      }
      if (isStale(lockPath)) {
        // Rename first so that two processes that both see it stale cannot delete each other's fresh lock.
        const aside = `${lockPath}.${process.pid}.stale`
        try {
          renameSync(lockPath, aside)
          unlinkSync(aside)
        } catch {
          // someone else took care of it
        }
        continue
      }
      if (Date.now() > deadline) {
        throw new CodikaError(
          'CONFIG_UNWRITABLE',
          `The profile file ${this.path} is locked by another codika process.`,
          {
            hint: `If no other codika is running, delete ${lockPath} and try again.`,
          },
        )
      }
      await sleep(Math.min(5 + attempt * 5, 50) + Math.random() * 10)
    }
  }

  private write(file: ProfileFile): void {
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    try {
      const fd = openSync(temp, 'wx', 0o600)
      try {
        writeSync(fd, `${JSON.stringify(file, null, 2)}\n`)
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      renameSync(temp, this.path)
      chmodSync(this.path, 0o600)
      syncFolder(dirname(this.path))
    } catch (error) {
      rmSync(temp, {force: true})
      throw unwritable(this.path, error)
    }
  }
}

/** Parses and checks the layout; anything else is an error that names the file and the fix. */
export function parseProfileFile(text: string, path: string): ProfileFile {
  const broken = (what: string) =>
    new CodikaError('CONFIG_UNREADABLE', `The profile file ${path} ${what}.`, {
      hint: `Repair it by hand, or move it aside (mv "${path}" "${path}.bak") and log in again. codika will not overwrite it.`,
    })
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw broken('is not valid JSON')
  }
  if (!isObject(data)) throw broken('does not hold a JSON object')
  const profiles = data.profiles === undefined ? {} : data.profiles
  if (!isObject(profiles)) throw broken('has a "profiles" entry that is not an object')
  for (const [name, profile] of Object.entries(profiles)) {
    if (!isObject(profile)) throw broken(`has a profile "${name}" that is not an object`)
    if (typeof profile.apiKey !== 'string' || profile.apiKey === '')
      throw broken(`has a profile "${name}" without an "apiKey"`)
    if (typeof profile.type !== 'string' || profile.type === '')
      throw broken(`has a profile "${name}" without a "type"`)
    if (profile.baseUrl !== undefined && typeof profile.baseUrl !== 'string')
      throw broken(`has a profile "${name}" whose "baseUrl" is not a string`)
  }
  const active = data.activeProfile
  if (active !== undefined && active !== null && typeof active !== 'string')
    throw broken('has an "activeProfile" that is neither null nor a name')
  const file = data as ProfileFile
  file.profiles = profiles as Record<string, Profile>
  // A dangling active name (the profile was removed by hand) means no active profile.
  file.activeProfile = typeof active === 'string' && Object.hasOwn(profiles, active) ? active : null
  return file
}

/** The contract's optional profile fields: omitted, never null. */
const OPTIONAL_FIELDS = [
  'organizationId',
  'organizationName',
  'keyId',
  'keyName',
  'keyPrefix',
  'scopes',
  'createdAt',
  'expiresAt',
  'baseUrl',
] as const

/**
 * Keeps the file in the contract's layout: known optional fields omitted rather than null.
 * Fields this CLI does not know are left exactly as they are, null included.
 */
function normalise(file: ProfileFile): void {
  if (file.activeProfile !== null && !Object.hasOwn(file.profiles, file.activeProfile)) file.activeProfile = null
  for (const profile of Object.values(file.profiles)) {
    for (const field of OPTIONAL_FIELDS)
      if (profile[field] === undefined || profile[field] === null) delete profile[field]
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isStale(lockPath: string): boolean {
  try {
    return Date.now() - statSync(lockPath).mtimeMs > STALE_LOCK_MS
  } catch {
    return false
  }
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Some filesystems refuse to fsync a folder; the rename itself is still atomic.
  }
}

function unwritable(path: string, error: unknown): CodikaError {
  return new CodikaError('CONFIG_UNWRITABLE', `Cannot write the profile file ${path}: ${describeFileError(error)}`, {
    hint: `Check that its folder is writable by you.`,
  })
}
