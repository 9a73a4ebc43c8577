// `codika sandbox outbox` against a real `codika sandbox start`: asked of the running sandbox, read from the file once
// it stopped; a restart keeps the pending code pending and the used one used; the seeded people's addresses shown.
import assert from 'node:assert/strict'
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {assertHumanFailure, assertJsonFailure, onlyJson} from '../../helpers/assertions.js'
import {runCli, tempHomes} from '../../helpers/cli.js'
import {SandboxStore} from '../../../src/sandbox/store.js'
import {killLeftovers, type SandboxDocument, startSandboxCli} from '../../helpers/sandbox-cli.js'

const homes = tempHomes('codika-outbox-')
after(() => {
  killLeftovers()
  homes.cleanup()
})

const OWNER = 'owner@sandbox.codika.local'
const MEMBER = 'member@sandbox.codika.local'

describe('sandbox outbox', {concurrency: true}, () => {
  it('while the sandbox runs (asked over HTTP), after it stopped (the file), and across a restart', async () => {
    const h = homes.home()
    const first = await startSandboxCli(h, ['--port', '0', '--json'])
    const doc = JSON.parse(first.stdout()) as SandboxDocument
    const {url} = doc.data
    assert.deepEqual(
      doc.data.people.map((p) => [p.role, p.email]),
      [
        ['owner', OWNER],
        ['admin', 'admin@sandbox.codika.local'],
        ['member', MEMBER],
      ],
    )
    assert.equal(doc.data.seeded!.owner.email, OWNER)

    for (const email of [MEMBER, OWNER]) {
      const sent = await runCli(h, ['auth', 'login-request', '--email', email, '--base-url', url])
      assert.equal(sent.code, 0, sent.stderr)
    }
    await first.waitForStderr(/^outbox: login code \d{6} sent to owner@sandbox\.codika\.local \(valid until \S+\)$/m)

    // The default data file, as `sandbox start` uses it; the running sandbox answers.
    const running = await runCli(h, ['sandbox', 'outbox'])
    assert.equal(running.code, 0, running.stderr)
    assert.match(running.stdout, new RegExp(`^2 codes sent, newest first \\(outbox of the sandbox at ${url}\\):$`, 'm'))
    const lines = running.stdout.trimEnd().split('\n').slice(2)
    assert.equal(lines.length, 2)
    assert.match(lines[0], /^ {2}\S+Z {2}login {3}owner@sandbox\.codika\.local {3}expires \S+Z {2}\d{6}$/)
    assert.match(lines[1], /member@sandbox\.codika\.local/)

    const [asJson, everything] = await Promise.all([
      runCli(h, ['sandbox', 'outbox', '--email', MEMBER.toUpperCase(), '--json']),
      runCli(h, ['sandbox', 'outbox', '--json']),
    ])
    assert.equal(asJson.code, 0, asJson.stderr)
    const live = onlyJson(asJson)
    assert.equal(live.success, true)
    assert.equal(live.source, 'sandbox')
    assert.equal(live.url, url)
    assert.equal(live.dataFile, doc.data.dataFile)
    assert.equal(live.messages.length, 1)
    const [message] = live.messages
    assert.deepEqual(Object.keys(message).sort(), ['code', 'email', 'expiresAt', 'purpose', 'sentAt'])
    assert.equal(message.email, MEMBER)
    assert.equal(message.purpose, 'login')
    assert.ok(first.stderr().includes(`outbox: login code ${message.code} sent to ${MEMBER}`))

    const none = await runCli(h, ['sandbox', 'outbox', '--email', 'nobody@example.com'])
    assert.equal(none.code, 0)
    assert.match(none.stdout, /^No codes sent to nobody@example\.com \(outbox of the sandbox at /)

    // Stopped: the file itself, the same messages.
    assert.deepEqual(await first.stop(), {code: 0, signal: null})
    const stopped = await runCli(h, ['sandbox', 'outbox', '--json'])
    assert.equal(stopped.code, 0, stopped.stderr)
    const fromFile = onlyJson(stopped)
    assert.equal(fromFile.source, 'file')
    assert.equal(fromFile.url, null)
    assert.deepEqual(fromFile.messages, onlyJson(everything).messages)

    // Restarted (human banner): the addresses are shown; the pending code still works, once.
    const second = await startSandboxCli(h, ['--port', '0'])
    try {
      assert.match(second.stdout(), /^ {2}owner {3}owner@sandbox\.codika\.local$/m)
      assert.match(second.stdout(), /^ {2}member {2}member@sandbox\.codika\.local$/m)
      const url2 = /listening on (\S+)/.exec(second.stdout())![1]
      const args = ['auth', 'login-complete', '--email', MEMBER, '--code', message.code, '--base-url', url2, '--json']
      const done = await runCli(h, args)
      assert.equal(done.code, 0, done.stderr)
      assert.equal(onlyJson(done).profile, 'sandbox-org')
      const again = await runCli(h, args)
      assert.equal(assertJsonFailure(again, 1, 'API_ERROR').error.platformCode, 'OTP_ALREADY_USED')
    } finally {
      await second.stop()
    }
  })

  it('no data file: exit 1 with the fix; --data a folder, or a bad --email: exit 2', async () => {
    const h = homes.home()
    const [missing, folder, email] = await Promise.all([
      runCli(h, ['sandbox', 'outbox']),
      runCli(h, ['sandbox', 'outbox', '--data', h, '--json']),
      runCli(h, ['sandbox', 'outbox', '--email', 'not-an-address', '--json']),
    ])
    assertHumanFailure(missing, 1, /No sandbox data file at \S+sandbox\.db\./)
    assert.match(missing.stderr, /Hint: Start a sandbox first/)
    assertJsonFailure(folder, 2, 'INVALID_FLAG')
    assertJsonFailure(email, 2, 'INVALID_FLAG')
  })

  it('--data empty: exit 2 with the words sandbox start uses, and nothing written', async () => {
    const h = homes.home()
    // Everything but the cache folder (Node 22 and later keep their compile cache there on every run).
    const state = () => readdirSync(h, {recursive: true}).filter((path) => !String(path).startsWith('cache'))
    const before = state()
    const [human, json] = await Promise.all([
      runCli(h, ['sandbox', 'outbox', '--data', '']),
      runCli(h, ['sandbox', 'outbox', '--data', ' ', '--json']),
    ])
    assertHumanFailure(human, 2, /^Error: --data must not be empty; it takes the path of a file\.$/m)
    assertJsonFailure(json, 2, 'INVALID_FLAG')
    assert.match(JSON.parse(json.stdout).error.message, /--data must not be empty/)
    assert.deepEqual(state(), before)
  })

  it('a claim left by a dead sandbox: the file is read', async () => {
    const h = homes.home()
    const data = join(h, 'box', 'sandbox.db')
    mkdirSync(join(h, 'box'))
    // A data file of a sandbox that is gone, whose claim (pid and URL) was left behind.
    SandboxStore.open(data).close()
    writeFileSync(`${data}.pid`, '999999999\nhttp://127.0.0.1:1\n')
    const result = await runCli(h, ['sandbox', 'outbox', '--data', data, '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(onlyJson(result).source, 'file')
    assert.deepEqual(onlyJson(result).messages, [])
  })
})
