// Which key and which URL a command uses: the table of SPEC.md, most explicit source first.
import {isHttpUrl, PRODUCTION_BASE_URL} from './api/contract.js'
import {FETCH_BLOCKED_PORTS, keyHeaderProblem, portOf} from './api/transport-rules.js'
import {CodikaError, usageError} from './errors.js'
import {profileNotFound} from './profiles/errors.js'
import type {ProfileStore} from './profiles/store.js'
import type {Profile, ProfileFile} from './profiles/types.js'

export type KeySource = 'flag' | 'profile-flag' | 'env' | 'env-profile' | 'active-profile'
export type UrlSource = 'flag' | 'profile' | 'env' | 'default'

export interface CredentialInput {
  apiKey?: string
  apiUrl?: string
  profile?: string
}

/** The URL of a run, and where it came from. */
export interface UrlChoice {
  baseUrl: string
  urlSource: UrlSource
  /** The profile whose baseUrl gave the URL, when one did. */
  urlProfileName?: string
}

export interface Credentials extends UrlChoice {
  apiKey: string
  keySource: KeySource
  /** The profile the key came from, when it came from one. */
  profileName?: string
  profile?: Profile
}

/**
 * Checks a URL given by the user: `http:` or `https:` with a host, no user name or password in it (it would be
 * echoed, logged and saved), and not on a port fetch refuses to call; returned as written (trimmed).
 */
export function parseBaseUrl(
  raw: string,
  source: string,
  example = source.startsWith('--') ? `${source} http://127.0.0.1:8787` : '--api-url http://127.0.0.1:8787',
): string {
  const text = raw.trim()
  if (!isHttpUrl(text))
    throw usageError('INVALID_FLAG', `${source} must be an http or https URL.`, `For example ${example}.`)
  const url = new URL(text)
  if (url.username || url.password)
    throw usageError(
      'INVALID_FLAG',
      `${source} must not hold a user name or password (user:password@…): it would be shown, logged and saved.`,
      `Give the URL without them, for example ${example}.`,
    )
  const port = portOf(url)
  if (FETCH_BLOCKED_PORTS.has(port))
    throw usageError(
      'INVALID_FLAG',
      `${source} uses port ${port}, which fetch refuses to call (a "bad port" of the Fetch standard).`,
      'Use another port.',
    )
  return text
}

/** Is this base URL production (where profiles omit `baseUrl`)? */
export function isProduction(baseUrl: string): boolean {
  return baseUrl.replace(/\/+$/, '') === PRODUCTION_BASE_URL
}

/** The key of a profile kept in the file; one kept in the system credential store needs `loadCredentials`. */
function keyInFile(name: string, profile: Profile): string {
  if (typeof profile.apiKey === 'string' && profile.apiKey !== '') return profile.apiKey
  throw new CodikaError('KEYRING_UNAVAILABLE', `The key of profile "${name}" is kept in the system credential store.`, {
    hint: 'Resolve it with loadCredentials (or this.credentials() in a command), which reads the store.',
  })
}

/**
 * Resolves the key and the URL. `readFile` is called only when a profile is needed,
 * so a command given --api-key and --api-url never touches the profile file. `keyOf` gives the key of the profile
 * that the key comes from (by default the one in the file).
 */
export function resolveCredentials(
  input: CredentialInput,
  readFile: () => ProfileFile,
  env: NodeJS.ProcessEnv = process.env,
  keyOf: (name: string, profile: Profile) => string = keyInFile,
): Credentials {
  return sendable(chooseCredentials(input, readFile, env, keyOf))
}

/** The credentials, when their key can travel in an HTTP header; a usage error naming where it came from otherwise. */
function sendable(credentials: Credentials): Credentials {
  const problem = keyHeaderProblem(credentials.apiKey)
  if (problem)
    throw usageError(
      'INVALID_API_KEY',
      `The API key from ${keyOrigin(credentials)} holds ${problem}, which an HTTP header cannot carry; nothing was sent.`,
      'Check that the whole key and nothing else was copied.',
    )
  return credentials
}

