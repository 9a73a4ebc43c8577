// oclif's parser errors, as the parser really throws them, mapped to CodikaErrors by their class and fields.
// The built modules, on the build's bundle of oclif: Node 20 cannot load @oclif/core's own files under tsx's hooks.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {pathToFileURL} from 'node:url'

import {ROOT} from '../../helpers/cli.js'

const built = async <T>(path: string) => (await import(pathToFileURL(join(ROOT, 'dist', path)).href)) as T
const {errorJson, toCodikaError, withExtras} =
  await built<typeof import('../../../src/lib/oclif/usage-errors.js')>('lib/oclif/usage-errors.js')
const {CodikaError} = await built<typeof import('../../../src/lib/errors.js')>('lib/errors.js')
const {registerSecret} = await built<typeof import('../../../src/lib/redact.js')>('lib/redact.js')
const {Args, Errors, Flags} = await built<typeof import('../../../src/lib/oclif/core.js')>('lib/oclif/core.js')
const {Parser} = (await built<typeof import('../../../src/lib/oclif/bundle.cjs')>('lib/oclif/bundle.cjs')).loadOclif()

async function parseError(argv: string[], input: Parameters<typeof Parser.parse>[1]): Promise<unknown> {
  try {
    await Parser.parse(argv, {strict: true, ...input})
  } catch (error) {
    return error
  }
  throw new Error(`${argv.join(' ')} parsed`)
}

const mapped = async (argv: string[], input: Parameters<typeof Parser.parse>[1], facts = {}) => {
  const e = toCodikaError(await parseError(argv, input), facts)
  return {code: e.code, message: e.message, hint: e.hint, exit: e.exitCode}
}

describe('toCodikaError: oclif parser errors', () => {
  it('extra arguments: Unexpected argument(s), INVALID_ARGUMENT, exit 2', async () => {
    const args = {name: Args.string()}
    assert.deepEqual(await mapped(['a', 'b'], {args}), {
      code: 'INVALID_ARGUMENT',
      message: 'Unexpected argument: b.',
      hint: 'See --help.',
      exit: 2,
    })
    assert.match((await mapped(['a', 'b', 'c'], {args})).message, /^Unexpected arguments: b c\.$/)
  })

  it('extra arguments of a command whose words may be secret: never shown', async () => {
    const result = await mapped(
      ['ckp_NotShownEver12345', 'x'],
      {args: {}},
      {id: 'login', secretArgumentsHint: 'Use --api-key.'},
    )
    assert.equal(result.hint, 'Use --api-key.')
    assert.doesNotMatch(result.message, /NotShownEver|ckp_/)
  })

  it('a missing argument: named, with its description (not "Missing 1 required arg:; name")', async () => {
    const args = {name: Args.string({required: true, description: 'The profile to remove.'})}
    assert.deepEqual(await mapped([], {args}), {
      code: 'INVALID_ARGUMENT',
      message: 'Missing required argument NAME (The profile to remove).',
      hint: 'See --help.',
      exit: 2,
    })
  })

  it('every missing required flag at once, in definition order', async () => {
    const flags = {a: Flags.string({required: true}), b: Flags.string(), c: Flags.string({required: true})}
    assert.equal((await mapped(['--b', 'x'], {flags})).message, 'Missing required flags --a, --c.')
    assert.equal((await mapped(['--a', 'x'], {flags})).message, 'Missing required flag --c.')
    assert.equal((await mapped(['--a', 'x'], {flags})).code, 'MISSING_FLAG')
  })

  it('a nonexistent flag: INVALID_FLAG', async () => {
    assert.deepEqual(await mapped(['--nope'], {flags: {}}), {
      code: 'INVALID_FLAG',
      message: 'Nonexistent flag: --nope.',
      hint: 'See --help.',
      exit: 2,
    })
  })

  it('dependsOn and exclusive: the command’s own words when it has them, else a sentence of ours', async () => {
    const flags = {a: Flags.string({dependsOn: ['b']}), b: Flags.string(), c: Flags.string({exclusive: ['b']})}
    const own = {a: {code: 'MISSING_FLAG' as const, message: '--a needs --b: they go together.', hint: 'Give both.'}}
    assert.deepEqual(await mapped(['--a', 'x'], {flags}, {flagRuleWords: own}), {
      code: 'MISSING_FLAG',
      message: '--a needs --b: they go together.',
      hint: 'Give both.',
      exit: 2,
    })
    assert.equal((await mapped(['--a', 'x'], {flags})).message, '--a needs --b.')
    const clash = await mapped(['--c', 'x', '--b', 'y', '--a', 'z'], {flags})
    assert.deepEqual([clash.code, clash.message], ['INVALID_FLAG', '--c cannot be used with --b.'])
  })

  it("anything else the parser refuses: oclif's own words on one line, exit 2", async () => {
    const result = await mapped(['--n', 'abc'], {flags: {n: Flags.integer()}})
    assert.equal(result.code, 'INVALID_FLAG')
    assert.equal(result.exit, 2)
    assert.doesNotMatch(result.message, /\n/)
    assert.match(result.message, /--n/)
  })
})

describe('toCodikaError: other errors', () => {
  it('a CLIError of another exit code, or any other error: INTERNAL_ERROR, exit 1', () => {
    for (const error of [new Errors.CLIError('boom', {exit: 1}), new Error('boom'), 'boom']) {
      const e = toCodikaError(error)
      assert.deepEqual([e.code, e.exitCode, e.message], ['INTERNAL_ERROR', 1, 'boom'])
    }
  })
})

describe('withExtras: what a command adds to its error document', () => {
  it('comes after the envelope, never replaces success, error or requestId, and is scrubbed of keys', () => {
    const key = 'cko_ExtrasKey0123456789SecretZZZZ'
    registerSecret(key)
    const doc = errorJson(new CodikaError('NETWORK_ERROR', 'Network error.', {requestId: 'req-1'}))
    const extended = withExtras(doc, {
      loggedIn: true,
      success: true,
      error: null,
      requestId: 'req-forged',
      cachedDetails: {note: `held ${key}`},
    }) as unknown as Record<string, unknown>
    assert.deepEqual(Object.keys(extended), ['success', 'error', 'requestId', 'loggedIn', 'cachedDetails'])
    assert.equal(extended.success, false)
    assert.equal(extended.requestId, 'req-1')
    assert.deepEqual(extended.error, doc.error)
    assert.ok(!JSON.stringify(extended).includes(key), JSON.stringify(extended))
    assert.equal(withExtras(doc, undefined), doc)
  })
})
