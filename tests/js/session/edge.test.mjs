// jwt-wasm/session against the real edge, in process: `authRoutes` (memoryStore) and `guard`
// from 'jwt-wasm/edge' are the session's `fetch`, behind a small browser model (a cookie jar
// honouring Path, Max-Age and HttpOnly-ness from the page's point of view, and the Origin header
// a browser adds). The edge's clock runs 45 s ahead of the browser's. Time is injected on both
// sides (../support/fake-env.mjs); the edge does real asynchronous work (WebCrypto on the thread
// pool), so the fake time only moves once no request is being handled.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Verifier } from 'jwt-wasm'
import { authRoutes, memoryStore, guard } from 'jwt-wasm/edge'
import { createSession } from 'jwt-wasm/session'
import { T0, fakeTime, memoryStorage, fakeLocks, channelBus, pageEvents } from '../support/fake-env.mjs'

const SKEW = 45_000 // the edge's clock is ahead of the browser's by this much
const ORIGIN = 'https://app.example'
const ACCESS_KEY = { kid: 'at-2026-01', alg: 'HS256', secret: 'access-token-secret-0123456789-abcdef' }
const TTL = 300
const TOKEN_KEY = 'jwt-wasm:access_token'

/** The edge (authRoutes + a guarded API) and a browser (cookie jar, Origin) in front of it. */
function world() {
  let handling = 0
  const time = fakeTime(T0, { idle: () => handling === 0 })
  const edgeNow = () => new Date(time.now + SKEW)
  const store = memoryStore()
  const auth = authRoutes({
    signer: { key: ACCESS_KEY },
    accessTtl: TTL,
    verifyUser: async (login, password) =>
      login === 'alice' && password === 'correct horse' ? { sub: 'u-alice', claims: { role: 'admin' } } : null,
    store: () => store,
    refreshSecret: 'refresh-derivation-secret-0123456789abcdef',
    clock: edgeNow,
    allowedOrigins: [ORIGIN],
  })
  const api = guard((request, env, ctx, { payload }) => Response.json({ sub: payload.sub, role: payload.role }), {
    keys: [ACCESS_KEY],
    algorithms: ['HS256'],
    clock: edgeNow,
  })
  const app = async (request) => (await auth(request, {}, {})) ?? api(request, {}, {})

  // The browser: cookies by Path (a cookie is never visible to the page), Origin on non-GET.
  const jar = new Map()
  const requests = []
  const send = async (input, init) => {
    const given = input instanceof Request ? input : new Request(new URL(String(input), ORIGIN), init)
    const url = new URL(given.url)
    const headers = new Headers(given.headers)
    if (url.origin === ORIGIN && given.method !== 'GET') headers.set('origin', ORIGIN)
    const cookies = [...jar]
      .filter(([, c]) => c.path === '/' || url.pathname === c.path || url.pathname.startsWith(`${c.path}/`))
      .map(([n, c]) => `${n}=${c.value}`)
    if (cookies.length) headers.set('cookie', cookies.join('; '))
    const body = given.body ? await given.arrayBuffer() : undefined
    const request = new Request(url, { method: given.method, headers, body })
    requests.push({ path: url.pathname, method: given.method, at: time.now, cookie: headers.get('cookie') })
    handling++
    let response
    try {
      response = await app(request)
    } finally {
      handling--
    }
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(/;\s*/)
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      const attr = Object.fromEntries(attrs.map((a) => [a.split('=')[0].toLowerCase(), a.split('=')[1] ?? true]))
      assert.equal(attr.httponly, true, 'every cookie of the edge is HttpOnly')
      if (attr['max-age'] === '0') jar.delete(name)
      else jar.set(name, { value, path: attr.path ?? '/' })
    }
    return response
  }
  const count = (path) => requests.filter((r) => r.path === path).length
  const verifier = new Verifier({ keys: [ACCESS_KEY], algorithms: ['HS256'] })
  return { time, store, jar, requests, send, count, verifier, edgeNow }
}

/** A tab of the browser. */
function tab(w, extra = {}) {
  const log = []
  const storage = extra.storage ?? memoryStorage()
  const session = createSession({
    clock: w.time.clock,
    timers: w.time.timers,
    fetch: w.send,
    storage,
    locks: extra.locks ?? fakeLocks(),
    channel: extra.channel ?? null,
    events: pageEvents(),
    random: () => 0.5,
    apiOrigins: [ORIGIN],
    ...extra.options,
  })
  for (const type of ['change', 'refresh', 'expired', 'logout', 'error', 'warning']) {
    session.addEventListener(type, (e) => log.push(type === 'change' ? `change:${e.detail.reason}` : type))
  }
  return { session, storage, log }
}

