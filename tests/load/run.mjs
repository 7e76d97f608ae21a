// `make load`: a bounded load test of the edge guard, and of authRoutes under abuse, on real
// workerd, on 127.0.0.1 only.
//
// It installs the packed tarball (pkg/) into a throwaway project under tests/.tmp/, bundles three
// Workers the way wrangler does (the `workerd` condition, the .wasm as a CompiledWasm module):
//   wasm: `guard` from jwt-wasm/edge;
//   jose: the same policy, header parsing and RFC 6750 statuses and error codes, verifying with
//         jose's `jwtVerify` (CryptoKeys imported once per isolate, kid lookup, algorithms, iss,
//         aud, exp required);
//   auth: authRoutes on a Durable Object store (abuse.mjs), for the abusive mixes;
// runs each in its own workerd process (serve.mjs) (the pinned npm binary, on 127.0.0.1, port chosen by the
// system), and sends REQUESTS requests to each, CONCURRENCY in flight over keep-alive
// connections, after a checked warm-up. The requests are the same fixed sequence for both:
// valid tokens (current and previous kid), expired, forged (wrong key; swapped payload),
// `alg: none`, garbage, malformed headers, no token and a missing scope. Every answer is checked
// against the expected decision (status, the `error` of WWW-Authenticate and of the body; the
// subject for a 200).
//
// It prints requests per second for both and their ratio, the CPU time workerd spent per request
// (from /proc), and memory at the start, middle and end of each run: after a full GC in the
// isolate (a `/__memory` probe in the test Workers), the RSS of each workerd process and of this
// process, and the byte length of jwt-wasm's WebAssembly.Memory in the isolate.
//
// Then LOAD_ABUSE (12,000) requests of abuse.mjs's mixes go to the auth Worker (issue 9: the
// lockout attempts and password spraying of item 1, interleaved with the victims' logins from
// their known devices; forged secrets on real families, item 3; unauthenticated logins and forged
// family ids, item 4), with their counts per mix, per answer and per throttle budget.
//
// Exit status 0 only with 0 wrong decisions, 0 5xx, jwt-wasm's linear memory unchanged from
// start to end, each workerd's RSS growing by less than MEMORY_SLACK_MB from the middle to the
// end of its run, each throttle budget letting exactly its size through, the auth Worker's
// Durable Objects started and `namespace.get` calls grown by the victims' own logins only, and
// afterwards every victim's family still refreshing and its known device still logging in. It
// stops by itself: a fixed request count, a per-request timeout and a deadline of DEADLINE_S for
// everything; the workerd processes are killed on any exit.
//
//   node tests/load/run.mjs            (after `make pkg`; `make load` does both)
//   LOAD_REQUESTS=2000 LOAD_CONCURRENCY=8 LOAD_SAMPLES=10 node tests/load/run.mjs
import { execFileSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs'
import http from 'node:http'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import workerd from 'workerd'
import { workerSources } from './workers.mjs'
import { startWorkerd } from './serve.mjs'
import { ABUSE, REFRESH_SECRET, abuse, authWorkerSource } from './abuse.mjs'

const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 20_000)
const WARMUP = Math.min(5_000, REQUESTS)
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 32)
const DEADLINE_S = 600
const REQUEST_TIMEOUT_MS = 10_000
const MEMORY_SLACK_MB = 8
/**
 * V8 flags of both workerd processes. Left alone, V8 grows its heap lazily under allocation
 * pressure and keeps it (a Worker that only returns a constant JSON took workerd's RSS from 40 to
 * 420 MB over 250,000 requests before it levelled off), which would hide a leak behind the heap's
 * own growth. So the young generation is capped at 1 MB (as in tests/js/core/memory.test.mjs), the old
 * generation at the 128 MB of a production isolate, and `gc()` is exposed for the memory probe.
 */
const V8_FLAGS = ['--expose-gc', '--max-semi-space-size=1', '--max-old-space-size=128']
/** Memory samples per run: start, SAMPLES - 1 evenly spaced during it, end. */
const SAMPLES = Number(process.env.LOAD_SAMPLES ?? 2)

