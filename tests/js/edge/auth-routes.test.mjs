// authRoutes (jwt-wasm/edge) in Node with the memory store and a pinned clock (the `clock`
// option; no global is patched): login, authenticated call, refresh and rotation, reuse
// detection, the grace window, lifetimes, logout, CSRF refusals, exact cookies, login
// throttling, device binding, cookie tossing (a cookie sent twice), and a store that is down.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, createHash } from 'node:crypto'
import { Verifier } from 'jwt-wasm'
import { authRoutes, memoryStore, guard } from 'jwt-wasm/edge'

const NOW = 1_767_225_600 // 2026-01-01T00:00:00Z
const ORIGIN = 'https://app.example'
const ACCESS_KEY = { kid: 'at-2026-01', alg: 'HS256', secret: 'access-token-secret-0123456789-abcdef' }
const REFRESH_SECRET = 'refresh-derivation-secret-0123456789abcdef'
const DEVICE_SECRET = 'device-binding-secret-0123456789-abcdefgh'
const DAY = 86400
const LIFETIME = 14 * DAY
const RT = /^jwt_rt=([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43}); HttpOnly; Secure; SameSite=Strict; Path=\/auth; Max-Age=(\d+)$/
const CLEAR = 'jwt_rt=; HttpOnly; Secure; SameSite=Strict; Path=/auth; Max-Age=0'

const b64url = (buf) => Buffer.from(buf).toString('base64url')
/** The successor rule, computed independently: base64url(HMAC-SHA256(refreshSecret, familyId.secret)). */
const successorOf = (familyId, secret) => b64url(createHmac('sha256', REFRESH_SECRET).update(`${familyId}.${secret}`).digest())
const sha256 = (s) => b64url(createHash('sha256').update(s).digest())

// ---- The application's verifyUser: PBKDF2 hashes, and the same work for an unknown login. ----
const enc = new TextEncoder()
async function pbkdf2(password, salt) {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits'])
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 10_000 }, key, 256))
}
function equal(a, b) {
  let d = a.length ^ b.length
  for (let i = 0; i < a.length && i < b.length; i++) d |= a[i] ^ b[i]
  return d === 0
}
const users = new Map()
// A fixed dummy record: an unknown login is checked against it, so it costs the same PBKDF2.
const DUMMY = { salt: enc.encode('dummy-salt-16byt'), hash: new Uint8Array(32) }
async function addUser(login, password, sub, claims) {
  const salt = enc.encode(`salt-${login}`.padEnd(16, '.'))
  users.set(login, { salt, hash: await pbkdf2(password, salt), sub, claims })
}
await addUser('alice', 'correct horse battery staple', 'u-alice', { role: 'admin' })
await addUser('bob', 'hunter2 hunter2', 'u-bob', undefined)
let verifyCalls = 0
async function verifyUser(login, password) {
  verifyCalls++
  const user = users.get(login)
  const record = user ?? DUMMY
  const ok = equal(await pbkdf2(password, record.salt), record.hash)
  return user && ok ? { sub: user.sub, ...(user.claims ? { claims: user.claims } : {}) } : null
}

// ---- Harness ----
function setup(extra = {}) {
  const t = { now: NOW }
  const store = extra.store ?? memoryStore()
  const handler = authRoutes({
    signer: { key: ACCESS_KEY },
    issuer: 'https://app.example',
    audience: 'api',
    verifyUser,
    store: () => store,
    refreshSecret: REFRESH_SECRET,
    clock: () => new Date(t.now * 1000),
    ...extra.options,
  })
  return { t, store, handler }
}

function request(path, { method = 'POST', origin = ORIGIN, csrf = true, cookie, json, form, body, type, headers = {} } = {}) {
  const h = new Headers(headers)
  if (origin !== null) h.set('origin', origin)
  if (csrf) h.set('x-requested-with', 'fetch')
  if (cookie) h.set('cookie', cookie)
  if (json !== undefined) {
    h.set('content-type', type ?? 'application/json')
    body = JSON.stringify(json)
  } else if (form !== undefined) {
    h.set('content-type', 'application/x-www-form-urlencoded')
    body = new URLSearchParams(form).toString()
  } else if (type) h.set('content-type', type)
  return new Request(`${ORIGIN}${path}`, { method, headers: h, body: method === 'GET' ? undefined : body })
}

async function call(handler, path, init) {
  const res = await handler(request(path, init), {}, {})
  assert.ok(res instanceof Response, `${path} answered null`)
  const text = await res.text()
  return { res, status: res.status, body: text ? JSON.parse(text) : null, cookies: res.headers.getSetCookie() }
}

const login = (h, login = 'alice', password = 'correct horse battery staple', init = {}) =>
  call(h, '/auth/login', { json: { login, password }, csrf: false, ...init })
const refresh = (h, rt, init = {}) => call(h, '/auth/refresh', { cookie: rt === undefined ? undefined : `jwt_rt=${rt}`, ...init })
const logout = (h, rt, init = {}) => call(h, '/auth/logout', { cookie: rt === undefined ? undefined : `jwt_rt=${rt}`, ...init })

