// The platform's HTTP contract (CONTRACT.md): endpoint paths, message types and their JSON schemas.
// Written once, used by the client (outgoing requests, incoming responses) and by the sandbox (incoming requests).

export const PRODUCTION_BASE_URL = 'https://api.codika.io'
export const AUTH_HEADER = 'X-Process-Manager-Key'

export const ORGANIZATION_SIZES = ['solo', '2-10', '11-50', '51-200', '201-1000', '1000+'] as const
export type OrganizationSize = (typeof ORGANIZATION_SIZES)[number]

export function isOrganizationSize(value: unknown): value is OrganizationSize {
  return (ORGANIZATION_SIZES as readonly unknown[]).includes(value)
}

/** An organization's name: 2 to 100 characters, counted as code points (an emoji is one), after trimming. */
export const ORGANIZATION_NAME_LENGTH = {min: 2, max: 100} as const

/** The length of an organization name as the platform counts it: code points, not UTF-16 units. */
export function organizationNameLength(name: string): number {
  return [...name].length
}

export function isOrganizationNameLength(length: number): boolean {
  return length >= ORGANIZATION_NAME_LENGTH.min && length <= ORGANIZATION_NAME_LENGTH.max
}

export const LOGO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type LogoMimeType = (typeof LOGO_MIME_TYPES)[number]
export const MAX_LOGO_BYTES = 5 * 1024 * 1024

export function isLogoMimeType(value: unknown): value is LogoMimeType {
  return (LOGO_MIME_TYPES as readonly unknown[]).includes(value)
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end))

/**
 * A logo's type, read from its first bytes (JPEG, PNG or WebP), whatever its name or the request claims; undefined
 * for anything else. The client judges a --logo file by it, the platform (and the sandbox) the bytes it receives.
 */
export function sniffLogoType(bytes: Uint8Array): LogoMimeType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 8 && PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return 'image/png'
  // WebP is a RIFF container: "RIFF", four bytes of length, then "WEBP".
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp'
  return undefined
}

/** An http or https URL with a host (base URLs of the platform and of a self-hosted n8n). */
export function isHttpUrl(text: string): boolean {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return false
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
}

export const KEY_TYPES = {
  cko_: 'org-api-key',
  ckp_: 'personal-api-key',
  cka_: 'admin-api-key',
} as const
export type KeyType = (typeof KEY_TYPES)[keyof typeof KEY_TYPES]

/** Length of a key's `keyPrefix`, shown to users and kept in profiles (`cko_AbCd1234`: "the first 12 characters"). */
export const KEY_PREFIX_LENGTH = 12

/** A raw key's `keyPrefix`. */
export function keyPrefixOf(apiKey: string): string {
  return apiKey.slice(0, KEY_PREFIX_LENGTH)
}

/** The key type implied by a raw key's prefix, or undefined for an unknown prefix. */
export function keyTypeOf(apiKey: string): KeyType | undefined {
  return KEY_TYPES[apiKey.slice(0, 4) as keyof typeof KEY_TYPES]
}

// ---- Messages --------------------------------------------------------------------------

export interface SuccessEnvelope<T> {
  success: true
  data: T
  requestId: string
}

export interface ErrorEnvelope {
  success: false
  error: {message: string; code?: string}
  requestId: string
}

export interface VerifyApiKeyData {
  type: string
  keyName?: string
  keyPrefix?: string
  scopes?: string[]
  organizationId?: string
  organizationName?: string
  createdAt?: string
  expiresAt?: string
  lastUsedAt?: string
}

export interface CreateOrganizationRequest {
  name: string
  description?: string
  size?: OrganizationSize
  logoBase64?: string
  logoMimeType?: LogoMimeType
  n8nBaseUrl?: string
  n8nApiKey?: string
  storeCredentialCopy?: boolean
}

export interface CreateOrganizationData {
  organizationId: string
}

export interface CreateOrganizationKeyRequest {
  organizationId: string
  name: string
  scopes: string[]
  description?: string
  expiresInDays?: number
}

export interface CreateOrganizationKeyData {
  keyId: string
  apiKey: string
  keyPrefix: string
  name: string
  scopes: string[]
  createdAt: string
  expiresAt?: string
  organizationId?: string
}

export interface UpdateOrganizationKeyRequest {
  keyId: string
  name?: string
  description?: string
  scopes?: string[]
}

export interface UpdateOrganizationKeyData {
  keyId: string
  name: string
  description?: string
  scopes: string[]
  updatedAt: string
}

// ---- Schemas ---------------------------------------------------------------------------

type Schema = Record<string, unknown>

const nonEmptyString = {type: 'string', minLength: 1}
const stringList = {type: 'array', items: nonEmptyString}

export const successEnvelopeSchema: Schema = {
  type: 'object',
  required: ['success', 'data', 'requestId'],
  properties: {
    success: {const: true},
    data: {type: 'object'},
    requestId: {type: 'string'},
  },
}

