// The HTTP client: headers, envelopes, status, timeout, retries, size cap, proxies and DEBUG logging.
import assert from 'node:assert/strict'
import {createServer as createHttpServer} from 'node:http'
import {after, before, describe, it} from 'node:test'

import {assertNoLeak, onlyJson} from '../../helpers/assertions.js'
import {runCli, tempHome} from '../../helpers/cli.js'
import {
  closedPort,
  createdKey,
  errorEnvelope,
  type FakePlatform,
  json,
  okEnvelope,
  startFakePlatform,
} from '../../helpers/fake-platform.js'
import {startRecordingProxy} from '../../helpers/proxy.js'

// The client's debug log is switched on when its module loads: the retry test below waits for its "retrying" line.
// The lines are kept out of the test report, and handed to `onDebug`.
process.env.DEBUG = 'codika:http'
let onDebug: (line: string) => void = () => {}
const stderrWrite = process.stderr.write.bind(process.stderr)
process.stderr.write = ((chunk: string | Uint8Array, ...rest: any[]) => {
  const text = String(chunk)
  if (!text.startsWith('codika:http ')) return stderrWrite(chunk, ...rest)
  onDebug(text)
  return true
}) as typeof process.stderr.write
const {CodikaClient, MAX_RESPONSE_BYTES, timeoutFromEnv} = await import('../../../src/lib/api/client.js')
const {CodikaError} = await import('../../../src/lib/errors.js')

const KEY = 'ckp_ClientTestKey000000000000'
const BODY = {organizationId: 'org_1', name: 'CI Deploy Key', scopes: ['deploy:use-case']}
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

let platform: FakePlatform
const home = tempHome()

before(async () => {
  platform = await startFakePlatform()
})
after(async () => {
  await platform.close()
  home.cleanup()
  process.stderr.write = stderrWrite
})

function client(baseUrl: string, timeoutMs = 5000) {
  return new CodikaClient({baseUrl, apiKey: KEY, timeoutMs, userAgent: 'codika-cli/9.9.9 node/20 test'})
}

/** The CodikaError a call rejects with. */
async function failure(call: Promise<unknown>): Promise<InstanceType<typeof CodikaError>> {
  try {
    await call
  } catch (error) {
    assert.ok(error instanceof CodikaError, `not a CodikaError: ${String(error)}`)
    return error
  }
  assert.fail('the call succeeded')
}

