// CODIKA_SANDBOX_CLOCK_OFFSET: how it is read, and that it moves the sandbox's expiry checks and timestamps.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {test} from 'node:test'

import {CLOCK_OFFSET_ENV, parseClockOffset, startSandbox} from '../../src/sandbox/server.js'
import {call, DAY_MS, tempDir} from './helpers.js'

const HOUR_MS = 3_600_000

test('offsets: signed amounts with a unit, or bare seconds', () => {
  assert.equal(parseClockOffset(undefined), 0)
  assert.equal(parseClockOffset(''), 0)
  assert.equal(parseClockOffset('+8d'), 8 * DAY_MS)
  assert.equal(parseClockOffset('-2h'), -2 * HOUR_MS)
  assert.equal(parseClockOffset('30m'), 30 * 60_000)
  assert.equal(parseClockOffset('90s'), 90_000)
  assert.equal(parseClockOffset('1w'), 7 * DAY_MS)
  assert.equal(parseClockOffset('-3600'), -HOUR_MS)
  assert.equal(parseClockOffset(' +1.5d '), 1.5 * DAY_MS)
  for (const bad of ['8 days', 'tomorrow', '+-1d', '1y', 'd']) {
    assert.throws(() => parseClockOffset(bad), new RegExp(CLOCK_OFFSET_ENV), bad)
  }
})

test('a sandbox restarted 8 days ahead rejects a key that expires in 7', async () => {
  const {dir, remove} = tempDir()
  const dataFile = join(dir, 'sandbox.db')
  try {
    const today = await startSandbox({port: 0, dataFile, env: {}})
    const created = await call(today.url, 'createorganizationapikeypublic', {
      key: today.seeded!.owner.apiKey,
      body: {organizationId: today.seeded!.organizationId, name: 'Week', scopes: ['projects:read'], expiresInDays: 7},
    })
    assert.equal(created.status, 200)
    await today.close()

    const later = await startSandbox({port: 0, dataFile, env: {[CLOCK_OFFSET_ENV]: '+8d'}})
    try {
      assert.equal(later.clockOffsetMs, 8 * DAY_MS)
      const reply = await call(later.url, 'verifyapikey', {key: created.body.data.apiKey})
      assert.equal(reply.status, 401)
      assert.equal(reply.body.error.message, `API key expired on ${created.body.data.expiresAt}`)
      const health = await call(later.url, 'health', {method: 'GET'})
      assert.ok(Math.abs(Date.parse(health.body.data.now) - (Date.now() + 8 * DAY_MS)) < 60_000)
    } finally {
      await later.close()
    }
  } finally {
    remove()
  }
})

test('timestamps written by the sandbox follow the shifted clock', async () => {
  const {dir, remove} = tempDir()
  try {
    const sandbox = await startSandbox({port: 0, dataFile: join(dir, 'sandbox.db'), env: {[CLOCK_OFFSET_ENV]: '-2h'}})
    try {
      const created = await call(sandbox.url, 'createorganizationapikeypublic', {
        key: sandbox.seeded!.owner.apiKey,
        body: {
          organizationId: sandbox.seeded!.organizationId,
          name: 'Past',
          scopes: ['projects:read'],
          expiresInDays: 1,
        },
      })
      const createdAt = Date.parse(created.body.data.createdAt)
      assert.ok(Math.abs(createdAt - (Date.now() - 2 * HOUR_MS)) < 60_000)
      assert.equal(Date.parse(created.body.data.expiresAt) - createdAt, DAY_MS)
    } finally {
      await sandbox.close()
    }
  } finally {
    remove()
  }
})

test('an unreadable offset stops the sandbox from starting', async () => {
  const {dir, remove} = tempDir()
  try {
    await assert.rejects(
      startSandbox({port: 0, dataFile: join(dir, 'sandbox.db'), env: {[CLOCK_OFFSET_ENV]: 'soon'}}),
      new RegExp(CLOCK_OFFSET_ENV),
    )
  } finally {
    remove()
  }
})