function refreshCookie(r, maxAge = LIFETIME) {
  assert.equal(r.cookies.length >= 1, true, 'no Set-Cookie')
  const m = RT.exec(r.cookies[0])
  assert.ok(m, `unexpected refresh cookie: ${r.cookies[0]}`)
  assert.equal(Number(m[3]), maxAge)
  return { value: `${m[1]}.${m[2]}`, familyId: m[1], secret: m[2] }
}

const verifier = new Verifier({ keys: [ACCESS_KEY], algorithms: ['HS256'], issuer: 'https://app.example', audience: 'api' })
const at = (t) => ({ currentDate: new Date(t * 1000) })

function assertTokenAnswer(r, now) {
  assert.equal(r.status, 200)
  assert.deepEqual(Object.keys(r.body), ['access_token', 'token_type', 'expires_in'])
  assert.equal(r.body.token_type, 'Bearer')
  assert.equal(r.body.expires_in, 900)
  assert.equal(r.res.headers.get('cache-control'), 'no-store')
  assert.equal(r.res.headers.get('content-type'), 'application/json')
  const { header, payload } = verifier.verify(r.body.access_token, at(now))
  assert.equal(header.kid, 'at-2026-01')
  assert.equal(payload.iat, now)
  assert.equal(payload.exp, now + 900)
  assert.match(payload.jti, /^[A-Za-z0-9_-]{22}$/)
  return payload
}

// ---- Options ----

