// codika's own flag types: oclif parses them with codika's checks (lib/organization-keys.ts), whose errors keep
// their code, words and exit code (lib/errors.ts, lib/oclif/usage-errors.ts).
import {parseExpiresInDays, parseScopes} from '../organization-keys.js'
import {Flags} from './core.js'

/** A comma-separated list of organization scopes: trimmed, de-duplicated, each a known one. */
export const scopesFlag = Flags.custom<string[]>({parse: async (input) => parseScopes(input)})

/** A whole number of days, at least 1. */
export const daysFlag = Flags.custom<number>({parse: async (input) => parseExpiresInDays(input)})

/**
 * 3.6.0's hidden --list-names of `use` and `logout`, for completion scripts: the profile names, one per line
 * (bin/run.js answers it without oclif; lib/completion/profile-names.cts).
 */
export const listNamesFlag = {
  'list-names': Flags.boolean({hidden: true, summary: 'Print the profile names, one per line.'}),
}

/** The sandbox's data file, for `sandbox start` and the commands that read the same file. */
export const sandboxDataFlag = {
  data: Flags.string({summary: 'The SQLite data file (default: $XDG_DATA_HOME/codika/sandbox.db).'}),
}
