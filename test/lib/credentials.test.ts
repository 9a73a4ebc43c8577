// resolveCredentials against every row of SPEC.md's key/URL table, plus the rule that a profile's key never
// goes to another profile's URL, checked over every combination of sources.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {PRODUCTION_BASE_URL} from '../../src/lib/api/contract.js'
import {
  type CredentialInput,
  type Credentials,
  describeKeySource,
  describeUrlSource,
  isProduction,
  parseBaseUrl,
  resolveBaseUrl,
  resolveCredentials,
} from '../../src/lib/credentials.js'
import {CodikaError} from '../../src/lib/errors.js'
import type {ProfileFile} from '../../src/lib/profiles/types.js'

const URLS = {
  active: 'http://active.test:8001',
  named: 'http://named.test:8002',
  envp: 'http://envp.test:8003',
  flag: 'http://flag.test:8004',
  env: 'http://env.test:8005',
}
const KEYS = {
  active: 'ckp_active',
  named: 'ckp_named',
  envp: 'ckp_envp',
  prod: 'ckp_prod',
  flag: 'ckp_flag',
  env: 'ckp_env',
}

function file(activeProfile: string | null = 'active'): ProfileFile {
  return {
    activeProfile,
    profiles: {
      active: {apiKey: KEYS.active, type: 'personal-api-key', baseUrl: URLS.active},
      named: {apiKey: KEYS.named, type: 'personal-api-key', baseUrl: URLS.named},
      envp: {apiKey: KEYS.envp, type: 'personal-api-key', baseUrl: URLS.envp},
      prod: {apiKey: KEYS.prod, type: 'personal-api-key'},
    },
  }
}

function resolve(input: CredentialInput, env: NodeJS.ProcessEnv = {}, profiles: ProfileFile = file()) {
  let reads = 0
  const c = resolveCredentials(input, () => (reads++, profiles), env)
  return {...c, reads}
}

const pick = (c: Credentials) => ({key: c.apiKey, url: c.baseUrl, keySource: c.keySource, urlSource: c.urlSource})

function throwsCode(fn: () => unknown, code: string, exitCode: number, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CodikaError, String(e))
    assert.equal(e.code, code)
    assert.equal(e.exitCode, exitCode)
    if (message) assert.match(e.message, message)
    return true
  })
}

