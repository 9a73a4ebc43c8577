// `npm run demo` (scripts/demo.mjs over the built CLI) runs from start to end, exits 0 and leaves nothing behind.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, it} from 'node:test'

import {cleanEnv, ROOT, tempHome} from '../helpers/cli.js'
import {KEYRING_TOOLS, startPrivateKeyring} from '../helpers/keyring.js'
import {hasCommand, skipUnless} from '../helpers/tools.js'

const {home, cleanup} = tempHome('codika-demo-test-')
after(cleanup)

/** The script itself, not `npm run demo`: that would rebuild dist/ under the other test files' feet. */
async function runDemo(env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
    cwd: ROOT,
    env: cleanEnv(home, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  return {code, stdout, stderr}
}

it('npm run demo: sandbox, login, organization create, create-key, whoami, profile list, an agent signing up by code; exit 0', async () => {
  const {code, stdout, stderr} = await runDemo()
  assert.equal(code, 0, `stdout:\n${stdout}\nstderr:\n${stderr}`)
  const steps = [...stdout.matchAll(/^▶ (.+)$/gm)].map((m) => m[1])
  assert.match(steps[0], /^Start a sandbox \(throw-away data in \S+\)$/)
  assert.deepEqual(steps.slice(1), [
    'Log in with the sandbox owner key',
    'Create an organization',
    'Create an organization key (the headline)',
    'Who am I, with the new key (now the active profile)',
    'Profiles',
    'An agent gets its own key: ask for a code by email',
    'Read the code the sandbox "emailed" (its outbox)',
    'Send it back: a new organization, its key saved as the active profile',
    'Who am I, with the agent key',
  ])
  assert.match(stdout, /^listening on http:\/\/127\.0\.0\.1:\d+, seeded "Sandbox Org"$/m)
  assert.match(stdout, /Organization API Key Created Successfully/)
  assert.match(stdout, /Saved as profile "org-api-key-ci-deploy-key" \(now active\)/)
  assert.match(stdout, /Key verified[^]*Key name: +CI Deploy Key/)
  assert.match(stdout, /^ {2}\* +org-api-key-ci-deploy-key /m)
  assert.match(stdout, /✓ Code sent to agent@demo\.example/)
  assert.match(stdout, /^code: \d{6}$/m)
  assert.match(stdout, /Saved as profile "agent-org" \(now active\)/)
  assert.match(stdout, /Key verified[^]*Organization: +Agent Org[^]*Profile: +agent-org/)
  const agentPart = stdout.slice(stdout.indexOf('▶ An agent gets its own key'))
  assert.doesNotMatch(agentPart, /cko_[A-Za-z0-9_-]{20,}/, 'the agent key is never printed raw')
  assert.match(stdout, /✓ Demo complete \(sandbox stopped: cleanly\)$/m)
  assert.doesNotMatch(stderr, /Error|✗/)

  // Throw-away means thrown away: its folder is gone, and nothing was written to the (test's) home.
  const folder = /throw-away data in (\S+)\)/.exec(stdout)?.[1]
  assert.ok(folder && !existsSync(folder), `${folder} was left behind`)
  assert.deepEqual(readdirSync(home), [])
  // Where the keys went: a throw-away store of its own where this machine can make one, else the throw-away file.
  const privateStore = process.platform === 'linux' && ['dbus-run-session', 'gnome-keyring-daemon'].every(hasCommand)
  assert.match(
    stdout,
    privateStore ? /keys go to a throw-away system credential store/ : /keys go to the throw-away profile file/,
  )
  assert.match(stdout, new RegExp(`^ {2}\\* +org-api-key-ci-deploy-key .* ${privateStore ? 'keyring' : 'file'} `, 'm'))
})

it(
  'the demo leaves the credential store of the session it runs in as it found it',
  {skip: skipUnless(KEYRING_TOOLS, 'the demo is run in a private gnome-keyring')},
  async (t) => {
    const store = await startPrivateKeyring()
    t.after(() => store.close())
    await store.store('someone-else/000000000000', 'ckp_NotTheDemos0123456789')
    const {code, stdout, stderr} = await runDemo(store.env)
    assert.equal(code, 0, `stdout:\n${stdout}\nstderr:\n${stderr}`)
    assert.equal(await store.count(), 1)
    assert.equal(await store.secret('someone-else/000000000000'), 'ckp_NotTheDemos0123456789')
  },
)
