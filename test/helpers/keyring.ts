// A throw-away system credential store: a private D-Bus session bus with an unlocked gnome-keyring, whose home is a
// temporary folder, so that tests of the store never see the user's own. secret-tool (libsecret) reads it as an
// independent client; tests skip with a reason where these programs are missing (skipUnless in tools.ts).
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** What the private store needs; pass it to skipUnless. */
export const KEYRING_TOOLS = ['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon', 'secret-tool'] as const

export interface PrivateKeyring {
  /** The daemon's home (its keyring files live under it). */
  home: string
  /** The session bus address: give it to the CLI as DBUS_SESSION_BUS_ADDRESS. */
  address: string
  /** The environment for runCli: this session, and the default storage choice (auto). */
  env: Record<string, string | undefined>
  /** The gnome-keyring-daemon of this session (a process this helper started). */
  daemonPid: number
  /** The secret of the entry of `account` under service codika, or undefined when there is none. */
  secret(account: string, service?: string): Promise<string | undefined>
  /** How many entries service codika has (every one, whatever its account). */
  count(service?: string): Promise<number>
  /** Writes an entry, as another program would. */
  store(account: string, secret: string, service?: string): Promise<void>
  /** Deletes an entry, as a user wiping the keychain would. */
  clear(account: string, service?: string): Promise<void>
  /** Locks the default collection (as a screen lock would): reading it then needs an unlock prompt. */
  lock(): Promise<void>
  close(): Promise<void>
}

const SCRIPT = [
  'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null',
  // The daemon may claim its name on the bus a little after --unlock returns: wait for it (at most 10 s).
  'for i in $(seq 100); do',
  "  pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null | awk '{print $2}')",
  '  [ -n "$pid" ] && break',
  '  sleep 0.1',
  'done',
  'printf "%s %s\\n" "$pid" "$DBUS_SESSION_BUS_ADDRESS"',
  // Lives as long as its stdin: close() ends it, and dbus-run-session then ends the bus (and the daemon with it).
  'exec cat >/dev/null',
].join('\n')

export async function startPrivateKeyring(): Promise<PrivateKeyring> {
  const home = mkdtempSync(join(tmpdir(), 'codika-keyring-'))
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
  }
  const child: ChildProcessWithoutNullStreams = spawn('dbus-run-session', ['--', 'sh', '-c', SCRIPT], {env})
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const first = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      if (out.includes('\n')) resolve(out.split('\n')[0])
    })
    child.once('exit', (code) => reject(new Error(`the private keyring session ended (${code}): ${stderr}`)))
  })
  const [pid, address] = first.split(' ')
  if (!address || !Number(pid)) throw new Error(`no private keyring session: ${first} ${stderr}`)
  const toolEnv = {...env, DBUS_SESSION_BUS_ADDRESS: address}
  const tool = (args: string[], input?: string) =>
    new Promise<{code: number | null; stdout: string}>((resolve, reject) => {
      const p = spawn('secret-tool', args, {env: toolEnv})
      let stdout = ''
      p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
      p.on('error', reject)
      p.on('close', (code) => resolve({code, stdout}))
      // A command that reads no input may have exited before its stdin is closed (EPIPE): its exit code says how
      // it went.
      p.stdin.on('error', () => {})
      p.stdin.end(input ?? '')
    })
  return {
    home,
    address,
    env: {DBUS_SESSION_BUS_ADDRESS: address, CODIKA_CREDENTIAL_STORE: undefined},
    daemonPid: Number(pid),
    async secret(account, service = 'codika') {
      const {code, stdout} = await tool(['lookup', 'service', service, 'username', account])
      return code === 0 ? stdout : undefined
    },
    async count(service = 'codika') {
      const {stdout} = await tool(['search', '--all', 'service', service])
      return stdout.split('\n').filter((line) => line.startsWith('secret = ')).length
    },
    async store(account, secret, service = 'codika') {
      const {code} = await tool(['store', '--label', account, 'service', service, 'username', account], secret)
      if (code !== 0) throw new Error(`secret-tool store exited ${code}`)
    },
    async clear(account, service = 'codika') {
      await tool(['clear', 'service', service, 'username', account])
    },
    async lock() {
      await new Promise<void>((resolve, reject) => {
        const args = ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets']
        args.push('org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login')
        const p = spawn('dbus-send', args, {env: toolEnv, stdio: 'ignore'})
        p.on('error', reject)
        p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`dbus-send exited ${code}`))))
      })
    },
    async close() {
      try {
        process.kill(Number(pid), 'SIGCONT') // in case a test stopped it
      } catch {
        // already gone
      }
      child.stdin.end()
      await exited
      rmSync(home, {recursive: true, force: true})
    },
  }
}

/** Files under `dir` whose bytes contain `text` (to prove a key is in clear in none of them). */
export function filesContaining(dir: string, text: string): string[] {
  const found: string[] = []
  const walk = (path: string) => {
    const info = statSync(path, {throwIfNoEntry: false})
    if (!info) return
    if (info.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry))
    else if (info.isFile() && readFileSync(path).includes(text)) found.push(path)
  }
  walk(dir)
  return found
}
