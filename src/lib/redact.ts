// Keeps secrets out of everything the CLI prints: masks keys for display and scrubs them from messages.

// Not followed by another key character or by the mask's ellipsis, so a masked key is left alone.
const KEY_PATTERN = /\bck[opa]_[A-Za-z0-9_-]{4,}(?![A-Za-z0-9_…-])/g

/** `cko_AbCd…wxyz`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  if (key.length <= 12) return `${key.slice(0, 4)}…`
  return `${key.slice(0, 8)}…${key.slice(-4)}`
}

const secrets = new Set<string>()

/** Registers a value (a key from a flag, the environment or a profile) to be scrubbed from output. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value)
}

/** Replaces every registered secret and anything shaped like a Codika key with its mask. */
export function redact(text: string): string {
  let out = text
  for (const secret of secrets) out = out.split(secret).join(maskKey(secret))
  return out.replace(KEY_PATTERN, (key) => maskKey(key))
}
