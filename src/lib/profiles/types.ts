// The profile file's layout (CONTRACT.md), shared with the established client: unknown fields are kept.

export interface Profile {
  apiKey: string
  type: string
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
  return {activeProfile: null, profiles: {}}
}
