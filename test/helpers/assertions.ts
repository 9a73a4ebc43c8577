// Assertions shared by the CLI tests: no secret or command line in output, no stack trace, one JSON document.
import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

import {type CliResult, configFile} from './cli.js'

/** The profile file's exact bytes, or null when it does not exist (to prove a run left it untouched). */
export function fileBytes(path: string): Buffer | null {
  try {
    return readFileSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** Writes a profile file (an object as pretty JSON, or raw text) into the home's config folder. */
export function writeConfig(home: string, content: unknown): string {
  const path = configFile(home)
  mkdirSync(dirname(path), {recursive: true, mode: 0o700})
  writeFileSync(path, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`, {mode: 0o600})
  return path
}

export function readConfig(home: string): any {
  return JSON.parse(readFileSync(configFile(home), 'utf8'))
}

/** Neither stream holds any of the secrets, nor the command line itself. */
export function assertNoLeak(result: CliResult, secrets: string[], args: string[] = []): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    for (const secret of secrets)
      assert.ok(!result[stream].includes(secret), `${stream} holds a secret:\n${result[stream]}`)
    if (args.length > 0) assert.ok(!result[stream].includes(args.join(' ')), `${stream} echoes the command line`)
  }
}

export function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+(:\d+:\d+\)?|native\)?)$/m, `a stack trace was printed:\n${text}`)
}

/** stdout is exactly one JSON document (nothing before or after it); returns it. */
export function onlyJson(result: CliResult): any {
  const text = result.stdout.trim()
  assert.ok(text.startsWith('{') && text.endsWith('}'), `stdout is not one JSON object:\n${result.stdout}`)
  return JSON.parse(text)
}

/** A human-mode failure: the exit code, one `Error:` line holding `cause`, nothing on stdout, no stack trace. */
export function assertHumanFailure(result: CliResult, exitCode: number, cause: RegExp): void {
  assert.equal(result.code, exitCode, `exit code ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  assert.equal(result.stdout, '', `stdout should be empty on failure:\n${result.stdout}`)
  const lines = result.stderr.trimEnd().split('\n')
  const errorLines = lines.filter((l) => l.startsWith('Error: '))
  assert.equal(errorLines.length, 1, `expected one Error: line:\n${result.stderr}`)
  assert.match(errorLines[0], cause)
  assertNoStack(result.stderr)
}

/** A --json failure: the exit code, one JSON document with `success: false` and the error code. */
export function assertJsonFailure(result: CliResult, exitCode: number, code: string): any {
  assert.equal(result.code, exitCode, `exit code ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  const doc = onlyJson(result)
  assert.equal(doc.success, false)
  assert.equal(doc.error?.code, code, `error code: ${JSON.stringify(doc)}`)
  assert.equal(typeof doc.error.message, 'string')
  assert.ok('requestId' in doc)
  assertNoStack(result.stdout + result.stderr)
  return doc
}
