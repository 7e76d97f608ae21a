// authRoutes (jwt-wasm/edge) in Node, the refresh-token family: refresh and rotation to the
// derived successor, reuse detection, the grace window, the absolute and idle lifetimes, and
// logout, refreshClaims and revokeUser. Harness: ./auth-harness.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  NOW,
  DAY,
  LIFETIME,
  CLEAR,
  successorOf,
  sha256,
  setup,
  login,
  refresh,
  logout,
  refreshCookie,
  assertTokenAnswer,
  storeSpy,
} from './auth-harness.mjs'

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
  assert.equal(
    r.cookies[0],
    `__Host-jwt_rt=${rt1.value}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=${LIFETIME - 600}`,
  )
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

test('reuse: a spent token (outside the grace window) revokes the whole family: 400 invalid_grant, cookie cleared', async () => {
  const { handler, t, store } = setup()
  const rt0 = refreshCookie(await login(handler))
  t.now += 60
  const rt1 = refreshCookie(await refresh(handler, rt0.value), LIFETIME - 60)
  t.now += 31 // grace is 30 s
  const reuse = await refresh(handler, rt0.value)
  assert.equal(reuse.status, 400)
  assert.deepEqual(reuse.body, { error: 'invalid_grant' })
  assert.deepEqual(reuse.cookies, [CLEAR])
  assert.equal(reuse.res.headers.get('cache-control'), 'no-store')
  assert.equal(await store.read(rt0.familyId), null)
  // The legitimate holder of the current token is logged out too (RFC 9700 §4.14).
  const current = await refresh(handler, rt1.value)
  assert.equal(current.status, 400)
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
  assert.equal((await refresh(handler, rt0.value)).status, 400)
  assert.equal((await refresh(handler, rt2.value)).status, 400)
})

test('a secret never issued for the family (guessed, or a forged id) is 400 and cleared, and changes nothing; a malformed or missing cookie too', async () => {
  const store = storeSpy()
  const { handler } = setup({ store })
  const rt0 = refreshCookie(await login(handler))
  const calls = store.calls.length
  const malformed = [undefined, 'garbage', `${rt0.familyId}.short`, `${rt0.value}x`, `${rt0.familyId}`]
  const forged = [
    `${rt0.familyId}.${'A'.repeat(43)}`,
    `${rt0.familyId}.${rt0.secret.slice(0, 21)}${'A'.repeat(22)}`,
    `${'B'.repeat(22)}.${rt0.secret}`,
  ]
  const answers = [...malformed, ...forged].map((c) => refresh(handler, c))
  // Logout with no token (absent or malformed) is 204; with a token the family never issued, 400.
  answers.push(...forged.map((c) => logout(handler, c)))
  for (const r of await Promise.all(answers)) {
    assert.equal(r.status, 400)
    assert.deepEqual(r.body, { error: 'invalid_grant' })
    assert.deepEqual(r.cookies, [CLEAR])
  }
  assert.deepEqual(store.calls.slice(calls), [], 'no store call for a secret the family never had')
  const rt1 = refreshCookie(await refresh(handler, rt0.value))
  assert.equal(rt1.secret, successorOf(rt0.familyId, rt0.secret), 'the family was not touched')
})

test('reuse: a spent secret of the family (rotated out, after the grace window) revokes the family', async () => {
  const { handler, t } = setup()
  const rt0 = refreshCookie(await login(handler))
  const rt1 = refreshCookie(await refresh(handler, rt0.value))
  t.now += 31
  const reused = await refresh(handler, rt0.value)
  assert.equal(reused.status, 400)
  assert.deepEqual(reused.cookies, [CLEAR])
  assert.equal((await refresh(handler, rt1.value)).status, 400, 'the family was revoked')
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
    assert.deepEqual(again.cookies, [
      `__Host-jwt_rt=${rt1.value}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=${LIFETIME - 100 - dt}`,
    ])
  }
  assert.deepEqual(await store.read(rt0.familyId), record, 'grace answers change nothing')
  // The successor still rotates normally afterwards.
  const rt2 = refreshCookie(await refresh(handler, rt1.value), LIFETIME - 110)
  assert.equal(rt2.secret, successorOf(rt1.familyId, rt1.secret))
})

