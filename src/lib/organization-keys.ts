// Organization keys: checking create-key's and update-key's input, keeping a new key as a profile, refreshing it.
import {
  type CreateOrganizationKeyData,
  type CreateOrganizationKeyRequest,
  type Endpoint,
  ENDPOINTS,
  keyPrefixOf,
  keyTypeOf,
  type UpdateOrganizationKeyData,
  type UpdateOrganizationKeyRequest,
} from './api/contract.js'
import {keyHeaderProblem} from './api/transport-rules.js'
import {closestMatch} from './closest-match.js'
import {isProduction} from './credentials.js'
import {CodikaError, usageError} from './errors.js'
import {slugify, uniqueName} from './profiles/names.js'
import type {ProfileStore} from './profiles/store.js'
import type {Profile} from './profiles/types.js'
import {isOrganizationScope, ORGANIZATION_SCOPE_NAMES, PERSONAL_SCOPE_NAMES, splitScopes} from './scopes.js'

/** A required text flag: trimmed, and not empty. */
export function requireText(raw: string, flag: string): string {
  const value = raw.trim()
  if (!value) throw usageError('INVALID_FLAG', `--${flag} must not be empty.`)
  return value
}

/** `--scopes`: split, trimmed, de-duplicated, at least one, each from the organization scope list. */
export function parseScopes(raw: string, flag = 'scopes'): string[] {
  const scopes = splitScopes(raw)
  const list = ORGANIZATION_SCOPE_NAMES.join(', ')
  if (scopes.length === 0)
    throw usageError('INVALID_FLAG', `--${flag} must name at least one scope.`, `Valid scopes: ${list}.`)
  for (const scope of scopes) {
    if (isOrganizationScope(scope)) continue
    const words = scope.split(/\s+/)
    if (words.length > 1)
      throw usageError(
        'UNKNOWN_SCOPE',
        `Scopes are comma-separated: "${scope}" is not one scope.`,
        `Write --${flag} ${words.join(',')}`,
      )
    const personalOnly = PERSONAL_SCOPE_NAMES.includes(scope)
      ? ` "${scope}" can only be carried by personal and admin keys.`
      : ` Did you mean "${closestMatch(scope, ORGANIZATION_SCOPE_NAMES)}"?`
    throw usageError('UNKNOWN_SCOPE', `Unknown scope "${scope}".${personalOnly} Valid scopes: ${list}.`)
  }
  return scopes
}

/** `--expires-in-days`: a whole number of at least 1, written in digits only, that a number holds exactly. */
export function parseExpiresInDays(raw: string): number {
  const text = raw.trim()
  if (!/^\d+$/.test(text))
    throw usageError(
      'INVALID_FLAG',
      `--expires-in-days must be a whole number of days (got "${raw}").`,
      'For example --expires-in-days 90.',
    )
  const days = Number(text)
  if (!Number.isSafeInteger(days))
    throw usageError(
      'INVALID_FLAG',
      `--expires-in-days is too large (got "${raw}").`,
      'Give a number of days such as 365, or leave it out for a key that never expires.',
    )
  if (days < 1)
    throw usageError(
      'INVALID_FLAG',
      `--expires-in-days must be at least 1 (got "${raw}").`,
      'Leave it out for a key that never expires.',
    )
  return days
}

/** create-key's flags, scopes and days already parsed (lib/oclif/flags.ts). */
export interface CreateKeyFlags {
  'organization-id': string
  name: string
  scopes: string[]
  description?: string
  'expires-in-days'?: number
}

/** The request body of create-key, built only from checked input; optional fields only when given. */
export function createKeyRequest(flags: CreateKeyFlags): CreateOrganizationKeyRequest {
  const request: CreateOrganizationKeyRequest = {
    organizationId: requireText(flags['organization-id'], 'organization-id'),
    name: requireText(flags.name, 'name'),
    scopes: flags.scopes,
  }
  if (flags.description !== undefined) request.description = flags.description
  if (flags['expires-in-days'] !== undefined) request.expiresInDays = flags['expires-in-days']
  return request
}

/** The base URL to remember for a profile: without the endpoint path an --api-url may carry; none for production. */
export function profileBaseUrl(
  baseUrl: string,
  endpoint: Endpoint = ENDPOINTS.createOrganizationKey,
): string | undefined {
  const url = new URL(baseUrl)
  const suffix = `/${endpoint.path}`
  let path = url.pathname.replace(/\/+$/, '')
  if (path.toLowerCase().endsWith(suffix)) path = path.slice(0, -suffix.length)
  url.pathname = path || '/'
  const normal = url.toString().replace(/\/+$/, '')
  return isProduction(normal) ? undefined : normal
}

/** A new key as far as the platform's answer tells it: the raw key always, the rest when the answer had it. */
export type CreatedKey = Pick<CreateOrganizationKeyData, 'apiKey'> & Partial<Omit<CreateOrganizationKeyData, 'apiKey'>>

export interface RecoveredKey {
  envelope: {success: true; data: CreatedKey; requestId: string}
  /** What in the answer breaks the contract (the client's message). */
  problem: string
}

/**
 * A create-key answer that is a success (HTTP 2xx, the success envelope) holding a `cko_` key but breaking the
 * contract elsewhere (`expiresAt: null`, no `keyPrefix`): the key exists and cannot be fetched again, so it is kept.
 * Every field the contract describes is taken when it has the contract's type and dropped otherwise; undefined when
 * the error is anything else.
 */
