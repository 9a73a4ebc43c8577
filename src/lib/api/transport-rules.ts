// What Node's HTTP stack refuses before anything leaves the machine: ports fetch never calls, and header values it
// cannot carry. Checked by the client before it sends, and by the commands that take a port or a key from the user,
// so that such input is a wrong command line (exit 2) and never a network error.

/**
 * The ports the WHATWG Fetch standard calls "bad ports" (fetch refuses them, Node's included): a URL or a sandbox on
 * one of them could never be reached by this CLI.
 */
export const FETCH_BLOCKED_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
])

/** The port a URL is called on: its own, or the scheme's default. */
export function portOf(url: URL): number {
  if (url.port) return Number(url.port)
  return url.protocol === 'https:' ? 443 : 80
}

/**
 * Why a key cannot travel in an HTTP header, or undefined when it can. Keys are visible ASCII; anything else (a space,
 * a line break, an emoji, `€`) would be refused by fetch or mangled on the way. The key itself is never quoted.
 */
export function keyHeaderProblem(key: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'a line break or another control character'
  if (/\s/.test(key)) return 'a space'
  if (/[^\u0021-\u007e]/.test(key)) return 'a character that is not plain ASCII (such as an emoji or €)'
  return undefined
}