/** The workerd binary of the pinned npm package (a CommonJS module whose `default` is its path). */
const workerdPath = typeof workerd === 'string' ? workerd : /** @type {any} */ (workerd).default
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const started = Date.now()
const deadline = setTimeout(() => {
  console.error(`load: the ${DEADLINE_S} s deadline passed; stopping`)
  process.exit(2)
}, DEADLINE_S * 1000)
deadline.unref()

const SECRET = 'load-test-current-secret-0123456789-abcdefgh'
const OLD_SECRET = 'load-test-previous-secret-0123456789-abcdef'
const FORGER = 'load-test-forgers-secret-0123456789-abcdefgh'
const ISS = 'https://auth.load.test'

// ---------------------------------------------------------------- the throwaway project
if (!existsSync(join(root, 'pkg/package.json'))) {
  console.error('load: pkg/ is not built: run `make pkg` (or `make load`)')
  process.exit(1)
}
mkdirSync(join(root, 'tests/.tmp'), { recursive: true })
const tmp = mkdtempSync(join(root, 'tests/.tmp/load.'))
/** @type {import('node:child_process').ChildProcess[]} */
const children = []
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  rmSync(tmp, { recursive: true, force: true })
})
const cleanup = async () => {
  await Promise.all(
    children.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? undefined
        : new Promise((done) => {
            child.once('exit', done)
            child.kill('SIGTERM')
          }),
    ),
  )
  rmSync(tmp, { recursive: true, force: true })
}
process.on('SIGINT', () => cleanup().then(() => process.exit(130)))

const tarball = execFileSync('npm', ['pack', join(root, 'pkg'), '--silent', '--pack-destination', tmp], {
  cwd: tmp,
  encoding: 'utf8',
})
  .trim()
  .split('\n')
  .pop()
