// The sandbox's HTTP server: the endpoints of CONTRACT.md, GET /health and GET /_sandbox/outbox, over node:http,
// on loopback by default.
import {randomBytes} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {Socket} from 'node:net'
import {resolve} from 'node:path'

import {AUTH_HEADER, type Endpoint, ENDPOINTS, type EndpointName, MAX_LOGO_BYTES} from '../lib/api/contract.js'
import {validator} from '../lib/api/validate.js'
import {CLOCK_OFFSET_ENV, parseClockOffset, shiftedClock} from './clock.js'
import {pidFileOf, recordUrl} from './data-file.js'
import {
  ApiError,
  createOrganization,
  createOrganizationKey,
  flushUse,
  type Handler,
  type HandlerContext,
  type HandlerRequest,
  updateOrganizationKey,
  verifyApiKey,
} from './handlers.js'
import {completeLogin, completeSignup, requestLoginOtp, requestSignupOtp} from './otp.js'
import {type OutboxMessage, OtpStore} from './otp-store.js'
import {type SeededSandbox, seedSandbox} from './seed.js'
import {DEFAULT_HOST, DEFAULT_PORT} from './defaults.js'
import {SandboxStore} from './store.js'

export type {SeededKey, SeededSandbox} from './seed.js'
export type {OutboxMessage} from './otp-store.js'
export {CLOCK_OFFSET_ENV, parseClockOffset} from './clock.js'
export {SandboxStoreError} from './records.js'
export {DEFAULT_HOST, DEFAULT_PORT} from './defaults.js'

/**
 * The largest request body accepted. The contract allows a 5 MiB logo, which is 6.67 MiB once base64-encoded
 * inside the JSON body, so the limit is that plus 64 KiB for the other fields (about 6.73 MiB); a flat 6 MiB
 * would refuse valid logos between 4.5 and 5 MiB.
 */
export const MAX_BODY_BYTES = Math.ceil(MAX_LOGO_BYTES / 3) * 4 + 64 * 1024

// Past the limit the rest of a body is read and thrown away, so the client (still sending) receives the 413 cleanly
// on a connection that stays usable. Past this much more, the connection is closed instead of read.
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024

interface Route {
  endpoint: EndpointName
  handler: Handler
}

const ROUTES = new Map<string, Route>(
  (
    [
      ['verifyApiKey', verifyApiKey],
      ['createOrganization', createOrganization],
      ['createOrganizationKey', createOrganizationKey],
      ['updateOrganizationKey', updateOrganizationKey],
      ['requestSignupOtp', requestSignupOtp],
      ['completeSignup', completeSignup],
      ['requestLoginOtp', requestLoginOtp],
      ['completeLogin', completeLogin],
    ] as const
  ).map(([endpoint, handler]) => [`/${ENDPOINTS[endpoint].path}`, {endpoint, handler}]),
)

export interface SandboxOptions {
  /** TCP port; 0 picks a free one (read it back from `port`). Default 8787. */
  port?: number
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  host?: string
  /** The SQLite file (the CLI's default is <XDG data home>/codika/sandbox.db). */
  dataFile: string
  /** Delete the data file first and start from an empty (then freshly seeded) sandbox. */
  reset?: boolean
  /** The base clock, before CODIKA_SANDBOX_CLOCK_OFFSET is added. Default: the real clock. */
  now?: () => Date | number
  /** Where CODIKA_SANDBOX_CLOCK_OFFSET is read. Default: process.env. */
  env?: NodeJS.ProcessEnv
  /**
   * Gets a line per request (method, path, status, time, request id; never keys or bodies), internal errors, and a
   * line per code the outbox "sends" (address and code: the sandbox's stand-in for the email).
   */
  log?: (line: string) => void
}

