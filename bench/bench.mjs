// `npm run bench`: the built CLI's start-up and request cost against bare Node, and the sandbox's throughput (issue 7).
// Plain JavaScript on purpose: it runs bin/run.js and dist/ exactly as installed, with no TypeScript loader around them.
//
// Environment: BENCH_RUNS (timed runs per side, default 20, at least 10 counts as a result), BENCH_WARMUP (2),
// BENCH_MEMORY_RUNS (3), BENCH_REQUESTS (requests per load phase, 500), BENCH_CONCURRENCY (16),
// BENCH_PREFILL (stored keys for the load case, 10000), BENCH_LOAD_ROUNDS (2), BENCH_CASES (e.g. "1,2"). Named cases:
// "list-names" (the profile-name listing completion runs on each TAB), "profile-list" (10,000 profiles), and 5 (keys
// in the system credential store against keys in the file, in a private D-Bus session with gnome-keyring).
import {spawn, spawnSync} from 'node:child_process'
import {copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {Agent, request} from 'node:http'
import {cpus, tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.js')
const PROBE = pathToFileURL(join(ROOT, 'bench', 'probe.mjs')).href
const RESULTS = join(ROOT, 'bench', 'results.json')

const setting = (name, fallback, min = 1) => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}`)
  return value
}
const RUNS = setting('BENCH_RUNS', 20)
const WARMUP = setting('BENCH_WARMUP', 2, 0)
const MEMORY_RUNS = setting('BENCH_MEMORY_RUNS', 3)
const REQUESTS = setting('BENCH_REQUESTS', 500)
const CONCURRENCY = setting('BENCH_CONCURRENCY', 16)
const PREFILL = setting('BENCH_PREFILL', 10_000, 100)
const LOAD_ROUNDS = setting('BENCH_LOAD_ROUNDS', 2)
const CASES = new Set((process.env.BENCH_CASES ?? '1,2,list-names,profile-list,3,4,5').split(',').map((c) => c.trim()))

const SCOPES = ['deploy:use-case', 'workflows:trigger']
const CREATE_KEY_PATH = '/createorganizationapikeypublic'

const work = mkdtempSync(join(tmpdir(), 'codika-bench-'))
const home = join(work, 'home')
const cleanups = []
let cleaned = false
async function cleanUp() {
  if (cleaned) return
  cleaned = true
  for (const fn of cleanups.reverse()) await fn().catch(() => {})
  rmSync(work, {recursive: true, force: true})
}
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanUp().then(() => process.exit(130)))

// ---- Processes ------------------------------------------------------------------------------

/** The caller's variables no measured process gets. */
const LEFT_OUT =
  /^(CODIKA_|DEBUG$|NO_COLOR$|FORCE_COLOR$|HTTPS?_PROXY$|NO_PROXY$|ALL_PROXY$|XDG_|NODE_|npm_|DBUS_|DISPLAY$|WAYLAND_DISPLAY$|GNOME_KEYRING_)/i
/**
 * Node's own settings of the caller (NODE_OPTIONS, NODE_COMPILE_CACHE, …), named in the report. NODE_EXTRA_CA_CERTS
 * above all: Node 20 reads and parses that file at every start, some 45 ms on each side, which hides what codika costs.
 */
const NODE_SETTINGS_LEFT_OUT = Object.keys(process.env)
  .filter((k) => /^NODE_/i.test(k))
  .sort()

/**
 * The environment of every measured process: none of the caller's codika, proxy, debug or Node settings (they would
 * change what is measured), and HOME and the XDG folders inside the bench's temp folder, never the real home. Never
 * the user's credential store either: keys go to the file and the D-Bus session bus is a dead address, unless case 5
 * gives its private session.
 */
function cleanEnv(extra = {}) {
  const env = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (LEFT_OUT.test(k)) continue
    env[k] = v
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    CODIKA_CREDENTIAL_STORE: 'file',
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-session-bus')}`,
    ...extra,
  }
}

/** Runs `node ...args` to its end; wall time from spawn to exit, in ms. Throws unless it exits 0. */
function run(args, {env = cleanEnv(), expect} = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, {env, cwd: home, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const ms = performance.now() - started
      if (code !== 0 || (expect && !expect.test(stdout))) {
        reject(new Error(`node ${args.slice(0, 3).join(' ')} … exited ${code ?? signal}:\n${stderr || stdout}`))
      } else resolve(ms)
    })
  })
}

