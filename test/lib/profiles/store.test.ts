// ProfileStore on real files in a temp folder: validated reads, locked atomic writes, modes, unknown fields.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import {dirname, join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {after, describe, it} from 'node:test'

import {CodikaError} from '../../../src/lib/errors.js'
import {ProfileStore} from '../../../src/lib/profiles/store.js'
import {tempHome} from '../../helpers/cli.js'

const root = tempHome('codika-store-')
after(() => root.cleanup())
let n = 0
/** A fresh store path: <tmp>/<n>/codika/config.json (nothing created yet). */
function storePath(): string {
  return join(root.home, String(++n), 'codika', 'config.json')
}
function seed(path: string, text: string, fileMode = 0o600, dirMode = 0o700): void {
  mkdirSync(dirname(path), {recursive: true})
  writeFileSync(path, text)
  chmodSync(path, fileMode)
  chmodSync(dirname(path), dirMode)
}
const mode = (path: string) => statSync(path).mode & 0o777
/** A read profile file as plain objects (the store keeps profiles in a map without a prototype). */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value))
const profile = (apiKey: string, extra: Record<string, unknown> = {}) => ({apiKey, type: 'org-api-key', ...extra})

function rejectsUnreadable(fn: () => unknown, path: string, problem: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CodikaError)
    assert.equal(e.code, 'CONFIG_UNREADABLE')
    assert.equal(e.exitCode, 1)
    assert.ok(e.message.includes(path), e.message)
    assert.match(e.message, problem)
    assert.match(e.hint ?? '', /Repair it by hand|move it aside/)
    return true
  })
}

describe('ProfileStore.read', () => {
  it('a missing file reads as no profiles, and nothing is created', () => {
    const path = storePath()
    assert.deepEqual(plain(new ProfileStore(path).read()), {activeProfile: null, profiles: {}})
    assert.throws(() => statSync(dirname(path)), /ENOENT/)
  })

  it('reads the contract layout; a file without "profiles" has none; a dangling active name means none', () => {
    const path = storePath()
    seed(path, JSON.stringify({activeProfile: 'a', profiles: {a: profile('cko_a')}}))
    assert.deepEqual(plain(new ProfileStore(path).read()), {activeProfile: 'a', profiles: {a: profile('cko_a')}})
    seed(path, '{}')
    assert.deepEqual(plain(new ProfileStore(path).read()), {activeProfile: null, profiles: {}})
    seed(path, JSON.stringify({activeProfile: 'gone', profiles: {a: profile('cko_a')}}))
    assert.equal(new ProfileStore(path).read().activeProfile, null)
  })

  const broken: Array<[string, string, RegExp]> = [
    ['bad JSON', '{"profiles": {', /not valid JSON/],
    ['empty file', '', /not valid JSON/],
    ['an array', '[]', /does not hold a JSON object/],
    ['"profiles": null', '{"profiles": null}', /"profiles" entry that is not an object/],
    ['"profiles": []', '{"profiles": []}', /"profiles" entry that is not an object/],
    ['a profile that is a string', '{"profiles": {"a": "cko_x"}}', /profile "a" that is not an object/],
    ['a profile without apiKey', '{"profiles": {"a": {"type": "org-api-key"}}}', /profile "a" without an "apiKey"/],
    [
      'a profile with an empty apiKey',
      '{"profiles": {"a": {"apiKey": "", "type": "org-api-key"}}}',
      /without an "apiKey"/,
    ],
    ['a profile without type', '{"profiles": {"a": {"apiKey": "cko_x"}}}', /without a "type"/],
    [
      'a numeric baseUrl',
      '{"profiles": {"a": {"apiKey": "cko_x", "type": "t", "baseUrl": 1}}}',
      /"baseUrl" is not a string/,
    ],
    ['a numeric activeProfile', '{"activeProfile": 3, "profiles": {}}', /"activeProfile"/],
  ]
  for (const [name, text, problem] of broken) {
    it(`${name}: an error with the path and a fix; update() leaves the file byte-identical`, async () => {
      const path = storePath()
      seed(path, text)
      const store = new ProfileStore(path)
      rejectsUnreadable(() => store.read(), path, problem)
      await assert.rejects(
        store.update((file) => {
          file.profiles.x = profile('cko_x')
        }),
        (e: unknown) => e instanceof CodikaError && e.code === 'CONFIG_UNREADABLE',
      )
      assert.equal(readFileSync(path, 'utf8'), text)
      assert.deepEqual(readdirSync(dirname(path)), ['config.json'], 'lock released, no temporary file')
    })
  }

  it('a path that cannot be read (a folder) is CONFIG_UNREADABLE with the path', () => {
    const path = storePath()
    mkdirSync(path, {recursive: true})
    assert.throws(
      () => new ProfileStore(path).read(),
      (e: unknown) => e instanceof CodikaError && e.code === 'CONFIG_UNREADABLE' && e.message.includes(path),
    )
  })
})

