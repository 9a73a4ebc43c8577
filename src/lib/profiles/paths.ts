// Where the profile file lives: <XDG config home>/codika/config.json (lib/xdg.cts says which folder that is).
import {join} from 'node:path'

import {configHome} from '../xdg.cjs'

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env), 'codika')
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json')
}
