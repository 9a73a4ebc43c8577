// The human screens of `whoami` and `login`.
import {PRODUCTION_BASE_URL, type VerifyApiKeyData} from '../api/contract.js'
import {fields, paint} from '../output.js'
import type {KeyDetails, SourceFacts} from '../profiles/identity.js'
import type {LoginAction} from '../profiles/login.js'
import type {KeyLocation} from '../profiles/keyring.js'
import {expiryText, keyStoreText, organizationText} from './profiles.js'

/** The human block of `whoami`: a heading that says verified or not, then the aligned fields. */
export function whoamiText(details: KeyDetails, facts: SourceFacts, verified: boolean, requestId?: string): string {
  const heading = verified
    ? paint('green', '✓ Key verified')
    : `${paint('yellow', '⚠ Unverified')} — the platform could not confirm this key; cached details:`
  const url = facts.baseUrl === PRODUCTION_BASE_URL ? `${facts.baseUrl} (production)` : facts.baseUrl
  return [
    heading,
    '',
    fields([
      [
        'Organization',
        organizationText(details.organizationName, details.organizationId) ?? (verified ? '-' : undefined),
      ],
      ['Key name', details.keyName],
      ['Type', details.type],
      ['Key', facts.maskedKey],
      ['Scopes', details.scopes?.join(', ')],
      ['Expires', expiryText(details.expiresAt, verified)],
      ['Profile', facts.profile ?? '(none)'],
      ['Key from', facts.keySourceLabel],
      ['URL', url],
      ['URL from', facts.urlSourceLabel],
      ['Request ID', requestId],
    ]),
  ].join('\n')
}

/** What `login` prints: which profile the key went to, then what the platform said about it. */
export function loginText(
  name: string,
  action: LoginAction,
  data: VerifyApiKeyData | undefined,
  type: string,
  maskedKey: string,
  baseUrl: string,
  keyStore: KeyLocation,
): string {
  const what = {created: 'Saved', refreshed: 'Refreshed', replaced: 'Replaced'}[action]
  return [
    paint('green', `✓ ${what} profile "${name}" (now active)${data ? '' : ' — not verified (--skip-verify)'}`),
    '',
    fields([
      ['Organization', organizationText(data?.organizationName, data?.organizationId)],
      ['Key name', data?.keyName],
      ['Type', type],
      ['Key', maskedKey],
      ['Scopes', data?.scopes?.join(', ')],
      ['Expires', data ? expiryText(data.expiresAt, true) : undefined],
      ['Stored in', keyStoreText(keyStore)],
      ['URL', baseUrl],
    ]),
  ].join('\n')
}
