// Typos in command names: the closest command is named, nothing is run, exit 2; --json gives one document;
// on a terminal @oclif/plugin-not-found asks "Did you mean …?" and runs the command on yes.
import assert from 'node:assert/strict'
import {stripVTControlCharacters} from 'node:util'
import {after, describe, it} from 'node:test'

import {assertJsonFailure, assertNoLeak, assertNoStack} from '../helpers/assertions.js'
import {runCli, tempHome} from '../helpers/cli.js'
import {runInPty} from '../helpers/pty.js'

describe('an unknown command', () => {
  const {home, cleanup} = tempHome()
  after(cleanup)

  it('`codika organisation create-key` off a terminal: names `organization create-key`, exit 2, no prompt', async () => {
    const result = await runCli(home, ['organisation', 'create-key', '--name', 'CI'])
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stdout, '')
    assert.equal(
      result.stderr,
      'Error: "codika organisation create-key" is not a codika command.\n' +
        'Hint: Did you mean "codika organization create-key"? Run "codika help" for the list of commands.\n',
    )
    assertNoStack(result.stderr)
  })

  it('a typo in the second word: `codika organization creat-key`', async () => {
    const result = await runCli(home, ['organization', 'creat-key'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Did you mean "codika organization create-key"\?/)
  })

  it('with --json: one document on stdout, code COMMAND_NOT_FOUND, nothing on stderr', async () => {
    const result = await runCli(home, ['organisation', 'create-key', '--json'])
    const doc = assertJsonFailure(result, 2, 'COMMAND_NOT_FOUND')
    assert.match(doc.error.hint, /Did you mean "codika organization create-key"\?/)
    assert.equal(doc.requestId, null)
    assert.equal(result.stderr, '')
  })

  it('never shows a key typed where a command was expected, nor the flags', async () => {
    const key = 'cko_Typ0edKeyInPlaceOfACommand1234'
    const result = await runCli(home, ['logn', key, '--api-key', 'ckp_AnotherSecretKey0123456789'])
    assert.equal(result.code, 2)
    assertNoLeak(result, [key, 'ckp_AnotherSecretKey0123456789'])
    assert.doesNotMatch(result.stderr, /--api-key/)
  })

  it('on a terminal: asks "Did you mean …?"; "n" exits 2 without running anything', async () => {
    const result = await runInPty(home, ['organisation', 'create-key'], {
      steps: [{waitFor: /Did you mean .*organization create-key/, send: 'n\r'}],
    })
    const screen = stripVTControlCharacters(result.screen)
    assert.equal(result.code, 2, screen)
    assert.match(screen, /"codika organisation create-key" is not a codika command/)
    assert.match(screen, /Run codika help for a list of available commands/)
  })

  // Issue 10, item 5: the prompt's warning named the words as typed.
  it('on a terminal: the warning and the question never show a key typed where a command was expected', async () => {
    const key = 'cko_Typ0edKeyInPlaceOfACommand1234'
    const other = 'ckp_AnotherSecretKey0123456789'
    const result = await runInPty(home, ['logn', key, '--api-key', other], {
      steps: [{waitFor: /Did you mean/, send: 'n\r'}],
    })
    const screen = stripVTControlCharacters(result.screen)
    assert.equal(result.code, 2, screen)
    assert.match(screen, /is not a codika command/)
    for (const secret of [key, other, 'Typ0edKey', 'AnotherSecret']) assert.ok(!screen.includes(secret), screen)
    assert.doesNotMatch(screen, /--api-key/)
  })

  it('on a terminal: "y" runs the suggested command', async () => {
    const result = await runInPty(home, ['profile', 'lst'], {
      steps: [{waitFor: /Did you mean .*profile list/, send: 'y\r'}],
    })
    const screen = stripVTControlCharacters(result.screen)
    assert.equal(result.code, 0, screen)
    // what `codika profile list` says in an empty home
    assert.match(screen, /No profiles yet\./)
  })
})

// Issue 10: oclif reads `whoami extra` as the unknown command `whoami:extra`; it is a known command with a word too
// many, and on a terminal the default "Yes" of the not-found prompt used to run another command.
describe('a known command with words it does not take', () => {
  const {home, cleanup} = tempHome()
  after(cleanup)

  it('`codika whoami extra`: Unexpected argument, exit 2, nothing run or suggested', async () => {
    const result = await runCli(home, ['whoami', 'extra'])
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stdout, '')
    assert.equal(result.stderr, 'Error: Unexpected argument: extra.\nHint: See --help.\n')
  })

  it('the same with --json: INVALID_ARGUMENT', async () => {
    const doc = assertJsonFailure(await runCli(home, ['whoami', 'extra', 'more', '--json']), 2, 'INVALID_ARGUMENT')
    assert.equal(doc.error.message, 'Unexpected arguments: extra more.')
  })

  it('as for a command that takes arguments: `codika logout a b`', async () => {
    const result = await runCli(home, ['logout', 'a', 'b'])
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stderr, 'Error: Unexpected argument: b.\nHint: See --help.\n')
  })

  it('on a terminal: the same error, no "Did you mean" prompt', async () => {
    const result = await runInPty(home, ['whoami', 'extra'])
    const screen = stripVTControlCharacters(result.screen)
    assert.equal(result.code, 2, screen)
    assert.match(screen, /Unexpected argument: extra\./)
    assert.doesNotMatch(screen, /Did you mean/)
  })

  for (const args of [
    ['login', 'not-shaped-like-a-key-9f8e7d'],
    ['login', '--name', 'x', 'not-shaped-like-a-key-9f8e7d'],
  ]) {
    it(`\`codika ${args.join(' ')}\`: never shows the word (it may be a key), points at --api-key and stdin`, async () => {
      const result = await runCli(home, [...args, '--json'])
      const doc = assertJsonFailure(result, 2, 'INVALID_ARGUMENT')
      assert.match(doc.error.message, /^Unexpected argument: "login" takes none/)
      assert.match(doc.error.hint, /--api-key/)
      assert.match(doc.error.hint, /stdin/)
      assertNoLeak(result, ['not-shaped-like-a-key-9f8e7d', 'f8e7d'])
      const human = await runCli(home, args)
      assert.equal(human.code, 2)
      assertNoLeak(human, ['not-shaped-like-a-key-9f8e7d', 'f8e7d'])
    })
  }
})
