// `make demo-check` (in `make test`): starts the demo's wrangler project as `make demo` does
// (`wrangler dev`, the schema and seed of the local D1, fresh secrets; here in a throwaway state
// directory and on a free port), exercises it once and stops it: the page and its security
// headers, the guarded APIs (401, 403 with scope=), login (right, wrong, unknown), an access
// token free of personal claims, the seeded hash's PBKDF2 cost, the demo-only routes (a variant
// minted only for the caller's own valid token; a replayed
// refresh token revokes its family; absent without DEMO_ROUTES), the encrypted access tokens
// (/auth-jwe/*, /api-jwe/me: the JWE's header, expires_in, no claim readable, no downgrade, a
// flipped ciphertext byte; its refresh families apart from the signed ones'), .dev.vars getting ENCRYPTION_KEY, then the page in Chromium.
// DEMO_KEEP_SHOTS=1 keeps the throwaway directory (screenshots, state) and prints where it is.
import { pbkdf2Sync } from 'node:crypto'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkPage } from './check-page.mjs'
import { demoRoutes } from './demo-routes.js'
import { PBKDF2_ITERATIONS } from './password.js'
import { devVars, ensureDevVars, here, seedLocal, startDev } from './wrangler.mjs'

const ok = (cond, what) => {
  if (!cond) throw new Error(`demo check failed: ${what}`)
}
// The deployed Workers' PBKDF2 cap; checked against password.js so the two cannot drift apart.
const ITERATIONS = 100_000
ok(PBKDF2_ITERATIONS === ITERATIONS, `the demo hashes at ${ITERATIONS} iterations, what a deployed Worker allows`)
// What an access token may carry: registered claims, the opaque id, the scope and RFC 9068's
// non-personal claims (client_id, auth_time, acr, amr); nothing personal.
const TOKEN_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'scope',
  'sid',
  'client_id',
  'auth_time',
  'acr',
  'amr',
])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const login = (url, body, path = '/auth/login') =>
  fetch(new URL(path, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url.origin },
    body: JSON.stringify(body),
  })

function checkPageHeaders(res, what) {
  const csp = res.headers.get('content-security-policy') ?? ''
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  )
  ok(
    directives.get('frame-ancestors')?.join(' ') === "'none'",
    `${what}: CSP header has frame-ancestors 'none' (${csp})`,
  )
  ok(directives.get('script-src')?.includes("'wasm-unsafe-eval'"), `${what}: script-src lets the wasm compile`)
  ok(!csp.includes("'unsafe-inline'") && !csp.includes("'unsafe-eval'"), `${what}: no unsafe-inline or unsafe-eval`)
  ok(res.headers.get('x-content-type-options') === 'nosniff', `${what}: X-Content-Type-Options: nosniff`)
  ok(res.headers.get('referrer-policy') === 'no-referrer', `${what}: Referrer-Policy: no-referrer`)
}

