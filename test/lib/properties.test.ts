// Issue 10, "Robustness, measured": thousands of generated inputs to the profile file reader, the scope parser and the
// flag parsers. Each input ends in a result or a CodikaError with exit 1 or 2 — never another exception — and a file
// that could not be read is never rewritten. The count of inputs tried is printed (a diagnostic of each test).
import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import fc from 'fast-check'

import {checkCode, checkCompany, checkEmail, parseKeyExpiresIn} from '../../src/lib/auth.js'
import {parseBaseUrl} from '../../src/lib/credentials.js'
import {timeoutFromEnv, proxiesFromEnv} from '../../src/lib/api/client.js'
import {CodikaError} from '../../src/lib/errors.js'
import {shortDate} from '../../src/lib/output.js'
import {parseExpiresInDays, parseScopes, requireText} from '../../src/lib/organization-keys.js'
import {parseN8nBaseUrl, parseOrganizationName} from '../../src/lib/organizations.js'
import {checkKey, checkProfileName} from '../../src/lib/profiles/login.js'
import {ProfileStore, parseProfileFile} from '../../src/lib/profiles/store.js'
import {ORGANIZATION_SCOPE_NAMES, PERSONAL_SCOPE_NAMES} from '../../src/lib/scopes.js'
import {tempHome} from '../helpers/cli.js'

const RUNS = 2000
const root = tempHome('codika-properties-')
after(() => root.cleanup())

/** Runs `fn`: a value, or a CodikaError whose exit code is one of `exits`; anything else fails the property. */
function endsWell(fn: () => unknown, exits: readonly number[] = [1, 2]): boolean {
  try {
    fn()
    return true
  } catch (error) {
    if (!(error instanceof CodikaError)) throw new Error(`not a CodikaError: ${String(error)}`, {cause: error})
    assert.ok(exits.includes(error.exitCode), `exit ${error.exitCode} for ${error.code}`)
    assert.ok(error.message.length > 0)
    return true
  }
}

/** Text with what users paste by mistake: control characters, emoji, lone surrogates, commas and spaces. */
const messyText = fc.oneof(
  fc.string({unit: 'grapheme', maxLength: 40}),
  fc.string({unit: 'binary', maxLength: 40}),
  fc.string({
    unit: fc.constantFrom(' ', ',', '\t', '\n', '\u0000', '\u001B', '\u00A0', '€', '😀', '\uD800'),
    maxLength: 20,
  }),
)

/** A scope-like list: known scopes, near misses and junk, joined by commas and spaces of any kind. */
const scopeList = fc
  .array(
    fc.oneof(
      fc.constantFrom(...PERSONAL_SCOPE_NAMES),
      fc.constantFrom(...ORGANIZATION_SCOPE_NAMES).map((s) => s.toUpperCase()),
      messyText,
    ),
    {maxLength: 8},
  )
  .chain((parts) => fc.constantFrom(',', ', ', ' ', ',,', ' ,').map((sep) => parts.join(sep)))

