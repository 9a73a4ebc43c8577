// Organization logos: the image type read from the file's first bytes, never from what the caller claims.
import {LOGO_MIME_TYPES, type LogoMimeType} from '../lib/api/contract.js'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export function detectImageType(bytes: Buffer): LogoMimeType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png'
  // WebP is a RIFF container: "RIFF", four bytes of length, then "WEBP".
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return 'image/webp'
  }
  return undefined
}

export function isLogoMimeType(value: unknown): value is LogoMimeType {
  return (LOGO_MIME_TYPES as readonly unknown[]).includes(value)
}

// Buffer.from(…, 'base64') skips characters it does not understand; a logo that is not strictly base64 is refused.
// (A single character class, not groups of four: a grouped pattern backtracks badly on a 7 MB string.)
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Strict base64 (standard alphabet, padded) to bytes, or undefined when the text is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  return text.length % 4 === 0 && BASE64.test(text) ? Buffer.from(text, 'base64') : undefined
}
