// A scriptable stand-in for the platform on 127.0.0.1: records every request and answers as each test says.
import {createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {type AddressInfo, createServer as createTcpServer, type Socket} from 'node:net'
import {after, before} from 'node:test'

import {tempHomes} from './cli.js'

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
  json?: any
}

/** How to answer one request: a status and a body (object → JSON), or raw control of the socket. */
export type Reply =
  | {status?: number; json?: unknown; body?: string | Buffer; headers?: Record<string, string>; delayMs?: number}
  | ((req: RecordedRequest, res: ServerResponse, socket: Socket) => void)

export interface FakePlatform {
  url: string
  port: number
  requests: RecordedRequest[]
  /** Sets the reply to every following request (or a list, one per request, the last repeated). */
  reply(...replies: Reply[]): void
  /**
   * Replies for the requests whose path starts with `/<prefix>/`, so that cases sharing one server can run at once;
   * returns the base URL to give the CLI (`<url>/<prefix>`). Other requests get the default replies.
   */
  route(prefix: string, ...replies: Reply[]): string
  /** The recorded requests whose path starts with `/<prefix>/`. */
  requestsTo(prefix: string): RecordedRequest[]
  close: () => Promise<void>
}

export function okEnvelope(data: unknown, requestId = 'req-789') {
  return {success: true, data, requestId}
}

export function errorEnvelope(message: string, requestId = 'req-err', code?: string) {
  return {success: false, error: code ? {message, code} : {message}, requestId}
}

/** A create-key success for a request body, as the platform would answer. */
export function createdKey(body: any, overrides: Record<string, unknown> = {}) {
  return okEnvelope({
    keyId: 'abc123-def456',
    apiKey: `cko_${'A'.repeat(8)}${'x'.repeat(35)}`,
    keyPrefix: 'cko_AAAAAAAA',
    name: body?.name ?? 'Key',
    scopes: body?.scopes ?? ['deploy:use-case'],
    createdAt: '2026-03-30T12:00:00.000Z',
    organizationId: body?.organizationId ?? 'org_1',
    ...overrides,
  })
}

export async function startFakePlatform(
  initial: Reply = (req, res) => json(res, 201, createdKey(req.json)),
): Promise<FakePlatform> {
  let replies: Reply[] = [initial]
  let served = 0
  const routes = new Map<string, {replies: Reply[]; served: number}>()
  const routeOf = (url: string) => routes.get(url.split('/')[1] ?? '')
  const requests: RecordedRequest[] = []

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const recorded: RecordedRequest = {method: req.method ?? '', url: req.url ?? '', headers: req.headers, body}
      try {
        recorded.json = body ? JSON.parse(body) : undefined
      } catch {
        // leave json undefined
      }
      requests.push(recorded)
      const route = routeOf(recorded.url)
      const reply = route
        ? route.replies[Math.min(route.served++, route.replies.length - 1)]
        : replies[Math.min(served++, replies.length - 1)]
      if (typeof reply === 'function') return reply(recorded, res, req.socket)
      const send = () => {
        if (reply.json !== undefined) return json(res, reply.status ?? 200, reply.json, reply.headers)
        res.writeHead(reply.status ?? 200, reply.headers ?? {})
        res.end(reply.body ?? '')
      }
      if (reply.delayMs) setTimeout(send, reply.delayMs)
      else send()
    })
  })
  const {port, url, close} = await listenOnLoopback(server)
  return {
    url,
    port,
    requests,
    reply(...next: Reply[]) {
      replies = next
      served = 0
    },
    route(prefix, ...next) {
      routes.set(prefix, {replies: next.length > 0 ? next : [initial], served: 0})
      return `http://127.0.0.1:${port}/${prefix}`
    },
    requestsTo(prefix) {
      return requests.filter((r) => r.url.split('/')[1] === prefix)
    },
    close,
  }
}

export interface Listening {
  port: number
  url: string
  /** Also destroy this socket on close (a connection the server opened itself). */
  track(socket: Socket): void
  /** Cuts every open connection, then closes the server. */
  close: () => Promise<void>
}

/** Starts `server` on a free port of 127.0.0.1, keeping its connections so that close() never waits on them. */
export async function listenOnLoopback(server: Server): Promise<Listening> {
  const sockets = new Set<Socket>()
  const track = (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  }
  server.on('connection', track)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    track,
    close() {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  })
  res.end(text)
}

/** A loopback port that was bound and then closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * A test file's fake platform and temp homes: the platform starts before the file's tests (its object filled in then,
 * so tests use it as the started one) and closes after them, and the homes are removed.
 */
export function fakePlatformForFile(homePrefix?: string): {
  platform: FakePlatform
  homes: ReturnType<typeof tempHomes>
} {
  const platform = {} as FakePlatform
  const homes = tempHomes(homePrefix)
  before(async () => {
    Object.assign(platform, await startFakePlatform())
  })
  after(async () => {
    await platform.close()
    homes.cleanup()
  })
  return {platform, homes}
}
