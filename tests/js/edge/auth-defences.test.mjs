// authRoutes (jwt-wasm/edge) in Node, the defences: cookie tossing (a cookie sent twice), CSRF
// refusals and the csrfHeader/basePath options, a store that is down, and device binding.
// Harness: ./auth-harness.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { guard } from 'jwt-wasm/edge'
import {
  NOW,
  ORIGIN,
  ACCESS_KEY,
  DEVICE_SECRET,
  LIFETIME,
  CLEAR,
  b64url,
  verifyCalls,
  setup,
  request,
  call,
  login,
  refresh,
  logout,
  refreshCookie,
  assertTokenAnswer,
  storeSpy,
  brokenStore,
} from './auth-harness.mjs'

// ---- Cookie tossing ----

test('cookie tossing: the refresh cookie twice is 400 invalid_request on every route; nothing is read, counted or revoked', async () => {
  const { handler, store } = setup({ store: storeSpy() })
  const victim = refreshCookie(await login(handler))
  const planted = refreshCookie(await login(handler, 'bob', 'hunter2 hunter2'))
  const records = [await store.read(victim.familyId), await store.read(planted.familyId)]
  const twice = {
    error: 'invalid_request',
    error_description: 'The request carries the __Host-jwt_rt cookie more than once',
  }
  const storeCalls = store.calls.length
  const before = verifyCalls
  const cookies = [
    `__Host-jwt_rt=${planted.value}; __Host-jwt_rt=${victim.value}`,
    `__Host-jwt_rt=${victim.value}; __Host-jwt_rt=${victim.value}`,
    `__Host-jwt_rt=; __Host-jwt_rt=${victim.value}`,
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
  const device = /^__Host-jwt_device=([\w-]{43});/.exec(victim.cookies[1])[1]
  const attacker = /^__Host-jwt_device=([\w-]{43});/.exec(
    (await login(handler, 'bob', 'hunter2 hunter2')).cookies[1],
  )[1]
  const record = await store.read(rt.familyId)
  const twice = {
    error: 'invalid_request',
    error_description: 'The request carries the __Host-jwt_device cookie more than once',
  }
  const cookies = [
    `__Host-jwt_rt=${rt.value}; __Host-jwt_device=${attacker}; __Host-jwt_device=${device}`,
    `__Host-jwt_rt=${rt.value}; __Host-jwt_device=${device}; __Host-jwt_device=${device}`,
  ]
  for (const cookie of cookies) {
    const r = await refresh(handler, rt.value, { cookie })
    assert.equal(r.status, 400, cookie)
    assert.deepEqual(r.body, twice)
    assert.deepEqual(r.cookies, [])
  }
  assert.deepEqual(await store.read(rt.familyId), record)
  assert.equal(
    (await refresh(handler, rt.value, { cookie: `__Host-jwt_rt=${rt.value}; __Host-jwt_device=${device}` })).status,
    200,
  )
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
      const r = await call(handler, path, { cookie: `__Host-jwt_rt=${rt0.value}`, ...init })
      assert.equal(r.status, 403, `${path} ${JSON.stringify(init)}`)
      assert.deepEqual(r.body, body)
      assert.deepEqual(r.cookies, [])
    }
  }
  assert.deepEqual(await store.read(rt0.familyId), record)
  assert.equal((await refresh(handler, rt0.value)).status, 200)
})

test('CSRF: csrfHeader, basePath and cookiePath options (a __Secure- name may keep the cookie to the routes)', async () => {
  const { handler } = setup({
    options: { csrfHeader: 'X-CSRF', basePath: '/api/auth', cookieName: '__Secure-rt', cookiePath: '/api/auth' },
  })
  const r = await call(handler, '/api/auth/login', {
    json: { login: 'alice', password: 'correct horse battery staple' },
  })
  assert.equal(r.status, 200)
  const m =
    /^__Secure-rt=([\w-]{22}\.[\w-]{43}); HttpOnly; Secure; SameSite=Strict; Path=\/api\/auth; Max-Age=1209600$/.exec(
      r.cookies[0],
    )
  assert.ok(m, r.cookies[0])
  assert.equal(await handler(request('/auth/refresh'), {}, {}), null)
  const refused = await call(handler, '/api/auth/refresh', { cookie: `__Secure-rt=${m[1]}` })
  assert.equal(refused.status, 403)
  assert.deepEqual(refused.body, { error: 'invalid_request', error_description: 'The X-CSRF header is required' })
  const ok = await call(handler, '/api/auth/refresh', {
    csrf: false,
    headers: { 'x-csrf': '1' },
    cookie: `__Secure-rt=${m[1]}`,
  })
  assert.equal(ok.status, 200)
  const out = await call(handler, '/api/auth/logout', {
    csrf: false,
    headers: { 'x-csrf': '1' },
    cookie: `__Secure-rt=${m[1]}`,
  })
  assert.deepEqual(out.cookies, ['__Secure-rt=; HttpOnly; Secure; SameSite=Strict; Path=/api/auth; Max-Age=0'])
})

