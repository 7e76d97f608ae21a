// jwt-wasm/edge `guard` in Node: every answer class with its exact status, WWW-Authenticate and
// body (RFC 6750), the handler contract, key rotation, keys from env, option validation at
// guard() time, the 500 paths, escaping, and device binding. Time is pinned with `clock`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { Signer, JwtError } from 'jwt-wasm'
import { guard, bearerChallenge } from 'jwt-wasm/edge'

const NOW = 1_767_225_600
const clock = () => new Date(NOW * 1000)
const OLD = 'old-secret-for-the-guard-tests-0123456789'
const NEW = 'new-secret-for-the-guard-tests-9876543210'
const OTHER = 'an-attackers-secret-of-the-right-length-00'
const DEVICE_SECRET = 'device-binding-secret-0123456789-abcdef'
const ISS = 'https://auth.test'
const KEYS = [
  { kid: 'old', alg: 'HS256', secret: OLD },
  { kid: 'new', alg: 'HS256', secret: NEW },
]
const BASE = { keys: KEYS, algorithms: ['HS256'], issuer: ISS, audience: 'api', realm: 'api', clock }

/** A token signed by the library's Signer (kid `new` unless told), valid at NOW unless told. */
function mint(claims = {}, { kid = 'new', secret = kid === 'old' ? OLD : NEW, at = NOW, ttl = 300 } = {}) {
  const signer = new Signer({ key: { kid, alg: 'HS256', secret } })
  try {
    return signer.sign({ iss: ISS, aud: 'api', sub: 'u1', ...claims }, { currentDate: new Date(at * 1000), ttl })
  } finally {
    signer.free()
  }
}