export interface Sandbox {
  /** Base URL to give clients, e.g. `http://127.0.0.1:8787` (loopback when bound to a wildcard address). */
  url: string
  host: string
  port: number
  /** Absolute path of the SQLite file. */
  dataFile: string
  /** The clock offset in effect (from CODIKA_SANDBOX_CLOCK_OFFSET), in milliseconds. */
  clockOffsetMs: number
  /** The keys seeded on this start: only on the first start of a data file, never again. */
  seeded?: SeededSandbox
  /** Stops accepting connections, lets requests in flight finish, then closes the database. */
  close(): Promise<void>
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const env = options.env ?? process.env
  const port = options.port ?? DEFAULT_PORT
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`port must be 0–65535 (got ${port})`)
  const host = options.host ?? DEFAULT_HOST
  const clockOffsetMs = parseClockOffset(env[CLOCK_OFFSET_ENV])
  const now = shiftedClock(clockOffsetMs, options.now)
  const log = options.log ?? (() => {})
  const dataFile = resolve(options.dataFile)

  // Compiled now so the first request does not pay for it.
  await Promise.all(
    [...ROUTES.values()]
      .filter(({endpoint}) => endpoint !== 'verifyApiKey')
      .map(({endpoint}) => validator(`${endpoint}.request`)),
  )

  const store = SandboxStore.open(dataFile, {reset: options.reset})
  let server: Server | undefined
  try {
    const context: HandlerContext = {store, now, log}
    server = createSandboxServer(context, log)
    const address = await listen(server, port, host)
    // Seeded only once the port is ours: keys seeded by a start that then failed would never be shown, and a
    // file is seeded only once. Seeding is synchronous, so no request is served before it is done.
    const seeded = seedSandbox(store, now())
    const url = `http://${urlHost(host)}:${address.port}`
    // Beside the pid: `codika sandbox outbox` asks this server, since the database is held exclusively.
    recordUrl(pidFileOf(dataFile), url)
    const sandbox: Sandbox = {
      url,
      host,
      port: address.port,
      dataFile,
      clockOffsetMs,
      close: once(() => stop(server!, store)),
    }
    if (seeded) sandbox.seeded = seeded
    return sandbox
  } catch (error) {
    server?.close()
    store.close()
    throw error
  }
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

function listen(server: Server, port: number, host: string): Promise<{port: number}> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address()
      resolvePromise({port: typeof address === 'object' && address ? address.port : port})
    })
  })
}

async function stop(server: Server, store: SandboxStore): Promise<void> {
  // A client holding a connection open with a slow request must not keep the sandbox up forever.
  const impatience = setTimeout(() => server.closeAllConnections(), 2000)
  await new Promise<void>((resolvePromise) => {
    server.close(() => resolvePromise())
    server.closeIdleConnections()
  })
  clearTimeout(impatience)
  store.close()
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let promise: Promise<void> | undefined
  return () => (promise ??= fn())
}

// ---- Requests -------------------------------------------------------------------------------

function createSandboxServer(context: HandlerContext, log: (line: string) => void): Server {
  const server = createServer((req, res) => {
    void serve(context, log, req, res)
  })
  // Node's 5 s keep-alive lets a busy client (a test suite on a loaded machine) send a POST on a connection the
  // server is closing at that moment: the request fails, and clients never retry a POST. Hosted platforms keep
  // connections about a minute; clients that read the Keep-Alive hint (undici) then close them first.
  server.keepAliveTimeout = 65_000
  // `Expect: 100-continue` lets an oversized body be refused before the client sends it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaredLength(req) > MAX_BODY_BYTES) {
      const requestId = newRequestId()
      res.setHeader('Connection', 'close')
      sendError(res, requestId, tooLarge())
      log(`${req.method} ${req.url} 413 ${requestId} (refused before 100-continue)`)
      return
    }
    res.writeContinue()
    void serve(context, log, req, res)
  })
  // A request node cannot even parse (bad request line, headers too large) still gets an envelope.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy()
      return
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
    const message = `Malformed HTTP request (${error.code ?? 'unknown'})`
    const body = JSON.stringify(errorEnvelope(newRequestId(), message, 'BAD_HTTP'))
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    )
  })
  return server
}

async function serve(
  context: HandlerContext,
  log: (line: string) => void,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = newRequestId()
  const started = performance.now()
  // Split by hand: new URL() would read a path such as `//x` as a host name.
  const path = (req.url ?? '/').split('?', 1)[0]
  let status = 500
  try {
    // The outbox answers as a test script wants it ({"messages": […]}), not in the platform's envelope.
    const body =
      path === OUTBOX_PATH
        ? {messages: outbox(context, req, res)}
        : {success: true, data: await route(context, req, res, path), requestId}
    status = 200
    send(res, 200, body, requestId)
  } catch (error) {
    const apiError = error instanceof ApiError ? error : undefined
    if (!apiError)
      log(`internal error on ${req.method} ${path} (${requestId}): ${(error as Error).stack ?? String(error)}`)
    // The OTP endpoints' table (CONTRACT.md) names this failure INTERNAL, and their errors say what to do next.
    const endpoint: Endpoint | undefined = ENDPOINTS[ROUTES.get(path)?.endpoint ?? ('' as EndpointName)]
    const refusal =
      apiError ??
      (endpoint?.public
        ? new ApiError(500, 'Internal sandbox error', 'INTERNAL', {nextAction: 'Try again in a moment.'})
        : new ApiError(500, 'Internal sandbox error', 'INTERNAL_ERROR'))
    status = refusal.status
    sendError(res, requestId, refusal)
  }
  log(`${req.method} ${path} ${status} ${(performance.now() - started).toFixed(1)}ms ${requestId}`)
}

