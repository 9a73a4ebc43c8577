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

/** Calls verifyapikey; a 401 becomes KEY_REJECTED (exit 1) with the platform's own message. */
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
  return new CodikaError('KEY_REJECTED', `Key rejected by the platform: ${error.message}`, {
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
