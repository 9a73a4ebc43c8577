// How profiles are shown: key-free views for --json, expiry states, human field blocks and the list table.
import {keyTypeOf, PRODUCTION_BASE_URL} from '../api/contract.js'
import {usageError, type CodikaError} from '../errors.js'
import {colourOn, fields, paint, shortDate} from '../output.js'
import {maskKey, redact} from '../redact.js'
import type {Profile, ProfileFile} from './types.js'

/** Days before expiry from which a key is warned about (SPEC.md: within 7 days). */
export const EXPIRY_WARNING_DAYS = 7
const DAY_MS = 86_400_000

export type ExpiryStatus = 'valid' | 'expiring' | 'expired'

export interface Expiry {
  status: ExpiryStatus
  /** Whole days left, rounded up; 0 or less once expired. */
  daysLeft: number
}

/** The state of an expiry date, or undefined when there is none (or it cannot be read). */
export function expiryOf(expiresAt: string | undefined, now = Date.now()): Expiry | undefined {
  if (!expiresAt) return undefined
  const left = new Date(expiresAt).getTime() - now
  if (Number.isNaN(left)) return undefined
  const daysLeft = Math.ceil(left / DAY_MS)
  if (left <= 0) return {status: 'expired', daysLeft}
  return {status: left <= EXPIRY_WARNING_DAYS * DAY_MS ? 'expiring' : 'valid', daysLeft}
}

/** The warning for a key that expires soon or has expired, else undefined (PlatformCommand warns with it). */
export function expiryWarning(profileName: string | undefined, expiresAt: string | undefined): string | undefined {
  const subject = profileName ? `The key of profile "${profileName}"` : 'The key in use'
  const expiry = expiryOf(expiresAt)
  if (expiry?.status === 'expired') return `${subject} expired on ${expiresAt}.`
  if (expiry?.status === 'expiring') return `${subject} expires in ${expiry.daysLeft} day(s), on ${expiresAt}.`
  return undefined
}

/** `3/30/2026`, `3/30/2026 (in 3 days)`, `3/1/2026 (EXPIRED)`; `never` only when the platform said so. */
export function expiryText(
  expiresAt: string | undefined,
  neverWhenAbsent: boolean,
  stream?: NodeJS.WriteStream,
): string | undefined {
  if (!expiresAt) return neverWhenAbsent ? 'never' : undefined
  const expiry = expiryOf(expiresAt)
  const date = shortDate(expiresAt)
  if (expiry?.status === 'expired') return `${date} ${paint('red', '(EXPIRED)', stream)}`
  if (expiry?.status === 'expiring')
    return `${date} ${paint('yellow', `(in ${expiry.daysLeft} day${expiry.daysLeft === 1 ? '' : 's'})`, stream)}`
  return date
}

/** Everything a profile says except its raw key: what list, show, use and whoami print with --json. */
export interface ProfileView {
  name: string
  active: boolean
  type: string
  maskedKey: string
  keyPrefix?: string
  keyId?: string
  keyName?: string
  organizationId?: string
  organizationName?: string
  scopes?: string[]
  createdAt?: string
  expiresAt?: string
  expiryStatus?: ExpiryStatus
  /** The URL the profile's key is sent to: its `baseUrl`, or production when it has none. */
  baseUrl: string
}