describe('resolveCredentials: the rows of the table', () => {
  it('row 1: --api-key and --api-url win over everything, without reading the profile file', () => {
    const c = resolve(
      {apiKey: KEYS.flag, apiUrl: URLS.flag, profile: 'named'},
      {CODIKA_API_KEY: KEYS.env, CODIKA_BASE_URL: URLS.env, CODIKA_PROFILE: 'envp'},
    )
    assert.deepEqual(pick(c), {key: KEYS.flag, url: URLS.flag, keySource: 'flag', urlSource: 'flag'})
    const bare = resolve({apiKey: KEYS.flag, apiUrl: URLS.flag})
    assert.equal(bare.reads, 0, 'no profile needed, none read')
  })

  it('row 2: --profile gives its key and its own URL, above the environment', () => {
    const c = resolve({profile: 'named'}, {CODIKA_API_KEY: KEYS.env, CODIKA_BASE_URL: URLS.env, CODIKA_PROFILE: 'envp'})
    assert.deepEqual(pick(c), {key: KEYS.named, url: URLS.named, keySource: 'profile-flag', urlSource: 'profile'})
    assert.equal(c.profileName, 'named')
    assert.equal(c.urlProfileName, 'named')
    assert.equal(c.profile?.apiKey, KEYS.named)
  })

  it('row 2: a --profile without baseUrl means production, even with CODIKA_BASE_URL set', () => {
    const c = resolve({profile: 'prod'}, {CODIKA_BASE_URL: URLS.env})
    assert.deepEqual(pick(c), {
      key: KEYS.prod,
      url: PRODUCTION_BASE_URL,
      keySource: 'profile-flag',
      urlSource: 'default',
    })
  })

  it('row 2 with row 1: --api-key with --profile goes to that profile URL; --api-url with --profile keeps its key', () => {
    assert.deepEqual(pick(resolve({apiKey: KEYS.flag, profile: 'named'}, {CODIKA_BASE_URL: URLS.env})), {
      key: KEYS.flag,
      url: URLS.named,
      keySource: 'flag',
      urlSource: 'profile',
    })
    assert.deepEqual(pick(resolve({apiUrl: URLS.flag, profile: 'named'})), {
      key: KEYS.named,
      url: URLS.flag,
      keySource: 'profile-flag',
      urlSource: 'flag',
    })
  })

  it('row 3: CODIKA_API_KEY with CODIKA_BASE_URL, without reading the profile file', () => {
    const c = resolve({}, {CODIKA_API_KEY: KEYS.env, CODIKA_BASE_URL: URLS.env, CODIKA_PROFILE: 'envp'})
    assert.deepEqual(pick(c), {key: KEYS.env, url: URLS.env, keySource: 'env', urlSource: 'env'})
    assert.equal(c.reads, 0)
    assert.equal(c.profileName, undefined)
  })

  it('row 4 (URL): a key from CODIKA_API_KEY goes to production, never to a profile URL', () => {
    for (const env of [{CODIKA_API_KEY: KEYS.env}, {CODIKA_API_KEY: KEYS.env, CODIKA_PROFILE: 'envp'}]) {
      assert.deepEqual(pick(resolve({}, env)), {
        key: KEYS.env,
        url: PRODUCTION_BASE_URL,
        keySource: 'env',
        urlSource: 'default',
      })
    }
    assert.deepEqual(pick(resolve({apiUrl: URLS.flag}, {CODIKA_API_KEY: KEYS.env})), {
      key: KEYS.env,
      url: URLS.flag,
      keySource: 'env',
      urlSource: 'flag',
    })
  })

  it('row 4 (key): CODIKA_PROFILE gives its key and its URL, not the active profile URL', () => {
    const c = resolve({}, {CODIKA_PROFILE: 'envp'})
    assert.deepEqual(pick(c), {key: KEYS.envp, url: URLS.envp, keySource: 'env-profile', urlSource: 'profile'})
    assert.equal(c.urlProfileName, 'envp')
    assert.deepEqual(pick(resolve({}, {CODIKA_PROFILE: 'prod'})), {
      key: KEYS.prod,
      url: PRODUCTION_BASE_URL,
      keySource: 'env-profile',
      urlSource: 'default',
    })
  })

  it('row 5: the active profile, its URL, or production when it has none', () => {
    assert.deepEqual(pick(resolve({})), {
      key: KEYS.active,
      url: URLS.active,
      keySource: 'active-profile',
      urlSource: 'profile',
    })
    assert.deepEqual(pick(resolve({}, {}, file('prod'))), {
      key: KEYS.prod,
      url: PRODUCTION_BASE_URL,
      keySource: 'active-profile',
      urlSource: 'default',
    })
  })

  it('row 5 (URL) also serves a key from --api-key: the active or CODIKA_PROFILE profile URL, or production', () => {
    assert.deepEqual(pick(resolve({apiKey: KEYS.flag})), {
      key: KEYS.flag,
      url: URLS.active,
      keySource: 'flag',
      urlSource: 'profile',
    })
    assert.deepEqual(pick(resolve({apiKey: KEYS.flag}, {CODIKA_PROFILE: 'envp'})), {
      key: KEYS.flag,
      url: URLS.envp,
      keySource: 'flag',
      urlSource: 'profile',
    })
    assert.deepEqual(pick(resolve({apiKey: KEYS.flag}, {}, file(null))), {
      key: KEYS.flag,
      url: PRODUCTION_BASE_URL,
      keySource: 'flag',
      urlSource: 'default',
    })
    // A key from --api-key is not "a key from CODIKA_API_KEY": the row 4 production rule does not apply.
    assert.deepEqual(pick(resolve({apiKey: KEYS.flag}, {CODIKA_API_KEY: KEYS.env})), {
      key: KEYS.flag,
      url: URLS.active,
      keySource: 'flag',
      urlSource: 'profile',
    })
    assert.deepEqual(pick(resolve({apiKey: KEYS.flag}, {CODIKA_BASE_URL: URLS.env})), {
      key: KEYS.flag,
      url: URLS.env,
      keySource: 'flag',
      urlSource: 'env',
    })
  })

  it('rows 4–5 with a URL from above: --api-url or CODIKA_BASE_URL replaces the profile URL, the key stays', () => {
    assert.deepEqual(pick(resolve({apiUrl: URLS.flag})), {
      key: KEYS.active,
      url: URLS.flag,
      keySource: 'active-profile',
      urlSource: 'flag',
    })
    assert.deepEqual(pick(resolve({}, {CODIKA_BASE_URL: URLS.env})), {
      key: KEYS.active,
      url: URLS.env,
      keySource: 'active-profile',
      urlSource: 'env',
    })
    assert.deepEqual(pick(resolve({}, {CODIKA_PROFILE: 'envp', CODIKA_BASE_URL: URLS.env})), {
      key: KEYS.envp,
      url: URLS.env,
      keySource: 'env-profile',
      urlSource: 'env',
    })
    assert.deepEqual(pick(resolve({apiUrl: URLS.flag}, {CODIKA_BASE_URL: URLS.env})).url, URLS.flag)
  })

  it('--profile beats CODIKA_PROFILE, and an unknown CODIKA_PROFILE is then not looked at', () => {
    assert.deepEqual(pick(resolve({profile: 'named'}, {CODIKA_PROFILE: 'nosuch'})).key, KEYS.named)
  })

  it('empty or blank environment variables count as unset', () => {
    const c = resolve({}, {CODIKA_API_KEY: '', CODIKA_BASE_URL: '  ', CODIKA_PROFILE: ''})
    assert.deepEqual(pick(c), {key: KEYS.active, url: URLS.active, keySource: 'active-profile', urlSource: 'profile'})
  })

  it('keys and URLs are trimmed', () => {
    const c = resolve({apiKey: `  ${KEYS.flag} `, apiUrl: ` ${URLS.flag} `}, {})
    assert.equal(c.apiKey, KEYS.flag)
    assert.equal(c.baseUrl, URLS.flag)
    assert.equal(resolve({}, {CODIKA_API_KEY: ` ${KEYS.env}\n`}).apiKey, KEYS.env)
  })
})

