// The human screens of `codika auth …`: a code sent, and a key minted and saved (shown masked, never raw).
import {OTP_RULES} from '../api/contract.js'
import type {ProvisionResult, RequestResult} from '../auth.js'
import {fields, paint, shortDate} from '../output.js'
import {organizationText} from './profiles.js'

/** signup-request / login-request: where the code went, and the command that completes it. */
export function codeSentText(result: RequestResult): string {
  const minutes = Math.round(result.data.expiresInSeconds / 60)
  return [
    paint('green', `✓ Code sent to ${result.data.email} (valid for ${minutes} minute${minutes === 1 ? '' : 's'})`),
    '',
    `  Next: ${result.next}`,
    `  (a new code can be asked for after ${OTP_RULES.resendCooldownSeconds} s)`,
  ].join('\n')
}

/** signup-complete / login-complete: what was minted, where it was saved, what to run next. */
export function provisionedText(kind: 'signup' | 'login', result: ProvisionResult): string {
  const {data} = result
  const organization = `"${data.organizationName}"`
  const heading =
    kind === 'signup'
      ? `✓ Signed up${data.isNewUser === false ? ' (existing account)' : ''}: organization ${organization} created, with a key for it`
      : `✓ Logged in: a new key for organization ${organization}`
  const lines = [
    paint('green', heading),
    '',
    fields([
      ['Organization', organizationText(data.organizationName, data.organizationId)],
      ['Key name', data.apiKey.name],
      ['Key', data.apiKey.maskedKey],
      ['Key ID', data.apiKey.keyId],
      ['Scopes', data.apiKey.scopes.join(', ')],
      ['Expires', shortDate(data.apiKey.expiresAt) ?? 'never'],
      ['URL', result.baseUrl],
      ['Request ID', result.requestId],
    ]),
    '',
  ]
  if (result.profile) {
    lines.push(`  Saved as profile "${result.profile}" (now active)`)
  } else {
    lines.push(
      paint(
        'yellow',
        '⚠ Not saved as a profile (see the warning above). Save the key below — it will not be shown again.',
      ),
      '',
      fields([['API Key', result.unsavedKey]]),
    )
  }
  lines.push(`  Next: ${result.next}`)
  return lines.join('\n')
}