const KNOWN_FIELDS = new Set([
  'apiKey',
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
    maskedKey: maskKey(profile.apiKey),
    keyPrefix: pick('keyPrefix'),
    keyId: pick('keyId'),
    keyName: pick('keyName'),
    organizationId: pick('organizationId'),
    organizationName: pick('organizationName'),
    scopes: Array.isArray(profile.scopes) ? profile.scopes.filter((s) => typeof s === 'string') : undefined,
    createdAt: pick('createdAt'),
    expiresAt: pick('expiresAt'),
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
  return JSON.parse(redact(JSON.stringify(other))) as Record<string, unknown>
}

/** `Acme Corp (org_1)`, `Acme Corp`, `org_1`, or undefined. */
export function organizationText(name: string | undefined, id: string | undefined): string | undefined {
  if (name && id) return `${name} (${id})`
  return name ?? id
}

/** The aligned field block of one profile, for `profile show` and `profile use`. */
export function profileFields(view: ProfileView, other?: Record<string, unknown>): string {
  const rows: Array<[string, string | undefined]> = [
    ['Profile', view.active ? `${view.name} ${paint('green', '(active)')}` : view.name],
    ['Organization', organizationText(view.organizationName, view.organizationId)],
    ['Key name', view.keyName],
    ['Type', view.type],
    ['Key', view.maskedKey],
    ['Key ID', view.keyId],
    ['Scopes', view.scopes?.join(', ')],
    ['Created', shortDate(view.createdAt)],
    ['Expires', expiryText(view.expiresAt, false)],
    ['URL', view.baseUrl === PRODUCTION_BASE_URL ? `${view.baseUrl} (production)` : view.baseUrl],
  ]
  for (const [field, value] of Object.entries(other ?? {}))
    rows.push([field, typeof value === 'string' ? value : JSON.stringify(value)])
  return fields(rows)
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

/** The list table: one row per profile, then the `[env]` row. Plain aligned text when colour is off. */
export async function profileTable(views: ProfileView[], env: EnvCredentialsView | undefined): Promise<string> {
  const anyElsewhere =
    views.some((v) => v.baseUrl !== PRODUCTION_BASE_URL) || (env !== undefined && env.baseUrl !== PRODUCTION_BASE_URL)
  const row = (r: {
    active: string
    name: string
    organization?: string
    type?: string
    key: string
    expires?: string
    url: string
  }) => ({
    active: r.active,
    name: r.name,
    organization: r.organization ?? '-',
    type: r.type ?? '-',
    key: r.key,
    expires: r.expires ?? '-',
    url: r.url === PRODUCTION_BASE_URL ? '' : r.url,
  })
  const data = views.map((v) =>
    row({
      active: v.active ? '*' : '',
      name: v.name,
      organization: organizationText(v.organizationName, v.organizationId),
      type: v.type,
      key: v.maskedKey,
      expires: v.expiresAt ? expiryLabel(v.expiresAt) : undefined,
      url: v.baseUrl,
    }),
  )
  if (env)
    data.push(
      row({
        active: 'env',
        name: '[env]',
        organization: 'CODIKA_API_KEY',
        type: env.type,
        key: env.maskedKey,
        url: env.baseUrl,
      }),
    )
  const columns: Array<{key: keyof (typeof data)[number]; name: string}> = [
    {key: 'active', name: ''},
    {key: 'name', name: 'NAME'},
    {key: 'organization', name: 'ORGANIZATION'},
    {key: 'type', name: 'TYPE'},
    {key: 'key', name: 'KEY'},
    {key: 'expires', name: 'EXPIRES'},
  ]
  if (anyElsewhere) columns.push({key: 'url', name: 'URL'})
  // @oclif/table brings React and ink: loaded only here, on the one path that draws a table.
  const {makeTable} = await import('@oclif/table')
  const colour = colourOn(process.stdout)
  return makeTable({
    data,
    columns,
    borderStyle: 'headers-only-with-underline',
    noStyle: !colour,
    maxWidth: 'none',
  }).replace(/^\n+|\n+$/g, '')
}

/** The EXPIRES cell: the date, marked when it is near or past (plain words, so it reads without colour). */
function expiryLabel(expiresAt: string): string {
  const expiry = expiryOf(expiresAt)
  const date = shortDate(expiresAt) ?? expiresAt
  if (expiry?.status === 'expired') return `${date} EXPIRED`
  if (expiry?.status === 'expiring') return `${date} (${expiry.daysLeft}d left)`
  return date
}

/** An unknown profile name: exit 2, with the names that do exist. */
export function profileNotFound(name: string, file: ProfileFile): CodikaError {
  const known = Object.keys(file.profiles).sort()
  return usageError(
    'PROFILE_NOT_FOUND',
    `No profile named "${name}".`,
    known.length > 0 ? `Known profiles: ${known.join(', ')}.` : 'There are no profiles yet: run `codika login`.',
  )
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

/** The human form of `profile list`: the table, then what overrides the active profile in this shell. */
export async function printProfileList(list: ProfileList, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (list.profiles.length === 0 && !list.env) return 'No profiles yet. Run `codika login` to add one.'
  const lines = [await profileTable(list.profiles, list.env ?? undefined)]
  const note = shadowingNote(env)
  if (note) lines.push('', note)
  return lines.join('\n')
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
    throw usageError(
      'PROFILE_NOT_FOUND',
      'There is no active profile to show.',
      Object.keys(file.profiles).length > 0
        ? 'Name one: codika profile show NAME, or pick one with codika profile use NAME.'
        : 'Run `codika login` to add one.',
    )
  const profile = file.profiles[target]
  if (!Object.hasOwn(file.profiles, target)) throw profileNotFound(target, file)
  const other = otherFields(profile)
  return {
    success: true,
    profile: {...profileView(target, profile, file.activeProfile), ...(other ? {otherFields: other} : {})},
  }
}

/** The views of every profile, sorted by name. */
export function profileViews(file: ProfileFile): ProfileView[] {
  return Object.keys(file.profiles)
    .sort()
    .map((name) => profileView(name, file.profiles[name], file.activeProfile))
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key]
  return value
}
