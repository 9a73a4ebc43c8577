// `codika login`: checking what the user gave, turning a verified key into a profile, and saving it under the lock;
// and the whole protocol (check, verify, plan, confirm, save) behind one call, for login and whatever else saves a key.
import {ENDPOINTS, keyPrefixOf, keyTypeOf, PRODUCTION_BASE_URL, type VerifyApiKeyData} from '../api/contract.js'
import {keyHeaderProblem} from '../api/transport-rules.js'
import {parseBaseUrl} from '../credentials.js'
import {usageError} from '../errors.js'
import {profileBaseUrl} from '../organization-keys.js'
import {maskKey, registerSecret} from '../redact.js'
import {slugify, uniqueName} from './names.js'
import type {ProfileStore} from './store.js'
import {keyIdentity, type Profile, profileMask, type ProfileFile} from './types.js'

/** A key as typed or piped: trimmed, and nothing inside it that could not go into an HTTP header. */
export function checkKey(raw: string, from: string): string {
  const key = raw.trim()
  if (!key)
    throw usageError(
      'NO_API_KEY',
      `${from} must not be empty.`,
      'Pass the key with --api-key, at the prompt, or on stdin.',
    )
  const problem = keyHeaderProblem(key)
  if (problem)
    throw usageError(
      'INVALID_API_KEY',
      `The API key from ${from} holds ${problem}, which an HTTP header cannot carry; nothing was sent or saved.`,
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

/** Is this the profile (holding the same key) that the user agreed to replace? */
export function sameHolder(plan: LoginPlan, confirmed: string | undefined): boolean {
  return confirmed !== undefined && keyIdentity(plan.existing) === confirmed
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
 * `holders` are the profiles that hold the key (ProfileStore#keyHolders: keys may be in the credential store).
 */
export function planLogin(
  file: ProfileFile,
  profile: Profile,
  name: string | undefined,
  holders: readonly string[],
): LoginPlan {
  if (name !== undefined) {
    const existing = Object.hasOwn(file.profiles, name) ? file.profiles[name] : undefined
    if (!existing) return {name, action: 'created'}
    return {name, action: holders.includes(name) ? 'refreshed' : 'replaced', existing}
  }
  const holder = holders.find((n) => n === file.activeProfile) ?? holders[0]
  if (holder) return {name: holder, action: 'refreshed', existing: file.profiles[holder]}
  const taken = (n: string) => Object.hasOwn(file.profiles, n)
  return {name: uniqueName(derivedName(profile), taken), action: 'created'}
}

/** planLogin on the file as it is now, with the holders of the key looked up (in the credential store too). */
export async function planLoginNow(
  store: ProfileStore,
  file: ProfileFile,
  apiKey: string,
  name: string | undefined,
  profile: Profile = {apiKey, type: ''},
): Promise<LoginPlan> {
  return planLogin(file, profile, name, await store.keyHolders(file, apiKey, name))
}

/** Refusing to replace a profile that holds another key: exit 2, nothing sent or saved. */
export function replaceRefused(plan: LoginPlan, asked: boolean) {
  return usageError(
    'PROFILE_EXISTS',
    `Profile "${plan.name}" holds a different key (${plan.existing ? profileMask(plan.existing) : maskKey('')})${asked ? '; it was kept' : ''}.`,
    `Add --force to replace it, or choose another --name.`,
  )
}

/** Writes the planned profile into the file and makes it active (inside store.update). */
function storePlanned<P extends LoginPlan>(file: ProfileFile, plan: P, profile: Profile): P {
  // A refresh keeps what only the file knows (fields of the established client, a keyId from create-key, the
  // reference to the key's entry, which the store keeps when it holds this same key).
  // Fields left undefined are dropped by the store when it writes.
  file.profiles[plan.name] = plan.action === 'refreshed' ? {...plan.existing, ...profile} : profile
  file.activeProfile = plan.name
  return plan
}

/**
 * What to do when the profile a key would be saved as holds another key: `refuse` (PROFILE_EXISTS, exit 2, nothing
 * sent or saved when that is known up front), `replace` (--force), `rename` (a free name instead, `sandbox-2`), or
 * `ask` (a terminal's yes/no; no keeps the profile and refuses).
 */
export type ClashPolicy =
  | {kind: 'refuse'}
  | {kind: 'replace'}
  | {kind: 'rename'}
  | {kind: 'ask'; confirm: (plan: LoginPlan) => Promise<boolean>}

/** The outcome of saving a key: the plan carried out, and the name first chosen when another had to be taken. */
export interface SavedKey extends LoginPlan {
  renamedFrom?: string
}

/**
 * Saves `profile` under `name` (or the name planLogin derives) and makes it active, under the lock, following
 * `onClash` for a profile of that name holding another key. A profile is never replaced without the policy's
 * consent; a derived name is always free (planLogin never replaces).
 */
export async function saveKeyProfile(
  store: ProfileStore,
  profile: Profile,
  name: string | undefined,
  onClash: ClashPolicy,
): Promise<SavedKey> {
  const apiKey = profile.apiKey!
  // The holder confirmed at the question, by the identity of its key (which may be an entry of the credential store).
  let confirmed: string | undefined
  if (onClash.kind === 'ask') {
    // Asked outside the lock: a question may wait on the user for as long as they like.
    const planned = await planLoginNow(store, store.read(), apiKey, name, profile)
    if (planned.action === 'replaced') {
      if (!(await onClash.confirm(planned))) throw replaceRefused(planned, true)
      confirmed = keyIdentity(planned.existing)
    }
  }
  return store.update(
    async (file) => {
      let plan: SavedKey = await planLoginNow(store, file, apiKey, name, profile)
      if (plan.action === 'replaced' && onClash.kind === 'rename') {
        const taken = (n: string) => Object.hasOwn(file.profiles, n)
        plan = {name: uniqueName(plan.name, taken), action: 'created', renamedFrom: plan.name}
      }
      if (plan.action === 'replaced' && onClash.kind !== 'replace' && !sameHolder(plan, confirmed))
        throw replaceRefused(plan, false)
      return storePlanned(file, plan, profile)
    },
    {saves: (plan) => [plan.name]},
  )
}

export interface LoginRequest {
  store: ProfileStore
  /** The key as given, and where it came from (`--api-key`, `the input`), for the messages about it. */
  key: {value: string; from: string}
  /** Where to verify it and what the profile points at (loginBaseUrl). */
  baseUrl: string
  /** --name (checked with checkProfileName), else a name derived from what the platform says. */
  name?: string
  /** Asks the platform what the key is; undefined saves it unverified (--skip-verify). */
  verify?: (apiKey: string, baseUrl: string) => Promise<{data: VerifyApiKeyData; requestId: string}>
  onClash: ClashPolicy
}

export interface LoginResult {
  apiKey: string
  profile: Profile
  saved: SavedKey
  verified?: {data: VerifyApiKeyData; requestId: string}
}

/**
 * `codika login`'s protocol: check the key, refuse up front a replace that nobody may consent to (before anything is
 * sent), verify it with the platform, turn the answer into a profile, and save it (saveKeyProfile).
 */
export async function loginWithKey(request: LoginRequest): Promise<LoginResult> {
  const {store, baseUrl, name, onClash} = request
  const apiKey = checkKey(request.key.value, request.key.from)
  registerSecret(apiKey)
  if (name !== undefined && onClash.kind === 'refuse') {
    const early = await planLoginNow(store, store.read(), apiKey, name)
    if (early.action === 'replaced') throw replaceRefused(early, false)
  }
  const verified = request.verify ? await request.verify(apiKey, baseUrl) : undefined
  const profile = loginProfile(apiKey, baseUrl, verified?.data)
  const saved = await saveKeyProfile(store, profile, name, onClash)
  return {apiKey, profile, saved, verified}
}
