// What profiles look like without their raw keys: the views `profile list|show|use` and `whoami` return (and print
// with --json), the [env] row of CODIKA_API_KEY, and the lookups by name.
import {keyTypeOf, PRODUCTION_BASE_URL} from '../api/contract.js'
import {baseUrlSourceLabel, describeUrlSource, type UrlChoice, type UrlSource} from '../credentials.js'
import {maskKey, redact} from '../redact.js'
import {noActiveProfile, profileNotFound} from './errors.js'
import {type ExpiryStatus, expiryOf} from './expiry.js'
import type {KeyLocation} from './keyring.js'
import {keyLocation, type Profile, type ProfileFile, profileMask} from './types.js'

/**
 * Everything a profile says except its raw key: what list, show and use print with --json. The fields 3.6.0's
 * `use --json` always had (`type`, `organizationId`, `organizationName`, `keyPrefix`, `scopes`, `expiresAt`) are
 * always there, null (or `[]`) when unknown, since its users' scripts read them; the others only when known.
 */
export interface ProfileView {
  name: string
  active: boolean
  type: string
  maskedKey: string
  /** Where the key is: `keyring` (the system credential store) or `file` (the profile file, in plain text). */
  keyStore: KeyLocation
  keyPrefix: string | null
  keyId?: string
  keyName?: string
  organizationId: string | null
  organizationName: string | null
  scopes: string[]
  createdAt?: string
  expiresAt: string | null
  expiryStatus?: ExpiryStatus
  /** The URL the profile's key is sent to: its `baseUrl`, or production when it has none. */
  baseUrl: string
}

const KNOWN_FIELDS = new Set([
  'apiKey',
  'keyring',
  'maskedKey',
  'type',
  'keyPrefix',
  'keyId',
  'keyName',
  'organizationId',
  'organizationName',
  'scopes',
  'createdAt',
  'expiresAt',
  'baseUrl',
])

export function profileView(name: string, profile: Profile, activeProfile: string | null): ProfileView {
  const pick = (field: string) =>
    typeof profile[field] === 'string' && profile[field] !== '' ? profile[field] : undefined
  const view: ProfileView = {
    name,
    active: name === activeProfile,
    type: profile.type,
    maskedKey: profileMask(profile),
    keyStore: keyLocation(profile),
    keyPrefix: pick('keyPrefix') ?? null,
    keyId: pick('keyId'),
    keyName: pick('keyName'),
    organizationId: pick('organizationId') ?? null,
    organizationName: pick('organizationName') ?? null,
    scopes: Array.isArray(profile.scopes) ? profile.scopes.filter((s) => typeof s === 'string') : [],
    createdAt: pick('createdAt'),
    expiresAt: pick('expiresAt') ?? null,
    expiryStatus: expiryOf(pick('expiresAt'))?.status,
    baseUrl: pick('baseUrl') ?? PRODUCTION_BASE_URL,
  }
  return dropUndefined(view)
}

/**
 * Fields of a profile this CLI does not know (written by the established client or by hand), for `profile show`.
 * Their values are passed through redaction, since nobody promised they hold no secret.
 */
export function otherFields(profile: Profile): Record<string, unknown> | undefined {
  const other = Object.fromEntries(Object.entries(profile).filter(([field]) => !KNOWN_FIELDS.has(field)))
  if (Object.keys(other).length === 0) return undefined
  return JSON.parse(redact(JSON.stringify(hideSecrets(other)))) as Record<string, unknown>
}

/** Field names that say their value is a secret (`n8nApiKey`, `accessToken`, `clientSecret`, `password`, …). */
const SECRET_NAME = /key|token|secret|passw(or)?d|credential|auth|cookie|session|signature|private/i

/**
 * The fields of another client, with the value of every field whose name says it is a secret masked (strings show
 * their first and last four characters at most, anything else only that it is there), at any depth.
 */
function hideSecrets(value: unknown, secret = false): unknown {
  if (Array.isArray(value)) return value.map((item) => hideSecrets(item, secret))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([field, inner]) => [field, hideSecrets(inner, secret || SECRET_NAME.test(field))]),
    )
  if (!secret || value === null || value === undefined || typeof value === 'boolean') return value
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '')
  return text.length > 16 ? `${text.slice(0, 4)}…${text.slice(-4)} (hidden)` : '(hidden)'
}

