// The human screens of the profile commands (list, show, use, logout, remove): text built from key-free views.
import {PRODUCTION_BASE_URL} from '../api/contract.js'
import {colourOn, fields, paint, printable, shortDate} from '../output.js'
import {renderTable} from './table.js'
import {expiryOf} from '../profiles/expiry.js'
import type {KeyLocation} from '../profiles/keyring.js'
import type {ClearAllResult, RemoveResult, SecureResult, UseResult} from '../profiles/manage.js'
import type {ConfigOverview, EnvCredentialsView, ProfileList, ProfileView} from '../profiles/views.js'

/** `3/30/2026`, `3/30/2026 (in 3 days)`, `3/1/2026 (EXPIRED)`; `never` only when the platform said so. */
export function expiryText(
  expiresAt: string | null | undefined,
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

/** Where a key is, in words. */
export function keyStoreText(location: KeyLocation): string {
  return location === 'keyring' ? 'system credential store' : 'profile file (plain text)'
}

/** `Acme Corp (org_1)`, `Acme Corp`, `org_1`, or undefined. */
export function organizationText(name: string | null | undefined, id: string | null | undefined): string | undefined {
  if (name && id) return `${name} (${id})`
  return name || id || undefined
}

/** The aligned field block of one profile, for `profile show` and `profile use`. */
export function profileFields(view: ProfileView, other?: Record<string, unknown>): string {
  const rows: Array<[string, string | undefined]> = [
    ['Profile', view.active ? `${view.name} ${paint('green', '(active)')}` : view.name],
    ['Organization', organizationText(view.organizationName, view.organizationId)],
    ['Key name', view.keyName],
    ['Type', view.type],
    ['Key', view.maskedKey],
    ['Stored in', keyStoreText(view.keyStore)],
    ['Key ID', view.keyId],
    ['Scopes', view.scopes.length > 0 ? view.scopes.join(', ') : undefined],
    ['Created', shortDate(view.createdAt)],
    ['Expires', expiryText(view.expiresAt, false)],
    ['URL', view.baseUrl === PRODUCTION_BASE_URL ? `${view.baseUrl} (production)` : view.baseUrl],
  ]
  for (const [field, value] of Object.entries(other ?? {}))
    rows.push([field, typeof value === 'string' ? value : JSON.stringify(value)])
  return fields(rows)
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
    stored: string
    expires?: string
    url: string
  }) => ({
    active: r.active,
    name: r.name,
    organization: r.organization ?? '-',
    type: r.type ?? '-',
    key: r.key,
    stored: r.stored,
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
      stored: v.keyStore,
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
        stored: '-',
        url: env.baseUrl,
      }),
    )
  // Headed by their keys in capitals; the active marker's column has no heading.
  const keys: Array<keyof (typeof data)[number]> = [
    'active',
    'name',
    'organization',
    'type',
    'key',
    'stored',
    'expires',
  ]
  if (anyElsewhere) keys.push('url')
  const columns = keys.map((key) => ({key, name: key === 'active' ? '' : key.toUpperCase()}))
  return renderTable(data, columns, colourOn(process.stdout))
}

/** The EXPIRES cell: the date, marked when it is near or past (plain words, so it reads without colour). */
function expiryLabel(expiresAt: string): string {
  const expiry = expiryOf(expiresAt)
  const date = shortDate(expiresAt) ?? expiresAt
  if (expiry?.status === 'expired') return `${date} EXPIRED`
  if (expiry?.status === 'expiring') return `${date} (${expiry.daysLeft}d left)`
  return date
}

/** The human form of `profile list`: the table (what overrides the active profile is a warning: shadowingNote). */
export async function profileListText(list: ProfileList): Promise<string> {
  if (list.profiles.length === 0 && !list.env) return 'No profiles yet. Run `codika login` to add one.'
  // The JSON lists profiles in the file's order (as 3.6.0 did); the table, for people, by name.
  const byName = [...list.profiles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return profileTable(byName, list.env ?? undefined)
}

/**
 * `config show`: the list as `profile list` shows it, then the URL a command would call here when it is not
 * production, and where it comes from (3.6.0's `Base URL: <url>  (<source>)`).
 */
export async function configShowText(overview: ConfigOverview): Promise<string> {
  const list = await profileListText(overview)
  if (overview.baseUrl === PRODUCTION_BASE_URL) return list
  return `${list}\n\nBase URL: ${printable(overview.baseUrl)}  (${printable(overview.urlSourceLabel)})`
}

/** `config clear`'s question on a terminal (the first five names, and how many more). */
export function clearQuestion(names: string[]): string {
  const which = names.length === 1 ? 'the profile' : `all ${names.length} profiles`
  const shown = names.slice(0, 5).map((n) => printable(n))
  if (names.length > 5) shown.push(`${names.length - 5} more`)
  return `Remove ${which} (${shown.join(', ')}) and their saved keys?`
}

/** `config clear`: 3.6.0's line, then which profiles went. */
export function clearedText(result: ClearAllResult): string {
  const what =
    result.removed.length === 0
      ? 'There were no profiles.'
      : `Removed ${result.removed.length} ${plural(result.removed)}: ${result.removed.map((n) => printable(n)).join(', ')}.`
  return [paint('green', '✓ Configuration cleared'), what].join('\n')
}

/** What logout and profile remove print: what went, and which profile is active now. */
export function removalText(result: RemoveResult): string {
  const why = result.chosenBy === 'CODIKA_PROFILE' ? ' (the one CODIKA_PROFILE names)' : ''
  const lines = [paint('green', `✓ Removed profile "${result.removed}"${why}`)]
  if (!result.wasActive)
    lines.push(
      result.activeProfile
        ? `Active profile: "${printable(result.activeProfile)}" (unchanged)`
        : 'No profile is active.',
    )
  else if (result.activeProfile)
    lines.push(`Active profile is now "${printable(result.activeProfile)}". Switch with \`codika profile use NAME\`.`)
  else lines.push('No profiles are left. Run `codika login` to add one.')
  return lines.join('\n')
}

/** What `profile use NAME` prints: the switch, then the profile now active. */
export function switchedText(result: UseResult): string {
  return [paint('green', `✓ Switched to profile "${result.activeProfile}"`), '', profileFields(result.profile)].join(
    '\n',
  )
}

/** What `profile secure` prints: which keys moved where, and which were there already. */
export function securedText(result: SecureResult): string {
  const where = result.keyStore === 'keyring' ? 'the system credential store' : 'the profile file (plain text)'
  const list = (names: string[]) => names.map((n) => `"${n}"`).join(', ')
  const lines: string[] = []
  if (result.moved.length > 0)
    lines.push(paint('green', `✓ Moved the key of ${plural(result.moved)} ${list(result.moved)} to ${where}`))
  if (result.unchanged.length > 0) lines.push(`Already in ${where}: ${list(result.unchanged)}`)
  if (lines.length === 0) lines.push('There are no profiles.')
  return lines.join('\n')
}

function plural(names: string[]): string {
  return names.length === 1 ? 'profile' : 'profiles'
}