const project = join(tmp, 'project')
mkdirSync(project)
writeFileSync(join(project, 'package.json'), '{ "name": "jwt-wasm-load", "private": true, "type": "module" }\n')
execFileSync(
  'npm',
  ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', join(tmp, tarball)],
  {
    cwd: project,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
)
symlinkSync(join(root, 'tests/node_modules/jose'), join(project, 'node_modules/jose'))

// ---------------------------------------------------------------- the two Workers
const sources = { ...workerSources(ISS), auth: authWorkerSource }
for (const name of ['wasm', 'jose', 'auth']) writeFileSync(join(project, `${name}-worker.js`), sources[name])
const out = join(project, 'out')
for (const name of ['wasm', 'jose', 'auth']) {
  await build({
    entryPoints: [join(project, `${name}-worker.js`)],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    loader: { '.wasm': 'copy' },
    external: ['cloudflare:*'],
    outdir: join(out, name),
    logLevel: 'silent',
  })
}
const bundled = readFileSync(join(out, 'wasm', 'wasm-worker.js'), 'utf8')
if (!/from\s*"\.\/[^"]+\.wasm"/.test(bundled)) throw new Error('the wasm Worker did not take the workerd entry')

const start = (name, more = {}) =>
  startWorkerd({
    workerdPath,
    dir: join(out, name),
    name,
    v8Flags: V8_FLAGS,
    children,
    texts: { SECRET, OLD_SECRET },
    ...more,
  })
const workerdVersion = execFileSync(workerdPath, ['--version'], { encoding: 'utf8' })
  .trim()
  .replace(/^workerd /, '')
const servers = {
  wasm: await start('wasm'),
  jose: await start('jose'),
  auth: await start('auth', { texts: { SECRET, REFRESH_SECRET }, durableObjects: { FAMILIES: 'RefreshFamilies' } }),
}

// ---------------------------------------------------------------- tokens and the mix
const b64 = (s) => Buffer.from(s).toString('base64url')
const sign = (header, claims, secret) => {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}
const now = Math.floor(Date.now() / 1000)
const claims = (sub, extra = {}) => ({
  iss: ISS,
  aud: 'api',
  sub,
  scope: 'read profile',
  iat: now - 10,
  exp: now + 3600,
  ...extra,
})
let seed = 0x9e3779b9
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'
const garbage = () =>
  Array.from({ length: 8 + Math.floor(random() * 400) }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join(
    '',
  )

const OK = (sub) => ({ status: 200, error: null, sub })
const INVALID = { status: 401, error: 'invalid_token' }
/** Kinds of request, in the order of the cycle; each makes headers and the expected decision. */
const KINDS = [
  [
    'valid',
    (i) => [
      { authorization: `Bearer ${sign({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }, claims(`u${i % 997}`), SECRET)}` },
      OK(`u${i % 997}`),
    ],
  ],
  [
    'valid (previous kid)',
    (i) => [
      {
        authorization: `Bearer ${sign({ alg: 'HS256', typ: 'application/at+jwt', kid: 'k0' }, claims(`p${i % 991}`, { scp: ['read'], scope: undefined }), OLD_SECRET)}`,
      },
      OK(`p${i % 991}`),
    ],
  ],
  [
    'expired',
    (i) => [
      {
        authorization: `Bearer ${sign({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }, claims(`e${i}`, { iat: now - 7200, exp: now - 3600 }), SECRET)}`,
      },
      INVALID,
    ],
  ],
  [
    'forged (wrong key)',
    (i) => [
      { authorization: `Bearer ${sign({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }, claims(`f${i}`), FORGER)}` },
      INVALID,
    ],
  ],
  [
    'forged (swapped payload)',
    (i) => {
      const [h, , s] = sign({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }, claims(`s${i}`), SECRET).split('.')
      return [{ authorization: `Bearer ${h}.${b64(JSON.stringify(claims('admin')))}.${s}` }, INVALID]
    },
  ],
  [
    'valid',
    (i) => [
      { authorization: `Bearer ${sign({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }, claims(`v${i % 983}`), SECRET)}` },
      OK(`v${i % 983}`),
    ],
  ],
  [
    'alg none',
    (i) => [
      { authorization: `Bearer ${b64('{"alg":"none","typ":"JWT"}')}.${b64(JSON.stringify(claims(`n${i}`)))}.` },
      INVALID,
    ],
  ],
  [
    'not an access token (typ JWT)',
    (i) => [
      { authorization: `Bearer ${sign({ alg: 'HS256', typ: 'JWT', kid: 'k1' }, claims(`t${i}`), SECRET)}` },
      INVALID,
    ],
  ],
  ['garbage token', () => [{ authorization: `Bearer ${garbage()}` }, INVALID]],
  [
    'malformed header',
    () => [{ authorization: `Bearer ${garbage()} ${garbage()}` }, { status: 400, error: 'invalid_request' }],
  ],
  ['no token', () => [{}, { status: 401, error: null }]],
  [
    'missing scope',
    (i) => [
      {
        authorization: `Bearer ${sign({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }, claims(`m${i}`, { scope: 'profile' }), SECRET)}`,
      },
      { status: 403, error: 'insufficient_scope' },
    ],
  ],
]
/** The same deterministic list of requests for both Workers. */
const plan = (n, offset) =>
  Array.from({ length: n }, (_, j) => {
    const i = offset + j
    const [kind, make] = KINDS[i % KINDS.length]
    return [kind, ...make(i)]
  })

// ---------------------------------------------------------------- memory
/** Resident set size in MB of a pid, from /proc. */
const rss = (pid) => {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return kb ? Number(kb[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
/** CPU seconds (user + system) a process has used so far, from /proc. */
const cpuSeconds = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK
}

/** A memory sample of one Worker: full GC in its isolate, its wasm memory, then the RSS of its workerd and of this process. */
async function sample(name, label) {
  const res = await send(servers[name].port, {}, '/__memory')
  const probe = JSON.parse(res.body)
  if (!probe.gc) throw new Error('workerd did not expose gc(): the memory samples would not be comparable')
  return {
    label: `${name} ${label}`,
    workerd: rss(servers[name].child.pid),
    node: process.memoryUsage().rss / 2 ** 20,
    wasm: probe.wasm,
  }
}

// ---------------------------------------------------------------- the load
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
function send(port, headers, path = '/resource') {
  return new Promise((resolveRequest, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () =>
        resolveRequest({
          status: res.statusCode,
          www: res.headers['www-authenticate'],
          body: Buffer.concat(chunks).toString(),
        }),
      )
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('request timed out')))
    req.on('error', reject)
    req.end()
  })
}

/** Compares an answer with the expected decision; returns a reason when it is wrong. */
function judge(res, want) {
  if (res.status !== want.status) return `status ${res.status}, expected ${want.status}`
  const error = res.www ? (/error="([^"]*)"/.exec(res.www)?.[1] ?? null) : undefined
  if (want.status !== 200) {
    if (error !== want.error) return `WWW-Authenticate ${JSON.stringify(res.www)}, expected error ${want.error}`
    let body
    try {
      body = JSON.parse(res.body)
    } catch {
      return 'body is not JSON'
    }
    if (body.error !== (want.error ?? 'unauthorized')) return `body error ${body.error}`
    return undefined
  }
  let sub
  try {
    sub = JSON.parse(res.body).sub
  } catch {
    // not JSON: wrong below
  }
  if (res.www !== undefined || sub !== want.sub) return `200 with ${res.body.slice(0, 80)}`
  return undefined
}