/** Where the key came from, in the words of an error message. */
function keyOrigin(c: Credentials): string {
  if (c.keySource === 'flag') return '--api-key'
  if (c.keySource === 'env') return 'CODIKA_API_KEY'
  return `profile "${c.profileName}"`
}

function chooseCredentials(
  input: CredentialInput,
  readFile: () => ProfileFile,
  env: NodeJS.ProcessEnv,
  keyOf: (name: string, profile: Profile) => string,
): Credentials {
  const choice = choose(input, readFile, env, keyOf)
  if ('noKey' in choice)
    throw usageError(
      'NO_API_KEY',
      'No API key to use.',
      'Run `codika login`, pass --api-key, set CODIKA_API_KEY, or choose a profile with --profile.',
    )
  return choice
}

/**
 * The URL a command run with these flags in this environment would call, and where it comes from (the same table),
 * for a command that needs no key (`config show`): without any key, `--api-url`, else CODIKA_BASE_URL, else production.
 */
export function resolveBaseUrl(
  input: Pick<CredentialInput, 'apiUrl' | 'profile'>,
  readFile: () => ProfileFile,
  env: NodeJS.ProcessEnv = process.env,
): UrlChoice {
  const choice = choose({apiUrl: input.apiUrl, profile: input.profile}, readFile, env, () => '')
  if ('noKey' in choice) return choice.noKey
  const {baseUrl, urlSource, urlProfileName} = choice
  return urlProfileName === undefined ? {baseUrl, urlSource} : {baseUrl, urlSource, urlProfileName}
}

/** The rows of the table: the credentials, or (no key to be found) the URL alone. */
function choose(
  input: CredentialInput,
  readFile: () => ProfileFile,
  env: NodeJS.ProcessEnv,
  keyOf: (name: string, profile: Profile) => string,
): Credentials | {noKey: UrlChoice} {
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
      apiKey: fromFlag ? input.apiKey!.trim() : keyOf(input.profile, profile),
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
  if (!name || !profile) return {noKey: urlFrom(flagUrl, envUrlChecked())}
  return {
    apiKey: keyOf(name, profile),
    keySource: envProfile === undefined ? 'active-profile' : 'env-profile',
    profileName: name,
    profile,
    ...urlFrom(flagUrl, envUrlChecked(), profile, name),
  }
}

/**
 * resolveCredentials, with the key of a profile read from wherever it is kept: the file, or the system credential
 * store (read only when that profile is the one giving the key).
 */
export async function loadCredentials(
  input: CredentialInput,
  store: ProfileStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials> {
  let stored: {name: string; profile: Profile} | undefined
  const credentials = resolveCredentials(
    input,
    () => store.read(),
    env,
    (name, profile) => {
      if (typeof profile.apiKey === 'string' && profile.apiKey !== '') return profile.apiKey
      stored = {name, profile}
      return ''
    },
  )
  if (stored) credentials.apiKey = await store.profileKey(stored.name, stored.profile)
  return sendable(credentials)
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
): UrlChoice {
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

/** How each URL source reads: on screen, and in 3.6.0's words (`config show --json`'s `baseUrlSource`). */
const URL_SOURCE_WORDS: Record<Exclude<UrlSource, 'profile'>, {screen: string; legacy: string}> = {
  flag: {screen: '--api-url', legacy: 'flag'},
  env: {screen: 'CODIKA_BASE_URL', legacy: 'env (CODIKA_BASE_URL)'},
  default: {screen: 'production (default)', legacy: 'default'},
}

export function describeUrlSource(c: UrlChoice): string {
  return c.urlSource === 'profile' ? `profile "${c.urlProfileName}"` : URL_SOURCE_WORDS[c.urlSource].screen
}

/** Where the URL came from in 3.6.0's words (`config show --json`'s `baseUrlSource`, which its scripts read). */
export function baseUrlSourceLabel(c: UrlChoice): string {
  return c.urlSource === 'profile' ? `profile "${c.urlProfileName}"` : URL_SOURCE_WORDS[c.urlSource].legacy
}
