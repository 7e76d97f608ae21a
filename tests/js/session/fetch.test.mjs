// jwt-wasm/session: session.fetch. The Bearer token for apiOrigins only; one shared refresh and
// one retry (the body replayed, streamed bodies too) on a 401 invalid_token challenge only; every
// other 401 and 403 returned untouched.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { ORIGIN, json, loggedIn } from './harness.mjs'

// ================================================================ fetch

describe('session.fetch: Bearer, one shared refresh and one retry on invalid_token only', () => {
  const INVALID = 'Bearer realm="api", error="invalid_token", error_description="The access token expired"'

  async function api(handler) {
    const ctx = await loggedIn()
    ctx.server.api = handler
    return ctx
  }

  test('a POST with a JSON body retried after 401 invalid_token sends the same body twice, with the new token', async () => {
    let n = 0
    const { server, session } = await api(() =>
      n++ === 0 ? json(401, { error: 'invalid_token' }, { 'www-authenticate': INVALID }) : json(201, { ok: true }),
    )
    const t1 = session.token
    const body = JSON.stringify({ item: 'book', qty: 2, note: 'ünïcödé' })
    const res = await session.fetch(`${ORIGIN}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    assert.equal(res.status, 201)
    const calls = server.calls.filter((c) => c.path === '/api/orders')
    assert.equal(calls.length, 2)
    assert.deepEqual(
      calls.map((c) => c.body),
      [body, body],
    )
    assert.deepEqual(
      calls.map((c) => c.headers['content-type']),
      ['application/json', 'application/json'],
    )
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(calls[0].headers.authorization, `Bearer ${t1}`)
    assert.equal(calls[1].headers.authorization, `Bearer ${session.token}`)
    assert.notEqual(session.token, t1)
    session.close()
  })

  test('a streamed body is replayed too (the clone is taken before the first send)', async () => {
    let n = 0
    const { server, session } = await api(() =>
      n++ === 0 ? json(401, null, { 'www-authenticate': INVALID }) : json(200, {}),
    )
    const enc = new TextEncoder()
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(enc.encode('part-1;'))
        c.enqueue(enc.encode('part-2'))
        c.close()
      },
    })
    const res = await session.fetch(`${ORIGIN}/api/upload`, { method: 'PUT', body: stream, duplex: 'half' })
    assert.equal(res.status, 200)
    assert.deepEqual(
      server.calls.filter((c) => c.path === '/api/upload').map((c) => c.body),
      ['part-1;part-2', 'part-1;part-2'],
    )
    session.close()
  })

  for (const [what, status, challenge] of [
    ['401 without an error (no credentials accepted)', 401, 'Bearer realm="api"'],
    ['401 with another scheme', 401, 'Basic realm="x", error="invalid_token"'],
    ['401 without WWW-Authenticate', 401, null],
    ['403 insufficient_scope', 403, 'Bearer error="insufficient_scope", scope="admin"'],
  ]) {
    test(`${what}: returned untouched, no refresh, no retry`, async () => {
      const answer = json(status, { error: 'nope' }, challenge ? { 'www-authenticate': challenge } : {})
      const { server, session } = await api(() => answer)
      const res = await session.fetch(`${ORIGIN}/api/admin`, { method: 'POST', body: 'x' })
      assert.equal(res, answer, 'the very same Response object')
      assert.equal(server.count('/api/admin'), 1)
      assert.equal(server.count('/auth/refresh'), 0)
      session.close()
    })
  }

  test('invalid_token again after the retry: the second 401 is returned (one retry only)', async () => {
    const { server, session } = await api(() => json(401, null, { 'www-authenticate': 'Bearer error=invalid_token' }))
    const res = await session.fetch(`${ORIGIN}/api/x`)
    assert.equal(res.status, 401)
    assert.equal(server.count('/api/x'), 2)
    assert.equal(server.count('/auth/refresh'), 1)
    session.close()
  })

  test('two requests rejected at once share one refresh', async () => {
    const { server, session } = await api((call) =>
      call.headers.authorization === `Bearer ${first}`
        ? json(401, null, { 'www-authenticate': INVALID })
        : json(200, {}),
    )
    const first = session.token
    const [a, b] = await Promise.all([
      session.fetch(`${ORIGIN}/api/a`),
      session.fetch(`${ORIGIN}/api/b`, { method: 'POST', body: 'b' }),
    ])
    assert.equal(a.status, 200)
    assert.equal(b.status, 200)
    assert.equal(server.count('/auth/refresh'), 1)
    session.close()
  })

  test('the refresh says the session is over: the original 401 comes back, and `expired` fires', async () => {
    const ctx = await api(() => json(401, null, { 'www-authenticate': INVALID }))
    ctx.server.refresh = () => json(401, { error: 'invalid_grant' })
    const res = await ctx.session.fetch(`${ORIGIN}/api/x`)
    assert.equal(res.status, 401)
    assert.equal(ctx.server.count('/api/x'), 1)
    assert.deepEqual(ctx.log, ['change:login', 'change:expired', 'expired'])
    ctx.session.close()
  })

  test('the token is only sent to apiOrigins', async () => {
    const { session } = await api((call) => json(200, { auth: call.headers.authorization ?? null }))
    const res = await session.fetch('https://third-party.example/api/track')
    assert.deepEqual(await res.json(), { auth: null })
    const own = await session.fetch(`${ORIGIN}/api/me`)
    assert.deepEqual(await own.json(), { auth: `Bearer ${session.token}` })
    session.close()
  })

  test('apiOrigins: [] sends the token to no origin at all (an empty list never means "any")', async () => {
    const { server, session } = await loggedIn({ options: { apiOrigins: [] } })
    server.api = (call) => json(200, { auth: call.headers.authorization ?? null })
    const own = await session.fetch(`${ORIGIN}/api/me`)
    assert.deepEqual(await own.json(), { auth: null })
    assert.equal(server.count('/api/me'), 1)
    session.close()
  })
})
