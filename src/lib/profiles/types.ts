// The profile file's layout (CONTRACT.md), shared with the established client: unknown fields are kept. A profile
// holds its key in `apiKey`, or names its entry in the system credential store (keyring.ts has that layout).
import {maskKey} from '../redact.js'
import type {KeyLocation, KeyringRef} from './keyring.js'

export interface Profile {
  /** The raw key, when it is kept in the file. */
  apiKey?: string
  type: string
  /** The key's entry in the system credential store, when it is kept there (then without `apiKey`). */
  keyring?: KeyringRef
  /** The key masked (maskKey), kept beside a `keyring` reference so that listing profiles reads no entry. */
  maskedKey?: string
  organizationId?: string
  organizationName?: string
  keyId?: string
  keyName?: string
  keyPrefix?: string
  scopes?: string[]
  createdAt?: string
  expiresAt?: string
  baseUrl?: string
  [field: string]: unknown
}

export interface ProfileFile {
  activeProfile: string | null
  profiles: Record<string, Profile>
  [field: string]: unknown
}

export function emptyProfileFile(): ProfileFile {
  // No prototype, as ProfileStore#read gives it: names are looked up as own properties only.
  return {activeProfile: null, profiles: Object.create(null) as Record<string, Profile>}
}

/** Where the profile's key is: the file when it holds `apiKey` (which wins over a `keyring` reference), else the store. */
export function keyLocation(profile: Profile): KeyLocation {
  return typeof profile.apiKey === 'string' && profile.apiKey !== '' ? 'file' : 'keyring'
}

/** The key masked, without reading the store: from `apiKey`, else the `maskedKey` kept beside the reference. */
export function profileMask(profile: Profile): string {
  if (keyLocation(profile) === 'file') return maskKey(profile.apiKey!)
  if (typeof profile.maskedKey === 'string' && profile.maskedKey !== '') return profile.maskedKey
  return maskKey(typeof profile.keyPrefix === 'string' ? profile.keyPrefix : '')
}

/**
 * Which key a profile holds, as a value to compare within this process (never to print): the raw key in the file,
 * else the entry's name (an entry is never rewritten with another key: a new key gets a new entry).
 */
export function keyIdentity(profile: Profile | undefined): string | undefined {
  if (!profile) return undefined
  if (keyLocation(profile) === 'file') return profile.apiKey
  return profile.keyring ? `keyring:${profile.keyring.service}/${profile.keyring.account}` : undefined
}

/** Is the profile's key in `location` and only there (a key in the file with no reference to an entry beside it)? */
export function keyOnlyIn(profile: Profile, location: KeyLocation): boolean {
  return keyLocation(profile) === location && (location === 'keyring' || profile.keyring === undefined)
}
