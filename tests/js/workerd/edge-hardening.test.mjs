// Issue 9's guard hardening on real workerd (through miniflare, the Durable Object store): the
// access tokens authRoutes mints are typed `at+jwt` and the guard requires that typ by default
// (RFC 8725 §3.11, RFC 9068); every answer carries the safe headers, and `secureHeaders` gives
// them to a guarded handler's own answer; a token taken from a cookie is refused on cross-site
// requests to unsafe methods; the login throttle spares a device that logged in before and stops
// one client spraying many logins (item 1); the cookies are `__Host-` with Path=/ and a planted
// second value is refused (item 2). The Worker is written inline and bundled the way wrangler does it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startWorker } from './harness.mjs'
import { Signer, decodeUnverified } from 'jwt-wasm'

const ACCESS_SECRET = 'workerd-hardening-access-0123456789-abc'
const REFRESH_SECRET = 'workerd-hardening-refresh-0123456789-xyz'
const DEVICE_SECRET = 'workerd-hardening-device-0123456789-xyzw'
const BASE = 'http://localhost'
let mf

before(async () => {
  const dir = mkdtempSync(join(process.cwd(), 'workerd-hardening-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { authRoutes, durableObjectStore, guard, secureHeaders, RefreshFamilies } from 'jwt-wasm/edge'
export { RefreshFamilies }

const keys = (env) => [{ kid: 'at-1', alg: 'HS256', secret: env.ACCESS_SECRET }]
const USERS = { alice: 'pw', carol: 'pw-carol', dave: 'pw-dave' }
const verifyUser = (login, password) => (USERS[login] && USERS[login] === password ? { sub: \`u-\${login}\` } : null)
const policy = { keys, algorithms: ['HS256'], issuer: 'https://auth.test', audience: 'api', realm: 'api' }
const auth = authRoutes({
  signer: (env) => keys(env)[0],
  issuer: 'https://auth.test',
  audience: 'api',
  verifyUser,
  store: (env) => durableObjectStore(env.FAMILIES),
  refreshSecret: (env) => env.REFRESH_SECRET,
})
const bound = authRoutes({
  signer: (env) => keys(env)[0],
  basePath: '/bound',
  verifyUser,
  store: (env) => durableObjectStore(env.FAMILIES),
  refreshSecret: (env) => env.REFRESH_SECRET,
  bind: 'device',
  deviceSecret: (env) => env.DEVICE_SECRET,
})
const me = (request, env, ctx, { header, payload }) => Response.json({ typ: header.typ, sub: payload.sub })
const strict = guard(me, policy)
const legacy = guard(me, { ...policy, typ: 'JWT' })
const safe = guard((...args) => secureHeaders(me(...args)), { ...policy, scopes: ['read'] })
const cached = guard(
  () => secureHeaders(new Response('public', { headers: { 'cache-control': 'public, max-age=60' } })),
  policy,
)
const fromCookie = guard(me, { ...policy, cookie: 'at' })
const fromCookieSibling = guard(me, { ...policy, cookie: 'at', allowedOrigins: ['http://app.localhost'] })
const broken = guard(me, { ...policy, keys: (env) => env.MISSING.split(','), onError: () => {} })
// A signer key from env that is bad (too short): every login fails unexpectedly, after verifyUser.
const badAuth = authRoutes({
  signer: () => ({ kid: 'at-1', alg: 'HS256', secret: 'too short' }),
  basePath: '/bad',
  verifyUser: () => ({ sub: 'u-alice' }),
  store: (env) => durableObjectStore(env.FAMILIES),
  refreshSecret: (env) => env.REFRESH_SECRET,
  onError: () => {},
})

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url)
    if (pathname.startsWith('/auth/')) return (await auth(request, env, ctx)) ?? new Response('no route', { status: 404 })
    if (pathname.startsWith('/bad/')) return badAuth(request, env, ctx)
    if (pathname.startsWith('/bound/')) return bound(request, env, ctx)
    if (pathname === '/api/legacy') return legacy(request, env, ctx)
    if (pathname === '/api/safe') return safe(request, env, ctx)
    if (pathname === '/api/cached') return cached(request, env, ctx)
    if (pathname === '/api/broken') return broken(request, env, ctx)
    if (pathname === '/api/cookie') return fromCookie(request, env, ctx)
    if (pathname === '/api/cookie-sibling') return fromCookieSibling(request, env, ctx)
    return strict(request, env, ctx)
  },
}
`,
  )
  ;({ mf } = await startWorker(join(dir, 'worker.js'), {
    bindings: { ACCESS_SECRET, REFRESH_SECRET, DEVICE_SECRET },
    durableObjects: { FAMILIES: 'RefreshFamilies' },
  }))
})

after(async () => {
  await mf?.dispose()
})

/** A token signed in Node with the Worker's key, valid now, with this header `typ` (`undefined`: Signer's `JWT`). */
function mint(typ) {
  const signer = new Signer({ key: { kid: 'at-1', alg: 'HS256', secret: ACCESS_SECRET }, typ, ttl: 300 })
  try {
    return signer.sign({ iss: 'https://auth.test', aud: 'api', sub: 'u-node' })
  } finally {
    signer.free()
  }
}

async function login() {
  const res = await mf.dispatchFetch(`${BASE}/auth/login`, {
    method: 'POST',
    headers: { origin: BASE, 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'alice', password: 'pw' }),
  })
  assert.equal(res.status, 200)
  return res
}

const get = (path, headers = {}, init = {}) => mf.dispatchFetch(`${BASE}${path}`, { headers, ...init })
const bearer = (token) => ({ authorization: `Bearer ${token}` })

test('item 11: authRoutes mints typ at+jwt, which the guard requires by default; other typs are refused', async () => {
  const { access_token } = await (await login()).json()
  assert.equal(decodeUnverified(access_token).header.typ, 'at+jwt')
  const ok = await get('/api/me', bearer(access_token))
  assert.equal(ok.status, 200)
  assert.deepEqual(await ok.json(), { typ: 'at+jwt', sub: 'u-alice' })
  assert.equal((await get('/api/me', bearer(mint('application/at+jwt')))).status, 200)
  for (const typ of [undefined, 'secevent+jwt', 'logout+jwt']) {
    const res = await get('/api/me', bearer(mint(typ)))
    assert.equal(res.status, 401, String(typ))
    assert.deepEqual(await res.json(), {
      error: 'invalid_token',
      error_description: 'The access token type is not accepted',
    })
  }
  // A guard for tokens minted elsewhere names their typ, and then the at+jwt ones are not it.
  assert.equal((await get('/api/legacy', bearer(mint('JWT')))).status, 200)
  assert.equal((await get('/api/legacy', bearer(access_token))).status, 401)
})

const assertSafe = (res, what) => {
  assert.equal(res.headers.get('cache-control'), 'no-store', what)
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what)
}

test('item 9: every answer of authRoutes and the guard carries no-store and nosniff, 500s too', async () => {
  const logged = await login()
  assertSafe(logged, 'login 200')
  const { access_token } = await logged.json()
  const post = (path, headers = {}, body = undefined) => get(path, headers, { method: 'POST', body })
  const json = { origin: BASE, 'content-type': 'application/json' }
  const answers = [
    [
      'login 400 (invalid_grant)',
      await post('/auth/login', json, JSON.stringify({ login: 'alice', password: 'no' })),
      400,
    ],
    ['login 400', await post('/auth/login', json, '[]'), 400],
    ['refresh 403 (no Origin)', await post('/auth/refresh'), 403],
    ['refresh 400 (invalid_grant)', await post('/auth/refresh', { origin: BASE, 'x-requested-with': 'fetch' }), 400],
    ['GET login 405', await get('/auth/login'), 405],
    ['authRoutes 500', await post('/bad/login', json, JSON.stringify({ login: 'alice', password: 'pw' })), 500],
    ['guard 401 (none)', await get('/api/me'), 401],
    ['guard 401 (bad)', await get('/api/me', bearer('a.b.c')), 401],
    ['guard 400', await get('/api/me', { authorization: 'Bearer a b' }), 400],
    ['guard 403 (scope)', await get('/api/safe', bearer(access_token)), 403],
    ['guard 500', await get('/api/broken', bearer(access_token)), 500],
  ]
  for (const [what, res, status] of answers) {
    assert.equal(res.status, status, what)
    assertSafe(res, what)
  }
  assert.deepEqual(await answers[5][1].json(), { error: 'server_error' })
})

test('item 9: secureHeaders gives a guarded handler the safe headers, keeping a Cache-Control it set', async () => {
  const token = mint('at+jwt')
  const scoped = new Signer({ key: { kid: 'at-1', alg: 'HS256', secret: ACCESS_SECRET }, typ: 'at+jwt', ttl: 300 })
  const reader = scoped.sign({ iss: 'https://auth.test', aud: 'api', sub: 'u-node', scope: 'read' })
  scoped.free()
  const res = await get('/api/safe', bearer(reader))
  assert.equal(res.status, 200)
  assertSafe(res, 'guarded 200')
  assert.deepEqual(await res.json(), { typ: 'at+jwt', sub: 'u-node' })
  const own = await get('/api/cached', bearer(token))
  assert.equal(own.status, 200)
  assert.equal(own.headers.get('cache-control'), 'public, max-age=60')
  assert.equal(own.headers.get('x-content-type-options'), 'nosniff')
})

test('item 5: a token from the cookie does not authenticate a cross-site unsafe request (403); the header is unaffected', async () => {
  const { access_token } = await (await login()).json()
  const cookie = `at=${access_token}`
  const send = (path, method, headers) => get(path, headers, { method })
  const crossSite = { error: 'invalid_request', error_description: 'The request origin is not allowed' }
  for (const [method, headers] of [
    ['POST', { cookie, 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' }],
    ['DELETE', { cookie, 'sec-fetch-site': 'same-site', origin: 'http://app.localhost' }],
    ['PUT', { cookie, origin: 'https://evil.test' }],
    ['POST', { cookie, origin: 'null' }],
  ]) {
    const res = await send('/api/cookie', method, headers)
    assert.equal(res.status, 403, `${method} ${headers.origin}`)
    assert.equal(
      res.headers.get('www-authenticate'),
      'Bearer realm="api", error="invalid_request", error_description="The request origin is not allowed"',
    )
    assertSafe(res, 'cross-site 403')
    assert.deepEqual(await res.json(), crossSite)
  }
  for (const [path, method, headers] of [
    ['/api/cookie', 'POST', { cookie, 'sec-fetch-site': 'same-origin', origin: BASE }],
    ['/api/cookie', 'POST', { cookie, origin: BASE }],
    ['/api/cookie', 'POST', { cookie }],
    ['/api/cookie', 'GET', { cookie, 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' }],
    ['/api/cookie', 'POST', { ...bearer(access_token), 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' }],
    ['/api/cookie-sibling', 'POST', { cookie, 'sec-fetch-site': 'same-site', origin: 'http://app.localhost' }],
  ]) {
    const res = await send(path, method, headers)
    assert.equal(res.status, 200, `${path} ${method} ${JSON.stringify(headers).slice(0, 80)}`)
  }
  const other = await send('/api/cookie-sibling', 'POST', {
    cookie,
    'sec-fetch-site': 'same-site',
    origin: 'http://evil.localhost',
  })
  assert.equal(other.status, 403)
})

/** A login from client `ip` (as Cloudflare's CF-Connecting-IP), with these cookies. */
function loginFrom(ip, login, password, { cookie, base = '/auth' } = {}) {
  const headers = { origin: BASE, 'content-type': 'application/json', 'cf-connecting-ip': ip }
  if (cookie) headers.cookie = cookie
  return mf.dispatchFetch(`${BASE}${base}/login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ login, password }),
  })
}
const post = (path, cookie) =>
  mf.dispatchFetch(`${BASE}${path}`, { method: 'POST', headers: { origin: BASE, 'x-requested-with': 'fetch', cookie } })
/** The Set-Cookie values of an answer, by name. */
const setCookies = (res) => Object.fromEntries(res.headers.getSetCookie().map((c) => [c.slice(0, c.indexOf('=')), c]))
const cookieValue = (line) => line.slice(line.indexOf('=') + 1, line.indexOf(';'))

test('item 1: six wrong passwords lock a login for unknown devices (429), not for a device that logged in before (200)', async () => {
  const first = await loginFrom('198.51.100.7', 'carol', 'pw-carol')
  assert.equal(first.status, 200)
  // The browser sends back every cookie the login set.
  const jar = Object.entries(setCookies(first))
    .map(([name, line]) => `${name}=${cookieValue(line)}`)
    .join('; ')
  for (let i = 0; i < 5; i++) assert.equal((await loginFrom('203.0.113.9', 'carol', `guess ${i}`)).status, 400)
  const sixth = await loginFrom('203.0.113.9', 'carol', 'guess 5')
  assert.equal(sixth.status, 429)
  const device = await loginFrom('192.0.2.1', 'carol', 'pw-carol', { cookie: jar })
  assert.equal(device.status, 200, 'the device that logged in before gets in')
  const known = cookieValue(setCookies(first)['__Host-jwt_known'])
  assert.ok(setCookies(device)['__Host-jwt_rt'], 'with a refresh cookie')
  const stranger = await loginFrom('192.0.2.2', 'carol', 'pw-carol')
  assert.equal(stranger.status, 429, 'an unknown device waits, even with the right password')
  assert.deepEqual(await stranger.json(), { error: 'too_many_requests' })
  const wait = Number(stranger.headers.get('retry-after'))
  assert.ok(wait > 0 && wait <= 900, String(wait))
  // A forged known-device cookie, or alice's, is no known device.
  const alices = cookieValue(setCookies(await loginFrom('198.51.100.8', 'alice', 'pw'))['__Host-jwt_known'])
  for (const cookie of [`${known.slice(0, 22)}.${'A'.repeat(43)}`, alices]) {
    assert.equal(
      (await loginFrom('192.0.2.1', 'carol', 'pw-carol', { cookie: `__Host-jwt_known=${cookie}` })).status,
      429,
    )
  }
})

test('item 1: one client spraying many logins is stopped by its budget (20 per 15 minutes); other clients are not', async () => {
  const answered = []
  for (let i = 0; i < 30; i++) answered.push((await loginFrom('203.0.113.50', `spray-${i}`, 'Winter2026!')).status)
  assert.deepEqual(answered, [...Array(20).fill(400), ...Array(10).fill(429)])
  // Over its budget, it no longer counts against any login: dave, asked for after, gets in from elsewhere.
  for (let i = 0; i < 6; i++) assert.equal((await loginFrom('203.0.113.50', 'dave', `guess ${i}`)).status, 429)
  assert.equal((await loginFrom('198.51.100.9', 'dave', 'pw-dave')).status, 200)
  assert.equal((await loginFrom('2001:db8:50::1', 'spray-0', 'x')).status, 400)
})

test('item 2: the cookies are __Host- with Path=/; a planted second value (a longer Path) is 400 and changes nothing', async () => {
  const victim = await loginFrom('198.51.100.20', 'alice', 'pw', { base: '/bound' })
  assert.equal(victim.status, 200)
  const set = setCookies(victim)
  assert.deepEqual(Object.keys(set).sort(), ['__Host-jwt_device', '__Host-jwt_known', '__Host-jwt_rt'])
  for (const line of Object.values(set)) {
    assert.match(line, /^__Host-jwt_\w+=[\w.-]+; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=\d+$/)
  }
  const rt = cookieValue(set['__Host-jwt_rt'])
  const device = cookieValue(set['__Host-jwt_device'])
  // The attacker's own session, planted with Path=/bound/refresh: the browser sends it first.
  const attacker = setCookies(await loginFrom('203.0.113.20', 'alice', 'pw', { base: '/bound' }))
  const plantedRt = cookieValue(attacker['__Host-jwt_rt'])
  const plantedDevice = cookieValue(attacker['__Host-jwt_device'])
  const planted = [
    `__Host-jwt_rt=${plantedRt}; __Host-jwt_rt=${rt}; __Host-jwt_device=${device}`,
    `__Host-jwt_rt=${rt}; __Host-jwt_device=${plantedDevice}; __Host-jwt_device=${device}`,
  ]
  for (const cookie of planted) {
    for (const path of ['/bound/refresh', '/bound/logout']) {
      const res = await post(path, cookie)
      assert.equal(res.status, 400, `${path} ${cookie.slice(0, 40)}`)
      assert.equal((await res.json()).error, 'invalid_request')
      assert.deepEqual(res.headers.getSetCookie(), [], 'no cookie touched')
    }
  }
  const known = cookieValue(set['__Host-jwt_known'])
  const twice = await loginFrom('198.51.100.20', 'alice', 'pw', {
    base: '/bound',
    cookie: `__Host-jwt_known=${known}; __Host-jwt_known=${known}`,
  })
  assert.deepEqual([twice.status, twice.headers.getSetCookie()], [400, []])
  // Nothing changed: both families rotate as before, each with its own device.
  assert.equal((await post('/bound/refresh', `__Host-jwt_rt=${rt}; __Host-jwt_device=${device}`)).status, 200)
  assert.equal(
    (await post('/bound/refresh', `__Host-jwt_rt=${plantedRt}; __Host-jwt_device=${plantedDevice}`)).status,
    200,
  )
})
