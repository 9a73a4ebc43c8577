// Keeps secrets out of everything the CLI prints: masks keys for display and scrubs them from messages.

// Not followed by another key character or by the mask's ellipsis, so a masked key is left alone.
const KEY_PATTERN = /\bck[opa]_[A-Za-z0-9_-]{4,}(?![A-Za-z0-9_…-])/g

/** `cko_AbCd…wxyz`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  if (key.length <= 12) return `${key.slice(0, 4)}…`
  return `${key.slice(0, 8)}…${key.slice(-4)}`
}

/** Each registered secret, and what replaces it. */
const secrets = new Map<string, string>()

/**
 * Registers a value (a key from a flag, the environment or a profile) to be scrubbed from output, replaced by `mask`
 * (default: the key's mask; a short secret such as an emailed code should pass one that shows nothing of it).
 */
export function registerSecret(value: string | undefined, mask?: string): void {
  if (value && value.length >= 4) secrets.set(value, mask ?? maskKey(value))
}

/** Replaces every registered secret and anything shaped like a Codika key with its mask. */
export function redact(text: string): string {
  let out = text
  for (const [secret, mask] of secrets) out = out.split(secret).join(mask)
  return out.replace(KEY_PATTERN, (key) => maskKey(key))
}
