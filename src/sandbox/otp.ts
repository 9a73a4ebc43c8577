// The platform's OTP self-provisioning (CONTRACT.md): a 6-digit code sent by email, then an organization key for it.
//
// A code is used up only by the complete that mints a key. A complete refused for any other reason (several
// organizations, a full organization, an organization that cannot be created) leaves the code as it was, so the same
// code can be sent again with the missing choice; a wrong code counts one of its five tries.
import {randomInt} from 'node:crypto'

import {
  COMPANY_NAME_MAX_LENGTH,
  type CompleteLoginData,
  type CompleteLoginRequest,
  type CompleteSignupData,
  type CompleteSignupRequest,
  DEFAULT_CLI_KEY_NAME,
  DEFAULT_COMPANY_NAME,
  isEmailAddress,
  isKeyExpiresInDays,
  isOrganizationNameLength,
  KEY_EXPIRES_IN_DAYS,
  type MintedKey,
  OTP_CODE_PATTERN,
  OTP_ERROR_STATUS,
  ORGANIZATION_NAME_LENGTH,
  organizationNameLength,
  OTP_RULES,
  type OtpErrorCode,
  type OtpErrorDetails,
  type OtpPurpose,
  type OtpRequestData,
} from '../lib/api/contract.js'
import {check} from '../lib/api/validate.js'
import {ORGANIZATION_SCOPE_NAMES} from '../lib/scopes.js'
import {ApiError, type Handler, type HandlerContext} from './handlers.js'
import {type MembershipView, type OtpCode, OtpStore} from './otp-store.js'
import type {ApiKeyRecord, Person} from './records.js'

const SECOND_MS = 1000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

function otpError(
  code: OtpErrorCode,
  message: string,
  extra: {nextAction?: string; details?: OtpErrorDetails} = {},
  status: number = OTP_ERROR_STATUS[code],
): ApiError {
  return new ApiError(status, message, code, extra)
}

// ---- Reading the request ---------------------------------------------------------------------

type Fields = Record<string, unknown>

/** The body as an object; anything else has no email in it. */
function fieldsOf(body: unknown): Fields {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Fields) : {}
}

/** The address, trimmed and lower-cased (addresses are compared without regard to case). */
function requireEmail(fields: Fields): string {
  const raw = fields.email
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === ''))
    throw otpError('EMAIL_REQUIRED', 'An email address is required', {
      nextAction: 'Send the address the code should go to in "email".',
    })
  if (typeof raw !== 'string' || !isEmailAddress(raw.trim()))
    throw otpError('EMAIL_INVALID', 'The email address is not valid', {
      nextAction: 'Check the address: it should look like name@example.com.',
    })
  return raw.trim().toLowerCase()
}

/** The code's shape: six digits. A malformed code is refused without counting a try (nothing was guessed). */
function requireCodeShape(fields: Fields): string {
  const code = typeof fields.code === 'string' ? fields.code.trim() : undefined
  if (code === undefined || !OTP_CODE_PATTERN.test(code))
    throw otpError('OTP_INVALID', `The code must be ${OTP_RULES.codeDigits} digits`, {
      nextAction: 'Copy the 6-digit code from the email.',
    })
  return code
}

/** `apiKey.expiresInDays` when given: a whole number of days, 1 to 365. */
function expiresInDaysOf(fields: Fields): number | undefined {
  const apiKey = fields.apiKey
  if (typeof apiKey !== 'object' || apiKey === null || !('expiresInDays' in apiKey)) return undefined
  const days = (apiKey as Fields).expiresInDays
  if (typeof days !== 'number' || !isKeyExpiresInDays(days))
    throw otpError(
      'INVALID_EXPIRES_IN_DAYS',
      `apiKey.expiresInDays must be a whole number from ${KEY_EXPIRES_IN_DAYS.min} to ${KEY_EXPIRES_IN_DAYS.max}`,
      {
        nextAction: `Choose an expiry of ${KEY_EXPIRES_IN_DAYS.min} to ${KEY_EXPIRES_IN_DAYS.max} days, or leave it out for a key that never expires.`,
      },
    )
  return days
}

/** `apiKey.name`, trimmed, or the default. */
function keyNameOf(fields: Fields): string {
  const name = (fields.apiKey as Fields | undefined)?.name
  if (typeof name !== 'string') return DEFAULT_CLI_KEY_NAME
  const trimmed = name.trim()
  if (!trimmed) throw new ApiError(400, 'Invalid request: apiKey.name must not be empty', 'INVALID_REQUEST')
  return trimmed
}

