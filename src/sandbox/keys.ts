// Raw API keys of the sandbox: minting, the format check, and the SHA-256 digest that is all the store keeps.
import {createHash, randomBytes} from 'node:crypto'

import {KEY_TYPES, keyPrefixOf, type KeyType} from '../lib/api/contract.js'

export type KeyPrefix = keyof typeof KEY_TYPES

/** Random bytes behind every key: 32 bytes = 256 bits, written as 43 base64url characters. */
const KEY_ENTROPY_BYTES = 32

// Anything else cannot be a key this sandbox minted, so it is rejected before touching the database.
const KEY_FORMAT = /^ck[opa]_[A-Za-z0-9_-]{43}$/

export const PREFIX_OF_TYPE: Record<KeyType, KeyPrefix> = {
  'org-api-key': 'cko_',
  'personal-api-key': 'ckp_',
  'admin-api-key': 'cka_',
}

export interface MintedKey {
  apiKey: string
  keyPrefix: string
  keyHash: string
}

export function mintKey(type: KeyType): MintedKey {
  const apiKey = PREFIX_OF_TYPE[type] + randomBytes(KEY_ENTROPY_BYTES).toString('base64url')
  return {apiKey, keyPrefix: keyPrefixOf(apiKey), keyHash: hashKey(apiKey)}
}

/** Hex SHA-256 of the raw key. Keys carry 256 random bits: a fast hash is enough, there is nothing to brute-force. */
export function hashKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex')
}

export function isWellFormedKey(apiKey: string): boolean {
  return KEY_FORMAT.test(apiKey)
}

/** A short random identifier such as `org_3f9a…` (80 bits, hex, so it is safe in flags, URLs and file names). */
export function newId(prefix: 'org' | 'key' | 'usr' | 'otp'): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`
}
