// `create-key` refuses a wrong command line before anything is sent or written: exit 2, the problem named, no secret shown.
import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {dirname} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {assertHumanFailure, assertJsonFailure, assertNoLeak, fileBytes, writeConfig} from '../../helpers/assertions.js'
import {runCli, tempHome} from '../../helpers/cli.js'
import {inParallel} from '../../helpers/concurrency.js'
import {type FakePlatform, startFakePlatform} from '../../helpers/fake-platform.js'

// Keys that do not look like Codika keys, so only the CLI's knowledge of where they came from can hide them.
const FLAG_KEY = 'plain-secret-FLAG-0123456789'
const ENV_KEY = 'plain-secret-ENV-9876543210'
const ORG = 'org-SENTINEL-4242'
const NAME = ['--name', 'CI Deploy Key']
const SCOPES = ['--scopes', 'deploy:use-case']
const ORG_FLAG = ['--organization-id', ORG]

interface Case {
  name: string
  args: string[]
  code: string
  message: RegExp
  /** The hint, checked in the --json document. */
  hint?: RegExp
  env?: Record<string, string>
  /** false: no key from anywhere (the "no key" case). */
  keys?: boolean
  /** Which home: the one with an active profile pointing at the test server, or an empty one. */
  empty?: boolean
}

const cases: Case[] = [
  {name: 'missing --organization-id', args: [...NAME, ...SCOPES], code: 'MISSING_FLAG', message: /--organization-id/},
  {name: 'missing --name', args: [...ORG_FLAG, ...SCOPES], code: 'MISSING_FLAG', message: /--name/},
  {name: 'missing --scopes', args: [...ORG_FLAG, ...NAME], code: 'MISSING_FLAG', message: /--scopes/},
  // Issue 10: every missing required flag at once, not only the first.
  {
    name: 'no flags at all',
    args: [],
    code: 'MISSING_FLAG',
    message: /(?:^|Error: )Missing required flags --organization-id, --name, --scopes\.$/m,
  },
  {name: 'empty --name', args: [...ORG_FLAG, '--name', '', ...SCOPES], code: 'INVALID_FLAG', message: /--name/},
  {
    name: 'blank --name',
    args: [...ORG_FLAG, '--name', '   ', ...SCOPES],
    code: 'INVALID_FLAG',
    message: /--name must not be empty/,
  },
  {
    name: 'empty --organization-id',
    args: ['--organization-id', '', ...NAME, ...SCOPES],
    code: 'INVALID_FLAG',
    message: /--organization-id/,
  },
  {
    name: 'blank --organization-id',
    args: ['--organization-id', ' ', ...NAME, ...SCOPES],
    code: 'INVALID_FLAG',
    message: /--organization-id must not be empty/,
  },
  {name: '--scopes ""', args: [...ORG_FLAG, ...NAME, '--scopes', ''], code: 'INVALID_FLAG', message: /--scopes/},
  {
    name: '--scopes " , "',
    args: [...ORG_FLAG, ...NAME, '--scopes', ' , '],
    code: 'INVALID_FLAG',
    message: /--scopes must name at least one scope/,
  },
  {
    name: 'an unknown scope',
    args: [...ORG_FLAG, ...NAME, '--scopes', 'deploy:use-case,workflow:trigger'],
    code: 'UNKNOWN_SCOPE',
    // Checked by the flag's own parse(): our words only, not oclif's "Parsing --scopes" around them.
    message:
      /(?:^|Error: )Unknown scope "workflow:trigger".*"workflows:trigger".*deploy:use-case, projects:create, .*api-keys:manage\.$/m,
  },
  {
    name: 'a personal-only scope',
    args: [...ORG_FLAG, ...NAME, '--scopes', 'organizations:create'],
    code: 'UNKNOWN_SCOPE',
    message: /"organizations:create"/,
  },
  ...['abc', '1.5', '12abc', '0', '-3', ''].map((days) => ({
    name: `--expires-in-days ${JSON.stringify(days)}`,
    args: [...ORG_FLAG, ...NAME, ...SCOPES, `--expires-in-days=${days}`],
    code: 'INVALID_FLAG',
    message: /(?:^|Error: )--expires-in-days must be (a whole number|at least 1)/,
  })),
  // Issue 10: a scope list written with spaces, quoted (one word) or not (extra arguments), says that lists take commas.
  {
    name: '--scopes "deploy:use-case workflows:trigger"',
    args: [...ORG_FLAG, ...NAME, '--scopes', 'deploy:use-case workflows:trigger'],
    code: 'UNKNOWN_SCOPE',
    message: /Scopes are comma-separated: "deploy:use-case workflows:trigger" is not one scope\./,
    hint: /^Write --scopes deploy:use-case,workflows:trigger$/,
  },
  {
    name: '--scopes deploy:use-case workflows:trigger',
    args: [...ORG_FLAG, ...NAME, '--scopes', 'deploy:use-case', 'workflows:trigger'],
    code: 'INVALID_ARGUMENT',
    message: /Unexpected argument: workflows:trigger\./,
    hint: /^Scopes are comma-separated, without spaces: --scopes deploy:use-case,workflows:trigger$/,
  },
  // Issue 10: beyond what a number holds exactly, the value is too large, not "at least 1".
  ...['9007199254740993', '99999999999999999999'].map((days) => ({
    name: `--expires-in-days ${days}`,
    args: [...ORG_FLAG, ...NAME, ...SCOPES, '--expires-in-days', days],
    code: 'INVALID_FLAG',
    message: /(?:^|Error: )--expires-in-days is too large/,
  })),
  {
    name: '--api-url notaurl',
    args: [...ORG_FLAG, ...NAME, ...SCOPES, '--api-url', 'notaurl'],
    code: 'INVALID_FLAG',
    message: /--api-url must be an http or https URL/,
  },
  {
    name: '--api-url ftp:',
    args: [...ORG_FLAG, ...NAME, ...SCOPES, '--api-url', 'ftp://127.0.0.1/'],
    code: 'INVALID_FLAG',
    message: /--api-url must be an http or https URL/,
  },
  {
    name: 'CODIKA_BASE_URL notaurl',
    args: [...ORG_FLAG, ...NAME, ...SCOPES],
    env: {CODIKA_BASE_URL: 'notaurl'},
    code: 'INVALID_FLAG',
    message: /CODIKA_BASE_URL must be an http or https URL/,
  },
  {
    name: '--api-key ""',
    args: [...ORG_FLAG, ...NAME, ...SCOPES, '--api-key='],
    code: 'INVALID_FLAG',
    message: /--api-key/,
    keys: false,
  },
  {
    name: 'no key anywhere',
    args: [...ORG_FLAG, ...NAME, ...SCOPES],
    code: 'NO_API_KEY',
    message: /No API key/,
    keys: false,
    empty: true,
  },
  {
    name: '--profile nosuch',
    args: [...ORG_FLAG, ...NAME, ...SCOPES, '--profile', 'nosuch'],
    code: 'PROFILE_NOT_FOUND',
    message: /"nosuch"/,
  },
  {
    name: 'CODIKA_PROFILE=nosuch',
    args: [...ORG_FLAG, ...NAME, ...SCOPES],
    env: {CODIKA_PROFILE: 'nosuch'},
    code: 'PROFILE_NOT_FOUND',
    message: /"nosuch"/,
    keys: false,
  },
  {
    name: 'an unknown flag',
    args: [...ORG_FLAG, ...NAME, ...SCOPES, '--scope', 'deploy:use-case'],
    code: 'INVALID_FLAG',
    message: /--scope\b/,
  },
  {
    name: 'an unexpected argument',
    args: [...ORG_FLAG, ...NAME, ...SCOPES, 'extra-arg'],
    code: 'INVALID_ARGUMENT',
    message: /extra-arg/,
  },
  // NODE_ENV=development makes oclif warn on stderr about commands that did not parse their arguments.
  {
    name: 'a parse error under NODE_ENV=development',
    args: [...NAME, ...SCOPES],
    env: {NODE_ENV: 'development'},
    code: 'MISSING_FLAG',
    message: /--organization-id/,
  },
  {
    name: 'CODIKA_TIMEOUT=abc',
    args: [...ORG_FLAG, ...NAME, ...SCOPES],
    env: {CODIKA_TIMEOUT: 'abc'},
    code: 'INVALID_ARGUMENT',
    message: /CODIKA_TIMEOUT/,
  },
]