/**
 * Peak memory (maxRSS, MB) and CPU time (user + system, ms) of one run, reported by the process itself through
 * bench/probe.mjs. CPU time is less disturbed than wall time by other work on the machine.
 */
async function probed(args, options = {}) {
  const file = join(work, `probe-${process.hrtime.bigint()}.txt`)
  await run(['--import', PROBE, ...args], {...options, env: {...(options.env ?? cleanEnv()), CODIKA_PROBE_FILE: file}})
  return readProbe(file)
}

function readProbe(file) {
  const text = readFileSync(file, 'utf8')
  rmSync(file, {force: true})
  const value = (name) => {
    const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text)
    if (!match) throw new Error(`the measured process did not report its ${name}`)
    return Number(match[1])
  }
  return {rssMB: value('rss') / 1024, cpuMs: value('cpu') / 1000}
}

// ---- Statistics -----------------------------------------------------------------------------

const sorted = (values) => [...values].sort((a, b) => a - b)
function quantile(values, q) {
  const s = sorted(values)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}
const median = (values) => {
  const s = sorted(values)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}
const summary = (values) => ({
  min: Math.min(...values),
  median: median(values),
  max: Math.max(...values),
  runs: values.length,
})
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits

// ---- Start-up cases: a command against its baseline, alternating ----------------------------

/**
 * Times `subject` and `baseline` RUNS times each after WARMUP runs, in pairs whose order alternates (so neither
 * side always runs on a warmer machine), then measures each side's peak memory and CPU time on MEMORY_RUNS separate
 * runs (the probe is a preloaded module, kept out of the timed runs). The ratio is the median of the per-pair ratios.
 */
async function compare(name, subject, baseline) {
  process.stderr.write(`bench: ${name} `)
  const once = async (side) => {
    const options = side.prepare ? await side.prepare() : {}
    try {
      return await run(side.args, {...options, expect: side.expect})
    } finally {
      await options.cleanup?.()
    }
  }
  for (let i = 0; i < WARMUP; i++) {
    await once(subject)
    await once(baseline)
  }
  const times = {subject: [], baseline: []}
  const ratios = []
  for (let i = 0; i < RUNS; i++) {
    let s
    let b
    if (i % 2 === 0) {
      s = await once(subject)
      b = await once(baseline)
    } else {
      b = await once(baseline)
      s = await once(subject)
    }
    times.subject.push(s)
    times.baseline.push(b)
    ratios.push(s / b)
    process.stderr.write('.')
  }
  const probes = {subject: [], baseline: []}
  for (let i = 0; i < MEMORY_RUNS; i++) {
    for (const side of ['subject', 'baseline']) {
      const target = side === 'subject' ? subject : baseline
      const options = target.prepare ? await target.prepare() : {}
      try {
        probes[side].push(await probed(target.args, {...options, expect: target.expect}))
      } finally {
        await options.cleanup?.()
      }
    }
  }
  const measured = (side) => ({
    label: (side === 'subject' ? subject : baseline).label,
    ms: summary(times[side]),
    peakRssMB: median(probes[side].map((p) => p.rssMB)),
    cpuMs: median(probes[side].map((p) => p.cpuMs)),
  })
  process.stderr.write('\n')
  return {
    name,
    subject: measured('subject'),
    baseline: measured('baseline'),
    ratio: median(ratios),
    ratioOfMedians: median(times.subject) / median(times.baseline),
    samples: {subjectMs: times.subject, baselineMs: times.baseline},
  }
}

const bareNode = {label: 'node -e 0', args: ['-e', '0']}

// ---- The sandbox ----------------------------------------------------------------------------

let sandboxModules
async function sandboxApi() {
  sandboxModules ??= Promise.all([
    import(pathToFileURL(join(ROOT, 'dist', 'sandbox', 'server.js')).href),
    import(pathToFileURL(join(ROOT, 'dist', 'sandbox', 'store.js')).href),
  ]).then(([server, store]) => ({startSandbox: server.startSandbox, SandboxStore: store.SandboxStore}))
  return sandboxModules
}

