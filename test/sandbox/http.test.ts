// The HTTP surface around the endpoints: paths, methods, bodies and their limits; the server keeps serving.
import assert from 'node:assert/strict'
import {request} from 'node:http'
import {connect} from 'node:net'
import {join} from 'node:path'
import {after, before, test} from 'node:test'

import {defaultDataFile} from '../../src/lib/sandbox/launch.js'
import {isLoopbackHost, MAX_BODY_BYTES, startSandbox} from '../../src/sandbox/server.js'
import {assertEnvelope, call, startTestSandbox, tempDir, type TestSandbox} from './helpers.js'

let sandbox: TestSandbox
let owner: string

before(async () => {
  sandbox = await startTestSandbox()
  owner = sandbox.seeded!.owner.apiKey
})
after(() => sandbox.dispose())

async function assertStillServing() {
  const reply = await call(sandbox.url, 'verifyapikey', {key: owner})
  assert.equal(reply.status, 200)
}

/** Sends raw bytes on a new connection and returns everything the server writes before closing. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(sandbox.port, '127.0.0.1', () => socket.write(bytes))
    let received = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => (received += chunk.toString()))
    socket.on('end', () => resolve(received))
    socket.on('error', reject)
  })
}

test('GET /health answers with the success envelope', async () => {
  const reply = await call(sandbox.url, 'health', {method: 'GET'})
  assert.equal(reply.status, 200)
  assert.equal(reply.body.data.status, 'ok')
  const head = await call(sandbox.url, 'health', {method: 'HEAD'})
  assert.equal(head.status, 200)
})

test('an unknown path is a 404 envelope, whatever the method and case', async () => {
  for (const [method, path] of [
    ['POST', 'nope'],
    ['GET', 'nope'],
    ['POST', 'VerifyApiKey'],
    ['POST', 'verifyapikey/extra'],
    ['POST', ''],
  ]) {
    const reply = await call(sandbox.url, path, {method, key: owner})
    assert.equal(reply.status, 404, `${method} /${path}`)
    assert.equal(reply.body.error.code, 'NOT_FOUND')
  }
  await assertStillServing()
})

test('a query string does not change the endpoint', async () => {
  const reply = await call(sandbox.url, 'verifyapikey?x=1', {key: owner})
  assert.equal(reply.status, 200)
})

test('a wrong method is a 405 envelope with Allow', async () => {
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    const reply = await call(sandbox.url, 'createorganizationapikeypublic', {
      method,
      key: owner,
      body: method === 'GET' ? undefined : {},
    })
    assert.equal(reply.status, 405, method)
    assert.equal(reply.headers.get('allow'), 'POST')
  }
  const health = await call(sandbox.url, 'health', {method: 'POST'})
  assert.equal(health.status, 405)
  assert.equal(health.headers.get('allow'), 'GET, HEAD')
  await assertStillServing()
})

test('a body that is not JSON, or not a JSON object, is a 400 envelope', async () => {
  const cases: [string, Record<string, string>][] = [
    ['{"name": "Acme"', {}],
    ['name=Acme', {'Content-Type': 'application/x-www-form-urlencoded'}],
    ['{"name": "Acme"}', {'Content-Type': 'text/plain'}],
    ['', {}],
    ['[1,2]', {}],
    ['"Acme"', {}],
    ['null', {}],
  ]
  for (const [rawBody, headers] of cases) {
    const reply = await call(sandbox.url, 'createorganizationviaapikey', {key: owner, rawBody, headers})
    assert.equal(reply.status, 400, `${JSON.stringify(rawBody)} ${JSON.stringify(headers)}`)
  }
  await assertStillServing()
})

test('verifyapikey ignores whatever body comes with it', async () => {
  const reply = await call(sandbox.url, 'verifyapikey', {key: owner, rawBody: 'not json'})
  assert.equal(reply.status, 200)
})

test('a 7 MiB body is a 413 envelope, and the server keeps serving on the same connection pool', async () => {
  const rawBody = JSON.stringify({name: 'Huge', description: 'x'.repeat(7 * 1024 * 1024)})
  assert.ok(rawBody.length > MAX_BODY_BYTES)
  const reply = await call(sandbox.url, 'createorganizationviaapikey', {key: owner, rawBody})
  assert.equal(reply.status, 413)
  assert.equal(reply.body.error.code, 'PAYLOAD_TOO_LARGE')
  await assertStillServing()
})

test('a 7 MiB body sent in chunks (no Content-Length) is a 413 envelope too', async () => {
  const chunk = Buffer.alloc(1024 * 1024, 0x61)
  const reply = await new Promise<{status: number; body: unknown}>((resolve, reject) => {
    const req = request(`${sandbox.url}/createorganizationviaapikey`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'X-Process-Manager-Key': owner},
    })
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({status: res.statusCode!, body: JSON.parse(text)}))
    })
    req.on('error', reject)
    for (let i = 0; i < 7; i++) req.write(chunk)
    req.end()
  })
  assert.equal(reply.status, 413)
  await assertEnvelope(reply.status, reply.body)
  await assertStillServing()
})

test('Expect: 100-continue with an oversized Content-Length is refused before the body is sent', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${sandbox.url}/createorganizationviaapikey`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': String(7 * 1024 * 1024),
        Expect: '100-continue',
        'X-Process-Manager-Key': owner,
      },
    })
    req.on('continue', () => reject(new Error('the server asked for the body')))
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode!)
    })
    req.on('error', reject)
    req.flushHeaders()
  })
  assert.equal(status, 413)
  await assertStillServing()
})

test('an absurd Content-Length is answered at once and the connection closed', async () => {
  const answer = await rawExchange(
    'POST /createorganizationviaapikey HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      'Content-Length: 1000000000\r\n\r\n{"name":',
  )
  assert.match(answer, /^HTTP\/1\.1 413 /)
  assert.match(answer, /"PAYLOAD_TOO_LARGE"/)
  await assertStillServing()
})

test('a request that is not HTTP gets an error envelope and the connection is closed', async () => {
  const answer = await rawExchange('HELLO THERE\r\n\r\n')
  assert.match(answer, /^HTTP\/1\.1 400 /)
  const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))
  await assertEnvelope(400, body)
  await assertStillServing()
})

test('concurrent key creation: every request succeeds with its own key', async () => {
  const replies = await Promise.all(
    Array.from({length: 25}, (_, i) =>
      call(sandbox.url, 'createorganizationapikeypublic', {
        key: owner,
        body: {organizationId: sandbox.seeded!.organizationId, name: `Parallel ${i}`, scopes: ['projects:read']},
      }),
    ),
  )
  assert.deepEqual(
    replies.map((r) => r.status),
    replies.map(() => 200),
  )
  assert.equal(new Set(replies.map((r) => r.body.data.apiKey)).size, 25)
  assert.equal(new Set(replies.map((r) => r.body.requestId)).size, 25)
})

test('a port in use is an error; the data file stays free and unseeded for the next start', async () => {
  const {dir, remove} = tempDir()
  const dataFile = join(dir, 'sandbox.db')
  try {
    await assert.rejects(startSandbox({port: sandbox.port, dataFile, env: {}}), {code: 'EADDRINUSE'})
    const next = await startSandbox({port: 0, dataFile, env: {}})
    assert.ok(next.seeded, 'the keys are seeded by the start that can show them')
    await next.close()
  } finally {
    remove()
  }
})

test('the default data file is under XDG_DATA_HOME when it is absolute', () => {
  assert.equal(defaultDataFile({XDG_DATA_HOME: '/data'}), '/data/codika/sandbox.db')
  assert.match(defaultDataFile({XDG_DATA_HOME: 'relative'}), /\/\.local\/share\/codika\/sandbox\.db$/)
  assert.match(defaultDataFile({}), /\/\.local\/share\/codika\/sandbox\.db$/)
})

test('loopback hosts', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.ok(isLoopbackHost(host), host)
  for (const host of ['0.0.0.0', '::', '192.168.1.10']) assert.equal(isLoopbackHost(host), false, host)
})
