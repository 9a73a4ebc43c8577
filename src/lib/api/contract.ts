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
/** The largest logo, in MiB (as help and messages say it) and in bytes. */
export const MAX_LOGO_MIB = 5
export const MAX_LOGO_BYTES = MAX_LOGO_MIB * 1024 * 1024

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

/** An object the platform answers: these fields required, and fields beyond `properties` allowed (it may add some). */
function answerSchema(required: string[], properties: Record<string, unknown>): Schema {
  return {type: 'object', required, properties}
}

/** A request body: these fields required, and none but those of `properties` (`more`: further keywords). */
function bodySchema(required: string[], properties: Record<string, unknown>, more: Schema = {}): Schema {
  return {type: 'object', additionalProperties: false, required, properties, ...more}
}

export const successEnvelopeSchema = answerSchema(['success', 'data', 'requestId'], {
  success: {const: true},
  data: {type: 'object'},
  requestId: {type: 'string'},
})

export const errorEnvelopeSchema = answerSchema(['success', 'error', 'requestId'], {
  success: {const: false},
  error: {
    type: 'object',
    required: ['message'],
    properties: {message: {type: 'string'}, code: {type: 'string'}},
  },
  requestId: {type: 'string'},
})

const verifyApiKeyDataSchema = answerSchema(['type'], {
  type: nonEmptyString,
  keyName: {type: 'string'},
  keyPrefix: {type: 'string'},
  scopes: stringList,
  organizationId: {type: 'string'},
  organizationName: {type: 'string'},
  createdAt: {type: 'string'},
  expiresAt: {type: 'string'},
  lastUsedAt: {type: 'string'},
})

