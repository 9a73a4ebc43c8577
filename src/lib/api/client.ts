// The one HTTP client of the platform: contract headers and envelopes, schema checks, timeout, proxies, size cap.
import type {Dispatcher} from 'undici'

import {CodikaError, usageError} from '../errors.js'
import {makeDebug} from '../debug.js'
import {userAgent} from '../version.js'
import {
  AUTH_HEADER,
  type CompleteLoginData,
  type CompleteLoginRequest,
  type CompleteSignupData,
  type CompleteSignupRequest,
  type CreateOrganizationData,
  type CreateOrganizationKeyData,
  type CreateOrganizationKeyRequest,
  type CreateOrganizationRequest,
  ENDPOINTS,
  type Endpoint,
  type EndpointName,
  endpointUrl,
  isHttpUrl,
  type OtpRequest,
  type OtpRequestData,
  type SuccessEnvelope,
  type UpdateOrganizationKeyData,
  type UpdateOrganizationKeyRequest,
  type VerifyApiKeyData,
} from './contract.js'
import {FETCH_BLOCKED_PORTS, keyHeaderProblem, portOf} from './transport-rules.js'
import {check} from './validate.js'

export const MAX_RESPONSE_BYTES = 1024 * 1024
export const DEFAULT_TIMEOUT_SECONDS = 30
const RETRY_DELAY_MS = 250
const RETRYABLE_STATUSES = new Set([502, 503, 504])

export interface ClientOptions {
  baseUrl: string
  /** The key sent in the auth header; may be left out by a client that calls only public endpoints (OTP). */
  apiKey?: string
  /** Total time for a call, retries included; default from CODIKA_TIMEOUT, else 30 s. */
  timeoutMs?: number
  userAgent?: string
}

/** The longest delay a Node timer holds (2^31 - 1 ms); a longer one fires at once. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000)

/** CODIKA_TIMEOUT in seconds (a positive number a timer can hold), as milliseconds. */
export function timeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CODIKA_TIMEOUT?.trim()
  if (!raw) return DEFAULT_TIMEOUT_SECONDS * 1000
  const seconds = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN
  if (!(seconds > 0) || Math.round(seconds * 1000) < 1)
    throw usageError(
      'INVALID_ARGUMENT',
      `CODIKA_TIMEOUT must be a positive number of seconds.`,
      'For example CODIKA_TIMEOUT=30.',
    )
  if (seconds > MAX_TIMEOUT_SECONDS)
    throw usageError(
      'INVALID_ARGUMENT',
      `CODIKA_TIMEOUT is too large: at most ${MAX_TIMEOUT_SECONDS} seconds (about 24 days), the longest a timer can wait.`,
      'For example CODIKA_TIMEOUT=300.',
    )
  return Math.round(seconds * 1000)
}

/** The proxy variables undici's EnvHttpProxyAgent reads, lower case first, as it reads them. */
const PROXY_VARIABLES = {'http:': ['http_proxy', 'HTTP_PROXY'], 'https:': ['https_proxy', 'HTTPS_PROXY']} as const

interface Proxy {
  variable: string
  url: URL
}

/**
 * The proxy each scheme goes through (HTTPS falls back to the HTTP proxy, as undici does), each variable checked:
 * an unparsable one is a usage error (exit 2) that names the variable but not its value, which may hold a password.
 */
type Proxies = {'http:'?: Proxy; 'https:'?: Proxy}

export function proxiesFromEnv(env: NodeJS.ProcessEnv = process.env): Proxies {
  const pick = (names: readonly string[]): Proxy | undefined => {
    const variable = names.find((name) => Boolean(env[name]?.trim()))
    if (variable === undefined) return undefined
    const text = env[variable]!.trim()
    if (!isHttpUrl(text))
      throw usageError(
        'INVALID_ARGUMENT',
        `${variable} is not a proxy URL: it must be an http:// or https:// URL with a host.`,
        `For example ${variable}=http://proxy.example.com:3128, or unset it.`,
      )
    return {variable, url: new URL(text)}
  }
  const http = pick(PROXY_VARIABLES['http:'])
  const https = pick(PROXY_VARIABLES['https:']) ?? http
  return {...(http ? {'http:': http} : {}), ...(https ? {'https:': https} : {})}
}

const debug = makeDebug('codika:http')

