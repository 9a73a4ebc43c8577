// Where `codika sandbox` keeps its data by default: light, so commands find the file without loading the sandbox.
import {join} from 'node:path'

import {DATA_FILE_NAME} from '../../sandbox/defaults.js'
import {dataHome} from '../xdg.cjs'

/** Where `sandbox start` keeps its data without --data: <XDG data home>/codika/sandbox.db. */
export function defaultDataFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataHome(env), 'codika', DATA_FILE_NAME)
}
