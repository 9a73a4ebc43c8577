// Asks, with a time limit, whether a Secret Service answers on the D-Bus session bus, before the native keyring
// module is let near it.
//
// Why this exists: @napi-rs/keyring connects to D-Bus synchronously, on the main thread, when an entry is made. A bus
// that never completes the handshake blocks it forever, and a Secret Service that never answers blocks it for libdbus's
// 25 s; Node cannot even exit while a native call is stuck (it joins its threads). So the question "does a Secret
// Service answer?" is asked here first, on a socket of our own that a timer can close: the SASL handshake, Hello, and
// org.freedesktop.DBus.Peer.Ping to org.freedesktop.secrets (which also starts an activatable service). Only these
// three fixed messages are written and only the header of the replies is read: the whole of the client this needs.
// (The pure-JavaScript D-Bus libraries are unmaintained and heavy, and one pulls in a module compiled at install.)
import {existsSync} from 'node:fs'
import {connect} from 'node:net'
import {join} from 'node:path'

export type ProbeResult = {ok: true} | {ok: false; reason: string}

/** The socket of the session bus: DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus (as libdbus looks for it). */
export function sessionBusSocket(env: NodeJS.ProcessEnv = process.env): {path: string} | {reason: string} {
  const address = env.DBUS_SESSION_BUS_ADDRESS?.trim()
  if (!address) {
    const runtime = env.XDG_RUNTIME_DIR?.trim()
    if (runtime && existsSync(join(runtime, 'bus'))) return {path: join(runtime, 'bus')}
    return {reason: 'there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)'}
  }
  // `transport:key=value,key=value;…`, values %-escaped; the first unix one with a path we can open wins.
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':')
    if (entry.slice(0, colon) !== 'unix') continue
    const params = new Map(
      entry
        .slice(colon + 1)
        .split(',')
        .map((pair) => [pair.slice(0, pair.indexOf('=')), unescapeValue(pair.slice(pair.indexOf('=') + 1))]),
    )
    if (params.get('path')) return {path: params.get('path')!}
    // Abstract sockets (Linux): Node takes them as a path starting with a NUL byte.
    if (params.get('abstract')) return {path: `\0${params.get('abstract')}`}
    if (params.get('runtime') === 'yes' && env.XDG_RUNTIME_DIR) return {path: join(env.XDG_RUNTIME_DIR, 'bus')}
  }
  return {reason: `the D-Bus session bus address is not a local socket (${address.split(',')[0]})`}
}

/** Is there a socket where the session bus should be? (Cheap: no connection is made.) */
export function sessionBusPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  const bus = sessionBusSocket(env)
  return 'path' in bus && (bus.path.startsWith('\0') || existsSync(bus.path))
}

