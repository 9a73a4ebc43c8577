// The one home of PROFILE_NOT_FOUND: a name no profile has, or no active profile where one was needed (exit 2); and of
// NO_PROFILES (`config show` with nothing to show, exit 1).
import {CodikaError, usageError} from '../errors.js'
import type {ProfileFile} from './types.js'

const NO_PROFILES = 'There are no profiles yet: run `codika login`.'

/** No profile of that name; `how` says where the name came from (`from --profile`). The hint lists the known ones. */
export function profileNotFound(name: string, file: ProfileFile, how?: string): CodikaError {
  const known = Object.keys(file.profiles).sort()
  return usageError(
    'PROFILE_NOT_FOUND',
    `No profile named "${name}"${how ? ` (${how})` : ''}.`,
    known.length > 0 ? `Known profiles: ${known.join(', ')}.` : NO_PROFILES,
  )
}

/**
 * No active profile for a command that takes one by default: `what` is what it would have done ("to show"), `name`
 * how to name one instead ("codika profile show NAME").
 */
export function noActiveProfile(file: ProfileFile, what: string, name: string): CodikaError {
  const known = Object.keys(file.profiles).sort()
  return usageError(
    'PROFILE_NOT_FOUND',
    `There is no active profile ${what}.`,
    known.length > 0 ? `Name one: ${name} (known profiles: ${known.join(', ')}).` : NO_PROFILES,
  )
}

/** A bare `logout` with CODIKA_API_KEY set: the key in use in this shell is not a profile, so a name is asked for. */
export function keyInUseIsNoProfile(file: ProfileFile): CodikaError {
  const known = Object.keys(file.profiles).sort()
  return usageError(
    'PROFILE_NOT_FOUND',
    'CODIKA_API_KEY is set: the key in use in this shell is not a profile, so there is none to log out of.',
    `Unset CODIKA_API_KEY to stop using that key, or name the profile to remove: codika logout NAME${
      known.length > 0 ? ` (known profiles: ${known.join(', ')})` : ''
    }.`,
  )
}

/** `config show` finds no profile (exit 1, as in 3.6.0: nothing is wrong with the command line). */
export function noProfiles(env: NodeJS.ProcessEnv = process.env): CodikaError {
  return new CodikaError('NO_PROFILES', 'There are no profiles.', {
    hint: env.CODIKA_API_KEY?.trim()
      ? 'CODIKA_API_KEY is set: commands in this shell use that key (codika whoami says more). Run `codika login` to save a profile.'
      : 'Run `codika login` (or `codika config set`) to add one.',
  })
}

/** `config clear` answered no at its question: nothing removed (exit 1; Ctrl+C is CANCELLED with 130). */
export function clearDeclined(): CodikaError {
  return new CodikaError('CANCELLED', 'Nothing was removed: the answer was no.', {
    hint: 'Pass --force to clear without the question.',
  })
}
