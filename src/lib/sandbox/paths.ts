// Where `codika sandbox` keeps its data by default: light, so commands find the file without loading the sandbox.
import {statSync} from 'node:fs'
import {join} from 'node:path'

import {DATA_FILE_NAME} from '../../sandbox/defaults.js'
import {usageError} from '../errors.js'
import {dataHome} from '../xdg.cjs'

/** Where `sandbox start` keeps its data without --data: <XDG data home>/codika/sandbox.db. */
export function defaultDataFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataHome(env), 'codika', DATA_FILE_NAME)
}

/**
 * A data file named with --data, for every sandbox command: refused when empty or a folder (a folder would be read as
 * "not a sandbox database", which --reset cannot help with). A missing or unreachable file is left to opening it.
 */
export function checkDataFile(path: string): void {
  if (path.trim() === '')
    throw usageError(
      'INVALID_FLAG',
      '--data must not be empty; it takes the path of a file.',
      'For example --data ./sandbox.db.',
    )
  let folder = false
  try {
    folder = statSync(path).isDirectory()
  } catch {
    // Missing or unreachable: opening it says why.
  }
  if (folder)
    throw usageError(
      'INVALID_FLAG',
      `--data ${path} is a folder; it takes the path of a file.`,
      `For example --data ${join(path, 'sandbox.db')}.`,
    )
}
