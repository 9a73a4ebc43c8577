// The human screens of `organization create`, `create-key` and `update-key`.
import type {UpdateOrganizationKeyData} from '../api/contract.js'
import type {CreatedKey} from '../organization-keys.js'
import {fields, paint, printable, shortDate} from '../output.js'

/** What a field of an answer that strayed from the contract shows. */
const MISSING = '(not in the answer)'

/** create-key's one-time screen (the seed page's output): the raw key, then where it was saved. */
export function createdKeyText(
  data: CreatedKey,
  requestId: string,
  profile: string | null,
  saveAsked: boolean,
): string {
  return [
    paint('green', '✓ Organization API Key Created Successfully'),
    '',
    paint('yellow', '⚠ Save the API key below — it will not be shown again.'),
    '',
    fields([
      ['API Key', data.apiKey],
      ['Key Prefix', data.keyPrefix ?? MISSING],
      ['Key ID', data.keyId ?? MISSING],
      ['Name', data.name ?? MISSING],
      ['Scopes', data.scopes?.join(', ') ?? MISSING],
      ['Created', shortDate(data.createdAt)],
      ['Expires', shortDate(data.expiresAt)],
      ['Request ID', requestId],
    ]),
    '',
    profile
      ? `  Saved as profile "${profile}" (now active)`
      : saveAsked
        ? '  Not saved as a profile (see the warning above)'
        : '  Not saved as a profile (--no-save)',
  ].join('\n')
}

/** `organization create`'s screen: the new id, and the command that makes its first key. */
export function createdOrganizationText(organizationId: string, name: string, requestId: string, bin: string): string {
  return [
    paint('green', '✓ Organization Created Successfully'),
    '',
    fields([
      ['Organization ID', organizationId],
      ['Name', name],
      ['Request ID', requestId],
    ]),
    '',
    `  Next: ${bin} organization create-key --organization-id "${printable(organizationId)}" --name "<key name>" --scopes "<scopes>"`,
  ].join('\n')
}

/** `organization update-key`'s screen: the key as it is now, and the local profiles refreshed. */
export function updatedKeyText(data: UpdateOrganizationKeyData, requestId: string, refreshed: string[]): string {
  const lines = [
    paint('green', '✓ Organization API Key Updated Successfully'),
    '',
    fields([
      ['Key ID', data.keyId],
      ['Name', data.name],
      ['Description', data.description ? data.description : '(none)'],
      ['Scopes', data.scopes.join(', ')],
      ['Updated', data.updatedAt],
      ['Request ID', requestId],
    ]),
  ]
  if (refreshed.length > 0)
    lines.push(
      '',
      `  Refreshed the name and scopes of profile${refreshed.length > 1 ? 's' : ''} ${refreshed.map((n) => `"${printable(n)}"`).join(', ')}`,
    )
  return lines.join('\n')
}
