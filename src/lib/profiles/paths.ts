// Where the profile file lives: <XDG config home>/codika/config.json (lib/xdg.cts says which folder that is), and
// where releases before 3.x, called codika-helper, kept the same file.
import {join} from 'node:path'

import {configHome} from '../xdg.cjs'

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env), 'codika')
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json')
}

/** The folder of releases before 3.x (`codika-helper`), which kept the same layout: <XDG config home>/codika-helper. */
export function legacyConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env), 'codika-helper')
}

export function legacyConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(legacyConfigDir(env), 'config.json')
}
