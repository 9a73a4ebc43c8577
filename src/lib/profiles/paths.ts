// Where the profile file lives: $XDG_CONFIG_HOME/codika/config.json when that variable is absolute, else ~/.config.
import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config')
  return join(base, 'codika')
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json')
}
