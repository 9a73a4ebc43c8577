// Printing on the fast paths of bin/run.js (--version, --list-names) straight to file descriptor 1: making
// process.stdout (a stream over the pipe or the terminal) costs more than the rest of such a path (about 3 ms).
import {writeSync} from 'node:fs'

/**
 * Writes all of `text` on stdout. Where fd 1 cannot take it at once (a non-blocking pipe: EAGAIN), the rest goes
 * through process.stdout, which waits; a reader that is gone (EPIPE, `codika --version | true`) ends it quietly.
 */
export function writeStdout(text: string): void {
  // A Windows console takes fd 1 writes in its own code page (non-ASCII profile names would come out garbled);
  // process.stdout writes to it in UTF-16.
  if (process.platform === 'win32' && process.stdout.isTTY) {
    process.stdout.write(text)
    return
  }
  const bytes = Buffer.from(text)
  let offset = 0
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EPIPE') return
    if (code !== 'EAGAIN') throw error
    process.stdout.write(bytes.subarray(offset))
  }
}