/** What the schema says about the rest (types, unknown fields), after the checks that have codes of their own. */
async function requireSchema(id: Parameters<typeof check>[0], fields: Fields): Promise<void> {
  const problem = await check(id, fields)
  if (problem) throw new ApiError(400, `Invalid request: ${problem}`, 'INVALID_REQUEST')
}

// ---- Requesting a code -----------------------------------------------------------------------

/** The per-IP and per-address limits and the cooldown, in that order; then a code is "sent" (kept in the outbox). */
function sendCode(context: HandlerContext, email: string, purpose: OtpPurpose, clientIp: string): OtpRequestData {
  const otp = new OtpStore(context.store)
  const at = context.now()
  const hourAgo = new Date(at.getTime() - HOUR_MS)
  if (otp.countRequestsSince({email}, hourAgo) >= OTP_RULES.requestsPerHourPerEmail)
    throw otpError(
      'EMAIL_RATE_LIMITED',
      `Too many codes requested for this address (at most ${OTP_RULES.requestsPerHourPerEmail} an hour)`,
      {nextAction: 'Wait an hour before requesting another code for this address.'},
    )
  const last = otp.lastRequestAt(email)
  const elapsed = last === undefined ? Infinity : at.getTime() - Date.parse(last)
  const cooldownMs = OTP_RULES.resendCooldownSeconds * SECOND_MS
  if (elapsed >= 0 && elapsed < cooldownMs) {
    const retryInSeconds = Math.ceil((cooldownMs - elapsed) / SECOND_MS)
    throw otpError(
      'OTP_RESEND_COOLDOWN',
      `A code was sent to this address less than ${OTP_RULES.resendCooldownSeconds} s ago`,
      {
        nextAction: `Wait ${retryInSeconds} seconds before requesting another code.`,
        details: {retryInSeconds},
      },
    )
  }
  const code = String(randomInt(0, 10 ** OTP_RULES.codeDigits)).padStart(OTP_RULES.codeDigits, '0')
  const expiresAt = new Date(at.getTime() + OTP_RULES.codeTtlSeconds * SECOND_MS)
  otp.saveCode({email, purpose, code, clientIp, at, expiresAt})
  context.log?.(`outbox: ${purpose} code ${code} sent to ${email} (valid until ${expiresAt.toISOString()})`)
  return {email, expiresInSeconds: OTP_RULES.codeTtlSeconds}
}

function requireIpAllowance(context: HandlerContext, clientIp: string): void {
  const hourAgo = new Date(context.now().getTime() - HOUR_MS)
  if (new OtpStore(context.store).countRequestsSince({clientIp}, hourAgo) >= OTP_RULES.requestsPerHourPerIp)
    throw otpError(
      'IP_RATE_LIMITED',
      `Too many codes requested from this address (at most ${OTP_RULES.requestsPerHourPerIp} an hour)`,
      {nextAction: 'Wait an hour before requesting more codes from this machine.'},
    )
}

function alreadyHasOrganization(): ApiError {
  return otpError('USER_ALREADY_HAS_ORGANIZATION', 'This address already belongs to a user with an organization', {
    nextAction: 'Log in instead: request a login code for this address.',
  })
}

/**
 * A request for a code: the address and the body checked, the machine's allowance, then `admit` (whether this
 * address may have a code for this purpose), then the code sent.
 */
function requestCode(
  purpose: OtpPurpose,
  schema: 'requestSignupOtp.request' | 'requestLoginOtp.request',
  admit: (otp: OtpStore, person: ReturnType<OtpStore['findPerson']>) => void,
): Handler {
  return async (context, call) => {
    const fields = fieldsOf(call.body)
    const email = requireEmail(fields)
    await requireSchema(schema, fields)
    const clientIp = call.clientIp ?? 'unknown'
    requireIpAllowance(context, clientIp)
    const otp = new OtpStore(context.store)
    admit(otp, otp.findPerson(email))
    return sendCode(context, email, purpose, clientIp)
  }
}

export const requestSignupOtp = requestCode('signup', 'requestSignupOtp.request', (otp, person) => {
  if (person && otp.organizationsOf(person.id).length > 0) throw alreadyHasOrganization()
})

export const requestLoginOtp = requestCode('login', 'requestLoginOtp.request', (otp, person) => {
  if (!person)
    throw otpError('USER_NOT_FOUND', 'No user has this address', {
      nextAction: 'Sign up instead: request a signup code for this address.',
    })
  if (otp.organizationsOf(person.id).length === 0) throw noOrganization()
})

