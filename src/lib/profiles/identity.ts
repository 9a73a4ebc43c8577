// Who a key is: asking the platform (verifyapikey), and the key-free facts `whoami` and `login` report.
import {CodikaClient, timeoutFromEnv} from '../api/client.js'
import {keyTypeOf, type SuccessEnvelope, type VerifyApiKeyData} from '../api/contract.js'
import {type Credentials, describeKeySource, describeUrlSource, type KeySource, type UrlSource} from '../credentials.js'
import {CodikaError} from '../errors.js'
import {maskKey} from '../redact.js'
import {userAgent} from '../version.js'
import type {ProfileStore} from './store.js'
import type {Profile} from './types.js'
import {type ExpiryStatus, expiryOf} from './expiry.js'

/**
 * Calls verifyapikey; a 401 becomes KEY_REJECTED (exit 1) with the platform's own message, unchanged (the human
 * screen says "Key rejected by the platform" before it).
 */
export async function verifyKey(
  client: Pick<CodikaClient, 'verifyApiKey'>,
): Promise<SuccessEnvelope<VerifyApiKeyData>> {
  try {
    return await client.verifyApiKey()
  } catch (error) {
    throw keyRejected(error)
  }
}

/** Verifies a key that is not (yet) a profile, on a client of its own that is closed afterwards. */
export async function verifyNewKey(
  apiKey: string,
  baseUrl: string,
  version: string,
): Promise<SuccessEnvelope<VerifyApiKeyData>> {
  const client = new CodikaClient({baseUrl, apiKey, timeoutMs: timeoutFromEnv(), userAgent: userAgent(version)})
  try {
    return await verifyKey(client)
  } finally {
    await client.close()
  }
}

function keyRejected(error: unknown): unknown {
  if (!(error instanceof CodikaError) || error.code !== 'API_ERROR' || error.status !== 401) return error
  return new CodikaError('KEY_REJECTED', error.message, {
    status: error.status,
    requestId: error.requestId,
    platformCode: error.platformCode,
    hint: 'The key is unknown, revoked or expired. Log in with a valid key: `codika login`.',
  })
}

/** Where the key and the URL of this run came from, and which key it is (masked). */
export interface SourceFacts {
  maskedKey: string
  /** The profile that gave the key, or null when it came from --api-key or CODIKA_API_KEY. */
  profile: string | null
  keySource: KeySource
  keySourceLabel: string
  baseUrl: string
  urlSource: UrlSource
  urlSourceLabel: string
  /** 3.6.0's words for where the key came from, which its users' scripts read: see compatSource. */
  source: string
  /** 3.6.0's name for `profile`. */
  profileName: string | null
}

export function sourceFacts(c: Credentials): SourceFacts {
  return {
    maskedKey: maskKey(c.apiKey),
    profile: c.profileName ?? null,
    keySource: c.keySource,
    keySourceLabel: describeKeySource(c),
    baseUrl: c.baseUrl,
    urlSource: c.urlSource,
    urlSourceLabel: describeUrlSource(c),
    source: compatSource(c),
    profileName: c.profileName ?? null,
  }
}

/** Where the key came from in 3.6.0's exact words: `flag`, `env (CODIKA_API_KEY)` or `profile "<name>"`. */
export function compatSource(c: Pick<Credentials, 'keySource' | 'profileName'>): string {
  switch (c.keySource) {
    case 'flag':
      return 'flag'
    case 'env':
      return 'env (CODIKA_API_KEY)'
    case 'profile-flag':
    case 'env-profile':
    case 'active-profile':
      return `profile "${c.profileName}"`
  }
}

/** The fields of the verify answer that 3.6.0's `whoami --json` printed at the top level. */
const VERIFY_FIELDS = [
  'type',
  'keyName',
  'keyPrefix',
  'scopes',
  'organizationId',
  'organizationName',
  'createdAt',
  'expiresAt',
  'lastUsedAt',
] as const satisfies ReadonlyArray<keyof VerifyApiKeyData>

/** Those of the fields that the details have, to be spread at the top level of a document. */
function flatDetails(details: KeyDetails): Partial<VerifyApiKeyData> {
  const flat: Record<string, unknown> = {}
  for (const field of VERIFY_FIELDS) if (details[field] !== undefined) flat[field] = details[field]
  return flat
}

/**
 * `whoami --json` once the key is verified: ours (the platform's answer as `data`, the local facts) and, for the
 * scripts of 3.6.0, `loggedIn` and the answer's fields at the top level.
 */
export function verifiedDocument(envelope: SuccessEnvelope<VerifyApiKeyData>, facts: SourceFacts) {
  const {data, requestId} = envelope
  return {
    success: true as const,
    verified: true as const,
    loggedIn: true as const,
    data,
    requestId,
    ...facts,
    expiryStatus: expiryStatusOf(data) ?? null,
    ...flatDetails(data),
  }
}

/**
 * What the error document of a whoami whose key could not be verified adds: the local facts, `loggedIn: true`,
 * `cached` (whether a saved profile knows the key), that profile's key-free details as `cachedDetails` and, as
 * 3.6.0 printed them, at the top level. Never the key.
 */
export function unverifiedFields(facts: SourceFacts, cachedProfile: Profile | undefined, apiKey: string) {
  const details = cachedProfile ? detailsFromProfile(cachedProfile, apiKey) : null
  return {
    loggedIn: true as const,
    verified: false as const,
    ...facts,
    cached: details !== null,
    cachedDetails: details,
    ...(details ? flatDetails(details) : {}),
  }
}

/** What the file knows about the key in use: its own profile, else a saved profile holding the same key. */
export async function cachedDetails(
  c: Credentials,
  store: Pick<ProfileStore, 'read' | 'keyHolders'>,
): Promise<{name: string; profile: Profile} | undefined> {
  if (c.profile && c.profileName) return {name: c.profileName, profile: c.profile}
  try {
    const file = store.read()
    const [name] = await store.keyHolders(file, c.apiKey)
    return name === undefined ? undefined : {name, profile: file.profiles[name]}
  } catch {
    // an unreadable file only means there is nothing cached to show
    return undefined
  }
}

/** The details `whoami` shows: from the platform, or (unverified) from a cached profile or the key's prefix. */
export type KeyDetails = Omit<VerifyApiKeyData, 'type'> & {type?: string}

export function detailsFromProfile(profile: Profile | undefined, apiKey: string): KeyDetails {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
  if (!profile) return {type: keyTypeOf(apiKey)}
  return {
    type: profile.type,
    keyName: text(profile.keyName),
    keyPrefix: text(profile.keyPrefix),
    scopes: Array.isArray(profile.scopes) ? profile.scopes : undefined,
    organizationId: text(profile.organizationId),
    organizationName: text(profile.organizationName),
    createdAt: text(profile.createdAt),
    expiresAt: text(profile.expiresAt),
  }
}

export function expiryStatusOf(details: KeyDetails): ExpiryStatus | undefined {
  return expiryOf(details.expiresAt)?.status
}
