// A key minted by `auth … complete` is kept as `login` keeps one (issue 13 × issue 12): in the system credential store
// by default, in the profile file with --insecure-storage; in clear in no file otherwise. A private gnome-keyring in
// its own D-Bus session, never the user's.
import assert from 'node:assert/strict'
import {after, before, describe, it, type TestContext} from 'node:test'

import {onlyJson, readConfig} from '../helpers/assertions.js'
import {runCli, tempHomes} from '../helpers/cli.js'
import {filesContaining, KEYRING_TOOLS, type PrivateKeyring, startPrivateKeyring} from '../helpers/keyring.js'
import {requestCode} from '../helpers/otp.js'
import {skipUnless} from '../helpers/tools.js'
import {startTestSandbox, type TestSandbox} from '../sandbox/helpers.js'

let sandbox: TestSandbox
const homes = tempHomes('codika-auth-keyring-')
let address = 0
before(async () => {
  sandbox = await startTestSandbox()
})
after(async () => {
  await sandbox.dispose()
  homes.cleanup()
})

async function keyring(t: TestContext): Promise<PrivateKeyring> {
  const store = await startPrivateKeyring()
  t.after(() => store.close())
  return store
}

describe(
  'auth signup-complete and the credential store',
  {
    skip: skipUnless(KEYRING_TOOLS, 'the credential store tests use a private gnome-keyring'),
    concurrency: true,
  },
  () => {
    for (const insecure of [false, true]) {
      it(
        insecure
          ? 'with --insecure-storage: the key in the profile file'
          : 'by default: the key in the store, a reference in the file',
        async (t) => {
          const store = await keyring(t)
          const home = homes.home()
          const email = `keyring-${++address}@example.com`
          const code = await requestCode(sandbox.url, 'signup', email)
          const args = [
            'auth',
            'signup-complete',
            '--email',
            email,
            '--code',
            code,
            '--company',
            `Keyring Org ${address}`,
          ]
          const result = await runCli(
            home,
            [...args, '--base-url', sandbox.url, '--json', ...(insecure ? ['--insecure-storage'] : [])],
            {
              env: store.env,
            },
          )
          assert.equal(result.code, 0, result.stderr)
          const doc = onlyJson(result)
          const saved = readConfig(home).profiles[doc.profile]
          assert.ok(saved, `profile ${doc.profile} saved`)
          if (insecure) {
            assert.match(saved.apiKey, /^cko_/)
            assert.equal(saved.keyring, undefined)
            assert.equal(await store.count(), 0, 'nothing in the store')
          } else {
            assert.equal(saved.apiKey, undefined, 'no key in the file')
            const secret = await store.secret(saved.keyring.account)
            assert.match(secret ?? '', /^cko_.{40,}$/)
            assert.deepEqual(filesContaining(home, secret!), [], 'in clear in no file under the home')
          }
          // Either way the saved key works: whoami reads it back and the sandbox verifies it.
          const whoami = await runCli(home, ['whoami', '--json'], {env: store.env})
          assert.equal(whoami.code, 0, whoami.stderr)
          assert.equal(onlyJson(whoami).profile, doc.profile)
        },
      )
    }
  },
)
