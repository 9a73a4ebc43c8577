// Organization logos as the sandbox receives them: strict base64. Their type is read from the bytes by the contract's
// rule (lib/api/contract.ts, sniffLogoType), never taken from what the caller claims.

// Buffer.from(…, 'base64') skips characters it does not understand; a logo that is not strictly base64 is refused.
// (A single character class, not groups of four: a grouped pattern backtracks badly on a 7 MB string.)
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Strict base64 (standard alphabet, padded) to bytes, or undefined when the text is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  return text.length % 4 === 0 && BASE64.test(text) ? Buffer.from(text, 'base64') : undefined
}
