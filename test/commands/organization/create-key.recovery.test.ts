// A key the platform made is never lost (issue 10, item 3): an answer that carries the new cko_ key but strays from
// the contract elsewhere still shows and saves it, with a warning; output that cannot be written (a full disk, a
// closed pipe) is one clear error on stderr naming the key's id and profile — not a Node stack trace.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {describe, it} from 'node:test'

import {assertHumanFailure, assertJsonFailure, assertNoStack, onlyJson, readConfig} from '../../helpers/assertions.js'
import {BIN, cleanEnv, runCli} from '../../helpers/cli.js'
import {createdKey, fakePlatformForFile, okEnvelope} from '../../helpers/fake-platform.js'

const CALLER = `ckp_${'P'.repeat(43)}`
const NEW_KEY = `cko_${'N'.repeat(43)}`
const ARGS = [
  'organization',
  'create-key',
  '--organization-id',
  'org_1',
  '--name',
  'CI Key',
  '--scopes',
  'deploy:use-case',
]

const {platform, homes} = fakePlatformForFile()

/** An answer with the new key whose data strays from the contract as `changes` say (undefined removes a field). */
function strayAnswer(changes: Record<string, unknown>) {
  const answer = createdKey({name: 'CI Key', scopes: ['deploy:use-case'], organizationId: 'org_1'}, {apiKey: NEW_KEY})
  const data: Record<string, unknown> = {...(answer.data as Record<string, unknown>), ...changes}
  for (const [field, value] of Object.entries(changes)) if (value === undefined) delete data[field]
  return {...answer, data}
}

describe('an answer that carries the key but strays from the contract', () => {
  it('expiresAt: null and no keyPrefix: the key is shown with a warning and saved, exit 0', async () => {
    const url = platform.route('stray-human', {json: strayAnswer({expiresAt: null, keyPrefix: undefined})})
    const home = homes.home()
    const result = await runCli(home, [...ARGS, '--api-key', CALLER, '--api-url', url])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(`API Key: +${NEW_KEY}`))
    assert.match(result.stdout, /Key ID: +abc123-def456/)
    assert.match(result.stdout, /Saved as profile "org-api-key-ci-key" \(now active\)/)
    assert.match(result.stderr, /Warning: .*breaks the contract: data.*cannot be fetched again/)
    const saved = readConfig(home).profiles['org-api-key-ci-key']
    assert.equal(saved.apiKey, NEW_KEY)
    assert.equal(saved.keyPrefix, NEW_KEY.slice(0, 12), 'the prefix is the key’s first 12 characters')
    assert.equal(saved.keyId, 'abc123-def456')
    assert.ok(!('expiresAt' in saved), 'what broke the contract is not saved')
  })

  it('with --json: the key in the document, the problem in warnings', async () => {
    const url = platform.route('stray-json', {json: strayAnswer({keyId: undefined, scopes: 'deploy:use-case'})})
    const home = homes.home()
    const result = await runCli(home, [...ARGS, '--api-key', CALLER, '--api-url', url, '--json'])
    assert.equal(result.code, 0, result.stderr)
    const doc = onlyJson(result)
    assert.equal(doc.data.apiKey, NEW_KEY)
    assert.equal(doc.profile, 'org-api-key-ci-key')
    assert.equal(doc.warnings.length, 1)
    assert.match(doc.warnings[0], /breaks the contract/)
    assert.equal(readConfig(home).profiles['org-api-key-ci-key'].apiKey, NEW_KEY)
  })

  it('without a usable cko_ key there is nothing to keep: INVALID_RESPONSE, exit 1, nothing saved', async () => {
    for (const [prefix, answer] of [
      ['stray-nokey', strayAnswer({apiKey: undefined})],
      ['stray-ckp', strayAnswer({apiKey: `ckp_${'X'.repeat(43)}`, keyPrefix: null})],
      ['stray-fail', {...okEnvelope({apiKey: NEW_KEY}), success: false}],
    ] as const) {
      const url = platform.route(prefix, {json: answer})
      const home = homes.home()
      const result = await runCli(home, [...ARGS, '--api-key', CALLER, '--api-url', url, '--json'])
      assertJsonFailure(result, 1, 'INVALID_RESPONSE')
      assert.ok(!result.stdout.includes(NEW_KEY.slice(4, 20)))
    }
  })
})

/** Runs the CLI with stdout going to `target`: /dev/full, or a pipe the reader closes at once. */
function runWithBrokenStdout(home: string, args: string[], target: 'full' | 'closed-pipe') {
  return new Promise<{code: number | null; stderr: string}>((resolve, reject) => {
    const fd = target === 'full' ? openSync('/dev/full', 'w') : undefined
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: home,
      env: cleanEnv(home),
      stdio: ['ignore', fd ?? 'pipe', 'pipe'],
    })
    if (fd !== undefined) closeSync(fd)
    else child.stdout!.destroy()
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr}))
  })
}

describe('stdout that cannot be written', () => {
  for (const target of ['full', 'closed-pipe'] as const) {
    for (const json of [false, true]) {
      it(`${target === 'full' ? '> /dev/full' : 'a closed pipe'}${json ? ' with --json' : ''}: one error naming the key's id and profile`, async () => {
        const url = platform.route(`out-${target}-${json}`)
        const home = homes.home()
        const result = await runWithBrokenStdout(
          home,
          [...ARGS, '--api-key', CALLER, '--api-url', url, ...(json ? ['--json'] : [])],
          target,
        )
        assertHumanFailure(
          {...result, stdout: '', json: () => JSON.parse('{}')},
          1,
          /Cannot write the output to stdout/,
        )
        assert.match(
          result.stderr,
          /The key abc123-def456 was created on the platform\. It is saved as profile "org-api-key-ci-key"/,
        )
        assertNoStack(result.stderr)
        assert.ok(readConfig(home).profiles['org-api-key-ci-key'], 'the key is in its profile')
      })
    }
  }

  it('a failure before anything was made says nothing of a key', async () => {
    const home = homes.home()
    const result = await runWithBrokenStdout(home, ['profile', 'list'], 'full')
    assert.equal(result.code, 1)
    assert.match(result.stderr, /Cannot write the output to stdout: no space left on the device/)
    assert.doesNotMatch(result.stderr, /key/i)
  })
})

it('a failure that is not about the output is still a --json document', async () => {
  const url = platform.route('plain-error', {
    status: 403,
    json: {success: false, error: {message: 'no'}, requestId: 'r'},
  })
  assertJsonFailure(
    await runCli(homes.home(), [...ARGS, '--api-key', CALLER, '--api-url', url, '--json']),
    1,
    'API_ERROR',
  )
  assertHumanFailure(await runCli(homes.home(), [...ARGS, '--api-key', CALLER, '--api-url', url]), 1, /no/)
})
