// `codika sandbox start` as a user runs it: the --json document and the banner, the one-time keys, --login, --reset,
// clean stops on SIGTERM/SIGINT, the warning beyond loopback, and the refusals (port taken, bad flags, bad clock).
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {dirname, join} from 'node:path'
import {stripVTControlCharacters} from 'node:util'
import {after, describe, it} from 'node:test'

import {ORGANIZATION_SCOPE_NAMES, ORGANIZATIONS_CREATE} from '../../../src/lib/scopes.js'
import {
  assertHumanFailure,
  assertJsonFailure,
  assertNoStack,
  onlyJson,
  readConfig,
  writeConfig,
} from '../../helpers/assertions.js'
import {BIN, cleanEnv, type CliResult, configFile, runCli, tempHomes} from '../../helpers/cli.js'
import {runInPty} from '../../helpers/pty.js'
import {killLeftovers, type SandboxDocument, startSandboxCli} from '../../helpers/sandbox-cli.js'
import {call} from '../../sandbox/helpers.js'

const homes = tempHomes('codika-sandbox-start-')
const home = homes.home
after(() => {
  killLeftovers()
  homes.cleanup()
})

const RAW_KEY = /\bck[opa]_[A-Za-z0-9_-]{20,}/
const REQUEST_LOG = /^POST \/verifyapikey 200 \d+(\.\d+)?ms req_[0-9a-f]{16}$/

function defaultDataFile(h: string): string {
  return join(h, 'data', 'codika', 'sandbox.db')
}

/** The keys of the human banner, by role (the lines `  owner   ckp_...  (scope, ...)`). */
function bannerKeys(stdout: string): Record<string, {apiKey: string; scopes: string[]}> {
  const keys: Record<string, {apiKey: string; scopes: string[]}> = {}
  for (const [, role, apiKey, scopes] of stdout.matchAll(/^ {2}(owner|admin|member) +(ckp_\S+) {2}\((.*)\)$/gm))
    keys[role] = {apiKey, scopes: scopes.split(', ')}
  return keys
}

async function verifies(url: string, apiKey: string): Promise<number> {
  return (await call(url, 'verifyapikey', {key: apiKey})).status
}

