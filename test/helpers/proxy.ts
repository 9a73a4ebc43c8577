// A recording HTTP forward proxy on 127.0.0.1: forwards absolute-URI requests and tunnels CONNECT, noting each one.
import {createServer, request as httpRequest, type Server} from 'node:http'
import {connect, type Socket} from 'node:net'

import {listenOnLoopback} from './fake-platform.js'

export interface ProxiedRequest {
  /** `forward` for an absolute-URI request (`POST http://host/path`), `connect` for a CONNECT tunnel. */
  kind: 'forward' | 'connect'
  method: string
  /** The absolute URI, or `host:port` for CONNECT. */
  target: string
}

export interface RecordingProxy {
  url: string
  requests: ProxiedRequest[]
  close: () => Promise<void>
}

export interface ProxyOptions {
  /** Whether to open a CONNECT tunnel to `host:port`; by default loopback only, so a test never reaches the internet. */
  tunnel?: (target: string) => boolean
}

export async function startRecordingProxy(options: ProxyOptions = {}): Promise<RecordingProxy> {
  const tunnel = options.tunnel ?? ((target: string) => target.startsWith('127.0.0.1:'))
  const requests: ProxiedRequest[] = []
  const server: Server = createServer((req, res) => {
    const target = req.url ?? ''
    requests.push({kind: 'forward', method: req.method ?? '', target})
    let url: URL
    try {
      url = new URL(target)
      if (url.hostname !== '127.0.0.1') throw new Error('loopback only')
    } catch {
      res.writeHead(400).end('this proxy forwards absolute URIs to 127.0.0.1 only')
      return
    }
    const headers = {...req.headers}
    delete headers['proxy-connection']
    const upstream = httpRequest(
      {host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: req.method, headers},
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      },
    )
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? ''
    requests.push({kind: 'connect', method: 'CONNECT', target})
    if (!tunnel(target)) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const [host, port] = target.split(':')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    listening.track(upstream)
  })
  const listening = await listenOnLoopback(server)
  return {url: listening.url, requests, close: listening.close}
}