const createOrganizationRequestSchema = bodySchema(
  ['name'],
  {
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
  {
    // Draft-07 `dependencies` (ajv's default draft has no `dependentRequired`): each field needs its partner.
    dependencies: {
      logoBase64: ['logoMimeType'],
      logoMimeType: ['logoBase64'],
      n8nApiKey: ['n8nBaseUrl'],
      n8nBaseUrl: ['n8nApiKey'],
    },
  },
)

const createOrganizationDataSchema = answerSchema(['organizationId'], {organizationId: nonEmptyString})

const createOrganizationKeyRequestSchema = bodySchema(['organizationId', 'name', 'scopes'], {
  organizationId: nonEmptyString,
  name: nonEmptyString,
  scopes: {...stringList, minItems: 1},
  description: {type: 'string'},
  expiresInDays: {type: 'integer', minimum: 1},
})

/** A key the platform made, as it answers it: the secret under `apiKey` (create-key) or `raw` (the OTP completes). */
function madeKeySchema(secret: 'apiKey' | 'raw', more: Record<string, Schema> = {}): Schema {
  return answerSchema(['keyId', secret, 'keyPrefix', 'name', 'scopes', 'createdAt'], {
    keyId: nonEmptyString,
    [secret]: {type: 'string', pattern: '^cko_.+'},
    keyPrefix: nonEmptyString,
    name: {type: 'string'},
    scopes: stringList,
    createdAt: nonEmptyString,
    expiresAt: {type: 'string'},
    ...more,
  })
}

const createOrganizationKeyDataSchema = madeKeySchema('apiKey', {organizationId: {type: 'string'}})

const updateOrganizationKeyRequestSchema = bodySchema(
  ['keyId'],
  {keyId: nonEmptyString, name: nonEmptyString, description: {type: 'string'}, scopes: {...stringList, minItems: 1}},
  {anyOf: [{required: ['name']}, {required: ['description']}, {required: ['scopes']}]},
)

const updateOrganizationKeyDataSchema = answerSchema(['keyId', 'name', 'scopes', 'updatedAt'], {
  keyId: nonEmptyString,
  name: {type: 'string'},
  description: {type: 'string'},
  scopes: stringList,
  updatedAt: nonEmptyString,
})

export interface Endpoint {
  /** Lower-case path, appended to the base URL. */
  readonly path: string
  /** Schema of the request body; undefined for endpoints without a body. */
  readonly request?: Schema
  /** Schema of the success envelope's `data`. */
  readonly data: Schema
  /** May the client send it again after a failure that might have reached the platform? */
  readonly idempotent: boolean
  /** Sent without the auth header (the OTP endpoints: the caller has no key yet). */
  readonly public?: boolean
}

// ENDPOINTS (every endpoint, by name) is assembled at the end of this file, after the OTP section.
const KEY_ENDPOINTS = {
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

// =========================================================================================================
// ==== OTP self-provisioning (CONTRACT.md "OTP self-provisioning"): four public endpoints, no auth header ====
// =========================================================================================================

/** The rules the platform enforces on emailed codes and the keys they mint. */
export const OTP_RULES = {
  /** A code is this many decimal digits. */
  codeDigits: 6,
  /** A code is valid this long after it was sent. */
  codeTtlSeconds: 600,
  /** After this many wrong codes, the code is deleted (OTP_LOCKED_OUT). */
  maxFailedAttempts: 5,
  /** At least this long between two code requests for one address. */
  resendCooldownSeconds: 30,
  /** At most this many code requests an hour for one address… */
  requestsPerHourPerEmail: 20,
  /** …and this many from one client IP address. */
  requestsPerHourPerIp: 60,
  /** A login mints no key for an organization that already holds this many active keys. */
  maxActiveKeysPerOrganization: 20,
} as const

/** `company.name`, which becomes the organization's name: at most as many characters (code points) as one. */
export const COMPANY_NAME_MAX_LENGTH = ORGANIZATION_NAME_LENGTH.max
export const DEFAULT_COMPANY_NAME = 'My Organization'
/** `apiKey.name` when absent. */
export const DEFAULT_CLI_KEY_NAME = 'CLI default key'
/** `apiKey.expiresInDays`: a whole number in this range; no expiry when absent. */
export const KEY_EXPIRES_IN_DAYS = {min: 1, max: 365} as const

/** Is `days` an `apiKey.expiresInDays` the completes take (KEY_EXPIRES_IN_DAYS)? */
export function isKeyExpiresInDays(days: number): boolean {
  return Number.isInteger(days) && days >= KEY_EXPIRES_IN_DAYS.min && days <= KEY_EXPIRES_IN_DAYS.max
}

export const OTP_PURPOSES = ['signup', 'login'] as const
export type OtpPurpose = (typeof OTP_PURPOSES)[number]

/** A code as the platform sends it: exactly six decimal digits. */
export const OTP_CODE_PATTERN = /^\d{6}$/

/** The longest address SMTP carries (RFC 5321's path limit less its angle brackets). */
export const EMAIL_MAX_LENGTH = 254

/**
 * An address of the shape `local@domain.tld`: no spaces or control characters (an escape sequence is no address), one
 * `@`, a dot in the domain, at most 254 characters.
 */
export function isEmailAddress(text: string): boolean {
  return text.length <= EMAIL_MAX_LENGTH && /^[^\s@\p{Cc}]+@[^\s@.\p{Cc}]+(\.[^\s@.\p{Cc}]+)+$/u.test(text)
}

/** The error codes of the OTP endpoints and the HTTP status of each (ORGANIZATION_CREATION_FAILED: 400–500). */
export const OTP_ERROR_STATUS = {
  EMAIL_REQUIRED: 400,
  EMAIL_INVALID: 400,
  USER_ALREADY_HAS_ORGANIZATION: 409,
  USER_NOT_FOUND: 404,
  USER_HAS_NO_ORGANIZATION: 409,
  OTP_RESEND_COOLDOWN: 429,
  EMAIL_RATE_LIMITED: 429,
  IP_RATE_LIMITED: 429,
  OTP_INVALID: 400,
  OTP_NOT_FOUND: 404,
  OTP_EXPIRED: 410,
  OTP_ALREADY_USED: 409,
  OTP_PURPOSE_MISMATCH: 409,
  OTP_LOCKED_OUT: 429,
  COMPANY_NAME_TOO_LONG: 400,
  INVALID_EXPIRES_IN_DAYS: 400,
  ORGANIZATION_CREATION_FAILED: 400,
  MULTIPLE_ORGANIZATIONS: 409,
  ORGANIZATION_NOT_MEMBER: 403,
  MAX_API_KEYS_REACHED: 429,
  INTERNAL: 500,
} as const
export type OtpErrorCode = keyof typeof OTP_ERROR_STATUS

/** An organization a user belongs to, as MULTIPLE_ORGANIZATIONS and ORGANIZATION_NOT_MEMBER list them. */
export interface OrganizationChoice {
  id: string
  name: string
}

/** `error.details` of the OTP endpoints, by code (every field optional: the platform may leave any out). */
export interface OtpErrorDetails {
  /** OTP_RESEND_COOLDOWN */
  retryInSeconds?: number
  /** OTP_INVALID */
  attemptsRemaining?: number
  /** MULTIPLE_ORGANIZATIONS, ORGANIZATION_NOT_MEMBER */
  organizations?: OrganizationChoice[]
  [field: string]: unknown
}

/** The error envelope of the OTP endpoints: the common one, whose `error` also carries a code, a next action, details. */
export interface OtpErrorEnvelope {
  success: false
  error: {code: string; message: string; nextAction?: string; details?: OtpErrorDetails}
  requestId: string
}

export interface OtpRequest {
  email: string
}

export interface OtpRequestData {
  email: string
  expiresInSeconds: number
}

/** What the minted key's request may say; each field only when given. */
export interface MintedKeyOptions {
  name?: string
  expiresInDays?: number
}

export interface CompleteSignupRequest {
  email: string
  code: string
  company?: {name?: string; description?: string}
  apiKey?: MintedKeyOptions
}

/** The organization key a complete mints. The raw key is `raw` here (`apiKey` in createorganizationapikeypublic). */
export interface MintedKey {
  keyId: string
  /** The raw `cko_` key: returned this once only. */
  raw: string
  keyPrefix: string
  name: string
  scopes: string[]
  createdAt: string
  /** Absent: the key never expires. */
  expiresAt?: string
}

export interface CompleteSignupData {
  organizationId: string
  organizationName: string
  isNewUser: boolean
  apiKey: MintedKey
}

export interface CompleteLoginRequest {
  email: string
  code: string
  organizationId?: string
  apiKey?: MintedKeyOptions
}

export interface CompleteLoginData {
  organizationId: string
  organizationName: string
  apiKey: MintedKey
}

const emailSchema: Schema = {type: 'string', minLength: 3, maxLength: EMAIL_MAX_LENGTH}

const otpRequestSchema = bodySchema(['email'], {email: emailSchema})

const otpRequestDataSchema = answerSchema(['email', 'expiresInSeconds'], {
  email: {type: 'string'},
  expiresInSeconds: {type: 'integer', minimum: 1},
})

const mintedKeyOptionsSchema: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: nonEmptyString,
    expiresInDays: {type: 'integer', minimum: KEY_EXPIRES_IN_DAYS.min, maximum: KEY_EXPIRES_IN_DAYS.max},
  },
}

