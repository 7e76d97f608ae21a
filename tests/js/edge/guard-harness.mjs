// The shared pieces of the guard tests in Node: keys, a pinned clock, token minting (the
// library's Signer, or node:crypto for claims it refuses), a recording handler, and the exact
// answers of refused requests (RFC 6750).
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { Signer } from 'jwt-wasm'

export const NOW = 1_767_225_600
export const clock = () => new Date(NOW * 1000)
export const OLD = 'old-secret-for-the-guard-tests-0123456789'
export const NEW = 'new-secret-for-the-guard-tests-9876543210'
export const OTHER = 'an-attackers-secret-of-the-right-length-00'
export const DEVICE_SECRET = 'device-binding-secret-0123456789-abcdef'
export const ISS = 'https://auth.test'
export const KEYS = [
  { kid: 'old', alg: 'HS256', secret: OLD },
  { kid: 'new', alg: 'HS256', secret: NEW },
]
export const BASE = { keys: KEYS, algorithms: ['HS256'], issuer: ISS, audience: 'api', realm: 'api', clock }

/** A token signed by the library's Signer (kid `new`, typ `at+jwt` unless told), valid at NOW unless told. */
export function mint(
  claims = {},
  { kid = 'new', secret = kid === 'old' ? OLD : NEW, at = NOW, ttl = 300, typ = 'at+jwt' } = {},
) {
  const signer = new Signer({ key: { kid, alg: 'HS256', secret }, typ })
  try {
    return signer.sign({ iss: ISS, aud: 'api', sub: 'u1', ...claims }, { currentDate: new Date(at * 1000), ttl })
  } finally {
    signer.free()
  }
}

/** A token with any header and payload, signed with node:crypto (for claims the Signer refuses). */
export function craft(header, payload, secret = NEW, alg = 'sha256') {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac(alg, secret).update(input).digest('base64url')}`
}

export const dvh = (id) => createHmac('sha256', DEVICE_SECRET).update(id).digest('base64url')

/** A handler that records its calls and echoes the claims it got. */
export function spy() {
  const calls = []
  const handler = function (request, env, ctx, auth) {
    calls.push({ request, env, ctx, auth, args: arguments.length })
    return Response.json({ sub: auth.payload.sub, kid: auth.header.kid })
  }
  return { calls, handler }
}

export const ENV = { name: 'env' }
export const CTX = { waitUntil() {} }

export async function ask(fetch, headers = {}, env = ENV) {
  return fetch(new Request('https://api.test/resource', { headers }), env, CTX)
}

export const bearer = (token) => ({ authorization: `Bearer ${token}` })

/** Asserts the exact answer of a refused request. */
export async function refused(res, status, challenge, body) {
  assert.equal(res.status, status)
  assert.equal(res.headers.get('www-authenticate'), challenge)
  assert.equal(res.headers.get('content-type'), 'application/json')
  assert.equal(res.headers.get('cache-control'), 'no-store')
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
  const text = await res.text()
  assert.deepEqual(JSON.parse(text), body)
  return text
}

export const invalidToken = (description, realm = 'api') => [
  401,
  `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`,
  { error: 'invalid_token', error_description: description },
]
export const invalidRequest = (description) => [
  400,
  `Bearer realm="api", error="invalid_request", error_description="${description}"`,
  { error: 'invalid_request', error_description: description },
]
export const MISSING = [
  401,
  'Bearer realm="api"',
  { error: 'unauthorized', error_description: 'This resource requires an access token' },
]