test('options: unknown, missing or invalid options throw TypeError ERR_INVALID_OPTIONS at authRoutes() time', () => {
  const base = { signer: { key: ACCESS_KEY }, verifyUser, store: () => memoryStore(), refreshSecret: REFRESH_SECRET }
  const bad = (o) => assert.throws(() => authRoutes(o), (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS')
  bad({ ...base, graceSecond: 5 })
  bad({ ...base, store: undefined })
  bad({ ...base, verifyUser: undefined })
  bad({ ...base, refreshSecret: undefined })
  bad({ ...base, refreshSecret: 'too short' })
  bad({ ...base, signer: undefined })
  bad({ ...base, signer: { key: ACCESS_KEY, ttl: 60 } })
  bad({ ...base, bind: 'device' })
  bad({ ...base, bind: 'ip', deviceSecret: DEVICE_SECRET })
  bad({ ...base, deviceSecret: DEVICE_SECRET })
  bad({ ...base, bind: 'device', deviceSecret: 'short' })
  bad({ ...base, basePath: '/auth/' })
  bad({ ...base, basePath: 'auth' })
  bad({ ...base, cookieName: 'jwt rt' })
  bad({ ...base, cookieName: 'jwt_device' })
  bad({ ...base, allowedOrigins: ['https://app.example/'] })
  bad({ ...base, allowedOrigins: [] })
  bad({ ...base, csrfHeader: 'X Requested' })
  bad({ ...base, graceSeconds: -1 })
  bad({ ...base, accessTtl: 0 })
  bad({ ...base, familyLifetime: 1.5 })
  bad({ ...base, loginThrottle: { maxFailures: 0 } })
  bad({ ...base, loginThrottle: { maxFailures: 3, window: 60 } })
  bad({ ...base, audience: [] })
  // A bad signing key fails here too (the Signer is built at once when it can be).
  assert.throws(() => authRoutes({ ...base, signer: { key: { alg: 'HS256', secret: 'short' } } }), { code: 'ERR_KEY_INVALID' })
  assert.equal(typeof authRoutes(base), 'function')
})

test('routing: other paths answer null (to chain), other methods 405 with Allow: POST', async () => {
  const { handler } = setup()
  assert.equal(await handler(request('/api/data'), {}, {}), null)
  assert.equal(await handler(request('/auth'), {}, {}), null)
  assert.equal(await handler(request('/auth/login/'), {}, {}), null)
  assert.equal(await handler(request('/auth/refreshx'), {}, {}), null)
  for (const path of ['/auth/login', '/auth/refresh', '/auth/logout']) {
    for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS']) {
      const r = await call(handler, path, { method })
      assert.equal(r.status, 405)
      assert.equal(r.res.headers.get('allow'), 'POST')
      assert.deepEqual(r.body, { error: 'invalid_request', error_description: 'Use POST' })
      assert.deepEqual(r.cookies, [])
    }
  }
})

// ---- Login ----

test('login: 200 { access_token, token_type, expires_in }, no-store, and the refresh cookie with exact attributes', async () => {
  const { handler, store } = setup()
  const r = await login(handler)
  const payload = assertTokenAnswer(r, NOW)
  assert.equal(payload.sub, 'u-alice')
  assert.equal(payload.role, 'admin')
  assert.equal(payload.iss, 'https://app.example')
  assert.equal(payload.aud, 'api')
  assert.equal(payload.dvh, undefined)
  assert.equal(r.cookies.length, 1)
  const rt = refreshCookie(r)
  assert.equal(r.cookies[0], `jwt_rt=${rt.value}; HttpOnly; Secure; SameSite=Strict; Path=/auth; Max-Age=1209600`)
  // The store holds only the hash of the secret, and the lifetimes.
  const record = await store.read(rt.familyId)
  assert.deepEqual(record, {
    familyId: rt.familyId,
    sub: 'u-alice',
    claims: { role: 'admin' },
    createdAt: NOW,
    expiresAt: NOW + LIFETIME,
    lastUsedAt: NOW,
    current: sha256(rt.secret),
    previous: null,
  })
  assert.ok(!JSON.stringify(record).includes(rt.secret))
})

test('login: form-encoded bodies work like JSON', async () => {
  const { handler } = setup()
  const r = await call(handler, '/auth/login', { form: { login: 'bob', password: 'hunter2 hunter2' }, csrf: false })
  assert.equal(assertTokenAnswer(r, NOW).sub, 'u-bob')
  refreshCookie(r)
})

test('login: malformed bodies answer 400 invalid_request without calling verifyUser', async () => {
  const { handler } = setup()
  const before = verifyCalls
  const cases = [
    { body: '{"login":"alice","password":"x"}', type: 'text/plain' },
    { body: '{"login":"alice","password":"x"}' },
    { body: 'not json', type: 'application/json' },
    { body: '["alice","x"]', type: 'application/json' },
    { body: '{"login":"alice"}', type: 'application/json' },
    { body: '{"login":"","password":"x"}', type: 'application/json' },
    { body: '{"login":"alice","password":42}', type: 'application/json' },
    { body: JSON.stringify({ login: 'a'.repeat(257), password: 'x' }), type: 'application/json' },
    { body: JSON.stringify({ login: 'alice', password: 'x'.repeat(9000) }), type: 'application/json' },
    { body: 'login=alice&login=bob&password=x', type: 'application/x-www-form-urlencoded' },
    { body: 'login=alice', type: 'application/x-www-form-urlencoded' },
  ]
  for (const c of cases) {
    const r = await call(handler, '/auth/login', { ...c, csrf: false })
    assert.equal(r.status, 400, c.body.slice(0, 40))
    assert.deepEqual(r.body, { error: 'invalid_request', error_description: 'The body must be { login, password } as JSON or form-encoded' })
    assert.deepEqual(r.cookies, [])
  }
  assert.equal(verifyCalls, before)
})

test('login: unknown login and wrong password answer the same 401 invalid_grant, and set no cookie', async () => {
  const { handler } = setup()
  const wrong = await login(handler, 'alice', 'wrong password')
  const unknown = await login(handler, 'mallory', 'wrong password')
  for (const r of [wrong, unknown]) {
    assert.equal(r.status, 401)
    assert.deepEqual(r.body, { error: 'invalid_grant' })
    assert.deepEqual(r.cookies, [])
    assert.equal(r.res.headers.get('cache-control'), 'no-store')
  }
  assert.deepEqual([...wrong.res.headers], [...unknown.res.headers])
})

test('login: checks Origin (login CSRF) but needs no CSRF header', async () => {
  const { handler } = setup()
  const refused = { error: 'invalid_request', error_description: 'The request origin is not allowed' }
  for (const origin of [null, 'https://evil.example', 'null', 'http://app.example', 'https://app.example:8443']) {
    const r = await login(handler, 'alice', 'correct horse battery staple', { origin })
    assert.equal(r.status, 403, String(origin))
    assert.deepEqual(r.body, refused)
    assert.deepEqual(r.cookies, [])
  }
  assert.equal((await login(handler)).status, 200)
  // allowedOrigins replaces the default (the request's own origin).
  const other = setup({ options: { allowedOrigins: ['https://spa.example'] } })
  assert.equal((await login(other.handler, 'alice', 'correct horse battery staple', { origin: 'https://spa.example' })).status, 200)
  assert.equal((await login(other.handler)).status, 403)
})

test('login throttle: after 5 failures for one login, 429 with Retry-After and verifyUser not called, until the window ends', async () => {
  const { handler, t } = setup()
  for (let i = 0; i < 5; i++) assert.equal((await login(handler, 'alice', `guess ${i}`)).status, 401)
  const before = verifyCalls
  t.now += 60
  // Even the right password waits: the login is locked, not the guess.
  const locked = await login(handler, 'alice', 'correct horse battery staple')
  assert.equal(locked.status, 429)
  assert.deepEqual(locked.body, { error: 'too_many_requests' })
  assert.equal(locked.res.headers.get('retry-after'), String(900 - 60))
  assert.deepEqual(locked.cookies, [])
  // The counter is per login, normalised (case, spaces, NFKC): "ALICE " is alice.
  assert.equal((await login(handler, ' ALICE ', 'x')).status, 429)
  assert.equal(verifyCalls, before)
  // Other logins are not affected.
  assert.equal((await login(handler, 'bob', 'hunter2 hunter2')).status, 200)
  // The window is fixed from the first failure: at 900 s it ends.
  t.now = NOW + 899
  assert.equal((await login(handler, 'alice', 'correct horse battery staple')).status, 429)
  t.now = NOW + 900
  assert.equal((await login(handler, 'alice', 'correct horse battery staple')).status, 200)
})

test('login throttle: a success clears the counter; loginThrottle options and false', async () => {
  const { handler } = setup({ options: { loginThrottle: { maxFailures: 2, windowSeconds: 60 } } })
  assert.equal((await login(handler, 'alice', 'a')).status, 401)
  assert.equal((await login(handler, 'alice', 'correct horse battery staple')).status, 200)
  assert.equal((await login(handler, 'alice', 'b')).status, 401)
  assert.equal((await login(handler, 'alice', 'c')).status, 401)
  const r = await login(handler, 'alice', 'd')
  assert.equal(r.status, 429)
  assert.equal(r.res.headers.get('retry-after'), '60')
  const off = setup({ options: { loginThrottle: false } })
  for (let i = 0; i < 8; i++) assert.equal((await login(off.handler, 'alice', 'wrong')).status, 401)
})

test('login: a new login in the same browser revokes the family of the cookie it replaces', async () => {
  const { handler } = setup()
  const first = refreshCookie(await login(handler))
  const second = refreshCookie(await login(handler, 'alice', 'correct horse battery staple', { cookie: `jwt_rt=${first.value}` }))
  assert.notEqual(first.familyId, second.familyId)
  assert.equal((await refresh(handler, first.value)).status, 401)
  assert.equal((await refresh(handler, second.value)).status, 200)
})

test('login: the random option drives family id and secret; signer as (env) => key is resolved once', async () => {
  let n = 0
  let resolved = 0
  const { handler } = setup({
    options: {
      random: (len) => Uint8Array.from({ length: len }, () => n++ & 255),
      signer: (env) => {
        resolved++
        return { kid: env.KID, alg: 'HS256', secret: ACCESS_KEY.secret }
      },
    },
  })
  const env = { KID: 'at-2026-01' }
  const r1 = await handler(request('/auth/login', { json: { login: 'alice', password: 'correct horse battery staple' } }), env, {})
  const rt = RT.exec(r1.headers.getSetCookie()[0])
  assert.equal(rt[1], b64url(Uint8Array.from({ length: 16 }, (_, i) => i)))
  assert.equal(rt[2], b64url(Uint8Array.from({ length: 32 }, (_, i) => 16 + i)))
  const r2 = await handler(request('/auth/refresh', { cookie: `jwt_rt=${rt[1]}.${rt[2]}` }), env, {})
  assert.equal(r2.status, 200)
  assert.equal(verifier.verify((await r2.json()).access_token, at(NOW)).header.kid, 'at-2026-01')
  assert.equal(resolved, 1)
})

test('login: verifyUser may not set reserved claims (a programming error: the handler rejects)', async () => {
  const { handler } = setup({ options: { verifyUser: async () => ({ sub: 'u1', claims: { exp: 1 } }) } })
  await assert.rejects(handler(request('/auth/login', { json: { login: 'a', password: 'b' } }), {}, {}), /must not set "exp"/)
})

// ---- Authenticated call ----

test('authenticated call: the access token from login passes the guard; none or a forged one does not', async () => {
  const { handler } = setup()
  const r = await login(handler)
  const api = guard((req, env, ctx, auth) => Response.json({ sub: auth.payload.sub, role: auth.payload.role }), {
    keys: [ACCESS_KEY],
    algorithms: ['HS256'],
    issuer: 'https://app.example',
    audience: 'api',
    clock: () => new Date((NOW + 10) * 1000),
  })
  const ask = (token) => api(new Request(`${ORIGIN}/api/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), {}, {})
  const ok = await ask(r.body.access_token)
  assert.equal(ok.status, 200)
  assert.deepEqual(await ok.json(), { sub: 'u-alice', role: 'admin' })
  assert.equal((await ask()).status, 401)
  assert.equal((await ask(r.body.access_token.slice(0, -2) + 'AA')).status, 401)
})

// ---- Refresh, rotation, reuse, grace ----

test('refresh: rotates to the derived successor; new access token; Max-Age is the remaining absolute lifetime', async () => {
  const { handler, t, store } = setup()
  const rt0 = refreshCookie(await login(handler))
  t.now += 600
  const r = await refresh(handler, rt0.value)
  const payload = assertTokenAnswer(r, NOW + 600)
  assert.equal(payload.sub, 'u-alice')
  assert.equal(payload.role, 'admin')
  const rt1 = refreshCookie(r, LIFETIME - 600)
  assert.equal(rt1.familyId, rt0.familyId)
  assert.equal(rt1.secret, successorOf(rt0.familyId, rt0.secret))
  assert.equal(r.cookies.length, 1)
  assert.equal(r.cookies[0], `jwt_rt=${rt1.value}; HttpOnly; Secure; SameSite=Strict; Path=/auth; Max-Age=${LIFETIME - 600}`)
  const record = await store.read(rt0.familyId)
  assert.equal(record.current, sha256(rt1.secret))
  assert.deepEqual(record.previous, { hash: sha256(rt0.secret), rotatedAt: NOW + 600 })
  assert.equal(record.lastUsedAt, NOW + 600)
  assert.equal(record.expiresAt, NOW + LIFETIME)
  // And again: a chain.
  t.now += 600
  const rt2 = refreshCookie(await refresh(handler, rt1.value), LIFETIME - 1200)
  assert.equal(rt2.secret, successorOf(rt1.familyId, rt1.secret))
})

test('reuse: a spent token (outside the grace window) revokes the whole family: 401 invalid_grant, cookie cleared', async () => {
  const { handler, t, store } = setup()
  const rt0 = refreshCookie(await login(handler))
  t.now += 60
  const rt1 = refreshCookie(await refresh(handler, rt0.value), LIFETIME - 60)
  t.now += 11 // grace is 10 s
  const reuse = await refresh(handler, rt0.value)
  assert.equal(reuse.status, 401)
  assert.deepEqual(reuse.body, { error: 'invalid_grant' })
  assert.deepEqual(reuse.cookies, [CLEAR])
  assert.equal(reuse.res.headers.get('cache-control'), 'no-store')
  assert.equal(await store.read(rt0.familyId), null)
  // The legitimate holder of the current token is logged out too (RFC 9700 §4.14).
  const current = await refresh(handler, rt1.value)
  assert.equal(current.status, 401)
  assert.deepEqual(current.cookies, [CLEAR])
})

test('reuse: a token two generations old revokes, even inside the grace window', async () => {
  const { handler, t } = setup()
  const rt0 = refreshCookie(await login(handler))
  t.now += 60
  const rt1 = refreshCookie(await refresh(handler, rt0.value), LIFETIME - 60)
  t.now += 1
  const rt2 = refreshCookie(await refresh(handler, rt1.value), LIFETIME - 61)
  t.now += 1
  assert.equal((await refresh(handler, rt0.value)).status, 401)
  assert.equal((await refresh(handler, rt2.value)).status, 401)
})

test('reuse: a guessed secret with a real family id revokes the family; a malformed or missing cookie is 401 and cleared', async () => {
  const { handler } = setup()
  const rt0 = refreshCookie(await login(handler))
  for (const cookie of [undefined, 'garbage', `${rt0.familyId}.short`, `${rt0.value}x`, `${rt0.familyId}`]) {
    const r = await refresh(handler, cookie)
    assert.equal(r.status, 401, String(cookie))
    assert.deepEqual(r.body, { error: 'invalid_grant' })
    assert.deepEqual(r.cookies, [CLEAR])
  }
  const rt1 = refreshCookie(await refresh(handler, rt0.value))
  assert.equal(rt1.secret, successorOf(rt0.familyId, rt0.secret), 'malformed cookies did not touch the family')
  const guessed = await refresh(handler, `${rt0.familyId}.${'A'.repeat(43)}`)
  assert.equal(guessed.status, 401)
  assert.deepEqual(guessed.cookies, [CLEAR])
  assert.equal((await refresh(handler, rt1.value)).status, 401, 'the family was revoked')
  const unknown = await refresh(handler, `${'B'.repeat(22)}.${'A'.repeat(43)}`)
  assert.equal(unknown.status, 401)
  assert.deepEqual(unknown.cookies, [CLEAR])
})

test('grace: inside the window the immediate predecessor gets the same successor again (every time), and nothing rotates', async () => {
  const { handler, t, store } = setup()
  const rt0 = refreshCookie(await login(handler))
  t.now += 100
  const first = await refresh(handler, rt0.value)
  const rt1 = refreshCookie(first, LIFETIME - 100)
  const record = await store.read(rt0.familyId)
  for (const dt of [0, 3, 10]) {
    t.now = NOW + 100 + dt
    const again = await refresh(handler, rt0.value)
    assertTokenAnswer(again, t.now)
    assert.deepEqual(again.cookies, [`jwt_rt=${rt1.value}; HttpOnly; Secure; SameSite=Strict; Path=/auth; Max-Age=${LIFETIME - 100 - dt}`])
  }
  assert.deepEqual(await store.read(rt0.familyId), record, 'grace answers change nothing')
  // The successor still rotates normally afterwards.
  const rt2 = refreshCookie(await refresh(handler, rt1.value), LIFETIME - 110)
  assert.equal(rt2.secret, successorOf(rt1.familyId, rt1.secret))
})

test('grace: not past the window (10 s), and not once the successor itself was used', async () => {
  const late = setup()
  let rt0 = refreshCookie(await login(late.handler))
  late.t.now += 100
  refreshCookie(await refresh(late.handler, rt0.value), LIFETIME - 100)
  late.t.now += 11
  assert.equal((await refresh(late.handler, rt0.value)).status, 401)

  const used = setup()
  rt0 = refreshCookie(await login(used.handler))
  used.t.now += 100
  const rt1 = refreshCookie(await refresh(used.handler, rt0.value), LIFETIME - 100)
  used.t.now += 2
  refreshCookie(await refresh(used.handler, rt1.value), LIFETIME - 102)
  used.t.now += 1
  const r = await refresh(used.handler, rt0.value)
  assert.equal(r.status, 401, 'the predecessor of a rotated successor is reuse')
  assert.deepEqual(r.cookies, [CLEAR])
})

test('grace: only the successor the store holds is answered (a grace retry straddling a refreshSecret change is reuse)', async () => {
  const a = setup()
  const b = setup({ store: a.store, options: { refreshSecret: 'another-refresh-secret-0123456789abcdef' } })
  const rt0 = refreshCookie(await login(a.handler))
  a.t.now += 5
  b.t.now += 6
  const rt1 = refreshCookie(await refresh(a.handler, rt0.value), LIFETIME - 5)
  const r = await refresh(b.handler, rt0.value)
  assert.equal(r.status, 401)
  assert.deepEqual(r.cookies, [CLEAR])
  assert.equal((await refresh(a.handler, rt1.value)).status, 401, 'the family was revoked')
})

test('grace: graceSeconds is configurable; 0 disables it', async () => {
  const none = setup({ options: { graceSeconds: 0 } })
  const rt0 = refreshCookie(await login(none.handler))
  none.t.now += 5
  refreshCookie(await refresh(none.handler, rt0.value), LIFETIME - 5)
  // Even in the same second: reuse.
  assert.equal((await refresh(none.handler, rt0.value)).status, 401)

  const long = setup({ options: { graceSeconds: 30 } })
  const r0 = refreshCookie(await login(long.handler))
  long.t.now += 5
  const r1 = refreshCookie(await refresh(long.handler, r0.value), LIFETIME - 5)
  long.t.now += 30
  assert.equal(refreshCookie(await refresh(long.handler, r0.value), LIFETIME - 35).value, r1.value)
})

test('lifetimes: the absolute lifetime is never extended by rotation', async () => {
  const { handler, t } = setup()
  let rt = refreshCookie(await login(handler))
  // Refresh every 12 h (inside the 24 h idle timeout) for 14 days.
  for (let i = 1; i < 28; i++) {
    t.now = NOW + i * 12 * 3600
    rt = refreshCookie(await refresh(handler, rt.value), LIFETIME - i * 12 * 3600)
  }
  t.now = NOW + LIFETIME
  const r = await refresh(handler, rt.value)
  assert.equal(r.status, 401)
  assert.deepEqual(r.cookies, [CLEAR])
})

test('lifetimes: the idle timeout (default 24 h) ends a family not refreshed in time; idleTimeout is configurable', async () => {
  const { handler, t } = setup()
  const rt0 = refreshCookie(await login(handler))
  t.now += DAY
  const rt1 = refreshCookie(await refresh(handler, rt0.value), LIFETIME - DAY)
  t.now += DAY + 1
  const r = await refresh(handler, rt1.value)
  assert.equal(r.status, 401)
  assert.deepEqual(r.cookies, [CLEAR])

  const short = setup({ options: { idleTimeout: 3600, familyLifetime: 7200 } })
  const s0 = refreshCookie(await login(short.handler), 7200)
  short.t.now += 3601
  assert.equal((await refresh(short.handler, s0.value)).status, 401)
})

// ---- Logout ----

test('logout: 204, the family revoked, the cookie cleared exactly; idempotent without a cookie', async () => {
  const { handler, store } = setup()
  const rt0 = refreshCookie(await login(handler))
  const r = await logout(handler, rt0.value)
  assert.equal(r.status, 204)
  assert.equal(r.body, null)
  assert.deepEqual(r.cookies, [CLEAR])
  assert.equal(r.res.headers.get('cache-control'), 'no-store')
  assert.equal(await store.read(rt0.familyId), null)
  assert.equal((await refresh(handler, rt0.value)).status, 401)
  const again = await logout(handler)
  assert.equal(again.status, 204)
  assert.deepEqual(again.cookies, [CLEAR])
})

// ---- Cookie tossing ----

/** A memory store that records every call. */
function recordingStore() {
  const inner = memoryStore()
  const calls = []
  const store = { calls }
  for (const name of ['create', 'rotate', 'revoke', 'read', 'hit', 'clear']) {
    store[name] = (...args) => {
      calls.push(name)
      return inner[name](...args)
    }
  }
  return store
}

test('cookie tossing: the refresh cookie twice is 400 invalid_request on every route; nothing is read, counted or revoked', async () => {
  const { handler, store } = setup({ store: recordingStore() })
  const victim = refreshCookie(await login(handler))
  const planted = refreshCookie(await login(handler, 'bob', 'hunter2 hunter2'))
  const records = [await store.read(victim.familyId), await store.read(planted.familyId)]
  const twice = { error: 'invalid_request', error_description: 'The request carries the jwt_rt cookie more than once' }
  const storeCalls = store.calls.length
  const before = verifyCalls
  const cookies = [
    `jwt_rt=${planted.value}; jwt_rt=${victim.value}`,
    `jwt_rt=${victim.value}; jwt_rt=${victim.value}`,
    `jwt_rt=; jwt_rt=${victim.value}`,
  ]
  for (const cookie of cookies) {
    const answers = [
      await call(handler, '/auth/refresh', { cookie }),
      await call(handler, '/auth/logout', { cookie }),
      await login(handler, 'alice', 'correct horse battery staple', { cookie }),
    ]
    for (const r of answers) {
      assert.equal(r.status, 400, cookie)
      assert.deepEqual(r.body, twice)
      assert.deepEqual(r.cookies, [], 'no cookie is set or cleared')
      assert.equal(r.res.headers.get('cache-control'), 'no-store')
    }
  }
  assert.equal(store.calls.length, storeCalls, 'the store was not touched')
  assert.equal(verifyCalls, before, 'login did not check the password')
  assert.deepEqual([await store.read(victim.familyId), await store.read(planted.familyId)], records)
  // With one cookie again, both families carry on.
  assert.equal((await refresh(handler, victim.value)).status, 200)
  assert.equal((await refresh(handler, planted.value)).status, 200)
})

test('cookie tossing: a planted second device cookie is 400 on refresh and revokes nothing (it used to revoke as theft)', async () => {
  const { handler, store } = setup({ options: { bind: 'device', deviceSecret: DEVICE_SECRET } })
  const victim = await login(handler)
  const rt = refreshCookie(victim)
  const device = /^jwt_device=([\w-]{43});/.exec(victim.cookies[1])[1]
  const attacker = /^jwt_device=([\w-]{43});/.exec((await login(handler, 'bob', 'hunter2 hunter2')).cookies[1])[1]
  const record = await store.read(rt.familyId)
  const twice = { error: 'invalid_request', error_description: 'The request carries the jwt_device cookie more than once' }
  const cookies = [
    `jwt_rt=${rt.value}; jwt_device=${attacker}; jwt_device=${device}`,
    `jwt_rt=${rt.value}; jwt_device=${device}; jwt_device=${device}`,
  ]
  for (const cookie of cookies) {
    const r = await refresh(handler, rt.value, { cookie })
    assert.equal(r.status, 400, cookie)
    assert.deepEqual(r.body, twice)
    assert.deepEqual(r.cookies, [])
  }
  assert.deepEqual(await store.read(rt.familyId), record)
  assert.equal((await refresh(handler, rt.value, { cookie: `jwt_rt=${rt.value}; jwt_device=${device}` })).status, 200)
})

// ---- CSRF ----

test('CSRF: refresh and logout need an allowed Origin and the X-Requested-With header; refused requests change nothing', async () => {
  const { handler, store } = setup()
  const rt0 = refreshCookie(await login(handler))
  const record = await store.read(rt0.familyId)
  const noOrigin = { error: 'invalid_request', error_description: 'The request origin is not allowed' }
  const noHeader = { error: 'invalid_request', error_description: 'The X-Requested-With header is required' }
  for (const path of ['/auth/refresh', '/auth/logout']) {
    const attempts = [
      [{ origin: null }, noOrigin],
      [{ origin: 'https://evil.example' }, noOrigin],
      [{ origin: 'null' }, noOrigin],
      [{ origin: 'https://app.example.evil.example' }, noOrigin],
      [{ csrf: false }, noHeader],
      [{ csrf: false, headers: { 'x-requested-with': '' } }, noHeader],
      // A cross-site form post: no custom header, foreign origin.
      [{ csrf: false, origin: 'https://evil.example', form: { a: '1' } }, noOrigin],
    ]
    for (const [init, body] of attempts) {
      const r = await call(handler, path, { cookie: `jwt_rt=${rt0.value}`, ...init })
      assert.equal(r.status, 403, `${path} ${JSON.stringify(init)}`)
      assert.deepEqual(r.body, body)
      assert.deepEqual(r.cookies, [])
    }
  }
  assert.deepEqual(await store.read(rt0.familyId), record)
  assert.equal((await refresh(handler, rt0.value)).status, 200)
})

test('CSRF: csrfHeader and basePath options; the cookie path follows basePath', async () => {
  const { handler } = setup({ options: { csrfHeader: 'X-CSRF', basePath: '/api/auth', cookieName: '__Secure-rt' } })
  const r = await call(handler, '/api/auth/login', { json: { login: 'alice', password: 'correct horse battery staple' } })
  assert.equal(r.status, 200)
  const m = /^__Secure-rt=([\w-]{22}\.[\w-]{43}); HttpOnly; Secure; SameSite=Strict; Path=\/api\/auth; Max-Age=1209600$/.exec(r.cookies[0])
  assert.ok(m, r.cookies[0])
  assert.equal(await handler(request('/auth/refresh'), {}, {}), null)
  const refused = await call(handler, '/api/auth/refresh', { cookie: `__Secure-rt=${m[1]}` })
  assert.equal(refused.status, 403)
  assert.deepEqual(refused.body, { error: 'invalid_request', error_description: 'The X-CSRF header is required' })
  const ok = await call(handler, '/api/auth/refresh', { csrf: false, headers: { 'x-csrf': '1' }, cookie: `__Secure-rt=${m[1]}` })
  assert.equal(ok.status, 200)
  const out = await call(handler, '/api/auth/logout', { csrf: false, headers: { 'x-csrf': '1' }, cookie: `__Secure-rt=${m[1]}` })
  assert.deepEqual(out.cookies, ['__Secure-rt=; HttpOnly; Secure; SameSite=Strict; Path=/api/auth; Max-Age=0'])
})

// ---- Store unavailable ----

function brokenStore(broken = () => true) {
  const inner = memoryStore()
  const store = {}
  for (const name of ['create', 'rotate', 'revoke', 'read', 'hit', 'clear']) {
    store[name] = async (...args) => {
      if (broken(name)) throw new Error(`store down (${name})`)
      return inner[name](...args)
    }
  }
  return store
}

test('store unavailable: login, refresh and logout answer 503 temporarily_unavailable, never 200, never a cookie change; the guard is unaffected', async () => {
  let down = false
  const errors = []
  const { handler } = setup({ store: brokenStore(() => down), options: { onError: (e, { route }) => errors.push(`${route}: ${e.message}`) } })
  const ok = await login(handler)
  const rt0 = refreshCookie(ok)
  down = true
  const before = verifyCalls
  const unavailable = { error: 'temporarily_unavailable' }
  for (const r of [await login(handler), await refresh(handler, rt0.value), await logout(handler, rt0.value)]) {
    assert.equal(r.status, 503)
    assert.deepEqual(r.body, unavailable)
    assert.deepEqual(r.cookies, [])
    assert.equal(r.res.headers.get('cache-control'), 'no-store')
  }
  assert.equal(verifyCalls, before, 'no password check while the throttle counter is unavailable')
  assert.deepEqual(errors, ['login: store down (hit)', 'refresh: store down (rotate)', 'logout: store down (revoke)'])
  // The guard needs no store.
  const api = guard(() => new Response('ok'), { keys: [ACCESS_KEY], algorithms: ['HS256'], issuer: 'https://app.example', audience: 'api', clock: () => new Date(NOW * 1000) })
  const res = await api(new Request(`${ORIGIN}/api`, { headers: { authorization: `Bearer ${ok.body.access_token}` } }), {}, {})
  assert.equal(res.status, 200)
  // Back up: the family was untouched by the failures.
  down = false
  assert.equal((await refresh(handler, rt0.value)).status, 200)
})

test('store unavailable: a failure while creating the family answers 503, and a throwing verifyUser too', async () => {
  const errors = []
  const { handler } = setup({ store: brokenStore((name) => name === 'create'), options: { onError: (e) => errors.push(e.message) } })
  const r = await login(handler)
  assert.equal(r.status, 503)
  assert.deepEqual(r.cookies, [])
  const failing = setup({
    options: {
      verifyUser: async () => {
        throw new Error('D1 down')
      },
      onError: (e) => errors.push(e.message),
    },
  })
  assert.equal((await login(failing.handler)).status, 503)
  assert.deepEqual(errors, ['store down (create)', 'D1 down'])
})

// ---- Device binding ----

test('device binding: a device cookie, only its HMAC in the token; the guard needs the matching cookie', async () => {
  const { handler, t, store } = setup({ options: { bind: 'device', deviceSecret: DEVICE_SECRET } })
  const r = await login(handler)
  const payload = assertTokenAnswer(r, NOW)
  assert.equal(r.cookies.length, 2)
  const rt0 = refreshCookie(r)
  const m = /^jwt_device=([A-Za-z0-9_-]{43}); HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=1209600$/.exec(r.cookies[1])
  assert.ok(m, r.cookies[1])
  const deviceId = m[1]
  const dvh = b64url(createHmac('sha256', DEVICE_SECRET).update(deviceId).digest())
  assert.equal(payload.dvh, dvh)
  assert.ok(!r.body.access_token.includes(deviceId) && !Buffer.from(r.body.access_token.split('.')[1], 'base64url').toString().includes(deviceId))
  assert.equal((await store.read(rt0.familyId)).dvh, dvh)

  const api = guard(() => new Response('ok'), {
    keys: [ACCESS_KEY],
    algorithms: ['HS256'],
    issuer: 'https://app.example',
    audience: 'api',
    bind: 'device',
    deviceSecret: DEVICE_SECRET,
    clock: () => new Date(NOW * 1000),
  })
  const ask = (cookie) =>
    api(new Request(`${ORIGIN}/api`, { headers: { authorization: `Bearer ${r.body.access_token}`, ...(cookie ? { cookie } : {}) } }), {}, {})
  assert.equal((await ask(`jwt_device=${deviceId}`)).status, 200)
  assert.equal((await ask()).status, 401)
  assert.equal((await ask(`jwt_device=${'x'.repeat(43)}`)).status, 401)

  // Refresh needs the device cookie; the new token carries the same dvh.
  t.now += 60
  const without = await refresh(handler, rt0.value)
  assert.equal(without.status, 401)
  assert.deepEqual(without.body, { error: 'invalid_grant' })
  assert.deepEqual(without.cookies, [CLEAR])
  const ok = await refresh(handler, rt0.value, { cookie: `jwt_rt=${rt0.value}; jwt_device=${deviceId}` })
  assert.equal(assertTokenAnswer(ok, NOW + 60).dvh, dvh)
  assert.equal(ok.cookies.length, 1, 'refresh does not re-set the device cookie')
  const rt1 = refreshCookie(ok, LIFETIME - 60)

  // Logout clears both cookies.
  const out = await logout(handler, rt1.value, { cookie: `jwt_rt=${rt1.value}; jwt_device=${deviceId}` })
  assert.equal(out.status, 204)
  assert.deepEqual(out.cookies, [CLEAR, 'jwt_device=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0'])
})

test("device binding: a refresh token presented with another device's cookie revokes its family", async () => {
  const { handler, store } = setup({ options: { bind: 'device', deviceSecret: DEVICE_SECRET } })
  const victim = await login(handler)
  const rt = refreshCookie(victim)
  const attacker = await login(handler, 'bob', 'hunter2 hunter2')
  const attackerDevice = /^jwt_device=([\w-]{43});/.exec(attacker.cookies[1])[1]
  const r = await refresh(handler, rt.value, { cookie: `jwt_rt=${rt.value}; jwt_device=${attackerDevice}` })
  assert.equal(r.status, 401)
  assert.deepEqual(r.cookies, [CLEAR])
  assert.equal(await store.read(rt.familyId), null)
})
