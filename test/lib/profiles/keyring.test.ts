// The storage choice, the session bus address, the Secret Service probe (on real buses started here), and the
// profile file's references to entries.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {CodikaError} from '../../../src/lib/errors.js'
import {probeSecretService, sessionBusPresent, sessionBusSocket} from '../../../src/lib/profiles/dbus-probe.js'
import {storageChoice} from '../../../src/lib/profiles/keyring.js'
import {parseProfileFile} from '../../../src/lib/profiles/store.js'
import {keyIdentity, keyLocation, keyOnlyIn, profileMask} from '../../../src/lib/profiles/types.js'
import {tempHome} from '../../helpers/cli.js'
import {KEYRING_TOOLS, startPrivateKeyring} from '../../helpers/keyring.js'
import {skipUnless} from '../../helpers/tools.js'

const root = tempHome('codika-keyring-lib-')
after(() => root.cleanup())

describe('storageChoice', () => {
  it('--insecure-storage beats CODIKA_CREDENTIAL_STORE, which beats auto; case and spaces do not matter', () => {
    assert.equal(storageChoice(false, {}), 'auto')
    assert.equal(storageChoice(false, {CODIKA_CREDENTIAL_STORE: ''}), 'auto')
    assert.equal(storageChoice(false, {CODIKA_CREDENTIAL_STORE: ' Keyring '}), 'keyring')
    assert.equal(storageChoice(false, {CODIKA_CREDENTIAL_STORE: 'file'}), 'file')
    assert.equal(storageChoice(true, {CODIKA_CREDENTIAL_STORE: 'keyring'}), 'file')
  })

  it('any other value is exit 2, naming the three', () => {
    assert.throws(
      () => storageChoice(false, {CODIKA_CREDENTIAL_STORE: 'vault'}),
      (e: unknown) =>
        e instanceof CodikaError &&
        e.exitCode === 2 &&
        /must be one of: auto, keyring, file \(got "vault"\)/.test(e.message),
    )
    // The flag is an explicit choice: the variable is not even looked at.
    assert.equal(storageChoice(true, {CODIKA_CREDENTIAL_STORE: 'vault'}), 'file')
  })
})

describe('the session bus address', () => {
  it('reads unix paths and abstract sockets, %-escapes included; takes the first local one', () => {
    assert.deepEqual(sessionBusSocket({DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus'}), {
      path: '/run/user/1000/bus',
    })
    assert.deepEqual(sessionBusSocket({DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-x,guid=1'}), {
      path: '\0/tmp/dbus-x',
    })
    assert.deepEqual(sessionBusSocket({DBUS_SESSION_BUS_ADDRESS: 'tcp:host=h,port=1;unix:path=/a%20b'}), {
      path: '/a b',
    })
    assert.deepEqual(sessionBusSocket({DBUS_SESSION_BUS_ADDRESS: 'unix:runtime=yes', XDG_RUNTIME_DIR: '/run/user/7'}), {
      path: '/run/user/7/bus',
    })
  })

  it('without the variable, $XDG_RUNTIME_DIR/bus when it exists; else a reason', () => {
    const runtime = join(root.home, 'runtime')
    mkdirSync(runtime, {recursive: true})
    assert.match(
      (sessionBusSocket({XDG_RUNTIME_DIR: runtime}) as {reason: string}).reason,
      /DBUS_SESSION_BUS_ADDRESS is not set/,
    )
    writeFileSync(join(runtime, 'bus'), '')
    assert.deepEqual(sessionBusSocket({XDG_RUNTIME_DIR: runtime}), {path: join(runtime, 'bus')})
    assert.match(
      (sessionBusSocket({DBUS_SESSION_BUS_ADDRESS: 'tcp:host=h,port=1'}) as {reason: string}).reason,
      /not a local socket \(tcp:host=h\)/,
    )
  })

  it('is present only where a socket could be', () => {
    assert.equal(sessionBusPresent({DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(root.home, 'none')}`}), false)
    assert.equal(sessionBusPresent({}), false)
    assert.equal(sessionBusPresent({DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/x'}), true)
  })
})

describe('the Secret Service probe', () => {
  it('no bus at that address: not available, quickly', async () => {
    const result = await probeSecretService(3000, {DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(root.home, 'x')}`})
    assert.deepEqual(result, {ok: false, reason: 'the D-Bus session bus cannot be reached (ENOENT)'})
  })

  it(
    'a bus without a Secret Service (nothing to activate): not available, saying so',
    {skip: skipUnless(['dbus-daemon'], 'a bare session bus is started')},
    async (t) => {
      const config = join(root.home, 'bare-bus.conf')
      writeFileSync(
        config,
        [
          '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"',
          ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">',
          `<busconfig><type>session</type><listen>unix:dir=${root.home}</listen>`,
          '<policy context="default"><allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/></policy>',
          '</busconfig>',
        ].join('\n'),
      )
      const daemon = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address=1'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
      t.after(() => daemon.kill('SIGTERM'))
      const address = await new Promise<string>((resolve) => {
        let out = ''
        daemon.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d
          if (out.includes('\n')) resolve(out.trim())
        })
      })
      const result = await probeSecretService(3000, {DBUS_SESSION_BUS_ADDRESS: address})
      assert.deepEqual(result, {ok: false, reason: 'no Secret Service is running on the D-Bus session bus'})
    },
  )

  it(
    'a bus with gnome-keyring: available',
    {skip: skipUnless(KEYRING_TOOLS, 'a private gnome-keyring is started')},
    async (t) => {
      const store = await startPrivateKeyring()
      t.after(() => store.close())
      assert.deepEqual(await probeSecretService(3000, {DBUS_SESSION_BUS_ADDRESS: store.address}), {ok: true})
    },
  )
})

describe('references in the profile file', () => {
  const ref = {service: 'codika', account: 'a/0123456789ab'}
  it('a profile holds apiKey, or a keyring reference; a broken reference is a broken file', () => {
    const file = parseProfileFile(
      JSON.stringify({profiles: {a: {type: 'org-api-key', keyring: ref, maskedKey: 'cko_AbCd…wxyz'}}}),
      '/x',
    )
    assert.equal(keyLocation(file.profiles.a), 'keyring')
    assert.equal(profileMask(file.profiles.a), 'cko_AbCd…wxyz')
    for (const keyring of [{service: 'codika'}, 'codika', {service: '', account: 'a'}])
      assert.throws(
        () => parseProfileFile(JSON.stringify({profiles: {a: {type: 'org-api-key', keyring}}}), '/x'),
        /whose "keyring" is not/,
      )
    assert.throws(() => parseProfileFile(JSON.stringify({profiles: {a: {type: 'org-api-key'}}}), '/x'), /without/)
  })

  it('apiKey wins over a reference beside it; identities differ by key, never by name', () => {
    const both = {apiKey: 'cko_AbCd0123456789wxyz', type: 'org-api-key', keyring: ref}
    assert.equal(keyLocation(both), 'file')
    assert.equal(keyOnlyIn(both, 'file'), false)
    assert.equal(keyOnlyIn({apiKey: 'cko_AbCd0123456789wxyz', type: 't'}, 'file'), true)
    assert.equal(profileMask(both), 'cko_AbCd…wxyz')
    assert.notEqual(keyIdentity({type: 't', keyring: ref}), keyIdentity({type: 't', keyring: {...ref, account: 'a/1'}}))
    // Without a mask in the file, the prefix gives one.
    assert.equal(profileMask({type: 't', keyring: ref, keyPrefix: 'cko_AbCd1234'}), 'cko_…')
  })
})
