// What scripts and shell setups written for codika 3.6.0 run (/work/shared/COMPAT.md), row by row, against the
// embedded sandbox: the exit code and the fields a 3.6.0 script reads, written as the jq expressions they use.
//
// To cover another 3.6.0 command line, add a row to ROWS: `line` (3.6.0's words), `args`, the profile file it
// starts from (`file`), `exit`, and what its scripts read (`jq`: expression → expected value, or a check).
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import {assertNoLeak, readConfig, writeConfig} from '../helpers/assertions.js'
import {type CliResult, runCli, tempHomes} from '../helpers/cli.js'
import {closedPort} from '../helpers/fake-platform.js'
import {call, startTestSandbox, type TestSandbox} from '../sandbox/helpers.js'

/** What the rows may use: the sandbox, its seeded organization and keys, and keys minted for these rows. */
interface Context {
  url: string
  organizationId: string
  ownerKey: string
  memberKey: string
  /** An organization key minted by the owner, and what the platform said about it. */
  orgKey: string
  orgKeyId: string
  orgKeyPrefix: string
  orgKeyName: string
  orgKeyScopes: string[]
  /** A port nothing listens on: a platform that cannot be reached. */
  downUrl: string
}

/** A jq expression's expected value, or a check of what it gave (a function of it). */
type Expected = unknown

interface Row {
  /** The 3.6.0 command line, as COMPAT.md and its users write it. */
  line: string
  args: (c: Context) => string[]
  /** The profile file the row starts from; none: no file at all. */
  file?: (c: Context) => unknown
  env?: (c: Context) => Record<string, string>
  exit: number
  /** What a 3.6.0 script reads from the --json document: jq expression → expected value (or a check). */
  jq?: (c: Context) => Record<string, Expected>
  /** Anything else to check (stdout of a plain command, the file after it). */
  check?: (result: CliResult, c: Context, home: string) => void
}

/** Two profiles, in an order that is not alphabetical: `staging` (the owner's key) and `acme` (active, an org key). */
function twoProfiles(c: Context, {down = false} = {}) {
  return {
    activeProfile: 'acme',
    profiles: {
      staging: {apiKey: c.ownerKey, type: 'personal-api-key', keyName: 'Owner', baseUrl: c.url},
      acme: {
        apiKey: c.orgKey,
        type: 'org-api-key',
        organizationId: c.organizationId,
        keyName: c.orgKeyName,
        keyPrefix: c.orgKeyPrefix,
        scopes: c.orgKeyScopes,
        baseUrl: down ? c.downUrl : c.url,
      },
    },
  }
}

/** The owner's key as the only, active profile. */
function ownerProfile(c: Context) {
  return {activeProfile: 'owner', profiles: {owner: {apiKey: c.ownerKey, type: 'personal-api-key', baseUrl: c.url}}}
}

/** The plain member's key as the only, active profile (no api-keys:manage scope). */
function memberProfile(c: Context) {
  return {activeProfile: 'member', profiles: {member: {apiKey: c.memberKey, type: 'personal-api-key', baseUrl: c.url}}}
}

const isString = (value: unknown) => assert.equal(typeof value, 'string', `a string: ${JSON.stringify(value)}`)
const profileShape = (value: unknown) => {
  assert.ok(Array.isArray(value))
  for (const p of value as Array<Record<string, unknown>>) {
    for (const field of ['name', 'active', 'type', 'organizationId', 'organizationName', 'keyPrefix', 'scopes'])
      assert.ok(Object.hasOwn(p, field), `${String(p.name)} has ${field}`)
    assert.ok(Object.hasOwn(p, 'expiresAt'), `${String(p.name)} has expiresAt`)
    assert.ok(Array.isArray(p.scopes), 'scopes is an array')
    assert.equal(p.apiKey, undefined, 'never the key')
  }
}

/** A platform failure as 3.6.0 scripts switch on it: the platform's code and its message, exactly. */
function platformFailure(code: string, message: string) {
  return {
    '.success': false,
    '.error.platformCode // .error.code': code,
    '.error.message': message,
    '.error.status': (status: unknown) => assert.equal(typeof status, 'number'),
    '.requestId': isString,
  }
}

