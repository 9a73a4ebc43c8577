// `create-key` when the platform or the network fails: exit 1, a one-line cause, no stack trace, nothing saved, no resend.
import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {dirname} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {assertHumanFailure, assertJsonFailure, assertNoLeak, fileBytes, writeConfig} from '../../helpers/assertions.js'
import {runCli, tempHome} from '../../helpers/cli.js'
import {inParallel} from '../../helpers/concurrency.js'
import {
  closedPort,
  createdKey,
  errorEnvelope,
  type FakePlatform,
  json,
  okEnvelope,
  type Reply,
  startFakePlatform,
} from '../../helpers/fake-platform.js'

const CALLER = 'ckp_CallerKey0123456789abcdef'
const ARGS = [
  'organization',
  'create-key',
  '--organization-id',
  'org_1',
  '--name',
  'CI Deploy Key',
  '--scopes',
  'deploy:use-case',
]
const MIB = 1024 * 1024
// A key the platform would have minted: it must not be shown when the response as a whole is refused.
const MINTED = 'cko_MintedButRefused000000000000'

interface Fault {
  name: string
  reply: Reply
  code: string
  cause: RegExp
  env?: Record<string, string>
  /** Set when the URL is not the test server's (connection refused). */
  url?: () => Promise<string>
  requestId?: string
}

/** Headers that promise `declared` bytes, part of a body, then the connection dropped. */
const resetMidBody: Reply = (_req, res, socket) => {
  res.writeHead(201, {'content-type': 'application/json', 'content-length': '400'})
  res.write('{"success":true,"data":{"keyId":"abc","apiKey":"cko_')
  setTimeout(() => socket.destroy(), 50)
}