describe('sandbox start', {concurrency: true}, () => {
  it('--port 0 --json: one document once listening, request logs on stderr; later starts show no keys; SIGTERM, SIGINT and --reset', async () => {
    const h = home()
    const first = await startSandboxCli(h, ['--port', '0', '--json'])
    const doc = onlyJson({stdout: first.stdout()} as CliResult) as SandboxDocument
    const {data} = doc
    assert.equal(doc.success, true)
    assert.ok(Number.isInteger(data.port) && data.port > 0, `port ${data.port}`)
    assert.equal(data.url, `http://127.0.0.1:${data.port}`)
    assert.equal(data.host, '127.0.0.1')
    assert.equal(data.dataFile, defaultDataFile(h), 'the default data file is under $XDG_DATA_HOME/codika/')
    assert.equal(data.clockOffsetMs, 0)
    assert.equal(doc.profile, null)
    assert.deepEqual(doc.warnings, [])
    const seeded = data.seeded!
    assert.equal(seeded.organizationName, 'Sandbox Org')
    assert.match(seeded.organizationId, /^org_/)
    const roles = [seeded.owner, seeded.admin, seeded.member]
    assert.deepEqual(
      roles.map((k) => k.role),
      ['owner', 'admin', 'member'],
    )
    for (const key of roles) {
      assert.match(key.apiKey, /^ckp_[A-Za-z0-9_-]{43,}$/, 'at least 32 random bytes')
      assert.equal(key.keyPrefix, key.apiKey.slice(0, 12))
      assert.equal(key.type, 'personal-api-key')
    }
    assert.equal(new Set(roles.map((k) => k.apiKey)).size, 3)
    assert.deepEqual(seeded.owner.scopes, [...ORGANIZATION_SCOPE_NAMES, ORGANIZATIONS_CREATE])
    assert.ok(!seeded.member.scopes.includes('api-keys:manage'))

    // The keys are real, and each request is logged on stderr (never on stdout, never with the key).
    for (const key of roles) {
      const reply = await call(data.url, 'verifyapikey', {key: key.apiKey})
      assert.equal(reply.status, 200)
      assert.equal(reply.body.data.keyName, key.keyName)
    }
    await first.waitForStderr(/^(?:POST \/verifyapikey .*\n){3}/)
    const logs = first.stderr().trimEnd().split('\n')
    assert.equal(logs.length, 3, first.stderr())
    for (const line of logs) assert.match(line, REQUEST_LOG)

    // While it runs, a second sandbox on the same file is refused.
    const clash = await runCli(h, ['sandbox', 'start', '--port', '0'])
    assertHumanFailure(clash, 1, /another sandbox \(pid \d+\)/)

    assert.deepEqual(await first.stop('SIGTERM'), {code: 0, signal: null})
    assert.deepEqual(JSON.parse(first.stdout()), doc, 'nothing more on stdout after the document')
    assert.ok(!existsSync(`${data.dataFile}.pid`), 'a clean stop releases the data file')

    // Second start, human mode, same file: the data is there, the keys are not shown again, --login cannot apply.
    const second = await startSandboxCli(h, ['--port', '0', '--login'])
    const url = /^Codika sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(second.stdout())?.[1]
    assert.ok(url, second.stdout())
    assert.match(second.stdout(), /Seeded on an earlier start: its keys are not shown again/)
    assert.doesNotMatch(second.stdout(), RAW_KEY)
    assert.match(second.stderr(), /^Warning: --login needs the seeded keys/m)
    assert.ok(!existsSync(configFile(h)), 'no profile saved without a key to save')
    assert.equal(await verifies(url, seeded.owner.apiKey), 200, 'the data survived the restart')
    const stopped = await second.stop('SIGINT')
    assert.deepEqual(stopped, {code: 0, signal: null})
    assert.match(second.stderr(), /^Sandbox stopped \(SIGINT\)\.$/m)

    // --reset: the file opens again, starts empty and is seeded afresh; the old keys are gone.
    const third = await startSandboxCli(h, ['--port', '0', '--reset', '--json'])
    const reset = JSON.parse(third.stdout()) as SandboxDocument
    try {
      assert.equal(reset.data.dataFile, data.dataFile)
      assert.ok(reset.data.seeded, 'seeded again')
      assert.notEqual(reset.data.seeded.owner.apiKey, seeded.owner.apiKey)
      assert.notEqual(reset.data.seeded.organizationId, seeded.organizationId)
      assert.equal(await verifies(reset.data.url, reset.data.seeded.owner.apiKey), 200)
      assert.equal(await verifies(reset.data.url, seeded.owner.apiKey), 401)
    } finally {
      assert.deepEqual(await third.stop('SIGTERM'), {code: 0, signal: null})
    }
  })

  it('human mode: the URL, the data file and the three keys once, a login line that works; the clock offset shown', async () => {
    const h = home()
    const dataFile = join(h, 'elsewhere', 'nested', 'sb.db')
    const started = await startSandboxCli(h, ['--port', '0', '--data', dataFile], {
      env: {CODIKA_SANDBOX_CLOCK_OFFSET: '+1h'},
    })
    try {
      const out = started.stdout()
      const url = /^Codika sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1]
      assert.ok(url, out)
      assert.ok(out.includes(`\n  Data: ${dataFile}\n`), out)
      assert.match(out, /^ {2}Clock shifted by 3600 s \(CODIKA_SANDBOX_CLOCK_OFFSET\)$/m)
      assert.match(out, /^First start: created "Sandbox Org" \(org_\w+\)\.$/m)
      const keys = bannerKeys(out)
      assert.deepEqual(Object.keys(keys), ['owner', 'admin', 'member'])
      assert.ok(keys.owner.scopes.includes(ORGANIZATIONS_CREATE))
      assert.ok(!keys.member.scopes.includes('api-keys:manage'))
      for (const {apiKey} of Object.values(keys)) assert.equal(await verifies(url, apiKey), 200)
      assert.equal(started.stderr().includes(keys.owner.apiKey), false)

      // The sandbox's clock runs an hour ahead of the real one.
      const health = await fetch(`${url}/health`).then((r) => r.json() as Promise<{data: {now: string}}>)
      assert.ok(Math.abs(Date.parse(health.data.now) - Date.now() - 3_600_000) < 60_000, health.data.now)

      // The banner's advice, run as printed.
      const login = /^Log in: {2}codika (login --api-key \S+ --base-url \S+)$/m.exec(out)
      assert.ok(login, out)
      const loggedIn = await runCli(h, login[1].split(' '))
      assert.equal(loggedIn.code, 0, loggedIn.stderr)
      assert.equal(readConfig(h).profiles[readConfig(h).activeProfile].baseUrl, url)
    } finally {
      assert.deepEqual(await started.stop('SIGTERM'), {code: 0, signal: null})
    }
    assert.match(started.stderr(), /^Sandbox stopped \(SIGTERM\)\.$/m)
    assert.ok(existsSync(dataFile), 'the folders of --data are created')
  })

  it('--login saves the owner key as the active profile "sandbox" (0600) pointing at the sandbox; whoami works with it', async () => {
    const h = home()
    const started = await startSandboxCli(h, ['--port', '0', '--json', '--login'])
    try {
      const {data, profile} = JSON.parse(started.stdout()) as SandboxDocument
      assert.equal(profile, 'sandbox')
      const config = readConfig(h)
      assert.equal(config.activeProfile, 'sandbox')
      assert.equal(config.profiles.sandbox.apiKey, data.seeded!.owner.apiKey)
      assert.equal(config.profiles.sandbox.type, 'personal-api-key')
      assert.equal(config.profiles.sandbox.baseUrl, data.url)
      assert.equal(statSync(configFile(h)).mode & 0o777, 0o600)
      assert.equal(statSync(dirname(configFile(h))).mode & 0o777, 0o700)

      const whoami = await runCli(h, ['whoami'])
      assert.equal(whoami.code, 0, whoami.stderr)
      assert.match(whoami.stdout, /Key verified/)
      assert.match(whoami.stdout, /Sandbox Owner key/)
      assert.match(whoami.stdout, /Key from: +profile "sandbox" \(active\)/)
      assert.ok(whoami.stdout.includes(data.url))
      assert.doesNotMatch(whoami.stdout + whoami.stderr, RAW_KEY)
    } finally {
      assert.deepEqual(await started.stop('SIGTERM'), {code: 0, signal: null})
    }
  })

  // Issue 10, item 1: a profile "sandbox" holding another key is never replaced without consent.
  it('--login off a terminal keeps a profile "sandbox" that holds another key and saves as "sandbox-2", saying so; --force replaces', async () => {
    const h = home()
    const OTHER = `ckp_${'K'.repeat(43)}`
    writeConfig(h, {
      activeProfile: 'sandbox',
      profiles: {sandbox: {apiKey: OTHER, type: 'personal-api-key', baseUrl: 'https://example.invalid'}},
    })
    const started = await startSandboxCli(h, ['--port', '0', '--json', '--login', '--reset'])
    try {
      const {data, profile, warnings} = JSON.parse(started.stdout()) as SandboxDocument
      assert.equal(profile, 'sandbox-2')
      assert.deepEqual(warnings, [
        'Profile "sandbox" holds another key, which stays; the owner key is saved as "sandbox-2" (--force replaces "sandbox").',
      ])
      const config = readConfig(h)
      assert.equal(config.profiles.sandbox.apiKey, OTHER, 'the other key is kept')
      assert.equal(config.profiles['sandbox-2'].apiKey, data.seeded!.owner.apiKey)
      assert.equal(config.activeProfile, 'sandbox-2')
    } finally {
      assert.deepEqual(await started.stop('SIGTERM'), {code: 0, signal: null})
    }
    // Human mode says it on stderr.
    const human = await startSandboxCli(h, ['--port', '0', '--login', '--reset'])
    try {
      assert.match(
        human.stderr(),
        /^Warning: Profile "sandbox" holds another key, which stays; the owner key is saved as "sandbox-3"/m,
      )
      assert.doesNotMatch(human.stderr(), RAW_KEY)
    } finally {
      assert.deepEqual(await human.stop('SIGTERM'), {code: 0, signal: null})
    }
    const forced = await startSandboxCli(h, ['--port', '0', '--json', '--login', '--reset', '--force'])
    try {
      const {data, profile, warnings} = JSON.parse(forced.stdout()) as SandboxDocument
      assert.equal(profile, 'sandbox')
      assert.deepEqual(warnings, [])
      assert.equal(readConfig(h).profiles.sandbox.apiKey, data.seeded!.owner.apiKey)
    } finally {
      assert.deepEqual(await forced.stop('SIGTERM'), {code: 0, signal: null})
    }
  })

  it('--login on a terminal asks before it replaces a profile "sandbox" holding another key: no keeps it, yes replaces', async () => {
    const h = home()
    const OTHER = `ckp_${'Q'.repeat(43)}`
    writeConfig(h, {activeProfile: 'sandbox', profiles: {sandbox: {apiKey: OTHER, type: 'personal-api-key'}}})
    const question = /Profile "sandbox" holds a different key\. Replace it with this sandbox's owner key\? \[y\/N\]/
    const no = await runInPty(h, ['sandbox', 'start', '--port', '0', '--reset', '--login'], {
      steps: [
        {waitFor: question, send: 'n\r'},
        {waitFor: /Press Ctrl\+C to stop\./, send: '\u0003'},
      ],
    })
    assert.equal(no.code, 0, no.screen)
    assert.match(
      stripVTControlCharacters(no.screen),
      /Warning: Could not save the profile "sandbox": Profile "sandbox" holds a different key/,
    )
    assert.equal(readConfig(h).profiles.sandbox.apiKey, OTHER)
    assert.deepEqual(Object.keys(readConfig(h).profiles), ['sandbox'])

    const yes = await runInPty(h, ['sandbox', 'start', '--port', '0', '--reset', '--login'], {
      steps: [
        {waitFor: question, send: 'y\r'},
        {waitFor: /Press Ctrl\+C to stop\./, send: '\u0003'},
      ],
    })
    assert.equal(yes.code, 0, yes.screen)
    assert.notEqual(readConfig(h).profiles.sandbox.apiKey, OTHER)
    assert.deepEqual(Object.keys(readConfig(h).profiles), ['sandbox'])
  })

  it('--force without --login is a usage error (exit 2), and nothing starts', async () => {
    const result = await runCli(home(), ['sandbox', 'start', '--port', '0', '--force'])
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /--login/)
  })

  it('--host 0.0.0.0 warns on stderr (also with --json) and still gives a loopback URL', async () => {
    const [human, json] = await Promise.all([
      startSandboxCli(home(), ['--port', '0', '--host', '0.0.0.0']),
      startSandboxCli(home(), ['--port', '0', '--host', '0.0.0.0', '--json']),
    ])
    try {
      const warning = /^Warning: Listening on 0\.0\.0\.0: other machines can reach this sandbox\.$/m
      assert.match(human.stderr(), warning)
      const url = /^Codika sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(human.stdout())?.[1]
      assert.ok(url, human.stdout())
      assert.equal((await fetch(`${url}/health`)).status, 200)

      const doc = JSON.parse(json.stdout()) as SandboxDocument
      assert.equal(doc.data.host, '0.0.0.0')
      assert.equal(doc.data.url, `http://127.0.0.1:${doc.data.port}`)
      assert.deepEqual(doc.warnings, ['Listening on 0.0.0.0: other machines can reach this sandbox.'])
      assert.match(json.stderr(), warning)
      assert.equal((await fetch(`${doc.data.url}/health`)).status, 200)
    } finally {
      for (const stop of await Promise.all([human.stop(), json.stop()])) assert.deepEqual(stop, {code: 0, signal: null})
    }
  })

  it('a SIGTERM during start-up (after the --host warning, before listening) still ends in a clean stop, exit 0', async () => {
    const h = home()
    const child = spawn(process.execPath, [BIN, 'sandbox', 'start', '--port', '0', '--host', '0.0.0.0'], {
      cwd: h,
      env: cleanEnv(h),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // The warning comes after the signal handlers are set up and before the sandbox listens.
      if (!stderr && chunk.startsWith('Warning:')) child.kill('SIGTERM')
      stderr += chunk
    })
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    )
    assert.deepEqual({code, signal}, {code: 0, signal: null}, stderr)
    assert.match(stderr, /^Sandbox stopped \(SIGTERM\)\.$/m)
    assert.ok(!existsSync(`${defaultDataFile(h)}.pid`), 'the data file was released')
  })

  it('a port in use: exit 1 with a clear message; that failed start does not use up the one-time keys', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    const [h1, h2] = [home(), home()]
    try {
      const [human, json] = await Promise.all([
        runCli(h1, ['sandbox', 'start', '--port', String(port)]),
        runCli(h2, ['sandbox', 'start', '--port', String(port), '--json']),
      ])
      assertHumanFailure(human, 1, new RegExp(`^Error: Port ${port} on 127\\.0\\.0\\.1 is already in use\\.$`))
      assert.match(human.stderr, /--port 0 for any free port/)
      const doc = assertJsonFailure(json, 1, 'SANDBOX_ERROR')
      assert.equal(doc.error.message, `Port ${port} on 127.0.0.1 is already in use.`)
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
    const retry = await startSandboxCli(h1, ['--port', '0', '--json'])
    try {
      assert.ok(
        (JSON.parse(retry.stdout()) as SandboxDocument).data.seeded,
        'the keys are shown on the first start that listens',
      )
    } finally {
      await retry.stop()
    }
  })

  it('refusals before anything starts: bad --port, bad CODIKA_SANDBOX_CLOCK_OFFSET, a folder as --data, a file that is not a sandbox database (exit 2); a path through a file (exit 1)', async () => {
    const badPorts = ['70000', '-1', 'abc'].map(async (port) => {
      const h = home()
      const [human, json] = await Promise.all([
        runCli(h, ['sandbox', 'start', '--port', port]),
        runCli(h, ['sandbox', 'start', '--port', port, '--json']),
      ])
      assertHumanFailure(human, 2, /--port/)
      assertJsonFailure(json, 2, 'INVALID_FLAG')
      assert.ok(!existsSync(join(h, 'data')), 'no data file created')
    })
    const badClock = (async () => {
      const h = home()
      const env = {CODIKA_SANDBOX_CLOCK_OFFSET: 'garbage'}
      const [human, json] = await Promise.all([
        runCli(h, ['sandbox', 'start', '--port', '0'], {env}),
        runCli(h, ['sandbox', 'start', '--port', '0', '--json'], {env}),
      ])
      assertHumanFailure(
        human,
        2,
        /CODIKA_SANDBOX_CLOCK_OFFSET="garbage" is not an offset; use a signed amount such as \+8d/,
      )
      const doc = assertJsonFailure(json, 2, 'INVALID_ARGUMENT')
      assert.match(doc.error.message, /CODIKA_SANDBOX_CLOCK_OFFSET/)
      assert.ok(!existsSync(join(h, 'data')), 'no data file created')
    })()
    const notSandbox = (async () => {
      const h = home()
      const file = join(h, 'notes.db')
      mkdirSync(dirname(file), {recursive: true})
      writeFileSync(file, 'these are my notes, not a database\n'.repeat(200))
      const result = await runCli(h, ['sandbox', 'start', '--port', '0', '--data', file])
      assertHumanFailure(result, 2, /is a text file of 7000 bytes, not a sandbox database; it was left as it is/)
      // --reset would delete it: never suggested for a file the sandbox did not make.
      assert.doesNotMatch(result.stderr, /--reset/)
      assertNoStack(result.stderr)
    })()
    const unusable = (async () => {
      const h = home()
      const folder = join(h, 'a-folder')
      const file = join(h, 'a-file')
      mkdirSync(folder)
      writeFileSync(file, '')
      const [isFolder, isFolderReset, underFile] = await Promise.all([
        runCli(h, ['sandbox', 'start', '--port', '0', '--data', folder]),
        runCli(h, ['sandbox', 'start', '--port', '0', '--data', folder, '--reset', '--json']),
        runCli(h, ['sandbox', 'start', '--port', '0', '--data', join(file, 'sandbox.db')]),
      ])
      assertHumanFailure(isFolder, 2, /is a folder; it takes the path of a file\.$/)
      assert.ok(isFolder.stderr.startsWith(`Error: --data ${folder} is a folder`), isFolder.stderr)
      assertJsonFailure(isFolderReset, 2, 'INVALID_FLAG')
      assert.ok(existsSync(folder), '--reset never deletes a folder')
      assertHumanFailure(
        underFile,
        1,
        /^Error: Cannot use the data file .*a-file\/sandbox\.db: a part of its path is a file, not a folder/,
      )
      assert.match(underFile.stderr, /^Hint: Choose another file with --data\.$/m)
    })()
    await Promise.all([...badPorts, badClock, notSandbox, unusable])
  })
})
