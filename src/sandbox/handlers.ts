// The platform's rules for the four endpoints of CONTRACT.md: who may call what, what is valid, what is stored.
import {
  AUTH_HEADER,
  type CreateOrganizationData,
  type CreateOrganizationKeyData,
  type CreateOrganizationRequest,
  type CreateOrganizationKeyRequest,
  isHttpUrl,
  isLogoMimeType,
  isOrganizationNameLength,
  isOrganizationSize,
  LOGO_MIME_TYPES,
  MAX_LOGO_BYTES,
  MAX_LOGO_MIB,
  ORGANIZATION_NAME_LENGTH,
  ORGANIZATION_SIZES,
  organizationNameLength,
  sniffLogoType,
  type UpdateOrganizationKeyData,
  type UpdateOrganizationKeyRequest,
  type VerifyApiKeyData,
} from '../lib/api/contract.js'
import {check} from '../lib/api/validate.js'
import {ORGANIZATION_SCOPE_NAMES, ORGANIZATIONS_CREATE} from '../lib/scopes.js'
import type {Clock} from './clock.js'
import {isWellFormedKey} from './keys.js'
import {decodeBase64} from './logo.js'
import {type ApiKeyRecord, type NewOrganization, stripUndefined} from './records.js'
import type {SandboxStore} from './store.js'

const API_KEYS_MANAGE = 'api-keys:manage'
const DAY_MS = 86_400_000
// Timestamps are compared as ISO strings in the database, which only works while years have four digits.
const LATEST_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

/** A refusal that becomes the contract's error envelope with this HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    /** The OTP endpoints' extras in `error`: a sentence on what to do next, and details (CONTRACT.md). */
    readonly extra: {nextAction?: string; details?: Record<string, unknown>} = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface HandlerContext {
  store: SandboxStore
  now: Clock
  /** The sandbox's console (its log): where the outbox prints each code it "sends". */
  log?: (line: string) => void
}

export interface HandlerRequest {
  /** The X-Process-Manager-Key header, if sent. */
  apiKey: string | undefined
  /** The client's address, as the socket says (never a header): what the per-IP limits count. */
  clientIp?: string
  /** The parsed JSON body; undefined for endpoints without one. */
  body: unknown
  /** The caller's key use, not yet written: it goes into the request's own commit (see recordUse). */
  use?: {keyId: string; at: Date}
}

export type Handler = (context: HandlerContext, request: HandlerRequest) => Promise<object>

// ---- Authentication and authorization -------------------------------------------------------

/**
 * The caller's key record; 401 for a missing, malformed, unknown, revoked or expired key. The use is noted on the
 * request and written with the request's own change (or alone, by flushUse, when it makes none): one fsynced
 * commit per request instead of two.
 */
function authenticate({store, now}: HandlerContext, request: HandlerRequest): ApiKeyRecord {
  const {apiKey} = request
  if (!apiKey) throw new ApiError(401, `Missing API key: send it in the ${AUTH_HEADER} header`, 'MISSING_API_KEY')
  // One message for malformed, unknown and revoked keys: the caller learns nothing about which it was.
  const invalid = new ApiError(401, 'Invalid API key', 'INVALID_API_KEY')
  if (!isWellFormedKey(apiKey)) throw invalid
  const key = store.findKey(apiKey)
  if (!key || key.revokedAt) throw invalid
  const at = now()
  if (key.expiresAt && Date.parse(key.expiresAt) <= at.getTime()) {
    throw new ApiError(401, `API key expired on ${key.expiresAt}`, 'API_KEY_EXPIRED')
  }
  request.use = {keyId: key.id, at}
  return key
}

/** Writes the caller's pending key use, if any (the server calls it after every request). */
export function flushUse({store}: HandlerContext, request: HandlerRequest): void {
  if (!request.use) return
  store.touchKey(request.use.keyId, request.use.at)
  request.use = undefined
}

/** Runs a request's change and its key use in one transaction. */
function recordUse<T>(context: HandlerContext, request: HandlerRequest, change: () => T): T {
  return context.store.transaction(() => {
    flushUse(context, request)
    return change()
  })
}

function requireScope(key: ApiKeyRecord, scope: string): void {
  if (!key.scopes.includes(scope)) {
    throw new ApiError(403, `This API key lacks the ${scope} scope`, 'MISSING_SCOPE')
  }
}

/** Organization keys act only inside their organization's workflows: they never create organizations or keys. */
function requirePersonOrAdminKey(key: ApiKeyRecord, action: string): void {
  if (key.type === 'org-api-key') {
    throw new ApiError(
      403,
      `Organization API keys cannot ${action}; use a personal (ckp_) or admin (cka_) API key`,
      'FORBIDDEN',
    )
  }
}