function unescapeValue(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

const HELLO_SERIAL = 1
const PING_SERIAL = 2

/** Does a Secret Service answer on the session bus within `timeoutMs`? Never throws. */
export function probeSecretService(timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<ProbeResult> {
  const bus = sessionBusSocket(env)
  if ('reason' in bus) return Promise.resolve({ok: false, reason: bus.reason})
  return new Promise((resolve) => {
    const socket = connect({path: bus.path})
    let settled = false
    const finish = (result: ProbeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(
      () => finish({ok: false, reason: `the Secret Service did not answer within ${timeoutMs / 1000} s`}),
      timeoutMs,
    )
    let stage: 'auth' | 'messages' = 'auth'
    let buffered = Buffer.alloc(0)
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish({ok: false, reason: `the D-Bus session bus cannot be reached (${error.code ?? error.message})`}),
    )
    socket.on('close', () => finish({ok: false, reason: 'the D-Bus session bus closed the connection'}))
    socket.on('connect', () => {
      const uid = String(process.getuid?.() ?? 0)
      socket.write(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`)
    })
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      if (stage === 'auth') {
        const end = buffered.indexOf('\r\n')
        if (end < 0) return
        const line = buffered.subarray(0, end).toString('latin1')
        buffered = buffered.subarray(end + 2)
        if (!line.startsWith('OK ')) {
          finish({ok: false, reason: 'the D-Bus session bus refused to let us in'})
          return
        }
        stage = 'messages'
        socket.write(
          Buffer.concat([
            Buffer.from('BEGIN\r\n', 'latin1'),
            methodCall(HELLO_SERIAL, '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'Hello', 'org.freedesktop.DBus'),
            methodCall(
              PING_SERIAL,
              '/org/freedesktop/secrets',
              'org.freedesktop.DBus.Peer',
              'Ping',
              'org.freedesktop.secrets',
            ),
          ]),
        )
      }
      for (;;) {
        const message = nextMessage(buffered)
        if (!message) return
        buffered = buffered.subarray(message.length)
        if (message.replySerial !== PING_SERIAL) continue
        if (message.type === METHOD_RETURN) finish({ok: true})
        else
          finish({
            ok: false,
            reason:
              message.errorName === 'org.freedesktop.DBus.Error.ServiceUnknown'
                ? 'no Secret Service is running on the D-Bus session bus'
                : `the Secret Service did not answer (${message.errorName ?? 'error'})`,
          })
        return
      }
    })
  })
}

// ---- The D-Bus wire format, as little of it as the probe needs (little-endian out, either endianness in) ----

const METHOD_CALL = 1
const METHOD_RETURN = 2
const FIELD = {path: 1, interface: 2, member: 3, errorName: 4, replySerial: 5, destination: 6} as const

/** A method call without arguments and without the reply-expected flag cleared. */
function methodCall(serial: number, path: string, iface: string, member: string, destination: string): Buffer {
  const bytes: number[] = []
  const pad = (to: number) => {
    while (bytes.length % to !== 0) bytes.push(0)
  }
  const u32 = (value: number) => bytes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24)
  const field = (code: number, signature: 'o' | 's', value: string) => {
    pad(8)
    bytes.push(code, 1, signature.charCodeAt(0), 0)
    pad(4)
    const text = Buffer.from(value, 'utf8')
    u32(text.length)
    bytes.push(...text, 0)
  }
  bytes.push('l'.charCodeAt(0), METHOD_CALL, 0, 1)
  u32(0) // body length
  u32(serial)
  u32(0) // header fields' length, set below
  field(FIELD.path, 'o', path)
  field(FIELD.interface, 's', iface)
  field(FIELD.member, 's', member)
  field(FIELD.destination, 's', destination)
  const fieldsLength = bytes.length - 16
  pad(8)
  const message = Buffer.from(bytes)
  message.writeUInt32LE(fieldsLength, 12)
  return message
}

interface Incoming {
  length: number
  type: number
  replySerial?: number
  errorName?: string
}

/** The first whole message in `data` (its type, reply serial and error name), or undefined when it is incomplete. */
function nextMessage(data: Buffer): Incoming | undefined {
  if (data.length < 16) return undefined
  const little = data[0] === 'l'.charCodeAt(0)
  const u32 = (at: number) => (little ? data.readUInt32LE(at) : data.readUInt32BE(at))
  const fieldsEnd = 16 + u32(12)
  const bodyStart = Math.ceil(fieldsEnd / 8) * 8
  const length = bodyStart + u32(4)
  if (data.length < length) return undefined
  const message: Incoming = {length, type: data[1]}
  let at = 16
  const align = (to: number) => (at = Math.ceil(at / to) * to)
  while (at < fieldsEnd) {
    align(8)
    const code = data[at]
    const signatureLength = data[at + 1]
    const signature = data.toString('latin1', at + 2, at + 2 + signatureLength)
    at += 3 + signatureLength
    if (signature === 'u') {
      align(4)
      if (code === FIELD.replySerial) message.replySerial = u32(at)
      at += 4
    } else if (signature === 's' || signature === 'o') {
      align(4)
      const size = u32(at)
      if (code === FIELD.errorName) message.errorName = data.toString('utf8', at + 4, at + 4 + size)
      at += 4 + size + 1
    } else if (signature === 'g') {
      at += 1 + data[at] + 1
    } else {
      break // no other type appears in a header field
    }
  }
  return message
}