const hugeDeclared: Reply = (_req, res) => {
  const body = JSON.stringify(okEnvelope({padding: 'x'.repeat(5 * MIB)}))
  res.writeHead(201, {'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body))})
  res.on('error', () => {})
  res.end(body)
}

const hugeChunked: Reply = (_req, res) => {
  res.writeHead(201, {'content-type': 'application/json'})
  res.on('error', () => {})
  const chunk = 'x'.repeat(64 * 1024)
  let sent = 0
  res.write('{"success":true,"requestId":"r","data":{"padding":"')
  const pump = () => {
    while (sent < 5 * MIB && !res.destroyed) {
      sent += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
    if (!res.destroyed) res.end('"}}')
  }
  pump()
}

// When each never-answered request arrived: the timeout is measured from there, not from a (slow, loaded) process start.
const arrivals = new Map<string, number>()

const faults: Fault[] = [
  {
    name: 'a server that never answers',
    reply: (req) => void arrivals.set(req.url.split('/')[1], Date.now()),
    env: {CODIKA_TIMEOUT: '1'},
    code: 'TIMEOUT',
    cause: /within 1 s/,
  },
  {
    name: 'HTML 502',
    reply: {
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      headers: {'content-type': 'text/html'},
    },
    code: 'HTTP_ERROR',
    cause: /HTTP 502/,
  },
  {
    name: '500 whose body says success: true',
    reply: {status: 500, json: createdKey({}, {apiKey: MINTED})},
    code: 'HTTP_ERROR',
    cause: /HTTP 500/,
    requestId: 'req-789',
  },
  {
    name: '200 with non-JSON',
    reply: {status: 200, body: 'OK', headers: {'content-type': 'text/plain'}},
    code: 'INVALID_RESPONSE',
    cause: /HTTP 200.*not JSON/,
  },
  {
    name: '200 with JSON of the wrong shape',
    reply: {status: 200, json: {ok: true, apiKey: MINTED}},
    code: 'INVALID_RESPONSE',
    cause: /HTTP 200/,
  },
  {
    name: '201 envelope whose data lacks the key',
    reply: {
      status: 201,
      json: okEnvelope({keyId: 'abc', keyPrefix: 'cko_AAAAAAAA', name: 'x', scopes: [], createdAt: 'now'}, 'req-shape'),
    },
    code: 'INVALID_RESPONSE',
    cause: /HTTP 201\) breaks the contract: data must have required property 'apiKey'/,
    requestId: 'req-shape',
  },
  {
    name: '200 with the error envelope',
    reply: {status: 200, json: errorEnvelope('Something the platform did not like', 'req-200')},
    code: 'API_ERROR',
    cause: /Something the platform did not like/,
    requestId: 'req-200',
  },
  {
    name: '401 with the error envelope',
    reply: {status: 401, json: errorEnvelope('Invalid or expired API key', 'req-401', 'UNAUTHORIZED')},
    code: 'API_ERROR',
    cause: /Invalid or expired API key/,
    requestId: 'req-401',
  },
  {
    name: '403 with the error envelope',
    reply: {status: 403, json: errorEnvelope('API key lacks the api-keys:manage scope', 'req-403')},
    code: 'API_ERROR',
    cause: /API key lacks the api-keys:manage scope/,
    requestId: 'req-403',
  },
  {
    name: '401 whose message echoes the key it got',
    reply: (req, res) =>
      json(
        res,
        401,
        errorEnvelope(`Unknown API key ${String(req.headers['x-process-manager-key'])} (revoked)`, 'req-echo'),
      ),
    code: 'API_ERROR',
    cause: /Unknown API key ckp_Call…cdef \(revoked\)/,
    requestId: 'req-echo',
  },
  {
    name: 'connection refused',
    reply: {},
    url: async () => `http://127.0.0.1:${await closedPort()}`,
    code: 'NETWORK_ERROR',
    cause: /connection refused/,
  },
  {
    name: 'a body that stops halfway (the timeout is total, not per read)',
    reply: (req, res) => {
      arrivals.set(req.url.split('/')[1], Date.now())
      res.writeHead(201, {'content-type': 'application/json', 'content-length': '400'})
      res.write('{"success":true,')
    },
    env: {CODIKA_TIMEOUT: '1'},
    code: 'TIMEOUT',
    cause: /within 1 s/,
  },
  {
    name: 'a connection reset mid-body',
    reply: resetMidBody,
    code: 'NETWORK_ERROR',
    cause: /closed before the response was complete/,
  },
  {
    name: 'a connection closed before any response',
    reply: (_req, _res, socket) => socket.destroy(),
    code: 'NETWORK_ERROR',
    cause: /closed before the response was complete/,
  },
  {name: 'a 5 MiB body (Content-Length)', reply: hugeDeclared, code: 'INVALID_RESPONSE', cause: /larger than 1 MiB/},
  {name: 'a 5 MiB body (chunked)', reply: hugeChunked, code: 'INVALID_RESPONSE', cause: /larger than 1 MiB/},
]

let platform: FakePlatform
const home = tempHome()
let configPath: string
let original: Buffer | null

before(async () => {
  platform = await startFakePlatform()
  configPath = writeConfig(home.home, {
    activeProfile: 'old',
    profiles: {old: {apiKey: 'cko_OldKey00000000000000000', type: 'org-api-key', keyName: 'old'}},
  })
  original = fileBytes(configPath)
})

after(async () => {
  await platform.close()
  home.cleanup()
})

describe('create-key: faults', () => {
  it('each fault exits 1 with a one-line cause, sends the create once, and saves nothing', async () => {
    const runs = faults.flatMap((fault, i) =>
      [false, true].map((json) => ({fault, json, prefix: `f${i}${json ? 'j' : 'h'}`})),
    )
    await inParallel(runs, async ({fault, json, prefix}) => {
      const base = fault.url ? await fault.url() : platform.route(prefix, fault.reply)
      const args = [...ARGS, '--api-key', CALLER, '--api-url', base, ...(json ? ['--json'] : [])]
      const result = await runCli(home.home, args, {env: fault.env})
      const ended = Date.now()
      try {
        if (json) {
          const doc = assertJsonFailure(result, 1, fault.code)
          assert.match(doc.error.message, fault.cause)
          assert.equal(doc.requestId, fault.requestId ?? null)
          assert.equal(result.stderr, '', 'nothing on stderr with --json')
        } else {
          assertHumanFailure(result, 1, fault.cause)
          if (fault.requestId) assert.match(result.stderr, new RegExp(`Request ID: ${fault.requestId}`))
        }
        assertNoLeak(result, [CALLER, MINTED], args)
        if (fault.code === 'TIMEOUT') {
          const waited = ended - (arrivals.get(prefix) ?? Number.NaN)
          assert.ok(waited < 5000, `the CLI ended ${waited} ms after its request arrived`)
        }
        if (!fault.url) assert.equal(platform.requestsTo(prefix).length, 1, 'the create was sent exactly once')
      } catch (error) {
        throw new Error(`${fault.name}${json ? ' --json' : ''}`, {cause: error})
      }
    })
    assert.deepEqual(fileBytes(configPath), original, 'the profile file is byte-identical')
    assert.deepEqual(readdirSync(dirname(configPath)), ['config.json'], 'no lock or temporary file left')
  })
})