describe('CodikaClient', () => {
  it('POSTs the contract headers and body to base + path, and returns the envelope', async () => {
    const c = client(platform.route('headers'))
    try {
      const envelope = await c.createOrganizationKey(BODY)
      assert.equal(envelope.success, true)
      assert.equal(envelope.data.keyId, 'abc123-def456')
      assert.equal(envelope.requestId, 'req-789')
    } finally {
      await c.close()
    }
    const [req] = platform.requestsTo('headers')
    assert.equal(req.method, 'POST')
    assert.equal(req.url, '/headers/createorganizationapikeypublic')
    assert.equal(req.headers['x-process-manager-key'], KEY)
    assert.equal(req.headers['content-type'], 'application/json')
    assert.equal(req.headers['user-agent'], 'codika-cli/9.9.9 node/20 test')
    assert.equal(req.headers.authorization, undefined)
    assert.deepEqual(req.json, BODY)
  })

  it('verify is a POST without a body', async () => {
    const base = platform.route('verify', {json: okEnvelope({type: 'personal-api-key'})})
    const c = client(`${base}/`)
    try {
      assert.equal((await c.verifyApiKey()).data.type, 'personal-api-key')
    } finally {
      await c.close()
    }
    const [req] = platform.requestsTo('verify')
    assert.equal(req.method, 'POST')
    assert.equal(req.url, '/verify/verifyapikey')
    assert.equal(req.body, '')
    assert.equal(req.headers['content-type'], undefined)
  })

  it('checks the request against the contract and sends nothing when it is wrong', async () => {
    const c = client(platform.route('badrequest'))
    try {
      const e = await failure(c.createOrganizationKey({...BODY, scopes: []}))
      assert.equal(e.code, 'INVALID_REQUEST')
      assert.equal(e.exitCode, 2)
    } finally {
      await c.close()
    }
    assert.equal(platform.requestsTo('badrequest').length, 0)
  })

  it('the OTP endpoints go without the auth header; a client without a key sends nothing that needs one', async () => {
    const base = platform.route('public', {json: okEnvelope({email: 'a@example.com', expiresInSeconds: 600})})
    const keyless = new CodikaClient({baseUrl: base, timeoutMs: 5000})
    try {
      const withKey = client(base)
      await withKey.requestLoginOtp({email: 'a@example.com'})
      await withKey.close()
      await keyless.requestSignupOtp({email: 'a@example.com'})
      const refused = await failure(keyless.verifyApiKey())
      assert.equal(refused.code, 'NO_API_KEY')
      assert.equal(refused.exitCode, 2)
    } finally {
      await keyless.close()
    }
    const sent = platform.requestsTo('public')
    assert.deepEqual(
      sent.map((r) => [r.url, r.headers['x-process-manager-key']]),
      [
        ['/public/clirequestloginotp', undefined],
        ['/public/clirequestsignupotp', undefined],
      ],
    )
  })

  it('an OTP error keeps the platform’s nextAction and details (when they have the contract’s shape)', async () => {
    const error = (extra: object) => ({
      success: false,
      error: {message: 'Wrong code', code: 'OTP_INVALID', ...extra},
      requestId: 'req-otp',
    })
    const base = platform.route(
      'otp-error',
      {status: 400, json: error({nextAction: 'Try again.', details: {attemptsRemaining: 3}})},
      {status: 400, json: error({nextAction: 42, details: ['not', 'an', 'object']})},
    )
    const c = new CodikaClient({baseUrl: base, timeoutMs: 5000})
    try {
      const first = await failure(c.completeLogin({email: 'a@example.com', code: '123456'}))
      assert.equal(first.platformCode, 'OTP_INVALID')
      assert.equal(first.nextAction, 'Try again.')
      assert.deepEqual(first.details, {attemptsRemaining: 3})
      assert.equal(first.hint, undefined, 'no key-and-id hint for a public endpoint')
      const second = await failure(c.completeLogin({email: 'a@example.com', code: '123456'}))
      assert.equal(second.nextAction, undefined)
      assert.equal(second.details, undefined)
    } finally {
      await c.close()
    }
  })

  it('errors are typed values with the HTTP status and the request id', async () => {
    const cases = [
      {
        prefix: 'e401',
        reply: {status: 401, json: errorEnvelope('Invalid API key', 'req-a', 'BAD_KEY')},
        code: 'API_ERROR',
        status: 401,
        requestId: 'req-a',
      },
      {
        prefix: 'e500ok',
        reply: {status: 500, json: createdKey(BODY)},
        code: 'HTTP_ERROR',
        status: 500,
        requestId: 'req-789',
      },
      {
        prefix: 'e502',
        reply: {status: 502, body: '<html>bad gateway</html>'},
        code: 'HTTP_ERROR',
        status: 502,
        requestId: undefined,
      },
      {prefix: 'e204', reply: {status: 204}, code: 'INVALID_RESPONSE', status: 204, requestId: undefined},
      {
        prefix: 'eshape',
        reply: {status: 200, json: {success: true, data: {}, requestId: 'req-b'}},
        code: 'INVALID_RESPONSE',
        status: 200,
        requestId: 'req-b',
      },
      {prefix: 'enull', reply: {status: 200, json: null}, code: 'INVALID_RESPONSE', status: 200, requestId: undefined},
    ]
    await Promise.all(
      cases.map(async (k) => {
        const c = client(platform.route(k.prefix, k.reply))
        try {
          const e = await failure(c.createOrganizationKey(BODY))
          assert.equal(e.code, k.code, k.prefix)
          assert.equal(e.exitCode, 1)
          assert.equal(e.status, k.status, k.prefix)
          assert.equal(e.requestId, k.requestId, k.prefix)
          if (k.prefix === 'e401') {
            assert.equal(e.platformCode, 'BAD_KEY')
            // The platform's own words, unchanged: scripts compare them (the status has its own field).
            assert.equal(e.message, 'Invalid API key')
          }
          if (k.prefix === 'eshape')
            assert.match(e.message, /breaks the contract: data must have required property 'keyId'/)
        } finally {
          await c.close()
        }
        assert.equal(platform.requestsTo(k.prefix).length, 1, `${k.prefix}: a create is sent once`)
      }),
    )
  })

  it('verify is retried once after a 502; a create never is', async () => {
    const verify = client(
      platform.route('retry-verify', {status: 502, body: 'x'}, {json: okEnvelope({type: 'org-api-key'})}),
    )
    const create = client(
      platform.route('retry-create', {status: 502, body: 'x'}, {status: 201, json: createdKey(BODY)}),
    )
    try {
      assert.equal((await verify.verifyApiKey()).data.type, 'org-api-key')
      assert.equal((await failure(create.createOrganizationKey(BODY))).status, 502)
    } finally {
      await Promise.all([verify.close(), create.close()])
    }
    assert.equal(platform.requestsTo('retry-verify').length, 2)
    assert.equal(platform.requestsTo('retry-create').length, 1)
  })

  it('a create whose connection was refused is sent again once (it provably never arrived)', async () => {
    const port = await closedPort()
    const seen: string[] = []
    // Bind the refused port as soon as the client says it will retry (it waits 250 ms before doing so).
    const late = createHttpServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        seen.push(req.url ?? '')
        json(res, 201, createdKey(JSON.parse(body)))
      })
    })
    let retried = false
    onDebug = (line) => {
      if (!retried && line.includes('retrying POST')) {
        retried = true
        late.listen(port, '127.0.0.1')
      }
    }
    const c = client(`http://127.0.0.1:${port}`)
    try {
      const envelope = await c.createOrganizationKey(BODY)
      assert.equal(envelope.data.keyId, 'abc123-def456')
    } finally {
      onDebug = () => {}
      await c.close()
      late.closeAllConnections()
      await new Promise((resolve) => late.close(resolve))
    }
    assert.ok(retried)
    assert.deepEqual(seen, ['/createorganizationapikeypublic'])
  })

  it('a connection reset mid-body is a NETWORK_ERROR and is not resent', async () => {
    const base = platform.route('reset', (_req, res, socket) => {
      res.writeHead(201, {'content-type': 'application/json', 'content-length': '300'})
      res.write('{"success":true,')
      setTimeout(() => socket.destroy(), 20)
    })
    const c = client(base)
    try {
      assert.equal((await failure(c.createOrganizationKey(BODY))).code, 'NETWORK_ERROR')
    } finally {
      await c.close()
    }
    assert.equal(platform.requestsTo('reset').length, 1)
  })

  it('the timeout is total: a server that never answers fails after it, once', async () => {
    const c = client(
      platform.route('hang', () => {}),
      300,
    )
    const started = Date.now()
    try {
      const e = await failure(c.createOrganizationKey(BODY))
      assert.equal(e.code, 'TIMEOUT')
      assert.match(e.message, /0\.3 s/)
    } finally {
      await c.close()
    }
    const elapsed = Date.now() - started
    assert.ok(elapsed >= 250 && elapsed < 3000, `took ${elapsed} ms`)
    assert.equal(platform.requestsTo('hang').length, 1)
  })

  it('a body up to 1 MiB is read; a larger one is refused, declared or not', async () => {
    const envelopeOf = (size: number) => {
      const shell = JSON.stringify(okEnvelope({type: 'org-api-key', keyName: ''}))
      return JSON.stringify(okEnvelope({type: 'org-api-key', keyName: 'x'.repeat(size - Buffer.byteLength(shell))}))
    }
    const exact = envelopeOf(MAX_RESPONSE_BYTES)
    assert.equal(Buffer.byteLength(exact), MAX_RESPONSE_BYTES)
    const over = envelopeOf(MAX_RESPONSE_BYTES + 1)
    const fits = client(platform.route('fits', {body: exact}))
    const declared = client(platform.route('declared', {body: over}))
    const chunked = client(
      platform.route('chunked', (_req, res) => {
        res.writeHead(200, {'content-type': 'application/json'})
        res.on('error', () => {})
        res.write(over.slice(0, 100))
        setTimeout(() => res.end(over.slice(100)), 10)
      }),
    )
    try {
      assert.equal((await fits.verifyApiKey()).data.type, 'org-api-key')
      for (const c of [declared, chunked]) {
        const e = await failure(c.verifyApiKey())
        assert.equal(e.code, 'INVALID_RESPONSE')
        assert.match(e.message, /larger than 1 MiB/)
      }
    } finally {
      await Promise.all([fits.close(), declared.close(), chunked.close()])
    }
  })
})