/**
 * A sandbox data file holding `keys` API keys in all: seeded by the real start-up (for the owner key and the
 * organization), then filled through the store in one transaction, which is far faster than over HTTP.
 */
async function prepareDataFile(file, keys) {
  const {startSandbox, SandboxStore} = await sandboxApi()
  const started = performance.now()
  const sandbox = await startSandbox({port: 0, dataFile: file, reset: true})
  const {organizationId, owner} = sandbox.seeded
  await sandbox.close()
  const store = SandboxStore.open(file)
  try {
    const at = new Date()
    store.transaction(() => {
      const stored = Number(store.query('SELECT count(*) AS n FROM api_keys')[0].n)
      for (let i = stored; i < keys; i++) {
        store.createKey({
          type: 'org-api-key',
          name: `Prefilled key ${i}`,
          scopes: SCOPES,
          organizationId,
          createdBy: owner.personId,
          createdAt: at,
        })
      }
    })
  } finally {
    store.close()
  }
  return {file, keys, organizationId, ownerKey: owner.apiKey, prefillMs: performance.now() - started}
}

/**
 * `codika sandbox start` on a copy of a prepared data file, in its own process (as users run it, and so that the
 * load generator does not share its event loop). Its request log goes nowhere; its peak memory comes back on stop.
 */
async function startSandboxProcess(template, name) {
  const file = join(work, `${name}.db`)
  copyFileSync(template.file, file)
  const probeFile = join(work, `${name}.probe`)
  const child = spawn(
    process.execPath,
    ['--import', PROBE, BIN, 'sandbox', 'start', '--port', '0', '--data', file, '--json'],
    {env: cleanEnv({CODIKA_PROBE_FILE: probeFile}), cwd: home, stdio: ['ignore', 'pipe', 'ignore']},
  )
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const document = await new Promise((resolve, reject) => {
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d
      try {
        resolve(JSON.parse(out))
      } catch {
        // Not the whole document yet.
      }
    })
    child.once('exit', (code) => reject(new Error(`codika sandbox start exited ${code}: ${out}`)))
  })
  let stopped
  const stop = () =>
    (stopped ??= (async () => {
      child.kill('SIGTERM')
      await exited
      const {rssMB} = readProbe(probeFile)
      rmSync(file, {force: true})
      return rssMB
    })())
  cleanups.push(stop)
  return {url: document.data.url, pid: child.pid, stop}
}

// ---- Case 3: one create-key, CLI against a bare fetch ---------------------------------------

// The same single POST as the CLI makes, from the smallest Node program that can: argv is url, key, organization.
const BARE_CREATE_KEY = `
const [url, key, organizationId] = process.argv.slice(1)
fetch(url + '${CREATE_KEY_PATH}', {
  method: 'POST',
  headers: {'Content-Type': 'application/json', 'X-Process-Manager-Key': key},
  body: JSON.stringify({organizationId, name: 'Bench Key', scopes: ${JSON.stringify(SCOPES)}}),
}).then(async (res) => {
  const text = await res.text()
  if (!res.ok || !JSON.parse(text).success) process.exit(1)
  console.log(text)
})
`

async function createKeyCase(template) {
  const sandbox = await startSandboxProcess(template, 'case3')
  try {
    let n = 0
    return await compare(
      'create-key',
      {
        label: 'codika organization create-key',
        args: [
          BIN,
          ...['organization', 'create-key', '--organization-id', template.organizationId, '--name', 'Bench Key'],
          ...['--scopes', SCOPES.join(','), '--api-key', template.ownerKey, '--api-url', sandbox.url],
        ],
        expect: /cko_/,
        // A fresh, empty profile folder for every run: the key is saved as a new profile each time.
        prepare: async () => {
          const config = join(work, `config-${n++}`)
          mkdirSync(config)
          return {
            env: cleanEnv({XDG_CONFIG_HOME: config}),
            cleanup: async () => rmSync(config, {recursive: true, force: true}),
          }
        },
      },
      {
        label: 'node + fetch (one POST)',
        args: ['-e', BARE_CREATE_KEY, sandbox.url, template.ownerKey, template.organizationId],
        expect: /cko_/,
      },
    )
  } finally {
    await sandbox.stop()
  }
}

// ---- Case 5: keys in the system credential store against keys in the file -------------------

const hasCommand = (command) => spawnSync('sh', ['-c', 'command -v "$1" >/dev/null 2>&1', 'sh', command]).status === 0