/** A token with any header and payload, signed with node:crypto (for claims the Signer refuses). */
function craft(header, payload, secret = NEW, alg = 'sha256') {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac(alg, secret).update(input).digest('base64url')}`
}

const dvh = (id) => createHmac('sha256', DEVICE_SECRET).update(id).digest('base64url')

/** A handler that records its calls and echoes the claims it got. */
function spy() {
  const calls = []
  const handler = function (request, env, ctx, auth) {
    calls.push({ request, env, ctx, auth, args: arguments.length })
    return Response.json({ sub: auth.payload.sub, kid: auth.header.kid })
  }
  return { calls, handler }
}

const ENV = { name: 'env' }
const CTX = { waitUntil() {} }

async function ask(fetch, headers = {}, env = ENV) {
  return fetch(new Request('https://api.test/resource', { headers }), env, CTX)
}

const bearer = (token) => ({ authorization: `Bearer ${token}` })

/** Asserts the exact answer of a refused request. */
async function refused(res, status, challenge, body) {
  assert.equal(res.status, status)
  assert.equal(res.headers.get('www-authenticate'), challenge)
  assert.equal(res.headers.get('content-type'), 'application/json')
  assert.equal(res.headers.get('cache-control'), 'no-store')
  const text = await res.text()
  assert.deepEqual(JSON.parse(text), body)
  return text
}

const invalidToken = (description, realm = 'api') => [
  401,
  `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`,
  { error: 'invalid_token', error_description: description },
]
const invalidRequest = (description) => [
  400,
  `Bearer realm="api", error="invalid_request", error_description="${description}"`,
  { error: 'invalid_request', error_description: description },
]
const MISSING = [
  401,
  'Bearer realm="api"',
  { error: 'unauthorized', error_description: 'This resource requires an access token' },
]

test('a valid token reaches the handler as (request, env, ctx, { header, payload }), deeply frozen', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, BASE)
  const token = mint({ scope: 'read', nested: { a: [1, { b: 2 }] } })
  const request = new Request('https://api.test/resource', { headers: bearer(token) })
  const res = await fetch(request, ENV, CTX)
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { sub: 'u1', kid: 'new' })
  assert.equal(calls.length, 1)
  const [{ request: r, env, ctx, auth, args }] = calls
  assert.equal(args, 4)
  assert.equal(r, request)
  assert.equal(env, ENV)
  assert.equal(ctx, CTX)
  assert.deepEqual(Object.keys(auth).sort(), ['header', 'payload'])
  assert.deepEqual(auth.header, { alg: 'HS256', typ: 'JWT', kid: 'new' })
  assert.deepEqual(auth.payload, {
    iss: ISS,
    aud: 'api',
    sub: 'u1',
    scope: 'read',
    nested: { a: [1, { b: 2 }] },
    iat: NOW,
    exp: NOW + 300,
  })
  for (const o of [
    auth,
    auth.header,
    auth.payload,
    auth.payload.nested,
    auth.payload.nested.a,
    auth.payload.nested.a[1],
  ]) {
    assert.ok(Object.isFrozen(o))
  }
  // The scheme is case-insensitive; several spaces before the token are allowed (RFC 7235).
  for (const authorization of [`bearer ${token}`, `BEARER ${token}`, `Bearer   ${token}`]) {
    assert.equal((await ask(fetch, { authorization })).status, 200, authorization)
  }
})

test('no credentials: 401 with a bare challenge (RFC 6750 §3.1), also for another scheme', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, BASE)
  await refused(await ask(fetch), ...MISSING)
  await refused(await ask(fetch, { authorization: 'Basic dXNlcjpwYXNz' }), ...MISSING)
  await refused(await ask(fetch, { authorization: 'DPoP abc.def.ghi' }), ...MISSING)
  // A cookie is not read unless `cookie` is configured.
  await refused(await ask(fetch, { cookie: `access_token=${mint()}` }), ...MISSING)
  // Without a realm the challenge is just the scheme.
  const bare = guard(handler, { ...BASE, realm: undefined })
  await refused(await ask(bare), 401, 'Bearer', MISSING[2])
  assert.equal(calls.length, 0)
})

test('a malformed Authorization header or two tokens: 400 invalid_request', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, BASE)
  const token = mint()
  const malformed = invalidRequest('The Authorization header is malformed')
  for (const authorization of [
    'Bearer',
    'Bearer ',
    'Bearer a b',
    `Bearer ${token} x`,
    'Bearer tok!en',
    'Bearer a=b',
    'Bearer\ttoken',
    '',
    'Bearer "abc"',
    '(Bearer) x',
  ]) {
    await refused(await ask(fetch, { authorization }), ...malformed)
  }
  // Two Authorization headers are combined by fetch into one value with a comma.
  const headers = new Headers()
  headers.append('authorization', `Bearer ${token}`)
  headers.append('authorization', `Bearer ${token}`)
  await refused(await ask(fetch, headers), ...malformed)
  assert.equal(calls.length, 0)
})

test('every verification failure: 401 invalid_token with a static description per code', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, BASE)
  const good = mint()
  const [h, p] = good.split('.')
  const cases = [
    ['expired', mint({}, { at: NOW - 400 }), 'The access token expired'],
    ['expired at the exact second', mint({}, { at: NOW - 300 }), 'The access token expired'],
    ['forged (another secret, same kid)', mint({}, { secret: OTHER }), 'The access token signature is invalid'],
    [
      'forged (payload swapped)',
      `${h}.${Buffer.from(JSON.stringify({ iss: ISS, aud: 'api', sub: 'admin', exp: NOW + 300 })).toString('base64url')}.${good.split('.')[2]}`,
      'The access token signature is invalid',
    ],
    [
      'alg none',
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`,
      'The access token algorithm is not allowed',
    ],
    [
      'alg none, kid set',
      `${Buffer.from('{"alg":"none","kid":"new"}').toString('base64url')}.${p}.`,
      'The access token algorithm is not allowed',
    ],
    [
      'HS512 not allowed',
      craft({ alg: 'HS512', kid: 'new' }, { exp: NOW + 60 }, NEW, 'sha512'),
      'The access token algorithm is not allowed',
    ],
    ['garbage', 'garbage', 'The access token is malformed'],
    ['two segments', `${h}.${p}`, 'The access token is malformed'],
    ['padding', `${h}.${p}.${good.split('.')[2]}=`, 'The access token is malformed'],
    [
      'crit',
      craft({ alg: 'HS256', kid: 'new', crit: ['exp'] }, { exp: NOW + 60 }),
      'The access token uses an unsupported feature',
    ],
    ['payload not an object', craft({ alg: 'HS256', kid: 'new' }, [1, 2]), 'The access token claims are malformed'],
    ['retired kid', mint({}, { kid: 'older', secret: OLD }), 'No key matches the access token'],
    ['too large', 'a'.repeat(16 * 1024 + 1), 'The access token is too large'],
    [
      'no exp',
      craft({ alg: 'HS256', kid: 'new' }, { iss: ISS, aud: 'api' }),
      'The access token lacks a required claim',
    ],
    [
      'exp of the wrong type',
      craft({ alg: 'HS256', kid: 'new' }, { iss: ISS, aud: 'api', exp: String(NOW + 60) }),
      'The access token has a malformed claim',
    ],
    ['other issuer', mint({ iss: 'https://evil.test' }), 'The access token issuer is not accepted'],
    ['other audience', mint({ aud: 'billing' }), 'The access token audience is not accepted'],
    [
      'issued in the future',
      craft({ alg: 'HS256', kid: 'new' }, { iss: ISS, aud: 'api', iat: NOW + 60, exp: NOW + 120 }),
      'The access token was issued in the future',
    ],
    ['not yet valid', mint({ nbf: NOW + 60 }), 'The access token is not yet valid'],
  ]
  for (const [name, token, description] of cases) {
    const text = await refused(await ask(fetch, bearer(token)), ...invalidToken(description))
    assert.ok(!text.includes(token.slice(0, 20)), `${name}: the body echoes the token`)
  }
  const aged = guard(handler, { ...BASE, maxTokenAge: 60 })
  await refused(await ask(aged, bearer(mint({}, { at: NOW - 120 }))), ...invalidToken('The access token is too old'))
  const subject = guard(handler, { ...BASE, subject: 'u2', typ: 'at+jwt' })
  await refused(await ask(subject, bearer(mint())), ...invalidToken('The access token subject is not accepted'))
  const typed = guard(handler, { ...BASE, typ: 'at+jwt' })
  await refused(await ask(typed, bearer(mint())), ...invalidToken('The access token type is not accepted'))
  assert.equal(calls.length, 0)
})

