// Owning a data file: a `<file>.pid` beside it marks it in use, so a second sandbox on the same file is refused.
import {
  closeSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'

import {processAlive} from '../lib/processes.js'

import {SandboxStoreError} from './records.js'
import {APPLICATION_ID} from './schema.js'

/** What a data file holds, judged before anything opens, writes or deletes it. */
export type DataFileKind = {kind: 'missing'} | {kind: 'empty'} | {kind: 'sandbox'} | {kind: 'foreign'; what: string}

/** SQLite's file header: these 16 bytes first, the application id as a big-endian integer at byte 68. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')
const APPLICATION_ID_OFFSET = 68
const SNIFF_BYTES = 4096

/**
 * Is `path` missing, empty, a sandbox database (SQLite's header with the sandbox's application id), or something
 * else (said in words)? Read from its first bytes only: the file is never opened as a database to find out.
 */
export function inspectDataFile(path: string): DataFileKind {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {kind: 'missing'}
    throw error
  }
  try {
    const size = fstatSync(fd).size
    if (size === 0) return {kind: 'empty'}
    const head = Buffer.alloc(Math.min(size, SNIFF_BYTES))
    readSync(fd, head, 0, head.length, 0)
    if (head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
      const id = head.length >= APPLICATION_ID_OFFSET + 4 ? head.readUInt32BE(APPLICATION_ID_OFFSET) : 0
      return id === APPLICATION_ID
        ? {kind: 'sandbox'}
        : {kind: 'foreign', what: 'an SQLite database of another program'}
    }
    const text = !head.includes(0)
    return {kind: 'foreign', what: `${text ? 'a text file' : 'a binary file'} of ${size} bytes`}
  } finally {
    closeSync(fd)
  }
}

/** The claim beside a data file: `<file>.pid`. Its first line is the owner's pid; its second, once it listens, its URL. */
export function pidFileOf(path: string): string {
  return `${path}.pid`
}

// Files this process has open, so opening one twice in the same process is refused like a second process would be.
const openInThisProcess = new Set<string>()

export function claim(path: string, pidFile: string): void {
  const inUse = (who: string) =>
    new SandboxStoreError(
      `${path} is in use by ${who}; stop it first, or use another data file` +
        ` (if no sandbox is running, delete ${pidFile})`,
      'DATA_FILE_IN_USE',
    )
  if (openInThisProcess.has(path)) throw inUse('a sandbox in this process')
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(pidFile, `${process.pid}\n`, {flag: 'wx', mode: 0o600})
      openInThisProcess.add(path)
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error
    }
    const pid = Number.parseInt(readPid(pidFile), 10)
    // Our own pid here is a leftover of an earlier life of this pid (a container restart), since the set above
    // knows what this process has open.
    if (pid > 0 && pid !== process.pid && processAlive(pid)) throw inUse(`another sandbox (pid ${pid})`)
    rmSync(pidFile, {force: true})
  }
}

export function release(path: string, pidFile: string): void {
  openInThisProcess.delete(path)
  try {
    unlinkSync(pidFile)
  } catch {
    // Already gone (for example deleted by the user); nothing to undo.
  }
}

/**
 * Adds the URL a sandbox listens on to its claim, so that `codika sandbox outbox` can ask the running sandbox
 * (which holds the database exclusively) instead of opening the file. Replaced atomically: the claim never vanishes.
 */
export function recordUrl(pidFile: string, url: string): void {
  const temporary = `${pidFile}.${process.pid}.tmp`
  writeFileSync(temporary, `${process.pid}\n${url}\n`, {mode: 0o600})
  renameSync(temporary, pidFile)
}

/** Who holds a data file: the pid and URL of a live sandbox, or undefined when none does (no claim, or a dead one). */
export function liveClaim(path: string): {pid: number; url?: string} | undefined {
  const [pidLine = '', url] = readPid(pidFileOf(path)).split('\n')
  const pid = Number.parseInt(pidLine, 10)
  if (!(pid > 0) || !processAlive(pid)) return undefined
  return url?.trim() ? {pid, url: url.trim()} : {pid}
}

function readPid(pidFile: string): string {
  try {
    return readFileSync(pidFile, 'utf8')
  } catch {
    return ''
  }
}
