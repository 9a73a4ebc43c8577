// `npm run demo`: the main job end to end on the embedded sandbox, with throw-away data and profile folders.
// Starts `codika sandbox start --port 0`, then runs the real CLI: login, organization create,
// organization create-key, whoami with the new key, profile list; then an agent gets its own key by emailed code
// (auth signup-request, the code from sandbox outbox, auth signup-complete, whoami); stops the sandbox; exits 0 only
// if all passed.
//
// Never the user's credential store: on Linux with dbus-run-session and gnome-keyring-daemon, the demo runs itself
// again inside a private D-Bus session with a keyring of its own (thrown away with the rest), so the keys go to a
// store as they would on a desktop; elsewhere they go to the throw-away profile file (CODIKA_CREDENTIAL_STORE=file).
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

// The CLI's own key masking, from the build that `npm run demo` has just made.
const {redact} = await import(new URL('../dist/lib/redact.js', import.meta.url).href)

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin', 'run.js')
const inPrivateSession = process.env.CODIKA_DEMO_HOME !== undefined
const home = process.env.CODIKA_DEMO_HOME ?? mkdtempSync(join(tmpdir(), 'codika-demo-'))

const hasCommand = (command) => spawnSync('sh', ['-c', 'command -v "$1" >/dev/null 2>&1', 'sh', command]).status === 0
if (
  !inPrivateSession &&
  process.platform === 'linux' &&
  ['dbus-run-session', 'gnome-keyring-daemon'].every(hasCommand)
) {
  // The daemon's home is the demo's: its keyring files go where everything else of the demo goes.
  const keyringHome = join(home, 'keyring-home')
  mkdirSync(keyringHome)
  const script = 'eval "$(printf demo | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null; exec "$0" "$1"'
  // No runtime folder or display of the user's session: the private one has neither.
  const outside = {...process.env}
  for (const name of ['XDG_RUNTIME_DIR', 'DISPLAY', 'WAYLAND_DISPLAY']) delete outside[name]
  const session = spawn(
    'dbus-run-session',
    ['--', 'sh', '-c', script, process.execPath, fileURLToPath(import.meta.url)],
    {
      stdio: ['ignore', 'inherit', 'pipe'],
      env: {
        ...outside,
        CODIKA_DEMO_HOME: home,
        // gnome-keyring keeps its files in the data folder and its sockets in the cache folder (without a runtime one).
        HOME: keyringHome,
        XDG_DATA_HOME: join(keyringHome, 'data'),
        XDG_CACHE_HOME: join(keyringHome, 'cache'),
        XDG_CONFIG_HOME: join(keyringHome, 'config'),
      },
    },
  )
  const exited = new Promise((resolve) => session.once('exit', (code) => resolve(code)))
  // The bus daemon's own remarks (about fd limits when run as root, say) are not the demo's.
  for await (const line of createInterface({input: session.stderr}))
    if (!/^dbus(-daemon)?\[\d+\]:/.test(line)) process.stderr.write(`${line}\n`)
  const status = await exited
  rmSync(home, {recursive: true, force: true})
  process.exit(status ?? 1)
}

const env = {
  ...process.env,
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_DATA_HOME: join(home, 'data'),
  // Where codika keeps its caches (oclif's cacheDir, the code cache of its start-up): thrown away too.
  CODIKA_CACHE_DIR: join(home, 'cache'),
  CODIKA_API_KEY: '',
  CODIKA_BASE_URL: '',
  CODIKA_PROFILE: '',
  // In the private session: the default, the system store where one works. Elsewhere: the throw-away file only.
  CODIKA_CREDENTIAL_STORE: inPrivateSession ? 'auto' : 'file',
  ...(inPrivateSession ? {} : {DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-session-bus')}`}),
}
const bold = (t) => (process.stdout.isTTY && !('NO_COLOR' in process.env) ? `\u001B[1m${t}\u001B[22m` : t)

let sandbox
function cleanup() {
  if (sandbox && sandbox.exitCode === null) sandbox.kill('SIGTERM')
  rmSync(home, {recursive: true, force: true})
}

function step(title, args, {json = false} = {}) {
  console.log(
    `\n${bold(`▶ ${title}`)}\n$ codika ${redact(args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' '))}`,
  )
  const result = spawnSync(process.execPath, [bin, ...args], {env, encoding: 'utf8'})
  process.stdout.write(result.stdout)
  process.stderr.write(result.stderr)
  if (result.status !== 0) throw new Error(`step "${title}" exited ${result.status}`)
  return json ? JSON.parse(result.stdout) : result.stdout
}

async function startSandbox() {
  const args = ['sandbox', 'start', '--port', '0', '--data', join(home, 'sandbox.db'), '--json']
  console.log(`${bold('▶ Start a sandbox')} (throw-away data in ${home})\n$ codika ${args.join(' ')}`)
  console.log(
    inPrivateSession
      ? 'keys go to a throw-away system credential store (a private D-Bus session with its own gnome-keyring)'
      : 'keys go to the throw-away profile file (no private credential store on this machine)',
  )
  sandbox = spawn(process.execPath, [bin, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({input: sandbox.stdout})
  let text = ''
  for await (const line of lines) {
    text += `${line}\n`
    try {
      const info = JSON.parse(text)
      console.log(`listening on ${info.data.url}, seeded "${info.data.seeded.organizationName}"`)
      return info.data
    } catch {
      // the document is not complete yet
    }
  }
  throw new Error('the sandbox stopped before it was ready')
}

try {
  const info = await startSandbox()
  const owner = info.seeded.owner.apiKey
  step('Log in with the sandbox owner key', ['login', '--api-key', owner, '--base-url', info.url])
  const org = step(
    'Create an organization',
    ['organization', 'create', '--name', 'Demo Org', '--size', '2-10', '--json'],
    {json: true},
  )
  console.log(`organizationId: ${org.data.organizationId}`)
  step('Create an organization key (the headline)', [
    'organization',
    'create-key',
    '--organization-id',
    org.data.organizationId,
    '--name',
    'CI Deploy Key',
    '--scopes',
    'deploy:use-case,workflows:trigger',
    '--expires-in-days',
    '30',
  ])
  step('Who am I, with the new key (now the active profile)', ['whoami'])
  step('Profiles', ['profile', 'list'])

  // An agent with no key at all: a code by email (the sandbox keeps it in its outbox), then its own organization key.
  const email = 'agent@demo.example'
  step('An agent gets its own key: ask for a code by email', [
    'auth',
    'signup-request',
    '--email',
    email,
    '--base-url',
    info.url,
  ])
  const outbox = step(
    'Read the code the sandbox "emailed" (its outbox)',
    ['sandbox', 'outbox', '--data', join(home, 'sandbox.db'), '--email', email, '--json'],
    {json: true},
  )
  const otp = outbox.messages[0].code
  console.log(`code: ${otp}`)
  step('Send it back: a new organization, its key saved as the active profile', [
    'auth',
    'signup-complete',
    '--email',
    email,
    '--code',
    otp,
    '--company',
    'Agent Org',
    '--base-url',
    info.url,
  ])
  step('Who am I, with the agent key', ['whoami'])
  sandbox.kill('SIGTERM')
  const code = await new Promise((resolve) => sandbox.on('exit', (c, signal) => resolve(c ?? signal)))
  console.log(`\n${bold('✓ Demo complete')} (sandbox stopped: ${code === 0 ? 'cleanly' : code})`)
  cleanup()
  process.exit(code === 0 ? 0 : 1)
} catch (error) {
  console.error(`\n✗ Demo failed: ${error.message}`)
  cleanup()
  process.exit(1)
}
