// Runs `codika sandbox start` as a user would (a long-running child of bin/run.js) and waits until it listens.
import {type ChildProcess, spawn} from 'node:child_process'

import {BIN, cleanEnv} from './cli.js'

export interface StartedSandbox {
  child: ChildProcess
  /** Everything printed so far. */
  stdout(): string
  stderr(): string
  /** Resolves once stderr matches `pattern` (request logs are written just after the response is sent). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>
  /** Sends `signal` (SIGTERM by default) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{code: number | null; signal: NodeJS.Signals | null}>
  /** Resolves with how the process ended, without sending anything. */
  exited(): Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

/** The sandbox's `--json` document, as far as the tests read it. */
export interface SandboxDocument {
  success: true
  data: {
    url: string
    host: string
    port: number
    dataFile: string
    clockOffsetMs: number
    seeded: null | {
      organizationId: string
      organizationName: string
      owner: SeededKeyDocument
      admin: SeededKeyDocument
      member: SeededKeyDocument
    }
    people: Array<{role: string; name: string; email: string}>
  }
  profile: string | null
  warnings: string[]
}

export interface SeededKeyDocument {
  role: string
  email: string
  apiKey: string
  keyPrefix: string
  keyName: string
  type: string
  scopes: string[]
}

const live = new Set<ChildProcess>()

/** SIGKILLs every sandbox these helpers started that is still running (for an `after` hook). */
export function killLeftovers(): void {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

/**
 * Spawns `codika sandbox start <args>` with a clean environment inside `home`. Resolves once it listens: with
 * `--json` when stdout holds one complete JSON document, otherwise when the banner's last line is out. Rejects
 * (with its output) when it exits first or is not ready within `timeoutMs`.
 */
export async function startSandboxCli(
  home: string,
  args: string[],
  options: {env?: Record<string, string | undefined>; timeoutMs?: number} = {},
): Promise<StartedSandbox> {
  const child = spawn(process.execPath, [BIN, 'sandbox', 'start', ...args], {
    cwd: home,
    env: cleanEnv(home, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  live.add(child)
  let out = ''
  let err = ''
  const stderrWaiters = new Set<() => void>()
  const ending = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.once('close', (code, signal) => {
      live.delete(child)
      resolve({code, signal})
    }),
  )
  const json = args.includes('--json')
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`sandbox start not ready within ${options.timeoutMs ?? 60_000} ms\nstdout: ${out}\nstderr: ${err}`),
      )
    }, options.timeoutMs ?? 60_000)
    const check = () => {
      if (json ? isCompleteJson(out) : out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      check()
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk
      for (const wake of stderrWaiters) wake()
    })
    void ending.then(({code, signal}) => {
      clearTimeout(timer)
      reject(new Error(`sandbox start ended (${code ?? signal}) before it was ready\nstdout: ${out}\nstderr: ${err}`))
    })
  })
  await ready
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => ending,
    waitForStderr(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (!pattern.test(err)) return
          stderrWaiters.delete(wake)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(() => {
          stderrWaiters.delete(wake)
          reject(new Error(`stderr never matched ${pattern}:\n${err}`))
        }, timeoutMs)
        stderrWaiters.add(wake)
        wake()
      })
    },
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return ending
    },
  }
}

function isCompleteJson(text: string): boolean {
  if (!text.trimEnd().endsWith('}')) return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
