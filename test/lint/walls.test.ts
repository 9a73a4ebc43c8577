// The walls between the rooms of src/ (eslint.config.js): each import rule fires where it should and nowhere else;
// and no module reaches into a dependency's internals.
// ESLint runs in-process on code given as text under a path of src/, without type information (the files do not exist).
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {ESLint} from 'eslint'
import tseslint from 'typescript-eslint'

import {ROOT} from '../helpers/cli.js'

const eslint = new ESLint({
  overrideConfig: [tseslint.configs.disableTypeChecked, {languageOptions: {parserOptions: {projectService: false}}}],
})

async function wallsHit(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {filePath})
  assert.deepEqual(
    result.messages.filter((m) => m.fatal),
    [],
    'the code parses',
  )
  return result.messages
    .filter((m) => /^(@typescript-eslint\/)?no-restricted-/.test(m.ruleId ?? ''))
    .map((m) => m.ruleId!)
}

describe('import walls', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['the sandbox imports a CLI module', 'src/sandbox/x.ts', "import {usageError} from '../lib/errors.js'", true],
    ['the sandbox imports the contract', 'src/sandbox/x.ts', "import {ENDPOINTS} from '../lib/api/contract.js'", false],
    ['the sandbox imports its validators', 'src/sandbox/x.ts', "import {check} from '../lib/api/validate.js'", false],
    [
      'the sandbox imports the scope list',
      'src/sandbox/x.ts',
      "import {ORGANIZATION_SCOPES} from '../lib/scopes.js'",
      false,
    ],
    [
      'the sandbox imports the process check',
      'src/sandbox/x.ts',
      "import {processAlive} from '../lib/processes.js'",
      false,
    ],
    ['the sandbox imports oclif', 'src/sandbox/x.ts', "import {Flags} from '@oclif/core'", true],
    // lib/processes.ts is the sandbox's way into lib/: it must stay a leaf, or the wall would leak through it.
    ['the process check imports a CLI module', 'src/lib/processes.ts', "import {x} from './errors.js'", true],
    ['the process check imports Node', 'src/lib/processes.ts', "import {kill} from 'node:process'", false],
    // import() and require() are walled like static imports (no-restricted-imports sees only the latter).
    [
      'the sandbox loads a CLI module at run time',
      'src/sandbox/x.ts',
      "export const t = () => import('../lib/errors.js')",
      true,
    ],
    [
      'the sandbox loads the contract at run time',
      'src/sandbox/x.ts',
      "export const t = () => import('../lib/api/contract.js')",
      false,
    ],
    ['the sandbox imports the package by name', 'src/sandbox/x.ts', "import {BaseCommand} from 'codika'", true],
    ['lib loads a command at run time', 'src/lib/x.ts', "export const t = () => import('../commands/login.js')", true],
    [
      'the oclif corner loads a command at run time',
      'src/lib/oclif/x.ts',
      "export const t = () => import('../../commands/login.js')",
      true,
    ],
    ['a CommonJS module requires oclif', 'src/lib/x.cts', "export const t = () => require('@oclif/core')", true],
    ['the loader requires oclif', 'src/lib/oclif/bundle.cts', "export const t = () => require('@oclif/core')", false],
    [
      'the process check loads a CLI module at run time',
      'src/lib/processes.ts',
      "export const t = () => import('./errors.js')",
      true,
    ],
    ['lib imports a command', 'src/lib/x.ts', "import Login from '../commands/login.js'", true],
    ['lib imports a hook', 'src/lib/profiles/x.ts', "import hook from '../../hooks/postrun.js'", true],
    ['lib imports oclif', 'src/lib/profiles/x.ts', "import {ux} from '@oclif/core'", true],
    ['lib loads oclif at run time', 'src/lib/profiles/x.ts', "export const t = () => import('@oclif/table')", true],
    ['a command imports oclif', 'src/commands/x.ts', "import {Flags} from '@oclif/core'", true],
    ['a command imports the oclif corner', 'src/commands/x.ts', "import {Flags} from '../lib/oclif/index.js'", false],
    ['the oclif corner imports oclif types', 'src/lib/oclif/x.ts', "import type {Hook} from '@oclif/core'", false],
    ['the oclif corner imports other oclif packages', 'src/lib/oclif/x.ts', "import {x} from '@oclif/table'", false],
    // A second copy of @oclif/core beside the one the loader runs.
    ['the oclif corner imports oclif values', 'src/lib/oclif/x.ts', "import {Flags} from '@oclif/core'", true],
    ['the loader imports oclif', 'src/lib/oclif/bundle.cts', "import {Flags} from '@oclif/core'", false],
    ['the oclif corner imports a command', 'src/lib/oclif/x.ts', "import Login from '../../commands/login.js'", true],
  ]
  for (const [what, path, code, refused] of cases) {
    it(`${what}: ${refused ? 'refused' : 'allowed'}`, async () => {
      const hits = await wallsHit(path, `${code}\nexport const used = 1\n`)
      assert.equal(hits.length > 0, refused, `${path}: ${code} → ${hits.join(', ') || 'no wall'}`)
    })
  }
})

describe("no dependency's internals", () => {
  // Node's private module API, the module cache, and esbuild plugins that rewrite a dependency's source on load.
  const INTERNALS = /\bModule\._\w+|\brequire\.cache\b|_nodeModulePaths|\bonLoad\s*\(/

  function sources(dir: string): string[] {
    return readdirSync(join(ROOT, dir), {withFileTypes: true}).flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return sources(path)
      return /\.(c?ts|m?js|cjs)$/.test(entry.name) ? [path] : []
    })
  }

  it("src/, bin/ and scripts/ neither seed Node's module cache nor rewrite a module as it loads", () => {
    const files = ['src', 'bin', 'scripts'].flatMap((dir) => sources(dir))
    assert.ok(files.includes(join('scripts', 'build.mjs')) && files.includes(join('src', 'lib', 'oclif', 'bundle.cts')))
    const hits = files.filter((file) => INTERNALS.test(readFileSync(join(ROOT, file), 'utf8')))
    assert.deepEqual(hits, [])
  })

  it('the check sees what it looks for (the control)', () => {
    for (const code of ['Module._cache[x] = m', 'require.cache[p]', 'b.onLoad({filter}, f)', 'M._nodeModulePaths(d)'])
      assert.match(code, INTERNALS)
  })
})
