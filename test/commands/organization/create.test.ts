// `codika organization create`: input checks and the exact request against a recording platform, then end to end
// against the sandbox (the organization it holds, the owner's next step, the platform's own refusals).
import assert from 'node:assert/strict'
import {mkdirSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {MAX_LOGO_BYTES} from '../../../src/lib/api/contract.js'
import {SandboxStore} from '../../../src/sandbox/store.js'
import {
  assertHumanFailure,
  assertJsonFailure,
  assertNoLeak,
  fileBytes,
  onlyJson,
  writeConfig,
} from '../../helpers/assertions.js'
import {configFile, runCli, tempHomes} from '../../helpers/cli.js'
import {errorEnvelope, type FakePlatform, okEnvelope, startFakePlatform} from '../../helpers/fake-platform.js'
import {jpegImage, pngImage, webpImage} from '../../helpers/images.js'
import {startTestSandbox, type TestSandbox} from '../../sandbox/helpers.js'
import {getLogo} from '../../helpers/sandbox-store.js'

const CALLER = 'ckp_CallerKey0123456789abcdef'
const N8N_KEY = 'n8n_api_0123456789SECRETabcdef'
const CREATED = okEnvelope({organizationId: 'org_new_123'}, 'req-org-1')

let platform: FakePlatform
const homes = tempHomes()
const home = homes.home

before(async () => {
  platform = await startFakePlatform({status: 201, json: CREATED})
})
after(async () => {
  await platform.close()
  homes.cleanup()
})

/** A file in a fresh home: its path. */
function file(h: string, name: string, content: Buffer | string): string {
  const dir = join(h, 'files')
  mkdirSync(dir, {recursive: true})
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** Runs `organization create` against its own route of the recording platform. */
async function create(route: string, args: string[], h = home()) {
  const url = platform.route(route, {status: 201, json: CREATED})
  const result = await runCli(h, ['organization', 'create', ...args, '--api-key', CALLER, '--api-url', url])
  return {result, requests: platform.requestsTo(route), home: h}
}

describe('create: what it sends and prints', () => {
  it('sends only --name (trimmed) when nothing else is given, and prints the id and request id', async () => {
    const {result, requests} = await create('minimal', ['--name', '  Acme Corp  '])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.equal(requests.length, 1)
    assert.equal(requests[0].url, '/minimal/createorganizationviaapikey')
    assert.equal(requests[0].headers['x-process-manager-key'], CALLER)
    assert.deepEqual(requests[0].json, {name: 'Acme Corp'})
    assert.equal(
      result.stdout,
      [
        '✓ Organization Created Successfully',
        '',
        '  Organization ID:  org_new_123',
        '  Name:             Acme Corp',
        '  Request ID:       req-org-1',
        '',
        '  Next: codika organization create-key --organization-id "org_new_123" --name "<key name>" --scopes "<scopes>"',
        '',
      ].join('\n'),
    )
  })

  it('sends every field: description, size, the logo as base64 with its type, the n8n pair and storeCredentialCopy', async () => {
    const h = home()
    const png = pngImage()
    const {result, requests} = await create(
      'every',
      [
        '--name',
        'Acme Corp',
        '--description',
        'Automation for sales',
        '--size',
        '11-50',
        '--logo',
        file(h, 'logo.png', png),
        '--n8n-base-url',
        ' https://n8n.acme.example ',
        '--n8n-api-key',
        N8N_KEY,
        '--store-credential-copy',
      ],
      h,
    )
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(requests[0].json, {
      name: 'Acme Corp',
      description: 'Automation for sales',
      size: '11-50',
      logoBase64: png.toString('base64'),
      logoMimeType: 'image/png',
      n8nBaseUrl: 'https://n8n.acme.example',
      n8nApiKey: N8N_KEY,
      storeCredentialCopy: true,
    })
    assertNoLeak(result, [N8N_KEY, CALLER])
  })

  it('leaves storeCredentialCopy out unless it is asked for', async () => {
    const {result, requests} = await create('no-copy', [
      '--name',
      'Acme',
      '--n8n-base-url',
      'http://n8n.local:5678',
      '--n8n-api-key',
      N8N_KEY,
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(requests[0].json, {name: 'Acme', n8nBaseUrl: 'http://n8n.local:5678', n8nApiKey: N8N_KEY})
  })

  for (const [label, image, name, mimeType] of [
    ['a JPEG', jpegImage(), 'logo.jpg', 'image/jpeg'],
    ['a WebP', webpImage(), 'logo.webp', 'image/webp'],
    ['a PNG named .jpg (as PNG)', pngImage(), 'logo.jpg', 'image/png'],
    ['a JPEG with no extension', jpegImage(), 'logo', 'image/jpeg'],
  ] as const) {
    it(`takes the logo's type from its content: ${label}`, async () => {
      const h = home()
      const route = `logo-${name}-${mimeType}`.replace(/\W/g, '-')
      const {result, requests} = await create(route, ['--name', 'Acme', '--logo', file(h, name, image)], h)
      assert.equal(result.code, 0, result.stderr)
      assert.equal(requests[0].json.logoMimeType, mimeType)
      assert.deepEqual(Buffer.from(requests[0].json.logoBase64, 'base64'), image)
    })
  }

  it('accepts a logo of exactly 5 MiB and a name of exactly 2 and 100 characters (counted as characters)', async () => {
    const h = home()
    const big = Buffer.alloc(MAX_LOGO_BYTES, 0)
    pngImage().copy(big)
    const logo = await create('max-logo', ['--name', 'Ac', '--logo', file(h, 'big.png', big)], h)
    assert.equal(logo.result.code, 0, logo.result.stderr)
    assert.equal(Buffer.from(logo.requests[0].json.logoBase64, 'base64').length, MAX_LOGO_BYTES)

    const long = await create('max-name', ['--name', 'é'.repeat(50) + '🚀'.repeat(50)])
    assert.equal(long.result.code, 0, long.result.stderr)
    assert.equal([...long.requests[0].json.name].length, 100)
  })

  it('--json prints the envelope as one document', async () => {
    const {result} = await create('json', ['--name', 'Acme', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(onlyJson(result), {...CREATED, warnings: []})
    assert.equal(result.stderr, '')
  })

  it('leaves the profile file exactly as it was', async () => {
    const h = home()
    const url = platform.route('profiles', {status: 201, json: CREATED})
    const path = writeConfig(h, {
      activeProfile: 'me',
      profiles: {me: {apiKey: CALLER, type: 'personal-api-key', keyName: 'Me', baseUrl: url, custom: {kept: true}}},
    })
    const before = fileBytes(path)
    const result = await runCli(h, ['organization', 'create', '--name', 'Acme'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(platform.requestsTo('profiles')[0].headers['x-process-manager-key'], CALLER)
    assert.deepEqual(fileBytes(path), before)
  })

  it('reports the platform refusing the key: exit 1, its message, no key', async () => {
    const h = home()
    const url = platform.route('refused', {
      status: 403,
      json: errorEnvelope('Missing scope: organizations:create', 'req-403'),
    })
    const args = ['organization', 'create', '--name', 'Acme', '--api-key', CALLER, '--api-url', url]
    const human = await runCli(h, args)
    assertHumanFailure(human, 1, /Missing scope: organizations:create \(HTTP 403\)/)
    assert.match(human.stderr, /Request ID: req-403/)
    assertNoLeak(human, [CALLER])

    const json = await runCli(h, [...args, '--json'])
    const doc = assertJsonFailure(json, 1, 'API_ERROR')
    assert.equal(doc.requestId, 'req-403')
    assert.equal(doc.error.status, 403)
    assertNoLeak(json, [CALLER])
  })
})

describe('create: a wrong command line is refused before anything is sent (exit 2)', () => {
  const cases: Array<{label: string; args: (h: string) => string[]; message: RegExp; code: string}> = [
    {label: 'no --name', args: () => [], message: /Missing required flag --name/, code: 'MISSING_FLAG'},
    {
      label: 'a one-character name',
      args: () => ['--name', 'A'],
      message: /--name must be 2 to 100 characters long \(got 1\)/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'a name that is one character once trimmed',
      args: () => ['--name', '   A   '],
      message: /got 1\)/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'a 101-character name',
      args: () => ['--name', 'x'.repeat(101)],
      message: /got 101\)/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'an unknown size',
      args: () => ['--name', 'Acme', '--size', 'huge'],
      message: /--size must be one of: solo, 2-10, 11-50, 51-200, 201-1000, 1000\+ \(got "huge"\)/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'a size in other words',
      args: () => ['--name', 'Acme', '--size', '11 to 50'],
      message: /--size must be one of: solo, 2-10/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'a logo that does not exist',
      args: (h) => ['--name', 'Acme', '--logo', join(h, 'missing.png')],
      message: /--logo: cannot read ".*missing\.png" \(no such file\)/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'a logo that is a folder',
      args: (h) => ['--name', 'Acme', '--logo', h],
      message: /--logo: ".*" is not a file/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'a .png file holding text',
      args: (h) => ['--name', 'Acme', '--logo', file(h, 'logo.png', 'this is not an image\n')],
      message: /--logo: ".*logo\.png" is not a JPEG, PNG or WebP image/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'an empty logo file',
      args: (h) => ['--name', 'Acme', '--logo', file(h, 'empty.webp', '')],
      message: /is not a JPEG, PNG or WebP image/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'a GIF',
      args: (h) => ['--name', 'Acme', '--logo', file(h, 'logo.gif', 'GIF89a\u0001\u0000\u0001\u0000')],
      message: /is not a JPEG, PNG or WebP image/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'a logo one byte over 5 MiB',
      args: (h) => {
        const path = file(h, 'huge.png', pngImage())
        truncateSync(path, MAX_LOGO_BYTES + 1)
        return ['--name', 'Acme', '--logo', path]
      },
      message: /--logo: ".*huge\.png" is larger than 5 MiB \(5242881 bytes; the limit is 5242880\)/,
      code: 'INVALID_FLAG',
    },
    {
      label: '--n8n-base-url alone',
      args: () => ['--name', 'Acme', '--n8n-base-url', 'https://n8n.acme.example'],
      message: /--n8n-base-url needs --n8n-api-key/,
      code: 'MISSING_FLAG',
    },
    {
      label: '--n8n-api-key alone',
      args: () => ['--name', 'Acme', '--n8n-api-key', N8N_KEY],
      message: /--n8n-api-key needs --n8n-base-url/,
      code: 'MISSING_FLAG',
    },
    {
      label: '--store-credential-copy alone',
      args: () => ['--name', 'Acme', '--store-credential-copy'],
      message: /--store-credential-copy only applies to a self-hosted n8n/,
      code: 'INVALID_FLAG',
    },
    {
      label: '--store-credential-copy with only the URL',
      args: () => ['--name', 'Acme', '--store-credential-copy', '--n8n-base-url', 'https://n8n.acme.example'],
      message: /--n8n-base-url needs --n8n-api-key/,
      code: 'MISSING_FLAG',
    },
    {
      label: 'an n8n URL that is not http(s)',
      args: () => ['--name', 'Acme', '--n8n-base-url', 'ftp://n8n.acme.example', '--n8n-api-key', N8N_KEY],
      message: /--n8n-base-url must be an http or https URL/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'an n8n URL that is not a URL',
      args: () => ['--name', 'Acme', '--n8n-base-url', 'n8n.acme.example', '--n8n-api-key', N8N_KEY],
      message: /--n8n-base-url must be an http or https URL/,
      code: 'INVALID_FLAG',
    },
    {
      label: 'an empty n8n key',
      args: () => ['--name', 'Acme', '--n8n-base-url', 'https://n8n.acme.example', '--n8n-api-key', '  '],
      message: /--n8n-api-key must not be empty/,
      code: 'INVALID_FLAG',
    },
  ]

  for (const c of cases) {
    it(c.label, async () => {
      const h = home()
      const route = `bad-${c.label.replace(/\W+/g, '-')}`
      const url = platform.route(route)
      const args = ['organization', 'create', ...c.args(h), '--api-key', CALLER, '--api-url', url]
      const human = await runCli(h, args)
      assertHumanFailure(human, 2, c.message)
      assertNoLeak(human, [CALLER, N8N_KEY], args)

      const json = await runCli(h, [...args, '--json'])
      const doc = assertJsonFailure(json, 2, c.code)
      assert.match(doc.error.message, c.message)
      assertNoLeak(json, [CALLER, N8N_KEY], args)

      assert.equal(platform.requestsTo(route).length, 0, 'nothing was sent')
      assert.equal(fileBytes(configFile(h)), null, 'nothing was written')
    })
  }

  it('no key anywhere: exit 2 and nothing sent', async () => {
    const h = home()
    const url = platform.route('no-key')
    const result = await runCli(h, ['organization', 'create', '--name', 'Acme', '--api-url', url, '--json'])
    assertJsonFailure(result, 2, 'NO_API_KEY')
    assert.equal(platform.requestsTo('no-key').length, 0)
  })
})

// ---- Against the sandbox ---------------------------------------------------------------------------------------

/** A sandbox for CLI tests, counting the create requests that reach it (to prove that nothing was sent). */
async function sandboxForCli(): Promise<TestSandbox & {creates(): number}> {
  const lines: string[] = []
  const sandbox = await startTestSandbox({log: (line) => lines.push(line)})
  return Object.assign(sandbox, {
    creates: () => lines.filter((l) => l.startsWith('POST /createorganizationviaapikey ')).length,
  })
}

/** A home whose active profile "owner" holds the sandbox owner's key and points at the sandbox. */
function ownerHome(sandbox: TestSandbox): string {
  const h = home()
  writeConfig(h, {
    activeProfile: 'owner',
    profiles: {
      owner: {
        apiKey: sandbox.seeded!.owner.apiKey,
        type: 'personal-api-key',
        keyName: 'Sandbox Owner key',
        baseUrl: sandbox.url,
      },
    },
  })
  return h
}

describe('create against the sandbox: every flag, then the owner creates a key for it', () => {
  it('the sandbox holds the organization with its size and logo, and the caller is its owner', async () => {
    const sandbox = await sandboxForCli()
    try {
      const {owner} = sandbox.seeded!
      const h = ownerHome(sandbox)
      const before = fileBytes(configFile(h))
      const png = pngImage(4, 3)
      const result = await runCli(h, [
        'organization',
        'create',
        '--name',
        'Acme Corp',
        '--description',
        'Automation for sales',
        '--size',
        '51-200',
        '--logo',
        file(h, 'acme.png', png),
        '--n8n-base-url',
        'https://n8n.acme.example',
        '--n8n-api-key',
        N8N_KEY,
        '--store-credential-copy',
      ])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stderr, '')
      const organizationId = /Organization ID: +(\S+)/.exec(result.stdout)?.[1]
      assert.match(organizationId ?? '', /^org_/)
      assert.match(result.stdout, /Request ID: +req_[0-9a-f]{16}\n/)
      assertNoLeak(result, [N8N_KEY, owner.apiKey])
      assert.deepEqual(fileBytes(configFile(h)), before, 'the profiles are unchanged')

      // The caller became the owner: its key may now create keys for the new organization.
      const key = await runCli(h, [
        'organization',
        'create-key',
        '--organization-id',
        organizationId!,
        '--name',
        'CI',
        '--scopes',
        'deploy:use-case',
        '--json',
      ])
      assert.equal(key.code, 0, key.stderr)
      assert.equal(onlyJson(key).data.organizationId, organizationId)

      await sandbox.close()
      const store = SandboxStore.open(sandbox.dataFile)
      try {
        const organization = store.getOrganization(organizationId!)
        assert.deepEqual(
          {...organization, createdAt: undefined},
          {
            id: organizationId,
            name: 'Acme Corp',
            description: 'Automation for sales',
            size: '51-200',
            logoMimeType: 'image/png',
            logoBytes: png.length,
            n8nBaseUrl: 'https://n8n.acme.example',
            storeCredentialCopy: true,
            createdBy: owner.personId,
            createdAt: undefined,
          },
        )
        assert.deepEqual(getLogo(store, organizationId!), png)
        assert.equal(store.roleOf(organizationId!, owner.personId), 'owner')
      } finally {
        store.close()
      }
    } finally {
      await sandbox.dispose()
    }
  })
})

describe('create against the sandbox: logos, refusals and --json', () => {
  let sandbox: Awaited<ReturnType<typeof sandboxForCli>>
  before(async () => {
    sandbox = await sandboxForCli()
  })
  after(async () => {
    await sandbox.dispose()
  })

  for (const [label, image, name] of [
    ['a real PNG renamed .jpg is accepted as PNG', pngImage(), 'logo.jpg'],
    ['a JPEG', jpegImage(), 'logo.jpeg'],
    ['a WebP', webpImage(), 'logo.webp'],
  ] as const) {
    it(label, async () => {
      const h = ownerHome(sandbox)
      const result = await runCli(h, [
        'organization',
        'create',
        '--name',
        `Logo ${name}`,
        '--logo',
        file(h, name, image),
        '--json',
      ])
      assert.equal(result.code, 0, result.stderr)
      const doc = onlyJson(result)
      assert.equal(doc.success, true)
      assert.match(doc.data.organizationId, /^org_/)
      assert.match(doc.requestId, /^req_/)
    })
  }

  it('--json: one document holding the envelope', async () => {
    const h = ownerHome(sandbox)
    const result = await runCli(h, ['organization', 'create', '--name', 'Json Org', '--size', 'solo', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const doc = onlyJson(result)
    assert.deepEqual(Object.keys(doc).sort(), ['data', 'requestId', 'success', 'warnings'])
    assert.deepEqual(Object.keys(doc.data), ['organizationId'])
    assert.equal(result.stderr, '')
  })

  const refusedLocally: Array<[string, (h: string) => string[], RegExp]> = [
    [
      'a .png file holding text',
      (h) => ['--name', 'Acme', '--logo', file(h, 'logo.png', 'just text')],
      /is not a JPEG, PNG or WebP image/,
    ],
    [
      'an unknown size',
      () => ['--name', 'Acme', '--size', 'enterprise'],
      /--size must be one of: solo, 2-10, 11-50, 51-200, 201-1000, 1000\+/,
    ],
    ['a short name', () => ['--name', 'A'], /--name must be 2 to 100 characters/],
    [
      '--n8n-base-url without --n8n-api-key',
      () => ['--name', 'Acme', '--n8n-base-url', 'https://n8n.acme.example'],
      /--n8n-base-url needs --n8n-api-key/,
    ],
    [
      '--store-credential-copy without n8n',
      () => ['--name', 'Acme', '--store-credential-copy'],
      /--store-credential-copy only applies/,
    ],
    [
      'a bad n8n URL',
      () => ['--name', 'Acme', '--n8n-base-url', 'not a url', '--n8n-api-key', N8N_KEY],
      /--n8n-base-url must be an http or https URL/,
    ],
  ]
  for (const [label, args, message] of refusedLocally) {
    it(`${label}: exit 2, nothing reaches the sandbox`, async () => {
      const h = ownerHome(sandbox)
      const sent = sandbox.creates()
      const human = await runCli(h, ['organization', 'create', ...args(h)])
      assertHumanFailure(human, 2, message)
      const json = await runCli(h, ['organization', 'create', ...args(h), '--json'])
      assertJsonFailure(json, 2, json.json().error.code)
      assert.match(json.json().error.message, message)
      for (const r of [human, json]) assertNoLeak(r, [sandbox.seeded!.owner.apiKey, N8N_KEY])
      assert.equal(sandbox.creates(), sent)
    })
  }

  it("a key without organizations:create: exit 1 with the platform's message, no key in the output", async () => {
    const {admin} = sandbox.seeded!
    const h = home()
    const args = ['organization', 'create', '--name', 'Acme', '--api-key', admin.apiKey, '--api-url', sandbox.url]
    const human = await runCli(h, args)
    assertHumanFailure(human, 1, /This API key lacks the organizations:create scope \(HTTP 403\)/)
    assert.match(human.stderr, /Request ID: req_/)
    assertNoLeak(human, [admin.apiKey])

    const json = await runCli(h, [...args, '--json'])
    const doc = assertJsonFailure(json, 1, 'API_ERROR')
    assert.equal(doc.error.status, 403)
    assert.match(doc.error.message, /lacks the organizations:create scope/)
    assert.match(doc.requestId, /^req_/)
    assertNoLeak(json, [admin.apiKey])
  })

  it('an organization key (cko_) may not create organizations: exit 1, 403', async () => {
    const h = ownerHome(sandbox)
    const made = await runCli(h, [
      'organization',
      'create-key',
      '--organization-id',
      sandbox.seeded!.organizationId,
      '--name',
      'Org key',
      '--scopes',
      'deploy:use-case',
      '--no-save',
      '--json',
    ])
    assert.equal(made.code, 0, made.stderr)
    const orgKey: string = onlyJson(made).data.apiKey
    const result = await runCli(h, ['organization', 'create', '--name', 'Acme', '--api-key', orgKey, '--json'])
    const doc = assertJsonFailure(result, 1, 'API_ERROR')
    assert.equal(doc.error.status, 403)
    assert.match(doc.error.message, /Organization API keys cannot create organizations/)
    assertNoLeak(result, [orgKey])
  })
})
