// authRoutes (jwt-wasm/edge) in Node, the way in: option validation, routing, login (bodies,
// Origin, throttling, the random source, reserved claims) and an authenticated call through the
// guard with the token login minted. Harness: ./auth-harness.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { authRoutes, memoryStore, guard } from 'jwt-wasm/edge'
import {
  NOW,
  ORIGIN,
  ACCESS_KEY,
  REFRESH_SECRET,
  DEVICE_SECRET,
  LIFETIME,
  RT,
  b64url,
  sha256,
  verifyCalls,
  verifyUser,
  setup,
  request,
  call,
  login,
  refresh,
  refreshCookie,
  verifier,
  at,
  assertTokenAnswer,
  tagged,
} from './auth-harness.mjs'

// ---- Options ----

test('options: unknown, missing or invalid options throw TypeError ERR_INVALID_OPTIONS at authRoutes() time', () => {
  const base = { signer: { key: ACCESS_KEY }, verifyUser, store: () => memoryStore(), refreshSecret: REFRESH_SECRET }
  const bad = (o) =>
    assert.throws(
      () => authRoutes(o),
      (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS',
    )
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
  bad({ ...base, cookieName: '__Host-jwt_device' })
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
  assert.throws(() => authRoutes({ ...base, signer: { key: { alg: 'HS256', secret: 'short' } } }), {
    code: 'ERR_KEY_INVALID',
  })
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
  assert.equal(r.cookies.length, 2)
  const rt = refreshCookie(r)
  assert.equal(r.cookies[0], `__Host-jwt_rt=${rt.value}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=1209600`)
  // The known-device cookie of the throttle: a nonce and its HMAC with the login, 400 days.
  assert.match(
    r.cookies[1],
    /^__Host-jwt_known=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=34560000$/,
  )
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
    assert.deepEqual(r.body, {
      error: 'invalid_request',
      error_description: 'The body must be { login, password } as JSON or form-encoded',
    })
    assert.deepEqual(r.cookies, [])
  }
  assert.equal(verifyCalls, before)
})

test('login: unknown login and wrong password answer the same 400 invalid_grant, and set no cookie', async () => {
  const { handler } = setup()
  const wrong = await login(handler, 'alice', 'wrong password')
  const unknown = await login(handler, 'mallory', 'wrong password')
  for (const r of [wrong, unknown]) {
    assert.equal(r.status, 400)
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
  // allowedOrigins is the whole list: the request's own origin is not added to it.
  const other = setup({ options: { allowedOrigins: ['https://spa.example'] } })
  assert.equal(
    (await login(other.handler, 'alice', 'correct horse battery staple', { origin: 'https://spa.example' })).status,
    200,
  )
  assert.equal((await login(other.handler)).status, 403)
})

test('login throttle: after 5 failures for one login, 429 with Retry-After and verifyUser not called, until the window ends', async () => {
  const { handler, t } = setup()
  for (let i = 0; i < 5; i++) assert.equal((await login(handler, 'alice', `guess ${i}`)).status, 400)
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
  assert.equal((await login(handler, 'alice', 'a')).status, 400)
  assert.equal((await login(handler, 'alice', 'correct horse battery staple')).status, 200)
  assert.equal((await login(handler, 'alice', 'b')).status, 400)
  assert.equal((await login(handler, 'alice', 'c')).status, 400)
  const r = await login(handler, 'alice', 'd')
  assert.equal(r.status, 429)
  assert.equal(r.res.headers.get('retry-after'), '60')
  const off = setup({ options: { loginThrottle: false } })
  for (let i = 0; i < 8; i++) assert.equal((await login(off.handler, 'alice', 'wrong')).status, 400)
})

test('login: a new login in the same browser revokes the family of the cookie it replaces', async () => {
  const { handler } = setup()
  const first = refreshCookie(await login(handler))
  const second = refreshCookie(
    await login(handler, 'alice', 'correct horse battery staple', { cookie: `__Host-jwt_rt=${first.value}` }),
  )
  assert.notEqual(first.familyId, second.familyId)
  assert.equal((await refresh(handler, first.value)).status, 400)
  assert.equal((await refresh(handler, second.value)).status, 200)
})

test('login: an old cookie with a secret never issued for its family revokes nothing; a spent one of the family does', async () => {
  const { handler, t } = setup()
  const victim = refreshCookie(await login(handler))
  const forged = `${victim.familyId}.${'A'.repeat(43)}`
  refreshCookie(await login(handler, 'bob', 'hunter2 hunter2', { cookie: `__Host-jwt_rt=${forged}` }))
  const next = refreshCookie(await refresh(handler, victim.value))
  assert.equal(next.familyId, victim.familyId, 'the victim family lives on')
  t.now += 11
  refreshCookie(
    await login(handler, 'alice', 'correct horse battery staple', { cookie: `__Host-jwt_rt=${victim.value}` }),
    LIFETIME,
  )
  assert.equal((await refresh(handler, next.value)).status, 400, 'a spent secret of the family revoked it')
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
  const r1 = await handler(
    request('/auth/login', { json: { login: 'alice', password: 'correct horse battery staple' } }),
    env,
    {},
  )
  const rt = RT.exec(r1.headers.getSetCookie()[0])
  assert.equal(rt[1], b64url(Uint8Array.from({ length: 16 }, (_, i) => i)))
  assert.equal(rt[2], tagged(rt[1], b64url(Uint8Array.from({ length: 16 }, (_, i) => 16 + i)).slice(0, 21)))
  const r2 = await handler(request('/auth/refresh', { cookie: `__Host-jwt_rt=${rt[1]}.${rt[2]}` }), env, {})
  assert.equal(r2.status, 200)
  assert.equal(verifier.verify((await r2.json()).access_token, at(NOW)).header.kid, 'at-2026-01')
  assert.equal(resolved, 1)
})

test('login: verifyUser may not set reserved claims (a programming error: reported, answered 500 with the safe headers)', async () => {
  const reported = []
  const { handler } = setup({
    options: {
      verifyUser: async () => ({ sub: 'u1', claims: { exp: 1 } }),
      onError: (e, { route }) => reported.push([route, e.message]),
    },
  })
  const res = await handler(request('/auth/login', { json: { login: 'a', password: 'b' } }), {}, {})
  assert.equal(res.status, 500)
  assert.equal(res.headers.get('cache-control'), 'no-store')
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
  assert.deepEqual(await res.json(), { error: 'server_error' })
  assert.equal(reported.length, 1)
  assert.equal(reported[0][0], 'login')
  assert.match(reported[0][1], /must not set "exp"/)
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
  const ask = (token) =>
    api(new Request(`${ORIGIN}/api/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), {}, {})
  const ok = await ask(r.body.access_token)
  assert.equal(ok.status, 200)
  assert.deepEqual(await ok.json(), { sub: 'u-alice', role: 'admin' })
  assert.equal((await ask()).status, 401)
  assert.equal((await ask(r.body.access_token.slice(0, -2) + 'AA')).status, 401)
})
