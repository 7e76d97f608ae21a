// authRoutes (jwt-wasm/edge) in Node, the login throttle (issue 9 item 1): a known device (its
// `__Host-jwt_known` cookie) keeps getting in while others have locked its login, and has a
// budget of its own; a client's budget across logins stops spraying and, once spent, stops the
// client from counting against any login; the counters are bounded; the options are checked.
// The clock is pinned (the harness's `clock` option). Harness: ./auth-harness.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { authRoutes, memoryStore } from 'jwt-wasm/edge'
import {
  ACCESS_KEY,
  NOW,
  REFRESH_SECRET,
  b64url,
  verifyCalls,
  verifyUser,
  setup,
  login,
  logout,
  refreshCookie,
} from './auth-harness.mjs'
import { internal } from './internal.mjs'

const { LoginThrottle, addressGroup, connectingAddress, THROTTLE_ENTRIES } = await internal('edge/login-throttle.js')

const ALICE = 'correct horse battery staple'
const KNOWN = /^__Host-jwt_known=([\w-]{22}\.[\w-]{43}); HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=34560000$/
/** The known-device cookie a login answer set. */
function knownOf(r) {
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const values = r.cookies.map((c) => KNOWN.exec(c)?.[1]).filter(Boolean)
  assert.equal(values.length, 1, `no known-device cookie in ${r.cookies}`)
  return values[0]
}
/** A login from client `ip` (CF-Connecting-IP), with a known-device cookie if given. */
const from = (h, ip, name, password, known) =>
  login(h, name, password, {
    headers: { 'cf-connecting-ip': ip },
    ...(known ? { cookie: `theme=dark; __Host-jwt_known=${known}` } : {}),
  })

test('a known device gets in with the right password while attackers have locked the login; unknown devices wait', async () => {
  const { handler, t } = setup()
  const device = knownOf(await from(handler, '198.51.100.7', 'alice', ALICE))
  // The tag is HMAC(refreshSecret, "known-device\0" + nonce + "\0" + normalised login), computed here independently.
  const [nonce, tag] = device.split('.')
  assert.equal(tag, b64url(createHmac('sha256', REFRESH_SECRET).update(`known-device\0${nonce}\0alice`).digest()))
  // Six unauthenticated requests lock alice for unknown devices.
  for (let i = 0; i < 5; i++) assert.equal((await from(handler, '203.0.113.9', 'alice', `guess ${i}`)).status, 400)
  assert.equal((await from(handler, '203.0.113.9', 'alice', 'guess 5')).status, 429)
  t.now += 60
  const unknown = await from(handler, '192.0.2.1', 'alice', ALICE)
  assert.equal(unknown.status, 429, 'an unknown device waits, even with the right password')
  assert.equal(unknown.res.headers.get('retry-after'), String(900 - 60))
  const known = await from(handler, '192.0.2.1', 'alice', ALICE, device)
  refreshCookie(known)
  const next = knownOf(known)
  assert.notEqual(next, device, 'a new nonce on every success')
  // Both cookies stay valid for alice; the lock for unknown devices stays.
  assert.equal((await from(handler, '192.0.2.1', 'alice', ALICE, device)).status, 200)
  assert.equal((await from(handler, '192.0.2.1', 'alice', ALICE)).status, 429)
})

test('a forged, altered or other login’s known-device cookie is no known device', async () => {
  const { handler } = setup()
  const alices = knownOf(await from(handler, '198.51.100.7', 'alice', ALICE))
  const bobs = knownOf(await from(handler, '198.51.100.8', 'bob', 'hunter2 hunter2'))
  for (let i = 0; i < 6; i++) await from(handler, '203.0.113.9', 'alice', `guess ${i}`)
  const [nonce, tag] = alices.split('.')
  for (const cookie of [
    bobs,
    `${'A'.repeat(22)}.${tag}`,
    `${nonce}.${tag.slice(0, 42)}B`,
    `${nonce}.${tag}.x`,
    `${nonce}${tag}`,
    '',
  ]) {
    assert.equal((await from(handler, '192.0.2.1', 'alice', ALICE, cookie)).status, 429, cookie)
  }
  assert.equal((await from(handler, '192.0.2.1', 'alice', ALICE, alices)).status, 200)
})

