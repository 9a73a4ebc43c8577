// Switching, removing and securing profiles, with the active-profile rules, under the store's lock.
import type {KeyLocation} from './keyring.js'
import type {ProfileStore} from './store.js'
import {keyOnlyIn, type ProfileFile} from './types.js'
import {keyInUseIsNoProfile, noActiveProfile, profileNotFound} from './errors.js'
import {profileView, type ProfileView, profileViews} from './views.js'

export interface UseResult {
  success: true
  activeProfile: string
  previousProfile: string | null
  profile: ProfileView
  /** Every profile after the switch, as `use --json` without a name lists them (3.6.0's shape, in file order). */
  profiles: ProfileView[]
}

/** Makes `name` the active profile; an unknown name is exit 2 with the list of known ones. */
export async function useProfile(store: ProfileStore, name: string): Promise<UseResult> {
  // Checked before taking the lock, so that a typo neither waits for nor touches anything.
  assertExists(store.read(), name)
  return store.update((file) => {
    assertExists(file, name)
    const previousProfile = file.activeProfile
    file.activeProfile = name
    return {
      success: true,
      activeProfile: name,
      previousProfile,
      profile: profileView(name, file.profiles[name], name),
      profiles: profileViews(file),
    }
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
  const {chosenBy} = targetOf(store.read(), name, env)
  const {removed, wasActive, activeProfile} = await removeProfiles(store, (file) => [targetOf(file, name, env).target])
  return {success: true, removed: removed[0], wasActive, activeProfile, ...(chosenBy ? {chosenBy} : {})}
}

/**
 * Every removal of profiles goes through here: the profiles `select` names go from the file and, once it is written,
 * their keys' entries from the system credential store (ProfileStore#update deletes the entries the file no longer
 * names). When the active one goes, the remaining profile first in name order becomes active.
 */
export async function removeProfiles(
  store: ProfileStore,
  select: (file: ProfileFile) => string[],
): Promise<{removed: string[]; wasActive: boolean; activeProfile: string | null}> {
  return store.update((file) => {
    const removed = select(file)
    const wasActive = file.activeProfile !== null && removed.includes(file.activeProfile)
    for (const name of removed) delete file.profiles[name]
    if (wasActive) file.activeProfile = Object.keys(file.profiles).sort()[0] ?? null
    return {removed, wasActive, activeProfile: file.activeProfile}
  })
}

export interface ClearAllResult {
  success: true
  /** The profiles that went, in the file's order. */
  removed: string[]
  /** The profile file, which is gone (its folder stays). */
  file: string
  /** Was there a file to delete? */
  fileRemoved: boolean
}

/**
 * `config clear`: every profile goes, with the whole profile file (3.6.0's behaviour) and every entry of the system
 * credential store that it named. The folder stays. No file is no error.
 */
export async function clearProfiles(store: ProfileStore): Promise<ClearAllResult> {
  const {removed, fileRemoved} = await store.clear()
  return {success: true, removed, file: store.path, fileRemoved}
}

export interface SecureResult {
  success: true
  /** Where the keys are now. */
  keyStore: KeyLocation
  /** The profiles whose key moved there. */
  moved: string[]
  /** The profiles whose key was there already. */
  unchanged: string[]
}

/**
 * `profile secure`: moves the keys of the named profiles (all when `names` is undefined) into the system credential
 * store, or with `to: 'file'` back into the profile file. Atomic: the file changes only once every key is where it
 * goes, and a store that cannot take them changes nothing (exit 1).
 */
export async function secureProfiles(
  store: ProfileStore,
  names: string[] | undefined,
  to: KeyLocation,
): Promise<SecureResult> {
  const select = (file: ProfileFile) => {
    for (const name of names ?? []) assertExists(file, name)
    return names ?? Object.keys(file.profiles)
  }
  const file = store.read()
  const targets = select(file)
  // Nothing to move: neither the lock nor the store is needed.
  if (targets.every((name) => keyOnlyIn(file.profiles[name], to)))
    return {success: true, keyStore: to, moved: [], unchanged: targets}
  const {moved, unchanged} = await store.moveKeys(select, to)
  return {success: true, keyStore: to, moved, unchanged}
}

function targetOf(
  file: ProfileFile,
  name: string | undefined,
  env: NodeJS.ProcessEnv,
): {target: string; chosenBy?: RemoveResult['chosenBy']} {
  if (name !== undefined) return {target: assertExists(file, name)}
  if (env.CODIKA_API_KEY?.trim()) throw keyInUseIsNoProfile(file)
  const named = env.CODIKA_PROFILE?.trim()
  if (named) {
    if (!Object.hasOwn(file.profiles, named)) throw profileNotFound(named, file)
    return {target: named, chosenBy: 'CODIKA_PROFILE'}
  }
  if (file.activeProfile) return {target: file.activeProfile, chosenBy: 'active'}
  throw noActiveProfile(file, 'to log out of', 'codika logout NAME')
}

function assertExists(file: ProfileFile, name: string): string {
  if (!Object.hasOwn(file.profiles, name)) throw profileNotFound(name, file)
  return name
}