describe('resolveCredentials: errors', () => {
  it('no key anywhere: NO_API_KEY, exit 2, with what to do', () => {
    throwsCode(() => resolve({}, {}, file(null)), 'NO_API_KEY', 2)
    throwsCode(
      () => resolve({apiUrl: URLS.flag}, {CODIKA_BASE_URL: URLS.env}, {activeProfile: null, profiles: {}}),
      'NO_API_KEY',
      2,
    )
  })

  it('a profile named by --profile or CODIKA_PROFILE that does not exist is exit 2, never a fall-back', () => {
    throwsCode(() => resolve({profile: 'nosuch'}), 'PROFILE_NOT_FOUND', 2, /"nosuch".*--profile/)
    throwsCode(() => resolve({profile: 'nosuch', apiKey: KEYS.flag, apiUrl: URLS.flag}), 'PROFILE_NOT_FOUND', 2)
    throwsCode(() => resolve({}, {CODIKA_PROFILE: 'nosuch'}), 'PROFILE_NOT_FOUND', 2, /"nosuch".*CODIKA_PROFILE/)
    throwsCode(() => resolve({apiKey: KEYS.flag}, {CODIKA_PROFILE: 'nosuch'}), 'PROFILE_NOT_FOUND', 2)
    throwsCode(() => resolve({profile: 'x'}, {}, {activeProfile: null, profiles: {}}), 'PROFILE_NOT_FOUND', 2)
  })

  it('a URL that is not http or https is INVALID_FLAG (exit 2), naming where it came from', () => {
    for (const bad of ['notaurl', 'ftp://host/', 'file:///etc/passwd', '']) {
      throwsCode(() => resolve({apiKey: KEYS.flag, apiUrl: bad}), 'INVALID_FLAG', 2, /--api-url/)
    }
    throwsCode(
      () => resolve({}, {CODIKA_API_KEY: KEYS.env, CODIKA_BASE_URL: 'notaurl'}),
      'INVALID_FLAG',
      2,
      /CODIKA_BASE_URL/,
    )
  })

  it('an empty --api-key is INVALID_FLAG', () => {
    throwsCode(() => resolve({apiKey: '  '}), 'INVALID_FLAG', 2, /--api-key/)
  })

  it("a profile whose baseUrl is not a URL is a broken profile file (exit 1), not the user's command line", () => {
    const broken: ProfileFile = {
      activeProfile: 'b',
      profiles: {b: {apiKey: KEYS.active, type: 'personal-api-key', baseUrl: 'nope'}},
    }
    throwsCode(() => resolve({}, {}, broken), 'CONFIG_UNREADABLE', 1, /profile "b"/)
  })

  it('errors never contain a key', () => {
    const secret = 'ckp_VerySecretKey123456'
    for (const [input, env] of [
      [{apiKey: secret, profile: 'nosuch'}, {}],
      [{apiKey: secret, apiUrl: 'bad'}, {}],
      [{}, {CODIKA_API_KEY: secret, CODIKA_BASE_URL: 'bad'}],
    ] as Array<[CredentialInput, NodeJS.ProcessEnv]>) {
      try {
        resolve(input, env)
        assert.fail('expected an error')
      } catch (error) {
        const e = error as CodikaError
        assert.ok(!`${e.message} ${e.hint ?? ''}`.includes(secret))
      }
    }
  })
})