describe('ProfileStore.update', () => {
  it('creates the folder at 0700 and the file at 0600, and returns what the change returned', async () => {
    const path = storePath()
    const result = await new ProfileStore(path).update((file) => {
      file.profiles.a = profile('cko_a')
      file.activeProfile = 'a'
      return 'done'
    })
    assert.equal(result, 'done')
    assert.equal(mode(path), 0o600)
    assert.equal(mode(dirname(path)), 0o700)
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {activeProfile: 'a', profiles: {a: profile('cko_a')}})
    assert.deepEqual(readdirSync(dirname(path)), ['config.json'])
  })

  it('tightens a 0644 file and a 0755 folder', async () => {
    const path = storePath()
    seed(path, JSON.stringify({activeProfile: null, profiles: {}}), 0o644, 0o755)
    await new ProfileStore(path).update(() => {})
    assert.equal(mode(path), 0o600)
    assert.equal(mode(dirname(path)), 0o700)
  })

  it('keeps unknown fields, at the top and in profiles, exactly', async () => {
    const path = storePath()
    const original = {
      activeProfile: 'a',
      profiles: {
        a: profile('cko_a', {keyName: 'A', futureField: {deep: [1, {x: null}]}, 'odd key': true, revokedAt: null}),
      },
      telemetry: {optIn: false},
      version: 2,
    }
    seed(path, JSON.stringify(original))
    await new ProfileStore(path).update((file) => {
      file.profiles.b = profile('cko_b')
    })
    const after = JSON.parse(readFileSync(path, 'utf8'))
    assert.deepEqual(after.profiles.a, original.profiles.a)
    assert.deepEqual(after.telemetry, original.telemetry)
    assert.equal(after.version, 2)
    assert.equal(after.activeProfile, 'a')
  })

  it('omits optional fields left undefined or null, and an active name that no longer exists', async () => {
    const path = storePath()
    const store = new ProfileStore(path)
    await store.update((file) => {
      file.profiles.a = {
        apiKey: 'cko_a',
        type: 'org-api-key',
        organizationName: undefined,
        baseUrl: null as unknown as string,
      }
      file.activeProfile = 'a'
    })
    await store.update((file) => {
      delete file.profiles.a
      file.profiles.b = profile('cko_b')
    })
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {activeProfile: null, profiles: {b: profile('cko_b')}})
  })

  it('a change that throws writes nothing and releases the lock', async () => {
    const path = storePath()
    seed(path, '{"activeProfile":null,"profiles":{}}')
    const store = new ProfileStore(path)
    await assert.rejects(
      store.update(() => {
        throw new Error('changed my mind')
      }),
      /changed my mind/,
    )
    assert.equal(readFileSync(path, 'utf8'), '{"activeProfile":null,"profiles":{}}')
    assert.deepEqual(readdirSync(dirname(path)), ['config.json'])
  })

  it('concurrent updates (even from one process) never lose a profile', async () => {
    const path = storePath()
    await Promise.all(
      Array.from({length: 25}, (_, i) =>
        new ProfileStore(path).update(async (file) => {
          await sleep(1) // widen the read-modify-write window
          file.profiles[`p${i}`] = profile(`cko_${i}`)
        }),
      ),
    )
    assert.equal(Object.keys(new ProfileStore(path).read().profiles).length, 25)
  })

  it('waits for a lock held by someone else, then proceeds', async () => {
    const path = storePath()
    mkdirSync(dirname(path), {recursive: true})
    // The holder is alive: the test runner that started this process.
    writeFileSync(`${path}.lock`, `${process.ppid}\n`)
    let done = false
    const pending = new ProfileStore(path).update((file) => {
      file.profiles.a = profile('cko_a')
      done = true
    })
    await sleep(300)
    assert.equal(done, false, 'it waited for the lock')
    writeFileSync(path, '{"profiles": {"other": {"apiKey": "cko_o", "type": "org-api-key"}}}')
    rmSync(`${path}.lock`)
    await pending
    assert.deepEqual(
      Object.keys(new ProfileStore(path).read().profiles).sort(),
      ['a', 'other'],
      'it read the file after the lock',
    )
  })

  it('takes over a stale lock left by a crashed process', async () => {
    const path = storePath()
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(`${path}.lock`, '99999\n')
    const old = new Date(Date.now() - 60_000)
    utimesSync(`${path}.lock`, old, old)
    const started = Date.now()
    await new ProfileStore(path).update((file) => {
      file.profiles.a = profile('cko_a')
    })
    assert.ok(Date.now() - started < 2000)
    assert.deepEqual(readdirSync(dirname(path)), ['config.json'])
  })

  it('a folder that cannot be created is CONFIG_UNWRITABLE with the path', async () => {
    const path = storePath()
    // A file where the folder should be: fails for root too, unlike permission bits.
    mkdirSync(dirname(dirname(path)), {recursive: true})
    writeFileSync(dirname(path), 'not a folder')
    await assert.rejects(
      new ProfileStore(path).update(() => {}),
      (e: unknown) =>
        e instanceof CodikaError && e.code === 'CONFIG_UNWRITABLE' && e.message.includes(path) && e.exitCode === 1,
    )
  })
})

