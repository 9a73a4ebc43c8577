// Switching and removing profiles, with the active-profile rules, under the store's lock.
import type {ProfileStore} from './store.js'
import type {ProfileFile} from './types.js'
import {noActiveProfile, profileNotFound} from './errors.js'
import {profileView, type ProfileView} from './views.js'

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
}

/**
 * Removes a profile (the active one when `name` is undefined). When the active one goes, the remaining
 * profile first in name order becomes active, so that there is always one while any is left.
 */
export async function removeProfile(store: ProfileStore, name: string | undefined): Promise<RemoveResult> {
  targetOf(store.read(), name)
  return store.update((file) => {
    const target = targetOf(file, name)
    const wasActive = file.activeProfile === target
    delete file.profiles[target]
    if (wasActive) file.activeProfile = Object.keys(file.profiles).sort()[0] ?? null
    return {success: true, removed: target, wasActive, activeProfile: file.activeProfile}
  })
}

function targetOf(file: ProfileFile, name: string | undefined): string {
  if (name !== undefined) return assertExists(file, name)
  if (file.activeProfile) return file.activeProfile
  throw noActiveProfile(file, 'to log out of', 'codika logout NAME')
}

function assertExists(file: ProfileFile, name: string): string {
  if (!Object.hasOwn(file.profiles, name)) throw profileNotFound(name, file)
  return name
}