/**
 * A private D-Bus session with an unlocked gnome-keyring whose home is in the bench's temp folder (never the user's
 * store); it lives as long as its stdin is open. Resolves with its bus address, or undefined without the programs.
 */
async function privateKeyring() {
  if (!['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon'].every(hasCommand)) return undefined
  const keyringHome = join(work, 'keyring-home')
  mkdirSync(keyringHome, {recursive: true})
  const script = [
    'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null',
    'for i in $(seq 100); do',
    '  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets >/dev/null 2>&1 && break',
    '  sleep 0.1',
    'done',
    'printf "%s\\n" "$DBUS_SESSION_BUS_ADDRESS"',
    'exec cat >/dev/null',
  ].join('\n')
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', script], {
    env: {PATH: process.env.PATH, HOME: keyringHome, XDG_DATA_HOME: join(keyringHome, 'data')},
    stdio: ['pipe', 'pipe', 'ignore'],
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  cleanups.push(async () => {
    child.stdin.end()
    await exited
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d
      if (out.includes('\n')) resolve(out.split('\n')[0])
    })
    child.once('exit', (code) => reject(new Error(`the private keyring session ended (${code})`)))
  })
}

/**
 * `whoami` and `create-key` end to end with the caller's key in the store (and, for create-key, the new key saved
 * there) against the same with the keys in the file, in one private session; reported as the keyring/file ratio.
 */
async function keyringCases(template) {
  const address = await privateKeyring()
  if (!address) {
    process.stderr.write('bench: case 5 skipped: needs dbus-run-session, dbus-send and gnome-keyring-daemon\n')
    return []
  }
  const sandbox = await startSandboxProcess(template, 'case5')
  try {
    const bus = {DBUS_SESSION_BUS_ADDRESS: address}
    // One profile folder per side, holding the owner key as the active profile: in the store, or in the file.
    const folders = {}
    for (const [side, storage] of [
      ['keyring', 'keyring'],
      ['file', 'file'],
    ]) {
      const config = join(work, `case5-${side}`)
      await run(
        [BIN, 'login', '--api-key', template.ownerKey, '--base-url', sandbox.url, '--name', 'owner', '--json'],
        {
          env: cleanEnv({...bus, XDG_CONFIG_HOME: config, CODIKA_CREDENTIAL_STORE: storage}),
          expect: new RegExp(`"keyStore": "${storage}"`),
        },
      )
      folders[side] = config
    }
    const whoami = (side) => ({
      label: `codika whoami (key in the ${side === 'keyring' ? 'store' : 'file'})`,
      args: [BIN, 'whoami', '--json'],
      expect: /"verified": true/,
      prepare: async () => ({env: cleanEnv({...bus, XDG_CONFIG_HOME: folders[side]})}),
    })
    let n = 0
    const createKey = (side) => ({
      label: `codika organization create-key (keys in the ${side === 'keyring' ? 'store' : 'file'})`,
      args: [
        BIN,
        ...['organization', 'create-key', '--organization-id', template.organizationId, '--name', 'Bench Key'],
        ...['--scopes', SCOPES.join(','), '--json'],
      ],
      expect: /cko_/,
      // A fresh copy of the side's profile folder each run: the caller's key read from there, the new key saved there.
      prepare: async () => {
        const config = join(work, `case5-run-${n++}`)
        cpSync(folders[side], config, {recursive: true})
        return {
          env: cleanEnv({...bus, XDG_CONFIG_HOME: config, CODIKA_CREDENTIAL_STORE: side}),
          cleanup: async () => rmSync(config, {recursive: true, force: true}),
        }
      },
    })
    return [
      await compare('whoami, keyring vs file', whoami('keyring'), whoami('file')),
      await compare('create-key, keyring vs file', createKey('keyring'), createKey('file')),
    ]
  } finally {
    await sandbox.stop()
  }
}

// ---- Case 4: sandbox throughput over keep-alive ---------------------------------------------

