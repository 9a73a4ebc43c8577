// `codika auth …`: checking the input, calling the four OTP endpoints, explaining their refusals, saving the minted key.
import {CodikaClient, MAY_HAVE_ARRIVED_HINT, timeoutFromEnv} from './api/client.js'
import {
  COMPANY_NAME_MAX_LENGTH,
  type CompleteLoginData,
  type CompleteLoginRequest,
  type CompleteSignupData,
  type CompleteSignupRequest,
  type Endpoint,
  isEmailAddress,
  isKeyExpiresInDays,
  KEY_EXPIRES_IN_DAYS,
  type MintedKey,
  OTP_CODE_PATTERN,
  OTP_ERROR_STATUS,
  organizationNameLength,
  OTP_RULES,
  type OtpErrorCode,
  type OtpRequestData,
  PRODUCTION_BASE_URL,
  type SuccessEnvelope,
} from './api/contract.js'
import {CodikaError, usageError} from './errors.js'
import {profileBaseUrl, requireText} from './organization-keys.js'
import {type LoginAction, saveKeyProfile} from './profiles/login.js'
import type {ProfileStore} from './profiles/store.js'
import {type Profile, type ProfileFile, profileMask} from './profiles/types.js'
import {maskKey, registerSecret} from './redact.js'
import {sentence} from './output.js'
import {userAgent} from './version.js'

export type AuthCommand = 'signup-request' | 'signup-complete' | 'login-request' | 'login-complete'

// ---- Checking the command line (exit 2, nothing sent) ----------------------------------------

/** `--email`: trimmed, of the shape name@example.com. */
export function checkEmail(raw: string): string {
  const email = requireText(raw, 'email')
  // Said apart: the screen strips control characters, so the value shown would look like a good address.
  if (/\p{Cc}/u.test(email))
    throw usageError('INVALID_FLAG', '--email holds control characters.', 'Type the address itself: name@example.com.')
  if (!isEmailAddress(email))
    throw usageError(
      'INVALID_FLAG',
      `--email must be an email address such as name@example.com (got "${email}").`,
      'The code is sent to this address.',
    )
  return email
}

/** `--code`: the six digits from the email (never echoed: until it is used, it is a secret). */
export function checkCode(raw: string): string {
  const code = raw.trim()
  if (!OTP_CODE_PATTERN.test(code))
    throw usageError(
      'INVALID_FLAG',
      `--code must be the ${OTP_RULES.codeDigits} digits from the email.`,
      'Copy the code exactly; it is valid for 10 minutes.',
    )
  return code
}

/** `--company`: not empty, at most COMPANY_NAME_MAX_LENGTH characters (counted as the platform counts them, by code point). */
export function checkCompany(raw: string): string {
  const name = requireText(raw, 'company')
  const length = organizationNameLength(name)
  if (length > COMPANY_NAME_MAX_LENGTH)
    throw usageError(
      'INVALID_FLAG',
      `--company must be at most ${COMPANY_NAME_MAX_LENGTH} characters (got ${length}).`,
      'It becomes the name of the new organization.',
    )
  return name
}

/** `--key-expires-in`: a whole number of days in KEY_EXPIRES_IN_DAYS, written in digits only. */
export function parseKeyExpiresIn(raw: string): number {
  const text = raw.trim()
  const days = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!isKeyExpiresInDays(days))
    throw usageError(
      'INVALID_FLAG',
      `--key-expires-in must be a whole number of days from ${KEY_EXPIRES_IN_DAYS.min} to ${KEY_EXPIRES_IN_DAYS.max} (got "${raw}").`,
      'For example --key-expires-in 90; leave it out for a key that never expires.',
    )
  return days
}

export interface KeyFlags {
  'key-name'?: string
  'key-expires-in'?: string
}

/** The optional `apiKey` object: only the fields given, and absent when none is. */
function keyOptions(flags: KeyFlags): CompleteSignupRequest['apiKey'] {
  const options: NonNullable<CompleteSignupRequest['apiKey']> = {}
  if (flags['key-name'] !== undefined) options.name = requireText(flags['key-name'], 'key-name')
  if (flags['key-expires-in'] !== undefined) options.expiresInDays = parseKeyExpiresIn(flags['key-expires-in'])
  return Object.keys(options).length > 0 ? options : undefined
}

export interface SignupCompleteFlags extends KeyFlags {
  email: string
  code: string
  company?: string
  description?: string
}