test('a known device has its own budget (10): over it, it is an unknown device; its failures do not lock the login', async () => {
  const { handler, t } = setup()
  const device = knownOf(await from(handler, '198.51.100.7', 'alice', ALICE))
  for (let i = 0; i < 10; i++)
    assert.equal((await from(handler, '198.51.100.7', 'alice', `typo ${i}`, device)).status, 400)
  // The login was never counted: the eleventh attempt goes to the unknown-device budgets, which are untouched.
  assert.equal((await from(handler, '198.51.100.7', 'alice', ALICE, device)).status, 200)
  const fresh = knownOf(await from(handler, '198.51.100.7', 'alice', ALICE))
  for (let i = 0; i < 10; i++) await from(handler, '198.51.100.7', 'alice', `typo ${i}`, fresh)
  for (let i = 0; i < 6; i++) await from(handler, '203.0.113.9', 'alice', `guess ${i}`)
  assert.equal(
    (await from(handler, '198.51.100.7', 'alice', ALICE, fresh)).status,
    429,
    'over its budget, and the login locked',
  )
  t.now += 900
  assert.equal((await from(handler, '198.51.100.7', 'alice', ALICE, fresh)).status, 200, 'a new window')
})

test('per client, across logins: 20 attempts per 15 minutes, then 429 before any login is counted; a success gives its one back', async () => {
  const { handler, t } = setup()
  const before = verifyCalls
  for (let i = 0; i < 20; i++) assert.equal((await from(handler, '203.0.113.9', `user-${i}`, 'x')).status, 400)
  assert.equal(verifyCalls, before + 20)
  t.now += 100
  const sprayed = await from(handler, '203.0.113.9', 'user-20', 'x')
  assert.equal(sprayed.status, 429)
  assert.deepEqual(sprayed.body, { error: 'too_many_requests' })
  assert.equal(sprayed.res.headers.get('retry-after'), '800')
  // Over its budget, the client adds nothing to alice's count: another client gets in at once.
  for (let i = 0; i < 10; i++) assert.equal((await from(handler, '203.0.113.9', 'alice', `guess ${i}`)).status, 429)
  assert.equal(verifyCalls, before + 20, 'verifyUser not called over the budget')
  assert.equal((await from(handler, '198.51.100.7', 'alice', ALICE)).status, 200)
  // Other clients have budgets of their own; an IPv6 client is its /64.
  assert.equal((await from(handler, '2001:db8:0:1::5', 'user-a', 'x')).status, 400)
  for (let i = 0; i < 19; i++) await from(handler, `2001:db8:0:1:${i.toString(16)}::1`, `v6-${i}`, 'x')
  assert.equal((await from(handler, '2001:0db8:0000:0001:ffff::9', 'v6-x', 'x')).status, 429)
  assert.equal((await from(handler, '2001:db8:0:2::5', 'v6-x', 'x')).status, 400)
  t.now = NOW + 900
  assert.equal((await from(handler, '203.0.113.9', 'user-21', 'x')).status, 400, 'a new window')
  // Successes cost nothing: 40 logins in a row from one client all succeed.
  for (let i = 0; i < 40; i++) assert.equal((await from(handler, '192.0.2.44', 'bob', 'hunter2 hunter2')).status, 200)
})

test('without a client id, requests share one "unknown client" budget; clientKey chooses the client', async () => {
  const { handler } = setup()
  for (let i = 0; i < 20; i++) assert.equal((await login(handler, `user-${i}`, 'x')).status, 400)
  assert.equal((await login(handler, 'user-20', 'x')).status, 429)
  assert.equal((await from(handler, '192.0.2.1', 'user-20', 'x')).status, 400, 'a known address is its own client')
  const own = setup({
    options: {
      loginThrottle: { maxClientFailures: 2, clientKey: (request) => request.headers.get('x-client') },
    },
  })
  const as = (client, name) => login(own.handler, name, 'x', client ? { headers: { 'x-client': client } } : {})
  assert.equal((await as('a', 'u1')).status, 400)
  assert.equal((await as('a', 'u2')).status, 400)
  assert.equal((await as('a', 'u3')).status, 429)
  assert.equal((await as('b', 'u3')).status, 400)
  assert.equal((await as(null, 'u4')).status, 400)
  // A clientKey that returns something else is the application's programming error: a 500.
  const reported = []
  const wrong = setup({
    options: { loginThrottle: { clientKey: () => 42 }, onError: (e) => reported.push(e.message) },
  })
  assert.equal((await login(wrong.handler)).status, 500)
  assert.deepEqual(reported, ['options.loginThrottle.clientKey must return a string, null or undefined'])
})