export function recoverCreatedKey(error: unknown): RecoveredKey | undefined {
  if (!(error instanceof CodikaError) || error.code !== 'INVALID_RESPONSE') return undefined
  if (error.status === undefined || error.status < 200 || error.status > 299) return undefined
  const body = error.body as {success?: unknown; data?: unknown; requestId?: unknown} | undefined
  const data = body?.data as Record<string, unknown> | undefined
  if (body?.success !== true || typeof data !== 'object' || data === null) return undefined
  const apiKey = data.apiKey
  if (typeof apiKey !== 'string' || keyTypeOf(apiKey) !== 'org-api-key' || keyHeaderProblem(apiKey)) return undefined
  const text = (field: string) => (typeof data[field] === 'string' && data[field] !== '' ? data[field] : undefined)
  const scopes = Array.isArray(data.scopes) && data.scopes.every((s) => typeof s === 'string') ? data.scopes : undefined
  const key: CreatedKey = {
    apiKey,
    keyId: text('keyId'),
    keyPrefix: text('keyPrefix'),
    name: text('name'),
    scopes,
    createdAt: text('createdAt'),
    expiresAt: text('expiresAt'),
    organizationId: text('organizationId'),
  }
  for (const field of Object.keys(key) as Array<keyof CreatedKey>) if (key[field] === undefined) delete key[field]
  const requestId = typeof body.requestId === 'string' ? body.requestId : (error.requestId ?? '')
  return {envelope: {success: true, data: key, requestId}, problem: error.message}
}

export interface SaveKeyInput {
  data: CreatedKey
  request: CreateOrganizationKeyRequest
  baseUrl: string
  /** The profile whose key created this one, to inherit the organization's name from. */
  creator?: Profile
}

/** Saves the new key as `org-api-key-<slug>` (de-duplicated) and makes it active; returns the profile's name. */
export async function saveOrganizationKey(store: ProfileStore, input: SaveKeyInput): Promise<string> {
  const {data, request, creator} = input
  const organizationId = data.organizationId ?? request.organizationId
  const profile: Profile = {
    apiKey: data.apiKey,
    type: 'org-api-key',
    organizationId,
    organizationName: creator?.organizationId === organizationId ? creator.organizationName : undefined,
    keyId: data.keyId,
    keyName: data.name ?? request.name,
    // The contract's keyPrefix is the key's first 12 characters: known even when an answer leaves it out.
    keyPrefix: data.keyPrefix ?? keyPrefixOf(data.apiKey),
    scopes: data.scopes,
    createdAt: data.createdAt,
    expiresAt: data.expiresAt,
    baseUrl: profileBaseUrl(input.baseUrl),
  }
  return store.update((file) => {
    const name = uniqueName(`org-api-key-${slugify(data.name ?? request.name)}`, (n) => Object.hasOwn(file.profiles, n))
    file.profiles[name] = profile
    file.activeProfile = name
    return name
  })
}

/** update-key's flags, scopes already parsed (lib/oclif/flags.ts). */
export interface UpdateKeyFlags {
  'key-id': string
  name?: string
  description?: string
  scopes?: string[]
}

/**
 * The request body of update-key: the key id plus at least one change, each checked as create-key checks it.
 * `description` is sent as given, so `--description ""` clears it.
 */
export function updateKeyRequest(flags: UpdateKeyFlags): UpdateOrganizationKeyRequest {
  const keyId = requireText(flags['key-id'], 'key-id')
  if (flags.name === undefined && flags.description === undefined && flags.scopes === undefined)
    throw usageError(
      'MISSING_FLAG',
      'Nothing to change: give at least one of --name, --description or --scopes.',
      'For example --name "CI Deploy Key (rotated)", or --description "" to clear the description.',
    )
  const request: UpdateOrganizationKeyRequest = {keyId}
  if (flags.name !== undefined) request.name = requireText(flags.name, 'name')
  if (flags.description !== undefined) request.description = flags.description
  if (flags.scopes !== undefined) request.scopes = flags.scopes
  return request
}

/**
 * After an update, refreshes the cached name and scopes of every local profile holding that key: the same
 * `keyId` on the same platform (a key id means nothing on another one). Writes only when one matches;
 * returns the names of the refreshed profiles.
 */
export async function refreshKeyProfiles(
  store: ProfileStore,
  data: UpdateOrganizationKeyData,
  baseUrl: string,
): Promise<string[]> {
  const platform = profileBaseUrl(baseUrl, ENDPOINTS.updateOrganizationKey)
  const holders = (profiles: Record<string, Profile>) =>
    Object.entries(profiles).filter(([, p]) => p.keyId === data.keyId && sameBaseUrl(p.baseUrl, platform))
  if (holders(store.read().profiles).length === 0) return []
  return store.update((file) =>
    holders(file.profiles).map(([name, profile]) => {
      profile.keyName = data.name
      profile.scopes = data.scopes
      return name
    }),
  )
}

function sameBaseUrl(profileUrl: string | undefined, platform: string | undefined): boolean {
  if (profileUrl === undefined) return platform === undefined
  try {
    return profileBaseUrl(profileUrl) === platform
  } catch {
    return false // a hand-edited baseUrl that is not a URL matches nothing
  }
}