/** Credentials from CODIKA_API_KEY, shown by `profile list` as their own row: they beat every profile. */
export interface EnvCredentialsView {
  maskedKey: string
  type?: string
  baseUrl: string
  /** Where the URL of the environment key comes from: CODIKA_BASE_URL, else production. */
  urlSource: 'env' | 'default'
}

export function envCredentialsView(env: NodeJS.ProcessEnv = process.env): EnvCredentialsView | undefined {
  const key = env.CODIKA_API_KEY?.trim()
  if (!key) return undefined
  const url = env.CODIKA_BASE_URL?.trim()
  return dropUndefined({
    maskedKey: maskKey(key),
    type: keyTypeOf(key),
    baseUrl: url || PRODUCTION_BASE_URL,
    urlSource: url ? 'env' : 'default',
  } satisfies EnvCredentialsView)
}

export interface ProfileList {
  success: true
  activeProfile: string | null
  profiles: ProfileView[]
  /** Credentials from CODIKA_API_KEY (masked), or null when it is not set. */
  env: EnvCredentialsView | null
}

export function listProfiles(file: ProfileFile, env: NodeJS.ProcessEnv = process.env): ProfileList {
  return {
    success: true,
    activeProfile: file.activeProfile,
    profiles: profileViews(file),
    env: envCredentialsView(env) ?? null,
  }
}

/** `config show`: the list of `profile list`, and the URL a command run here would call, with where it comes from. */
export interface ConfigOverview extends ProfileList {
  baseUrl: string
  /** 3.6.0's words, which its scripts read: `flag`, `env (CODIKA_BASE_URL)`, `profile "<name>"`, `default`. */
  baseUrlSource: string
  /** As `whoami` says it: `flag`, `env`, `profile`, `default`, and in words. */
  urlSource: UrlSource
  urlSourceLabel: string
  /** The profile whose baseUrl it is, when one gave it. */
  urlProfile?: string
}

export function configOverview(
  file: ProfileFile,
  url: UrlChoice,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOverview {
  return {
    ...listProfiles(file, env),
    baseUrl: url.baseUrl,
    baseUrlSource: baseUrlSourceLabel(url),
    urlSource: url.urlSource,
    urlSourceLabel: describeUrlSource(url),
    ...(url.urlProfileName === undefined ? {} : {urlProfile: url.urlProfileName}),
  }
}

/** Says when the environment overrides the active profile, since switching profiles then changes nothing. */
export function shadowingNote(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CODIKA_API_KEY?.trim()) return 'CODIKA_API_KEY is set: commands in this shell use it, not the active profile.'
  const named = env.CODIKA_PROFILE?.trim()
  if (named) return `CODIKA_PROFILE is set: commands in this shell use profile "${named}", not the active one.`
  return undefined
}

export interface ShowResult {
  success: true
  profile: ProfileView & {otherFields?: Record<string, unknown>}
}

/** `profile show [NAME]`: the named profile, else CODIKA_PROFILE's, else the active one. */
export function showProfile(
  file: ProfileFile,
  name: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ShowResult {
  const target = name ?? (env.CODIKA_PROFILE?.trim() || file.activeProfile)
  if (!target)
    throw noActiveProfile(file, 'to show', 'codika profile show NAME, or pick one with codika profile use NAME')
  const profile = file.profiles[target]
  if (!Object.hasOwn(file.profiles, target)) throw profileNotFound(target, file)
  const other = otherFields(profile)
  return {
    success: true,
    profile: {...profileView(target, profile, file.activeProfile), ...(other ? {otherFields: other} : {})},
  }
}

/** The views of every profile, in the file's order (as 3.6.0's `use --json` listed them; the table sorts them). */
export function profileViews(file: ProfileFile): ProfileView[] {
  return Object.keys(file.profiles).map((name) => profileView(name, file.profiles[name], file.activeProfile))
}

/** The same object without its undefined fields (a copy: deleting properties slows every later read of an object). */
function dropUndefined<T extends object>(value: T): T {
  const copy: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) if (field !== undefined) copy[key] = field
  return copy as T
}
