// The harness of the authRoutes tests (tests/js/edge/auth-*.test.mjs): the application's
// verifyUser (PBKDF2, the same work for an unknown login), a handler over the memory store with a
// pinned clock (the `clock` option; no global is patched), requests, cookie parsing, the token
// answer check, and store fakes that record calls or fail on demand.
import assert from 'node:assert/strict'
import { createHmac, createHash } from 'node:crypto'
import { Verifier } from 'jwt-wasm'
import { authRoutes, memoryStore } from 'jwt-wasm/edge'

export const NOW = 1_767_225_600 // 2026-01-01T00:00:00Z
export const ORIGIN = 'https://app.example'
export const ACCESS_KEY = { kid: 'at-2026-01', alg: 'HS256', secret: 'access-token-secret-0123456789-abcdef' }
export const REFRESH_SECRET = 'refresh-derivation-secret-0123456789abcdef'
export const DEVICE_SECRET = 'device-binding-secret-0123456789-abcdefgh'
export const DAY = 86400
export const LIFETIME = 14 * DAY
export const RT =
  /^__Host-jwt_rt=([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43}); HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=(\d+)$/
export const CLEAR = '__Host-jwt_rt=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0'

export const b64url = (buf) => Buffer.from(buf).toString('base64url')
const mac = (message) => b64url(createHmac('sha256', REFRESH_SECRET).update(message).digest())
/** The tag rule, computed independently: a 21-character chain value, then its 22-character tag. */
export const tagged = (familyId, chain) => chain + mac(`rt-tag\0${familyId}.${chain}`).slice(0, 22)
/** The successor rule, computed independently (see src/js/edge/refresh-token.js). */
export const successorOf = (familyId, secret) => tagged(familyId, mac(`rt-next\0${familyId}.${secret}`).slice(0, 21))
export const sha256 = (s) => b64url(createHash('sha256').update(s).digest())

// ---- The application's verifyUser: PBKDF2 hashes, and the same work for an unknown login. ----
const enc = new TextEncoder()
async function pbkdf2(password, salt) {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits'])
  return new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 10_000 }, key, 256),
  )
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
export let verifyCalls = 0
export async function verifyUser(login, password) {
  verifyCalls++
  const user = users.get(login)
  const record = user ?? DUMMY
  const ok = equal(await pbkdf2(password, record.salt), record.hash)
  return user && ok ? { sub: user.sub, ...(user.claims ? { claims: user.claims } : {}) } : null
}

// ---- Harness ----
export function setup(extra = {}) {
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
    // app.example is not a loopback host: the routes need their allowed origin configured.
    allowedOrigins: [ORIGIN],
    ...extra.options,
  })
  return { t, store, handler }
}

export function request(
  path,
  { method = 'POST', origin = ORIGIN, csrf = true, cookie, json, form, body, type, headers = {} } = {},
) {
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

export async function call(handler, path, init) {
  const res = await handler(request(path, init), {}, {})
  assert.ok(res instanceof Response, `${path} answered null`)
  const text = await res.text()
  return { res, status: res.status, body: text ? JSON.parse(text) : null, cookies: res.headers.getSetCookie() }
}

export const login = (h, login = 'alice', password = 'correct horse battery staple', init = {}) =>
  call(h, '/auth/login', { json: { login, password }, csrf: false, ...init })
export const refresh = (h, rt, init = {}) =>
  call(h, '/auth/refresh', { cookie: rt === undefined ? undefined : `__Host-jwt_rt=${rt}`, ...init })
export const logout = (h, rt, init = {}) =>
  call(h, '/auth/logout', { cookie: rt === undefined ? undefined : `__Host-jwt_rt=${rt}`, ...init })

export function refreshCookie(r, maxAge = LIFETIME) {
  assert.equal(r.cookies.length >= 1, true, 'no Set-Cookie')
  const m = RT.exec(r.cookies[0])
  assert.ok(m, `unexpected refresh cookie: ${r.cookies[0]}`)
  assert.equal(Number(m[3]), maxAge)
  return { value: `${m[1]}.${m[2]}`, familyId: m[1], secret: m[2] }
}

export const verifier = new Verifier({
  keys: [ACCESS_KEY],
  algorithms: ['HS256'],
  issuer: 'https://app.example',
  audience: 'api',
})
export const at = (t) => ({ currentDate: new Date(t * 1000) })

export function assertTokenAnswer(r, now) {
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

const STORE_METHODS = ['create', 'rotate', 'revoke', 'read', 'revokeUser']

/**
 * A memory store that records the name of every call in `calls`, and fails (rejects) the calls
 * `broken(name)` picks.
 */
export function storeSpy(broken = () => false) {
  const inner = memoryStore()
  const calls = []
  const store = { calls }
  for (const name of STORE_METHODS) {
    store[name] = async (...args) => {
      calls.push(name)
      if (broken(name)) throw new Error(`store down (${name})`)
      return inner[name](...args)
    }
  }
  return store
}

/** A store that is down (every call, or those `broken(name)` picks). */
export const brokenStore = (broken = () => true) => storeSpy(broken)
