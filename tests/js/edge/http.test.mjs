// The edge's HTTP pieces alone (src/js/edge/http.js): the answer builder every edge answer goes
// through, the same-origin (CSRF) check, and bounded body reading.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { internal } from './internal.mjs'

const {
  answer,
  invalidRequest,
  unavailable,
  onlyPost,
  serverError,
  refuseCrossSite,
  isLoopbackHost,
  readBody,
  readLoginBody,
} = await internal('edge/http.js')
const { secureHeaders } = await import('jwt-wasm/edge')

test('answer: JSON with no-store, extra headers, every cookie its own Set-Cookie; null is no body and no content-type', async () => {
  const r = answer(401, { error: 'invalid_grant' }, { 'retry-after': '5' }, ['a=1; Path=/', 'b=2; Path=/'])
  assert.equal(r.status, 401)
  assert.equal(r.headers.get('cache-control'), 'no-store')
  assert.equal(r.headers.get('content-type'), 'application/json')
  assert.equal(r.headers.get('retry-after'), '5')
  assert.deepEqual(r.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/'])
  assert.equal(await r.text(), '{"error":"invalid_grant"}')
  const empty = answer(204, null)
  assert.equal(empty.headers.get('content-type'), null)
  assert.equal(empty.headers.get('cache-control'), 'no-store')
  assert.equal(await empty.text(), '')
  assert.deepEqual(await invalidRequest('Why').json(), { error: 'invalid_request', error_description: 'Why' })
  assert.equal(invalidRequest('Why', 403).status, 403)
  assert.equal(unavailable().status, 503)
  assert.deepEqual(await unavailable().json(), { error: 'temporarily_unavailable' })
  assert.equal(onlyPost().status, 405)
  assert.equal(onlyPost().headers.get('allow'), 'POST')
})

test('every answer carries the safe headers: no-store and nosniff, also bodiless ones and 500', () => {
  for (const r of [
    answer(200, {}),
    answer(204, null),
    invalidRequest('Why'),
    unavailable(),
    onlyPost(),
    serverError(),
  ]) {
    assert.equal(r.headers.get('cache-control'), 'no-store', String(r.status))
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', String(r.status))
  }
})

test('secureHeaders: adds what the response lacks, keeps its own, copies an immutable response', async () => {
  const plain = new Response('hi', { status: 201, headers: { 'content-type': 'text/plain' } })
  const same = secureHeaders(plain)
  assert.equal(same, plain)
  assert.equal(same.headers.get('cache-control'), 'no-store')
  assert.equal(same.headers.get('x-content-type-options'), 'nosniff')
  const own = secureHeaders(new Response('', { headers: { 'cache-control': 'private, max-age=60' } }))
  assert.equal(own.headers.get('cache-control'), 'private, max-age=60')
  assert.equal(own.headers.get('x-content-type-options'), 'nosniff')
  // Response.error() has immutable headers, like a fetch() result: a copy carries the headers.
  const frozen = Response.error()
  assert.throws(() => frozen.headers.set('x', '1'), TypeError)
  const redirect = Response.redirect('https://app.test/', 302)
  const copied = secureHeaders(redirect)
  assert.notEqual(copied, redirect)
  assert.equal(copied.status, 302)
  assert.equal(copied.headers.get('location'), 'https://app.test/')
  assert.equal(copied.headers.get('cache-control'), 'no-store')
  for (const v of [undefined, null, {}, 'text', new Headers()]) {
    assert.throws(() => secureHeaders(v), { name: 'TypeError', code: 'ERR_INVALID_OPTIONS' })
  }
})

test('refuseCrossSite: Origin must be listed; the CSRF header, when asked for, must be non-empty', async () => {
  const req = (headers) => new Request('https://app.example/auth/refresh', { method: 'POST', headers })
  const origins = ['https://app.example']
  assert.equal(refuseCrossSite(req({ origin: 'https://app.example' }), origins), undefined)
  assert.equal(refuseCrossSite(req({ origin: 'https://app.example', 'x-csrf': '1' }), origins, 'X-CSRF'), undefined)
  for (const headers of [
    {},
    { origin: 'null' },
    { origin: 'https://evil.example' },
    { origin: 'https://app.example:443x' },
  ]) {
    const r = refuseCrossSite(req(headers), origins, 'X-CSRF')
    assert.equal(r.status, 403, JSON.stringify(headers))
    assert.deepEqual(await r.json(), {
      error: 'invalid_request',
      error_description: 'The request origin is not allowed',
    })
  }
  for (const headers of [{ origin: 'https://app.example' }, { origin: 'https://app.example', 'x-csrf': '' }]) {
    const r = refuseCrossSite(req(headers), origins, 'X-CSRF')
    assert.equal(r.status, 403)
    assert.deepEqual(await r.json(), { error: 'invalid_request', error_description: 'The X-CSRF header is required' })
  }
})

test('refuseCrossSite without origins: the own origin only on a loopback host (issue 9 item 7)', async () => {
  const post = (url, origin) => new Request(url, { method: 'POST', headers: { origin } })
  for (const own of ['http://localhost:8787', 'http://127.0.0.1', 'http://127.255.0.9:1', 'http://[::1]:8787']) {
    assert.equal(refuseCrossSite(post(`${own}/auth/login`, own), undefined), undefined, own)
    const foreign = refuseCrossSite(post(`${own}/auth/login`, 'https://evil.example'), undefined)
    assert.equal((await foreign.json()).error_description, 'The request origin is not allowed', own)
  }
  for (const own of ['https://api.example', 'http://localhost.example', 'http://127.0.0.1.nip.io', 'http://[::2]']) {
    const r = refuseCrossSite(post(`${own}/auth/login`, own), undefined)
    assert.equal(r.status, 403, own)
    assert.match((await r.json()).error_description, /set options\.allowedOrigins/, own)
  }
  assert.equal(isLoopbackHost('localhost'), true)
  assert.equal(isLoopbackHost('127.0.0.1'), true)
  assert.equal(isLoopbackHost('[::1]'), true)
  for (const h of ['localhost.', 'a.localhost', '128.0.0.1', '1.127.0.0.1', '[::ffff:7f00:1]', '', 'api.example'])
    assert.equal(isLoopbackHost(h), false, h)
})

test('readBody: at most `limit` bytes of UTF-8, else undefined (declared or streamed); readLoginBody on top', async () => {
  const post = (body, headers = {}) => new Request('https://app.example/', { method: 'POST', body, headers })
  assert.equal(await readBody(post('héllo'), 6), 'héllo')
  assert.equal(await readBody(post('héllo'), 5), undefined, 'é is two bytes')
  assert.equal(await readBody(post(new Uint8Array([0xff, 0xfe])), 10), undefined, 'not UTF-8')
  assert.equal(
    await readBody(post('x', { 'content-length': '100' }), 10),
    undefined,
    'a declared length over the limit is not read',
  )
  assert.equal(await readBody(new Request('https://app.example/'), 10), '')
  const stream = new ReadableStream({
    pull(c) {
      c.enqueue(new Uint8Array(4096))
    },
  })
  const endless = new Request('https://app.example/', { method: 'POST', body: stream, duplex: 'half' })
  assert.equal(await readBody(endless, 8192), undefined, 'an endless body stops at the limit')
  const json = { 'content-type': 'application/json; charset=utf-8' }
  assert.deepEqual(await readLoginBody(post('{"login":"a","password":"b"}', json)), { login: 'a', password: 'b' })
  const form = { 'content-type': 'application/x-www-form-urlencoded' }
  assert.deepEqual(await readLoginBody(post('login=a&password=b', form)), { login: 'a', password: 'b' })
  assert.equal(await readLoginBody(post('{"login":"a","password":"b"}', { 'content-type': 'text/plain' })), undefined)
  assert.equal(await readLoginBody(post('{"login":"a","password":"b","x":' + '1'.repeat(9000) + '}', json)), undefined)
})
