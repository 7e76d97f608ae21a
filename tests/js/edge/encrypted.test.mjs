// Encrypted access tokens at the edge (issue 11): `authRoutes({ encrypt })` mints nested JWEs
// (sign, then encrypt) with an injected Encrypter; `guard({ decrypt })` reads them with an
// injected Decrypter and answers exactly as for a JWS (RFC 6750). Once a guard requires
// encryption a plain JWS, even one signed with the right key, is refused (no downgrade); a
// guard without `decrypt` refuses a JWE as malformed. jwt-wasm/edge imports nothing of the jwe.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compactDecrypt } from 'jose'
import { Hono } from 'hono'
import { guard } from 'jwt-wasm/edge'
import { jwtGuard } from 'jwt-wasm/hono'
import { Decrypter, Encrypter } from 'jwt-wasm/jwe'
import { ACCESS_KEY, NOW, at, login, refresh, refreshCookie, setup, verifier } from './auth-harness.mjs'
import { ask, bearer, invalidToken, refused, spy } from './guard-harness.mjs'

const JWE_KEY = { alg: 'A256KW', kid: 'jwe-2026', secret: new Uint8Array(32).fill(42) }
const encrypter = new Encrypter({ key: JWE_KEY, enc: 'A256GCM' })
const INNER = {
  keys: [ACCESS_KEY],
  algorithms: ['HS256'],
  issuer: 'https://app.example',
  audience: 'api',
  typ: 'at+jwt',
}
const decrypter = new Decrypter({ keys: [JWE_KEY], algorithms: ['A256KW'], encryptions: ['A256GCM'], verifier: INNER })
const clock = () => new Date(NOW * 1000)

describe('authRoutes({ encrypt }): encrypted access tokens', () => {
  test('login and refresh answer a nested JWE (cty JWT) whose JWS is the one a JWS answer carries', async () => {
    const { handler, t } = setup({ options: { encrypt: encrypter } })
    const r = await login(handler)
    assert.equal(r.status, 200)
    assert.deepEqual(Object.keys(r.body), ['access_token', 'token_type', 'expires_in'])
    assert.equal(r.body.expires_in, 900, 'the session times it by expires_in: always sent')
    const token = r.body.access_token
    assert.equal(token.split('.').length, 5)
    const { plaintext, protectedHeader } = await compactDecrypt(token, JWE_KEY.secret)
    assert.deepEqual(protectedHeader, { alg: 'A256KW', enc: 'A256GCM', kid: 'jwe-2026', cty: 'JWT' })
    const { header, payload } = verifier.verify(new TextDecoder().decode(plaintext), at(NOW))
    assert.equal(header.typ, 'at+jwt')
    assert.equal(payload.sub, 'u-alice')
    assert.equal(payload.role, 'admin')
    t.now += 60
    const again = await refresh(handler, refreshCookie(r).value)
    assert.equal(again.status, 200)
    assert.equal(decrypter.decrypt(again.body.access_token, at(t.now)).payload.sub, 'u-alice')
  })

  test('an Encrypter per isolate from env: (env) => Encrypter, called once', async () => {
    let calls = 0
    const { handler } = setup({
      options: {
        encrypt: () => {
          calls++
          return encrypter
        },
      },
    })
    for (let i = 0; i < 2; i++) assert.equal((await login(handler)).body.access_token.split('.').length, 5)
    assert.equal(calls, 1)
  })

  test('options.encrypt must be an Encrypter: anything else is a TypeError at authRoutes()', () => {
    for (const encrypt of [null, {}, 'A256KW', { encrypt: 'x' }])
      assert.throws(() => setup({ options: { encrypt } }), { code: 'ERR_INVALID_OPTIONS', message: /options\.encrypt/ })
  })
})