async function checkDemo(url, persistTo) {
  const page = await fetch(new URL('/', url))
  const html = await page.text()
  ok(page.status === 200 && html.includes('jwt-wasm'), 'the page is served')
  checkPageHeaders(page, 'the page')
  ok(!/<meta[^>]+Content-Security-Policy/i.test(html), 'the CSP lives in one place, the header')
  const password = html.match(/<input[^>]*name="password"[^>]*>/)?.[0] ?? ''
  ok(password && !/\svalue=/.test(password), `the password is not prefilled (${password})`)
  const wasm = await fetch(new URL('/dist/wasm/jwt_wasm_claims.wasm', url))
  ok(wasm.status === 200, 'the wasm is served beside the bundle')
  checkPageHeaders(wasm, 'the wasm')
  checkPageHeaders(await fetch(new URL('/dist/app.js', url)), 'the script')

  const anon = await fetch(new URL('/api/me', url))
  ok(
    anon.status === 401 && anon.headers.get('www-authenticate') === 'Bearer realm="demo"',
    `the API asks for a token (got ${anon.status} ${anon.headers.get('www-authenticate')} ${await anon.clone().text()})`,
  )
  const started = performance.now()
  const right = await login(url, { login: 'demo', password: 'demo-password' })
  const firstLogin = performance.now() - started
  ok(right.status === 200, `login answers 200 (got ${right.status})`)
  const { access_token } = await right.json()
  const payload = JSON.parse(Buffer.from(access_token.split('.')[1], 'base64url').toString())
  ok(!('name' in payload), `the access token carries no name (${JSON.stringify(payload)})`)
  const extra = Object.keys(payload).filter((k) => !TOKEN_CLAIMS.has(k))
  ok(extra.length === 0, `the access token carries no other claim (${extra})`)
  ok(UUID.test(payload.sub), `sub is an opaque random id (${payload.sub})`)
  const me = await fetch(new URL('/api/me', url), { headers: { authorization: `Bearer ${access_token}` } })
  const meBody = await me.json()
  ok(me.status === 200 && meBody.sub === payload.sub && !('name' in meBody), 'the API accepts the token')

  // The mint route signs variants of the caller's own valid token only (here, while it is fresh:
  // ACCESS_TTL is 10 s).
  const mintWith = (headers) =>
    fetch(new URL('/demo/mint', url), { method: 'POST', headers, body: JSON.stringify({ kind: 'expired' }) })
  const anonMint = await mintWith({})
  ok(anonMint.status === 401, `no mint without a token (${anonMint.status})`)
  const forged = `${access_token.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`
  const forgedMint = await mintWith({ authorization: `Bearer ${forged}` })
  ok(forgedMint.status === 401, `no mint for a forged token (${forgedMint.status})`)
  const minted = await (await mintWith({ authorization: `Bearer ${access_token}` })).json()
  const mintedPayload = JSON.parse(Buffer.from(minted.token.split('.')[1], 'base64url').toString())
  ok(mintedPayload.sub === payload.sub && mintedPayload.exp < Date.now() / 1000, 'a minted variant keeps the caller')

  // Encrypted access tokens (/auth-jwe/*): a compact JWE whose five segments show nothing of the
  // claims, timed by expires_in; /api-jwe/me takes it, and only it.
  const jweLogin = await login(url, { login: 'demo', password: 'demo-password' }, '/auth-jwe/login')
  ok(jweLogin.status === 200, `the encrypted login answers 200 (got ${jweLogin.status})`)
  const sealed = await jweLogin.json()
  const parts = sealed.access_token.split('.')
  ok(parts.length === 5 && parts.every((p) => p.length > 0), 'a compact JWE with an encrypted key (A256KW)')
  const protectedHeader = JSON.parse(Buffer.from(parts[0], 'base64url').toString())
  ok(
    JSON.stringify(protectedHeader, Object.keys(protectedHeader).sort()) ===
      JSON.stringify({ alg: 'A256KW', cty: 'JWT', enc: 'A256GCM', kid: 'demo-jwe-1' }),
    `the protected header (${JSON.stringify(protectedHeader)})`,
  )
  ok(sealed.expires_in === 10, `the answer says when it expires (expires_in ${sealed.expires_in})`)
  const readable = parts.map((p) => Buffer.from(p, 'base64url').toString('latin1')).join('')
  ok(!readable.includes(payload.sub) && !readable.includes('profile:read'), 'no claim can be read from the JWE')
  const jweCookie = jweLogin.headers.getSetCookie().find((c) => c.startsWith('__Host-jwt_rt_jwe='))
  ok(jweCookie, 'the encrypted login sets a refresh cookie of its own')
  const probe = await (
    await fetch(new URL('/api/session', url), { headers: { cookie: jweCookie.split(';')[0] } })
  ).json()
  ok(
    probe.jweRefreshCookie === true && probe.refreshCookie === false,
    `the probe tells the cookies apart (${JSON.stringify(probe)})`,
  )
  // The two kinds of refresh family never mix: a token of one presented on the other's route is
  // refused (invalid_grant), and its own family still refreshes on its own route afterwards.
  const jws = (await login(url, { login: 'demo', password: 'demo-password' })).headers
    .getSetCookie()
    .find((c) => c.startsWith('__Host-jwt_rt='))
  const value = (c) => c.split(';')[0].split('=').slice(1).join('=')
  const refreshWith = (path, name, v) =>
    fetch(new URL(path, url), {
      method: 'POST',
      headers: { cookie: `${name}=${v}`, origin: url.origin, 'x-requested-with': 'fetch' },
    })
  for (const [token, own, other] of [
    [value(jws), ['/auth/refresh', '__Host-jwt_rt'], ['/auth-jwe/refresh', '__Host-jwt_rt_jwe']],
    [value(jweCookie), ['/auth-jwe/refresh', '__Host-jwt_rt_jwe'], ['/auth/refresh', '__Host-jwt_rt']],
  ]) {
    const crossed = await refreshWith(other[0], other[1], token)
    const crossedBody = await crossed.json().catch(() => ({}))
    ok(
      crossed.status === 400 && crossedBody.error === 'invalid_grant',
      `a refresh token of ${own[0]} is refused on ${other[0]} (${crossed.status} ${JSON.stringify(crossedBody)})`,
    )
    const still = await refreshWith(own[0], own[1], token)
    ok(still.status === 200, `its family still refreshes on ${own[0]} (${still.status})`)
  }
  const guarded = async (path, token) => {
    const res = await fetch(new URL(path, url), { headers: { authorization: `Bearer ${token}` } })
    const why = res.headers.get('www-authenticate')?.match(/error_description="([^"]*)"/)?.[1]
    return { status: res.status, why, body: res.ok ? await res.json() : undefined }
  }
  const meJwe = await guarded('/api-jwe/me', sealed.access_token)
  ok(meJwe.status === 200 && meJwe.body.sub === payload.sub, `/api-jwe/me reads the JWE (${JSON.stringify(meJwe)})`)
  const refusals = [
    [
      '/api-jwe/me',
      access_token,
      'The access token is not a valid encrypted token',
      'a signed token on the encrypted API',
    ],
    ['/api/me', sealed.access_token, 'The access token is malformed', 'a JWE on the signed API'],
    [
      '/api-jwe/me',
      [...parts.slice(0, 3), `${parts[3][0] === 'A' ? 'B' : 'A'}${parts[3].slice(1)}`, parts[4]].join('.'),
      'The access token could not be decrypted',
      'a flipped ciphertext byte',
    ],
  ]
  for (const [path, token, why, what] of refusals) {
    const got = await guarded(path, token)
    ok(got.status === 401 && got.why === why, `${what}: 401 "${why}" (got ${got.status} "${got.why}")`)
  }

  // The seeded hash is PBKDF2-HMAC-SHA256 of the demo password at 100,000 iterations.
  const row = await storedUser(persistTo)
  const salt = Buffer.from(row.salt, 'hex')
  const expected = pbkdf2Sync('demo-password', salt, ITERATIONS, 32, 'sha256')
  ok(expected.equals(Buffer.from(row.hash, 'hex')), `the seeded hash uses ${ITERATIONS} iterations`)
  ok(row.sub === payload.sub, 'the token carries the stored opaque id')

  const wrongStarted = performance.now()
  const wrong = await login(url, { login: 'demo', password: 'nope' })
  const oneLogin = performance.now() - wrongStarted
  ok(wrong.status === 400, 'a wrong password is refused')
  const unknown = await login(url, { login: 'nobody', password: 'demo-password' })
  ok(
    unknown.status === 400 && JSON.stringify(await unknown.json()) === JSON.stringify(await wrong.json()),
    'an unknown login gets the same answer',
  )

  const browserStarted = performance.now()
  const { framing, refresh, cards, shared, jweRefresh, jweCards } = await checkPage(url, {
    shots: tmp,
    screenshotOut: process.env.DEMO_SCREENSHOT,
  })
  const browserTime = performance.now() - browserStarted

  // A rotated refresh token presented again revokes its family: the successor is dead too.
  const cookie = (right.headers.getSetCookie().find((c) => c.startsWith('__Host-jwt_rt=')) ?? '').split(';')[0]
  const authHeaders = (c) => ({ cookie: c, origin: url.origin, 'x-requested-with': 'fetch' })
  const replay = await fetch(new URL('/demo/replay', url), { method: 'POST', headers: authHeaders(cookie) })
  const replayBody = await replay.json()
  ok(
    replay.status === 400 && replayBody.error === 'invalid_grant',
    `the replay is refused (${replay.status} ${JSON.stringify(replayBody)})`,
  )
  const successor = (replay.headers.getSetCookie().find((c) => c.startsWith('__Host-jwt_rt=')) ?? '').split(';')[0]
  ok(successor && successor !== cookie, 'the replay route rotated the token first')
  const after = await fetch(new URL('/auth/refresh', url), { method: 'POST', headers: authHeaders(successor) })
  ok(after.status === 400, `the family is revoked: its newest token is refused too (${after.status})`)

  // Without DEMO_ROUTES (a deployed copy: .dev.vars is never uploaded), no demo-only route.
  for (const path of ['/demo/mint', '/demo/replay']) {
    const res = await demoRoutes(new Request(new URL(path, url), { method: 'POST' }), {}, {}, {})
    ok(res.status === 404, `${path} is absent without DEMO_ROUTES (${res.status})`)
  }

  const ms = (t) => `${t.toFixed(0)} ms`
  console.log(`demo: PBKDF2 ${ITERATIONS}: first login ${ms(firstLogin)}, a login ${ms(oneLogin)}`)
  console.log(
    `demo: Chromium: cold load silent, login, a refresh after ${ms(refresh)}, ${cards} attack cards as expected, two tabs shared a refresh (${shared}), replay logged out both, logout; encrypted tokens: login, JWE anatomy without claims, a refresh after ${ms(jweRefresh)}, ${jweCards} JWE cards as expected, logout (${ms(browserTime)}); framing: ${framing}`,
  )
  console.log('demo: 1 passed, 0 failed')
}