function post(agent, url, key, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = request(
      url + CREATE_KEY_PATH,
      {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'X-Process-Manager-Key': key,
        },
      },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          const ms = performance.now() - started
          if (res.statusCode !== 200)
            reject(new Error(`create-key answered ${res.statusCode}: ${Buffer.concat(chunks)}`))
          else resolve(ms)
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * CPU time (user + system, ms) a process has used so far, where /proc shows it (Linux), else undefined. Unlike wall
 * time it leaves out waiting for the disk, so it shows what the stored keys cost even when fsync is slow and noisy.
 */
function cpuMsOf(pid) {
  try {
    // Fields 14 and 15 (utime, stime), counted after the command name, which may itself hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return undefined
  }
}
// USER_HZ: 100 on every Linux the kernel ABI knows of.
const CLOCK_TICKS = 100

/** `count` create-key requests, `concurrency` at a time, over keep-alive connections. */
async function load(sandbox, template, count, concurrency) {
  const agent = new Agent({keepAlive: true, maxSockets: concurrency})
  let sent = 0
  const latencies = []
  const cpuBefore = cpuMsOf(sandbox.pid)
  const started = performance.now()
  await Promise.all(
    Array.from({length: concurrency}, async () => {
      while (sent < count) {
        const body = JSON.stringify({
          organizationId: template.organizationId,
          name: `Load key ${sent++}`,
          scopes: SCOPES,
        })
        latencies.push(await post(agent, sandbox.url, template.ownerKey, body))
      }
    }),
  )
  const elapsedMs = performance.now() - started
  const cpuAfter = cpuMsOf(sandbox.pid)
  agent.destroy()
  return {
    requests: count,
    concurrency,
    requestsPerSecond: (count / elapsedMs) * 1000,
    msPerRequest: elapsedMs / count,
    // The sandbox's CPU time per request (Linux only).
    cpuMsPerRequest: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / count,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: Math.max(...latencies),
  }
}

async function throughputCase(small, large) {
  const rounds = []
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    for (const template of [small, large]) {
      process.stderr.write(`bench: throughput round ${round + 1}/${LOAD_ROUNDS}, ${template.keys} stored keys\n`)
      const sandbox = await startSandboxProcess(template, `load-${round}-${template.keys}`)
      try {
        await load(sandbox, template, Math.min(100, REQUESTS), 1) // warm-up: JIT, connections, page cache
        const sequential = await load(sandbox, template, REQUESTS, 1)
        const concurrent = await load(sandbox, template, REQUESTS, CONCURRENCY)
        rounds.push({storedKeys: template.keys, sequential, concurrent, sandboxPeakRssMB: await sandbox.stop()})
      } finally {
        await sandbox.stop()
      }
    }
  }
  const at = (keys, mode) => rounds.filter((r) => r.storedKeys === keys).map((r) => r[mode])
  const combine = (keys, mode) => {
    const results = at(keys, mode)
    return {
      requests: REQUESTS,
      concurrency: results[0].concurrency,
      requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
      msPerRequest: median(results.map((r) => r.msPerRequest)),
      cpuMsPerRequest:
        results[0].cpuMsPerRequest === undefined ? undefined : median(results.map((r) => r.cpuMsPerRequest)),
      p50: median(results.map((r) => r.p50)),
      p99: median(results.map((r) => r.p99)),
      max: Math.max(...results.map((r) => r.max)),
    }
  }
  const levels = Object.fromEntries(
    [small, large].map((t) => [
      t.keys,
      {
        sequential: combine(t.keys, 'sequential'),
        concurrent: combine(t.keys, 'concurrent'),
        sandboxPeakRssMB: median(rounds.filter((r) => r.storedKeys === t.keys).map((r) => r.sandboxPeakRssMB)),
      },
    ]),
  )
  return {
    levels,
    // Sequential cost per request with many keys stored against few (the bound: ≤ 1.5).
    costRatio: levels[large.keys].sequential.msPerRequest / levels[small.keys].sequential.msPerRequest,
    // The same for the median latency, and for the sandbox's CPU time: both far less disturbed by a slow disk.
    p50Ratio: levels[large.keys].sequential.p50 / levels[small.keys].sequential.p50,
    cpuCostRatio:
      levels[small.keys].sequential.cpuMsPerRequest === undefined
        ? undefined
        : levels[large.keys].sequential.cpuMsPerRequest / levels[small.keys].sequential.cpuMsPerRequest,
    prefill: {keys: large.keys, ms: large.prefillMs},
    rounds,
  }
}

