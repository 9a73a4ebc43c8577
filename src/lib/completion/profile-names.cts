// The profile names, one per line, for `use --list-names` (`profiles`, `profile use`) and `logout --list-names` (3.6.0's hidden flag, which
// completion scripts call on every TAB). CommonJS and nothing but node:fs and the XDG rule, so that bin/run.js answers
// without loading oclif. It reads the names only: no key is looked at, and no credential store is asked.
import {existsSync, readFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import type * as Xdg from '../xdg.cjs'

/** The command lines bin/run.js answers itself (the same flag on the oclif commands answers any other form). */
const ANSWERED = new Set([
  'use --list-names',
  'profiles --list-names',
  'profile use --list-names',
  'logout --list-names',
])

export function answersListNames(argv: readonly string[]): boolean {
  return ANSWERED.has(argv.join(' '))
}

export interface ProfileNames {
  names: string[]
  /** Why there are no names although there is a file, when it cannot be read or is not a profile file. */
  problem?: string
}

/**
 * The names of the profile file's profiles, in the file's order as JSON.parse keeps it (as any JavaScript reader of
 * the file, 3.6.0 included, lists them: names that are whole numbers come first). A missing file
 * has none; an unreadable or broken one has none and says why. Names that cannot be one line of a shell's word list
 * (control characters) are left out. Before codika's folder exists, the names of codika-helper's file (releases before
 * 3.x, in the folder beside it), which the first command that reads profiles copies over (lib/profiles/store.ts).
 */
export function readProfileNames(path: string = defaultPath()): ProfileNames {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      const folder = dirname(path)
      const legacy = join(dirname(folder), 'codika-helper', 'config.json')
      return basename(folder) === 'codika' && !existsSync(folder) && existsSync(legacy)
        ? readProfileNames(legacy)
        : {names: []}
    }
    return {names: [], problem: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`}
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return {names: [], problem: `${path} is not valid JSON`}
  }
  const profiles = isObject(data) ? (data.profiles === undefined ? {} : data.profiles) : undefined
  if (!isObject(profiles)) return {names: [], problem: `${path} is not a codika profile file`}
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  return {names: Object.keys(profiles).filter((name) => name !== '' && !/[\u0000-\u001F\u007F-\u009F]/.test(name))}
}

/**
 * Prints the names on stdout and exits 0, whatever the file holds: a completing shell shows nothing rather than an
 * error. A person reading the list on a terminal is told on stderr why it is empty; a completion script, which
 * reads stdout through a pipe, never gets that line in the middle of the user's command line. bin/run.js passes
 * `write` (lib/stdout.cts, straight to fd 1).
 */
export function printProfileNames(
  path: string = defaultPath(),
  write: (text: string) => void = (text) => process.stdout.write(text),
): void {
  const {names, problem} = readProfileNames(path)
  if (names.length > 0) write(`${names.join('\n')}\n`)
  if (problem && process.stdout.isTTY)
    process.stderr.write(`codika: no profile names: ${problem} (codika profile list says more).\n`)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The oclif commands' `--list-names` (any command line bin/run.js does not answer itself): printed, and returned for --json. */
export function listProfileNames(path: string, json: boolean): {names: string[]} {
  if (!json) printProfileNames(path)
  return {names: readProfileNames(path).names}
}

/**
 * The rule of lib/profiles/paths.ts (which the commands use), for bin/run.js: that module is an ES module, which this
 * path must not load. The XDG rule is required here, when bin/run.js asks, and not at the top: the development
 * entry (bin/dev.js) runs the sources through tsx, whose CommonJS loader does not find one .cts from another.
 */
function defaultPath(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const {configHome} = require('../xdg.cjs') as typeof Xdg
  return join(configHome(), 'codika', 'config.json')
}
