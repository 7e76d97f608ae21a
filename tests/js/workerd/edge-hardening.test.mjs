// Issue 9's guard hardening on real workerd (through miniflare, the Durable Object store): the
// access tokens authRoutes mints are typed `at+jwt` and the guard requires that typ by default
// (RFC 8725 §3.11, RFC 9068); every answer carries the safe headers, and `secureHeaders` gives
// them to a guarded handler's own answer; a token taken from a cookie is refused on cross-site
// requests to unsafe methods. The Worker is written inline and bundled the way wrangler does it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startWorker } from './harness.mjs'
import { Signer, decodeUnverified } from 'jwt-wasm'

const ACCESS_SECRET = 'workerd-hardening-access-0123456789-abc'
const REFRESH_SECRET = 'workerd-hardening-refresh-0123456789-xyz'
const BASE = 'http://localhost'
let mf

before(async () => {
  const dir = mkdtempSync(join(process.cwd(), 'workerd-hardening-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { authRoutes, durableObjectStore, guard, secureHeaders, RefreshFamilies } from 'jwt-wasm/edge'
export { RefreshFamilies }

const keys = (env) => [{ kid: 'at-1', alg: 'HS256', secret: env.ACCESS_SECRET }]
const policy = { keys, algorithms: ['HS256'], issuer: 'https://auth.test', audience: 'api', realm: 'api' }
const auth = authRoutes({
  signer: (env) => keys(env)[0],
  issuer: 'https://auth.test',
  audience: 'api',
  verifyUser: (login, password) => (login === 'alice' && password === 'pw' ? { sub: 'u-alice' } : null),
  store: (env) => durableObjectStore(env.FAMILIES),
  refreshSecret: (env) => env.REFRESH_SECRET,
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
    bindings: { ACCESS_SECRET, REFRESH_SECRET },
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