// Issue 10: item 6 (names that are Object.prototype members) and the rough edges of the profile file.
describe("ProfileStore: what a user's own file and machine may hold", () => {
  const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__']

  it('names that are Object.prototype members are plain names: absent ones find nothing, present ones are kept', async () => {
    const path = storePath()
    seed(path, JSON.stringify({activeProfile: null, profiles: {a: profile('cko_a')}}))
    const file = new ProfileStore(path).read()
    for (const name of PROTOTYPE_NAMES) {
      assert.equal(file.profiles[name], undefined, `${name} finds something`)
      assert.equal(name in file.profiles, false)
    }
    // Saved under such names (JSON's "__proto__" key is an own key), they read back as profiles like any other.
    const text = `{"activeProfile": "__proto__", "profiles": {${PROTOTYPE_NAMES.map((name) => `"${name}": {"apiKey": "cko_${name}", "type": "org-api-key"}`).join(', ')}}}`
    seed(path, text)
    const again = new ProfileStore(path).read()
    assert.equal(again.activeProfile, '__proto__')
    assert.deepEqual(Object.keys(again.profiles), PROTOTYPE_NAMES)
    for (const name of PROTOTYPE_NAMES) assert.equal(again.profiles[name].apiKey, `cko_${name}`)
    await new ProfileStore(path).update((f) => {
      f.profiles.b = profile('cko_b')
    })
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, 'utf8')).profiles), [...PROTOTYPE_NAMES, 'b'])
  })

  it('a byte-order mark is named, and the file is left alone', async () => {
    const path = storePath()
    const text = '\uFEFF{"activeProfile": null, "profiles": {}}'
    seed(path, text)
    rejectsUnreadable(() => new ProfileStore(path).read(), path, /byte-order mark \(U\+FEFF\)/)
    await assert.rejects(
      new ProfileStore(path).update(() => {}),
      /byte-order mark/,
    )
    assert.equal(readFileSync(path, 'utf8'), text)
  })

  it('a folder where the file should be gets a hint about the folder, not about permissions', () => {
    const path = storePath()
    mkdirSync(path, {recursive: true})
    assert.throws(
      () => new ProfileStore(path).read(),
      (e: unknown) =>
        e instanceof CodikaError &&
        e.code === 'CONFIG_UNREADABLE' &&
        /\.$/.test(e.message) &&
        /Move the folder aside/.test(e.hint ?? '') &&
        !/permission/i.test(e.hint ?? ''),
    )
  })

  it('a symbolic link to the file is written through: the link stays, its target gets the change', async () => {
    const path = storePath()
    const real = join(dirname(dirname(path)), 'dotfiles', 'codika.json')
    seed(real, JSON.stringify({activeProfile: null, profiles: {}}))
    mkdirSync(dirname(path), {recursive: true, mode: 0o700})
    symlinkSync(real, path)
    await new ProfileStore(path).update((file) => {
      file.profiles.a = profile('cko_a')
    })
    assert.ok(lstatSync(path).isSymbolicLink(), 'the link was replaced by a file')
    assert.equal(readlinkSync(path), real)
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(real, 'utf8')).profiles), ['a'])
    assert.equal(mode(real), 0o600)
    assert.deepEqual(readdirSync(dirname(real)), ['codika.json'], 'no temporary file left beside the target')
  })

  it('modes tighter than 0600/0700 are kept (a 0400 file, a 0500 folder); looser ones are tightened', async () => {
    const path = storePath()
    seed(path, JSON.stringify({activeProfile: null, profiles: {}}), 0o400, 0o700)
    await new ProfileStore(path).update((file) => {
      file.profiles.a = profile('cko_a')
    })
    assert.equal(mode(path), 0o400)
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, 'utf8')).profiles), ['a'])

    const other = storePath()
    seed(other, JSON.stringify({activeProfile: null, profiles: {}}), 0o640, 0o500)
    const change = new ProfileStore(other).update((file) => {
      file.profiles.a = profile('cko_a')
    })
    if (process.getuid?.() === 0) {
      // root may write into a 0500 folder: the change lands, the folder keeps its mode.
      await change
      assert.equal(mode(other), 0o600, 'group read is taken away')
    } else {
      await assert.rejects(change, (e: unknown) => e instanceof CodikaError && e.code === 'CONFIG_UNWRITABLE')
    }
    assert.equal(mode(dirname(other)), 0o500)
  })

  it('a lock whose holder is gone is taken over at once, however fresh', async () => {
    const path = storePath()
    mkdirSync(dirname(path), {recursive: true})
    // The pid of a process that has exited (and was reaped): nobody holds the lock.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
    writeFileSync(`${path}.lock`, `${dead.stdout}\n`)
    const started = Date.now()
    await new ProfileStore(path).update((file) => {
      file.profiles.a = profile('cko_a')
    })
    assert.ok(Date.now() - started < 2000, `waited ${Date.now() - started} ms for a dead holder`)
    assert.deepEqual(readdirSync(dirname(path)), ['config.json'])
  })
})
