// authRoutes on real workerd (through miniflare) with the Durable Object store: login, an
// authenticated call, refresh and rotation, reuse revoking the family, the grace window, logout,
// the same on SQLite-backed objects and on KV, a Durable Object that is down (503, the guard
// unaffected), and 50 simultaneous refreshes with one token: one rotation, 50 identical answers.
// The Worker (tests/js/workerd/edge-auth-fixtures/worker.js) is bundled the way wrangler does it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { startWorker } from './harness.mjs'
import { Verifier } from 'jwt-wasm'

const ACCESS_SECRET = 'workerd-access-secret-0123456789-abcdef'
const REFRESH_SECRET = 'workerd-refresh-secret-0123456789-abcdef'
const BASE = 'http://localhost'
const LIFETIME = 14 * 86400
const RT =
  /^__Host-jwt_rt=([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43}); HttpOnly; Secure; SameSite=Strict; Path=(\/[\w/]*); Max-Age=(\d+)$/
const b64url = (buf) => Buffer.from(buf).toString('base64url')
const sha256 = (s) => b64url(createHash('sha256').update(s).digest())
const mac = (message) => b64url(createHmac('sha256', REFRESH_SECRET).update(message).digest())
const tagged = (familyId, chain) => chain + mac(`rt-tag\0${familyId}.${chain}`).slice(0, 22)
const successorOf = (familyId, secret) => tagged(familyId, mac(`rt-next\0${familyId}.${secret}`).slice(0, 21))
const verifier = new Verifier({
  keys: [{ kid: 'at-1', alg: 'HS256', secret: ACCESS_SECRET }],
  algorithms: ['HS256'],
  issuer: 'https://auth.test',
  audience: 'api',
})

let mf

before(async () => {
  const repo = process.env.JWT_WASM_REPO
  assert.ok(repo, 'JWT_WASM_REPO is not set (run through tests/js/run.sh)')
  const dir = mkdtempSync(join(process.cwd(), 'edge-auth-'))
  copyFileSync(join(repo, 'tests/js/workerd/edge-auth-fixtures/worker.js'), join(dir, 'worker.js'))
  const started = await startWorker(join(dir, 'worker.js'), {
    bindings: { ACCESS_SECRET, REFRESH_SECRET },
    durableObjects: {
      FAMILIES: 'RefreshFamilies',
      FAMILIES_SQL: { className: 'RefreshFamiliesSql', useSQLite: true },
      BROKEN: 'BrokenFamilies',
    },
    kvNamespaces: ['KV'],
  })
  mf = started.mf
  assert.match(readFileSync(join(started.out, 'worker.js'), 'utf8'), /from\s*"\.\/[^"]+\.wasm"/)
})

after(async () => {
  await mf?.dispose()
})