function noOrganization(): ApiError {
  return otpError('USER_HAS_NO_ORGANIZATION', 'This user belongs to no organization', {
    nextAction: 'Sign up to create an organization: request a signup code for this address.',
  })
}

// ---- Checking a code -------------------------------------------------------------------------

/**
 * The pending code of this purpose that `guess` matches, not yet used up (the caller marks it used with the key it
 * mints). A wrong guess is written at once, and five of them delete the code.
 */
function verifyCode(context: HandlerContext, email: string, purpose: OtpPurpose, guess: string): OtpCode {
  const otp = new OtpStore(context.store)
  const at = context.now()
  const codes = otp.codesOf(email)
  const current = codes.find((c) => c.purpose === purpose)
  const newCode = `Request a new code (${purpose === 'signup' ? 'signup' : 'login'} request) and try again.`
  if (current?.lockedAt)
    throw otpError('OTP_LOCKED_OUT', `Too many wrong codes (${OTP_RULES.maxFailedAttempts}); the code was deleted`, {
      nextAction: newCode,
    })
  const matching = codes.find((c) => c.matches(guess))
  if (matching && matching.purpose !== purpose)
    throw otpError('OTP_PURPOSE_MISMATCH', `This code was sent for ${matching.purpose}, not for ${purpose}`, {
      nextAction:
        matching.purpose === 'signup' ? 'Complete the signup with it instead.' : 'Complete the login with it instead.',
    })
  if (matching?.usedAt) throw otpError('OTP_ALREADY_USED', 'This code was already used', {nextAction: newCode})
  if (!current || current.usedAt)
    throw otpError('OTP_NOT_FOUND', `No pending ${purpose} code for this address`, {nextAction: newCode})
  if (Date.parse(current.expiresAt) <= at.getTime())
    throw otpError('OTP_EXPIRED', `The code expired (codes are valid ${OTP_RULES.codeTtlSeconds / 60} minutes)`, {
      nextAction: newCode,
    })
  if (matching?.id === current.id) return current

  // A wrong guess (or an older code, replaced by the current one) counts against the current code.
  const failures = context.store.transaction(() => {
    const count = otp.recordFailure(current.id)
    if (count >= OTP_RULES.maxFailedAttempts) otp.lockOut(current.id, at)
    return count
  })
  if (failures >= OTP_RULES.maxFailedAttempts)
    throw otpError('OTP_LOCKED_OUT', `Too many wrong codes (${OTP_RULES.maxFailedAttempts}); the code was deleted`, {
      nextAction: newCode,
    })
  const attemptsRemaining = OTP_RULES.maxFailedAttempts - failures
  throw otpError('OTP_INVALID', 'The code is not correct', {
    nextAction: 'Check the code in the email and send it again.',
    details: {attemptsRemaining},
  })
}

// ---- Completing: the organization key --------------------------------------------------------

function mintedKey(record: ApiKeyRecord, raw: string): MintedKey {
  const key: MintedKey = {
    keyId: record.id,
    raw,
    keyPrefix: record.keyPrefix,
    name: record.name,
    scopes: record.scopes,
    createdAt: record.createdAt,
  }
  if (record.expiresAt) key.expiresAt = record.expiresAt
  return key
}

/** Mints the organization key (the ten organization scopes) and uses up the code, in the caller's transaction. */
function mintKey(
  context: HandlerContext,
  input: {organizationId: string; person: Person; name: string; expiresInDays?: number; code: OtpCode; at: Date},
): MintedKey {
  const {at} = input
  const {apiKey, record} = context.store.createKey({
    type: 'org-api-key',
    name: input.name,
    scopes: ORGANIZATION_SCOPE_NAMES,
    organizationId: input.organizationId,
    createdBy: input.person.id,
    createdAt: at,
    expiresAt: input.expiresInDays === undefined ? undefined : new Date(at.getTime() + input.expiresInDays * DAY_MS),
  })
  new OtpStore(context.store).markUsed(input.code.id, at)
  return mintedKey(record, apiKey)
}