const ROWS: Row[] = [
  {
    line: 'whoami --json',
    args: () => ['whoami', '--json'],
    file: (c) => twoProfiles(c),
    exit: 0,
    jq: (c) => ({
      '.loggedIn': true,
      '{type, keyName, organizationId}': {type: 'org-api-key', keyName: c.orgKeyName, organizationId: c.organizationId},
      '.scopes': c.orgKeyScopes,
      '.keyPrefix': c.orgKeyPrefix,
      '.source': 'profile "acme"',
      '.profileName': 'acme',
    }),
  },
  {
    line: 'CODIKA_API_KEY=… whoami --json',
    args: () => ['whoami', '--json'],
    env: (c) => ({CODIKA_API_KEY: c.orgKey, CODIKA_BASE_URL: c.url}),
    exit: 0,
    jq: (c) => ({
      '.loggedIn': true,
      '{type, keyName, organizationId}': {type: 'org-api-key', keyName: c.orgKeyName, organizationId: c.organizationId},
      '.source': 'env (CODIKA_API_KEY)',
      '.profileName': null,
    }),
  },
  {
    line: 'whoami --api-key … --json',
    args: (c) => ['whoami', '--api-key', c.orgKey, '--api-url', c.url, '--json'],
    exit: 0,
    jq: (c) => ({'.loggedIn': true, '.organizationId': c.organizationId, '.source': 'flag', '.profileName': null}),
  },
  {
    // 3.6.0: {"loggedIn": false}, exit 0. Ours: exit 2 (NO_API_KEY), the same field beside the error.
    line: 'whoami --json (no key anywhere)',
    args: () => ['whoami', '--json'],
    exit: 2,
    jq: () => ({'.loggedIn': false, '.error.platformCode // .error.code': 'NO_API_KEY'}),
  },
  {
    // 3.6.0: exit 0 with the cached profile (and its raw key). Ours: exit 1, the cached details without the key.
    line: 'whoami --json (platform unreachable)',
    args: () => ['whoami', '--json'],
    file: (c) => twoProfiles(c, {down: true}),
    exit: 1,
    jq: (c) => ({
      '.loggedIn': true,
      '.cached': true,
      '{type, keyName, organizationId}': {type: 'org-api-key', keyName: c.orgKeyName, organizationId: c.organizationId},
      '.scopes': c.orgKeyScopes,
      '.source': 'profile "acme"',
      '.profileName': 'acme',
      '.error.code': 'NETWORK_ERROR',
    }),
  },
  {
    line: 'use --json',
    args: () => ['use', '--json'],
    file: (c) => twoProfiles(c),
    exit: 0,
    jq: (c) => ({
      '.activeProfile': 'acme',
      '.profiles': profileShape,
      '[.profiles[].name]': ['staging', 'acme'],
      '[.profiles[].active]': [false, true],
      '.profiles[1]': (p: unknown) =>
        assert.deepEqual(pick(p, ['type', 'organizationId', 'organizationName', 'keyPrefix', 'scopes', 'expiresAt']), {
          type: 'org-api-key',
          organizationId: c.organizationId,
          organizationName: null,
          keyPrefix: c.orgKeyPrefix,
          scopes: c.orgKeyScopes,
          expiresAt: null,
        }),
    }),
  },
  {
    line: 'use --json (no profiles)',
    args: () => ['use', '--json'],
    exit: 0,
    jq: () => ({'.activeProfile': null, '.profiles': []}),
  },
  {
    line: 'profiles --json',
    args: () => ['profiles', '--json'],
    file: (c) => twoProfiles(c),
    exit: 0,
    jq: () => ({'.activeProfile': 'acme', '[.profiles[].name]': ['staging', 'acme'], '.profiles': profileShape}),
  },
  {
    line: 'use staging',
    args: () => ['use', 'staging'],
    file: (c) => twoProfiles(c),
    exit: 0,
    check: (result, _c, home) => {
      assert.match(result.stdout, /Switched to profile "staging"/)
      assert.equal(readConfig(home).activeProfile, 'staging')
    },
  },
  {
    line: 'use --list-names',
    args: () => ['use', '--list-names'],
    file: (c) => twoProfiles(c),
    exit: 0,
    check: (result) => assert.equal(result.stdout, 'staging\nacme\n', 'one a line, in the file’s order'),
  },
  {
    line: 'logout --list-names',
    args: () => ['logout', '--list-names'],
    file: (c) => twoProfiles(c),
    exit: 0,
    check: (result) => assert.equal(result.stdout, 'staging\nacme\n', 'one a line, in the file’s order'),
  },
  {
    line: 'profiles staging',
    args: () => ['profiles', 'staging'],
    file: (c) => twoProfiles(c),
    exit: 0,
    check: (result, _c, home) => {
      assert.match(result.stdout, /Switched to profile "staging"/)
      assert.equal(readConfig(home).activeProfile, 'staging')
    },
  },
  {
    line: 'config set --api-key … --base-url … --name ci',
    args: (c) => ['config', 'set', '--api-key', c.orgKey, '--base-url', c.url, '--name', 'ci'],
    exit: 0,
    check: (_result, c, home) => {
      const file = readConfig(home)
      assert.equal(file.activeProfile, 'ci')
      assert.equal(file.profiles.ci.apiKey, c.orgKey)
      assert.equal(file.profiles.ci.organizationId, c.organizationId)
    },
  },
  {
    line: 'config show --json',
    args: () => ['config', 'show', '--json'],
    file: (c) => twoProfiles(c),
    exit: 0,
    jq: (c) => ({
      '[.profiles[].name]': ['staging', 'acme'],
      '.profiles': profileShape,
      '.baseUrl': c.url,
      '.baseUrlSource': isString,
    }),
  },
  {
    line: 'config show --json (no profiles)',
    args: () => ['config', 'show', '--json'],
    exit: 0,
    jq: () => ({'.profiles': [], '.baseUrl': isString, '.baseUrlSource': isString}),
  },
  {
    line: 'config show (no profiles)',
    args: () => ['config', 'show'],
    exit: 1,
  },
  {
    line: 'config clear',
    args: () => ['config', 'clear'],
    file: (c) => twoProfiles(c),
    exit: 0,
    check: (result, _c, home) => {
      assert.match(result.stdout, /✓ Configuration cleared/)
      assert.throws(() => readConfig(home), /ENOENT/)
    },
  },
  {
    line: 'config clear (no file)',
    args: () => ['config', 'clear'],
    exit: 0,
    check: (result) => assert.match(result.stdout, /✓ Configuration cleared/),
  },
  {
    line: 'config clear --profile staging',
    args: () => ['config', 'clear', '--profile', 'staging'],
    file: (c) => twoProfiles(c),
    exit: 0,
    check: (_result, _c, home) => assert.deepEqual(Object.keys(readConfig(home).profiles), ['acme']),
  },
  {
    // 3.6.0: exit 1. Ours: 2, an unknown profile is a wrong command line (MIGRATING.md).
    line: 'config clear --profile nope',
    args: () => ['config', 'clear', '--profile', 'nope'],
    file: (c) => twoProfiles(c),
    exit: 2,
    check: (_result, _c, home) => assert.deepEqual(Object.keys(readConfig(home).profiles), ['staging', 'acme']),
  },
  {
    line: '-V',
    args: () => ['-V'],
    exit: 0,
    check: (result) => assert.match(result.stdout, /^codika\/\d+\.\d+\.\d+/),
  },
  {
    line: '-h',
    args: () => ['-h'],
    exit: 0,
    check: (result) => assert.match(result.stdout, /USAGE/),
  },
  {
    line: 'whoami -h',
    args: () => ['whoami', '-h'],
    exit: 0,
    check: (result) => assert.match(result.stdout, /USAGE\n +\$ codika whoami/),
  },
  {
    line: 'completion bash',
    args: () => ['completion', 'bash'],
    exit: 0,
    check: (result) => assert.match(result.stdout, /^complete .*codika/m),
  },
  {
    line: 'completion zsh',
    args: () => ['completion', 'zsh'],
    exit: 0,
    check: (result) => assert.match(result.stdout, /^#compdef codika/),
  },
  {
    line: 'completion fish',
    args: () => ['completion', 'fish'],
    exit: 0,
    check: (result) => assert.match(result.stdout, /^complete -c codika /m),
  },
  {
    line: 'organization create-key --json',
    args: (c) => [
      ...['organization', 'create-key', '--organization-id', c.organizationId, '--name', 'Compat Deploy'],
      ...['--scopes', 'deploy:use-case', '--json'],
    ],
    file: ownerProfile,
    exit: 0,
    jq: (c) => ({
      '.success': true,
      '.data.apiKey': (key: unknown) => assert.match(String(key), /^cko_/),
      '.data.keyId': isString,
      '.data.organizationId': c.organizationId,
      '.data.scopes': ['deploy:use-case'],
      '.requestId': isString,
    }),
  },
  {
    line: 'organization update-key --json',
    args: (c) => ['organization', 'update-key', '--key-id', c.orgKeyId, '--description', 'Compat check', '--json'],
    file: ownerProfile,
    exit: 0,
    jq: () => ({
      '.success': true,
      '.data': (data: unknown) => assert.equal(typeof data, 'object'),
      '.requestId': isString,
    }),
  },
  {
    line: 'organization create --json',
    args: () => ['organization', 'create', '--name', 'Compat Org', '--json'],
    file: ownerProfile,
    exit: 0,
    jq: () => ({'.success': true, '.data.organizationId': isString, '.requestId': isString}),
  },
  {
    line: 'organization create-key --json (MISSING_SCOPE)',
    args: (c) => [
      ...['organization', 'create-key', '--organization-id', c.organizationId, '--name', 'Nope'],
      ...['--scopes', 'deploy:use-case', '--json'],
    ],
    file: memberProfile,
    exit: 1,
    jq: () => platformFailure('MISSING_SCOPE', 'This API key lacks the api-keys:manage scope'),
  },
  {
    line: 'organization create-key --json (ORGANIZATION_NOT_FOUND)',
    args: () => [
      ...['organization', 'create-key', '--organization-id', 'org_doesnotexist', '--name', 'Nope'],
      ...['--scopes', 'deploy:use-case', '--json'],
    ],
    file: ownerProfile,
    exit: 1,
    jq: () => platformFailure('ORGANIZATION_NOT_FOUND', 'Organization not found: org_doesnotexist'),
  },
  {
    line: 'organization update-key --json (API_KEY_NOT_FOUND)',
    args: () => ['organization', 'update-key', '--key-id', 'key_doesnotexist', '--name', 'Nope', '--json'],
    file: ownerProfile,
    exit: 1,
    jq: () => platformFailure('API_KEY_NOT_FOUND', 'API key not found: key_doesnotexist'),
  },
  ...['signup-request', 'signup-complete', 'login-request', 'login-complete'].map((command): Row => ({
    line: `auth ${command} --help`,
    args: () => ['auth', command, '--help'],
    exit: 0,
    check: (result) => {
      assert.match(result.stdout, new RegExp(`^USAGE\\n\\s+\\$ codika auth ${command}`, 'm'))
      assert.match(result.stdout, /--email/)
    },
  })),
]

// ---- A small jq: `.a.b[0]`, `A // B`, `{a, b}`, `[.list[].field]` (what 3.6.0's scripts use) ----------------------

function jq(doc: unknown, expression: string): unknown {
  const alternatives = expression.split(' // ')
  if (alternatives.length > 1) {
    for (const one of alternatives) {
      const value = jq(doc, one)
      if (value !== null && value !== undefined && value !== false) return value
    }
    return null
  }
  const object = /^\{(.+)\}$/.exec(expression)
  if (object) {
    const fields = object[1].split(',').map((f) => f.trim())
    return Object.fromEntries(fields.map((f) => [f, jq(doc, `.${f}`)]))
  }
  const collect = /^\[(.+)\[\](.*)\]$/.exec(expression)
  if (collect) {
    const list = jq(doc, collect[1])
    assert.ok(Array.isArray(list), `${collect[1]} is an array`)
    return list.map((item) => (collect[2] ? jq(item, collect[2]) : item))
  }
  let value: unknown = doc
  for (const step of expression.match(/\.[A-Za-z_]\w*|\[\d+\]/g) ?? []) {
    if (value === null || value === undefined) return null
    value = step.startsWith('[')
      ? (value as unknown[])[Number(step.slice(1, -1))]
      : (value as Record<string, unknown>)[step.slice(1)]
  }
  return value ?? null
}

function pick(value: unknown, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, (value as Record<string, unknown>)[f]]))
}

