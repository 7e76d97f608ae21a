// remoteKeySet on real workerd against a fake identity provider (a Node http server on
// 127.0.0.1): 1,000 requests over two Workers (two isolates, sharing the Cache API, as the
// isolates of one location do) with three key-set instances each (a new instance has a cold memory
// tier, as a new isolate has): six cold starts. The provider rotates its keys, answers each
// Cache-Control form, then 500s, slowly, hugely, and a burst of concurrent requests arrives. Every
// answer is checked (the right body version, or the right typed error) and the number of fetches
// the provider saw stays within the bound stated for each phase. Time is the test's (x-now); the
// fetch timeout uses workerd's real timers.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')

const T0 = 1_767_225_600
const WORKERS = ['a', 'b']
const INSTANCES = 3
const ISOLATES = WORKERS.length * INSTANCES
/** The Worker's key-set options (seconds; timeout in ms). */
const OPTIONS = { minTtl: 60, maxTtl: 600, cooldown: 30, staleIfError: 300, timeout: 300 }
const set = (...kids) => JSON.stringify({ keys: kids.map((kid) => ({ kty: 'EC', crv: 'P-256', kid, x: kid, y: kid })) })

/** What the provider answers now; `fetches` counts its requests. */
const idp = { status: 200, body: set('k1'), headers: { 'cache-control': 'max-age=300' }, delay: 0, huge: '' }
let fetches = 0
let server
let mf
const workers = {}