test('grace: not past the window (30 s), and not once the successor itself was used', async () => {
  const late = setup()
  let rt0 = refreshCookie(await login(late.handler))
  late.t.now += 100
  refreshCookie(await refresh(late.handler, rt0.value), LIFETIME - 100)
  late.t.now += 31
  assert.equal((await refresh(late.handler, rt0.value)).status, 400)

  const used = setup()
  rt0 = refreshCookie(await login(used.handler))
  used.t.now += 100
  const rt1 = refreshCookie(await refresh(used.handler, rt0.value), LIFETIME - 100)
  used.t.now += 2
  refreshCookie(await refresh(used.handler, rt1.value), LIFETIME - 102)
  used.t.now += 1
  const r = await refresh(used.handler, rt0.value)
  assert.equal(r.status, 400, 'the predecessor of a rotated successor is reuse')
  assert.deepEqual(r.cookies, [CLEAR])
})

test('a token minted under another refreshSecret is refused before the store: 400, the family untouched', async () => {
  const a = setup()
  const b = setup({ store: a.store, options: { refreshSecret: 'another-refresh-secret-0123456789abcdef' } })
  const rt0 = refreshCookie(await login(a.handler))
  a.t.now += 5
  b.t.now += 6
  const rt1 = refreshCookie(await refresh(a.handler, rt0.value), LIFETIME - 5)
  for (const r of [await refresh(b.handler, rt0.value), await refresh(b.handler, rt1.value)]) {
    assert.equal(r.status, 400)
    assert.deepEqual(r.cookies, [CLEAR])
  }
  a.t.now += 1
  assert.equal(
    refreshCookie(await refresh(a.handler, rt1.value), LIFETIME - 6).secret,
    successorOf(rt1.familyId, rt1.secret),
  )
})

test('grace: graceSeconds is configurable; 0 disables it', async () => {
  const none = setup({ options: { graceSeconds: 0 } })
  const rt0 = refreshCookie(await login(none.handler))
  none.t.now += 5
  refreshCookie(await refresh(none.handler, rt0.value), LIFETIME - 5)
  // Even in the same second: reuse.
  assert.equal((await refresh(none.handler, rt0.value)).status, 400)

  const long = setup({ options: { graceSeconds: 60 } })
  const r0 = refreshCookie(await login(long.handler))
  long.t.now += 5
  const r1 = refreshCookie(await refresh(long.handler, r0.value), LIFETIME - 5)
  long.t.now += 60
  assert.equal(refreshCookie(await refresh(long.handler, r0.value), LIFETIME - 65).value, r1.value)
})

test('item 8: the default grace window is 30 s (GRACE_SECONDS), the session refreshDeadline 25 s plus 5 s of transit', async () => {
  const { handler, t } = setup()
  const rt0 = refreshCookie(await login(handler))
  t.now += 5
  const rt1 = refreshCookie(await refresh(handler, rt0.value), LIFETIME - 5)
  t.now += 30 // a retry sent 25 s after the lost answer, 5 s on its way
  assert.equal(refreshCookie(await refresh(handler, rt0.value), LIFETIME - 35).value, rt1.value, 'the same successor')
  t.now += 1
  assert.equal((await refresh(handler, rt0.value)).status, 400, 'past the window: reuse')
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
  assert.equal(r.status, 400)
  assert.deepEqual(r.cookies, [CLEAR])
})

test('lifetimes: the idle timeout (default 24 h) ends a family not refreshed in time; idleTimeout is configurable', async () => {
  const { handler, t } = setup()
  const rt0 = refreshCookie(await login(handler))
  t.now += DAY
  const rt1 = refreshCookie(await refresh(handler, rt0.value), LIFETIME - DAY)
  t.now += DAY + 1
  const r = await refresh(handler, rt1.value)
  assert.equal(r.status, 400)
  assert.deepEqual(r.cookies, [CLEAR])

  const short = setup({ options: { idleTimeout: 3600, familyLifetime: 7200 } })
  const s0 = refreshCookie(await login(short.handler), 7200)
  short.t.now += 3601
  assert.equal((await refresh(short.handler, s0.value)).status, 400)
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
  assert.equal((await refresh(handler, rt0.value)).status, 400)
  const again = await logout(handler)
  assert.equal(again.status, 204)
  assert.deepEqual(again.cookies, [CLEAR])
})

