// `npm run demo`: the main job end to end on the embedded sandbox, with throw-away data and profile folders.
// Starts `codika sandbox start --port 0`, then runs the real CLI: login, organization create,
// organization create-key, whoami with the new key, profile list; then an agent gets its own key by emailed code
// (auth signup-request, the code from sandbox outbox, auth signup-complete, whoami); stops the sandbox; exits 0 only
// if all passed.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

// The CLI's own key masking, from the build that `npm run demo` has just made.
const {redact} = await import(new URL('../dist/lib/redact.js', import.meta.url).href)

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin', 'run.js')
const home = mkdtempSync(join(tmpdir(), 'codika-demo-'))
const env = {
  ...process.env,
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_DATA_HOME: join(home, 'data'),
  // Where codika keeps its caches (oclif's cacheDir, the code cache of its start-up): thrown away too.
  CODIKA_CACHE_DIR: join(home, 'cache'),
  CODIKA_API_KEY: '',
  CODIKA_BASE_URL: '',
  CODIKA_PROFILE: '',
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
