// The sandbox's records (people, organizations, keys), how they are read from database rows, and its store error.
import type {KeyType, LogoMimeType, OrganizationSize} from '../lib/api/contract.js'

export type Row = Record<string, unknown>

export type Role = 'owner' | 'admin' | 'member'

export interface Person {
  id: string
  name: string
  email: string
  createdAt: string
}

export interface Organization {
  id: string
  name: string
  description?: string
  size?: OrganizationSize
  logoMimeType?: LogoMimeType
  logoBytes?: number
  n8nBaseUrl?: string
  storeCredentialCopy: boolean
  createdBy: string
  createdAt: string
}

export interface ApiKeyRecord {
  id: string
  type: KeyType
  keyPrefix: string
  name: string
  description?: string
  scopes: string[]
  organizationId?: string
  personId?: string
  createdBy?: string
  createdAt: string
  expiresAt?: string
  updatedAt: string
  lastUsedAt?: string
  revokedAt?: string
}

export interface NewOrganization {
  name: string
  description?: string
  size?: OrganizationSize
  logo?: {mimeType: LogoMimeType; bytes: Buffer}
  n8nBaseUrl?: string
  storeCredentialCopy?: boolean
}

export interface NewApiKey {
  type: KeyType
  name: string
  description?: string
  scopes: readonly string[]
  organizationId?: string
  personId?: string
  createdBy?: string
  createdAt: Date
  expiresAt?: Date
}

export interface ApiKeyChanges {
  name?: string
  /** `null` clears the description. */
  description?: string | null
  scopes?: readonly string[]
}

/**
 * The data file is in use, something else than a sandbox database (FOREIGN: never written to or deleted), a sandbox
 * database that cannot be read (INVALID), or one of a newer codika (TOO_NEW); the message says which.
 */
export class SandboxStoreError extends Error {
  constructor(
    message: string,
    readonly code: 'DATA_FILE_IN_USE' | 'DATA_FILE_FOREIGN' | 'DATA_FILE_INVALID' | 'DATA_FILE_TOO_NEW',
  ) {
    super(message)
    this.name = 'SandboxStoreError'
  }
}

/** A nullable TEXT column (or a number read back from one) as an optional string. */
const optional = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value)

export function toOrganization(row: Row): Organization {
  return stripUndefined({
    id: String(row.id),
    name: String(row.name),
    description: optional(row.description),
    size: optional(row.size) as OrganizationSize | undefined,
    logoMimeType: optional(row.logo_mime_type) as LogoMimeType | undefined,
    logoBytes: row.logo_bytes === null ? undefined : Number(row.logo_bytes),
    n8nBaseUrl: optional(row.n8n_base_url),
    storeCredentialCopy: Number(row.store_credential_copy) === 1,
    createdBy: String(row.created_by),
    createdAt: String(row.created_at),
  })
}

export function toApiKey(row: Row): ApiKeyRecord {
  return stripUndefined({
    id: String(row.id),
    type: String(row.type) as KeyType,
    keyPrefix: String(row.key_prefix),
    name: String(row.name),
    description: optional(row.description),
    scopes: JSON.parse(String(row.scopes)) as string[],
    organizationId: optional(row.organization_id),
    personId: optional(row.person_id),
    createdBy: optional(row.created_by),
    createdAt: String(row.created_at),
    expiresAt: optional(row.expires_at),
    updatedAt: String(row.updated_at),
    lastUsedAt: optional(row.last_used_at),
    revokedAt: optional(row.revoked_at),
  })
}

/** Drops undefined fields, so records and the JSON made from them omit what is unknown. */
export function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
