// Switching and removing profiles, with the active-profile rules, under the store's lock.
import {usageError} from '../errors.js'
import type {ProfileStore} from './store.js'
import type {ProfileFile} from './types.js'
import {profileNotFound, profileView, type ProfileView} from './views.js'

export interface UseResult {
  success: true
  activeProfile: string
  previousProfile: string | null
  profile: ProfileView
}

/** Makes `name` the active profile; an unknown name is exit 2 with the list of known ones. */
export async function useProfile(store: ProfileStore, name: string): Promise<UseResult> {
  // Checked before taking the lock, so that a typo neither waits for nor touches anything.
  assertExists(store.read(), name)
  return store.update((file) => {
    assertExists(file, name)
    const previousProfile = file.activeProfile
    file.activeProfile = name
    return {success: true, activeProfile: name, previousProfile, profile: profileView(name, file.profiles[name], name)}
  })
}

export interface RemoveResult {
  success: true
  removed: string
  /** Was the removed profile the active one? */
  wasActive: boolean
  /** The active profile after the removal (null when none is left, or none was active). */
  activeProfile: string | null
  /** Why this profile, when no name was given: the one CODIKA_PROFILE names, or the active one. */
  chosenBy?: 'CODIKA_PROFILE' | 'active'
}

/**
 * Removes a profile. Without a name, the profile in use in this shell (SPEC.md's table): the one CODIKA_PROFILE
 * names, else the active one; with CODIKA_API_KEY set, the key in use is no profile at all, so a name is asked for.
 * When the active one goes, the remaining profile first in name order becomes active, so that there is always one
 * while any is left.
 */
export async function removeProfile(
  store: ProfileStore,
  name: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RemoveResult> {
  targetOf(store.read(), name, env)
  return store.update((file) => {
    const {target, chosenBy} = targetOf(file, name, env)
    const wasActive = file.activeProfile === target
    delete file.profiles[target]
    if (wasActive) file.activeProfile = Object.keys(file.profiles).sort()[0] ?? null
    return {
      success: true,
      removed: target,
      wasActive,
      activeProfile: file.activeProfile,
      ...(chosenBy ? {chosenBy} : {}),
    }
  })
}

function targetOf(
  file: ProfileFile,
  name: string | undefined,
  env: NodeJS.ProcessEnv,
): {target: string; chosenBy?: RemoveResult['chosenBy']} {
  if (name !== undefined) return {target: assertExists(file, name)}
  const known = Object.keys(file.profiles).sort()
  const listed = known.length > 0 ? ` (known profiles: ${known.join(', ')})` : ''
  if (env.CODIKA_API_KEY?.trim())
    throw usageError(
      'PROFILE_NOT_FOUND',
      'CODIKA_API_KEY is set: the key in use in this shell is not a profile, so there is none to log out of.',
      `Unset CODIKA_API_KEY to stop using that key, or name the profile to remove: codika logout NAME${listed}.`,
    )
  const named = env.CODIKA_PROFILE?.trim()
  if (named) {
    if (!Object.hasOwn(file.profiles, named)) throw profileNotFound(named, file)
    return {target: named, chosenBy: 'CODIKA_PROFILE'}
  }
  if (file.activeProfile) return {target: file.activeProfile, chosenBy: 'active'}
  throw usageError(
    'PROFILE_NOT_FOUND',
    'There is no active profile to log out of.',
    known.length > 0
      ? `Name one: codika logout NAME (known profiles: ${known.join(', ')}).`
      : 'There are no profiles at all.',
  )
}

function assertExists(file: ProfileFile, name: string): string {
  if (!Object.hasOwn(file.profiles, name)) throw profileNotFound(name, file)
  return name
}