test('scopes: all required, from `scope` (space-separated) or `scp` (array); else 403 insufficient_scope', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, { ...BASE, scopes: ['read', 'write'] })
  for (const claims of [
    { scope: 'read write' },
    { scope: ' write  admin read ' },
    { scp: ['write', 'read'] },
    { scope: 'read', scp: ['write'] },
  ]) {
    assert.equal((await ask(fetch, bearer(mint(claims)))).status, 200, JSON.stringify(claims))
  }
  assert.equal(calls.length, 4)
  const insufficient = [
    403,
    'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="read write"',
    { error: 'insufficient_scope', error_description: 'The access token lacks a required scope' },
  ]
  for (const claims of [
    {},
    { scope: 'read' },
    { scope: 'readwrite' },
    { scope: ['read', 'write'] },
    { scp: 'read write' },
    { scp: [['read'], 'write'] },
  ]) {
    await refused(await ask(fetch, bearer(mint(claims))), ...insufficient)
  }
  // Token problems come before scope: an expired token without the scope is 401, not 403.
  await refused(await ask(fetch, bearer(mint({}, { at: NOW - 400 }))), ...invalidToken('The access token expired'))
  assert.equal(calls.length, 4)
})

test('key rotation: old and new kid verify during the overlap; a retired kid is refused', async () => {
  const { calls, handler } = spy()
  const overlap = guard(handler, BASE)
  const oldToken = mint({ sub: 'old-user' }, { kid: 'old' })
  const newToken = mint({ sub: 'new-user' }, { kid: 'new' })
  assert.deepEqual(await (await ask(overlap, bearer(oldToken))).json(), { sub: 'old-user', kid: 'old' })
  assert.deepEqual(await (await ask(overlap, bearer(newToken))).json(), { sub: 'new-user', kid: 'new' })
  // A token whose kid names the old key but is signed with the new one is a forgery.
  await refused(
    await ask(overlap, bearer(mint({}, { kid: 'old', secret: NEW }))),
    ...invalidToken('The access token signature is invalid'),
  )
  const after = guard(handler, { ...BASE, keys: [KEYS[1]] })
  await refused(await ask(after, bearer(oldToken)), ...invalidToken('No key matches the access token'))
  assert.equal((await ask(after, bearer(newToken))).status, 200)
  assert.equal(calls.length, 3)
})