// ---- Report ---------------------------------------------------------------------------------

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)))
  const line = (r) =>
    r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

function report(results) {
  const smoke = RUNS < 10 ? ' (fewer than 10: a smoke run, not a result)' : ''
  const out = [
    `codika bench — node ${process.version}, ${process.platform}-${process.arch}, ${cpus().length} CPUs, ${RUNS} runs per side${smoke}`,
    ...(NODE_SETTINGS_LEFT_OUT.length > 0
      ? [`left out of every measured process, as all of Node's own settings: ${NODE_SETTINGS_LEFT_OUT.join(', ')}`]
      : []),
    '',
  ]
  if (results.startup.length > 0) {
    const rows = [['case', 'min ms', 'median ms', 'max ms', 'ratio', 'CPU ms', 'CPU ratio', 'peak RSS MB']]
    for (const c of results.startup) {
      const cells = (side) => [...['min', 'median', 'max'].map((k) => round(side.ms[k], 1))]
      rows.push([
        c.subject.label,
        ...cells(c.subject),
        `${round(c.ratio)}×`,
        round(c.subject.cpuMs, 1),
        `${round(c.subject.cpuMs / c.baseline.cpuMs)}×`,
        round(c.subject.peakRssMB, 1),
      ])
      rows.push([
        `  vs ${c.baseline.label}`,
        ...cells(c.baseline),
        '',
        round(c.baseline.cpuMs, 1),
        '',
        round(c.baseline.peakRssMB, 1),
      ])
    }
    out.push(table(rows))
    out.push('ratio: median of the per-run ratios of wall time to the baseline run beside it; CPU (user + system) and')
    out.push(`peak RSS: medians of ${MEMORY_RUNS} further runs with bench/probe.mjs preloaded (both sides alike).`, '')
  }
  if (results.profileList) {
    const c = results.profileList
    const ok = (value, budget) => (value <= budget ? 'within' : 'OVER')
    out.push(
      table([
        ['case', 'min ms', 'median ms', 'max ms', 'CPU ms', 'peak RSS MB'],
        ...[c.subject, c.baseline].map((s) => [
          s.label,
          ...['min', 'median', 'max'].map((k) => round(s.ms[k], 1)),
          round(s.cpuMs, 1),
          round(s.peakRssMB, 1),
        ]),
      ]),
      `profile list with ${LIST_PROFILES} profiles: median ${Math.round(c.subject.ms.median)} ms (${ok(c.subject.ms.median, LIST_BUDGET.ms)} ` +
        `the ${LIST_BUDGET.ms} ms budget), peak RSS ${round(c.subject.peakRssMB, 1)} MB (${ok(c.subject.peakRssMB, LIST_BUDGET.rssMB)} ` +
        `${LIST_BUDGET.rssMB} MB); ${round(c.ratio)}× the --json listing of the same file`,
      '',
    )
  }
  if (results.throughput) {
    const t = results.throughput
    const rows = [
      ['sandbox create-key', 'stored keys', 'req/s', 'ms/req', 'p50 ms', 'p99 ms', 'CPU ms/req', 'peak RSS MB'],
    ]
    for (const [keys, level] of Object.entries(t.levels)) {
      for (const mode of ['sequential', 'concurrent']) {
        const r = level[mode]
        const label = mode === 'sequential' ? `${r.requests} sequential` : `${r.requests}, ${r.concurrency} at a time`
        const cpu = r.cpuMsPerRequest === undefined ? '–' : round(r.cpuMsPerRequest)
        rows.push([
          label,
          keys,
          Math.round(r.requestsPerSecond),
          round(r.msPerRequest),
          round(r.p50),
          round(r.p99),
          cpu,
          round(level.sandboxPeakRssMB, 1),
        ])
      }
    }
    out.push(table(rows), '')
    const cpuRatio = t.cpuCostRatio === undefined ? '' : `, CPU ${round(t.cpuCostRatio)}×`
    out.push(
      `cost per sequential request, ${t.prefill.keys} stored keys vs ${Object.keys(t.levels)[0]}: ${round(t.costRatio)}× ` +
        `(p50 ${round(t.p50Ratio)}×${cpuRatio}); prefill of ${t.prefill.keys} keys: ${Math.round(t.prefill.ms)} ms`,
    )
    out.push('')
  }
  return out.join('\n')
}

