// jwt-wasm/hono: the guard as middleware of a real Hono app (app.request in Node). The same
// answers as `guard`; on success the verified token is c.get('jwt') and next() runs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Hono } from 'hono'
import { Signer } from 'jwt-wasm'
import { jwtGuard } from 'jwt-wasm/hono'

const NOW = 1_767_225_600
const clock = () => new Date(NOW * 1000)
const SECRET = 'hono-secret-for-the-middleware-tests-0123'
const OTHER = 'hono-attacker-secret-of-the-right-size-000'

function mint(claims = {}, { at = NOW, secret = SECRET, kid = 'k1' } = {}) {
  const signer = new Signer({ key: { kid, alg: 'HS256', secret }, typ: 'at+jwt' })
  try {
    return signer.sign({ aud: 'api', sub: 'u1', ...claims }, { currentDate: new Date(at * 1000), ttl: 300 })
  } finally {
    signer.free()
  }
}

function app(options = {}) {
  const hits = []
  const errors = []
  const a = new Hono()
  a.use(
    '/api/*',
    jwtGuard({
      keys: (env) => [{ kid: 'k1', alg: 'HS256', secret: env.SECRET }],
      algorithms: ['HS256'],
      audience: 'api',
      realm: 'hono',
      scopes: ['read'],
      clock,
      onError: (e) => errors.push(e),
      ...options,
    }),
  )
  a.get('/api/me', (c) => {
    const jwt = c.get('jwt')
    hits.push(jwt)
    return c.json({ sub: jwt.payload.sub, kid: jwt.header.kid, frozen: Object.isFrozen(jwt.payload) })
  })
  a.get('/public', (c) => c.text('public'))
  return { app: a, hits, errors }
}

const ENV = { SECRET }
const get = (a, headers = {}, env = ENV, path = '/api/me') => a.request(path, { headers }, env)
const bearer = (token) => ({ authorization: `Bearer ${token}` })

async function refused(res, status, challenge, body) {
  assert.equal(res.status, status)
  assert.equal(res.headers.get('www-authenticate'), challenge)
  assert.equal(res.headers.get('content-type'), 'application/json')
  assert.equal(res.headers.get('cache-control'), 'no-store')
  assert.deepEqual(await res.json(), body)
}
const invalidToken = (d) => [
  401,
  `Bearer realm="hono", error="invalid_token", error_description="${d}"`,
  { error: 'invalid_token', error_description: d },
]

test('a valid token: next() runs and c.get("jwt") holds the verified, frozen token', async () => {
  const { app: a, hits } = app()
  const res = await get(a, bearer(mint({ scope: 'read' })))
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { sub: 'u1', kid: 'k1', frozen: true })
  assert.equal(hits.length, 1)
  assert.deepEqual(hits[0].payload, { aud: 'api', sub: 'u1', scope: 'read', iat: NOW, exp: NOW + 300 })
  // Routes outside the middleware are untouched.
  assert.equal(await (await get(a, {}, ENV, '/public')).text(), 'public')
})

test('the same RFC 6750 answers as guard, and the route never runs', async () => {
  const { app: a, hits } = app()
  await refused(await get(a), 401, 'Bearer realm="hono"', {
    error: 'unauthorized',
    error_description: 'This resource requires an access token',
  })
  await refused(
    await get(a, { authorization: 'Bearer a b' }),
    400,
    'Bearer realm="hono", error="invalid_request", error_description="The Authorization header is malformed"',
    {
      error: 'invalid_request',
      error_description: 'The Authorization header is malformed',
    },
  )
  await refused(
    await get(a, bearer(mint({ scope: 'read' }, { at: NOW - 400 }))),
    ...invalidToken('The access token expired'),
  )
  await refused(
    await get(a, bearer(mint({ scope: 'read' }, { secret: OTHER }))),
    ...invalidToken('The access token signature is invalid'),
  )
  await refused(
    await get(a, bearer(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${mint().split('.')[1]}.`)),
    ...invalidToken('The access token algorithm is not allowed'),
  )
  await refused(await get(a, bearer('garbage')), ...invalidToken('The access token is malformed'))
  await refused(
    await get(a, bearer(mint({ scope: 'write' }))),
    403,
    'Bearer realm="hono", error="insufficient_scope", error_description="The access token lacks a required scope", scope="read"',
    {
      error: 'insufficient_scope',
      error_description: 'The access token lacks a required scope',
    },
  )
  assert.equal(hits.length, 0)
})

test('keys from c.env, resolved once; a failing keys function is a 500 that never runs the route', async () => {
  let calls = 0
  const { app: a, hits } = app({
    keys: (env) => {
      calls++
      return [{ kid: 'k1', alg: 'HS256', secret: env.SECRET }]
    },
  })
  for (let i = 0; i < 3; i++) assert.equal((await get(a, bearer(mint({ scope: 'read' })))).status, 200)
  assert.equal(calls, 1)
  const broken = app({
    keys: () => {
      throw new Error('no secret bound')
    },
  })
  const res = await get(broken.app, bearer(mint({ scope: 'read' })))
  assert.equal(res.status, 500)
  assert.equal(res.headers.get('www-authenticate'), null)
  assert.deepEqual(await res.json(), { error: 'server_error' })
  assert.equal(broken.hits.length, 0)
  assert.equal(broken.errors.length, 1)
  // Once resolved, the Verifier is cached: a request without env (no bindings) still verifies.
  const res2 = await a.request('/api/me', { headers: bearer(mint({ scope: 'read' })) })
  assert.equal(res2.status, 200)
  assert.equal(calls, 1)
  assert.equal(hits.length, 4)
})

test('jwtGuard validates its options when called', () => {
  assert.throws(
    () => jwtGuard({ keys: [], algorithms: ['HS256'] }),
    (e) => e.code === 'ERR_INVALID_OPTIONS',
  )
  assert.throws(
    () => jwtGuard({ keys: () => [], algorithms: ['HS256'], realms: 'x' }),
    (e) => e.code === 'ERR_INVALID_OPTIONS',
  )
  assert.throws(
    () => jwtGuard({ keys: () => [], algorithms: ['HS256'], bind: 'device' }),
    (e) => e.code === 'ERR_INVALID_OPTIONS',
  )
})

test('device binding and cookies work through Hono as well', async () => {
  const { createHmac } = await import('node:crypto')
  const deviceSecret = 'hono-device-secret-0123456789-abcdefgh'
  const { app: a } = app({ bind: 'device', deviceSecret, cookie: 'at', scopes: undefined })
  const dvh = createHmac('sha256', deviceSecret).update('dev-1').digest('base64url')
  const token = mint({ dvh })
  assert.equal((await get(a, { cookie: `at=${token}; __Host-jwt_device=dev-1` })).status, 200)
  await refused(
    await get(a, { cookie: `at=${token}; __Host-jwt_device=dev-2` }),
    ...invalidToken('The access token is bound to another device'),
  )
})