test('keys as a function of env: called once per guard, even for concurrent first requests', async () => {
  const { calls, handler } = spy()
  const seen = []
  const fetch = guard(handler, {
    ...BASE,
    keys: async (env) => {
      seen.push(env)
      await new Promise((r) => setTimeout(r, 10))
      return [{ kid: 'new', alg: 'HS256', secret: env.SECRET }]
    },
  })
  assert.equal(seen.length, 0, 'not called at guard() time')
  const env = { SECRET: NEW }
  const token = mint()
  const first = await Promise.all(Array.from({ length: 5 }, () => ask(fetch, bearer(token), env)))
  assert.deepEqual(
    first.map((r) => r.status),
    [200, 200, 200, 200, 200],
  )
  for (let i = 0; i < 5; i++) assert.equal((await ask(fetch, bearer(token), env)).status, 200)
  await refused(await ask(fetch, bearer(mint({}, { at: NOW - 400 })), env), ...invalidToken('The access token expired'))
  assert.deepEqual(seen, [env])
  assert.equal(calls.length, 10)
  // A request without a token does not need the keys at all.
  const lazy = guard(handler, { ...BASE, keys: () => seen.push('lazy') && [KEYS[1]] })
  await refused(await ask(lazy), ...MISSING)
  assert.equal(seen.length, 1)
})

test('unexpected failures answer 500 server_error, are reported, and never reach the handler', async () => {
  const { calls, handler } = spy()
  const errors = []
  const onError = (e) => errors.push(e)
  const token = mint()
  const SERVER_ERROR = { error: 'server_error' }
  const serverError = async (res) => {
    assert.equal(res.status, 500)
    assert.equal(res.headers.get('www-authenticate'), null)
    assert.equal(res.headers.get('cache-control'), 'no-store')
    const text = await res.text()
    assert.deepEqual(JSON.parse(text), SERVER_ERROR)
    return text
  }

  // A throwing keys function, retried on the next request (a failure is not cached).
  let attempts = 0
  const flaky = guard(handler, {
    ...BASE,
    onError,
    keys: (env) => {
      attempts++
      if (attempts === 1) throw new Error(`vault unavailable, secret ${env.SECRET}`)
      return [{ kid: 'new', alg: 'HS256', secret: env.SECRET }]
    },
  })
  const text = await serverError(await ask(flaky, bearer(token), { SECRET: NEW }))
  assert.ok(!text.includes('vault') && !text.includes(NEW))
  assert.equal(errors.length, 1)
  assert.match(errors[0].message, /vault unavailable/)
  assert.equal((await ask(flaky, bearer(token), { SECRET: NEW })).status, 200)
  assert.equal(attempts, 2)

  // A keys function that returns bad keys: KeyInvalid (too short), or not an array.
  const short = guard(handler, { ...BASE, onError, keys: () => [{ kid: 'new', alg: 'HS256', secret: 'short' }] })
  await serverError(await ask(short, bearer(token)))
  assert.equal(errors.at(-1).code, 'ERR_KEY_INVALID')
  const notArray = guard(handler, { ...BASE, onError, keys: async () => ({ kid: 'new' }) })
  await serverError(await ask(notArray, bearer(token)))
  assert.equal(errors.at(-1).code, 'ERR_INVALID_OPTIONS')

  // A clock that returns garbage, or throws.
  const badClock = guard(handler, { ...BASE, onError, clock: () => new Date(NaN) })
  await serverError(await ask(badClock, bearer(token)))
  const throwingClock = guard(handler, {
    ...BASE,
    onError,
    clock: () => {
      throw new Error('no time')
    },
  })
  await serverError(await ask(throwingClock, bearer(token)))
  assert.equal(errors.length, 5)

  // onError itself throwing does not change the answer.
  const loud = guard(handler, {
    ...BASE,
    keys: () => {
      throw new Error('x')
    },
    onError: () => {
      throw new Error('reporter down')
    },
  })
  await serverError(await ask(loud, bearer(token)))
  assert.equal(calls.length, 1) // only the retried flaky request
})