test('the known-device cookie twice is 400 on every route: nothing counted, verifyUser not called, nothing revoked', async () => {
  const { handler, store } = setup()
  const first = await from(handler, '198.51.100.7', 'alice', ALICE)
  const device = knownOf(first)
  const rt = refreshCookie(first)
  const record = await store.read(rt.familyId)
  const before = verifyCalls
  const twice = {
    error: 'invalid_request',
    error_description: 'The request carries the __Host-jwt_known cookie more than once',
  }
  for (const cookie of [
    `__Host-jwt_known=${device}; __Host-jwt_known=${device}`,
    `__Host-jwt_known=x; __Host-jwt_rt=${rt.value}; __Host-jwt_known=${device}`,
  ]) {
    const r = await login(handler, 'alice', ALICE, { cookie })
    assert.deepEqual([r.status, r.body, r.cookies], [400, twice, []])
    const out = await logout(handler, rt.value, { cookie })
    assert.deepEqual([out.status, out.body, out.cookies], [400, twice, []])
  }
  assert.equal(verifyCalls, before)
  assert.deepEqual(await store.read(rt.familyId), record, 'the family is unchanged')
  // With the throttle off, the cookie is not ours: it is neither read nor refused.
  const off = setup({ options: { loginThrottle: false } })
  const r = await login(off.handler, 'alice', ALICE, { cookie: `__Host-jwt_known=a; __Host-jwt_known=b` })
  assert.equal(r.status, 200)
  assert.equal(r.cookies.length, 1, 'no known-device cookie without the throttle')
})