/** Admin keys manage every organization's keys; a personal key only where its person is an owner or admin. */
function requireKeyManager({store}: HandlerContext, key: ApiKeyRecord, organizationId: string): void {
  if (key.type === 'admin-api-key') return
  const role = key.personId ? store.roleOf(organizationId, key.personId) : undefined
  if (role === 'owner' || role === 'admin') return
  throw new ApiError(
    403,
    `Only owners and admins of organization ${organizationId} can manage its API keys` +
      (role ? ` (this key's role there: ${role})` : ' (this key is not a member of it)'),
    'FORBIDDEN',
  )
}

// ---- Validation -----------------------------------------------------------------------------

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'The request body must be a JSON object', 'INVALID_REQUEST')
  }
  return body as Record<string, unknown>
}

async function requireSchema(id: Parameters<typeof check>[0], body: unknown): Promise<void> {
  const problem = await check(id, body)
  if (problem) throw new ApiError(400, `Invalid request: ${problem}`, 'INVALID_REQUEST')
}

/** The scopes without duplicates (order kept); 400 naming the first one an organization key may not carry. */
function organizationScopes(scopes: unknown): string[] | undefined {
  if (!Array.isArray(scopes)) return undefined
  for (const scope of scopes) {
    if (typeof scope === 'string' && !ORGANIZATION_SCOPE_NAMES.includes(scope)) {
      throw new ApiError(
        400,
        `Invalid scope: ${scope}. Valid scopes: ${ORGANIZATION_SCOPE_NAMES.join(', ')}`,
        'INVALID_SCOPE',
      )
    }
  }
  return [...new Set(scopes as string[])]
}

function requireTrimmed(value: unknown, what: string): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  if (trimmed === '') throw new ApiError(400, `${what} must not be empty`, 'INVALID_REQUEST')
  return trimmed
}

/** A request value inside a message: strings as they are, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

// ---- Endpoints ------------------------------------------------------------------------------

export const verifyApiKey: Handler = async (context, call) => {
  const key = authenticate(context, call)
  const organization = key.organizationId ? context.store.getOrganization(key.organizationId) : undefined
  // Personal and admin keys belong to a person, not to an organization, so they carry no organizationId.
  // lastUsedAt is the use before this one: the record was read before this request was recorded.
  const data: VerifyApiKeyData = {
    type: key.type,
    keyName: key.name,
    keyPrefix: key.keyPrefix,
    scopes: key.scopes,
    organizationId: organization?.id,
    organizationName: organization?.name,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
  }
  return stripUndefined(data)
}

export const createOrganization: Handler = async (context, call) => {
  const {body} = call
  const key = authenticate(context, call)
  requirePersonOrAdminKey(key, 'create organizations')
  requireScope(key, ORGANIZATIONS_CREATE)

  const fields = requireObject(body)
  const name = typeof fields.name === 'string' ? fields.name.trim() : undefined
  // Characters, as the schema and the database count them, not UTF-16 units: an emoji is one.
  const length = name === undefined ? 0 : organizationNameLength(name)
  if (name !== undefined && !isOrganizationNameLength(length)) {
    const {min, max} = ORGANIZATION_NAME_LENGTH
    throw new ApiError(400, `Organization name must be ${min} to ${max} characters (got ${length})`, 'INVALID_REQUEST')
  }
  if (fields.size !== undefined && !isOrganizationSize(fields.size)) {
    throw new ApiError(
      400,
      `Invalid size: ${shown(fields.size)}. Valid sizes: ${ORGANIZATION_SIZES.join(', ')}`,
      'INVALID_REQUEST',
    )
  }
  if (fields.logoMimeType !== undefined && !isLogoMimeType(fields.logoMimeType)) {
    throw new ApiError(
      400,
      `Invalid logoMimeType: ${shown(fields.logoMimeType)}. Valid types: ${LOGO_MIME_TYPES.join(', ')}`,
      'INVALID_REQUEST',
    )
  }
  await requireSchema('createOrganization.request', fields)
  const request = fields as unknown as CreateOrganizationRequest

  const organization: NewOrganization = {
    name: name!,
    description: request.description || undefined,
    size: request.size,
    logo: request.logoBase64 ? readLogo(request.logoBase64, request.logoMimeType!) : undefined,
  }
  if (request.n8nBaseUrl) {
    organization.n8nBaseUrl = requireHttpUrl(request.n8nBaseUrl)
    // The n8n API key is a secret the sandbox has no use for (it never calls n8n), so it is not stored.
    organization.storeCredentialCopy = request.storeCredentialCopy === true
  }
  const creator = key.personId
  if (!creator) throw new Error(`key ${key.id} has no person`)
  const created = recordUse(context, call, () => context.store.createOrganization(organization, creator, context.now()))
  const data: CreateOrganizationData = {organizationId: created.id}
  return data
}

function readLogo(base64: string, mimeType: (typeof LOGO_MIME_TYPES)[number]): NewOrganization['logo'] {
  const bytes = decodeBase64(base64)
  if (!bytes) throw new ApiError(400, 'logoBase64 is not valid base64', 'INVALID_LOGO')
  if (bytes.length > MAX_LOGO_BYTES) {
    throw new ApiError(
      400,
      `The logo is ${bytes.length} bytes; the limit is ${MAX_LOGO_MIB} MiB (${MAX_LOGO_BYTES} bytes)`,
      'INVALID_LOGO',
    )
  }
  const detected = sniffLogoType(bytes)
  if (!detected) {
    throw new ApiError(400, `The logo must be a JPEG, PNG or WebP image (judged by its content)`, 'INVALID_LOGO')
  }
  if (detected !== mimeType) {
    throw new ApiError(400, `The logo is ${detected} by its content, but logoMimeType says ${mimeType}`, 'INVALID_LOGO')
  }
  return {mimeType, bytes}
}

function requireHttpUrl(text: string): string {
  if (!isHttpUrl(text))
    throw new ApiError(400, `n8nBaseUrl must be an http or https URL (got ${text})`, 'INVALID_REQUEST')
  return text
}

interface KeyEndpoint {
  action: string
  schema: 'createOrganizationKey.request' | 'updateOrganizationKey.request'
}
const CREATE_KEY: KeyEndpoint = {action: 'create API keys', schema: 'createOrganizationKey.request'}
const UPDATE_KEY: KeyEndpoint = {action: 'update API keys', schema: 'updateOrganizationKey.request'}

/**
 * What both key endpoints check first, in this order: the caller's key (a personal or admin key with api-keys:manage),
 * then the body (its name trimmed, its scopes each an organization scope, then the schema).
 */