// ---- Store unavailable ----

test('store unavailable: login, refresh and logout answer 503 temporarily_unavailable, never 200, never a cookie change; the guard is unaffected', async () => {
  let down = false
  const errors = []
  const { handler } = setup({
    store: brokenStore(() => down),
    options: { onError: (e, { route }) => errors.push(`${route}: ${e.message}`) },
  })
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
  assert.equal(verifyCalls, before + 1, 'login reaches the store only after the password check')
  assert.deepEqual(errors, [
    'login: store down (create)',
    'refresh: store down (rotate)',
    'logout: store down (revoke)',
  ])
  // The guard needs no store.
  const api = guard(() => new Response('ok'), {
    keys: [ACCESS_KEY],
    algorithms: ['HS256'],
    issuer: 'https://app.example',
    audience: 'api',
    clock: () => new Date(NOW * 1000),
  })
  const res = await api(
    new Request(`${ORIGIN}/api`, { headers: { authorization: `Bearer ${ok.body.access_token}` } }),
    {},
    {},
  )
  assert.equal(res.status, 200)
  // Back up: the family was untouched by the failures.
  down = false
  assert.equal((await refresh(handler, rt0.value)).status, 200)
})

test('store unavailable: a failure while creating the family answers 503, and a throwing verifyUser too', async () => {
  const errors = []
  const { handler } = setup({
    store: brokenStore((name) => name === 'create'),
    options: { onError: (e) => errors.push(e.message) },
  })
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
  assert.equal(r.cookies.length, 3, 'refresh, device and known-device cookies')
  const rt0 = refreshCookie(r)
  const m = /^__Host-jwt_device=([A-Za-z0-9_-]{43}); HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=1209600$/.exec(
    r.cookies[1],
  )
  assert.ok(m, r.cookies[1])
  const deviceId = m[1]
  const dvh = b64url(createHmac('sha256', DEVICE_SECRET).update(deviceId).digest())
  assert.equal(payload.dvh, dvh)
  assert.ok(
    !r.body.access_token.includes(deviceId) &&
      !Buffer.from(r.body.access_token.split('.')[1], 'base64url').toString().includes(deviceId),
  )
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
    api(
      new Request(`${ORIGIN}/api`, {
        headers: { authorization: `Bearer ${r.body.access_token}`, ...(cookie ? { cookie } : {}) },
      }),
      {},
      {},
    )
  assert.equal((await ask(`__Host-jwt_device=${deviceId}`)).status, 200)
  assert.equal((await ask()).status, 401)
  assert.equal((await ask(`__Host-jwt_device=${'x'.repeat(43)}`)).status, 401)

  // Refresh needs the device cookie; the new token carries the same dvh.
  t.now += 60
  const without = await refresh(handler, rt0.value)
  assert.equal(without.status, 400)
  assert.deepEqual(without.body, { error: 'invalid_grant' })
  assert.deepEqual(without.cookies, [CLEAR])
  const ok = await refresh(handler, rt0.value, { cookie: `__Host-jwt_rt=${rt0.value}; __Host-jwt_device=${deviceId}` })
  assert.equal(assertTokenAnswer(ok, NOW + 60).dvh, dvh)
  assert.equal(ok.cookies.length, 1, 'refresh does not re-set the device cookie')
  const rt1 = refreshCookie(ok, LIFETIME - 60)

  // Logout clears both cookies.
  const out = await logout(handler, rt1.value, { cookie: `__Host-jwt_rt=${rt1.value}; __Host-jwt_device=${deviceId}` })
  assert.equal(out.status, 204)
  assert.deepEqual(out.cookies, [CLEAR, '__Host-jwt_device=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0'])
})

test("device binding: a refresh token presented with another device's cookie revokes its family", async () => {
  const { handler, store } = setup({ options: { bind: 'device', deviceSecret: DEVICE_SECRET } })
  const victim = await login(handler)
  const rt = refreshCookie(victim)
  const attacker = await login(handler, 'bob', 'hunter2 hunter2')
  const attackerDevice = /^__Host-jwt_device=([\w-]{43});/.exec(attacker.cookies[1])[1]
  const r = await refresh(handler, rt.value, {
    cookie: `__Host-jwt_rt=${rt.value}; __Host-jwt_device=${attackerDevice}`,
  })
  assert.equal(r.status, 400)
  assert.deepEqual(r.cookies, [CLEAR])
  assert.equal(await store.read(rt.familyId), null)
})