describe('resolveCredentials: a key from a profile never goes to another profile URL (all combinations)', () => {
  it('holds for every combination of flags and environment, and the most explicit source always wins', () => {
    const options = {
      apiKey: [undefined, KEYS.flag],
      apiUrl: [undefined, URLS.flag],
      profile: [undefined, 'named', 'prod'],
      CODIKA_API_KEY: [undefined, KEYS.env],
      CODIKA_BASE_URL: [undefined, URLS.env],
      CODIKA_PROFILE: [undefined, 'envp', 'prod'],
      active: ['active', 'prod', null],
    }
    let checked = 0
    for (const apiKey of options.apiKey)
      for (const apiUrl of options.apiUrl)
        for (const profile of options.profile)
          for (const envKey of options.CODIKA_API_KEY)
            for (const envUrl of options.CODIKA_BASE_URL)
              for (const envProfile of options.CODIKA_PROFILE)
                for (const active of options.active) {
                  const env = {CODIKA_API_KEY: envKey, CODIKA_BASE_URL: envUrl, CODIKA_PROFILE: envProfile}
                  const label = JSON.stringify({apiKey, apiUrl, profile, ...env, active})
                  let c: Credentials
                  try {
                    c = resolveCredentials({apiKey, apiUrl, profile}, () => file(active), env)
                  } catch (error) {
                    assert.equal((error as CodikaError).code, 'NO_API_KEY', label)
                    assert.ok(!apiKey && !profile && !envKey && !envProfile && !active, label)
                    continue
                  }
                  checked++
                  // The key: the first source present, in the table's order.
                  const expectedKey =
                    apiKey ??
                    (profile && file().profiles[profile].apiKey) ??
                    envKey ??
                    (envProfile && file().profiles[envProfile].apiKey) ??
                    file().profiles[active!].apiKey
                  assert.equal(c.apiKey, expectedKey, label)
                  // The URL: a flag, then --profile's own, then the environment's.
                  if (apiUrl) assert.equal(c.baseUrl, apiUrl, label)
                  else if (profile)
                    assert.equal(c.baseUrl, file().profiles[profile].baseUrl ?? PRODUCTION_BASE_URL, label)
                  else if (envUrl) assert.equal(c.baseUrl, envUrl, label)
                  else if (!apiKey && envKey) assert.equal(c.baseUrl, PRODUCTION_BASE_URL, label)
                  else {
                    const from = envProfile ?? active
                    assert.equal(c.baseUrl, (from && file().profiles[from].baseUrl) || PRODUCTION_BASE_URL, label)
                  }
                  // The rule itself: a profile's key only ever goes to that profile's own URL (or a non-profile one).
                  if (c.profileName !== undefined && c.urlSource === 'profile')
                    assert.equal(c.urlProfileName, c.profileName, label)
                  if (c.keySource === 'env') assert.notEqual(c.urlSource, 'profile', label)
                  const owner = Object.entries(file().profiles).find(([, p]) => p.baseUrl === c.baseUrl)?.[0]
                  if (c.profileName !== undefined && owner !== undefined) assert.equal(owner, c.profileName, label)
                }
    assert.equal(checked, 2 * 2 * 3 * 2 * 2 * 3 * 3 - 4, 'every combination but the four without any key')
  })
})