test('login → API → refresh (the refresh token rotates) → API → logout, against authRoutes and guard', async () => {
  const w = world()
  const { session, storage, log } = tab(w)

  const claims = await session.login('alice', 'correct horse')
  assert.equal(claims.sub, 'u-alice')
  assert.equal(claims.role, 'admin')
  const t1 = session.token
  assert.equal(w.verifier.verify(t1, { currentDate: w.edgeNow() }).payload.sub, 'u-alice')

  // The refresh token is in the HttpOnly cookie (Path=/auth); storage holds the access token only.
  const rt1 = w.jar.get('__Host-jwt_rt')
  assert.equal(rt1.path, '/')
  assert.deepEqual([...storage.map.keys()].sort(), [TOKEN_KEY, 'jwt-wasm:tab'])
  assert.equal(storage.map.get(TOKEN_KEY), t1)
  for (const v of storage.map.values()) assert.ok(!v.includes(rt1.value.split('.')[1]), 'no refresh secret in storage')

  // The edge's clock is 45 s ahead; the session measured it from the token's iat.
  assert.equal(session.timing.skew, SKEW)
  assert.equal(session.timing.expiresAt, T0 + TTL * 1000)
  assert.equal(session.timing.refreshAt, T0 + (TTL - 62.5) * 1000)

  const me = await session.fetch(`${ORIGIN}/api/me`)
  assert.equal(me.status, 200)
  assert.deepEqual(await me.json(), { sub: 'u-alice', role: 'admin' })

  // The refresh point, in server time: the cookie rotates, the token is new.
  await w.time.advance((TTL - 62.5) * 1000)
  assert.equal(w.count('/auth/refresh'), 1)
  const rt2 = w.jar.get('__Host-jwt_rt')
  assert.notEqual(rt2.value, rt1.value)
  assert.equal(rt2.value.split('.')[0], rt1.value.split('.')[0], 'same family')
  assert.notEqual(session.token, t1)
  assert.equal(w.verifier.verify(session.token, { currentDate: w.edgeNow() }).payload.sub, 'u-alice')
  assert.equal((await session.fetch(`${ORIGIN}/api/me`)).status, 200)

  // And again, a full lifetime later.
  await w.time.advance(TTL * 1000)
  assert.equal(w.count('/auth/refresh'), 2)
  assert.notEqual(w.jar.get('__Host-jwt_rt').value, rt2.value)

  const out = await session.logout()
  assert.deepEqual(out, { revoked: true })
  assert.equal(w.jar.has('__Host-jwt_rt'), false, 'the edge cleared the cookie')
  assert.equal(storage.map.has(TOKEN_KEY), false)
  assert.equal((await session.fetch(`${ORIGIN}/api/me`)).status, 401, 'no token: the API refuses')
  assert.deepEqual(log, [
    'change:login',
    'change:refresh',
    'refresh',
    'change:refresh',
    'refresh',
    'change:logout',
    'logout',
  ])

  // A new tab after the logout cannot come back by cookie.
  const other = tab(w)
  assert.equal(await other.session.resume(), false)
  session.close()
  other.session.close()
})

test('the same-origin checks pass: Origin (added by the browser) and the X-Requested-With header on refresh and logout', async () => {
  const w = world()
  const { session } = tab(w)
  await session.login('alice', 'correct horse')
  await session.refresh()
  // Without the header the edge refuses (403), and the session does not retry it.
  const strict = tab(w, { options: { csrfHeader: { name: 'X-Other', value: '1' } } })
  const events = []
  strict.session.addEventListener('error', (e) =>
    events.push([e.detail.error.code, e.detail.error.status, e.detail.attempts]),
  )
  await assert.rejects(strict.session.resume(), (e) => e.code === 'ERR_SESSION_REFRESH_FAILED' && e.status === 403)
  assert.deepEqual(events, [['ERR_SESSION_REFRESH_FAILED', 403, 1]])
  session.close()
  strict.session.close()
})

test('a new tab (empty sessionStorage) resumes with one refresh; no new login', async () => {
  const w = world()
  const first = tab(w)
  await first.session.login('alice', 'correct horse')
  first.session.close()
  const second = tab(w)
  assert.equal(second.session.token, null)
  assert.equal(await second.session.resume(), true)
  assert.equal(w.count('/auth/login'), 1)
  assert.equal(w.count('/auth/refresh'), 1)
  assert.equal(second.session.claims.sub, 'u-alice')
  second.session.close()
})

