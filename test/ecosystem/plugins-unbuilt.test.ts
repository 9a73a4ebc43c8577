// `codika plugins link` of a plugin that was never built (issue 10, rough edge): linked, but it brings no command,
// so the link says so (and how to fix it) instead of a silent "done" followed by "not a codika command".
import assert from 'node:assert/strict'
import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, it} from 'node:test'

import {ROOT, runCli, tempHome} from '../helpers/cli.js'

const {home, cleanup} = tempHome()
const plugin = mkdtempSync(join(tmpdir(), 'codika-unbuilt-plugin-'))
after(() => {
  cleanup()
  rmSync(plugin, {recursive: true, force: true})
})

it('an unbuilt plugin: linked, with a warning that it has no compiled commands and how to build it', async () => {
  // The example plugin's sources and package.json only: no dist/, no node_modules.
  for (const entry of ['package.json', 'tsconfig.json', 'src'])
    cpSync(join(ROOT, 'examples', 'plugin-hello', entry), join(plugin, entry), {recursive: true})
  const result = await runCli(home, ['plugins', 'link', plugin, '--no-install'])
  assert.equal(result.code, 0, result.stderr)
  assert.match(
    result.stderr,
    /Warning: the plugin codika-plugin-hello was linked, but it has no compiled commands \(nothing in \.\/dist\/commands\): build it first \(for example npm run build in .+\)\./,
  )
  const hello = await runCli(home, ['hello'])
  assert.equal(hello.code, 2, 'and indeed there is no such command yet')
})