// ---- The run --------------------------------------------------------------------------------------------------------

let sandbox: TestSandbox
let context: Context
const homes = tempHomes('codika-compat-')

before(async () => {
  sandbox = await startTestSandbox()
  const seeded = sandbox.seeded!
  const orgKeyScopes = ['deploy:use-case', 'workflows:trigger']
  const minted = await call(sandbox.url, 'createorganizationapikeypublic', {
    key: seeded.owner.apiKey,
    body: {organizationId: seeded.organizationId, name: 'Compat Key', scopes: orgKeyScopes},
  })
  assert.equal(minted.status, 200, JSON.stringify(minted.body))
  context = {
    url: sandbox.url,
    organizationId: seeded.organizationId,
    ownerKey: seeded.owner.apiKey,
    memberKey: seeded.member.apiKey,
    orgKey: minted.body.data.apiKey,
    orgKeyId: minted.body.data.keyId,
    orgKeyPrefix: minted.body.data.keyPrefix,
    orgKeyName: 'Compat Key',
    orgKeyScopes,
    downUrl: `http://127.0.0.1:${await closedPort()}`,
  }
})
after(async () => {
  await sandbox?.dispose()
  homes.cleanup()
})

describe('codika 3.6.0 command lines, as its scripts read them', {concurrency: 2}, () => {
  for (const row of ROWS)
    it(row.line, async () => {
      const c = context
      const home = homes.home()
      if (row.file) writeConfig(home, row.file(c))
      const result = await runCli(home, row.args(c), {env: row.env?.(c)})
      assert.equal(result.code, row.exit, `exit code\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
      if (row.jq) {
        const doc: unknown = JSON.parse(result.stdout)
        for (const [expression, expected] of Object.entries(row.jq(c))) {
          const value = jq(doc, expression)
          if (typeof expected === 'function') (expected as (v: unknown) => void)(value)
          else assert.deepEqual(value, expected, `jq '${expression}' on ${result.stdout}`)
        }
      }
      // No key that was there before the run (create-key prints only the one it has just made).
      assertNoLeak(result, [c.ownerKey, c.memberKey, c.orgKey])
      row.check?.(result, c, home)
    })
})
