// The flags the four `codika auth` commands share, and the flags a hint repeats when it names a command to re-run.
import {DEFAULT_CLI_KEY_NAME, KEY_EXPIRES_IN_DAYS} from './api/contract.js'
import {keyStorageFlags} from './oclif/base-command.js'
import {Flags} from './oclif/index.js'

export const emailFlag = Flags.string({summary: 'The email address the code is (or was) sent to.', required: true})

export const codeFlag = Flags.string({summary: 'The 6-digit code from the email.', required: true})

export const baseUrlFlag = Flags.string({
  summary:
    'Platform base URL (also a full endpoint URL, as the established client takes it; default: CODIKA_BASE_URL, else production).',
  aliases: ['api-url'],
})

export const keyFlags = {
  'key-name': Flags.string({summary: `Name of the minted key (default: "${DEFAULT_CLI_KEY_NAME}").`}),
  'key-expires-in': Flags.string({
    summary: `Days until the minted key expires, ${KEY_EXPIRES_IN_DAYS.min} to ${KEY_EXPIRES_IN_DAYS.max} (default: never).`,
  }),
  name: Flags.string({
    summary: 'Profile name to save the key under (default: after the organization); never one that holds a key.',
  }),
}

/** What both completes take first: the address and its code. */
export const codeFlags = {email: emailFlag, code: codeFlag}

/** What both completes take last: the minted key's name and expiry, its profile, the platform, the key's storage. */
export const mintedKeyFlags = {...keyFlags, 'base-url': baseUrlFlag, ...keyStorageFlags}

/** The flags of mintedKeyFlags that a re-run of a complete repeats, after the command's own. */
export const REPEATED_KEY_FLAGS = ['key-name', 'key-expires-in', 'name', 'base-url'] as const satisfies ReadonlyArray<
  keyof typeof mintedKeyFlags
>

/** The flags given that a re-run repeats as they were (never --email, which hints put first, nor --code). */
export function givenFlags(flags: Record<string, unknown>, names: readonly string[]): Array<[string, string]> {
  return names
    .filter((name) => typeof flags[name] === 'string')
    .map((name) => [`--${name}`, (flags[name] as string).trim()])
}
