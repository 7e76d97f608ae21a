// The guard's decisions on real workerd with tokens from a fake identity provider (issue 13):
// `guard(handler, { verifier: new PublicKeyVerifier({ keys: remoteKeySet(...) }) })` in two
// Workers (two isolates sharing the Cache API) with three guard instances each, against a Node
// http server on 127.0.0.1 serving an ES256 JWKS generated here by WebCrypto. 500 requests
// through a warm start, a key rotation, forgeries and unknown kids, 500s past the stale window
// and a recovery: every answer is the right one (200 with the token's sub, 401 invalid_token,
// 503 temporarily_unavailable) and the provider's fetches stay within the stated bound.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { keyPair, sign } from '../keys/signing.mjs'

const T0 = 1_767_225_600
const WORKERS = ['a', 'b']
const INSTANCES = 3
const ISOLATES = WORKERS.length * INSTANCES
const OPTIONS = { minTtl: 60, maxTtl: 600, cooldown: 30, staleIfError: 300, timeout: 1000 }
const POLICY = { algorithms: ['ES256'], issuer: 'https://idp.test', audience: 'api' }

const idp = { status: 200, keys: [], headers: { 'cache-control': 'max-age=300' } }
let fetches = 0
let server
let mf
const workers = {}
let pairs

before(async () => {
  pairs = {
    k1: await keyPair('ES256', { kid: 'k1' }),
    k2: await keyPair('ES256', { kid: 'k2' }),
    // The forger's key, claiming k1's kid.
    evil: await keyPair('ES256', { kid: 'k1' }),
  }
  idp.keys = [pairs.k1.jwk]
  server = http.createServer((req, res) => {
    fetches += 1
    res.writeHead(idp.status, { 'content-type': 'application/json', ...idp.headers })
    res.end(idp.status === 200 ? JSON.stringify({ keys: idp.keys }) : '{"error":"down"}')
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const dir = mkdtempSync(join(process.cwd(), 'workerd-keyset-guard-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { PublicKeyVerifier, remoteKeySet } from 'jwt-wasm/keys'
import { guard } from 'jwt-wasm/edge'
let now = 0
const guards = new Map()
const guardOf = (id, env) => {
  let g = guards.get(id)
  if (!g) {
    const verifier = new PublicKeyVerifier({ keys: remoteKeySet(env.IDP, ${JSON.stringify(OPTIONS)}), ...${JSON.stringify(POLICY)} })
    g = guard((request, e, c, { header, payload }) => Response.json({ sub: payload.sub, kid: header.kid }), {
      verifier,
      clock: () => new Date(now * 1000),
      onError: () => {},
    })
    guards.set(id, g)
  }
  return g
}
export default {
  fetch(request, env, ctx) {
    now = Number(request.headers.get('x-now'))
    return guardOf(request.headers.get('x-instance'), env)(request, env, ctx)
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
    mainFields: ['module', 'main'],
    loader: { '.wasm': 'copy' },
    external: ['cloudflare:*'],
    outdir: join(dir, 'out'),
    logLevel: 'silent',
  })
  const IDP = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`
  mf = new Miniflare({
    workers: WORKERS.map((name) => ({
      name,
      modules: true,
      scriptPath: join(dir, 'out', 'worker.js'),
      modulesRoot: join(dir, 'out'),
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
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
/** Request i, round robin over the six guard instances, with `token` at `now`. */
async function ask(i, now, token) {
  sent += 1
  const w = WORKERS[i % WORKERS.length]
  const res = await workers[w].fetch('http://worker/me', {
    headers: {
      authorization: `Bearer ${token}`,
      'x-now': String(now),
      'x-instance': `${w}${Math.floor(i / WORKERS.length) % INSTANCES}`,
    },
  })
  return {
    status: res.status,
    body: await res.json().catch(() => null),
    challenge: res.headers.get('www-authenticate'),
  }
}

/** A token of `pair` for `sub`, valid from `now` for an hour. */
const token = (pair, sub, now) =>
  sign(pair, { typ: 'JWT' }, { iss: 'https://idp.test', aud: 'api', sub, iat: now, exp: now + 3600 })

const ok = (a, sub, kid) => {
  assert.equal(a.status, 200, JSON.stringify(a))
  assert.deepEqual(a.body, { sub, kid })
}
const invalidToken = (a) => {
  assert.equal(a.status, 401, JSON.stringify(a))
  assert.match(a.challenge ?? '', /error="invalid_token"/)
}
const unavailable = (a) => {
  assert.equal(a.status, 503, JSON.stringify(a))
  assert.equal(a.body?.error, 'temporarily_unavailable')
}

test('the guard over remoteKeySet on workerd: 500 requests, right decisions, bounded fetches', async (t) => {
  const report = []
  let now = T0
  // 1. Warm start: 100 requests over 100 s; every 10th a forgery (the forger's key, kid k1) and,
  //    in the first 50 s, every 10th an unknown kid: 401. One fetch for the six cold isolates (the
  //    Cache API); the unknown kids look again at most once per cooldown per isolate. (Within a
  //    cooldown of such a look, a new kid is refused without a look: so the rotation below comes
  //    more than a cooldown after the last stray kid.)
  const good1 = await token(pairs.k1, 'alice', now)
  const forged = await token(pairs.evil, 'mallory', now)
  const stray = await token({ ...pairs.evil, kid: 'nobody' }, 'mallory', now)
  let f = fetches
  for (let i = 0; i < 100; i++) {
    const isStray = i % 10 === 7 && i < 50
    const a = await ask(i, now + i, i % 10 === 3 ? forged : isStray ? stray : good1)
    if (i % 10 === 3 || isStray) invalidToken(a)
    else ok(a, 'alice', 'k1')
  }
  const unknownBound = ISOLATES * Math.ceil(50 / OPTIONS.cooldown)
  assert.ok(fetches - f <= 1 + unknownBound, `warm start: ${fetches - f}`)
  report.push(['warm start with forgeries and unknown kids', fetches - f, 1 + unknownBound])
  now += 100

  // 2. Rotation: the provider adds k2 and signs with it; k1's tokens still pass.
  idp.keys = [pairs.k1.jwk, pairs.k2.jwk]
  const good2 = await token(pairs.k2, 'bob', now)
  f = fetches
  for (let i = 0; i < 100; i++) {
    const a = await ask(i, now + i, i % 2 ? good2 : good1)
    if (i % 2) ok(a, 'bob', 'k2')
    else ok(a, 'alice', 'k1')
  }
  assert.ok(fetches - f <= ISOLATES, `rotation: ${fetches - f}`)
  report.push(['rotation', fetches - f, ISOLATES])
  now += 100

  // 3. The provider fails (500) for 1,000 s, 5 s apart: tokens pass while the keys are fresh and
  //    for staleIfError (300 s) after, then 503 temporarily_unavailable (never 401).
  idp.status = 500
  f = fetches
  let first503
  for (let i = 0; i < 200; i++) {
    const at = now + i * 5
    const a = await ask(i, at, good2)
    if (a.status === 503) {
      unavailable(a)
      first503 ??= at
    } else {
      assert.equal(first503, undefined, 'once past the stale window, every answer is 503')
      ok(a, 'bob', 'k2')
    }
  }
  assert.ok(first503 !== undefined, 'the stale window closed')
  // The keys were last fetched in phase 2 (max-age 300) at most 100 s before this phase: 503
  // only from 300 + 300 s after that fetch, never sooner.
  assert.ok(first503 - now >= OPTIONS.staleIfError, `503 from +${first503 - now} s`)
  // One backoff for the location (the failure is recorded in the Cache API), plus at most one
  // attempt per isolate.
  const bound500 = 6 + Math.ceil(1000 / OPTIONS.cooldown) + ISOLATES
  assert.ok(fetches - f <= bound500, `500s: ${fetches - f}`)
  report.push(['500s for 1,000 s', fetches - f, bound500])
  now += 1000

  // 4. Recovery: within one cooldown every isolate verifies again.
  idp.status = 200
  const good3 = await token(pairs.k2, 'carol', now)
  f = fetches
  let back
  for (let i = 0; i < 100; i++) {
    const a = await ask(i, now + i, good3)
    if (a.status === 200) {
      ok(a, 'carol', 'k2')
      back ??= i
    } else {
      assert.equal(back, undefined)
      unavailable(a)
    }
  }
  assert.ok(back !== undefined && back <= OPTIONS.cooldown, `recovered after ${back} s`)
  assert.ok(fetches - f <= ISOLATES, `recovery: ${fetches - f}`)
  report.push(['recovery', fetches - f, ISOLATES])

  assert.equal(sent, 500)
  const total = report.reduce((n, [, m]) => n + m, 0)
  const bound = report.reduce((n, [, , b]) => n + b, 0)
  t.diagnostic(`guard fetches per phase (measured / bound): ${report.map(([n, m, b]) => `${n}: ${m}/${b}`).join('; ')}`)
  t.diagnostic(`500 guarded requests, ${ISOLATES} isolates: ${total} fetches (bound ${bound})`)
})