// ---- profile list at scale ------------------------------------------------------------------------------------

/** Profiles in the file of the `profile list` case, and its budget (issue 10: ≤ 1 s and ≤ 150 MB peak RSS). */
const LIST_PROFILES = 10_000
const LIST_BUDGET = {ms: 1000, rssMB: 150}

/** `profile list` (the table) on 10,000 profiles, against `profile list --json` on the same file. */
async function profileListCase() {
  const profiles = {}
  for (let i = 0; i < LIST_PROFILES; i++) {
    profiles[`profile-${i}`] = {
      apiKey: `cko_${String(i).padStart(8, '0')}${'x'.repeat(35)}`,
      type: 'org-api-key',
      organizationId: `org_${i % 50}`,
      organizationName: `Organization ${i % 50}`,
      keyName: `Key ${i}`,
      keyPrefix: `cko_${String(i).padStart(8, '0')}`,
      scopes: ['deploy:use-case'],
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2030-01-01T00:00:00.000Z',
    }
  }
  const config = join(work, 'profile-list-config')
  mkdirSync(join(config, 'codika'), {recursive: true})
  writeFileSync(join(config, 'codika', 'config.json'), JSON.stringify({activeProfile: 'profile-1', profiles}))
  const env = cleanEnv({XDG_CONFIG_HOME: config})
  const side = (label, args) => ({
    label,
    args: [BIN, 'profile', 'list', ...args],
    expect: /profile-9999/,
    prepare: async () => ({env}),
  })
  return compare(
    `profile list, ${LIST_PROFILES} profiles`,
    side('codika profile list', []),
    side('codika profile list --json', ['--json']),
  )
}

async function main() {
  mkdirSync(home, {recursive: true})
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    settings: {RUNS, WARMUP, MEMORY_RUNS, REQUESTS, CONCURRENCY, PREFILL, LOAD_ROUNDS},
    nodeSettingsLeftOut: NODE_SETTINGS_LEFT_OUT,
    startup: [],
    throughput: undefined,
  }
  if (CASES.has('1')) {
    results.startup.push(
      await compare('version', {label: 'codika --version', args: [BIN, '--version'], expect: /codika\//}, bareNode),
    )
  }
  if (CASES.has('2')) {
    results.startup.push(
      await compare(
        'create-key --help',
        {
          label: 'codika organization create-key --help',
          args: [BIN, 'organization', 'create-key', '--help'],
          expect: /--organization-id/,
        },
        bareNode,
      ),
    )
  }
  if (CASES.has('list-names')) {
    // What a completing shell runs on each TAB after `codika use ` (issue 11: ≤ 1.3× node -e 0), on a profile file
    // of 20 profiles.
    const profiles = Object.fromEntries(
      Array.from({length: 20}, (_, i) => [
        `profile-${i}`,
        {apiKey: `cko_Bench${i}Key0123456789abcdef`, type: 'org-api-key'},
      ]),
    )
    const config = join(work, 'list-names-config')
    mkdirSync(join(config, 'codika'), {recursive: true})
    writeFileSync(join(config, 'codika', 'config.json'), JSON.stringify({activeProfile: null, profiles}))
    const env = cleanEnv({XDG_CONFIG_HOME: config})
    results.startup.push(
      await compare(
        'use --list-names',
        {
          label: 'codika use --list-names',
          args: [BIN, 'use', '--list-names'],
          expect: /^profile-0\n/,
          prepare: async () => ({env}),
        },
        bareNode,
      ),
    )
  }
  if (CASES.has('profile-list')) results.profileList = await profileListCase()
  if (CASES.has('3') || CASES.has('4') || CASES.has('5')) {
    const small = await prepareDataFile(join(work, 'small.db'), 100)
    if (CASES.has('3')) results.startup.push(await createKeyCase(small))
    if (CASES.has('5')) results.startup.push(...(await keyringCases(small)))
    if (CASES.has('4')) {
      process.stderr.write(`bench: storing ${PREFILL} keys\n`)
      const large = await prepareDataFile(join(work, 'large.db'), PREFILL)
      results.throughput = await throughputCase(small, large)
    }
  }
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(report(results))
  process.stdout.write(`\nFull results: ${RESULTS}\n`)
}

try {
  await main()
} finally {
  await cleanUp()
}
