// jwt-wasm/jwe on real workerd (issue 11): encrypted access tokens from login to logout (login
// → guarded call → refresh → guarded call → logout → the refresh token refused), an injected
// Encrypter in authRoutes and Decrypter in guard; jose's JWEs decrypted there and ours decrypted
// by jose; and a Worker that only decrypts bundles the jwe artifact alone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { CompactEncrypt, compactDecrypt, jwtVerify } from 'jose'
import { Signer } from 'jwt-wasm'
import { startWorker } from './harness.mjs'

const BASE = 'http://localhost'
const ACCESS_SECRET = 'workerd-jwe-access-secret-0123456789'
const JWE_HEX = '2a'.repeat(32)
let edge
let only
let onlyDir

const COMMON = `
const hex = (h) => Uint8Array.from(h.match(/../g), (b) => parseInt(b, 16))
const jweKey = (env) => ({ alg: 'A256KW', kid: 'jwe-1', secret: hex(env.JWE_HEX) })
const inner = (env) => ({ keys: [{ kid: 'at-1', alg: 'HS256', secret: env.ACCESS_SECRET }], algorithms: ['HS256'], typ: 'at+jwt' })
`

before(async () => {
  const dir = mkdtempSync(join(process.cwd(), 'workerd-jwe-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { authRoutes, guard, memoryStore } from 'jwt-wasm/edge'
import { Decrypter, Encrypter } from 'jwt-wasm/jwe'
${COMMON}
const store = memoryStore()
const routes = authRoutes({
  signer: (env) => ({ kid: 'at-1', alg: 'HS256', secret: env.ACCESS_SECRET }),
  encrypt: (env) => new Encrypter({ key: jweKey(env), enc: 'A256GCM' }),
  verifyUser: async (login, password) => (login === 'alice' && password === 'pw' ? { sub: 'u-alice' } : null),
  store: () => store,
  refreshSecret: (env) => env.ACCESS_SECRET + '-refresh',
})
const me = guard((request, env, ctx, { payload }) => Response.json({ sub: payload.sub }), {
  decrypt: (env) => new Decrypter({ keys: [jweKey(env)], algorithms: ['A256KW'], encryptions: ['A256GCM'], verifier: inner(env) }),
})
export default {
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname
    if (path.startsWith('/auth/')) return (await routes(request, env, ctx)) ?? new Response(null, { status: 404 })
    if (path === '/api/me') return me(request, env, ctx)
    return new Response(null, { status: 404 })
  },
}
`,
  )
  ;({ mf: edge } = await startWorker(join(dir, 'worker.js'), { bindings: { ACCESS_SECRET, JWE_HEX } }))

  onlyDir = mkdtempSync(join(process.cwd(), 'workerd-jwe-only-'))
  writeFileSync(
    join(onlyDir, 'worker.js'),
    `import { Decrypter, Encrypter, JwtError } from 'jwt-wasm/jwe'
${COMMON}
export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    const token = url.searchParams.get('token')
    try {
      if (url.pathname === '/encrypt') return new Response(new Encrypter({ key: jweKey(env), enc: url.searchParams.get('enc') }).encrypt(token))
      const d = new Decrypter({ keys: [jweKey(env)], algorithms: ['A256KW'], encryptions: ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512'], verifier: inner(env) })
      return Response.json(d.decrypt(token))
    } catch (e) {
      if (!(e instanceof JwtError)) throw e
      return Response.json({ code: e.code }, { status: 400 })
    }
  },
}
`,
  )
  ;({ mf: only } = await startWorker(join(onlyDir, 'worker.js'), { bindings: { ACCESS_SECRET, JWE_HEX } }))
})

after(async () => {
  await edge?.dispose()
  await only?.dispose()
})

async function send(path, { cookie, json, token } = {}) {
  const headers = { origin: BASE }
  if (!json) headers['x-requested-with'] = 'fetch'
  if (cookie) headers.cookie = cookie
  if (json) headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  const res = await edge.dispatchFetch(`${BASE}${path}`, {
    method: token ? 'GET' : 'POST',
    headers,
    body: json ? JSON.stringify(json) : undefined,
  })
  const text = await res.text()
  const rt = res.headers
    .getSetCookie()
    .map((c) => /^__Host-jwt_rt=([^;]+)/.exec(c)?.[1])
    .find(Boolean)
  return {
    status: res.status,
    body: text ? JSON.parse(text) : null,
    rt,
    challenge: res.headers.get('www-authenticate'),
  }
}

const key = Buffer.from(JWE_HEX, 'hex')

test('login → guarded call → refresh → guarded call → logout, with encrypted access tokens', async () => {
  const login = await send('/auth/login', { json: { login: 'alice', password: 'pw' } })
  assert.equal(login.status, 200)
  assert.equal(login.body.expires_in, 900)
  const first = login.body.access_token
  assert.equal(first.split('.').length, 5)
  const { protectedHeader, plaintext } = await compactDecrypt(first, key)
  assert.deepEqual(protectedHeader, { alg: 'A256KW', enc: 'A256GCM', kid: 'jwe-1', cty: 'JWT' })
  assert.equal(
    (await jwtVerify(new TextDecoder().decode(plaintext), new TextEncoder().encode(ACCESS_SECRET))).payload.sub,
    'u-alice',
  )
  assert.deepEqual((await send('/api/me', { token: first })).body, { sub: 'u-alice' })

  const refreshed = await send('/auth/refresh', { cookie: `__Host-jwt_rt=${login.rt}` })
  assert.equal(refreshed.status, 200)
  const second = refreshed.body.access_token
  assert.notEqual(second, first)
  assert.deepEqual((await send('/api/me', { token: second })).body, { sub: 'u-alice' })

  const out = await send('/auth/logout', { cookie: `__Host-jwt_rt=${refreshed.rt}` })
  assert.ok(out.status < 300, `logout answered ${out.status}`)
  assert.equal((await send('/auth/refresh', { cookie: `__Host-jwt_rt=${refreshed.rt}` })).status, 400)
})

test('the guard with decrypt refuses the inner JWS sent bare, and a JWE under another key', async () => {
  const login = await send('/auth/login', { json: { login: 'alice', password: 'pw' } })
  const bare = new TextDecoder().decode((await compactDecrypt(login.body.access_token, key)).plaintext)
  const r = await send('/api/me', { token: bare })
  assert.equal(r.status, 401)
  assert.match(
    r.challenge,
    /error="invalid_token", error_description="The access token is not a valid encrypted token"/,
  )
  const other = await new CompactEncrypt(new TextEncoder().encode(bare))
    .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM', kid: 'jwe-1', cty: 'JWT' })
    .encrypt(new Uint8Array(32).fill(1))
  const r2 = await send('/api/me', { token: other })
  assert.equal(r2.status, 401)
  assert.match(r2.challenge, /could not be decrypted/)
})

test('jose CompactEncrypt → Decrypter on workerd, and Encrypter on workerd → jose, every enc', async () => {
  const jws = new Signer({ key: { kid: 'at-1', alg: 'HS256', secret: ACCESS_SECRET }, typ: 'at+jwt', ttl: 600 }).sign({
    sub: 'w',
  })
  for (const enc of ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512']) {
    const theirs = await new CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'A256KW', enc, cty: 'JWT' })
      .encrypt(key)
    const res = await only.dispatchFetch(`${BASE}/decrypt?token=${theirs}`)
    assert.equal(res.status, 200, enc)
    assert.equal((await res.json()).payload.sub, 'w')
    const ours = await (await only.dispatchFetch(`${BASE}/encrypt?enc=${enc}&token=${jws}`)).text()
    assert.equal(new TextDecoder().decode((await compactDecrypt(ours, key)).plaintext), jws, enc)
  }
  const tampered = await only.dispatchFetch(`${BASE}/decrypt?token=${jws}`)
  assert.deepEqual(await tampered.json(), { code: 'ERR_JWE_INVALID' })
})

test('a Worker that only encrypts and decrypts bundles the jwe artifact alone', () => {
  const wasm = readdirSync(join(onlyDir, 'out')).filter((f) => f.endsWith('.wasm'))
  assert.equal(wasm.length, 1, `${wasm}`)
  assert.match(wasm[0], /^jwt_wasm_jwe/)
})