async function run(name, requests, samples) {
  const { port } = servers[name]
  const stats = { wrong: 0, fivexx: 0, examples: [], latencies: new Float64Array(requests.length), byKind: {} }
  let next = 0
  const marks = samples
    ? Array.from({ length: SAMPLES - 1 }, (_, k) => Math.floor(((k + 1) * requests.length) / SAMPLES))
    : []
  const t0 = performance.now()
  const cpu0 = cpuSeconds(servers[name].child.pid)
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const i = next++
        if (i === marks[0]) {
          marks.shift()
          samples.push(await sample(name, SAMPLES === 2 ? 'middle' : `at ${i}`))
        }
        const [kind, headers, want] = requests[i]
        const t = performance.now()
        const res = await send(port, headers)
        stats.latencies[i] = performance.now() - t
        stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1
        if (res.status >= 500) stats.fivexx++
        const why = judge(res, want)
        if (why) {
          stats.wrong++
          if (stats.examples.length < 5) stats.examples.push(`${kind}: ${why}`)
        }
      }
    }),
  )
  stats.seconds = (performance.now() - t0) / 1000
  stats.cpuPerRequest = ((cpuSeconds(servers[name].child.pid) - cpu0) / requests.length) * 1e6
  stats.rps = requests.length / stats.seconds
  const sorted = Array.from(stats.latencies).sort((a, b) => a - b)
  stats.p50 = sorted[Math.floor(sorted.length * 0.5)]
  stats.p99 = sorted[Math.floor(sorted.length * 0.99)]
  return stats
}

const results = {}
const samples = []
let failed = false
try {
  // Warm-up (checked, not timed): JIT, the keys function, the isolates' first allocations.
  for (const name of ['wasm', 'jose']) {
    const w = await run(name, plan(WARMUP, 1_000_000))
    if (w.wrong || w.fivexx) {
      console.error(`load: ${name} warm-up: ${w.wrong} wrong, ${w.fivexx} 5xx: ${w.examples.join('; ')}`)
      failed = true
    }
  }
  const requests = plan(REQUESTS, 0)
  for (const name of ['wasm', 'jose']) {
    samples.push(await sample(name, 'start'))
    results[name] = await run(name, requests, samples)
    samples.push(await sample(name, 'end'))
  }
  results.abuse = await abuse({
    port: servers.auth.port,
    agent,
    concurrency: CONCURRENCY,
    timeoutMs: REQUEST_TIMEOUT_MS,
  })
} finally {
  agent.destroy()
  await cleanup()
}