test('logout: with the current secret or a spent one of the family (reuse), the family ends; with any other, nothing', async () => {
  const { handler, t } = setup()
  const rt0 = refreshCookie(await login(handler))
  const rt1 = refreshCookie(await refresh(handler, rt0.value))
  const stranger = await logout(handler, `${rt1.familyId}.${'A'.repeat(43)}`)
  assert.equal(stranger.status, 400)
  t.now += 11
  const rt2 = refreshCookie(await refresh(handler, rt1.value), LIFETIME - 11)
  assert.equal((await logout(handler, rt0.value)).status, 204)
  assert.equal((await refresh(handler, rt2.value)).status, 400, 'a spent secret on logout ends the family')
})

// ---- Current claims and ending a user's sessions ----

test('refreshClaims: each refresh mints the claims it returns (given the login claims); null ends the family', async () => {
  const seen = []
  let now = { role: 'viewer' }
  const { handler, store } = setup({
    options: {
      refreshClaims: async ({ sub, claims, env }) => {
        seen.push({ sub, claims, env })
        return now
      },
    },
  })
  const rt0 = refreshCookie(await login(handler))
  const r1 = await refresh(handler, rt0.value)
  assert.equal(assertTokenAnswer(r1, NOW).role, 'viewer')
  assert.deepEqual(seen, [{ sub: 'u-alice', claims: { role: 'admin' }, env: {} }])
  const rt1 = refreshCookie(r1)
  now = null
  const dead = await refresh(handler, rt1.value)
  assert.equal(dead.status, 400)
  assert.deepEqual(dead.body, { error: 'invalid_grant' })
  assert.deepEqual(dead.cookies, [CLEAR])
  assert.equal(await store.read(rt0.familyId), null)
})

test('refreshClaims: a throw answers 503 and the grace retry asks again; reserved claims are a programming error', async () => {
  let fail = true
  const errors = []
  const { handler } = setup({
    options: {
      refreshClaims: async () => {
        if (fail) throw new Error('directory down')
        return { role: 'viewer', ...(fail === null ? { sub: 'x' } : {}) }
      },
      onError: (e, { route }) => errors.push(`${route}: ${e.message}`),
    },
  })
  const rt0 = refreshCookie(await login(handler))
  const down = await refresh(handler, rt0.value)
  assert.equal(down.status, 503)
  assert.deepEqual(down.cookies, [])
  assert.deepEqual(errors, ['refresh: directory down'])
  fail = false
  const retry = await refresh(handler, rt0.value)
  assert.equal(refreshCookie(retry).secret, successorOf(rt0.familyId, rt0.secret), 'the grace answer')
  fail = null
  // A programming error: reported to onError and answered 500 with the safe headers.
  const wrong = await refresh(handler, rt0.value)
  assert.equal(wrong.status, 500)
  assert.equal(wrong.res.headers.get('x-content-type-options'), 'nosniff')
  assert.match(errors.at(-1), /refreshClaims: claims must not set "sub"/)
  assert.throws(() => setup({ options: { refreshClaims: 'yes' } }), { code: 'ERR_INVALID_OPTIONS' })
})

test('revokeUser(sub): every family of that user ends, others live on; a bad sub is a TypeError', async () => {
  const { handler } = setup()
  const a = refreshCookie(await login(handler))
  const b = refreshCookie(await refresh(handler, refreshCookie(await login(handler)).value))
  const bob = refreshCookie(await login(handler, 'bob', 'hunter2 hunter2'))
  await handler.revokeUser('u-alice', {})
  for (const rt of [a, b]) assert.equal((await refresh(handler, rt.value)).status, 400)
  assert.equal((await refresh(handler, bob.value)).status, 200)
  for (const bad of ['', undefined, 7]) await assert.rejects(handler.revokeUser(bad, {}), TypeError)
})
