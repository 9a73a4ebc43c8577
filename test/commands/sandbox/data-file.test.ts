// `sandbox start --data FILE` never writes to or deletes a file it did not make (issue 10, item 2): a file that is
// not a sandbox database is refused (exit 2) saying what it is, with and without --reset, and no hint suggests
// --reset for it; the profile file is named as such. A missing or empty file, or a sandbox database, is fine.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import sqlite from 'node-sqlite3-wasm'

import {assertJsonFailure, fileBytes, writeConfig} from '../../helpers/assertions.js'
import {configFile, runCli, tempHomes} from '../../helpers/cli.js'
import {killLeftovers, type SandboxDocument, startSandboxCli} from '../../helpers/sandbox-cli.js'

const homes = tempHomes()
after(() => {
  killLeftovers()
  homes.cleanup()
})

/** Another program's SQLite database: one table, no sandbox application id. */
function foreignDatabase(path: string): void {
  const db = new sqlite.Database(path)
  db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')")
  db.close()
}

const files: Array<[string, (path: string) => void, RegExp]> = [
  [
    'a text file',
    (path) => writeFileSync(path, '{"notes": "mine"}\n'),
    /is a text file of 18 bytes, not a sandbox database/,
  ],
  [
    'a binary file',
    (path) => writeFileSync(path, randomBytes(3000)),
    /is a binary file of 3000 bytes, not a sandbox database/,
  ],
  ['another program’s SQLite database', foreignDatabase, /is an SQLite database of another program/],
]

describe('a file that is not a sandbox database is left as it is', {concurrency: true}, () => {
  for (const [what, make, message] of files) {
    for (const reset of [false, true]) {
      it(`${what}${reset ? ', with --reset' : ''}: exit 2, unchanged, no --reset hint`, async () => {
        const home = homes.home()
        const data = join(home, 'precious.db')
        make(data)
        const before = fileBytes(data)
        const result = await runCli(home, [
          'sandbox',
          'start',
          '--port',
          '0',
          '--data',
          data,
          ...(reset ? ['--reset'] : []),
          '--json',
        ])
        const doc = assertJsonFailure(result, 2, 'INVALID_FLAG')
        assert.match(doc.error.message, message)
        assert.doesNotMatch(`${doc.error.message} ${doc.error.hint}`, /--reset/)
        assert.deepEqual(fileBytes(data), before, 'the file is byte for byte as it was')
      })
    }
  }

  for (const reset of [false, true]) {
    it(`the profile file${reset ? ', with --reset' : ''}: named as such, kept`, async () => {
      const home = homes.home()
      const path = writeConfig(home, {activeProfile: null, profiles: {}})
      const before = fileBytes(path)
      const result = await runCli(home, [
        'sandbox',
        'start',
        '--port',
        '0',
        '--data',
        configFile(home),
        ...(reset ? ['--reset'] : []),
      ])
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, /is codika's profile file/)
      assert.doesNotMatch(result.stderr, /--reset/)
      assert.deepEqual(fileBytes(path), before)
    })
  }
})

describe('what --reset may start afresh', {concurrency: true}, () => {
  for (const [what, make] of [
    ['a missing file', () => {}],
    ['an empty file', (path: string) => writeFileSync(path, '')],
  ] as const) {
    it(`${what}: starts and seeds`, async () => {
      const home = homes.home()
      const data = join(home, 'sandbox.db')
      make(data)
      const sandbox = await startSandboxCli(home, ['--port', '0', '--data', data, '--reset', '--json'])
      const doc = JSON.parse(sandbox.stdout()) as SandboxDocument
      assert.ok(doc.data.seeded, 'seeded')
      assert.equal((await sandbox.stop()).code, 0)
    })
  }
})