let platform: FakePlatform
let withProfile: {home: string; cleanup(): void}
let empty: {home: string; cleanup(): void}
let files: {path: string; bytes: Buffer | null; listing: string[]}[]

before(async () => {
  platform = await startFakePlatform()
  withProfile = tempHome()
  empty = tempHome()
  // If a check let a request through, it would land on the test server (the active profile's URL) and be seen.
  const base = platform.route('leak')
  files = [
    writeConfig(withProfile.home, {
      activeProfile: 'me',
      profiles: {me: {apiKey: 'ckp_ActiveKey0000000000000', type: 'personal-api-key', baseUrl: base}},
    }),
    writeConfig(empty.home, {activeProfile: null, profiles: {}}),
  ].map((path) => ({path, bytes: fileBytes(path), listing: readdirSync(dirname(path))}))
})

after(async () => {
  await platform.close()
  withProfile.cleanup()
  empty.cleanup()
})

describe('create-key: bad input', () => {
  it('every case exits 2 naming the problem, in human mode and with --json, with either key source', async () => {
    const fromFlag = {args: ['--api-key', FLAG_KEY], env: {CODIKA_API_KEY: ENV_KEY}}
    const fromEnv = {args: [] as string[], env: {CODIKA_API_KEY: ENV_KEY, CODIKA_BASE_URL: platform.route('leak')}}
    const none = {args: [] as string[], env: {}}
    // Each case runs once in each mode; the key source alternates so that both keys meet both modes.
    const runs = cases.flatMap((c, i) =>
      [false, true].map((json) => ({
        c,
        json,
        keys: c.keys === false ? none : (i + Number(json)) % 2 === 0 ? fromFlag : fromEnv,
      })),
    )
    await inParallel(runs, async ({c, json, keys}) => {
      const args = ['organization', 'create-key', ...c.args, ...keys.args, ...(json ? ['--json'] : [])]
      const env = {...keys.env, ...c.env}
      const result = await runCli(c.empty ? empty.home : withProfile.home, args, {env})
      try {
        if (json) {
          const doc = assertJsonFailure(result, 2, c.code)
          assert.match(doc.error.message, c.message)
          if (c.hint) assert.match(doc.error.hint, c.hint)
          assert.equal(result.stderr, '', 'nothing on stderr with --json')
        } else {
          assertHumanFailure(result, 2, c.message)
        }
        assertNoLeak(result, [FLAG_KEY, ENV_KEY, 'ckp_ActiveKey0000000000000', ORG], args)
      } catch (error) {
        throw new Error(`${c.name}${json ? ' --json' : ''} ${JSON.stringify(env)}`, {cause: error})
      }
    })
    assert.deepEqual(platform.requests, [], 'no request reached the server')
    for (const f of files) {
      assert.deepEqual(fileBytes(f.path), f.bytes, `${f.path} is byte-identical`)
      assert.deepEqual(readdirSync(dirname(f.path)), f.listing, 'no lock or temporary file left')
    }
  })
})