async function route(
  context: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<object> {
  if (path === '/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(res, req.method, path, 'GET, HEAD')
    return {status: 'ok', now: context.now().toISOString()}
  }
  const found = ROUTES.get(path)
  if (!found) {
    const known = [...ROUTES.keys(), '/health', OUTBOX_PATH].join(', ')
    throw new ApiError(404, `No such endpoint: ${req.method} ${path}. The sandbox serves ${known}`, 'NOT_FOUND')
  }
  if (req.method !== 'POST') throw methodNotAllowed(res, req.method, path, 'POST')

  const raw = await readBody(req, res)
  const header = req.headers[AUTH_HEADER.toLowerCase()]
  const apiKey = Array.isArray(header) ? header.join(', ') : header
  // verifyapikey has no body; whatever comes is ignored, as the platform does.
  const body = found.endpoint === 'verifyApiKey' ? undefined : parseJson(req, raw)
  const call: HandlerRequest = {apiKey, body, clientIp: req.socket.remoteAddress}
  try {
    return await found.handler(context, call)
  } finally {
    // A request that changed nothing (a verify, a refusal) still records that its key was used.
    flushUse(context, call)
  }
}

/**
 * `GET /_sandbox/outbox?email=`: the codes the sandbox "sent", newest first (the Firebase Auth emulator exposes its
 * codes alike). Under `/_sandbox/`, a path the platform never serves, so no client of the platform calls it by mistake.
 */
export const OUTBOX_PATH = '/_sandbox/outbox'

function outbox(context: HandlerContext, req: IncomingMessage, res: ServerResponse): OutboxMessage[] {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(res, req.method, OUTBOX_PATH, 'GET, HEAD')
  const email = new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('email')?.trim()
  return new OtpStore(context.store).outbox(email || undefined)
}

function methodNotAllowed(res: ServerResponse, method: string | undefined, path: string, allow: string): ApiError {
  res.setHeader('Allow', allow)
  return new ApiError(405, `Method ${method} is not allowed on ${path}; use ${allow}`, 'METHOD_NOT_ALLOWED')
}

function declaredLength(req: IncomingMessage): number {
  const length = Number(req.headers['content-length'])
  return Number.isFinite(length) ? length : 0
}

function tooLarge(): ApiError {
  return new ApiError(413, `The request body is larger than the limit of ${MAX_BODY_BYTES} bytes`, 'PAYLOAD_TOO_LARGE')
}

/** The body, at most MAX_BODY_BYTES of it kept in memory; 413 beyond, never buffering the rest. */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    if (declaredLength(req) > DISCARD_LIMIT_BYTES) {
      // Not worth reading: answer now and close the connection once the answer is out.
      res.setHeader('Connection', 'close')
      req.pause()
      reject(tooLarge())
      return
    }
    const chunks: Buffer[] = []
    let received = 0
    let discarding = false
    req.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (discarding) {
        if (received > DISCARD_LIMIT_BYTES) {
          res.setHeader('Connection', 'close')
          req.pause()
          req.removeAllListeners('data')
          reject(tooLarge())
        }
        return
      }
      if (received > MAX_BODY_BYTES) {
        discarding = true
        chunks.length = 0
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => (discarding ? reject(tooLarge()) : resolvePromise(Buffer.concat(chunks))))
    req.on('error', reject)
  })
}

function parseJson(req: IncomingMessage, raw: Buffer): unknown {
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase()
  if (type !== '' && type !== 'application/json' && !type.endsWith('+json')) {
    throw new ApiError(400, `Content-Type must be application/json (got ${type})`, 'INVALID_JSON')
  }
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON', 'INVALID_JSON')
  }
}

// ---- Responses ------------------------------------------------------------------------------

function newRequestId(): string {
  return `req_${randomBytes(8).toString('hex')}`
}

function errorEnvelope(requestId: string, message: string, code: string, extra: ApiError['extra'] = {}) {
  return {success: false as const, error: {message, code, ...extra}, requestId}
}

function sendError(res: ServerResponse, requestId: string, error: ApiError): void {
  send(res, error.status, errorEnvelope(requestId, error.message, error.code, error.extra), requestId)
}

function send(res: ServerResponse, status: number, body: object, requestId: string): void {
  // The client may have gone away while the request was being handled; there is no one left to answer.
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Request-Id': requestId,
  })
  // With `Connection: close` set (oversized bodies), node closes the socket once this is written.
  res.end(text)
}
