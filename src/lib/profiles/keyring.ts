// The system credential store (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) behind
// profiles, through @napi-rs/keyring, loaded only when a key is read or written there.
//
// The layout, in the terms of CONTRACT.md's "The local profile file":
//
// | item | value |
// |---|---|
// | a profile whose key is in the file | `apiKey` holds the raw key, as CONTRACT.md says |
// | a profile whose key is in the store | no `apiKey`; `keyring: {"service": "codika", "account": "<profile>/<12 hex digits>"}` names its entry, and `maskedKey` (`cko_AbCd…wxyz`) is what `profile list` shows without reading the store |
// | the entry | a generic password of that service and account, whose secret is the raw key and nothing else |
// | accounts | made afresh (random) for every key written, so two profile files (two `XDG_CONFIG_HOME`s) never share an entry, and an entry never changes once written |
// | one entry per profile | a new key gets a new entry and the old one is deleted once the file no longer names it (replace, refresh with another key, `profile secure --insecure-storage`, removal) |
// | order | the entry is written before the file names it, and deleted only after the file stops naming it: a failure in between leaves at worst an unnamed entry, never a profile without its key |
// | both fields | a profile holding both `apiKey` and `keyring` (edited by hand, or rewritten by another client) is read from `apiKey` |
//
// The established 3.x client requires `apiKey` in every profile: it cannot read the keys kept in the store
// (MIGRATING.md). Which store a saved key goes to: CODIKA_CREDENTIAL_STORE and --insecure-storage (storageChoice).
import {randomBytes} from 'node:crypto'
import {createRequire} from 'node:module'

import {CodikaError, usageError} from '../errors.js'
import {redact} from '../redact.js'

export const KEYRING_SERVICE = 'codika'

/** How long the Secret Service gets to answer the probe (a hung one must not hang the CLI). */
export const KEYRING_PROBE_TIMEOUT_MS = 3000

/** `auto`: the system store where one works, else the file with a notice; `keyring`: the store or an error. */
export type StorageChoice = 'auto' | 'file' | 'keyring'
export const STORAGE_CHOICES: readonly StorageChoice[] = ['auto', 'keyring', 'file']

/** Where a profile's key is: in the system credential store, or in the profile file in plain text. */
export type KeyLocation = 'file' | 'keyring'

export interface KeyringRef {
  service: string
  account: string
}

/** --insecure-storage beats CODIKA_CREDENTIAL_STORE, which beats the default `auto`. A bad value is exit 2. */
export function storageChoice(insecureStorage: boolean, env: NodeJS.ProcessEnv = process.env): StorageChoice {
  if (insecureStorage) return 'file'
  const raw = env.CODIKA_CREDENTIAL_STORE?.trim()
  if (!raw) return 'auto'
  const value = raw.toLowerCase()
  if ((STORAGE_CHOICES as readonly string[]).includes(value)) return value as StorageChoice
  throw usageError(
    'INVALID_ARGUMENT',
    `CODIKA_CREDENTIAL_STORE must be one of: ${STORAGE_CHOICES.join(', ')} (got "${raw}").`,
    'auto: the system credential store where one works, else the file; keyring: the store or an error; file: the profile file.',
  )
}

/** A new entry's name: the profile's name, for people reading their keychain, and a random part, for uniqueness. */
export function newKeyringRef(profileName: string): KeyringRef {
  return {service: KEYRING_SERVICE, account: `${profileName}/${randomBytes(6).toString('hex')}`}
}

export function isKeyringRef(value: unknown): value is KeyringRef {
  if (typeof value !== 'object' || value === null) return false
  const ref = value as Record<string, unknown>
  return typeof ref.service === 'string' && ref.service !== '' && typeof ref.account === 'string' && ref.account !== ''
}

export const refId = (ref: KeyringRef) => `${ref.service}\u0000${ref.account}`

/** The operations on entries; a failure is a KEYRING_UNAVAILABLE error (exit 1) whose message is the store's own words. */
export interface Keyring {
  get(ref: KeyringRef): Promise<string | null>
  set(ref: KeyringRef, secret: string): Promise<void>
  delete(ref: KeyringRef): Promise<boolean>
}

export type KeyringAccess = {keyring: Keyring} | {unavailable: string}

type KeyringModule = typeof import('@napi-rs/keyring')

let opened: Promise<KeyringAccess> | undefined

/**
 * The system credential store, or why there is none: once per process. On Linux and FreeBSD the Secret Service is
 * probed first (dbus-probe.ts), and the native module is pinned to it: its other Linux store, the kernel keyring,
 * forgets everything at logout, which is no place for a key that should outlive the session.
 */
export function openKeyring(env: NodeJS.ProcessEnv = process.env): Promise<KeyringAccess> {
  opened ??= (async (): Promise<KeyringAccess> => {
    const secretService = process.platform === 'linux' || process.platform === 'freebsd'
    let native: KeyringModule | undefined
    if (secretService) {
      const {probeSecretService, sessionBusPresent} = await import('./dbus-probe.js')
      const probing = probeSecretService(KEYRING_PROBE_TIMEOUT_MS, env)
      // The module loads while the bus answers the probe; where there is no bus at all (CI), it is not loaded.
      if (sessionBusPresent(env)) native = loadNative()
      const probe = await probing
      if (!probe.ok) return {unavailable: probe.reason}
      native ??= loadNative()
    } else native = loadNative()
    if (!native)
      return {unavailable: `the credential store module has no binary for ${process.platform}-${process.arch}`}
    return {keyring: nativeKeyring(native, secretService)}
  })()
  return opened
}

/**
 * The native module, or undefined when it has no binary here. Required rather than imported: it is CommonJS, and
 * import() would first scan its source for named exports, which costs more than loading the binary itself.
 */
function loadNative(): KeyringModule | undefined {
  try {
    return createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule
  } catch {
    return undefined
  }
}

function nativeKeyring(native: KeyringModule, secretService: boolean): Keyring {
  const entry = (ref: KeyringRef) =>
    new native.AsyncEntry(ref.service, ref.account, secretService ? {linux: {store: 'secret-service'}} : undefined)
  const attempt = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (error) {
      throw new CodikaError('KEYRING_UNAVAILABLE', storeMessage(error), {cause: error})
    }
  }
  return {
    get: (ref) => attempt(() => entry(ref).getPassword()),
    set: (ref, secret) => attempt(() => entry(ref).setPassword(secret)),
    delete: (ref) => attempt(() => entry(ref).deleteCredential()),
  }
}

/** The store's own words, for the user (never parsed): one line, without anything shaped like a key. */
export function storeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return redact(message.replace(/\s+/g, ' ').trim()).replace(/\.$/, '')
}
