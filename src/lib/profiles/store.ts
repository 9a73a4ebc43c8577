// The profile file: validated reads, and read-modify-write under a lock with an atomic, fsynced replace; the keys that
// go to the system credential store go there before the file names them (keyring.ts has the layout).
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {basename, dirname, join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {CodikaError} from '../errors.js'
import {describeFileError} from '../file-errors.js'
import {processAlive} from '../processes.js'
import {maskKey} from '../redact.js'
import {
  isKeyringRef,
  type KeyLocation,
  type Keyring,
  type KeyringRef,
  newKeyringRef,
  openKeyring,
  refId,
  type StorageChoice,
  storageChoice,
} from './keyring.js'
import {configPath, legacyConfigPath} from './paths.js'
import {emptyProfileFile, keyLocation, keyOnlyIn, type Profile, type ProfileFile} from './types.js'

const LOCK_WAIT_MS = 15_000
/** A lock older than this is left over by a crashed process: no write takes anywhere near as long. */
const STALE_LOCK_MS = 10_000

export interface ProfileStoreOptions {
  /** Where a key saved by `update` goes (default: CODIKA_CREDENTIAL_STORE, else auto); asked only when one is saved. */
  storage?: () => StorageChoice
  /** Notices for the user: a key kept in plain text for want of a store, an entry that could not be deleted. */
  warn?: (message: string) => void
  /**
   * The profile file of releases before 3.x (`codika-helper`), copied over once when this file's folder does not
   * exist (default: paths.ts's, for the default path only; null: none).
   */
  legacyPath?: string | null
  /** Where the line saying so goes: stderr (also with --json, whose stdout holds one document). */
  notice?: (line: string) => void
}

/** What `clear` removed: the profiles the file held, and whether there was a file. */
export interface ClearResult {
  removed: string[]
  fileRemoved: boolean
}

/** Profiles whose key is placed even when the file already held it, and where. */
interface Forced {
  names: ReadonlySet<string>
  choice: StorageChoice
  /** `profile secure`: the command, not CODIKA_CREDENTIAL_STORE, asked for the store. */
  moving: boolean
}

/** What `moveKeys` did: the profiles whose key moved, and those whose key was there already. */
export interface MoveResult {
  moved: string[]
  unchanged: string[]
}

export class ProfileStore {
  readonly path: string
  private readonly storage: () => StorageChoice
  private readonly notify: (message: string) => void
  private readonly legacyPath?: string
  private readonly notice: (line: string) => void
  /** This process holds the lock (a read then never waits for it). */
  private locked = false
  /** adoptLegacy found a file to copy once (it never tries twice). */
  private adoptTried = false

  constructor(path: string = configPath(), options: ProfileStoreOptions = {}) {
    this.path = path
    this.storage = options.storage ?? (() => storageChoice(false))
    this.notify = options.warn ?? ((message) => process.stderr.write(`Warning: ${message}\n`))
    const legacy =
      options.legacyPath === undefined ? (path === configPath() ? legacyConfigPath() : null) : options.legacyPath
    this.legacyPath = legacy ?? undefined
    this.notice = options.notice ?? ((line) => process.stderr.write(`${line}\n`))
  }

  /**
   * The file's content; an empty file layout when it does not exist. Modifies nothing, except once: when this file's
   * folder does not exist and codika-helper's file does, that file is copied over first (`adoptLegacy`).
   */
  read(): ProfileFile {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return this.adoptLegacy() ? this.read() : emptyProfileFile()
      throw new CodikaError(
        'CONFIG_UNREADABLE',
        `Cannot read the profile file ${this.path}: ${describeFileError(error)}.`,
        {
          hint:
            code === 'EISDIR'
              ? `Move the folder aside (mv "${this.path}" "${this.path}.folder"): codika keeps its profiles in a file there.`
              : code === 'EACCES' || code === 'EPERM'
                ? `Check the file's permissions (it should belong to you, mode 0600).`
                : undefined,
        },
      )
    }
    return parseProfileFile(text, this.path)
  }

  /**
   * Reads the file under the lock, lets `change` modify it in place, and writes it back atomically
   * (temporary file in the same folder, fsync, rename), with the folder at 0700 and the file at 0600.
   *
   * A profile that `change` gives a new `apiKey` (a new profile, or another key than the file had there) has it
   * placed as the storage choice says: in the system credential store before the file is written (the file then
   * names the entry), or in the file. A key the file already held in clear stays there, unless `saves` names its
   * profile (an explicit save, such as a login: the key then goes where the storage choice says). Entries that the
   * file no longer names are deleted after it is written.
   */
  async update<T>(
    change: (file: ProfileFile) => T | Promise<T>,
    options: {saves?: (result: T) => readonly string[]} = {},
  ): Promise<T> {
    const {saves} = options
    return this.transact(
      change,
      saves && ((result) => ({names: new Set(saves(result)), choice: this.storage(), moving: false})),
    )
  }

  /**
   * Moves the keys of the profiles `select` names to the store (strictly: no store is an error, nothing changes)
   * or to the file. An unknown name is for `select` to refuse.
   */
  async moveKeys(select: (file: ProfileFile) => string[], to: KeyLocation): Promise<MoveResult> {
    const result: MoveResult = {moved: [], unchanged: []}
    const forced = new Set<string>()
    const choice: StorageChoice = to === 'file' ? 'file' : 'keyring'
    await this.transact(
      async (file) => {
        for (const name of select(file)) {
          const profile = file.profiles[name]
          if (keyOnlyIn(profile, to)) {
            result.unchanged.push(name)
            continue
          }
          if (to === 'file') profile.apiKey = await this.profileKey(name, profile)
          forced.add(name)
          result.moved.push(name)
        }
      },
      () => ({names: forced, choice, moving: true}),
    )
    return result
  }

  /** The raw key of a profile: from the file, or from its entry in the system credential store. */
  async profileKey(name: string, profile: Profile): Promise<string> {
    if (keyLocation(profile) === 'file') return profile.apiKey!
    const ref = profile.keyring!
    const access = await openKeyring()
    const fix = `Log in again to save a key for it (codika login --name ${name} --force), or remove it (codika profile remove ${name}).`
    if ('unavailable' in access)
      throw new CodikaError(
        'KEYRING_UNAVAILABLE',
        `The key of profile "${name}" is kept in the system credential store, which cannot be used here: ${access.unavailable}.`,
        {hint: `Run codika where that store is available (your desktop session). ${fix}`},
      )
    let key: string | null
    try {
      key = await access.keyring.get(ref)
    } catch (error) {
      throw new CodikaError(
        'KEYRING_UNAVAILABLE',
        `The key of profile "${name}" could not be read from the system credential store: ${(error as Error).message}.`,
        {
          hint: `Unlock the credential store and try again. ${fix}`,
        },
      )
    }
    if (key === null)
      throw new CodikaError(
        'KEYRING_ENTRY_MISSING',
        `The key of profile "${name}" is missing from the system credential store (entry "${ref.account}" of service "${ref.service}"): it was deleted there.`,
        {hint: fix},
      )
    return key
  }

  /**
   * The profiles that hold `apiKey` (only `name` when given). Entries are read only for profiles whose mask
   * matches, so that a search among many profiles reads none or one.
   */
  async keyHolders(file: ProfileFile, apiKey: string, name?: string): Promise<string[]> {
    const names = name === undefined ? Object.keys(file.profiles) : Object.hasOwn(file.profiles, name) ? [name] : []
    const masked = maskKey(apiKey)
    const holders: string[] = []
    for (const candidate of names) {
      const profile = file.profiles[candidate]
      if (keyLocation(profile) === 'file') {
        if (profile.apiKey === apiKey) holders.push(candidate)
        continue
      }
      if (profile.maskedKey !== masked) continue
      try {
        if ((await this.profileKey(candidate, profile)) === apiKey) holders.push(candidate)
      } catch {
        // an entry that cannot be read holds no key that could be compared
      }
    }
    return holders
  }

  /**
   * `config clear`: deletes the profile file under the lock (its folder stays, so that codika-helper's file is not
   * copied over again), then the entries of the system credential store that it named. No file: nothing to do.
   */
  async clear(): Promise<ClearResult> {
    // Validated first: a file that cannot be read names entries nobody could find again, so it is not deleted.
    this.read()
    if (!existsSync(this.path)) return {removed: [], fileRemoved: false}
    this.ensureFolder()
    const release = await this.lock()
    let before: ProfileFile
    try {
      before = this.read()
      try {
        unlinkSync(this.path)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {removed: [], fileRemoved: false}
        throw unwritable(this.path, error)
      }
      syncFolder(dirname(this.path))
    } finally {
      release()
    }
    await this.deleteEntries(refsOf(before), true)
    return {removed: Object.keys(before.profiles), fileRemoved: true}
  }

  /**
   * Releases before 3.x (`codika-helper`) kept the same file in <config home>/codika-helper/. When this file's folder
   * does not exist and that file does, it is copied here once, under the lock (folder 0700, file 0600, atomic), and
   * a notice on stderr says from where to where and that the old folder still holds the keys in plain text. Once the
   * folder exists nothing is copied again. An old file that is not a profile file is an error naming it (nothing is
   * copied or created). Returns whether this file may exist now (copied, or written by another process meanwhile).
   *
   * The folder appears with the lock already in it (made aside, then renamed into place), so that a process that
   * finds the folder finds it either locked, while the copy is made, or holding the copy.
   */
  private adoptLegacy(): boolean {
    if (this.legacyPath === undefined || this.locked || this.adoptTried) return false
    const folderMissing = !existsSync(dirname(this.path))
    // The folder exists and nobody is writing: copied before (maybe just now), or codika's own from the start.
    if (!folderMissing && !existsSync(`${this.path}.lock`)) return existsSync(this.path)
    if (!existsSync(this.legacyPath)) return false
    const legacy = this.legacyPath
    let text: string
    try {
      text = readFileSync(legacy, 'utf8')
    } catch (error) {
      throw new CodikaError(
        'CONFIG_UNREADABLE',
        `Cannot read the profile file of codika-helper ${legacy}: ${describeFileError(error)}.`,
        {hint: `codika copies it to ${this.path} once; fix its permissions, or move it aside to start afresh.`},
      )
    }
    parseProfileFile(text, legacy, 'codika-helper profile file')
    this.adoptTried = true
    const release =
      (folderMissing ? this.makeFolderLocked() : undefined) ??
      (() => {
        this.ensureFolder()
        return this.lockSync()
      })()
    let copied = false
    try {
      // Another process copied it, or wrote its own file, meanwhile: read that.
      if (existsSync(this.path) || !folderMissing) return true
      this.writeText(text)
      copied = true
    } finally {
      release()
    }
    if (copied) {
      const oldDir = dirname(legacy)
      this.notice(`Note: copied the profiles of codika-helper (releases before 3.x) from ${legacy} to ${this.path}.`)
      this.notice(
        `Note: ${oldDir} still holds their keys in plain text; once no codika-helper needs it, remove it: rm -rf ${shellQuote(oldDir)}`,
      )
    }
    return true
  }

  /**
   * Makes this file's folder (0700) holding this process's lock, atomically: made under a temporary name beside it,
   * then renamed. Undefined when another process made the folder first.
   */
  private makeFolderLocked(): (() => void) | undefined {
    const dir = dirname(this.path)
    const temp = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    try {
      mkdirSync(dirname(dir), {recursive: true, mode: 0o700})
      mkdirSync(temp, {mode: 0o700})
      chmodSync(temp, 0o700)
      const fd = openSync(join(temp, `${basename(this.path)}.lock`), 'wx', 0o600)
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      renameSync(temp, dir)
    } catch (error) {
      rmSync(temp, {recursive: true, force: true})
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST' || code === 'ENOTEMPTY') return undefined
      throw unwritable(this.path, error)
    }
    this.locked = true
    return () => {
      this.locked = false
      rmSync(`${this.path}.lock`, {force: true})
    }
  }

  private async transact<T>(change: (file: ProfileFile) => T | Promise<T>, forced?: (result: T) => Forced): Promise<T> {
    this.adoptLegacy()
    this.ensureFolder()
    const release = await this.lock()
    try {
      const before = this.read()
      const file = this.read()
      const result = await change(file)
      normalise(file)
      await this.commit(before, file, forced?.(result))
      return result
    } finally {
      release()
    }
  }

  /** Places new keys, writes the file, then deletes the entries it no longer names (see `update`). */
  private async commit(before: ProfileFile, file: ProfileFile, forced?: Forced): Promise<void> {
    const written: KeyringRef[] = []
    const plain: Array<{name: string; reason: string}> = []
    try {
      for (const name of Object.keys(file.profiles)) {
        const profile = file.profiles[name]
        if (typeof profile.apiKey !== 'string') continue
        const previous = Object.hasOwn(before.profiles, name) ? before.profiles[name] : undefined
        const force = forced?.names.has(name) ?? false
        // A key the file already held in clear stays there: only `profile secure` moves it.
        if (!force && previous?.apiKey === profile.apiKey) continue
        const choice = force ? forced!.choice : this.storage()
        const placed = await this.placeKey(name, profile, choice, written, force && forced!.moving)
        file.profiles[name] = placed.profile
        if (placed.reason) plain.push({name, reason: placed.reason})
      }
      this.write(file)
    } catch (error) {
      await this.deleteEntries(written, false)
      throw error
    }
    if (plain.length > 0) this.notify(plainTextNotice(plain, this.path))
    const named = new Set(refsOf(file).map(refId))
    await this.deleteEntries(
      refsOf(before).filter((ref) => !named.has(refId(ref))),
      true,
    )
  }

  /**
   * Where one new key goes. Returns the profile to write (its fields in their order, the reference where the key
   * was) and, when `auto` had to keep it in the file, why.
   */
  private async placeKey(
    name: string,
    profile: Profile,
    choice: StorageChoice,
    written: KeyringRef[],
    moving: boolean,
  ): Promise<{profile: Profile; reason?: string}> {
    const apiKey = profile.apiKey!
    const inFile = (): Profile => keyInFile(profile, apiKey)
    if (choice === 'file') return {profile: inFile()}
    const access = await openKeyring()
    let keyring: Keyring
    if ('unavailable' in access) {
      if (choice === 'keyring') throw noStoreForSaving(name, access.unavailable, moving)
      return {profile: inFile(), reason: access.unavailable}
    } else keyring = access.keyring
    const masked = maskKey(apiKey)
    // A refresh with the same key keeps its entry.
    if (isKeyringRef(profile.keyring) && profile.maskedKey === masked) {
      const stored = await keyring.get(profile.keyring).catch(() => null)
      if (stored === apiKey) return {profile: inKeyring(profile, profile.keyring, masked)}
    }
    const ref = newKeyringRef(name)
    try {
      await keyring.set(ref, apiKey)
    } catch (error) {
      if (choice === 'keyring') throw noStoreForSaving(name, (error as Error).message, moving)
      return {profile: inFile(), reason: (error as Error).message}
    }
    written.push(ref)
    return {profile: inKeyring(profile, ref, masked)}
  }

  /** Deletes entries; after the file is written a failure is only a notice (the entry is named by nothing). */
  private async deleteEntries(refs: KeyringRef[], notify: boolean): Promise<void> {
    if (refs.length === 0) return
    const access = await openKeyring()
    for (const ref of refs) {
      try {
        if ('unavailable' in access) throw new Error(access.unavailable)
        await access.keyring.delete(ref)
      } catch (error) {
        if (notify)
          this.notify(
            `Could not delete the entry "${ref.account}" of service "${ref.service}" from the system credential store (${(error as Error).message}); no profile uses it any more, delete it there.`,
          )
      }
    }
  }

  /** The folder at 0700, or tighter when the user made it so (0500 stays 0500: looser modes only are fixed). */
  private ensureFolder(): void {
    const dir = dirname(this.path)
    try {
      mkdirSync(dir, {recursive: true, mode: 0o700})
      const mode = statSync(dir).mode & 0o777
      if (mode & 0o077) chmodSync(dir, mode & 0o700)
    } catch (error) {
      throw unwritable(this.path, error)
    }
  }

  private async lock(): Promise<() => void> {
    const deadline = Date.now() + LOCK_WAIT_MS
    for (let attempt = 0; ; attempt++) {
      const release = this.takeLock()
      if (release) return release
      if (Date.now() > deadline) throw this.lockedError()
      await sleep(lockPause(attempt))
    }
  }

  /** The lock, waited for without giving up the thread: only for the one-time copy of codika-helper's file. */
  private lockSync(): () => void {
    const deadline = Date.now() + LOCK_WAIT_MS
    const pause = new Int32Array(new SharedArrayBuffer(4))
    for (let attempt = 0; ; attempt++) {
      const release = this.takeLock()
      if (release) return release
      if (Date.now() > deadline) throw this.lockedError()
      Atomics.wait(pause, 0, 0, lockPause(attempt))
    }
  }

  /** One try at the lock (a stale one is cleared first): its release, or undefined while another process holds it. */
  private takeLock(): (() => void) | undefined {
    const lockPath = `${this.path}.lock`
    for (;;) {
      try {
        const fd = openSync(lockPath, 'wx', 0o600)
        writeSync(fd, `${process.pid}\n`)
        closeSync(fd)
        this.locked = true
        return () => {
          this.locked = false
          rmSync(lockPath, {force: true})
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(this.path, error)
      }
      if (!isStale(lockPath)) return undefined
      // Rename first so that two processes that both see it stale cannot delete each other's fresh lock.
      const aside = `${lockPath}.${process.pid}.stale`
      try {
        renameSync(lockPath, aside)
        unlinkSync(aside)
      } catch {
        // someone else took care of it
      }
    }
  }

  private lockedError(): CodikaError {
    return new CodikaError('CONFIG_UNWRITABLE', `The profile file ${this.path} is locked by another codika process.`, {
      hint: `If no other codika is running, delete ${this.path}.lock and try again.`,
    })
  }

  /**
   * The new text, atomically: a temporary file beside the file, flushed, renamed over it. A symbolic link is written
   * through (its target is replaced, in the target's folder; the link stays). The mode is 0600, or the file's own
   * when it is tighter (0400 stays 0400).
   */
  private write(file: ProfileFile): void {
    this.writeText(`${JSON.stringify(file, null, 2)}\n`)
  }

  private writeText(text: string): void {
    const target = linkTarget(this.path)
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    try {
      const mode = fileMode(target)
      const fd = openSync(temp, 'wx', mode)
      try {
        writeSync(fd, text)
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      // openSync's mode is filtered by the umask; the file's mode is set as such.
      chmodSync(temp, mode)
      renameSync(temp, target)
      syncFolder(dirname(target))
    } catch (error) {
      rmSync(temp, {force: true})
      throw unwritable(this.path, error)
    }
  }
}

/** Parses and checks the layout; anything else is an error that names the file and the fix. */
export function parseProfileFile(text: string, path: string, kind = 'profile file'): ProfileFile {
  const broken = (what: string) =>
    new CodikaError('CONFIG_UNREADABLE', `The ${kind} ${path} ${what}.`, {
      hint: `Repair it by hand, or move it aside (mv "${path}" "${path}.bak") and log in again. codika will not overwrite it.`,
    })
  if (text.startsWith('\uFEFF'))
    throw broken('begins with a byte-order mark (U+FEFF), which JSON does not allow: save it as UTF-8 without a BOM')
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
    const hasKey = typeof profile.apiKey === 'string' && profile.apiKey !== ''
    if (!hasKey && profile.keyring === undefined) throw broken(`has a profile "${name}" without an "apiKey"`)
    if (!hasKey && !isKeyringRef(profile.keyring))
      throw broken(`has a profile "${name}" whose "keyring" is not {"service": "…", "account": "…"}`)
    if (typeof profile.type !== 'string' || profile.type === '')
      throw broken(`has a profile "${name}" without a "type"`)
    if (profile.baseUrl !== undefined && typeof profile.baseUrl !== 'string')
      throw broken(`has a profile "${name}" whose "baseUrl" is not a string`)
  }
  const active = data.activeProfile
  if (active !== undefined && active !== null && typeof active !== 'string')
    throw broken('has an "activeProfile" that is neither null nor a name')
  const file = data as ProfileFile
  // Profiles by name in a map without a prototype: a profile named "constructor" or "__proto__" is just a name, and
  // a name no profile has finds nothing (not Object.prototype's members).
  file.profiles = Object.assign(Object.create(null) as Record<string, Profile>, profiles)
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
  'keyring',
  'maskedKey',
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

/** The entries a file names. */
function refsOf(file: ProfileFile): KeyringRef[] {
  return Object.values(file.profiles)
    .map((profile) => profile.keyring)
    .filter((ref) => isKeyringRef(ref))
}

/** The profile with its key in the store: the reference and the mask where `apiKey` was, in the field order. */
function inKeyring(profile: Profile, ref: KeyringRef, masked: string): Profile {
  const out = {} as Profile
  for (const [field, value] of Object.entries(profile)) {
    if (field === 'keyring' || field === 'maskedKey') continue
    if (field === 'apiKey') {
      out.keyring = {service: ref.service, account: ref.account}
      out.maskedKey = masked
    } else out[field] = value
  }
  return out
}

/** The profile with its key in the file: `apiKey` where the reference was (if any), without reference or mask. */
function keyInFile(profile: Profile, apiKey: string): Profile {
  const out = {} as Profile
  const slot = profile.keyring === undefined ? 'apiKey' : 'keyring'
  for (const [field, value] of Object.entries(profile)) {
    if (field === slot) out.apiKey = apiKey
    else if (field !== 'apiKey' && field !== 'keyring' && field !== 'maskedKey') out[field] = value
  }
  return out
}

function noStoreForSaving(name: string, reason: string, moving: boolean): CodikaError {
  return new CodikaError(
    'KEYRING_UNAVAILABLE',
    `Cannot save the key of profile "${name}" in the system credential store: ${reason.replace(/\.$/, '')}.`,
    {
      hint: moving
        ? 'Nothing was changed. Run it where the store is available (your desktop session, with the store unlocked).'
        : 'CODIKA_CREDENTIAL_STORE=keyring asks for the store only; unset it (or set it to auto) to fall back to the profile file, or pass --insecure-storage.',
    },
  )
}

/** The one-line notice of keys kept in plain text because no store took them, and why. */
function plainTextNotice(plain: Array<{name: string; reason: string}>, path: string): string {
  const names = plain.map((p) => `"${p.name}"`).join(', ')
  const reasons = [...new Set(plain.map((p) => p.reason))].join('; ')
  return `The key of profile ${names} is stored in plain text in ${path}, as no system credential store could take it: ${reasons}. --insecure-storage or CODIKA_CREDENTIAL_STORE=file chooses the file without this notice.`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A lock left behind: older than any write takes, or held by a process of this machine that is gone (its pid, which
 * the holder writes into the lock; a lock without one yet is being taken right now).
 */
function isStale(lockPath: string): boolean {
  try {
    if (Date.now() - statSync(lockPath).mtimeMs > STALE_LOCK_MS) return true
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10)
    return pid > 0 && pid !== process.pid && !processAlive(pid)
  } catch {
    return false
  }
}

/** The pause between two tries at a lock that is held: short at first, at most 60 ms. */
function lockPause(attempt: number): number {
  return Math.min(5 + attempt * 5, 50) + Math.random() * 10
}

/** A path as one word of a POSIX shell's command line. */
function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`
}

/** The file a path leads to: the path itself, or where its symbolic link points (resolved fully). */
function linkTarget(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? realpathSync(path) : path
  } catch {
    return path // missing: written where it is named
  }
}

/** 0600, or the file's own mode when it is tighter; group and others never get anything. */
function fileMode(path: string): number {
  try {
    return statSync(path).mode & 0o600
  } catch {
    return 0o600
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
  return new CodikaError('CONFIG_UNWRITABLE', `Cannot write the profile file ${path}: ${describeFileError(error)}.`, {
    hint: `Check that its folder is writable by you.`,
  })
}