before(async () => {
  server = http.createServer((req, res) => {
    fetches += 1
    const send = () => {
      if (res.destroyed) return
      if (idp.huge) {
        const chunk = `${' '.repeat(16 * 1024)}`
        if (idp.huge === 'length') res.writeHead(200, { 'content-length': String(100 * 1024) })
        else res.writeHead(200, { 'content-type': 'application/json' })
        for (let i = 0; i < 6; i++) res.write(chunk)
        res.end()
        return
      }
      res.writeHead(idp.status, { 'content-type': 'application/json', ...idp.headers })
      res.end(idp.status === 200 ? idp.body : '{"error":"down"}')
    }
    if (idp.delay) setTimeout(send, idp.delay)
    else send()
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const dir = mkdtempSync(join(process.cwd(), 'workerd-keyset-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { remoteKeySet } from ${JSON.stringify(join(repo, 'src', 'js', 'keys', 'index.js'))}
const sets = new Map()
const kidsOf = (s) => JSON.parse(s.body).keys.map((k) => k.kid)
export default {
  async fetch(request, env) {
    const now = Number(request.headers.get('x-now'))
    const kid = request.headers.get('x-kid')
    const id = request.headers.get('x-instance')
    let ks = sets.get(id)
    if (!ks) sets.set(id, (ks = remoteKeySet(env.IDP, ${JSON.stringify(OPTIONS)})))
    try {
      // What the verifier does (keys-contract.md §4): load only without a snapshot, and once on an unknown kid.
      let s = ks.snapshot(now) ?? (await ks.load({ now, reason: 'empty', scope: request }))
      if (!kidsOf(s).includes(kid)) s = await ks.load({ now, reason: 'unknown-kid', scope: request })
      return Response.json({ version: s.version, kids: kidsOf(s), found: kidsOf(s).includes(kid) })
    } catch (e) {
      return Response.json({ error: e.code, status: e.status }, { status: 503 })
    }
  },
}
`,
  )
  await build({
    entryPoints: [join(dir, 'worker.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    outfile: join(dir, 'out', 'worker.js'),
    logLevel: 'silent',
  })
  const IDP = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`
  mf = new Miniflare({
    workers: WORKERS.map((name) => ({
      name,
      modules: true,
      scriptPath: join(dir, 'out', 'worker.js'),
      compatibilityDate: '2026-04-01',
      bindings: { IDP },
    })),
  })
  for (const name of WORKERS) workers[name] = await mf.getWorker(name)
})

after(async () => {
  await mf?.dispose()
  server?.closeAllConnections()
  server?.close()
})

let sent = 0
/** Request i of a phase, round robin over the six isolates, at time `now`. */
async function ask(i, now, kid) {
  sent += 1
  const w = WORKERS[i % WORKERS.length]
  const instance = `${w}${Math.floor(i / WORKERS.length) % INSTANCES}`
  const res = await workers[w].fetch('http://worker/', {
    headers: { 'x-now': String(now), 'x-kid': kid, 'x-instance': instance },
  })
  return res.json()
}

/** Runs `n` requests `dt` seconds apart from `start`; returns the answers and the fetches they cost. */
async function phase(n, start, dt, kid, each = () => {}) {
  const before = fetches
  const answers = []
  const fetchedAt = []
  for (let i = 0; i < n; i++) {
    const now = start + i * dt
    const f = fetches
    const a = await ask(i, now, kid)
    if (fetches > f) fetchedAt.push(now)
    answers.push(a)
    each(a, now, i)
  }
  return { answers, fetched: fetches - before, fetchedAt }
}

test('1,000 requests over six cold isolates: right answers, bounded fetches', async (t) => {
  const report = []
  let now = T0
  // 1. Warm start, 128 requests over 128 s, max-age 300: one fetch; the five other cold isolates
  //    read the Cache API.
  let p = await phase(128, now, 1, 'k1', (a) => assert.equal(a.found, true))
  assert.equal(p.fetched, 1)
  const v1 = p.answers[0].version
  report.push(['warm start (6 cold isolates)', p.fetched, 1])
  now += 128

  // 2. Rotation: the provider adds k2 and tokens name it. The first isolate's unknown kid fetches;
  //    the others take the new body from the Cache API.
  idp.body = set('k1', 'k2')
  p = await phase(100, now, 1, 'k2', (a) => {
    assert.equal(a.found, true)
    assert.notEqual(a.version, v1)
  })
  assert.equal(p.fetched, 1)
  report.push(['rotation (unknown kid)', p.fetched, 1])
  // The entry fetched at `now` lives 300 s.
  let last = { at: p.fetchedAt[0], ttl: 300 }
  // Start the forms when that entry expires, so the first form's first request fetches.
  now = last.at + last.ttl

  // 3. Each Cache-Control form, 60 requests 2 s apart (120 s): a fetch when the shared entry
  //    expires, never sooner: consecutive fetches of one form are its TTL apart (2 s of slack).
  const forms = [
    ['no-store', { 'cache-control': 'no-store' }, 60],
    ['no-cache', { 'cache-control': 'no-cache' }, 60],
    ['s-maxage=90, max-age=600', { 'cache-control': 's-maxage=90, max-age=600' }, 90],
    ['max-age=600, Age: 530', { 'cache-control': 'max-age=600', age: '530' }, 70],
    ['no Cache-Control', {}, 600],
    ['max-age=86400', { 'cache-control': 'max-age=86400' }, 600],
  ]
  for (const [name, headers, ttl] of forms) {
    idp.headers = headers
    p = await phase(60, now, 2, 'k2', (a) => assert.equal(a.found, true, name))
    for (let i = 1; i < p.fetchedAt.length; i++) {
      const gap = p.fetchedAt[i] - p.fetchedAt[i - 1]
      assert.ok(gap >= ttl && gap <= ttl + 2, `${name}: fetches ${gap} s apart, TTL ${ttl}`)
    }
    const bound = Math.ceil(120 / ttl) + 1
    assert.ok(p.fetched <= bound, `${name}: ${p.fetched} fetches > ${bound}`)
    if (p.fetchedAt.length) last = { at: p.fetchedAt.at(-1), ttl }
    report.push([`Cache-Control: ${name} (TTL ${ttl} s)`, p.fetched, bound])
    now += 120
  }
  assert.ok(
    report.filter(([n]) => n.includes('no-store') || n.includes('no-cache')).every(([, f]) => f >= 2),
    'no-store and no-cache refetch every minTtl',
  )

  // 4. The provider answers 500 for 1,000 s (200 requests 5 s apart). Fresh until the entry
  //    expires, stale for staleIfError (300 s) after it, then ERR_JWKS_FETCH_FAILED (500). A
  //    failure is recorded in the Cache API with its retry time (1, 2, 4, 8, 16 s after the
  //    failures, then once per 30 s cooldown) and every isolate waits with it: one backoff for the
  //    location, plus at most one attempt per isolate.
  idp.status = 500
  const expiry = last.at + last.ttl
  let firstError
  p = await phase(200, now, 5, 'k2', (a, at) => {
    if (at < expiry + OPTIONS.staleIfError) assert.equal(a.found, true, `stale answer at +${at - expiry}`)
    else {
      assert.deepEqual(a, { error: 'ERR_JWKS_FETCH_FAILED', status: 500 }, `at +${at - expiry}`)
      firstError ??= at
    }
  })
  assert.ok(firstError !== undefined, 'the stale window closed within the phase')
  const failing = now + 1000 - expiry
  const bound500 = 6 + Math.ceil(failing / OPTIONS.cooldown) + ISOLATES
  assert.ok(p.fetched <= bound500, `500s: ${p.fetched} fetches > ${bound500} ${p.fetchedAt.map((x) => x - expiry)}`)
  report.push(['500s for 1,000 s', p.fetched, bound500])
  now += 1000

  // 5. Recovery with a rotation (k3): every isolate answers again within one cooldown of the
  //    provider's return; one fetch, the others read the Cache API even while backing off.
  idp.status = 200
  idp.headers = { 'cache-control': 'max-age=300' }
  idp.body = set('k2', 'k3')
  let recovered
  p = await phase(80, now, 1, 'k3', (a, at) => {
    if (a.found) recovered ??= at
    else {
      assert.equal(recovered, undefined, 'once recovered, never an error again')
      assert.equal(a.error, 'ERR_JWKS_FETCH_FAILED')
    }
  })
  assert.ok(recovered !== undefined && recovered - now <= OPTIONS.cooldown, `recovered after ${recovered - now} s`)
  assert.ok(p.fetched <= ISOLATES, `recovery: ${p.fetched} fetches`)
  report.push(['recovery and rotation', p.fetched, ISOLATES])
  now += 80 + 1000 // past the entry and its stale window

  // 6. A slow provider (1.5 s; the timeout is 300 ms): ERR_JWKS_TIMEOUT. 24 requests 0.25 s apart:
  //    after a failure the location waits 1, 2, 4 … s, so over D seconds it fetches at most
  //    1 + log2(1 + D) times, plus one attempt per isolate (backoffBound).
  const backoffBound = (d) => Math.floor(1 + Math.log2(1 + d)) + ISOLATES
  idp.delay = 1500
  p = await phase(24, now, 0.25, 'k3', (a) => assert.equal(a.error, 'ERR_JWKS_TIMEOUT'))
  assert.ok(p.fetched <= backoffBound(23 * 0.25), `slow: ${p.fetched} fetches > ${backoffBound(23 * 0.25)}`)
  assert.ok(p.fetched < 24, 'some requests were answered by the backoff, without a fetch')
  report.push(['slow answers (timeout)', p.fetched, backoffBound(23 * 0.25)])
  idp.delay = 0
  now += 6 + 1000

  // 7. Huge answers (100 KiB; the cap is 64 KiB), by Content-Length and streamed without it.
  for (const huge of ['length', 'stream']) {
    idp.huge = huge
    p = await phase(24, now, 0.25, 'k3', (a) => assert.equal(a.error, 'ERR_JWKS_TOO_LARGE', huge))
    assert.ok(p.fetched <= backoffBound(23 * 0.25), `huge (${huge}): ${p.fetched} fetches`)
    report.push([
      `huge answers (${huge === 'length' ? 'Content-Length' : 'streamed'})`,
      p.fetched,
      backoffBound(23 * 0.25),
    ])
    now += 6 + 1000
  }
  idp.huge = ''

  // 8. A burst of 60 concurrent requests on cold entries (the provider takes 100 ms): every
  //    request answers, none waits on a promise of another request; a request that finds another
  //    request's fetch in flight in its isolate polls for the result on its own timers, so the
  //    burst costs at most one fetch per isolate.
  idp.delay = 100
  idp.body = set('k3', 'k4')
  const f0 = fetches
  const burst = await Promise.all(Array.from({ length: 60 }, (_, i) => ask(i, now, 'k4')))
  const burstFetched = fetches - f0
  for (const a of burst) assert.equal(a.found, true)
  assert.ok(burstFetched <= ISOLATES, `burst: ${burstFetched}`)
  report.push(['burst of 60 concurrent requests', burstFetched, ISOLATES])
  idp.delay = 0

  assert.equal(sent, 1000)
  const total = report.reduce((n, [, f]) => n + f, 0)
  const bound = report.reduce((n, [, , b]) => n + b, 0)
  assert.ok(total <= bound)
  t.diagnostic(`fetches per phase (measured / bound): ${report.map(([n, f, b]) => `${n}: ${f}/${b}`).join('; ')}`)
  t.diagnostic(`1,000 requests, ${ISOLATES} isolates: ${total} fetches of the key set (bound ${bound})`)
})