export class CodikaClient {
  readonly baseUrl: string
  private readonly apiKey?: string
  private readonly timeoutMs: number
  private readonly userAgent: string
  /** The proxy variables, checked once, when the client is made (a bad one is a usage error before anything else). */
  private readonly proxies: Proxies
  private dispatcher?: Dispatcher

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl
    this.apiKey = options.apiKey
    this.timeoutMs = options.timeoutMs ?? timeoutFromEnv()
    this.userAgent = options.userAgent ?? userAgent()
    this.proxies = proxiesFromEnv()
  }

  verifyApiKey(): Promise<SuccessEnvelope<VerifyApiKeyData>> {
    return this.call('verifyApiKey')
  }

  createOrganization(body: CreateOrganizationRequest): Promise<SuccessEnvelope<CreateOrganizationData>> {
    return this.call('createOrganization', body)
  }

  createOrganizationKey(body: CreateOrganizationKeyRequest): Promise<SuccessEnvelope<CreateOrganizationKeyData>> {
    return this.call('createOrganizationKey', body)
  }

  updateOrganizationKey(body: UpdateOrganizationKeyRequest): Promise<SuccessEnvelope<UpdateOrganizationKeyData>> {
    return this.call('updateOrganizationKey', body)
  }

  // OTP self-provisioning: public endpoints, sent without the auth header.

  requestSignupOtp(body: OtpRequest): Promise<SuccessEnvelope<OtpRequestData>> {
    return this.call('requestSignupOtp', body)
  }

  completeSignup(body: CompleteSignupRequest): Promise<SuccessEnvelope<CompleteSignupData>> {
    return this.call('completeSignup', body)
  }

  requestLoginOtp(body: OtpRequest): Promise<SuccessEnvelope<OtpRequestData>> {
    return this.call('requestLoginOtp', body)
  }

  completeLogin(body: CompleteLoginRequest): Promise<SuccessEnvelope<CompleteLoginData>> {
    return this.call('completeLogin', body)
  }

  /** Releases the connection pool, so the process can exit at once. */
  async close(): Promise<void> {
    const dispatcher = this.dispatcher
    this.dispatcher = undefined
    await dispatcher?.destroy()
  }

  /**
   * Node's own fetch when no proxy is configured; undici 7's fetch with its EnvHttpProxyAgent (HTTP(S)_PROXY,
   * NO_PROXY) when one is. Loading undici costs more start-up time than the whole request, so only proxies pay it.
   */
  private async transport(): Promise<typeof globalThis.fetch> {
    if (Object.keys(this.proxies).length === 0) return globalThis.fetch
    const {fetch, EnvHttpProxyAgent} = await import('undici')
    // An http: URL goes to an HTTP proxy as a plain absolute-URI request, as curl does: many proxies refuse
    // CONNECT to ports other than 443. https: URLs are tunnelled (CONNECT) whatever this says.
    const dispatcher = (this.dispatcher ??= new EnvHttpProxyAgent({proxyTunnel: false}))
    return ((url: string, init: RequestInit) =>
      fetch(url, {...init, dispatcher} as never)) as unknown as typeof globalThis.fetch
  }

  private async call<T>(name: EndpointName, body?: object): Promise<SuccessEnvelope<T>> {
    const endpoint: Endpoint = ENDPOINTS[name]
    if (!endpoint.public && this.apiKey === undefined)
      throw new CodikaError('NO_API_KEY', `No API key for ${endpoint.path}: this client was made without one.`, {
        exitCode: 2,
      })
    if (body !== undefined) {
      const problem = await check(`${name}.request` as const, body)
      if (problem) throw new CodikaError('INVALID_REQUEST', `The request was not sent: ${problem}.`, {exitCode: 2})
    }
    const url = endpointUrl(this.baseUrl, endpoint)
    refuseUnsendable(url, this.apiKey)
    const fetch = await this.transport()

    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, this.timeoutMs)
    const started = Date.now()
    try {
      for (let attempt = 1; ; attempt++) {
        let response: Awaited<ReturnType<typeof fetch>>
        let text: string
        try {
          response = await fetch(url, {
            method: 'POST',
            headers: {
              ...(endpoint.public ? {} : {[AUTH_HEADER]: this.apiKey!}),
              'User-Agent': this.userAgent,
              Accept: 'application/json',
              ...(body === undefined ? {} : {'Content-Type': 'application/json'}),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: controller.signal,
          })
          text = await readCapped(response, controller)
        } catch (error) {
          const failure = timedOut ? timeoutError(this.timeoutMs) : networkError(error, url, this.proxies)
          debug(`POST ${url} failed after ${Date.now() - started} ms: ${failure.message}`)
          // A create is sent again only when the connection was refused: it provably never arrived.
          const retry =
            !timedOut && attempt === 1 && (refused(error) || (endpoint.idempotent && failure.code === 'NETWORK_ERROR'))
          if (retry) {
            debug(`retrying POST ${url}`)
            await delay(RETRY_DELAY_MS, controller.signal)
            continue
          }
          const final = timedOut ? timeoutError(this.timeoutMs) : failure
          throw endpoint.idempotent || neverArrived(error) ? final : mayHaveArrived(final)
        }
        const json = parseJson(text)
        // The contract puts the request id in the body; a header is only a fallback.
        const requestId = requestIdOf(json) ?? response.headers.get('x-request-id') ?? undefined
        debug(
          `POST ${url} → ${response.status} in ${Date.now() - started} ms${requestId ? ` (request id ${requestId})` : ''}`,
        )
        if (endpoint.idempotent && attempt === 1 && RETRYABLE_STATUSES.has(response.status)) {
          debug(`retrying POST ${url}`)
          await delay(RETRY_DELAY_MS, controller.signal)
          continue
        }
        return await interpret<T>(name, response.status, response.statusText, json)
      }
    } catch (error) {
      if (timedOut && !(error instanceof CodikaError && error.code !== 'NETWORK_ERROR')) {
        throw endpoint.idempotent ? timeoutError(this.timeoutMs) : mayHaveArrived(timeoutError(this.timeoutMs))
      }
      throw error
    } finally {
      clearTimeout(timer)
    }
  }
}