test('options: loginThrottle fields are checked (a typed error, never silently off); {} is every default', () => {
  const base = { signer: { key: ACCESS_KEY }, verifyUser, store: () => memoryStore(), refreshSecret: REFRESH_SECRET }
  for (const [loginThrottle, message] of [
    [{ maxClientFailures: 0 }, /options.loginThrottle.maxClientFailures must be a positive integer/],
    [{ maxDeviceFailures: 1.5 }, /options.loginThrottle.maxDeviceFailures must be a positive integer/],
    [{ maxFailures: '5' }, /options.loginThrottle.maxFailures must be a positive integer/],
    [{ windowSeconds: 0 }, /options.loginThrottle.windowSeconds/],
    [{ clientKey: 'cf-connecting-ip' }, /options.loginThrottle.clientKey must be a function/],
    [{ clientKey: null }, /options.loginThrottle.clientKey must be a function/],
    [{ maxClientFailure: 20 }, /unknown option "maxClientFailure"/],
    [true, /options.loginThrottle must be/],
    [null, /options.loginThrottle must be/],
    [[], /options.loginThrottle must be/],
  ]) {
    assert.throws(
      () => authRoutes({ ...base, loginThrottle }),
      (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS' && message.test(e.message),
      JSON.stringify(loginThrottle),
    )
  }
  assert.equal(typeof authRoutes({ ...base, loginThrottle: {} }), 'function')
})

test('options: a __Host- refresh cookie needs Path=/; cookiePath must cover basePath', () => {
  const base = { signer: { key: ACCESS_KEY }, verifyUser, store: () => memoryStore(), refreshSecret: REFRESH_SECRET }
  for (const [options, message] of [
    [{ cookiePath: '/auth' }, /options.cookiePath must be "\/" for a __Host- cookie name/],
    [{ cookieName: '__host-rt', cookiePath: '/auth' }, /__Host-/],
    [{ cookieName: '__Secure-rt', cookiePath: '/other' }, /a path that basePath lies under/],
    [{ cookieName: '__Secure-rt', cookiePath: '/au' }, /a path that basePath lies under/],
    [{ cookieName: '__Secure-rt', cookiePath: 'auth' }, /options.cookiePath must be a cookie path/],
    [{ cookieName: '__Secure-rt', cookiePath: '/a;b' }, /options.cookiePath must be a cookie path/],
    [{ cookieName: '__Host-jwt_known' }, /must not be the device cookie/],
  ]) {
    assert.throws(
      () => authRoutes({ ...base, ...options }),
      (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS' && message.test(e.message),
      JSON.stringify(options),
    )
  }
  for (const options of [
    { cookieName: '__Secure-rt', cookiePath: '/auth' },
    { cookieName: 'rt', cookiePath: '/' },
    { cookieName: 'rt', basePath: '/api/auth', cookiePath: '/api' },
    { cookieName: 'rt', basePath: '/api/auth', cookiePath: '/api/' },
  ]) {
    assert.equal(typeof authRoutes({ ...base, ...options }), 'function', JSON.stringify(options))
  }
})

test('the counters are bounded: each kind keeps at most THROTTLE_ENTRIES (10,000), the oldest out', async () => {
  assert.equal(THROTTLE_ENTRIES, 10_000)
  const policy = {
    maxFailures: 5,
    maxClientFailures: 20,
    maxDeviceFailures: 10,
    windowSeconds: 900,
    clientKey: connectingAddress,
  }
  const secret = new TextEncoder().encode(REFRESH_SECRET)
  const ask = (ip) => new Request('https://app.example/auth/login', { headers: { 'cf-connecting-ip': ip } })
  const small = new LoginThrottle(policy, 3)
  for (let i = 0; i < 10; i++) await small.attempt(secret, ask(`192.0.2.${i}`), `user-${i}`, undefined, 0)
  assert.deepEqual([small.logins.size, small.clients.size, small.devices.size], [3, 3, 0])
  const full = new LoginThrottle(policy)
  for (let i = 0; i < 12_000; i++) {
    await full.attempt(secret, ask(`10.0.${i >> 8}.${i & 255}`), `user-${i}`, `${'A'.repeat(22)}.${'B'.repeat(43)}`, 0)
  }
  assert.deepEqual([full.logins.size, full.clients.size, full.devices.size], [10_000, 10_000, 0])
  // Evicting a login's counter takes 10,000 newer ones: 500 clients at 20 attempts each.
  const victim = new LoginThrottle(policy)
  for (let i = 0; i < 6; i++) await victim.attempt(secret, ask('203.0.113.9'), 'alice', undefined, 0)
  assert.equal((await victim.attempt(secret, ask('192.0.2.1'), 'alice', undefined, 1)).retryAfter, 899)
  for (let c = 0; c < 499; c++) {
    for (let i = 0; i < 20; i++)
      await victim.attempt(secret, ask(`10.1.${c >> 8}.${c & 255}`), `x-${c}-${i}`, undefined, 1)
  }
  assert.equal((await victim.attempt(secret, ask('192.0.2.1'), 'alice', undefined, 2)).retryAfter, 898, 'still locked')
})

test('clients: CF-Connecting-IP, IPv4 as it is, IPv6 by its /64, IPv4-mapped IPv6 as IPv4', () => {
  const ask = (ip) => new Request('https://x.example/', { headers: ip ? { 'cf-connecting-ip': ip } : {} })
  assert.equal(connectingAddress(ask()), null)
  assert.equal(connectingAddress(ask('192.0.2.1')), '192.0.2.1')
  for (const [ip, group] of [
    ['2001:db8:0:1::5', '2001:db8:0:1::/64'],
    ['2001:0DB8:0000:0001:ffff:0:0:9', '2001:db8:0:1::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['not an address', 'not an address'],
    ['1::2::3', '1::2::3'],
    ['1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9'],
  ]) {
    assert.equal(addressGroup(ip), group, ip)
  }
})