test('a token the edge already finds expired (unknown skew after a reload): 401 invalid_token, one refresh, one retry', async () => {
  const w = world()
  const first = tab(w)
  await first.session.login('alice', 'correct horse')
  const token = first.session.token
  first.session.close()
  // A reload: the token comes from storage, the skew is not known yet (0), and the client
  // believes the token has 35 s left while the edge, 45 s ahead, finds it expired.
  const reloaded = tab(w, { storage: memoryStorage([[TOKEN_KEY, token]]), options: { refreshBefore: 0, jitter: 0 } })
  await w.time.advance(310_000)
  assert.equal(await reloaded.session.getToken(), token, 'the client thinks it is still valid')
  const res = await reloaded.session.fetch(`${ORIGIN}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"qty":1}',
  })
  assert.equal(res.status, 200)
  assert.equal(w.count('/api/orders'), 2)
  assert.equal(w.count('/auth/refresh'), 1)
  assert.equal(reloaded.session.timing.skew, SKEW, 'learned from the answer')
  reloaded.session.close()
})

test('reuse detection end to end: a stolen, already-rotated refresh token revokes the family; the session ends with `expired`', async () => {
  const w = world()
  const { session, storage, log } = tab(w)
  await session.login('alice', 'correct horse')
  const stolen = w.jar.get('__Host-jwt_rt').value
  await session.refresh() // rotates
  await w.time.advance(31_000) // past the 30 s grace window
  const thief = await authRoutesCall(w, '/auth/refresh', stolen)
  assert.equal(thief.status, 400)
  // The family is revoked: the session's next refresh is refused, definitively.
  await assert.rejects(
    session.refresh(),
    (e) => e.code === 'ERR_SESSION_EXPIRED' && e.status === 400 && e.error === 'invalid_grant',
  )
  assert.equal(session.token, null)
  assert.equal(storage.map.has(TOKEN_KEY), false)
  assert.deepEqual(log.slice(-2), ['change:expired', 'expired'])
  assert.equal(w.count('/auth/refresh'), 3, 'refused once, never retried')
  session.close()
})

/** A request with a given refresh cookie, bypassing the jar (an attacker's copy of the cookie). */
async function authRoutesCall(w, path, rt) {
  const saved = w.jar.get('__Host-jwt_rt')
  w.jar.set('__Host-jwt_rt', { value: rt, path: '/' })
  const res = await w.send(`${ORIGIN}${path}`, { method: 'POST', headers: { 'x-requested-with': 'curl' } })
  if (saved) w.jar.set('__Host-jwt_rt', saved)
  return res
}

test('two tabs of one browser due together: one refresh through the lock; without any coordination the edge grace window still saves the race', async () => {
  // Coordinated: a shared lock and channel.
  {
    const w = world()
    const locks = fakeLocks()
    const channel = channelBus().open
    const a = tab(w, { locks, channel })
    const b = tab(w, { locks, channel })
    await a.session.login('alice', 'correct horse')
    await w.time.flush()
    assert.equal(b.session.token, a.session.token)
    const both = Promise.all([a.session.getToken(), b.session.getToken()])
    await w.time.advance(TTL * 1000)
    await both
    assert.equal(w.count('/auth/refresh'), 1)
    assert.equal(a.session.token, b.session.token)
    a.session.close()
    b.session.close()
  }
  // Uncoordinated (no Web Locks, no BroadcastChannel): both present the same refresh token at
  // once; the edge answers the second with the same successor (grace window), nobody is logged out.
  {
    const w = world()
    const a = tab(w, { options: { locks: null } })
    const b = tab(w, { options: { locks: null } })
    await a.session.login('alice', 'correct horse')
    assert.equal(await b.session.resume(), true)
    const results = await Promise.all([a.session.refresh(), b.session.refresh()])
    assert.equal(w.count('/auth/refresh'), 3)
    const [ra, rb] = w.requests.filter((r) => r.path === '/auth/refresh').slice(-2)
    assert.equal(ra.cookie, rb.cookie, 'the two tabs really presented the same refresh token')
    assert.ok(
      results.every((t) => typeof t === 'string'),
      'the edge answered both: the predecessor inside the grace window gets the same successor',
    )
    assert.equal(a.session.mode.coordination, 'none')
    assert.ok(a.session.token && b.session.token)
    assert.equal(await b.session.refresh().then(() => 'alive'), 'alive', 'the family was not revoked')
    a.session.close()
    b.session.close()
  }
})
