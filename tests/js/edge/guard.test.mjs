// jwt-wasm/edge `guard` in Node, the answers: every answer class with its exact status,
// WWW-Authenticate and body (RFC 6750), the handler contract, key rotation, keys from env and the
// 500 paths. Time is pinned with `clock`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { guard } from 'jwt-wasm/edge'
import {
  NOW,
  OLD,
  NEW,
  OTHER,
  ISS,
  KEYS,
  BASE,
  mint,
  craft,
  spy,
  ENV,
  CTX,
  ask,
  bearer,
  refused,
  invalidToken,
  invalidRequest,
  MISSING,
} from './guard-harness.mjs'

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
  assert.deepEqual(auth.header, { alg: 'HS256', typ: 'at+jwt', kid: 'new' })
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
      craft({ alg: 'HS512', typ: 'at+jwt', kid: 'new' }, { exp: NOW + 60 }, NEW, 'sha512'),
      'The access token algorithm is not allowed',
    ],
    ['garbage', 'garbage', 'The access token is malformed'],
    ['two segments', `${h}.${p}`, 'The access token is malformed'],
    ['padding', `${h}.${p}.${good.split('.')[2]}=`, 'The access token is malformed'],
    [
      'crit',
      craft({ alg: 'HS256', typ: 'at+jwt', kid: 'new', crit: ['exp'] }, { exp: NOW + 60 }),
      'The access token uses an unsupported feature',
    ],
    [
      'payload not an object',
      craft({ alg: 'HS256', typ: 'at+jwt', kid: 'new' }, [1, 2]),
      'The access token claims are malformed',
    ],
    ['retired kid', mint({}, { kid: 'older', secret: OLD }), 'No key matches the access token'],
    ['too large', 'a'.repeat(16 * 1024 + 1), 'The access token is too large'],
    [
      'no exp',
      craft({ alg: 'HS256', typ: 'at+jwt', kid: 'new' }, { iss: ISS, aud: 'api' }),
      'The access token lacks a required claim',
    ],
    [
      'exp of the wrong type',
      craft({ alg: 'HS256', typ: 'at+jwt', kid: 'new' }, { iss: ISS, aud: 'api', exp: String(NOW + 60) }),
      'The access token has a malformed claim',
    ],
    ['other issuer', mint({ iss: 'https://evil.test' }), 'The access token issuer is not accepted'],
    ['other audience', mint({ aud: 'billing' }), 'The access token audience is not accepted'],
    [
      'issued in the future',
      craft({ alg: 'HS256', typ: 'at+jwt', kid: 'new' }, { iss: ISS, aud: 'api', iat: NOW + 60, exp: NOW + 120 }),
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
  await refused(
    await ask(typed, bearer(mint({}, { typ: 'JWT' }))),
    ...invalidToken('The access token type is not accepted'),
  )
  assert.equal(calls.length, 0)
})

test('typ: at+jwt by default (RFC 9068, as a media type); another typ only when named; no "any"', async () => {
  const { calls, handler } = spy()
  const fetch = guard(handler, BASE)
  for (const typ of ['JWT', 'secevent+jwt', 'logout+jwt', 'application/jwt', 'at+jwt+x']) {
    await refused(await ask(fetch, bearer(mint({}, { typ }))), ...invalidToken('The access token type is not accepted'))
  }
  // No typ at all: a required header parameter is missing.
  const untyped = craft({ alg: 'HS256', kid: 'new' }, { iss: ISS, aud: 'api', sub: 'u1', exp: NOW + 60 })
  await refused(await ask(fetch, bearer(untyped)), ...invalidToken('The access token lacks a required claim'))
  assert.equal(calls.length, 0)
  for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt'])
    assert.equal((await ask(fetch, bearer(mint({}, { typ })))).status, 200, typ)
  // Tokens minted elsewhere: the guard names the typ they carry, and then only that one passes.
  const legacy = guard(handler, { ...BASE, typ: 'JWT' })
  assert.equal((await ask(legacy, bearer(mint({}, { typ: 'JWT' })))).status, 200)
  await refused(await ask(legacy, bearer(mint())), ...invalidToken('The access token type is not accepted'))
  for (const typ of [undefined, '', [], null]) {
    assert.throws(
      () => guard(handler, { ...BASE, typ }),
      { name: 'TypeError', code: 'ERR_INVALID_OPTIONS' },
      String(typ),
    )
  }
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