async function keyManagerRequest<T>(
  context: HandlerContext,
  call: HandlerRequest,
  {action, schema}: KeyEndpoint,
): Promise<{key: ApiKeyRecord; request: T; name?: string; scopes?: string[]}> {
  const key = authenticate(context, call)
  requirePersonOrAdminKey(key, action)
  requireScope(key, API_KEYS_MANAGE)
  const fields = requireObject(call.body)
  const name = requireTrimmed(fields.name, 'Key name')
  const scopes = organizationScopes(fields.scopes)
  await requireSchema(schema, fields)
  return {key, request: fields as unknown as T, name, scopes}
}

export const createOrganizationKey: Handler = async (context, call) => {
  const {key, request, name, scopes} = await keyManagerRequest<CreateOrganizationKeyRequest>(context, call, CREATE_KEY)

  const at = context.now()
  let expiresAt: Date | undefined
  if (request.expiresInDays !== undefined) {
    const ms = at.getTime() + request.expiresInDays * DAY_MS
    if (!(ms <= LATEST_EXPIRY_MS)) {
      throw new ApiError(400, `expiresInDays is too large (${request.expiresInDays})`, 'INVALID_REQUEST')
    }
    expiresAt = new Date(ms)
  }

  const organization = context.store.getOrganization(request.organizationId)
  if (!organization) {
    throw new ApiError(404, `Organization not found: ${request.organizationId}`, 'ORGANIZATION_NOT_FOUND')
  }
  requireKeyManager(context, key, organization.id)

  const {apiKey: rawKey, record} = recordUse(context, call, () =>
    context.store.createKey({
      type: 'org-api-key',
      name: name!,
      description: request.description,
      scopes: scopes!,
      organizationId: organization.id,
      createdBy: key.personId,
      createdAt: at,
      expiresAt,
    }),
  )
  const data: CreateOrganizationKeyData = {
    keyId: record.id,
    apiKey: rawKey,
    keyPrefix: record.keyPrefix,
    name: record.name,
    scopes: record.scopes,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    organizationId: organization.id,
  }
  return stripUndefined(data)
}

export const updateOrganizationKey: Handler = async (context, call) => {
  const {key, request, name, scopes} = await keyManagerRequest<UpdateOrganizationKeyRequest>(context, call, UPDATE_KEY)

  const target = context.store.getKey(request.keyId)
  // Only organization keys are reachable here; a person's own key is not "an organization API key".
  if (!target || target.type !== 'org-api-key' || !target.organizationId) {
    throw new ApiError(404, `API key not found: ${request.keyId}`, 'API_KEY_NOT_FOUND')
  }
  requireKeyManager(context, key, target.organizationId)

  // An empty description clears it (CONTRACT.md); then the response carries no description.
  const updated = recordUse(context, call, () =>
    context.store.updateKey(
      target.id,
      {name, scopes, description: request.description === undefined ? undefined : request.description || null},
      context.now(),
    ),
  )!
  const data: UpdateOrganizationKeyData = {
    keyId: updated.id,
    name: updated.name,
    description: updated.description,
    scopes: updated.scopes,
    updatedAt: updated.updatedAt,
  }
  return stripUndefined(data)
}