test("the handler's own errors propagate unchanged (they are the application's)", async () => {
  const boom = new Error('handler failed')
  const fetch = guard(() => {
    throw boom
  }, BASE)
  await assert.rejects(ask(fetch, bearer(mint())), (e) => e === boom)
  const asyncFetch = guard(async () => Promise.reject(boom), BASE)
  await assert.rejects(ask(asyncFetch, bearer(mint())), (e) => e === boom)
})

test('options are validated when guard() is called', () => {
  const h = () => new Response()
  const invalid = (options, pattern) =>
    assert.throws(
      () => guard(h, options),
      (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS' && pattern.test(e.message),
      JSON.stringify(options, (k, v) => (typeof v === 'function' ? 'fn' : v)),
    )
  const fnKeys = () => KEYS
  invalid(undefined, /options must be an object/)
  invalid({ ...BASE, scope: ['read'] }, /unknown option "scope"/)
  invalid({ ...BASE, keys: fnKeys, scope: ['read'] }, /unknown option "scope"/)
  invalid({ ...BASE, keys: undefined }, /keys/)
  invalid({ ...BASE, keys: 'secret' }, /keys/)
  invalid({ ...BASE, keys: [] }, /keys/)
  invalid({ ...BASE, algorithms: undefined }, /algorithms/)
  invalid({ ...BASE, keys: fnKeys, algorithms: ['none'] }, /algorithms/)
  invalid({ ...BASE, keys: fnKeys, audience: 42 }, /audience/)
  invalid({ ...BASE, keys: fnKeys, clockTolerance: -1 }, /clockTolerance/)
  invalid({ ...BASE, keys: fnKeys, maxTokenBytes: 0 }, /maxTokenBytes/)
  invalid({ ...BASE, scopes: 'read' }, /scopes/)
  invalid({ ...BASE, scopes: ['read write'] }, /scopes/)
  invalid({ ...BASE, scopes: [''] }, /scopes/)
  invalid({ ...BASE, realm: 'a\r\nSet-Cookie: x=y' }, /realm/)
  invalid({ ...BASE, realm: 'réalm' }, /realm/)
  invalid({ ...BASE, cookie: 'a b' }, /cookie/)
  invalid({ ...BASE, cookie: 'jwt_device' }, /device cookie/)
  invalid({ ...BASE, bind: 'ip' }, /bind/)
  invalid({ ...BASE, bind: 'device' }, /deviceSecret/)
  invalid({ ...BASE, bind: 'device', deviceSecret: 'too-short' }, /deviceSecret/)
  invalid({ ...BASE, deviceSecret: DEVICE_SECRET }, /only used with bind/)
  invalid({ ...BASE, clock: new Date() }, /clock/)
  invalid({ ...BASE, onError: 'log' }, /onError/)
  assert.throws(
    () => guard(undefined, BASE),
    (e) => e.code === 'ERR_INVALID_OPTIONS' && /handler/.test(e.message),
  )
  assert.throws(
    () => guard({ fetch: h }, BASE),
    (e) => e.code === 'ERR_INVALID_OPTIONS',
  )
  // Bad keys in an array throw KeyInvalid now, not on the first request.
  assert.throws(
    () => guard(h, { ...BASE, keys: [{ kid: 'k', alg: 'HS256', secret: 'short' }] }),
    (e) => e instanceof JwtError && e.code === 'ERR_KEY_INVALID',
  )
  // A keys function is not called to validate.
  let called = 0
  guard(h, { ...BASE, keys: () => called++ && KEYS })
  assert.equal(called, 0)
})

test('escaping: `\\` and `"` in realm and scopes are quoted-string escaped (RFC 7235)', async () => {
  const { handler } = spy()
  const fetch = guard(handler, { ...BASE, realm: 'my "quoted" \\ realm', scopes: ['a"b', 'c\\d'] })
  const realm = 'my \\"quoted\\" \\\\ realm'
  await refused(await ask(fetch), 401, `Bearer realm="${realm}"`, MISSING[2])
  await refused(await ask(fetch, bearer('garbage')), ...invalidToken('The access token is malformed', realm))
  await refused(
    await ask(fetch, bearer(mint({ scope: 'a"b' }))),
    403,
    `Bearer realm="${realm}", error="insufficient_scope", error_description="The access token lacks a required scope", scope="a\\"b c\\\\d"`,
    { error: 'insufficient_scope', error_description: 'The access token lacks a required scope' },
  )
  assert.equal((await ask(fetch, bearer(mint({ scope: 'c\\d a"b' })))).status, 200)
})

test('bearerChallenge builds RFC 6750 challenges', () => {
  assert.equal(bearerChallenge(), 'Bearer')
  assert.equal(bearerChallenge({}), 'Bearer')
  assert.equal(bearerChallenge({ realm: 'example' }), 'Bearer realm="example"')
  assert.equal(
    bearerChallenge({ realm: 'example', error: 'invalid_token', error_description: 'The access token expired' }),
    'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
  )
  assert.equal(bearerChallenge({ realm: undefined, scope: 'a "b" \\c' }), 'Bearer scope="a \\"b\\" \\\\c"')
  for (const bad of [{ realm: 'a\nb' }, { realm: 'é' }, { 'bad name': 'x' }, { realm: 42 }]) {
    assert.throws(
      () => bearerChallenge(bad),
      (e) => e.code === 'ERR_INVALID_OPTIONS',
    )
  }
})

test('the token may come from a named cookie; header and cookie together are 400', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, { ...BASE, cookie: 'access_token' })
  const token = mint()
  assert.equal((await ask(fetch, { cookie: `theme=dark; access_token=${token}; x=y` })).status, 200)
  assert.equal((await ask(fetch, bearer(token))).status, 200)
  assert.equal(calls.length, 2)
  const two = invalidRequest('The request carries more than one access token')
  await refused(await ask(fetch, { ...bearer(token), cookie: `access_token=${token}` }), ...two)
  await refused(await ask(fetch, { cookie: `access_token=${token}; access_token=${token}` }), ...two)
  await refused(
    await ask(fetch, { cookie: 'access_token="quoted"' }),
    ...invalidRequest('The access token cookie is malformed'),
  )
  await refused(await ask(fetch, { cookie: 'access_token=' }), ...MISSING)
  await refused(await ask(fetch, { cookie: 'other=1' }), ...MISSING)
  await refused(
    await ask(fetch, { cookie: `access_token=${mint({}, { at: NOW - 400 })}` }),
    ...invalidToken('The access token expired'),
  )
  // Basic credentials next to the cookie: the header is not a Bearer token, the cookie is used.
  assert.equal((await ask(fetch, { authorization: 'Basic dXNlcjpwYXNz', cookie: `access_token=${token}` })).status, 200)
  assert.equal(calls.length, 3)
})