/** Reads the body as text, refusing (and cutting) anything over 1 MiB. */
async function readCapped(response: Response, controller: AbortController): Promise<string> {
  const declared = Number(response.headers.get('content-length'))
  if (declared > MAX_RESPONSE_BYTES) {
    controller.abort()
    throw tooLarge()
  }
  if (!response.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > MAX_RESPONSE_BYTES) {
      controller.abort()
      throw tooLarge()
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The body as JSON, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** `json` is the parsed body, undefined when it was not JSON. */
async function interpret<T>(
  name: EndpointName,
  status: number,
  statusText: string,
  json: unknown,
): Promise<SuccessEnvelope<T>> {
  const requestId = requestIdOf(json)
  const ok = status >= 200 && status < 300
  if (json !== undefined && (await check('errorEnvelope', json)) === undefined) {
    const {error} = json as {error: {message: string; code?: string; nextAction?: unknown; details?: unknown}}
    const details = error.details
    // The platform's message exactly as it came (scripts compare it); the human screen adds the status.
    throw new CodikaError('API_ERROR', error.message, {
      status,
      requestId,
      platformCode: error.code,
      // The OTP endpoints' extras (CONTRACT.md): kept when they have the contract's shape, ignored otherwise.
      nextAction: typeof error.nextAction === 'string' ? error.nextAction : undefined,
      details:
        details && typeof details === 'object' && !Array.isArray(details)
          ? (details as Record<string, unknown>)
          : undefined,
      // The generic hints speak of keys and ids; the OTP endpoints' failures get theirs from lib/otp.ts.
      hint: (ENDPOINTS[name] as Endpoint).public ? undefined : hintForStatus(status),
    })
  }
  if (!ok) {
    throw new CodikaError('HTTP_ERROR', `The platform answered HTTP ${status}${statusText ? ` ${statusText}` : ''}.`, {
      status,
      requestId,
      hint: status >= 500 ? 'The platform failed; try again later.' : undefined,
    })
  }
  if (json === undefined)
    throw new CodikaError('INVALID_RESPONSE', `The platform's response (HTTP ${status}) is not JSON.`, {status})
  const envelopeProblem = await check('successEnvelope', json)
  if (envelopeProblem)
    throw new CodikaError(
      'INVALID_RESPONSE',
      `The platform's response (HTTP ${status}) breaks the contract: ${envelopeProblem}.`,
      {
        status,
        requestId,
      },
    )
  const dataProblem = await check(`${name}.data` as const, (json as {data: unknown}).data)
  if (dataProblem)
    throw new CodikaError(
      'INVALID_RESPONSE',
      `The platform's response (HTTP ${status}) breaks the contract: ${inData(dataProblem)}.`,
      {
        status,
        requestId,
        body: json,
      },
    )
  return json as SuccessEnvelope<T>
}

/** A problem found in `data` (where validate says `body`), as `data must …` or `data.scopes must …`. */
function inData(problem: string): string {
  return problem.startsWith('body ') ? `data${problem.slice(4)}` : `data.${problem}`
}

function requestIdOf(json: unknown): string | undefined {
  const id = (json as {requestId?: unknown} | undefined)?.requestId
  return typeof id === 'string' ? id : undefined
}

function hintForStatus(status: number): string | undefined {
  if (status === 401) return 'The key was rejected: check it with `codika whoami`, or log in again with a valid key.'
  if (status === 403) return 'The key lacks the scope or the organization role this needs.'
  if (status === 404) return 'Check the id you gave.'
  return undefined
}

function causeCode(error: unknown): string | undefined {
  let e = error as {code?: unknown; cause?: unknown} | undefined
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && e.code !== 'ABORT_ERR') return e.code
    e = e.cause as typeof e
  }
  return undefined
}

/**
 * What fetch would refuse before sending (a "bad port", a key a header cannot carry): a usage error here, never a
 * network error that is retried or reported as "may have reached the platform". Commands check the same earlier,
 * with the flag's name; this guards every caller of the client, plugins included.
 */
