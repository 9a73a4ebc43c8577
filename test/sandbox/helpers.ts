// Shared by the sandbox tests: throw-away folders, a started sandbox, and a small client for its endpoints.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {AUTH_HEADER} from '../../src/lib/api/contract.js'
import {check} from '../../src/lib/api/validate.js'
import {type Sandbox, type SandboxOptions, startSandbox} from '../../src/sandbox/server.js'

/** A new empty folder under the system's temp folder, and a function that removes it. */
export function tempDir(): {dir: string; remove: () => void} {
  const dir = mkdtempSync(join(tmpdir(), 'codika-sandbox-test-'))
  return {dir, remove: () => rmSync(dir, {recursive: true, force: true})}
}

export interface TestSandbox extends Sandbox {
  dir: string
  /** Moves the sandbox's clock (on top of the real one) by this many milliseconds. */
  shift(ms: number): void
  /** Closes the sandbox and removes its folder. */
  dispose(): Promise<void>
}

/** A sandbox on a free loopback port with its own temp data file and a clock the test can move. */
export async function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const {dir, remove} = tempDir()
  let offset = 0
  const sandbox = await startSandbox({
    port: 0,
    dataFile: join(dir, 'sandbox.db'),
    env: {},
    now: () => Date.now() + offset,
    ...options,
  })
  return Object.assign(sandbox, {
    dir,
    shift(ms: number) {
      offset += ms
    },
    async dispose() {
      await sandbox.close()
      remove()
    },
  })
}

export interface Reply {
  status: number
  headers: Headers
  body: any
}

export interface CallOptions {
  key?: string
  body?: unknown
  /** Sent as it is, instead of JSON of `body`. */
  rawBody?: string | Buffer
  method?: string
  headers?: Record<string, string>
}

/** Calls an endpoint as a client of the platform would (POST, JSON, the auth header) and checks the envelope. */
export async function call(baseUrl: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {'Content-Type': 'application/json', ...options.headers}
  if (options.key !== undefined) headers[AUTH_HEADER] = options.key
  const response = await fetch(`${baseUrl}/${path}`, {
    method: options.method ?? 'POST',
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  })
  const text = await response.text()
  const body = options.method === 'HEAD' ? undefined : JSON.parse(text)
  if (body !== undefined) await assertEnvelope(response.status, body)
  if (body !== undefined) assert.equal(response.headers.get('x-request-id'), body.requestId)
  return {status: response.status, headers: response.headers, body}
}

/** Every answer is the contract's success envelope (2xx) or error envelope (otherwise), with a requestId. */
export async function assertEnvelope(status: number, body: unknown): Promise<void> {
  const id = status >= 200 && status < 300 ? 'successEnvelope' : 'errorEnvelope'
  assert.equal(await check(id, body), undefined, `${status} answer is not the ${id}: ${JSON.stringify(body)}`)
  assert.match((body as {requestId: string}).requestId, /^req_[0-9a-f]{16}$/)
}

export const DAY_MS = 86_400_000
