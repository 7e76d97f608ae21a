// guard({ verifier }) (issue 13): tokens signed with public keys are verified by an injected
// verifier whose `verifyAsync(token, { now, scope })` the guard awaits, with the request as the
// scope of its key set's single flight. The verifier is the whole policy (no `at+jwt` default,
// no keys beside it); token failures get the same RFC 6750 answers as a Verifier's; a key set
// with no usable keys is 503 (reported), never 401. jwt-wasm/edge imports nothing of jwt-wasm/keys.
// Here the verifier is a stand-in with the interface; tests/js/keys/guard.test.mjs and
// tests/js/workerd/keys-guard.test.mjs run the real PublicKeyVerifier.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JWSSignatureVerificationFailed, JWTClaimValidationFailed, JWTExpired, KeyInvalid } from 'jwt-wasm'
import { guard } from 'jwt-wasm/edge'
import { jwtGuard } from 'jwt-wasm/hono'
import { Hono } from 'hono'
import { ask, bearer, clock, invalidToken, MISSING, NOW, refused, spy } from './guard-harness.mjs'

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln'

/** A verifier with the injected interface: records its calls, answers `outcome(token)`. */
function stand(outcome = () => ({ header: { alg: 'ES256', kid: 'k1' }, payload: { sub: 'u1', scope: 'read' } })) {
  const calls = []
  return {
    calls,
    verifyAsync(token, options) {
      calls.push({ token, options })
      return Promise.resolve().then(() => outcome(token))
    },
  }
}

test('guard({ verifier }): the verifier is awaited with the token, the clock and the request as scope', async () => {
  const v = stand()
  const { calls, handler } = spy()
  const res = await ask(guard(handler, { verifier: v, clock, realm: 'api', scopes: ['read'] }), bearer(TOKEN))
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { sub: 'u1', kid: 'k1' })
  assert.equal(v.calls.length, 1)
  assert.equal(v.calls[0].token, TOKEN)
  assert.equal(v.calls[0].options.now.getTime(), NOW * 1000)
  assert.ok(v.calls[0].options.scope instanceof Request, 'the scope is the request')
  assert.equal(v.calls[0].options.scope, calls[0].request)
  assert.ok(Object.isFrozen(calls[0].auth.payload))
})

test('guard({ verifier }): without a clock, `now` is left to the verifier; a function of env is called once', async () => {
  const v = stand()
  let made = 0
  const g = guard(spy().handler, {
    verifier: async () => {
      made++
      return v
    },
  })
  for (let i = 0; i < 3; i++) assert.equal((await ask(g, bearer(TOKEN))).status, 200)
  assert.equal(made, 1)
  assert.equal(v.calls[0].options.now, undefined)
})

test("guard({ verifier }): the verifier's policy is the whole policy: no at+jwt default, no keys or Verifier options beside it", async () => {
  // A token whose header has typ JWT (an identity provider's) passes: the guard adds no typ.
  const v = stand(() => ({ header: { alg: 'RS256', typ: 'JWT' }, payload: { sub: 'u1' } }))
  assert.equal((await ask(guard(spy().handler, { verifier: v }), bearer(TOKEN))).status, 200)
  for (const extra of [
    { keys: [{ alg: 'HS256', secret: 'x'.repeat(32) }] },
    { typ: 'at+jwt' },
    { issuer: 'https://idp.example' },
    { algorithms: ['RS256'] },
    { audience: 'api' },
  ]) {
    const name = Object.keys(extra)[0]
    assert.throws(() => guard(spy().handler, { verifier: v, ...extra }), {
      code: 'ERR_INVALID_OPTIONS',
      message: `options.${name} is not used with options.verifier`,
    })
  }
  assert.throws(() => guard(spy().handler, { verifier: v, decrypt: { decrypt() {}, typ: 'at+jwt' } }), {
    code: 'ERR_INVALID_OPTIONS',
    message: 'options.verifier is not used with options.decrypt',
  })
  for (const bad of [null, {}, { verify() {} }, 'RS256'])
    assert.throws(() => guard(spy().handler, { verifier: bad }), {
      code: 'ERR_INVALID_OPTIONS',
      message: /options\.verifier/,
    })
})

test('guard({ verifier }): token failures get the same 401 invalid_token answers as a Verifier', async () => {
  const cases = [
    [new JWSSignatureVerificationFailed(), 'The access token signature is invalid'],
    [new JWTExpired(undefined, { claim: 'exp', reason: 'check_failed' }), 'The access token expired'],
    [
      new JWTClaimValidationFailed(undefined, { claim: 'iss', reason: 'check_failed' }),
      'The access token issuer is not accepted',
    ],
  ]
  for (const [error, description] of cases) {
    const { calls, handler } = spy()
    const g = guard(handler, {
      verifier: stand(() => {
        throw error
      }),
      realm: 'api',
    })
    await refused(await ask(g, bearer(TOKEN)), ...invalidToken(description))
    assert.equal(calls.length, 0)
  }
  // No token at all: the verifier is not called.
  const v = stand()
  await refused(await ask(guard(spy().handler, { verifier: v, realm: 'api' })), ...MISSING)
  assert.equal(v.calls.length, 0)
})

test('guard({ verifier }): a key set with no usable keys is 503 temporarily_unavailable, reported; anything else 500', async () => {
  const keySetErrors = [
    'ERR_JWKS_TIMEOUT',
    'ERR_JWKS_FETCH_FAILED',
    'ERR_JWKS_TOO_LARGE',
    'ERR_JWKS_INVALID',
    'ERR_JWK_INVALID',
  ]
  for (const code of keySetErrors) {
    const errors = []
    const error = Object.assign(new Error('the key set'), { code })
    const g = guard(spy().handler, {
      verifier: stand(() => {
        throw error
      }),
      realm: 'api',
      onError: (e) => errors.push(e),
    })
    const res = await ask(g, bearer(TOKEN))
    assert.equal(res.status, 503, code)
    assert.equal(res.headers.get('www-authenticate'), null, 'not a challenge: the token was not judged')
    assert.equal(res.headers.get('cache-control'), 'no-store')
    assert.deepEqual(await res.json(), {
      error: 'temporarily_unavailable',
      error_description: 'The keys that verify access tokens are unavailable',
    })
    assert.deepEqual(errors, [error])
  }
  for (const error of [new KeyInvalid(), new TypeError('boom')]) {
    const errors = []
    const g = guard(spy().handler, {
      verifier: stand(() => {
        throw error
      }),
      onError: (e) => errors.push(e),
    })
    const res = await ask(g, bearer(TOKEN))
    assert.equal(res.status, 500)
    assert.deepEqual(await res.json(), { error: 'server_error' })
    assert.deepEqual(errors, [error])
  }
})

test('jwtGuard({ verifier }): the Hono middleware takes the same option', async () => {
  const app = new Hono()
  app.use('/api/*', jwtGuard({ verifier: stand(), realm: 'api' }))
  app.get('/api/me', (c) => c.json({ sub: c.get('jwt').payload.sub }))
  const ok = await app.request('/api/me', { headers: bearer(TOKEN) })
  assert.equal(ok.status, 200)
  assert.deepEqual(await ok.json(), { sub: 'u1' })
})

test('jwt-wasm/edge imports nothing of jwt-wasm/keys (the PublicKeyVerifier is injected)', () => {
  const dir = join(dirname(fileURLToPath(import.meta.resolve('jwt-wasm/package.json'))), 'edge')
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(dir, file), 'utf8')
    assert.doesNotMatch(text, /from '[^']*keys[^']*'/, file)
  }
})