describe('resolveBaseUrl (config show): the URL of the same table, without a key', () => {
  it('is the URL resolveCredentials gives, for every combination; without any key: --api-url, CODIKA_BASE_URL, production', () => {
    let checked = 0
    for (const apiUrl of [undefined, URLS.flag])
      for (const profile of [undefined, 'named', 'prod'])
        for (const envKey of [undefined, KEYS.env])
          for (const envUrl of [undefined, URLS.env])
            for (const envProfile of [undefined, 'envp', 'prod'])
              for (const active of ['active', 'prod', null]) {
                const env = {CODIKA_API_KEY: envKey, CODIKA_BASE_URL: envUrl, CODIKA_PROFILE: envProfile}
                const label = JSON.stringify({apiUrl, profile, ...env, active})
                const url = resolveBaseUrl({apiUrl, profile}, () => file(active), env)
                let expected: Pick<Credentials, 'baseUrl' | 'urlSource' | 'urlProfileName'>
                try {
                  const c = resolveCredentials({apiUrl, profile}, () => file(active), env)
                  expected = {baseUrl: c.baseUrl, urlSource: c.urlSource, urlProfileName: c.urlProfileName}
                } catch (error) {
                  assert.equal((error as CodikaError).code, 'NO_API_KEY', label)
                  expected = apiUrl
                    ? {baseUrl: apiUrl, urlSource: 'flag'}
                    : envUrl
                      ? {baseUrl: envUrl, urlSource: 'env'}
                      : {baseUrl: PRODUCTION_BASE_URL, urlSource: 'default'}
                }
                assert.deepEqual({urlProfileName: undefined, ...url}, {urlProfileName: undefined, ...expected}, label)
                checked++
              }
    assert.equal(checked, 2 * 3 * 2 * 2 * 3 * 3)
  })

  it('reads no key and no file when the flag gives the URL; an unknown profile is still exit 2', () => {
    const never = () => assert.fail('the profile file was read')
    assert.deepEqual(resolveBaseUrl({apiUrl: URLS.flag}, never, {CODIKA_API_KEY: KEYS.env}), {
      baseUrl: URLS.flag,
      urlSource: 'flag',
    })
    assert.throws(
      () => resolveBaseUrl({profile: 'nope'}, () => file(), {}),
      (error: CodikaError) => error.code === 'PROFILE_NOT_FOUND' && error.exitCode === 2,
    )
  })
})

describe('helpers', () => {
  it('parseBaseUrl keeps an http(s) URL as given (trimmed)', () => {
    assert.equal(parseBaseUrl(' https://api.codika.io/ ', 'x'), 'https://api.codika.io/')
    assert.equal(parseBaseUrl('http://127.0.0.1:8787/base', 'x'), 'http://127.0.0.1:8787/base')
  })

  it('isProduction', () => {
    assert.equal(isProduction('https://api.codika.io'), true)
    assert.equal(isProduction('https://api.codika.io/'), true)
    assert.equal(isProduction('http://api.codika.io'), false)
    assert.equal(isProduction('http://127.0.0.1:8787'), false)
  })

  it('describeKeySource and describeUrlSource name the row', () => {
    assert.equal(describeKeySource(resolve({apiKey: KEYS.flag, apiUrl: URLS.flag})), '--api-key')
    assert.equal(describeKeySource(resolve({profile: 'named'})), 'profile "named" (--profile)')
    assert.equal(describeKeySource(resolve({}, {CODIKA_API_KEY: KEYS.env})), 'CODIKA_API_KEY')
    assert.equal(describeKeySource(resolve({}, {CODIKA_PROFILE: 'envp'})), 'profile "envp" (CODIKA_PROFILE)')
    assert.equal(describeKeySource(resolve({})), 'profile "active" (active)')
    assert.equal(describeUrlSource(resolve({apiKey: KEYS.flag, apiUrl: URLS.flag})), '--api-url')
    assert.equal(describeUrlSource(resolve({}, {CODIKA_BASE_URL: URLS.env})), 'CODIKA_BASE_URL')
    assert.equal(describeUrlSource(resolve({})), 'profile "active"')
    assert.equal(describeUrlSource(resolve({}, {CODIKA_API_KEY: KEYS.env})), 'production (default)')
  })
})