describe('guard({ decrypt }): the Decrypter is the token policy', () => {
  const sealed = async () => (await login(setup({ options: { encrypt: encrypter } }).handler)).body.access_token
  const plain = async () => (await login(setup().handler)).body.access_token

  test('an encrypted access token passes: the handler gets the inner header and payload', async () => {
    const { calls, handler } = spy()
    const res = await ask(guard(handler, { decrypt: decrypter, clock, realm: 'api' }), bearer(await sealed()))
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { sub: 'u-alice', kid: 'at-2026-01' })
    assert.equal(calls[0].auth.header.typ, 'at+jwt')
    assert.ok(Object.isFrozen(calls[0].auth.payload))
  })

  test('the guard reads through decryptAsync (WebCrypto decrypts the content), never the synchronous decrypt', async () => {
    const byWebCrypto = new Decrypter({
      keys: [JWE_KEY],
      algorithms: ['A256KW'],
      encryptions: ['A256GCM'],
      verifier: INNER,
      cipher: 'webcrypto',
    })
    const asked = []
    const d = {
      typ: byWebCrypto.typ,
      decryptAsync: (t, o) => (asked.push(t), byWebCrypto.decryptAsync(t, o)),
      decrypt: () => assert.fail('the guard called decrypt'),
    }
    const token = await sealed()
    const { calls, handler } = spy()
    const res = await ask(guard(handler, { decrypt: d, clock, realm: 'api' }), bearer(token))
    assert.equal(res.status, 200)
    assert.deepEqual(asked, [token])
    assert.equal(calls[0].auth.payload.sub, 'u-alice')
    const bad = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`
    const g = guard(handler, { decrypt: d, clock, realm: 'api' })
    await refused(await ask(g, bearer(bad)), ...invalidToken('The access token could not be decrypted'))
    // A reader with only the synchronous decrypt is not a Decrypter of this version.
    assert.throws(() => guard(handler, { decrypt: { typ: 'at+jwt', decrypt: d.decrypt } }), {
      code: 'ERR_INVALID_OPTIONS',
      message: /options\.decrypt must be a Decrypter/,
    })
    byWebCrypto.free()
  })

  test('a plain JWS signed with the right key: 401 invalid_token (encryption is not optional)', async () => {
    const { calls, handler } = spy()
    const g = guard(handler, { decrypt: decrypter, clock, realm: 'api' })
    await refused(
      await ask(g, bearer(await plain())),
      ...invalidToken('The access token is not a valid encrypted token'),
    )
    assert.equal(calls.length, 0)
  })

  test('a JWE sent to a guard without decrypt: 401 invalid_token, malformed', async () => {
    const { calls, handler } = spy()
    const g = guard(handler, {
      keys: [ACCESS_KEY],
      algorithms: ['HS256'],
      issuer: 'https://app.example',
      audience: 'api',
      clock,
      realm: 'api',
    })
    await refused(await ask(g, bearer(await sealed())), ...invalidToken('The access token is malformed'))
    assert.equal(calls.length, 0)
  })

  test('a JWE altered, under another key, or expired: 401 invalid_token with the same answers', async () => {
    const { handler } = spy()
    const g = guard(handler, { decrypt: decrypter, clock, realm: 'api' })
    const token = await sealed()
    const p = token.split('.')
    const tag = Buffer.from(p[4], 'base64url')
    tag[0] ^= 1
    const forged = [...p.slice(0, 4), tag.toString('base64url')].join('.')
    await refused(await ask(g, bearer(forged)), ...invalidToken('The access token could not be decrypted'))
    const other = new Encrypter({ key: { ...JWE_KEY, secret: new Uint8Array(32).fill(1) }, enc: 'A256GCM' })
    const inner = new TextDecoder().decode((await compactDecrypt(token, JWE_KEY.secret)).plaintext)
    await refused(
      await ask(g, bearer(other.encrypt(inner))),
      ...invalidToken('The access token could not be decrypted'),
    )
    const late = guard(handler, { decrypt: decrypter, clock: () => new Date((NOW + 3600) * 1000), realm: 'api' })
    await refused(await ask(late, bearer(token)), ...invalidToken('The access token expired'))
  })

  test('a Decrypter from env, once per guard; a function that gives no Decrypter: 500, reported', async () => {
    let calls = 0
    const errors = []
    const g = guard(spy().handler, {
      decrypt: () => {
        calls++
        return decrypter
      },
      clock,
    })
    const token = await sealed()
    for (let i = 0; i < 2; i++) assert.equal((await ask(g, bearer(token))).status, 200)
    assert.equal(calls, 1)
    const broken = guard(spy().handler, { decrypt: () => ({}), clock, onError: (e) => errors.push(e) })
    assert.equal((await ask(broken, bearer(token))).status, 500)
    assert.equal(errors[0].code, 'ERR_INVALID_OPTIONS')
  })

  test('with decrypt, keys and Verifier options are refused: one policy, the Decrypter’s', () => {
    const h = spy().handler
    for (const extra of [{ keys: [ACCESS_KEY] }, { algorithms: ['HS256'] }, { typ: 'at+jwt' }, { issuer: 'x' }])
      assert.throws(() => guard(h, { decrypt: decrypter, ...extra }), {
        code: 'ERR_INVALID_OPTIONS',
        message: /not used with options\.decrypt/,
      })
    for (const decrypt of [null, {}, { decrypt: 1 }])
      assert.throws(() => guard(h, { decrypt }), { code: 'ERR_INVALID_OPTIONS', message: /options\.decrypt/ })
    // A Decrypter whose verifier takes any typ would let an ID token or a logout token through.
    const anyTyp = new Decrypter({
      keys: [JWE_KEY],
      algorithms: ['A256KW'],
      encryptions: ['A256GCM'],
      verifier: { ...INNER, typ: undefined },
    })
    assert.equal(anyTyp.typ, undefined)
    assert.equal(decrypter.typ, 'at+jwt')
    assert.throws(() => guard(h, { decrypt: anyTyp }), { code: 'ERR_INVALID_OPTIONS', message: /must name a typ/ })
    guard(h, { decrypt: decrypter, scopes: ['read'], realm: 'api', cookie: 'at', clock, onError() {} })
  })

  test('the Hono middleware takes decrypt too: c.get("jwt") is the inner token', async () => {
    const app = new Hono()
    app.use('/api/*', jwtGuard({ decrypt: decrypter, clock, realm: 'api' }))
    app.get('/api/me', (c) => c.json({ sub: c.get('jwt').payload.sub }))
    const ok = await app.request('https://api.test/api/me', { headers: bearer(await sealed()) })
    assert.deepEqual(await ok.json(), { sub: 'u-alice' })
    const res = await app.request('https://api.test/api/me', { headers: bearer(await plain()) })
    await refused(res, ...invalidToken('The access token is not a valid encrypted token'))
  })

  test('jwt-wasm/edge imports nothing of jwt-wasm/jwe (the Encrypter and Decrypter are injected)', () => {
    const dir = join(dirname(fileURLToPath(import.meta.resolve('jwt-wasm/package.json'))), 'edge')
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(dir, file), 'utf8')
      assert.doesNotMatch(text, /from '[^']*jwe[^']*'/, file)
    }
  })
})
