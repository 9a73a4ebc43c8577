// Saving a key as a profile (lib/profiles/login.ts): the clash policies other commands build on, and loginWithKey's
// order (nothing sent when a replace is refused up front).
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {CodikaError} from '../../../src/lib/errors.js'
import {loginWithKey, saveKeyProfile} from '../../../src/lib/profiles/login.js'
import {ProfileStore} from '../../../src/lib/profiles/store.js'
import type {Profile} from '../../../src/lib/profiles/types.js'
import {tempHome} from '../../helpers/cli.js'

const OLD: Profile = {apiKey: 'ckp_OldKeyOldKeyOldKey0000', type: 'personal-api-key'}
const NEW: Profile = {apiKey: 'ckp_NewKeyNewKeyNewKey1111', type: 'personal-api-key'}

describe('saveKeyProfile: a profile of that name holding another key', () => {
  const home = tempHome('codika-login-')
  after(() => home.cleanup())
  let n = 0
  const store = async () => {
    const s = new ProfileStore(join(home.home, String(++n), 'config.json'))
    await s.update((file) => {
      file.profiles.sandbox = OLD
      file.activeProfile = 'sandbox'
    })
    return s
  }
  const profiles = (s: ProfileStore) => JSON.parse(readFileSync(s.path, 'utf8')).profiles
  const refused = (e: unknown) => e instanceof CodikaError && e.code === 'PROFILE_EXISTS' && e.exitCode === 2

  it('refuse: PROFILE_EXISTS, exit 2, the file unchanged', async () => {
    const s = await store()
    await assert.rejects(saveKeyProfile(s, NEW, 'sandbox', {kind: 'refuse'}), refused)
    assert.deepEqual(profiles(s), {sandbox: OLD})
  })

  it('replace: the new key takes the name', async () => {
    const s = await store()
    assert.deepEqual(await saveKeyProfile(s, NEW, 'sandbox', {kind: 'replace'}), {
      name: 'sandbox',
      action: 'replaced',
      existing: OLD,
    })
    assert.deepEqual(profiles(s), {sandbox: NEW})
  })

  it('rename: a free name (sandbox-2), the old profile kept, and the new one active', async () => {
    const s = await store()
    const saved = await saveKeyProfile(s, NEW, 'sandbox', {kind: 'rename'})
    assert.deepEqual(saved, {name: 'sandbox-2', action: 'created', renamedFrom: 'sandbox'})
    assert.deepEqual(profiles(s), {sandbox: OLD, 'sandbox-2': NEW})
    assert.equal(JSON.parse(readFileSync(s.path, 'utf8')).activeProfile, 'sandbox-2')
  })

  it('ask: yes replaces, no keeps it and refuses (saying it was kept)', async () => {
    const yes = await store()
    await saveKeyProfile(yes, NEW, 'sandbox', {kind: 'ask', confirm: async () => true})
    assert.deepEqual(profiles(yes), {sandbox: NEW})
    const no = await store()
    await assert.rejects(
      saveKeyProfile(no, NEW, 'sandbox', {kind: 'ask', confirm: async () => false}),
      (e: unknown) => refused(e) && /it was kept/.test((e as Error).message),
    )
    assert.deepEqual(profiles(no), {sandbox: OLD})
  })

  it('the same key is refreshed whatever the policy', async () => {
    const s = await store()
    for (const onClash of [{kind: 'refuse'}, {kind: 'rename'}, {kind: 'replace'}] as const)
      assert.equal((await saveKeyProfile(s, OLD, 'sandbox', onClash)).action, 'refreshed')
    assert.deepEqual(Object.keys(profiles(s)), ['sandbox'])
  })

  it('loginWithKey: a refused replace is known before the key is sent anywhere', async () => {
    const s = await store()
    let sent = 0
    await assert.rejects(
      loginWithKey({
        store: s,
        key: {value: ` ${NEW.apiKey} `, from: '--api-key'},
        baseUrl: 'http://127.0.0.1:9',
        name: 'sandbox',
        verify: async () => {
          sent++
          throw new Error('not reached')
        },
        onClash: {kind: 'refuse'},
      }),
      refused,
    )
    assert.equal(sent, 0)
  })
})
