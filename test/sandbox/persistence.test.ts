// Durability: acknowledged writes survive kill -9 of the server, a torn transaction is rolled back, keys stay hashed.
import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {createInterface} from 'node:readline'
import {after, test} from 'node:test'
import {fileURLToPath} from 'node:url'

import {type SeededSandbox, startSandbox} from '../../src/sandbox/server.js'
import {SandboxStore} from '../../src/sandbox/store.js'
import {call, tempDir} from './helpers.js'
import {countKeys, integrityCheck} from '../helpers/sandbox-store.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const folders: (() => void)[] = []
after(() => folders.forEach((remove) => remove()))

function newDataFile(): string {
  const {dir, remove} = tempDir()
  folders.push(remove)
  return join(dir, 'sandbox.db')
}

function spawnFixture(name: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', name), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
}

async function firstLine(child: ChildProcess): Promise<string> {
  for await (const line of createInterface({input: child.stdout!})) return line
  throw new Error('the child printed nothing')
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode)
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
}

test('keys written before a kill -9 verify after a restart on the same file', async () => {
  const dataFile = newDataFile()
  const child = spawnFixture('run-sandbox.ts', [dataFile])
  let url: string
  let seeded: SeededSandbox
  try {
    ;({url, seeded} = JSON.parse(await firstLine(child)))
    const owner = seeded.owner.apiKey
    const created = await call(url, 'createorganizationapikeypublic', {
      key: owner,
      body: {organizationId: seeded.organizationId, name: 'Survivor', scopes: ['deploy:use-case'], expiresInDays: 30},
    })
    assert.equal(created.status, 200)
    const {apiKey, keyId} = created.body.data
    const updated = await call(url, 'updateorganizationapikeypublic', {
      key: owner,
      body: {keyId, scopes: ['deploy:use-case', 'projects:read']},
    })
    assert.equal(updated.status, 200)
    const org = await call(url, 'createorganizationviaapikey', {key: owner, body: {name: 'Created Before Crash'}})
    assert.equal(org.status, 200)

    // While the first sandbox lives, a second one on the same file is refused rather than corrupting it.
    await assert.rejects(startSandbox({port: 0, dataFile, env: {}}), {code: 'DATA_FILE_IN_USE'})

    child.kill('SIGKILL')
    assert.equal(await exited(child), 'SIGKILL')
    assert.ok(existsSync(`${dataFile}.pid`) && existsSync(`${dataFile}.lock`), 'the crash left its pid file and lock')

    const restarted = await startSandbox({port: 0, dataFile, env: {}})
    try {
      assert.equal(restarted.seeded, undefined, 'no second seeding')
      const verified = await call(restarted.url, 'verifyapikey', {key: apiKey})
      assert.equal(verified.status, 200)
      assert.equal(verified.body.data.keyName, 'Survivor')
      assert.deepEqual(verified.body.data.scopes, ['deploy:use-case', 'projects:read'])
      assert.equal((await call(restarted.url, 'verifyapikey', {key: owner})).status, 200)
      const inNewOrg = await call(restarted.url, 'createorganizationapikeypublic', {
        key: owner,
        body: {organizationId: org.body.data.organizationId, name: 'After', scopes: ['projects:read']},
      })
      assert.equal(inNewOrg.status, 200, 'the organization and its owner survived')
    } finally {
      await restarted.close()
    }

    const store = SandboxStore.open(dataFile)
    try {
      assert.equal(integrityCheck(store), 'ok')
    } finally {
      store.close()
    }

    // The file keeps digests only: no raw key, not even the random part without its prefix.
    const bytes = Buffer.concat([dataFile, `${dataFile}-journal`].filter(existsSync).map((f) => readFileSync(f)))
    for (const raw of [apiKey, seeded.owner.apiKey, seeded.admin.apiKey, seeded.member.apiKey]) {
      assert.equal(bytes.includes(raw), false, `${raw.slice(0, 12)}… is in the database file`)
      assert.equal(bytes.includes(raw.slice(4)), false)
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
})

test('a transaction torn by kill -9 is rolled back; committed data stays', async () => {
  const dataFile = newDataFile()
  const first = await startSandbox({port: 0, dataFile, env: {}})
  const {organizationId, owner} = first.seeded!
  const created = await call(first.url, 'createorganizationapikeypublic', {
    key: owner.apiKey,
    body: {organizationId, name: 'Committed', scopes: ['projects:read']},
  })
  assert.equal(created.status, 200)
  await first.close()
  const sizeBefore = statSync(dataFile).size

  const child = spawnFixture('crash-mid-transaction.ts', [dataFile, organizationId])
  assert.equal(await firstLine(child), 'inside')
  assert.equal(await exited(child), 'SIGKILL')
  assert.ok(statSync(`${dataFile}-journal`).size > 0, 'a hot journal was left behind')
  assert.ok(statSync(dataFile).size > sizeBefore, 'uncommitted pages had reached the database file')

  const restarted = await startSandbox({port: 0, dataFile, env: {}})
  try {
    assert.equal((await call(restarted.url, 'verifyapikey', {key: created.body.data.apiKey})).status, 200)
  } finally {
    await restarted.close()
  }
  const store = SandboxStore.open(dataFile)
  try {
    assert.equal(integrityCheck(store), 'ok')
    assert.equal(countKeys(store), 4, 'three seeded keys and the committed one, none of the torn transaction')
  } finally {
    store.close()
  }
})