/** The body of clicompletesignup, from checked input; optional objects and fields only when given. */
export function signupCompleteRequest(flags: SignupCompleteFlags): CompleteSignupRequest {
  const request: CompleteSignupRequest = {email: checkEmail(flags.email), code: checkCode(flags.code)}
  const company: NonNullable<CompleteSignupRequest['company']> = {}
  if (flags.company !== undefined) company.name = checkCompany(flags.company)
  if (flags.description !== undefined) company.description = requireText(flags.description, 'description')
  if (Object.keys(company).length > 0) request.company = company
  const apiKey = keyOptions(flags)
  if (apiKey) request.apiKey = apiKey
  return request
}

export interface LoginCompleteFlags extends KeyFlags {
  email: string
  code: string
  'organization-id'?: string
}

/** The body of clicompletelogin, from checked input; optional fields only when given. */
export function loginCompleteRequest(flags: LoginCompleteFlags): CompleteLoginRequest {
  const request: CompleteLoginRequest = {email: checkEmail(flags.email), code: checkCode(flags.code)}
  if (flags['organization-id'] !== undefined)
    request.organizationId = requireText(flags['organization-id'], 'organization-id')
  const apiKey = keyOptions(flags)
  if (apiKey) request.apiKey = apiKey
  return request
}

/**
 * A complete never replaces a profile holding another key: an explicit --name that holds one is refused before the
 * code is sent (and used up).
 */
export function refuseTakenName(file: ProfileFile, name: string | undefined): void {
  if (name === undefined || !Object.hasOwn(file.profiles, name)) return
  throw usageError(
    'PROFILE_EXISTS',
    `Profile "${name}" already holds a key (${profileMask(file.profiles[name])}); the code was not sent.`,
    `Choose another --name, or remove that profile first with \`codika logout ${name}\`.`,
  )
}

// ---- Explaining the platform's refusals --------------------------------------------------------

/** What a hint needs to name the exact command to run next: the command, and the flags the user gave (no code). */
export interface HintContext {
  bin: string
  command: AuthCommand
  email: string
  /** Flags to repeat in a re-run, as given (never --code). */
  given: Array<[flag: string, value: string]>
}

