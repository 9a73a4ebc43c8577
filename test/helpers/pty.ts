// Runs the built CLI on a pseudo-terminal (util-linux `script`), so that prompts can be driven as a user types them.
import {spawn} from 'node:child_process'

import {BIN, cleanEnv} from './cli.js'

export interface PtyStep {
  /** Wait until the screen so far matches this… */
  waitFor: RegExp
  /** …then type this (a carriage return is the Enter key). */
  send: string
}

export interface PtyResult {
  code: number | null
  /** Everything the terminal showed: the program's stdout and stderr, and whatever the terminal echoed. */
  screen: string
}

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`

/**
 * `script -qec "exec <cli> args" /dev/null`: the CLI gets a terminal on stdin, stdout and stderr, and `screen`
 * is exactly what a user would have seen. Steps are typed only once their prompt is on screen, so nothing
 * is typed while the terminal would still echo it.
 */
export function runInPty(
  home: string,
  args: string[],
  options: {env?: Record<string, string | undefined>; steps?: PtyStep[]; timeoutMs?: number} = {},
): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    // `exec`: script runs the command with $SHELL -c, and a shell left waiting in between (dash, when $SHELL is unset)
    // takes the terminal's Ctrl+C too and exits 130 after the CLI's own clean exit.
    const command = `exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: home,
      env: cleanEnv(home, {TERM: 'xterm', COLUMNS: '120', LINES: '40', ...options.env}),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const steps = [...(options.steps ?? [])]
    let screen = ''
    let seen = 0
    const advance = () => {
      while (steps.length > 0 && steps[0].waitFor.test(screen.slice(seen))) {
        const step = steps.shift()!
        seen = screen.length
        child.stdin.write(step.send)
      }
    }
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      screen += d
      advance()
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => (screen += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, screen})
    })
  })
}
