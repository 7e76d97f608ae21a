// `node www/dev.mjs --check` (make demo-check): exercises the running demo once on workerd: the
// page and its security headers, the guarded API, login (right, wrong, unknown), an access token
// free of personal claims, the seeded hash's PBKDF2 cost, and no demo login without the local flag.
import { pbkdf2Sync } from 'node:crypto'
import { checkPage } from './check-page.mjs'

const ok = (cond, what) => {
  if (!cond) throw new Error(`demo check failed: ${what}`)
}
const ITERATIONS = 600_000 // OWASP's figure for PBKDF2-HMAC-SHA256
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

const login = (url, body) =>
  fetch(new URL('/auth/login', url), {
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

export async function checkDemo(mf, url, options) {
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

  // The seeded hash is PBKDF2-HMAC-SHA256 of the demo password at 600,000 iterations.
  const db = await mf.getD1Database('DB')
  const row = await db.prepare('SELECT sub, salt, hash FROM users WHERE login = ?').bind('demo').first()
  const salt = Buffer.from(new Uint8Array(row.salt))
  const expected = pbkdf2Sync('demo-password', salt, ITERATIONS, 32, 'sha256')
  ok(expected.equals(Buffer.from(new Uint8Array(row.hash))), `the seeded hash uses ${ITERATIONS} iterations`)
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
  const framing = await checkPage(url)
  const browserTime = performance.now() - browserStarted

  // Without the local runner's flag (a deployed copy, its own empty database), no demo login.
  const { DEMO_LOCAL_USER, ...deployed } = options.bindings
  await mf.setOptions({ ...options, bindings: deployed, d1Databases: { DB: 'deployed' } })
  const bare = await mf.ready
  const none = await login(bare, { login: 'demo', password: 'demo-password' })
  ok(none.status === 400, `no demo login without DEMO_LOCAL_USER (got ${none.status})`)

  const ms = (t) => `${t.toFixed(0)} ms`
  console.log(`demo: PBKDF2 ${ITERATIONS}: first login (seed + check) ${ms(firstLogin)}, a login ${ms(oneLogin)}`)
  console.log(`demo: Chromium loaded the page, logged in, no CSP violation (${ms(browserTime)}); framing: ${framing}`)
  console.log('demo: 1 passed, 0 failed')
}