export const errorEnvelopeSchema: Schema = {
  type: 'object',
  required: ['success', 'error', 'requestId'],
  properties: {
    success: {const: false},
    error: {
      type: 'object',
      required: ['message'],
      properties: {message: {type: 'string'}, code: {type: 'string'}},
    },
    requestId: {type: 'string'},
  },
}

const verifyApiKeyDataSchema: Schema = {
  type: 'object',
  required: ['type'],
  properties: {
    type: nonEmptyString,
    keyName: {type: 'string'},
    keyPrefix: {type: 'string'},
    scopes: stringList,
    organizationId: {type: 'string'},
    organizationName: {type: 'string'},
    createdAt: {type: 'string'},
    expiresAt: {type: 'string'},
    lastUsedAt: {type: 'string'},
  },
}

const createOrganizationRequestSchema: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    // The schema counts code points too (JSON Schema's string length); the name is checked again after trimming.
    name: {type: 'string', minLength: ORGANIZATION_NAME_LENGTH.min, maxLength: ORGANIZATION_NAME_LENGTH.max},
    description: {type: 'string'},
    size: {enum: [...ORGANIZATION_SIZES]},
    logoBase64: nonEmptyString,
    logoMimeType: {enum: [...LOGO_MIME_TYPES]},
    n8nBaseUrl: nonEmptyString,
    n8nApiKey: nonEmptyString,
    storeCredentialCopy: {type: 'boolean'},
  },
  // Draft-07 `dependencies` (ajv's default draft has no `dependentRequired`): each field needs its partner.
  dependencies: {
    logoBase64: ['logoMimeType'],
    logoMimeType: ['logoBase64'],
    n8nApiKey: ['n8nBaseUrl'],
    n8nBaseUrl: ['n8nApiKey'],
  },
}

const createOrganizationDataSchema: Schema = {
  type: 'object',
  required: ['organizationId'],
  properties: {organizationId: nonEmptyString},
}

const createOrganizationKeyRequestSchema: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['organizationId', 'name', 'scopes'],
  properties: {
    organizationId: nonEmptyString,
    name: nonEmptyString,
    scopes: {...stringList, minItems: 1},
    description: {type: 'string'},
    expiresInDays: {type: 'integer', minimum: 1},
  },
}

const createOrganizationKeyDataSchema: Schema = {
  type: 'object',
  required: ['keyId', 'apiKey', 'keyPrefix', 'name', 'scopes', 'createdAt'],
  properties: {
    keyId: nonEmptyString,
    apiKey: {type: 'string', pattern: '^cko_.+'},
    keyPrefix: nonEmptyString,
    name: {type: 'string'},
    scopes: stringList,
    createdAt: nonEmptyString,
    expiresAt: {type: 'string'},
    organizationId: {type: 'string'},
  },
}

const updateOrganizationKeyRequestSchema: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['keyId'],
  anyOf: [{required: ['name']}, {required: ['description']}, {required: ['scopes']}],
  properties: {
    keyId: nonEmptyString,
    name: nonEmptyString,
    description: {type: 'string'},
    scopes: {...stringList, minItems: 1},
  },
}

const updateOrganizationKeyDataSchema: Schema = {
  type: 'object',
  required: ['keyId', 'name', 'scopes', 'updatedAt'],
  properties: {
    keyId: nonEmptyString,
    name: {type: 'string'},
    description: {type: 'string'},
    scopes: stringList,
    updatedAt: nonEmptyString,
  },
}

export interface Endpoint {
  /** Lower-case path, appended to the base URL. */
  readonly path: string
  /** Schema of the request body; undefined for endpoints without a body. */
  readonly request?: Schema
  /** Schema of the success envelope's `data`. */
  readonly data: Schema
  /** May the client send it again after a failure that might have reached the platform? */
  readonly idempotent: boolean
}

export const ENDPOINTS = {
  verifyApiKey: {path: 'verifyapikey', data: verifyApiKeyDataSchema, idempotent: true},
  createOrganization: {
    path: 'createorganizationviaapikey',
    request: createOrganizationRequestSchema,
    data: createOrganizationDataSchema,
    idempotent: false,
  },
  createOrganizationKey: {
    path: 'createorganizationapikeypublic',
    request: createOrganizationKeyRequestSchema,
    data: createOrganizationKeyDataSchema,
    idempotent: false,
  },
  updateOrganizationKey: {
    path: 'updateorganizationapikeypublic',
    request: updateOrganizationKeyRequestSchema,
    data: updateOrganizationKeyDataSchema,
    idempotent: false,
  },
} as const satisfies Record<string, Endpoint>

export type EndpointName = keyof typeof ENDPOINTS

/** The full URL of an endpoint: `base` + `/` + path, or `base` itself when it already ends with the path. */
export function endpointUrl(baseUrl: string, endpoint: Endpoint): string {
  const url = new URL(baseUrl)
  const path = url.pathname.replace(/\/+$/, '')
  if (path.toLowerCase().endsWith(`/${endpoint.path}`)) return url.toString()
  url.pathname = `${path}/${endpoint.path}`
  return url.toString()
}
