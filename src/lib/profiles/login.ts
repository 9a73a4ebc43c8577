// `codika login`: checking what the user gave, turning a verified key into a profile, and saving it under the lock.
import {ENDPOINTS, keyPrefixOf, keyTypeOf, PRODUCTION_BASE_URL, type VerifyApiKeyData} from '../api/contract.js'
import {parseBaseUrl} from '../credentials.js'
import {usageError} from '../errors.js'
import {profileBaseUrl} from '../organization-keys.js'
import {maskKey} from '../redact.js'
import {slugify, uniqueName} from './names.js'
import type {ProfileStore} from './store.js'
import type {Profile, ProfileFile} from './types.js'

/** A key as typed or piped: trimmed, and nothing inside it that could not go into an HTTP header. */
export function checkKey(raw: string, from: string): string {
  const key = raw.trim()
  if (!key)
    throw usageError(
      'NO_API_KEY',
      `${from} must not be empty.`,
      'Pass the key with --api-key, at the prompt, or on stdin.',
    )
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(key))
    throw usageError(
      'INVALID_FLAG',
      `The API key from ${from} contains spaces or control characters.`,
      'Check that you copied the whole key and nothing else.',
    )
  return key
}

/** `--name`: what a profile name may be, so that it can be typed after --profile without quoting. */
export function checkProfileName(raw: string): string {
  const name = raw.trim()
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
    throw usageError(
      'INVALID_FLAG',
      `--name must be 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit (got "${raw}").`,
      `For example --name ${slugify(raw) === 'key' ? 'acme-prod' : slugify(raw)}.`,
    )
  return name
}

/** Where to verify and what to save: --base-url, else CODIKA_BASE_URL, else production. */
export function loginBaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined) return parseBaseUrl(flag, '--base-url')
  const fromEnv = env.CODIKA_BASE_URL?.trim()
  return fromEnv ? parseBaseUrl(fromEnv, 'CODIKA_BASE_URL') : PRODUCTION_BASE_URL
}

/** The key type from its prefix, for --skip-verify (where the platform is not asked). */
export function typeFromPrefix(key: string): string {
  const type = keyTypeOf(key)
  if (!type)
    throw usageError(
      'INVALID_FLAG',
      `Cannot tell the key's type from its prefix (${maskKey(key)}): keys start with cko_, ckp_ or cka_.`,
      'Leave out --skip-verify to let the platform say what the key is.',
    )
  return type
}

/**
 * The profile to save. Verified: what the platform said (not `lastUsedAt`, which is stale at once).
 * Unverified: only what the key itself tells. Fields set to undefined are cleared when an existing profile
 * for the same key is refreshed; fields left out keep their cached value.
 */
export function loginProfile(apiKey: string, baseUrl: string, verified: VerifyApiKeyData | undefined): Profile {
  const base: Profile = {
    apiKey,
    type: verified?.type ?? typeFromPrefix(apiKey),
    baseUrl: profileBaseUrl(baseUrl, ENDPOINTS.verifyApiKey),
  }
  if (!verified) return {...base, keyPrefix: keyPrefixOf(apiKey)}
  const profile: Profile = {...base, keyPrefix: verified.keyPrefix ?? keyPrefixOf(apiKey)}
  for (const field of ['keyName', 'organizationId', 'organizationName', 'scopes', 'createdAt'] as const)
    if (verified[field] !== undefined) (profile as Record<string, unknown>)[field] = verified[field]
  // A key that no longer expires must stop being warned about.
  profile.expiresAt = verified.expiresAt
  return profile
}

/** The name when --name is absent: organization name for organization keys, key name for the others. */
export function derivedName(profile: Profile): string {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined)
  const source =
    profile.type === 'org-api-key'
      ? (text(profile.organizationName) ?? text(profile.organizationId) ?? text(profile.keyName))
      : (text(profile.keyName) ?? text(profile.organizationName))
  return slugify(source ?? profile.type)
}

export type LoginAction = 'created' | 'refreshed' | 'replaced'

export interface LoginPlan {
  name: string
  action: LoginAction
  /** The profile there now (for a refresh: the same key; for a replace: another one). */
  existing?: Profile
}

/**
 * Which profile the key goes to. With a name: that one (refreshed when it holds the same key, replaced when it
 * holds another). Without: the profile already holding this key (the active one first), else a new derived name.
 */
export function planLogin(file: ProfileFile, profile: Profile, name: string | undefined): LoginPlan {
  if (name !== undefined) {
    const existing = file.profiles[name]
    if (!existing) return {name, action: 'created'}
    return {name, action: existing.apiKey === profile.apiKey ? 'refreshed' : 'replaced', existing}
  }
  const holders = Object.keys(file.profiles).filter((n) => file.profiles[n].apiKey === profile.apiKey)
  const holder = holders.find((n) => n === file.activeProfile) ?? holders[0]
  if (holder) return {name: holder, action: 'refreshed', existing: file.profiles[holder]}
  const taken = (n: string) => Object.hasOwn(file.profiles, n)
  return {name: uniqueName(derivedName(profile), taken), action: 'created'}
}

/** Refusing to replace a profile that holds another key: exit 2, nothing sent or saved. */
export function replaceRefused(plan: LoginPlan, asked: boolean) {
  return usageError(
    'PROFILE_EXISTS',
    `Profile "${plan.name}" holds a different key (${maskKey(plan.existing?.apiKey ?? '')})${asked ? '; it was kept' : ''}.`,
    `Add --force to replace it, or choose another --name.`,
  )
}

/**
 * Saves the key under the lock and makes it active. The plan is made again inside the lock (another
 * process may have changed the file since); `mayReplace` says whether a replace is allowed.
 */
export async function saveLogin(
  store: ProfileStore,
  profile: Profile,
  name: string | undefined,
  mayReplace: (plan: LoginPlan) => boolean,
): Promise<LoginPlan> {
  return store.update((file) => {
    const plan = planLogin(file, profile, name)
    if (plan.action === 'replaced' && !mayReplace(plan)) throw replaceRefused(plan, false)
    // A refresh keeps what only the file knows (fields of the established client, a keyId from create-key).
    // Fields left undefined are dropped by the store when it writes.
    file.profiles[plan.name] = plan.action === 'refreshed' ? {...plan.existing, ...profile} : profile
    file.activeProfile = plan.name
    return plan
  })
}
