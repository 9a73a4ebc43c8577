// Where the XDG base directories are: a variable counts only when it holds an absolute path (the XDG Base Directory
// rule; a relative one is ignored), else the usual folder under the home directory. The one home of that rule, used
// by the profile file, the sandbox's data file and the caches. CommonJS (.cts) so that bin/run.js can use it too.
import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'

type Env = NodeJS.ProcessEnv

function xdgHome(env: Env, variable: string, fallback: string[]): string {
  const value = env[variable]
  return value && isAbsolute(value) ? value : join(homedir(), ...fallback)
}

/** `$XDG_CONFIG_HOME`, else `~/.config`. */
export function configHome(env: Env = process.env): string {
  return xdgHome(env, 'XDG_CONFIG_HOME', ['.config'])
}

/** `$XDG_DATA_HOME`, else `~/.local/share`. */
export function dataHome(env: Env = process.env): string {
  return xdgHome(env, 'XDG_DATA_HOME', ['.local', 'share'])
}

/** `$XDG_CACHE_HOME`, else `~/.cache`. */
export function cacheHome(env: Env = process.env): string {
  return xdgHome(env, 'XDG_CACHE_HOME', ['.cache'])
}

/**
 * codika's cache folder (the code cache of lib/oclif/bundle.cts, the completion cache): CODIKA_CACHE_DIR, else
 * ~/Library/Caches/codika on macOS (as oclif), else <XDG cache home>/codika. bin/run.js hands it to oclif through
 * CODIKA_CACHE_DIR, the variable oclif's Config#cacheDir reads first, so that both agree.
 */
export function cacheDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.CODIKA_CACHE_DIR) return env.CODIKA_CACHE_DIR
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'codika')
  return join(cacheHome(env), 'codika')
}

/**
 * codika's data folder (the sandbox's data file, the plugins a user installed or linked): CODIKA_DATA_DIR, else
 * <XDG data home>/codika. bin/run.js hands it to oclif through CODIKA_DATA_DIR, as for the cache folder.
 */
export function dataDir(env: Env = process.env): string {
  return env.CODIKA_DATA_DIR || join(dataHome(env), 'codika')
}
