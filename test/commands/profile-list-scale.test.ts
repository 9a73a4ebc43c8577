// `profile list` at scale (issue 10, item 16): the table grows linearly with the profiles. Before, 2,000 profiles took
// 40 s and 700 MB (React and ink laid out every cell); 20,000 must finish well inside a ceiling that leaves room for
// a loaded CI machine, with every row there and aligned. The budget itself (10,000 in ≤ 1 s, ≤ 150 MB) is measured
// by `npm run bench` (case profile-list), since timings in a test suite running in parallel are noise.
import assert from 'node:assert/strict'
import {after, it} from 'node:test'

import {writeConfig} from '../helpers/assertions.js'
import {runCli, tempHomes} from '../helpers/cli.js'

const homes = tempHomes()
after(() => homes.cleanup())

const COUNT = 20_000

it(`lists ${COUNT} profiles, aligned, within 30 s`, async () => {
  const home = homes.home()
  const profiles: Record<string, object> = {}
  for (let i = 0; i < COUNT; i++)
    profiles[`profile-${i}`] = {
      apiKey: `cko_${String(i).padStart(8, '0')}${'x'.repeat(35)}`,
      type: 'org-api-key',
      organizationId: `org_${i % 50}`,
      organizationName: i === 7 ? 'Société 日本' : `Organization ${i % 50}`,
      expiresAt: '2030-01-01T00:00:00.000Z',
    }
  writeConfig(home, {activeProfile: 'profile-1', profiles})
  const started = Date.now()
  const result = await runCli(home, ['profile', 'list'], {timeoutMs: 30_000})
  assert.equal(result.code, 0, `exit ${result.code} after ${Date.now() - started} ms: ${result.stderr}`)
  const lines = result.stdout.trimEnd().split('\n')
  assert.equal(lines.length, COUNT + 1, 'a header and one line per profile')
  assert.match(lines[0], /^ {6}NAME {2,}ORGANIZATION {2,}TYPE {2,}KEY {2,}STORED {2,}EXPIRES$/)
  // Aligned: the KEY column starts at the same display column on every line (wide characters count double).
  const keyColumn = (line: string) => {
    const at = line.search(/cko_/)
    return at + [...line.slice(0, at)].filter((c) => /[\u3000-\u9fff]/.test(c)).length
  }
  const first = keyColumn(lines[1])
  const wide = lines.find((line) => line.includes('Société 日本'))
  assert.ok(wide, 'the profile with wide characters is listed')
  for (const line of [lines[2], wide, lines[COUNT]]) assert.equal(keyColumn(line), first, line)
  assert.match(lines[2], /^ {2}\* {3}profile-1 /, 'the active profile is marked')
})
