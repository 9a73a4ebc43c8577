// Runs the built CLI as a user would: a child process of bin/run.js, with its own temp config folder.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = join(ROOT, 'bin', 'run.js')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
  /** stdout parsed as JSON (throws when it is not exactly one JSON document). */
  json<T = any>(): T
}

export interface CliOptions {
  /** Extra environment; `undefined` values remove a variable. */
  env?: Record<string, string | undefined>
  input?: string
  timeoutMs?: number
  cwd?: string
}

/**
 * A clean environment: no CODIKA_* or proxy variables from the caller, HOME and XDG folders in `home`.
 * NODE_ENV is dropped too: the test runner's NODE_ENV=test makes oclif try to load TypeScript sources
 * (slow, and not how a user runs the CLI).
 *
 * Never the user's credential store: keys go to the profile file (CODIKA_CREDENTIAL_STORE=file) unless a test says
 * otherwise, and the D-Bus session bus is a dead address in `home` (without one, libdbus may start a bus of its own),
 * so that even `auto` finds no store. Tests of the store pass the address of a private session (test/helpers/keyring.ts).
 */
export function cleanEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    // CI variables too: colour libraries turn colour on under CI=true even without a terminal. Node's own settings
    // (NODE_*) as in the bench: the CLI runs as a user starts it; NODE_EXTRA_CA_CERTS (set on some machines for the
    // registry) alone would cost some 45 ms per CLI run on Node 20, which parses that file at every start.
    if (
      /^(CODIKA_|DEBUG$|NO_COLOR$|FORCE_COLOR$|COLORTERM$|CI$|CI_|GITHUB_ACTIONS$|HTTPS?_PROXY$|NO_PROXY$|ALL_PROXY$|XDG_|NODE_|DBUS_|DISPLAY$|WAYLAND_DISPLAY$|GNOME_KEYRING_)/i.test(
        k,
      )
    )
      continue
    env[k] = v
  }
  env.HOME = home
  env.XDG_CONFIG_HOME = join(home, 'config')
  env.XDG_DATA_HOME = join(home, 'data')
  env.XDG_CACHE_HOME = join(home, 'cache')
  env.TZ = 'UTC'
  env.CODIKA_CREDENTIAL_STORE = 'file'
  env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(home, 'no-session-bus')}`
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

export function runCli(home: string, args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? home,
      env: cleanEnv(home, options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({
        code,
        stdout,
        stderr,
        json() {
          return JSON.parse(stdout)
        },
      })
    })
    child.stdin.end(options.input ?? '')
  })
}

/** A temporary home folder, removed by the returned cleanup. */
export function tempHome(prefix = 'codika-test-'): {home: string; cleanup: () => void} {
  const home = mkdtempSync(join(tmpdir(), prefix))
  return {home, cleanup: () => rmSync(home, {recursive: true, force: true})}
}

/** Temporary homes for a test file: `home()` makes one, `cleanup()` (in `after`) removes every one made. */
export function tempHomes(prefix?: string): {home: () => string; cleanup: () => void} {
  const made: Array<() => void> = []
  return {
    home() {
      const h = tempHome(prefix)
      made.push(h.cleanup)
      return h.home
    },
    cleanup() {
      for (const cleanup of made.splice(0)) cleanup()
    },
  }
}

export function configFile(home: string): string {
  return join(home, 'config', 'codika', 'config.json')
}
