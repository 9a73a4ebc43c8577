// Shared by the OTP tests: asking a sandbox for a code and reading it from its outbox, as a test script would.
import assert from 'node:assert/strict'

import {call, type Reply} from '../sandbox/helpers.js'

export interface OutboxMessage {
  email: string
  code: string
  purpose: 'signup' | 'login'
  sentAt: string
  expiresAt: string
}

/** GET /_sandbox/outbox (?email= when given): the messages, newest first. */
export async function outbox(url: string, email?: string): Promise<OutboxMessage[]> {
  const response = await fetch(
    `${url}/_sandbox/outbox${email === undefined ? '' : `?email=${encodeURIComponent(email)}`}`,
  )
  assert.equal(response.status, 200)
  const body = (await response.json()) as {messages: OutboxMessage[]}
  assert.deepEqual(Object.keys(body), ['messages'])
  return body.messages
}

/** The newest code sent to `email`. */
export async function latestCode(url: string, email: string): Promise<string> {
  const [message] = await outbox(url, email)
  assert.ok(message, `no code was sent to ${email}`)
  return message.code
}

/** Asks for a code (raw HTTP, as the established client sends it) and returns it from the outbox. */
export async function requestCode(url: string, purpose: 'signup' | 'login', email: string): Promise<string> {
  const reply = await call(url, purpose === 'signup' ? 'clirequestsignupotp' : 'clirequestloginotp', {body: {email}})
  assert.equal(reply.status, 200, JSON.stringify(reply.body))
  return latestCode(url, email)
}

/** The complete endpoint of a purpose, called with a raw body. */
export function complete(url: string, purpose: 'signup' | 'login', body: unknown): Promise<Reply> {
  return call(url, purpose === 'signup' ? 'clicompletesignup' : 'clicompletelogin', {body})
}

/** A code that is not `code` (same shape). */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0')
}

/** Asserts an OTP error envelope: status, error.code, and `details` when given. */
export function assertOtpError(reply: Reply, status: number, code: string, details?: Record<string, unknown>): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body))
  assert.equal(reply.body.success, false)
  assert.equal(reply.body.error.code, code, JSON.stringify(reply.body))
  assert.equal(typeof reply.body.error.message, 'string')
  if (details !== undefined) assert.deepEqual(reply.body.error.details, details)
}