test('cookie tossing: the token cookie twice is 400 even with one value empty; the device cookie twice is "another device"', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, { ...BASE, cookie: 'access_token', bind: 'device', deviceSecret: DEVICE_SECRET })
  const bound = mint({ dvh: dvh('device-1') })
  assert.equal((await ask(fetch, { cookie: `access_token=${bound}; jwt_device=device-1` })).status, 200)
  const two = invalidRequest('The request carries more than one access token')
  await refused(await ask(fetch, { cookie: `access_token=; access_token=${bound}; jwt_device=device-1` }), ...two)
  await refused(await ask(fetch, { cookie: `access_token=${bound}; jwt_device=device-1; access_token=` }), ...two)
  const other = invalidToken('The access token is bound to another device')
  await refused(await ask(fetch, { cookie: `access_token=${bound}; jwt_device=; jwt_device=device-1` }), ...other)
  await refused(
    await ask(fetch, { cookie: `access_token=${bound}; jwt_device=device-1; jwt_device=device-2` }),
    ...other,
  )
  assert.equal(calls.length, 1)
})

test('bodies never contain the token, a key or the internal error', async () => {
  const errors = []
  const fetch = guard(() => new Response('ok'), { ...BASE, scopes: ['admin'], onError: (e) => errors.push(e) })
  const tokens = [mint(), mint({}, { at: NOW - 400 }), mint({}, { secret: OTHER }), 'garbage', mint({ aud: 'x' })]
  for (const token of tokens) {
    const res = await ask(fetch, bearer(token))
    const text = (await res.text()) + res.headers.get('www-authenticate')
    for (const secret of [token, ...token.split('.').filter((s) => s.length > 8), OLD, NEW, OTHER]) {
      assert.ok(!text.includes(secret), `${res.status}: leaks ${secret.slice(0, 12)}`)
    }
  }
  assert.equal(errors.length, 0)
})