const otpCodeSchema: Schema = {type: 'string', pattern: OTP_CODE_PATTERN.source}

/** A complete's body: the address, the code and the key's options, with what its purpose adds. */
function completeRequestSchema(more: Record<string, unknown>): Schema {
  return bodySchema(['email', 'code'], {
    email: emailSchema,
    code: otpCodeSchema,
    ...more,
    apiKey: mintedKeyOptionsSchema,
  })
}

const completeSignupRequestSchema = completeRequestSchema({
  company: {
    type: 'object',
    additionalProperties: false,
    properties: {name: {...nonEmptyString, maxLength: COMPANY_NAME_MAX_LENGTH}, description: {type: 'string'}},
  },
})

const completeLoginRequestSchema = completeRequestSchema({organizationId: nonEmptyString})

const mintedKeySchema = madeKeySchema('raw')

const completeSignupDataSchema = answerSchema(['organizationId', 'organizationName', 'isNewUser', 'apiKey'], {
  organizationId: nonEmptyString,
  organizationName: {type: 'string'},
  isNewUser: {type: 'boolean'},
  apiKey: mintedKeySchema,
})

const completeLoginDataSchema = answerSchema(['organizationId', 'organizationName', 'apiKey'], {
  organizationId: nonEmptyString,
  organizationName: {type: 'string'},
  apiKey: mintedKeySchema,
})

// Not idempotent: a request sends an email (and counts against the limits), a complete uses up its code.
const OTP_ENDPOINTS = {
  requestSignupOtp: {
    path: 'clirequestsignupotp',
    request: otpRequestSchema,
    data: otpRequestDataSchema,
    idempotent: false,
    public: true,
  },
  completeSignup: {
    path: 'clicompletesignup',
    request: completeSignupRequestSchema,
    data: completeSignupDataSchema,
    idempotent: false,
    public: true,
  },
  requestLoginOtp: {
    path: 'clirequestloginotp',
    // Copies: the build's generated validators need each endpoint's schemas to be objects of their own.
    request: {...otpRequestSchema},
    data: {...otpRequestDataSchema},
    idempotent: false,
    public: true,
  },
  completeLogin: {
    path: 'clicompletelogin',
    request: completeLoginRequestSchema,
    data: completeLoginDataSchema,
    idempotent: false,
    public: true,
  },
} as const satisfies Record<string, Endpoint>

// ==== end of OTP self-provisioning ==========================================================================

/** Every endpoint of the contract, by name. */
export const ENDPOINTS = {...KEY_ENDPOINTS, ...OTP_ENDPOINTS} as const satisfies Record<string, Endpoint>
