// Asking the user: an API key (masked prompt on a terminal, first line of piped stdin) and a yes/no question.
import {cancelled, usageError} from '../errors.js'

/** Can we ask questions? Only with a terminal on stdin, and never with --json. */
export function canPrompt(json: boolean): boolean {
  return !json && Boolean(process.stdin.isTTY)
}

/**
 * The key to log in with when no --api-key was given: a masked prompt on a terminal (on stderr, so stdout
 * keeps only results), else the first line of stdin. Empty input or end of input: exit 2; Ctrl+C: exit 130.
 */
export async function readKey(json: boolean): Promise<string> {
  let key: string
  if (process.stdin.isTTY) {
    if (json)
      throw usageError('NO_API_KEY', 'No API key: --json never prompts.', 'Pass --api-key, or pipe the key on stdin.')
    key = await promptKey()
  } else {
    key = await firstLine(process.stdin)
  }
  key = key.trim()
  if (!key)
    throw usageError(
      'NO_API_KEY',
      'No API key was given; nothing was saved.',
      'Pass --api-key, type the key at the prompt, or pipe it on stdin.',
    )
  return key
}

async function promptKey(): Promise<string> {
  // Loaded only here: the prompt library is not needed on any other path.
  const {default: password} = await import('@inquirer/password')
  try {
    return await password({message: 'API key'}, {output: process.stderr, clearPromptOnDone: false})
  } catch (error) {
    // Ctrl+C: a cancel (the prompt library ends the prompt's line itself).
    if ((error as Error).name === 'ExitPromptError') throw cancelled()
    // The prompt aborted otherwise (its input ended): the same as entering nothing.
    if ((error as Error).name === 'AbortPromptError') return ''
    throw error
  }
}

/** The first line of a stream (without its line ending); stops reading there, so a stream that stays open is fine. */
export function firstLine(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const finish = (value: string) => {
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onError)
      stream.pause()
      // An open pipe would otherwise keep the process alive after the command is done.
      if (typeof (stream as {unref?: () => void}).unref === 'function') (stream as {unref: () => void}).unref()
      resolve(value)
    }
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString()
      const end = text.search(/\r?\n/)
      if (end !== -1) finish(text.slice(0, end))
    }
    const onEnd = () => finish(text)
    const onError = (error: Error) => reject(error)
    stream.on('data', onData)
    stream.once('end', onEnd)
    stream.once('error', onError)
  })
}

/**
 * A yes/no question on the terminal (stderr); anything but y/yes, including Ctrl+D, is no; Ctrl+C cancels (130), its
 * error saying what did not happen (`nothing`: "nothing was saved").
 */
export async function confirm(question: string, nothing?: string): Promise<boolean> {
  const {createInterface} = await import('node:readline/promises')
  const rl = createInterface({input: process.stdin, output: process.stderr, terminal: true})
  const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')))
  let interrupted = false
  // readline would otherwise just pause on Ctrl+C and leave the question hanging.
  rl.once('SIGINT', () => {
    interrupted = true
    rl.close()
  })
  try {
    const answer = await Promise.race([rl.question(`${question} [y/N] `), closed])
    if (interrupted) {
      process.stderr.write('\n')
      throw cancelled(nothing)
    }
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}
