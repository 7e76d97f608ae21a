// guard({ verifier }) with the real PublicKeyVerifier (issue 13), in Node: tokens signed in the
// test by WebCrypto, keys from a localKeySet, a remoteKeySet over an injected fetch (counted: a
// cached key set costs no fetch on the hot path; a key set that cannot be fetched is 503, not 401)
// and the Firebase preset, whose keys are X.509 certificates. Time is pinned by the guard's clock.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPrivateKey, sign as nodeSign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { guard } from 'jwt-wasm/edge'
import { PublicKeyVerifier, firebase, localKeySet, remoteKeySet } from 'jwt-wasm/keys'
import { ask, bearer, invalidToken, refused, spy } from '../edge/guard-harness.mjs'
import { NOW, claims, keyPair, sign } from './signing.mjs'

const clock = () => new Date(NOW * 1000)
const POLICY = { issuer: 'https://idp.test', audience: 'api' }
const x509 = JSON.parse(readFileSync(new URL('./fixtures/x509-rsa.json', import.meta.url), 'utf8'))

/** A fetch that answers `body` (a JSON value) or throws, counting its calls. */
function counted(answer) {
  const f = async (url) => {
    f.calls.push(String(url))
    const body = await answer(f.calls.length)
    return new Response(JSON.stringify(body), {
      headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' },
    })
  }
  f.calls = []
  return f
}

test('a localKeySet: an identity provider token passes (its typ JWT is no problem); a forgery or an unknown kid is 401', async () => {
  const idp = await keyPair('ES256', { kid: 'idp-1' })
  const verifier = new PublicKeyVerifier({ keys: localKeySet({ keys: [idp.jwk] }), algorithms: ['ES256'], ...POLICY })
  const { calls, handler } = spy()
  const g = guard(handler, { verifier, clock, realm: 'api', scopes: ['read'] })
  const res = await ask(g, bearer(await sign(idp, { typ: 'JWT' }, claims({ scope: 'read write' }))))
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { sub: 'u1', kid: 'idp-1' })
  assert.equal(calls[0].auth.header.typ, 'JWT')
  const other = await keyPair('ES256', { kid: 'idp-1' })
  await refused(
    await ask(g, bearer(await sign(other, {}, claims({ scope: 'read' })))),
    ...invalidToken('The access token signature is invalid'),
  )
  const stranger = await keyPair('ES256', { kid: 'nobody' })
  await refused(
    await ask(g, bearer(await sign(stranger, {}, claims({ scope: 'read' })))),
    ...invalidToken('No key matches the access token'),
  )
  await refused(
    await ask(g, bearer(await sign(idp, {}, claims({ scope: 'read', exp: NOW - 1 })))),
    ...invalidToken('The access token expired'),
  )
  assert.equal(calls.length, 1)
})

test('a remoteKeySet: one fetch for many requests (none on the hot path); a rotation is found through the unknown kid', async () => {
  const a = await keyPair('RS256', { kid: 'a' })
  const b = await keyPair('RS256', { kid: 'b' })
  const fetch = counted((n) => ({ keys: n === 1 ? [a.jwk] : [a.jwk, b.jwk] }))
  const keys = remoteKeySet('https://idp.test/.well-known/jwks.json', { fetch, cache: false })
  const g = guard(spy().handler, { verifier: new PublicKeyVerifier({ keys, algorithms: ['RS256'], ...POLICY }), clock })
  const token = await sign(a, {}, claims())
  for (let i = 0; i < 50; i++) assert.equal((await ask(g, bearer(token))).status, 200)
  assert.equal(fetch.calls.length, 1, 'a cached key set costs no fetch on the hot path')
  // The provider rotated in key b: its first token makes the key set look once more.
  assert.equal((await ask(g, bearer(await sign(b, {}, claims())))).status, 200)
  assert.equal(fetch.calls.length, 2)
  for (let i = 0; i < 10; i++) assert.equal((await ask(g, bearer(await sign(b, {}, claims())))).status, 200)
  assert.equal(fetch.calls.length, 2)
})

test('a key set that cannot be fetched, with nothing cached: 503 temporarily_unavailable, reported; never 401', async () => {
  const a = await keyPair('ES256', { kid: 'a' })
  const fetch = counted(() => {
    throw new TypeError('network down')
  })
  const keys = remoteKeySet('https://idp.test/jwks.json', { fetch, cache: false })
  const errors = []
  const g = guard(spy().handler, {
    verifier: new PublicKeyVerifier({ keys, algorithms: ['ES256'], ...POLICY }),
    clock,
    onError: (e) => errors.push(e),
  })
  const res = await ask(g, bearer(await sign(a, {}, claims())))
  assert.equal(res.status, 503)
  assert.equal(res.headers.get('www-authenticate'), null)
  assert.deepEqual(await res.json(), {
    error: 'temporarily_unavailable',
    error_description: 'The keys that verify access tokens are unavailable',
  })
  assert.equal(errors.length, 1)
  assert.equal(errors[0].code, 'ERR_JWKS_FETCH_FAILED')
})

test('the Firebase preset: X.509 certificates (kid → PEM) turned into keys by the core; its token passes', async () => {
  const projectId = 'my-project-1234'
  const fetch = counted(() => ({ 'cert-1': x509.pem }))
  const options = firebase({ projectId }, { fetch, cache: false })
  const verifier = new PublicKeyVerifier(options)
  const key = createPrivateKey({ key: x509.privateJwk, format: 'jwk' })
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const input = `${b64({ alg: 'RS256', kid: 'cert-1', typ: 'JWT' })}.${b64({
    iss: `https://securetoken.google.com/${projectId}`,
    aud: projectId,
    sub: 'firebase-user',
    auth_time: NOW - 100,
    iat: NOW - 10,
    exp: NOW + 3000,
  })}`
  const token = `${input}.${nodeSign('sha256', Buffer.from(input), key).toString('base64url')}`
  const { calls, handler } = spy()
  const res = await ask(guard(handler, { verifier, clock }), bearer(token))
  assert.equal(res.status, 200)
  assert.equal(calls[0].auth.payload.sub, 'firebase-user')
  assert.deepEqual(fetch.calls, [
    'https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com',
  ])
  // Without auth_time (required by the preset): 401.
  const bare = `${b64({ alg: 'RS256', kid: 'cert-1' })}.${b64({ iss: `https://securetoken.google.com/${projectId}`, aud: projectId, sub: 'u', iat: NOW, exp: NOW + 60 })}`
  const unsigned = `${bare}.${nodeSign('sha256', Buffer.from(bare), key).toString('base64url')}`
  assert.equal((await ask(guard(handler, { verifier, clock }), bearer(unsigned))).status, 401)
})
