// Where the XDG base directories are: a variable counts only when it holds an absolute path (the XDG Base Directory
// rule; a relative one is ignored), else the usual folder under the home directory. The one home of that rule, used
// by the profile file, the sandbox's data file and the caches. CommonJS (.cts) so that the start-up loader
// (oclif/bundle.cts) can use it too.
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
