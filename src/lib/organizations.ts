// Organizations: checking `organization create`'s input, and reading a logo file (its type sniffed from its bytes).
import {closeSync, fstatSync, openSync, readFileSync} from 'node:fs'

import {
  type CreateOrganizationRequest,
  LOGO_MIME_TYPES,
  type LogoMimeType,
  MAX_LOGO_BYTES,
  MAX_LOGO_MIB,
  isOrganizationNameLength,
  ORGANIZATION_NAME_LENGTH,
  isOrganizationSize,
  ORGANIZATION_SIZES,
  organizationNameLength,
  sniffLogoType,
} from './api/contract.js'
import {parseBaseUrl} from './credentials.js'
import {CodikaError, type ErrorCode, usageError} from './errors.js'
import {describeFileError} from './file-errors.js'
import {requireText} from './organization-keys.js'

export interface Logo {
  mimeType: LogoMimeType
  bytes: Buffer
}

const IMAGE_TYPE_NAMES: Record<LogoMimeType, string> = {'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP'}
/** "JPEG, PNG or WebP", from the contract's list. */
const LOGO_TYPES_TEXT = LOGO_MIME_TYPES.map((t) => IMAGE_TYPE_NAMES[t])
  .join(', ')
  .replace(/, ([^,]*)$/, ' or $1')

/**
 * `--logo PATH`: a readable regular file of at most MAX_LOGO_MIB MiB whose content is a JPEG, PNG or WebP image.
 * The size is checked on the open file before reading it, so a huge file is never loaded. A bad logo is a
 * wrong command line (exit 2): the user named the file, and nothing has been sent yet.
 */
export function readLogo(path: string): Logo {
  const hint = `Give a ${LOGO_TYPES_TEXT} file of at most ${MAX_LOGO_MIB} MiB.`
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw usageError('INVALID_FLAG', `--logo: cannot read "${path}" (${describeFileError(error)}).`, hint)
  }
  let bytes: Buffer
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw usageError('INVALID_FLAG', `--logo: "${path}" is not a file.`, hint)
    if (stat.size > MAX_LOGO_BYTES) throw tooLarge(path, stat.size, hint)
    bytes = readFileSync(fd)
  } catch (error) {
    if (error instanceof CodikaError) throw error
    throw usageError('INVALID_FLAG', `--logo: cannot read "${path}" (${describeFileError(error)}).`, hint)
  } finally {
    closeSync(fd)
  }
  // The file may have grown between the check and the read.
  if (bytes.length > MAX_LOGO_BYTES) throw tooLarge(path, bytes.length, hint)
  const mimeType = sniffLogoType(bytes)
  if (!mimeType)
    throw usageError(
      'INVALID_FLAG',
      `--logo: "${path}" is not a ${LOGO_TYPES_TEXT} image (its content was checked, not its name).`,
      hint,
    )
  return {mimeType, bytes}
}

function tooLarge(path: string, size: number, hint: string) {
  return usageError(
    'INVALID_FLAG',
    `--logo: "${path}" is larger than ${MAX_LOGO_MIB} MiB (${size} bytes; the limit is ${MAX_LOGO_BYTES}).`,
    hint,
  )
}

/** `--name`: trimmed, 2 to 100 characters (counted as the platform counts them: code points, not UTF-16 units). */
export function parseOrganizationName(raw: string): string {
  const name = raw.trim()
  const length = organizationNameLength(name)
  if (!isOrganizationNameLength(length))
    throw usageError(
      'INVALID_FLAG',
      `--name must be ${ORGANIZATION_NAME_LENGTH.min} to ${ORGANIZATION_NAME_LENGTH.max} characters long (got ${length}).`,
      'For example --name "Acme Corp".',
    )
  return name
}

/** `--n8n-base-url`: an http or https URL with a host; sent as written (trimmed). */
export function parseN8nBaseUrl(raw: string): string {
  return parseBaseUrl(raw, '--n8n-base-url', '--n8n-base-url https://n8n.example.com')
}

export interface CreateOrganizationFlags {
  name: string
  description?: string
  size?: string
  logo?: string
  'n8n-base-url'?: string
  'n8n-api-key'?: string
  'store-credential-copy'?: boolean
}

const TOGETHER =
  'Give both --n8n-base-url and --n8n-api-key for a self-hosted n8n, or neither for the platform-managed one.'

/** The n8n flags' rules (dependsOn in `organization create`), in our words, by the flag that breaks one. */
export const N8N_FLAG_RULES = {
  'n8n-base-url': {
    code: 'MISSING_FLAG',
    message: '--n8n-base-url needs --n8n-api-key: a self-hosted n8n takes both.',
    hint: TOGETHER,
  },
  'n8n-api-key': {
    code: 'MISSING_FLAG',
    message: '--n8n-api-key needs --n8n-base-url: a self-hosted n8n takes both.',
    hint: TOGETHER,
  },
  'store-credential-copy': {
    code: 'INVALID_FLAG',
    message: '--store-credential-copy only applies to a self-hosted n8n.',
    hint: TOGETHER,
  },
} as const satisfies Record<string, {code: ErrorCode; message: string; hint: string}>

/**
 * The request body of `organization create`, built only from checked input; optional fields only when given,
 * `storeCredentialCopy` only when true. Throws a usage error (exit 2) before anything is sent.
 */
export function createOrganizationRequest(flags: CreateOrganizationFlags): CreateOrganizationRequest {
  const request: CreateOrganizationRequest = {name: parseOrganizationName(flags.name)}

  const description = flags.description?.trim()
  if (description) request.description = description

  // oclif's `options` already refuses other values; this keeps the function safe for callers without oclif.
  if (flags.size !== undefined) {
    if (!isOrganizationSize(flags.size))
      throw usageError('INVALID_FLAG', `--size must be one of: ${ORGANIZATION_SIZES.join(', ')}.`)
    request.size = flags.size
  }

  const baseUrl = flags['n8n-base-url']
  const apiKey = flags['n8n-api-key']
  // oclif checks these first (the flags' dependsOn); kept here for callers without oclif.
  const broken =
    baseUrl !== undefined && apiKey === undefined
      ? 'n8n-base-url'
      : apiKey !== undefined && baseUrl === undefined
        ? 'n8n-api-key'
        : flags['store-credential-copy'] && baseUrl === undefined
          ? 'store-credential-copy'
          : undefined
  if (broken) {
    const {code, message, hint} = N8N_FLAG_RULES[broken]
    throw usageError(code, message, hint)
  }
  if (baseUrl !== undefined && apiKey !== undefined) {
    request.n8nBaseUrl = parseN8nBaseUrl(baseUrl)
    request.n8nApiKey = requireText(apiKey, 'n8n-api-key')
    if (flags['store-credential-copy']) request.storeCredentialCopy = true
  }

  // Read last: the cheap checks above should fail first, without touching the disk.
  if (flags.logo !== undefined) {
    const logo = readLogo(flags.logo)
    request.logoBase64 = logo.bytes.toString('base64')
    request.logoMimeType = logo.mimeType
  }
  return request
}