/** A command line to copy: values quoted for a POSIX shell when they need it; `<placeholders>` as they are. */
export function commandLine(bin: string, command: string, flags: Array<[string, string]>): string {
  const quote = (v: string) =>
    /^[\w@%+=:,./-]+$/.test(v) || /^<[\w -]+>$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`
  return [bin, command, ...flags.flatMap(([flag, value]) => [flag, quote(value)])].join(' ')
}

/** The same command with some flags changed (a value of undefined drops the flag). */
function rerun(ctx: HintContext, changes: Record<string, string | undefined> = {}, command = ctx.command): string {
  const flags: Array<[string, string]> = [['--email', ctx.email]]
  if (command.endsWith('-complete')) flags.push(['--code', '<code>'])
  for (const [flag, value] of ctx.given) if (!(flag in changes) && flag !== '--email') flags.push([flag, value])
  for (const [flag, value] of Object.entries(changes)) if (value !== undefined) flags.push([flag, value])
  return commandLine(ctx.bin, `auth ${command}`, flags)
}

/** `codika auth <purpose>-request --email E` (with the --base-url the user gave). */
function requestAgain(ctx: HintContext, purpose: 'signup' | 'login'): string {
  const keep = ctx.given.filter(([flag]) => flag === '--base-url')
  return commandLine(ctx.bin, `auth ${purpose}-request`, [['--email', ctx.email], ...keep])
}

const purposeOf = (command: AuthCommand): 'signup' | 'login' => (command.startsWith('signup') ? 'signup' : 'login')

/** Our hint for each of the platform's codes: what to run next, with the flags the user gave. */
function hintFor(code: OtpErrorCode, ctx: HintContext, details: Record<string, unknown> | undefined): string {
  const purpose = purposeOf(ctx.command)
  const newCode = `Request a new code: ${requestAgain(ctx, purpose)}`
  const seconds = typeof details?.retryInSeconds === 'number' ? details.retryInSeconds : undefined
  switch (code) {
    case 'EMAIL_REQUIRED':
    case 'EMAIL_INVALID':
      return 'Check --email: it should look like name@example.com.'
    case 'USER_ALREADY_HAS_ORGANIZATION':
      return `This address has an organization already: log in instead with ${requestAgain(ctx, 'login')}`
    case 'USER_NOT_FOUND':
      return `No account has this address: sign up instead with ${requestAgain(ctx, 'signup')}`
    case 'USER_HAS_NO_ORGANIZATION':
      return `Create an organization by signing up: ${requestAgain(ctx, 'signup')}`
    case 'OTP_RESEND_COOLDOWN':
      return `Wait ${seconds ?? OTP_RULES.resendCooldownSeconds} seconds, then run ${rerun(ctx)}`
    case 'EMAIL_RATE_LIMITED':
      return `At most ${OTP_RULES.requestsPerHourPerEmail} codes an hour go to one address: try again later.`
    case 'IP_RATE_LIMITED':
      return `At most ${OTP_RULES.requestsPerHourPerIp} codes an hour are sent for one machine: try again later.`
    case 'OTP_INVALID':
      return `Check the code in the email and run ${rerun(ctx)}`
    case 'OTP_NOT_FOUND':
    case 'OTP_EXPIRED':
    case 'OTP_ALREADY_USED':
    case 'OTP_LOCKED_OUT':
      return newCode
    case 'OTP_PURPOSE_MISMATCH': {
      const other = purpose === 'signup' ? 'login-complete' : 'signup-complete'
      return `This code was sent for ${purpose === 'signup' ? 'a login' : 'a signup'}: use it with ${rerun(ctx, {'--organization-id': undefined, '--company': undefined, '--description': undefined}, other)}`
    }
    case 'COMPANY_NAME_TOO_LONG':
      return `Use a --company of at most ${COMPANY_NAME_MAX_LENGTH} characters.`
    case 'INVALID_EXPIRES_IN_DAYS':
      return `Use a --key-expires-in from ${KEY_EXPIRES_IN_DAYS.min} to ${KEY_EXPIRES_IN_DAYS.max} days.`
    case 'ORGANIZATION_CREATION_FAILED':
      return `Try another company name with the same code: ${rerun(ctx, {'--company': '<company name>'})} (should the code be refused, ${requestAgain(ctx, purpose)})`
    case 'MULTIPLE_ORGANIZATIONS':
    case 'ORGANIZATION_NOT_MEMBER':
      return `Choose one of the organizations listed and send the same code again: ${rerun(ctx, {'--organization-id': '<id>'})} (should the code be refused, ${requestAgain(ctx, purpose)})`
    case 'MAX_API_KEYS_REACHED':
      return `The organization holds ${OTP_RULES.maxActiveKeysPerOrganization} active keys: revoke one, or choose another organization with ${rerun(ctx, {'--organization-id': '<id>'})}`
    case 'INTERNAL':
      return 'The platform failed; try again later.'
  }
}

/**
 * A failure of an OTP call with a hint naming what to run next. The platform's code, message, nextAction and details
 * stay as they came; a complete that may have reached the platform says its code may be used up.
 */
export function explainOtpFailure(error: unknown, ctx: HintContext): unknown {
  if (!(error instanceof CodikaError)) return error
  if (error.code === 'API_ERROR' && error.platformCode && Object.hasOwn(OTP_ERROR_STATUS, error.platformCode)) {
    // The message stays the platform's (the seconds of OTP_RESEND_COOLDOWN are in its details, shown as a line).
    const code = error.platformCode as OtpErrorCode
    return new CodikaError(error.code, error.message, {...optionsOf(error), hint: hintFor(code, ctx, error.details)})
  }
  if (ctx.command.endsWith('-complete') && error.hint === MAY_HAVE_ARRIVED_HINT)
    return new CodikaError(error.code, error.message, {
      ...optionsOf(error),
      hint: `The platform may have used up the code and minted a key whose answer was lost; it was not sent again. Request a new code: ${requestAgain(ctx, purposeOf(ctx.command))}`,
    })
  return error
}

function optionsOf(error: CodikaError) {
  return {
    exitCode: error.exitCode,
    status: error.status,
    requestId: error.requestId,
    platformCode: error.platformCode,
    nextAction: error.nextAction,
    details: error.details,
    cause: error,
  }
}

// ---- Calling the platform ------------------------------------------------------------------

/** Runs `work` on a client without a key (the OTP endpoints are public), closed afterwards. */
export async function withPublicClient<T>(
  baseUrl: string,
  version: string,
  ctx: HintContext,
  work: (client: CodikaClient) => Promise<T>,
): Promise<T> {
  const client = new CodikaClient({baseUrl, timeoutMs: timeoutFromEnv(), userAgent: userAgent(version)})
  try {
    return await work(client)
  } catch (error) {
    throw explainOtpFailure(error, ctx)
  } finally {
    await client.close()
  }
}

/** What a request command returns (its --json document, before `warnings`). */
export interface RequestResult {
  success: true
  data: OtpRequestData
  requestId: string
  /** The command that completes it, with `<code>` for the code. */
  next: string
}

export function requestResult(envelope: SuccessEnvelope<OtpRequestData>, ctx: HintContext): RequestResult {
  const complete: AuthCommand = ctx.command === 'signup-request' ? 'signup-complete' : 'login-complete'
  return {...envelope, next: rerun(ctx, {}, complete)}
}

// ---- Saving the minted key --------------------------------------------------------------------

/** The minted key as the complete's --json shows it: everything but the raw key, plus its mask. */
export type ShownKey = Omit<MintedKey, 'raw'> & {maskedKey: string}

export interface ProvisionResult {
  success: true
  /** The platform's data, with the key shown as ShownKey (no raw key); isNewUser only for a signup. */
  data: Omit<CompleteSignupData, 'apiKey' | 'isNewUser'> & {isNewUser?: boolean; apiKey: ShownKey}
  requestId: string
  /** The profile now holding the key (active), or null when saving failed. */
  profile: string | null
  action: LoginAction | null
  maskedKey: string
  baseUrl: string
  /** Only when the key could not be saved: the raw key, which exists nowhere else. */
  unsavedKey?: string
  next: string
}

/** The profile of a minted key, as `login` would save it (baseUrl omitted for production). */
export function mintedProfile(
  data: CompleteSignupData | CompleteLoginData,
  baseUrl: string,
  endpoint: Endpoint,
): Profile {
  const key = data.apiKey
  return {
    apiKey: key.raw,
    type: 'org-api-key',
    organizationId: data.organizationId,
    organizationName: data.organizationName,
    keyId: key.keyId,
    keyName: key.name,
    keyPrefix: key.keyPrefix,
    scopes: key.scopes,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    baseUrl: profileBaseUrl(baseUrl, endpoint),
  }
}

/**
 * Saves a minted key as the active profile, never replacing another key: named `name` (checked free before the
 * complete was sent) or after the organization. When a profile of that name appeared meanwhile, the key goes under a
 * free name instead, with a warning. When saving fails, the result carries the raw key: it must not be lost.
 */
export async function saveMintedKey(
  store: ProfileStore,
  envelope: SuccessEnvelope<CompleteSignupData | CompleteLoginData>,
  options: {baseUrl: string; name?: string; endpoint: Endpoint; bin: string},
): Promise<{result: ProvisionResult; warnings: string[]}> {
  const {data, requestId} = envelope
  const {raw, ...rest} = data.apiKey
  registerSecret(raw)
  const maskedKey = maskKey(raw)
  const profile = mintedProfile(data, options.baseUrl, options.endpoint)
  const warnings: string[] = []
  let saved: {name: string; action: LoginAction} | undefined
  try {
    // As login saves a key (saveKeyProfile); a name that another process took meanwhile gets a free one instead.
    const done = await saveKeyProfile(store, profile, options.name, {kind: 'rename'})
    saved = done
    if (done.renamedFrom)
      warnings.push(
        `Profile "${done.renamedFrom}" was created by another process meanwhile; the new key was saved as "${done.name}" instead.`,
      )
  } catch (error) {
    warnings.push(notSaved(error))
  }
  const {apiKey: _, ...organization} = data
  const result: ProvisionResult = {
    success: true,
    data: {...organization, apiKey: {...rest, maskedKey}},
    requestId,
    profile: saved?.name ?? null,
    action: saved?.action ?? null,
    maskedKey,
    baseUrl: profile.baseUrl ?? PRODUCTION_BASE_URL,
    next: saved ? `${options.bin} whoami` : `${options.bin} login --base-url ${profile.baseUrl ?? PRODUCTION_BASE_URL}`,
  }
  if (!saved) result.unsavedKey = raw
  return {result, warnings}
}

function notSaved(error: unknown): string {
  return `The key was minted but could not be saved as a profile: ${sentence((error as Error).message)} It is printed below this once; save it now, it cannot be shown again.`
}