/** JSON that looks like a profile file, and JSON that does not, and text that is not JSON at all. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    {depthSize: 'small'},
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    messyText,
    fc.array(tie('value'), {maxLength: 3}),
    fc.dictionary(
      fc.oneof(messyText, fc.constantFrom('__proto__', 'constructor', 'toString', 'apiKey', 'type', 'keyring')),
      tie('value'),
      {maxKeys: 4},
    ),
  ),
})).value
const profileEntry = fc.record(
  {
    apiKey: fc.oneof(fc.constant('cko_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'), messyText, fc.integer()),
    type: fc.oneof(fc.constantFrom('org-api-key', 'personal-api-key'), messyText, fc.constant(null)),
    baseUrl: fc.oneof(fc.constant('http://127.0.0.1:8787'), messyText, fc.integer()),
    keyring: fc.oneof(fc.record({service: messyText, account: messyText}), jsonish),
    expiresAt: fc.oneof(
      fc.date({noInvalidDate: true}).map((d) => d.toISOString()),
      messyText,
      fc.constant(null),
    ),
  },
  {requiredKeys: []},
)
const profileFileText = fc.oneof(
  fc
    .record(
      {
        activeProfile: fc.oneof(fc.constant(null), messyText, fc.constantFrom('__proto__', 'a'), fc.integer()),
        profiles: fc.oneof(
          fc.dictionary(fc.oneof(messyText, fc.constantFrom('a', '__proto__', 'constructor')), profileEntry, {
            maxKeys: 4,
          }),
          jsonish,
        ),
      },
      {requiredKeys: []},
    )
    .map((file) => JSON.stringify(file)),
  jsonish.map((value) => JSON.stringify(value) ?? ''),
  messyText,
  fc.constantFrom('\uFEFF{}', '{"profiles": {', '{"__proto__": {"profiles": 1}}', '{"profiles": {"__proto__": {}}}'),
)

describe('property: the profile file reader', () => {
  it(`parseProfileFile: ${RUNS} generated files each end in profiles or CONFIG_UNREADABLE (exit 1)`, (t) => {
    let tried = 0
    fc.assert(
      fc.property(profileFileText, (text) => {
        tried++
        try {
          const file = parseProfileFile(text, '/tmp/config.json')
          // What it returns holds only names the file had, each an object with a key reference or a key.
          for (const name of Object.keys(file.profiles)) assert.equal(typeof file.profiles[name], 'object')
          assert.ok(file.activeProfile === null || Object.hasOwn(file.profiles, file.activeProfile))
        } catch (error) {
          assert.ok(error instanceof CodikaError, String(error))
          assert.equal(error.code, 'CONFIG_UNREADABLE')
          assert.equal(error.exitCode, 1)
        }
      }),
      {numRuns: RUNS},
    )
    t.diagnostic(`${tried} profile files tried`)
  })

  it(`ProfileStore: ${RUNS / 4} generated files on disk; one it cannot read is never rewritten`, async (t) => {
    let tried = 0
    await fc.assert(
      fc.asyncProperty(profileFileText, async (text) => {
        const dir = join(root.home, `store-${++tried}`)
        mkdirSync(dir, {recursive: true, mode: 0o700})
        const path = join(dir, 'config.json')
        writeFileSync(path, text, {mode: 0o600})
        const bytes = readFileSync(path)
        const store = new ProfileStore(path)
        let readable = true
        try {
          store.read()
        } catch (error) {
          assert.ok(error instanceof CodikaError && error.code === 'CONFIG_UNREADABLE', String(error))
          readable = false
        }
        try {
          await store.update((file) => {
            file.profiles.added = {apiKey: 'cko_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', type: 'org-api-key'}
          })
          assert.ok(readable, 'an unreadable file was updated')
          assert.ok(Object.hasOwn(JSON.parse(readFileSync(path, 'utf8')).profiles, 'added'))
        } catch (error) {
          assert.ok(error instanceof CodikaError && [1, 2].includes(error.exitCode), String(error))
          if (!readable) assert.deepEqual(readFileSync(path), bytes, 'a file that could not be read was rewritten')
        }
      }),
      {numRuns: RUNS / 4},
    )
    t.diagnostic(`${tried} profile files written, read and updated`)
  })
})

describe('property: the scope parser and the flag parsers', () => {
  it(`parseScopes: ${RUNS} generated lists give known organization scopes, or a usage error (exit 2)`, (t) => {
    let tried = 0
    fc.assert(
      fc.property(scopeList, (raw) => {
        tried++
        try {
          const scopes = parseScopes(raw)
          assert.ok(scopes.length > 0)
          assert.equal(new Set(scopes).size, scopes.length, 'duplicates')
          for (const scope of scopes) assert.ok(ORGANIZATION_SCOPE_NAMES.includes(scope), scope)
        } catch (error) {
          assert.ok(error instanceof CodikaError, String(error))
          assert.equal(error.exitCode, 2)
        }
      }),
      {numRuns: RUNS},
    )
    t.diagnostic(`${tried} scope lists tried`)
  })

  const parsers: Array<[string, (raw: string) => unknown]> = [
    ['--expires-in-days', parseExpiresInDays],
    ['--key-expires-in', parseKeyExpiresIn],
    ['--name (text)', (raw) => requireText(raw, 'name')],
    ['--name (profile)', checkProfileName],
    ['--api-key', (raw) => checkKey(raw, '--api-key')],
    ['--api-url', (raw) => parseBaseUrl(raw, '--api-url')],
    ['--n8n-base-url', parseN8nBaseUrl],
    ['organization name', parseOrganizationName],
    ['--email', checkEmail],
    ['--code', checkCode],
    ['--company', checkCompany],
  ]
  /** Values near the edges: numbers of every size, URLs with odd parts, keys with odd characters. */
  const flagValue = fc.oneof(
    messyText,
    fc.bigInt().map(String),
    fc.double().map(String),
    fc.webUrl({withQueryParameters: true, withFragments: true}),
    fc.constantFrom('http://user:pw@127.0.0.1', 'http://127.0.0.1:10080', 'http://[::1]:0', 'https://', 'http://%'),
    fc.string({maxLength: 60}).map((s) => `ckp_${s}`),
    fc.emailAddress(),
    fc.stringMatching(/^\d{5,7}$/),
  )
  for (const [flag, parse] of parsers) {
    it(`${flag}: ${RUNS} generated values give a value or a usage error (exit 2)`, (t) => {
      let tried = 0
      fc.assert(
        fc.property(flagValue, (raw) => {
          tried++
          return endsWell(() => parse(raw), [2])
        }),
        {numRuns: RUNS},
      )
      t.diagnostic(`${tried} values of ${flag} tried`)
    })
  }

  it(`CODIKA_TIMEOUT and the proxy variables: ${RUNS} generated environments`, (t) => {
    let tried = 0
    fc.assert(
      fc.property(flagValue, flagValue, (timeout, proxy) => {
        tried++
        endsWell(() => timeoutFromEnv({CODIKA_TIMEOUT: timeout}), [2])
        endsWell(() => proxiesFromEnv({HTTPS_PROXY: proxy, NO_PROXY: timeout}), [2])
        return true
      }),
      {numRuns: RUNS},
    )
    t.diagnostic(`${tried} environments tried`)
  })
})

describe('property: dates on screen', () => {
  // shortDate writes the date from the Date's local fields (Intl's first use loads ICU data, 25 ms on create-key).
  it(`shortDate: ${RUNS} generated instants in three time zones read as Intl's en-US date`, (t) => {
    const zone = process.env.TZ
    let tried = 0
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
        process.env.TZ = tz
        const intl = new Intl.DateTimeFormat('en-US')
        fc.assert(
          fc.property(
            fc.date({
              min: new Date('1970-01-01T00:00:00Z'),
              max: new Date('2200-12-31T23:59:59Z'),
              noInvalidDate: true,
            }),
            (d) => {
              tried++
              return shortDate(d.toISOString()) === intl.format(d)
            },
          ),
          {numRuns: Math.round(RUNS / 3)},
        )
      }
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
    t.diagnostic(`${tried} instants tried`)
  })
})