test("device binding: the token's dvh must match the HMAC of the device cookie", async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, { ...BASE, bind: 'device', deviceSecret: DEVICE_SECRET })
  const bound = mint({ dvh: dvh('device-1') })
  const cookie = (id) => ({ cookie: `theme=dark; jwt_device=${id}` })
  assert.equal((await ask(fetch, { ...bearer(bound), ...cookie('device-1') })).status, 200)
  assert.equal(calls.length, 1)
  const other = invalidToken('The access token is bound to another device')
  await refused(await ask(fetch, bearer(bound)), ...other) // no device cookie
  await refused(await ask(fetch, { ...bearer(bound), ...cookie('device-2') }), ...other) // another device
  await refused(await ask(fetch, { ...bearer(mint({ dvh: dvh('device-2') })), ...cookie('device-1') }), ...other)
  await refused(await ask(fetch, { ...bearer(mint()), ...cookie('device-1') }), ...other) // no dvh claim
  await refused(await ask(fetch, { ...bearer(mint({ dvh: 'device-1' })), ...cookie('device-1') }), ...other) // raw id, not its hash
  await refused(await ask(fetch, { ...bearer(mint({ dvh: [dvh('device-1')] })), ...cookie('device-1') }), ...other)
  await refused(await ask(fetch, { ...bearer(bound), cookie: 'jwt_device=device-1; jwt_device=device-1' }), ...other)
  await refused(await ask(fetch, { ...bearer(bound), cookie: 'jwt_device=' }), ...other)
  // The hash is keyed: the same id under another secret does not match.
  const foreign = createHmac('sha256', OTHER).update('device-1').digest('base64url')
  await refused(await ask(fetch, { ...bearer(mint({ dvh: foreign })), ...cookie('device-1') }), ...other)
  // Signature and time are judged first: an expired bound token says "expired".
  await refused(
    await ask(fetch, { ...bearer(mint({ dvh: dvh('device-1') }, { at: NOW - 400 })), ...cookie('device-1') }),
    ...invalidToken('The access token expired'),
  )
  // A Uint8Array secret works the same.
  const bytes = guard(handler, { ...BASE, bind: 'device', deviceSecret: new TextEncoder().encode(DEVICE_SECRET) })
  assert.equal((await ask(bytes, { ...bearer(bound), ...cookie('device-1') })).status, 200)
  assert.equal(calls.length, 2)
})

test('device binding: deviceSecret may come from env, resolved once; a bad one is a 500', async () => {
  const { calls, handler } = spy()
  let asked = 0
  const fromEnv = guard(handler, {
    ...BASE,
    bind: 'device',
    deviceSecret: (env) => {
      asked++
      return env.DEVICE_SECRET
    },
  })
  const bound = mint({ dvh: dvh('device-1') })
  const env = { DEVICE_SECRET }
  const headers = { ...bearer(bound), cookie: 'jwt_device=device-1' }
  for (let i = 0; i < 3; i++)
    assert.equal((await fromEnv(new Request('https://api.example/x', { headers }), env, {})).status, 200)
  assert.equal(asked, 1)
  assert.equal(calls.length, 3)
  const errors = []
  const short = guard(handler, { ...BASE, bind: 'device', deviceSecret: () => 'short', onError: (e) => errors.push(e) })
  const res = await short(new Request('https://api.example/x', { headers }), {}, {})
  assert.equal(res.status, 500)
  assert.deepEqual(await res.json(), { error: 'server_error' })
  assert.equal(calls.length, 3)
  assert.equal(errors.length, 1)
})

test('a guard keeps no per-request state: many mixed requests, the same answers', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, BASE)
  const good = mint()
  const expired = mint({}, { at: NOW - 400 })
  const statuses = await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      ask(fetch, i % 3 === 0 ? bearer(good) : i % 3 === 1 ? bearer(expired) : {}).then((r) => r.status),
    ),
  )
  assert.deepEqual(
    statuses,
    Array.from({ length: 300 }, (_, i) => [200, 401, 401][i % 3]),
  )
  assert.equal(calls.length, 100)
})