describe('timeoutFromEnv', () => {
  it('reads seconds, defaults to 30, and refuses anything but a positive number (exit 2)', () => {
    assert.equal(timeoutFromEnv({}), 30_000)
    assert.equal(timeoutFromEnv({CODIKA_TIMEOUT: ''}), 30_000)
    assert.equal(timeoutFromEnv({CODIKA_TIMEOUT: '1'}), 1000)
    assert.equal(timeoutFromEnv({CODIKA_TIMEOUT: ' 2.5 '}), 2500)
    for (const bad of ['0', '-1', 'abc', '1e3', '5s', 'Infinity']) {
      assert.throws(
        () => timeoutFromEnv({CODIKA_TIMEOUT: bad}),
        (e: any) => e instanceof CodikaError && e.exitCode === 2 && /CODIKA_TIMEOUT/.test(e.message),
        bad,
      )
    }
  })
})

describe('the client in the CLI: proxies and DEBUG', () => {
  it('HTTP_PROXY sends the request through the proxy (a plain forward request); NO_PROXY naming the host does not', async () => {
    const proxy = await startRecordingProxy()
    try {
      const via = platform.route('via-proxy')
      const direct = platform.route('no-proxy')
      const [proxied, bypassed, lower] = await Promise.all([
        runCli(home.home, [...ARGS, '--api-key', KEY, '--api-url', via, '--no-save'], {env: {HTTP_PROXY: proxy.url}}),
        runCli(home.home, [...ARGS, '--api-key', KEY, '--api-url', direct, '--no-save'], {
          env: {HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1'},
        }),
        runCli(home.home, [...ARGS, '--api-key', KEY, '--api-url', `${via}/lower`, '--no-save'], {
          env: {http_proxy: proxy.url},
        }),
      ])
      for (const r of [proxied, bypassed, lower]) assert.equal(r.code, 0, r.stderr)
      assert.deepEqual(proxy.requests.map((r) => `${r.kind} ${r.method} ${r.target}`).sort(), [
        `forward POST ${via}/createorganizationapikeypublic`,
        `forward POST ${via}/lower/createorganizationapikeypublic`,
      ])
      assert.equal(platform.requestsTo('via-proxy').length, 2, 'the proxy passed both on')
      assert.equal(platform.requestsTo('via-proxy')[0].headers['x-process-manager-key'], KEY)
      assert.equal(platform.requestsTo('no-proxy').length, 1)
    } finally {
      await proxy.close()
    }
  })

  it('HTTPS_PROXY is used for https URLs (through a CONNECT tunnel)', async () => {
    const proxy = await startRecordingProxy({tunnel: () => false})
    try {
      const result = await runCli(
        home.home,
        [...ARGS, '--api-key', KEY, '--api-url', 'https://codika.invalid:8443', '--no-save', '--json'],
        {
          env: {HTTPS_PROXY: proxy.url},
        },
      )
      assert.equal(result.code, 1)
      assert.equal(onlyJson(result).error.code, 'NETWORK_ERROR')
      assert.deepEqual(proxy.requests, [{kind: 'connect', method: 'CONNECT', target: 'codika.invalid:8443'}])
    } finally {
      await proxy.close()
    }
  })

  it('DEBUG=codika* logs method, URL, status, time and request id, and never a key', async () => {
    const base = platform.route('debug')
    const flagKey = 'debug-flag-secret-0123456789'
    const envKey = 'debug-env-secret-0123456789'
    const [fromFlag, fromEnv, failing] = await Promise.all([
      runCli(home.home, [...ARGS, '--api-key', flagKey, '--api-url', base, '--no-save'], {env: {DEBUG: 'codika*'}}),
      runCli(home.home, [...ARGS, '--no-save'], {
        env: {DEBUG: 'codika*', CODIKA_API_KEY: envKey, CODIKA_BASE_URL: base},
      }),
      runCli(
        home.home,
        [...ARGS, '--api-key', flagKey, '--api-url', `http://127.0.0.1:${await closedPort()}`, '--no-save'],
        {
          env: {DEBUG: 'codika*'},
        },
      ),
    ])
    for (const r of [fromFlag, fromEnv]) {
      assert.equal(r.code, 0, r.stderr)
      assert.match(
        r.stderr,
        new RegExp(
          `^codika:http POST ${base}/createorganizationapikeypublic → 201 in \\d+ ms \\(request id req-789\\)$`,
          'm',
        ),
      )
    }
    assert.equal(failing.code, 1)
    assert.match(
      failing.stderr,
      /^codika:http POST http:\/\/127\.0\.0\.1:\d+\/createorganizationapikeypublic failed after \d+ ms/m,
    )
    for (const r of [fromFlag, fromEnv, failing]) {
      assertNoLeak({...r, stdout: ''}, [flagKey, envKey, (createdKey({}).data as {apiKey: string}).apiKey])
      assert.ok(!r.stdout.includes(flagKey) && !r.stdout.includes(envKey))
    }
  })

  it("DEBUG=* (oclif's own debug lines print the command line) never shows a key", async () => {
    const base = platform.route('debug-all')
    const flagKey = 'ckp_debugAllFlagSecret0123456789'
    const n8nKey = 'n8n-debug-all-secret-0123456789'
    const envKey = 'debug-all-env-secret-0123456789'
    const [fromFlag, inline] = await Promise.all([
      runCli(home.home, [...ARGS, '--api-key', flagKey, '--api-url', base, '--no-save'], {
        env: {DEBUG: '*', CODIKA_API_KEY: envKey},
      }),
      runCli(
        home.home,
        [
          'organization',
          'create',
          '--name',
          'Debug Org',
          '--n8n-base-url',
          'http://127.0.0.1:5678',
          `--n8n-api-key=${n8nKey}`,
          `--api-key=${flagKey}`,
          '--api-url',
          `http://127.0.0.1:${await closedPort()}`,
        ],
        {
          env: {DEBUG: '*'},
        },
      ),
    ])
    assert.equal(fromFlag.code, 0, fromFlag.stderr)
    assert.match(fromFlag.stderr, /oclif:main process\.argv/)
    assert.equal(inline.code, 1)
    for (const r of [fromFlag, inline]) assertNoLeak({...r, stdout: ''}, [flagKey, n8nKey, envKey])
  })
})
