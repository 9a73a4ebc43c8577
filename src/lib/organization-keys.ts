// Organization keys: checking create-key's input, and keeping a new key as a profile.
import {type CreateOrganizationKeyData, type CreateOrganizationKeyRequest, PRODUCTION_BASE_URL} from './api/contract.js'
import {ENDPOINTS} from './api/contract.js'
import {isProduction} from './credentials.js'
import {usageError} from './errors.js'
import {slugify, uniqueName} from './profiles/names.js'
import type {ProfileStore} from './profiles/store.js'
import type {Profile} from './profiles/types.js'
import {closestScope, isOrganizationScope, ORGANIZATION_SCOPE_NAMES, PERSONAL_SCOPE_NAMES, splitScopes} from './scopes.js'

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
    const personalOnly = PERSONAL_SCOPE_NAMES.includes(scope)
      ? ` "${scope}" can only be carried by personal and admin keys.`
      : ` Did you mean "${closestScope(scope)}"?`
    throw usageError('UNKNOWN_SCOPE', `Unknown scope "${scope}".${personalOnly} Valid scopes: ${list}.`)
  }
  return scopes
}

/** `--expires-in-days`: a whole number of at least 1, written in digits only. */
export function parseExpiresInDays(raw: string): number {
  const text = raw.trim()
  if (!/^\d+$/.test(text))
    throw usageError('INVALID_FLAG', `--expires-in-days must be a whole number of days (got "${raw}").`, 'For example --expires-in-days 90.')
  const days = Number(text)
  if (days < 1 || !Number.isSafeInteger(days))
    throw usageError('INVALID_FLAG', `--expires-in-days must be at least 1 (got "${raw}").`, 'Leave it out for a key that never expires.')
  return days
}

export interface CreateKeyFlags {
  'organization-id': string
  name: string
  scopes: string
  description?: string
  'expires-in-days'?: string
}

/** The request body of create-key, built only from checked input; optional fields only when given. */
export function createKeyRequest(flags: CreateKeyFlags): CreateOrganizationKeyRequest {
  const request: CreateOrganizationKeyRequest = {
    organizationId: requireText(flags['organization-id'], 'organization-id'),
    name: requireText(flags.name, 'name'),
    scopes: parseScopes(flags.scopes),
  }
  if (flags.description !== undefined) request.description = flags.description
  if (flags['expires-in-days'] !== undefined) request.expiresInDays = parseExpiresInDays(flags['expires-in-days'])
  return request
}

/** The base URL to remember for a profile: without the endpoint path an --api-url may carry; none for production. */
export function profileBaseUrl(baseUrl: string): string | undefined {
  const url = new URL(baseUrl)
  const suffix = `/${ENDPOINTS.createOrganizationKey.path}`
  let path = url.pathname.replace(/\/+$/, '')
  if (path.toLowerCase().endsWith(suffix)) path = path.slice(0, -suffix.length)
  url.pathname = path || '/'
  const normal = url.toString().replace(/\/+$/, '')
  return isProduction(normal) || normal === PRODUCTION_BASE_URL ? undefined : normal
}

export interface SaveKeyInput {
  data: CreateOrganizationKeyData
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
    keyName: data.name,
    keyPrefix: data.keyPrefix,
    scopes: data.scopes,
    createdAt: data.createdAt,
    expiresAt: data.expiresAt,
    baseUrl: profileBaseUrl(input.baseUrl),
  }
  return store.update((file) => {
    const name = uniqueName(`org-api-key-${slugify(data.name)}`, (n) => Object.hasOwn(file.profiles, n))
    file.profiles[name] = profile
    file.activeProfile = name
    return name
  })
}