// The stored row of the demo user, read with wrangler from the same local D1. Asynchronously:
// a blocked event loop (several seconds under load) would not see wrangler dev close the idle
// keep-alive connection, and the next request would be sent on the dead socket.
async function storedUser(persistTo) {
  const { stdout: out } = await promisify(execFile)(
    join(here, 'node_modules', '.bin', 'wrangler'),
    [
      'd1',
      'execute',
      'DB',
      '--local',
      '--persist-to',
      persistTo,
      '--json',
      '--command',
      "SELECT sub, hex(salt) AS salt, hex(hash) AS hash FROM users WHERE login = 'demo'",
    ],
    { cwd: here, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' }, encoding: 'utf8' },
  )
  return JSON.parse(out)[0].results[0]
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const tmp = mkdtempSync(join(tmpdir(), 'jwt-wasm-demo-'))
// A .dev.vars of an earlier start keeps its secrets and gets the encryption key it lacks, once.
const oldVars = join(tmp, 'old.dev.vars')
const before = devVars().replace(/^ENCRYPTION_KEY=.*\n/m, '')
writeFileSync(oldVars, before)
ok(ensureDevVars(oldVars).includes('ENCRYPTION_KEY'), 'an old .dev.vars is told it got an ENCRYPTION_KEY')
const added = readFileSync(oldVars, 'utf8')
ok(
  added.startsWith(before) && /\nENCRYPTION_KEY=[\w-]{43}\n$/.test(added),
  `only the key is added (${added.length} chars)`,
)
ok(ensureDevVars(oldVars) === '' && readFileSync(oldVars, 'utf8') === added, 'and only once')
const persistTo = join(tmp, 'state')
const envFile = join(tmp, 'dev.vars')
writeFileSync(envFile, devVars(), { mode: 0o600 })
const started = performance.now()
await seedLocal(persistTo)
// Short access tokens (by configuration), so the page refreshes within seconds.
const dev = await startDev({ port: await freePort(), persistTo, envFile, vars: { ACCESS_TTL: '10' } })
console.log(`demo: wrangler dev answered ${((performance.now() - started) / 1000).toFixed(1)} s after the seed began`)
try {
  await checkDemo(dev.url, persistTo)
} finally {
  await dev.stop()
  if (process.env.DEMO_KEEP_SHOTS) console.log(`demo: screenshots kept in ${tmp}`)
  else rmSync(tmp, { recursive: true, force: true })
}
