// `codika sandbox outbox`: the codes a sandbox "sent", asked of the sandbox running on the file, or read from the file.
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import {liveClaim} from '../../sandbox/data-file.js'
import type {OutboxMessage} from '../../sandbox/otp-store.js'
import {CodikaError} from '../errors.js'
import {checkDataFile, defaultDataFile} from './paths.js'

export interface Outbox {
  dataFile: string
  /** Where the messages came from: the running sandbox (its URL), or the file itself. */
  source: 'sandbox' | 'file'
  url: string | null
  messages: OutboxMessage[]
}

// The URL is the sandbox's own (recorded beside its pid), on this machine: an answer takes milliseconds.
const ASK_TIMEOUT_MS = 5000

/**
 * The outbox of `dataFile` (default: the one `sandbox start` uses), newest first. A running sandbox holds its file
 * exclusively, so it is asked at the URL it recorded beside its pid (GET /_sandbox/outbox); else the file is opened.
 */
export async function readOutbox(dataFile: string | undefined, email: string | undefined): Promise<Outbox> {
  if (dataFile !== undefined) checkDataFile(dataFile)
  const file = resolve(dataFile ?? defaultDataFile())
  const claim = liveClaim(file)
  if (claim?.url) return {dataFile: file, source: 'sandbox', url: claim.url, messages: await ask(claim.url, email)}
  if (claim)
    throw new CodikaError('SANDBOX_ERROR', `The sandbox on ${file} (pid ${claim.pid}) is starting up.`, {
      hint: 'Try again in a moment.',
    })
  if (!existsSync(file))
    throw new CodikaError('SANDBOX_ERROR', `No sandbox data file at ${file}.`, {
      hint: 'Start a sandbox first (`codika sandbox start`), or name its file with --data.',
    })
  const {readOutboxFile} = await import('../../sandbox/outbox.js')
  const {SandboxStoreError} = await import('../../sandbox/records.js')
  try {
    return {dataFile: file, source: 'file', url: null, messages: readOutboxFile(file, email)}
  } catch (error) {
    if (error instanceof SandboxStoreError)
      throw new CodikaError('SANDBOX_ERROR', error.message, {
        hint:
          error.code === 'DATA_FILE_IN_USE' ? 'Try again in a moment.' : 'Name the sandbox’s data file with --data.',
      })
    throw error
  }
}

async function ask(url: string, email: string | undefined): Promise<OutboxMessage[]> {
  const address = new URL('/_sandbox/outbox', url)
  if (email !== undefined) address.searchParams.set('email', email)
  let body: unknown
  try {
    const response = await fetch(address, {signal: AbortSignal.timeout(ASK_TIMEOUT_MS)})
    body = await response.json()
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
  } catch (error) {
    throw new CodikaError(
      'SANDBOX_ERROR',
      `Cannot read the outbox of the sandbox at ${url}: ${(error as Error).message}.`,
      {
        hint: 'Is it still running? Its log is on the terminal it was started in.',
        cause: error,
      },
    )
  }
  const messages = (body as {messages?: unknown})?.messages
  if (!Array.isArray(messages))
    throw new CodikaError('SANDBOX_ERROR', `The sandbox at ${url} answered without a list of messages.`)
  return messages as OutboxMessage[]
}
