// Which key and which URL a command uses: the table of SPEC.md, most explicit source first.
import {isHttpUrl, PRODUCTION_BASE_URL} from './api/contract.js'
import {CodikaError, usageError} from './errors.js'
import {profileNotFound} from './profiles/errors.js'
import type {Profile, ProfileFile} from './profiles/types.js'

export type KeySource = 'flag' | 'profile-flag' | 'env' | 'env-profile' | 'active-profile'
export type UrlSource = 'flag' | 'profile' | 'env' | 'default'

export interface CredentialInput {
  apiKey?: string
  apiUrl?: string
  profile?: string
}

export interface Credentials {
  apiKey: string
  baseUrl: string
  keySource: KeySource
  urlSource: UrlSource
  /** The profile the key came from, when it came from one. */
  profileName?: string
  profile?: Profile
  /** The profile whose baseUrl gave the URL, when one did. */
  urlProfileName?: string
}

/** Checks a URL given by the user: `http:` or `https:` with a host; returned as written (trimmed). */
export function parseBaseUrl(
  raw: string,
  source: string,
  example = source.startsWith('--') ? `${source} http://127.0.0.1:8787` : '--api-url http://127.0.0.1:8787',
): string {
  const text = raw.trim()
  if (!isHttpUrl(text))
    throw usageError('INVALID_FLAG', `${source} must be an http or https URL.`, `For example ${example}.`)
  return text
}

/** Is this base URL production (where profiles omit `baseUrl`)? */
export function isProduction(baseUrl: string): boolean {
  return baseUrl.replace(/\/+$/, '') === PRODUCTION_BASE_URL
}

/**
 * Resolves the key and the URL. `readFile` is called only when a profile is needed,
 * so a command given --api-key and --api-url never touches the profile file.
 */
export function resolveCredentials(
  input: CredentialInput,
  readFile: () => ProfileFile,
  env: NodeJS.ProcessEnv = process.env,
): Credentials {
  const envKey = nonEmpty(env.CODIKA_API_KEY)
  const envUrl = nonEmpty(env.CODIKA_BASE_URL)
  const envProfile = nonEmpty(env.CODIKA_PROFILE)
  const flagUrl = input.apiUrl === undefined ? undefined : parseBaseUrl(input.apiUrl, '--api-url')
  if (input.apiKey !== undefined && input.apiKey.trim() === '')
    throw usageError('INVALID_FLAG', '--api-key must not be empty.')

  let file: ProfileFile | undefined
  const profiles = () => (file ??= readFile())
  const named = (name: string, how: string): Profile => {
    const profile = profiles().profiles[name]
    if (profile) return profile
    throw profileNotFound(name, profiles(), how)
  }
  const envUrlChecked = () => (envUrl === undefined ? undefined : parseBaseUrl(envUrl, 'CODIKA_BASE_URL'))

  // Rows 1 and 2: the command line.
  if (input.profile !== undefined) {
    const profile = named(input.profile, 'from --profile')
    const fromFlag = input.apiKey !== undefined
    return {
      apiKey: fromFlag ? input.apiKey!.trim() : profile.apiKey,
      keySource: fromFlag ? 'flag' : 'profile-flag',
      profileName: fromFlag ? undefined : input.profile,
      profile: fromFlag ? undefined : profile,
      ...urlFrom(flagUrl, undefined, profile, input.profile),
    }
  }
  if (input.apiKey !== undefined) {
    if (flagUrl !== undefined || envUrl !== undefined)
      return {apiKey: input.apiKey.trim(), keySource: 'flag', ...urlFrom(flagUrl, envUrlChecked())}
    const [name, profile] = fallbackProfile(envProfile, profiles, named)
    return {apiKey: input.apiKey.trim(), keySource: 'flag', ...urlFrom(undefined, undefined, profile, name)}
  }
  // Row 3: a key in the environment goes to CODIKA_BASE_URL or production, never to a profile's URL.
  if (envKey !== undefined) return {apiKey: envKey, keySource: 'env', ...urlFrom(flagUrl, envUrlChecked())}
  // Rows 4 and 5: a profile named by CODIKA_PROFILE, else the active one.
  const [name, profile] = fallbackProfile(envProfile, profiles, named)
  if (!name || !profile)
    throw usageError(
      'NO_API_KEY',
      'No API key to use.',
      'Run `codika login`, pass --api-key, set CODIKA_API_KEY, or choose a profile with --profile.',
    )
  return {
    apiKey: profile.apiKey,
    keySource: envProfile === undefined ? 'active-profile' : 'env-profile',
    profileName: name,
    profile,
    ...urlFrom(flagUrl, envUrlChecked(), profile, name),
  }
}

function fallbackProfile(
  envProfile: string | undefined,
  profiles: () => ProfileFile,
  named: (name: string, how: string) => Profile,
): [string | undefined, Profile | undefined] {
  if (envProfile !== undefined) return [envProfile, named(envProfile, 'from CODIKA_PROFILE')]
  const active = profiles().activeProfile
  return active ? [active, profiles().profiles[active]] : [undefined, undefined]
}

function urlFrom(
  flagUrl: string | undefined,
  envUrl: string | undefined,
  profile?: Profile,
  profileName?: string,
): Pick<Credentials, 'baseUrl' | 'urlSource' | 'urlProfileName'> {
  if (flagUrl !== undefined) return {baseUrl: flagUrl, urlSource: 'flag'}
  if (envUrl !== undefined) return {baseUrl: envUrl, urlSource: 'env'}
  if (profile?.baseUrl) {
    try {
      return {
        baseUrl: parseBaseUrl(profile.baseUrl, `The baseUrl of profile "${profileName}"`),
        urlSource: 'profile',
        urlProfileName: profileName,
      }
    } catch (error) {
      throw new CodikaError('CONFIG_UNREADABLE', (error as Error).message, {
        hint: `Fix it with \`codika login --name ${profileName} --base-url <url>\` or edit the profile file.`,
      })
    }
  }
  return {baseUrl: PRODUCTION_BASE_URL, urlSource: 'default'}
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}

/** Human wording of the sources, for `whoami`. */
export function describeKeySource(c: Credentials): string {
  switch (c.keySource) {
    case 'flag':
      return '--api-key'
    case 'profile-flag':
      return `profile "${c.profileName}" (--profile)`
    case 'env':
      return 'CODIKA_API_KEY'
    case 'env-profile':
      return `profile "${c.profileName}" (CODIKA_PROFILE)`
    case 'active-profile':
      return `profile "${c.profileName}" (active)`
  }
}

export function describeUrlSource(c: Credentials): string {
  switch (c.urlSource) {
    case 'flag':
      return '--api-url'
    case 'env':
      return 'CODIKA_BASE_URL'
    case 'profile':
      return `profile "${c.urlProfileName}"`
    case 'default':
      return 'production (default)'
  }
}
