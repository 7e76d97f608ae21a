// jwt-wasm/edge `guard` in Node, the configuration and the request's edges: option validation at
// guard() time, escaping, the token cookie and cookie tossing, device binding, and statelessness.
// Time is pinned with `clock`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { JwtError } from 'jwt-wasm'
import { guard, bearerChallenge } from 'jwt-wasm/edge'
import {
  NOW,
  OLD,
  NEW,
  OTHER,
  DEVICE_SECRET,
  KEYS,
  BASE,
  mint,
  dvh,
  spy,
  ask,
  bearer,
  refused,
  invalidToken,
  invalidRequest,
  MISSING,
  ENV,
  CTX,
} from './guard-harness.mjs'

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
  invalid({ ...BASE, cookie: '__Host-jwt_device' }, /device cookie/)
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

test('a token from the cookie: cross-site unsafe requests are 403 invalid_request, before verification', async () => {
  const { calls, handler } = spy()
  const own = guard(handler, { ...BASE, cookie: 'at' })
  const sibling = guard(handler, { ...BASE, cookie: 'at', allowedOrigins: ['https://app.api.test'] })
  const token = mint()
  const send = (fetch, method, headers) =>
    fetch(
      new Request('https://api.test/resource', { method, headers: { cookie: `at=${token}`, ...headers } }),
      ENV,
      CTX,
    )
  const crossSite = [
    403,
    'Bearer realm="api", error="invalid_request", error_description="The request origin is not allowed"',
    { error: 'invalid_request', error_description: 'The request origin is not allowed' },
  ]
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND']) {
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' },
      { 'sec-fetch-site': 'same-site', origin: 'https://app.api.test' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'bogus', origin: 'https://api.test' },
      { origin: 'https://evil.test' },
      { origin: 'null' },
      { origin: 'http://api.test' },
    ]) {
      await refused(await send(own, method, headers), ...crossSite)
    }
  }
  // A forged or expired token is refused the same way: nothing is learnt about the token.
  const expired = mint({}, { at: NOW - 400 })
  const cross = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' }
  await refused(
    await own(
      new Request('https://api.test/', { method: 'POST', headers: { cookie: `at=${expired}`, ...cross } }),
      ENV,
      CTX,
    ),
    ...crossSite,
  )
  assert.equal(calls.length, 0)
  // Passes: own origin, safe methods, no browser headers at all, a token from the header, an allowed origin.
  const passing = [
    [own, 'POST', { 'sec-fetch-site': 'same-origin', origin: 'https://api.test' }],
    [own, 'DELETE', { 'sec-fetch-site': 'none' }],
    [own, 'POST', { origin: 'https://api.test' }],
    [own, 'POST', {}],
    [own, 'GET', cross],
    [own, 'HEAD', cross],
    [own, 'OPTIONS', cross],
    [sibling, 'POST', { 'sec-fetch-site': 'same-site', origin: 'https://app.api.test' }],
    [sibling, 'PUT', { origin: 'https://app.api.test' }],
    [sibling, 'POST', { 'sec-fetch-site': 'same-origin' }],
  ]
  for (const [fetch, method, headers] of passing) {
    assert.equal((await send(fetch, method, headers)).status, 200, `${method} ${JSON.stringify(headers)}`)
  }
  await refused(
    await send(sibling, 'POST', { 'sec-fetch-site': 'same-site', origin: 'https://other.api.test' }),
    ...crossSite,
  )
  const header = await own(
    new Request('https://api.test/', { method: 'POST', headers: { ...bearer(token), ...cross } }),
    ENV,
    CTX,
  )
  assert.equal(header.status, 200, 'a token from the Authorization header is not affected')
  assert.equal(calls.length, passing.length + 1)
})

test('allowedOrigins: origins only, non-empty, and only with cookie', () => {
  const { handler } = spy()
  const invalid = (options, message) =>
    assert.throws(() => guard(handler, options), { name: 'TypeError', code: 'ERR_INVALID_OPTIONS', message })
  invalid({ ...BASE, allowedOrigins: ['https://app.test'] }, /set options\.cookie/)
  invalid({ ...BASE, cookie: 'at', allowedOrigins: [] }, /allowedOrigins/)
  invalid({ ...BASE, cookie: 'at', allowedOrigins: ['https://app.test/'] }, /allowedOrigins/)
  invalid({ ...BASE, cookie: 'at', allowedOrigins: 'https://app.test' }, /allowedOrigins/)
  invalid({ ...BASE, cookie: 'at', allowedOrigins: ['null'] }, /allowedOrigins/)
})

test('cookie tossing: the token cookie twice is 400 even with one value empty; the device cookie twice is "another device"', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, { ...BASE, cookie: 'access_token', bind: 'device', deviceSecret: DEVICE_SECRET })
  const bound = mint({ dvh: dvh('device-1') })
  assert.equal((await ask(fetch, { cookie: `access_token=${bound}; __Host-jwt_device=device-1` })).status, 200)
  const two = invalidRequest('The request carries more than one access token')
  await refused(
    await ask(fetch, { cookie: `access_token=; access_token=${bound}; __Host-jwt_device=device-1` }),
    ...two,
  )
  await refused(
    await ask(fetch, { cookie: `access_token=${bound}; __Host-jwt_device=device-1; access_token=` }),
    ...two,
  )
  const other = invalidToken('The access token is bound to another device')
  await refused(
    await ask(fetch, { cookie: `access_token=${bound}; __Host-jwt_device=; __Host-jwt_device=device-1` }),
    ...other,
  )
  await refused(
    await ask(fetch, { cookie: `access_token=${bound}; __Host-jwt_device=device-1; __Host-jwt_device=device-2` }),
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
  const cookie = (id) => ({ cookie: `theme=dark; __Host-jwt_device=${id}` })
  assert.equal((await ask(fetch, { ...bearer(bound), ...cookie('device-1') })).status, 200)
  assert.equal(calls.length, 1)
  const other = invalidToken('The access token is bound to another device')
  await refused(await ask(fetch, bearer(bound)), ...other) // no device cookie
  await refused(await ask(fetch, { ...bearer(bound), ...cookie('device-2') }), ...other) // another device
  await refused(await ask(fetch, { ...bearer(mint({ dvh: dvh('device-2') })), ...cookie('device-1') }), ...other)
  await refused(await ask(fetch, { ...bearer(mint()), ...cookie('device-1') }), ...other) // no dvh claim
  await refused(await ask(fetch, { ...bearer(mint({ dvh: 'device-1' })), ...cookie('device-1') }), ...other) // raw id, not its hash
  await refused(await ask(fetch, { ...bearer(mint({ dvh: [dvh('device-1')] })), ...cookie('device-1') }), ...other)
  await refused(
    await ask(fetch, { ...bearer(bound), cookie: '__Host-jwt_device=device-1; __Host-jwt_device=device-1' }),
    ...other,
  )
  await refused(await ask(fetch, { ...bearer(bound), cookie: '__Host-jwt_device=' }), ...other)
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
  const headers = { ...bearer(bound), cookie: '__Host-jwt_device=device-1' }
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