// ---------------------------------------------------------------- report
const f = (n, d = 0) => n.toFixed(d)
console.log(
  `load: ${REQUESTS} requests per Worker, ${CONCURRENCY} in flight, on workerd ${workerdVersion} at 127.0.0.1, one process per Worker`,
)
console.log(`load: mix per ${KINDS.length} requests: ${KINDS.map(([k]) => k).join(', ')}`)
for (const name of ['wasm', 'jose']) {
  const r = results[name]
  const label = name === 'wasm' ? 'jwt-wasm guard' : 'jose jwtVerify guard'
  console.log(
    `load: ${label.padEnd(22)} ${f(r.rps).padStart(6)} req/s  (${f(r.seconds, 2)} s, p50 ${f(r.p50, 2)} ms, p99 ${f(r.p99, 2)} ms, workerd CPU ${f(r.cpuPerRequest)} µs/request)  wrong decisions: ${r.wrong}  5xx: ${r.fivexx}`,
  )
  for (const e of r.examples) console.log(`load:   ${name} wrong: ${e}`)
  if (r.wrong || r.fivexx) failed = true
}
console.log(
  `load: ratio jwt-wasm / jose: ${f(results.wasm.rps / results.jose.rps, 2)}x req/s, ${f(results.jose.cpuPerRequest / results.wasm.cpuPerRequest, 2)}x workerd CPU per request for jose` +
    ' (CPU per request includes the HTTP handling both share; the load generator shares the cores)',
)
console.log('load: memory after a full GC   workerd RSS MB   node RSS MB   jwt-wasm linear memory')
for (const s of samples) {
  console.log(
    `load:   ${s.label.padEnd(22)} ${f(s.workerd, 1).padStart(12)} ${f(s.node, 1).padStart(13)}   ${s.wasm === null ? '-' : `${s.wasm} B`}`,
  )
}
for (const name of ['wasm', 'jose']) {
  const mine = samples.filter((s) => s.label.startsWith(`${name} `))
  const [start, middle, end] = [mine[0], mine[Math.floor(mine.length / 2)], mine[mine.length - 1]]
  const growth = end.workerd - middle.workerd
  const flat = growth < MEMORY_SLACK_MB
  let line = `load: ${name}: workerd RSS from middle to end ${growth >= 0 ? '+' : ''}${f(growth, 1)} MB (limit ${MEMORY_SLACK_MB})`
  if (name === 'wasm') {
    const wasmFlat = end.wasm === start.wasm
    line += `, jwt-wasm linear memory ${start.wasm} → ${end.wasm} B`
    if (!wasmFlat) failed = true
  }
  console.log(`${line}: ${flat ? 'flat' : 'GROWING'}`)
  if (!flat) failed = true
}
const a = results.abuse
console.log(
  `load: authRoutes on Durable Objects, abusive mixes: ${ABUSE} requests in ${f(a.seconds, 2)} s (${f(ABUSE / a.seconds)} req/s), ${a.mixes} mixes  wrong decisions: ${a.wrong}  5xx: ${a.fivexx}`,
)
for (const [mix, n] of Object.entries(a.byMix)) console.log(`load:   ${String(n).padStart(6)}  ${mix}`)
console.log(
  `load:   answers: ${Object.entries(a.answers)
    .map(([k, n]) => `${n} × ${k}`)
    .join(', ')}`,
)
for (const e of a.examples) console.log(`load:   abuse wrong: ${e}`)
for (const [name, b] of Object.entries(a.budgets).sort(([x], [y]) => x.localeCompare(y))) {
  console.log(
    `load:   budget ${name}: ${b.through} of ${b.attempts} attempts let through (budget ${b.size})${b.ok ? '' : ': WRONG'}`,
  )
}
const { instances: di, gets: dg } = a.delta
console.log(
  `load: store across the abuse: ${a.writes} victim logins; family objects started +${di.family}, index objects +${di.user} (restarted when idle), namespace.get +${dg.family} family, +${dg.user} index: ${a.unchanged ? "the victims' logins only" : 'CHANGED by the failures'}`,
)
if (a.wrong || a.fivexx || !a.unchanged) failed = true
console.log(`load: ${failed ? 'FAILED' : 'passed'} in ${f((Date.now() - started) / 1000, 1)} s`)
process.exit(failed ? 1 : 0)