export const completeSignup: Handler = async (context, call) => {
  const fields = fieldsOf(call.body)
  const email = requireEmail(fields)
  const company = (typeof fields.company === 'object' && fields.company !== null ? fields.company : {}) as Fields
  const companyName = typeof company.name === 'string' ? company.name.trim() : undefined
  const companyLength = companyName === undefined ? 0 : organizationNameLength(companyName)
  if (companyLength > COMPANY_NAME_MAX_LENGTH)
    throw otpError(
      'COMPANY_NAME_TOO_LONG',
      `The company name is ${companyLength} characters; at most ${COMPANY_NAME_MAX_LENGTH} are allowed`,
      {nextAction: `Choose a company name of at most ${COMPANY_NAME_MAX_LENGTH} characters.`},
    )
  const expiresInDays = expiresInDaysOf(fields)
  const guess = requireCodeShape(fields)
  await requireSchema('completeSignup.request', fields)
  const request = fields as unknown as CompleteSignupRequest
  const keyName = keyNameOf(fields)

  const otp = new OtpStore(context.store)
  const existing = otp.findPerson(email)
  if (existing && otp.organizationsOf(existing.id).length > 0) throw alreadyHasOrganization()
  const code = verifyCode(context, email, 'signup', guess)

  const at = context.now()
  // The user exists from here on, as on the platform, even when the organization cannot be created below.
  const person = existing ?? context.store.createPerson(email.split('@')[0] || email, email, at)
  const name = companyName || DEFAULT_COMPANY_NAME
  // (Too long was refused above, before the code was looked at.)
  if (!isOrganizationNameLength(organizationNameLength(name)))
    throw otpError(
      'ORGANIZATION_CREATION_FAILED',
      `The organization could not be created: its name must be ${ORGANIZATION_NAME_LENGTH.min} to ${ORGANIZATION_NAME_LENGTH.max} characters`,
      {nextAction: 'Send the same code again with a longer company name.'},
    )
  let result: {organizationId: string; organizationName: string; key: MintedKey}
  try {
    result = context.store.transaction(() => {
      const organization = context.store.createOrganization(
        {name, description: request.company?.description || undefined},
        person.id,
        at,
      )
      const key = mintKey(context, {organizationId: organization.id, person, name: keyName, expiresInDays, code, at})
      return {organizationId: organization.id, organizationName: organization.name, key}
    })
  } catch (error) {
    throw otpError(
      'ORGANIZATION_CREATION_FAILED',
      `The organization could not be created: ${(error as Error).message}`,
      {nextAction: 'Try again in a moment with the same code.'},
      500,
    )
  }
  const data: CompleteSignupData = {
    organizationId: result.organizationId,
    organizationName: result.organizationName,
    isNewUser: existing === undefined,
    apiKey: result.key,
  }
  return data
}

function choicesOf(organizations: MembershipView[]): OtpErrorDetails['organizations'] {
  return organizations.map(({id, name}) => ({id, name}))
}

export const completeLogin: Handler = async (context, call) => {
  const fields = fieldsOf(call.body)
  const email = requireEmail(fields)
  const expiresInDays = expiresInDaysOf(fields)
  const guess = requireCodeShape(fields)
  await requireSchema('completeLogin.request', fields)
  const request = fields as unknown as CompleteLoginRequest
  const keyName = keyNameOf(fields)

  const code = verifyCode(context, email, 'login', guess)
  const otp = new OtpStore(context.store)
  const person = otp.findPerson(email)
  if (!person)
    throw otpError('USER_NOT_FOUND', 'No user has this address', {
      nextAction: 'Sign up instead: request a signup code for this address.',
    })
  const organizations = otp.organizationsOf(person.id)
  if (organizations.length === 0) throw noOrganization()
  let organization: MembershipView | undefined
  if (request.organizationId !== undefined) {
    organization = organizations.find((o) => o.id === request.organizationId)
    if (!organization)
      throw otpError('ORGANIZATION_NOT_MEMBER', `This user is not a member of organization ${request.organizationId}`, {
        nextAction: 'Send the same code again with the id of one of your organizations.',
        details: {organizations: choicesOf(organizations)},
      })
  } else if (organizations.length > 1) {
    throw otpError('MULTIPLE_ORGANIZATIONS', `This user belongs to ${organizations.length} organizations; choose one`, {
      nextAction: 'Send the same code again with the organizationId of one of them.',
      details: {organizations: choicesOf(organizations)},
    })
  } else {
    organization = organizations[0]
  }

  const at = context.now()
  const chosen = organization
  const key = context.store.transaction(() => {
    if (new OtpStore(context.store).countActiveKeys(chosen.id, at) >= OTP_RULES.maxActiveKeysPerOrganization)
      throw otpError(
        'MAX_API_KEYS_REACHED',
        `Organization ${chosen.id} already holds ${OTP_RULES.maxActiveKeysPerOrganization} active keys`,
        {nextAction: 'Revoke a key of this organization, or choose another organization.'},
      )
    return mintKey(context, {organizationId: chosen.id, person, name: keyName, expiresInDays, code, at})
  })
  const data: CompleteLoginData = {organizationId: chosen.id, organizationName: chosen.name, apiKey: key}
  return data
}