async function send(path, { cookie, json, csrf = true, origin = BASE, client } = {}) {
  const headers = {}
  if (client) headers['cf-connecting-ip'] = client
  if (origin) headers.origin = origin
  if (csrf) headers['x-requested-with'] = 'fetch'
  if (cookie) headers.cookie = cookie
  if (json) headers['content-type'] = 'application/json'
  const res = await mf.dispatchFetch(`${BASE}${path}`, {
    method: 'POST',
    headers,
    body: json ? JSON.stringify(json) : undefined,
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null, cookies: res.headers.getSetCookie() }
}

const setClock = async (skew) =>
  assert.equal(await (await mf.dispatchFetch(`${BASE}/test/clock?skew=${skew}`)).text(), 'ok')
const login = (base = '/auth') =>
  send(`${base}/login`, { json: { login: 'alice', password: 'correct horse battery staple' }, csrf: false })
const refresh = (value, base = '/auth') => send(`${base}/refresh`, { cookie: `__Host-jwt_rt=${value}` })
const logout = (value, base = '/auth') => send(`${base}/logout`, { cookie: `__Host-jwt_rt=${value}` })
const statuses = async () => (await mf.dispatchFetch(`${BASE}/test/statuses`)).json()
const family = async (id, store = 'do') =>
  (await mf.dispatchFetch(`${BASE}/test/family?store=${store}&id=${id}`)).json()
const me = async (token) => {
  const res = await mf.dispatchFetch(`${BASE}/api/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  return { status: res.status, body: await res.json() }
}

function rtOf(r, base = '/auth') {
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const m = RT.exec(r.cookies[0] ?? '')
  assert.ok(m, `unexpected Set-Cookie: ${r.cookies}`)
  assert.equal(m[3], '/', `${base}: a __Host- cookie has Path=/`)
  return { value: `${m[1]}.${m[2]}`, familyId: m[1], secret: m[2], maxAge: Number(m[4]) }
}

const clearOf = () => '__Host-jwt_rt=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0'

for (const [name, base, store] of [
  ['Durable Object store', '/auth', 'do'],
  ['Durable Object store (SQLite-backed)', '/sql/auth', 'sql'],
  ['KV store', '/kv/auth', 'kv'],
]) {
  test(`${name}: login → authenticated call → refresh (rotation) → reuse revokes the family → logout`, async () => {
    await setClock(0)
    const r0 = await login(base)
    const rt0 = rtOf(r0, base)
    assert.equal(rt0.maxAge, LIFETIME)
    assert.deepEqual(Object.keys(r0.body), ['access_token', 'token_type', 'expires_in'])
    assert.equal(r0.body.token_type, 'Bearer')
    assert.equal(r0.body.expires_in, 900)
    assert.deepEqual(await me(r0.body.access_token), { status: 200, body: { sub: 'u-alice', role: 'admin' } })
    assert.equal((await me()).status, 401)
    const stored = await family(rt0.familyId, store)
    assert.equal(stored.current, sha256(rt0.secret))
    assert.equal(stored.sub, 'u-alice')

    // Rotation: the derived successor, a fresh access token with the same claims.
    const r1 = await refresh(rt0.value, base)
    const rt1 = rtOf(r1, base)
    assert.equal(rt1.familyId, rt0.familyId)
    assert.equal(rt1.secret, successorOf(rt0.familyId, rt0.secret))
    assert.ok(rt1.maxAge <= LIFETIME && rt1.maxAge > LIFETIME - 60)
    assert.equal(verifier.verify(r1.body.access_token).payload.role, 'admin')
    assert.equal((await me(r1.body.access_token)).status, 200)
    const rt2 = rtOf(await refresh(rt1.value, base), base)

    // Inside the grace window the immediate predecessor gets the same successor.
    assert.equal(rtOf(await refresh(rt1.value, base), base).value, rt2.value)

    // After the window, a spent token revokes the whole family.
    await setClock(31)
    const reuse = await refresh(rt1.value, base)
    assert.equal(reuse.status, 400)
    assert.deepEqual(reuse.body, { error: 'invalid_grant' })
    assert.deepEqual(reuse.cookies, [clearOf()])
    assert.equal(await family(rt0.familyId, store), null)
    assert.equal((await refresh(rt2.value, base)).status, 400)

    // Logout of a fresh login revokes it and clears the cookie.
    const rt3 = rtOf(await login(base), base)
    const out = await logout(rt3.value, base)
    assert.equal(out.status, 204)
    assert.deepEqual(out.cookies, [clearOf()])
    assert.equal(await family(rt3.familyId, store), null)
    assert.equal((await refresh(rt3.value, base)).status, 400)
    await setClock(0)
  })
}

for (const [name, base, store] of [
  ['Durable Object store', '/auth', 'do'],
  ['Durable Object store (SQLite-backed)', '/sql/auth', 'sql'],
]) {
  test(`${name}: 50 simultaneous refreshes with the same token → one rotation, 50 identical 200 answers, no 5xx`, async () => {
    await setClock(0)
    const rt0 = rtOf(await login(base), base)
    await statuses()
    const answers = await Promise.all(Array.from({ length: 50 }, () => refresh(rt0.value, base)))
    const codes = answers.map((a) => a.status)
    assert.deepEqual(codes, Array(50).fill(200), `statuses: ${codes}`)
    const successor = successorOf(rt0.familyId, rt0.secret)
    const values = new Set(answers.map((a) => rtOf(a, base).value))
    assert.deepEqual([...values], [`${rt0.familyId}.${successor}`])
    for (const a of answers) assert.equal(verifier.verify(a.body.access_token).payload.sub, 'u-alice')
    // Exactly one rotation: the store answered `rotated` once and `grace` 49 times, and moved
    // one step, from rt0 to its successor.
    assert.deepEqual(await statuses(), { rotated: 1, grace: 49 })
    const stored = await family(rt0.familyId, store)
    assert.equal(stored.current, sha256(successor))
    assert.equal(stored.previous.hash, sha256(rt0.secret))
    // The family is alive: the successor rotates normally.
    const next = rtOf(await refresh(`${rt0.familyId}.${successor}`, base), base)
    assert.equal(next.secret, successorOf(rt0.familyId, successor))
  })
}

test('Durable Object store: 50 simultaneous presentations of a spent token after the window → all 400, the family revoked, no 5xx', async () => {
  await setClock(0)
  const rt0 = rtOf(await login())
  const rt1 = rtOf(await refresh(rt0.value))
  await setClock(31)
  const answers = await Promise.all(Array.from({ length: 50 }, () => refresh(rt0.value)))
  assert.deepEqual(
    answers.map((a) => a.status),
    Array(50).fill(400),
  )
  for (const a of answers) assert.deepEqual(a.cookies, [clearOf()])
  assert.equal((await refresh(rt1.value)).status, 400)
  await setClock(0)
})

test('CSRF on workerd: refresh without the header or from another origin is refused and changes nothing', async () => {
  await setClock(0)
  const rt0 = rtOf(await login())
  const a = await send('/auth/refresh', { cookie: `__Host-jwt_rt=${rt0.value}`, csrf: false })
  const b = await send('/auth/refresh', { cookie: `__Host-jwt_rt=${rt0.value}`, origin: 'https://evil.example' })
  const c = await send('/auth/logout', { cookie: `__Host-jwt_rt=${rt0.value}`, origin: null })
  for (const r of [a, b, c]) {
    assert.equal(r.status, 403)
    assert.equal(r.body.error, 'invalid_request')
    assert.deepEqual(r.cookies, [])
  }
  assert.equal(rtOf(await refresh(rt0.value)).secret, successorOf(rt0.familyId, rt0.secret))
})

test('a Durable Object that is down: login, refresh and logout answer 503 and touch no cookie; the guard is unaffected', async () => {
  await setClock(0)
  const ok = await login()
  const rt0 = rtOf(ok)
  for (const r of [
    await login('/broken/auth'),
    await refresh(rt0.value, '/broken/auth'),
    await logout(rt0.value, '/broken/auth'),
  ]) {
    assert.equal(r.status, 503)
    assert.deepEqual(r.body, { error: 'temporarily_unavailable' })
    assert.deepEqual(r.cookies, [])
  }
  assert.equal((await me(ok.body.access_token)).status, 200)
})

test('Durable Object store: only a secret of the family revokes it; refresh, logout and login with a stranger secret change nothing', async () => {
  await setClock(0)
  const victim = rtOf(await login())
  const stored = await family(victim.familyId)
  const strangers = [
    `${victim.familyId}.${'A'.repeat(43)}`,
    `${victim.familyId}.${victim.secret.slice(0, 21)}${'B'.repeat(22)}`,
  ]
  for (const value of strangers) {
    for (const r of [await refresh(value), await logout(value)]) {
      assert.equal(r.status, 400)
      assert.deepEqual(r.body, { error: 'invalid_grant' })
    }
    const relog = await send('/auth/login', {
      json: { login: 'alice', password: 'correct horse battery staple' },
      csrf: false,
      cookie: `__Host-jwt_rt=${value}`,
    })
    assert.equal(relog.status, 200)
  }
  assert.deepEqual(await family(victim.familyId), stored, 'the family is unchanged')
  // A spent secret of the family is reuse: the family ends (on refresh and on logout alike).
  const rt1 = rtOf(await refresh(victim.value))
  assert.equal(rt1.secret, successorOf(victim.familyId, victim.secret))
  await setClock(31)
  assert.equal((await logout(victim.value)).status, 204)
  assert.equal(await family(victim.familyId), null)
  await setClock(0)
})

test('10,000 unauthenticated requests (random logins, well-formed random tokens) start no Durable Object and write nothing', async () => {
  await setClock(0)
  rtOf(await login('/kv/auth'), '/kv/auth')
  const counts = async () => (await mf.dispatchFetch(`${BASE}/test/counts`)).json()
  const before = await counts()
  const random = (n) => randomBytes(n).toString('base64url')
  const token = () => `${random(16)}.${random(32)}`
  // Each login from a client of its own (CF-Connecting-IP), so every one reaches verifyUser
  // rather than stopping at one client's throttle budget.
  const client = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
  const kinds = [
    (i) =>
      send('/auth/login', { json: { login: `user-${i}-${random(6)}`, password: 'x' }, csrf: false, client: client(i) }),
    () => refresh(token()),
    () => logout(token()),
    (i) =>
      send('/auth/login', {
        json: { login: `user-${i}`, password: 'x' },
        csrf: false,
        cookie: `__Host-jwt_rt=${token()}`,
        client: client(i),
      }),
    (i) =>
      send('/kv/auth/login', {
        json: { login: `kv-${i}-${random(6)}`, password: 'x' },
        csrf: false,
        client: client(i),
      }),
    () => refresh(token(), '/kv/auth'),
    () => logout(token(), '/kv/auth'),
  ]
  const answered = {}
  const N = 10_000
  for (let i = 0; i < N; i += 100) {
    const batch = await Promise.all(Array.from({ length: 100 }, (_, j) => kinds[(i + j) % kinds.length](i + j)))
    for (const r of batch) answered[r.status] = (answered[r.status] ?? 0) + 1
  }
  assert.deepEqual(answered, { 400: N }, 'every one refused')
  assert.deepEqual(await counts(), before, 'no Durable Object got, none started, no KV write, no KV key')
})

const control = async (path) => assert.equal(await (await mf.dispatchFetch(`${BASE}${path}`)).text(), 'ok')

test('Durable Object store: refreshClaims gives each rotation the current claims; null ends the family', async () => {
  await setClock(0)
  const base = '/claims/auth'
  const rt0 = rtOf(await login(base), base)
  await control('/test/user?sub=u-alice&role=viewer')
  const r1 = await refresh(rt0.value, base)
  const rt1 = rtOf(r1, base)
  assert.equal(verifier.verify(r1.body.access_token).payload.role, 'viewer', 'the removed role is gone')
  assert.equal(verifier.verify((await refresh(rt1.value, base)).body.access_token).payload.role, 'viewer')
  await control('/test/user?sub=u-alice&role=')
  const dead = await refresh(`${rt1.familyId}.${successorOf(rt1.familyId, rt1.secret)}`, base)
  assert.equal(dead.status, 400)
  assert.deepEqual(dead.body, { error: 'invalid_grant' })
  assert.deepEqual(dead.cookies, [clearOf()])
  assert.equal(await family(rt0.familyId), null, 'the family ended')
  await control('/test/user?sub=u-alice')
})

for (const [name, base, store] of [
  ['Durable Object store', '/auth', 'do'],
  ['Durable Object store (SQLite-backed)', '/sql/auth', 'sql'],
  ['KV store', '/kv/auth', 'kv'],
]) {
  test(`${name}: revokeUser(sub) ends every family of that user, rotated or not, and no other`, async () => {
    await setClock(0)
    const a = rtOf(await login(base), base)
    const b = rtOf(await refresh(rtOf(await login(base), base).value, base), base)
    const c = rtOf(await login(base), base)
    await control(`/test/revoke-user?store=${store}&sub=u-other`)
    assert.notEqual(await family(a.familyId, store), null, 'another user: nothing ended')
    await control(`/test/revoke-user?store=${store}&sub=u-alice`)
    for (const rt of [a, b, c]) {
      assert.equal(await family(rt.familyId, store), null)
      assert.equal((await refresh(rt.value, base)).status, 400)
    }
    // A login after it starts a family that lives.
    const d = rtOf(await login(base), base)
    assert.equal(rtOf(await refresh(d.value, base), base).familyId, d.familyId)
    await control(`/test/revoke-user?store=${store}&sub=u-alice`)
  })
}

test('item 10: every invalid_grant answers 400 (RFC 6749 §5.2), not 401: wrong login; refresh and logout with a forged, reused or expired token', async () => {
  await setClock(0)
  const grant = { error: 'invalid_grant' }
  const wrong = await send('/auth/login', { json: { login: 'alice', password: 'wrong' }, csrf: false })
  assert.deepEqual([wrong.status, wrong.body, wrong.cookies], [400, grant, []], 'wrong password')
  const rt0 = rtOf(await login())
  const rt1 = rtOf(await refresh(rt0.value))
  const forged = `${rt1.familyId}.${'A'.repeat(43)}`
  await setClock(31) // past the 30 s grace window: rt0 is reuse
  for (const [what, r] of [
    ['refresh, forged', await refresh(forged)],
    ['logout, forged', await logout(forged)],
    ['refresh, reused', await refresh(rt0.value)],
    ['refresh, revoked by the reuse', await refresh(rt1.value)],
  ]) {
    assert.deepEqual([r.status, r.body, r.cookies], [400, grant, [clearOf()]], what)
  }
  await setClock(0)
  const idle = rtOf(await login())
  await setClock(86400 + 1) // past the 24 h idle timeout
  const expired = await refresh(idle.value)
  assert.deepEqual([expired.status, expired.body, expired.cookies], [400, grant, [clearOf()]], 'refresh, expired')
  await setClock(0)
})