function refuseUnsendable(url: string, apiKey: string | undefined): void {
  const port = portOf(new URL(url))
  if (FETCH_BLOCKED_PORTS.has(port))
    throw usageError(
      'INVALID_FLAG',
      `The platform URL uses port ${port}, which fetch refuses to call; nothing was sent.`,
    )
  const problem = apiKey === undefined ? undefined : keyHeaderProblem(apiKey)
  if (problem)
    throw usageError(
      'INVALID_API_KEY',
      `The API key holds ${problem}, which an HTTP header cannot carry; nothing was sent.`,
    )
}

/** The address a failed connection was made to, from the error Node gives (address/port, or the name it looked up). */
function failedPeer(error: unknown): {host?: string; port?: number} | undefined {
  let e = error as {address?: unknown; port?: unknown; hostname?: unknown; cause?: unknown} | undefined
  for (let depth = 0; e && depth < 5; depth++) {
    const host = typeof e.address === 'string' ? e.address : typeof e.hostname === 'string' ? e.hostname : undefined
    if (host !== undefined) return {host, port: typeof e.port === 'number' ? e.port : undefined}
    e = e.cause as typeof e
  }
  return undefined
}

/** Was the failed connection the one to the proxy, rather than to the platform? */
function proxyFailed(error: unknown, target: URL, proxy: Proxy): boolean {
  const peer = failedPeer(error)
  if (!peer?.host) return false
  const proxyPort = portOf(proxy.url)
  const sameHost = (host: string) => host.replace(/^\[|\]$/g, '') === peer.host
  // A name lookup failed: the name says which. A connect failed: Node gives the address and the port it dialled.
  if (peer.port === undefined) return sameHost(proxy.url.hostname) && !sameHost(target.hostname)
  if (peer.port !== proxyPort) return false
  return peer.port !== portOf(target) || sameHost(proxy.url.hostname) || !sameHost(target.hostname)
}

function causeMessage(error: unknown): string {
  const cause = (error as {cause?: {message?: unknown}} | undefined)?.cause
  return typeof cause?.message === 'string' ? cause.message : 'unknown cause'
}

/** Did the request provably never reach the platform (refused, or the name did not resolve)? */
function neverArrived(error: unknown): boolean {
  const code = causeCode(error)
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
}

/** The same failure, with a hint that retrying a create or update blindly could do it twice. */
/** The hint of a failed create, update or complete that may have reached the platform (so callers can tell). */
export const MAY_HAVE_ARRIVED_HINT =
  'The request may have reached the platform: check whether it took effect before trying again, or it may happen twice.'

function mayHaveArrived(failure: CodikaError): CodikaError {
  return new CodikaError(failure.code, failure.message, {
    hint: MAY_HAVE_ARRIVED_HINT,
    status: failure.status,
    requestId: failure.requestId,
    cause: failure,
  })
}

function refused(error: unknown): boolean {
  return causeCode(error) === 'ECONNREFUSED'
}

function networkError(error: unknown, url: string, proxies: Proxies): CodikaError {
  if (error instanceof CodikaError) return error
  const code = causeCode(error)
  const target = new URL(url)
  const proxy = proxies[target.protocol as 'http:' | 'https:']
  if (proxy && proxyFailed(error, target, proxy)) {
    const what =
      code === 'ECONNREFUSED'
        ? 'refused the connection'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'cannot be resolved'
          : `cannot be reached (${code ?? causeMessage(error)})`
    return new CodikaError(
      'NETWORK_ERROR',
      `Network error: the proxy ${proxy.url.host} (from ${proxy.variable}) ${what}.`,
      {
        hint: `Check ${proxy.variable} (or add the platform's host to NO_PROXY); the request did not reach the platform.`,
        cause: error,
      },
    )
  }
  const host = target.host
  const what =
    code === 'ECONNREFUSED'
      ? `connection refused by ${host}`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `cannot resolve ${new URL(url).hostname}`
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? `the connection to ${host} was closed before the response was complete`
          : `cannot reach ${host} (${code ?? causeMessage(error)})`
  return new CodikaError('NETWORK_ERROR', `Network error: ${what}.`, {
    hint: 'Check the URL (--api-url, CODIKA_BASE_URL or the profile) and your network or proxy settings.',
    cause: error,
  })
}

function timeoutError(ms: number): CodikaError {
  return new CodikaError('TIMEOUT', `No complete answer from the platform within ${ms / 1000} s.`, {
    hint: 'Try again, or raise the limit with CODIKA_TIMEOUT=<seconds>.',
  })
}

function tooLarge(): CodikaError {
  return new CodikaError('INVALID_RESPONSE', `The platform's response is larger than 1 MiB; it was refused.`)
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
