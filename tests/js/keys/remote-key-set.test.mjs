// remoteKeySet, part one: the options, the cache (TTL from Cache-Control, its bounds, Age), the
// fetch's timeout, size cap, redirects and statuses, the body's shape, the unknown-kid cooldown,
// stale-if-error and its window. Part two (remote-key-set-tiers.test.mjs): the Cache API and KV
// tiers, single flight per scope and refused(version). Time, fetch, tiers and timers are
// injected; no network.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { fakeFetch, invalid, jwks, keysModule, manualTimers } from './support.mjs'

const { remoteKeySet } = await keysModule('remote-key-set.js')
const { freshFor } = await keysModule('cache-control.js')
const { JWKSFetchFailed, JWKSInvalid, JWKSTimeout, JWKSTooLarge } = await keysModule('key-set-errors.js')
const { DEFAULTS } = await keysModule('remote-options.js')
const { JwtError } = await keysModule('../errors.js')

const URL_ = 'https://idp.example/.well-known/jwks.json'
const T0 = 1_767_225_600
/** A key set with no second tier, over a fetch answering `answer`. */
const make = (answer, options = {}) => {
  const fetch = fakeFetch(answer)
  return { fetch, ks: remoteKeySet(URL_, { cache: false, fetch, ...options }) }
}
const ok =
  (body, cacheControl, extra = {}) =>
  () => ({
    body,
    headers: cacheControl === undefined ? extra : { 'cache-control': cacheControl, ...extra },
  })

describe('options', () => {
  const fetch = fakeFetch(ok(jwks('a')))
  test('bad options are TypeError ERR_INVALID_OPTIONS', () => {
    invalid(() => remoteKeySet('http://idp.example/jwks', { fetch }))
    invalid(() => remoteKeySet('ftp://idp.example/jwks', { fetch }))
    invalid(() => remoteKeySet('https://user:pw@idp.example/jwks', { fetch }))
    invalid(() => remoteKeySet('/jwks', { fetch }))
    invalid(() => remoteKeySet(42, { fetch }))
    invalid(() => remoteKeySet(URL_, { fetch, ttl: 5 }))
    invalid(() => remoteKeySet(URL_, { fetch, format: 'pem' }))
    invalid(() => remoteKeySet(URL_, { fetch, minTtl: 0 }))
    invalid(() => remoteKeySet(URL_, { fetch, minTtl: 700, maxTtl: 600 }))
    invalid(() => remoteKeySet(URL_, { fetch, maxTtl: 86401 }))
    invalid(() => remoteKeySet(URL_, { fetch, cooldown: 0 }))
    invalid(() => remoteKeySet(URL_, { fetch, staleIfError: -1 }))
    invalid(() => remoteKeySet(URL_, { fetch, staleIfError: Number.NaN }))
    invalid(() => remoteKeySet(URL_, { fetch, timeout: 0 }))
    invalid(() => remoteKeySet(URL_, { fetch, timeout: 1.5 }))
    invalid(() => remoteKeySet(URL_, { fetch, maxBytes: 10 }))
    invalid(() => remoteKeySet(URL_, { fetch, maxBytes: '65536' }))
    invalid(() => remoteKeySet(URL_, { fetch: 'fetch' }))
    invalid(() => remoteKeySet(URL_, { fetch, cache: {} }))
    invalid(() => remoteKeySet(URL_, { fetch, cache: null }))
    invalid(() => remoteKeySet(URL_, { fetch, kv: { get() {} } }))
    invalid(() => remoteKeySet(URL_, { fetch, timers: { setTimeout() {} } }))
    invalid(() => remoteKeySet(URL_, null))
  })
  test('http only for loopback hosts', () => {
    for (const u of ['http://127.0.0.1:8787/jwks', 'http://localhost/jwks', 'http://[::1]:1/jwks']) {
      assert.ok(remoteKeySet(u, { fetch, cache: false }))
    }
    invalid(() => remoteKeySet('http://10.0.0.1/jwks', { fetch }))
  })
  test('the defaults', () => {
    assert.deepEqual(
      { ...DEFAULTS },
      {
        timeout: 5000,
        maxBytes: 65536,
        minTtl: 60,
        maxTtl: 600,
        cooldown: 30,
        staleIfError: 3600,
      },
    )
  })
  test('snapshot and load check their arguments', async () => {
    const { ks } = make(ok(jwks('a')))
    invalid(() => ks.snapshot('now'))
    await assert.rejects(ks.load({ now: Number.NaN }), { code: 'ERR_INVALID_OPTIONS' })
    await assert.rejects(ks.load({ now: T0, reason: 'bored' }), { code: 'ERR_INVALID_OPTIONS' })
    await assert.rejects(ks.load({ now: T0, scope: 'req' }), { code: 'ERR_INVALID_OPTIONS' })
    await assert.rejects(ks.load(undefined), { code: 'ERR_INVALID_OPTIONS' })
  })
})

describe('the TTL from Cache-Control', () => {
  const h = (o) => new Headers(o)
  const b = { minTtl: 60, maxTtl: 600 }
  test('each form', () => {
    assert.equal(freshFor(h({ 'cache-control': 'public, max-age=300' }), b), 300)
    assert.equal(freshFor(h({ 'cache-control': 'max-age=300, s-maxage=120' }), b), 120)
    assert.equal(freshFor(h({ 'cache-control': 's-maxage=200' }), b), 200)
    assert.equal(freshFor(h({ 'cache-control': 'max-age="240"' }), b), 240)
    assert.equal(freshFor(h({ 'cache-control': 'no-store' }), b), 60)
    assert.equal(freshFor(h({ 'cache-control': 'no-cache, max-age=300' }), b), 60)
    assert.equal(freshFor(h({ 'cache-control': 'private, must-revalidate' }), b), 600)
    assert.equal(freshFor(h({ 'cache-control': 'max-age=abc' }), b), 600)
    assert.equal(freshFor(h({}), b), 600, 'no Cache-Control: maxTtl')
    assert.equal(freshFor(h({ expires: 'Thu, 01 Jan 2099 00:00:00 GMT' }), b), 600, 'Expires is ignored')
  })
  test('bounded by minTtl and maxTtl', () => {
    assert.equal(freshFor(h({ 'cache-control': 'max-age=5' }), b), 60)
    assert.equal(freshFor(h({ 'cache-control': 'max-age=86400' }), b), 600)
    assert.equal(freshFor(h({ 'cache-control': 'max-age=86400' }), { minTtl: 1, maxTtl: 3600 }), 3600)
  })
  test('Age is subtracted', () => {
    assert.equal(freshFor(h({ 'cache-control': 'max-age=300', age: '100' }), b), 200)
    assert.equal(freshFor(h({ 'cache-control': 'max-age=300', age: '290' }), b), 60)
    assert.equal(freshFor(h({ 'cache-control': 'max-age=300', age: 'x' }), b), 300)
  })
  test('through a key set: fresh for the TTL, then fetched again', async () => {
    const { ks, fetch } = make(ok(jwks('a'), 'max-age=300', { age: '100' }))
    assert.equal(ks.snapshot(T0), undefined)
    const s = await ks.load({ now: T0 })
    assert.equal(s.format, 'jwks')
    assert.equal(s.body, jwks('a'))
    assert.equal(ks.snapshot(T0 + 199), s)
    assert.equal(ks.snapshot(T0 + 200), undefined)
    const again = await ks.load({ now: T0 + 200 })
    assert.equal(again.version, s.version, 'the same body keeps its version')
    assert.equal(fetch.calls.length, 2)
  })
})

describe('the fetch', () => {
  test('a GET with a fixed Accept, no redirects followed', async () => {
    const { ks, fetch } = make(ok(jwks('a')))
    await ks.load({ now: T0 })
    const { url, init } = fetch.calls[0]
    assert.equal(url, URL_)
    assert.equal(init.method, 'GET')
    assert.equal(init.redirect, 'manual')
    assert.equal(init.headers.accept, 'application/jwk-set+json, application/json;q=0.9')
    assert.ok(init.signal instanceof AbortSignal)
  })
  test('a redirect is refused with its status', async () => {
    const { ks } = make(() => ({ status: 302, headers: { location: 'https://evil.example/jwks' } }))
    await assert.rejects(ks.load({ now: T0 }), (e) => e instanceof JWKSFetchFailed && e.status === 302)
  })
  test('a 500 is ERR_JWKS_FETCH_FAILED with status 500, and a JwtError', async () => {
    const { ks } = make(() => ({ status: 500, body: 'oops' }))
    const e = await ks.load({ now: T0 }).catch((x) => x)
    assert.ok(e instanceof JWKSFetchFailed)
    assert.equal(e.code, 'ERR_JWKS_FETCH_FAILED')
    assert.equal(e.status, 500)
    assert.equal(e.name, 'JWKSFetchFailed')
    assert.ok(e instanceof JwtError)
  })
  test('a network error is ERR_JWKS_FETCH_FAILED with status 0 and the cause', async () => {
    const boom = new TypeError('network down')
    const { ks } = make(() => {
      throw boom
    })
    const e = await ks.load({ now: T0 }).catch((x) => x)
    assert.ok(e instanceof JWKSFetchFailed)
    assert.equal(e.status, 0)
    assert.equal(e.cause, boom)
  })
  test('the timeout: the injected timer fires, the signal aborts, ERR_JWKS_TIMEOUT', async () => {
    const timers = manualTimers()
    let signal
    const { ks } = make(
      ({ init }) => {
        signal = init.signal
        return new Promise(() => {}) // never answers, ignores the signal
      },
      { timers, timeout: 1500 },
    )
    const p = ks.load({ now: T0 })
    await new Promise((r) => setImmediate(r))
    assert.deepEqual(
      [...timers.pending.values()].map((t) => t.ms),
      [1500],
    )
    timers.fire()
    await assert.rejects(p, (e) => e instanceof JWKSTimeout && e.code === 'ERR_JWKS_TIMEOUT')
    assert.equal(signal.aborted, true)
  })
  test('a slow body stream times out too', async () => {
    const timers = manualTimers()
    const slow = new ReadableStream({ pull() {} }) // never yields
    const { ks } = make(() => new Response(slow), { timers })
    const p = ks.load({ now: T0 })
    await new Promise((r) => setImmediate(r))
    timers.fire()
    await assert.rejects(p, JWKSTimeout)
  })
  test('the timer is cleared after an answer', async () => {
    const timers = manualTimers()
    const { ks } = make(ok(jwks('a')), { timers })
    await ks.load({ now: T0 })
    assert.equal(timers.pending.size, 0)
  })
  test('the size cap on Content-Length: refused before reading', async () => {
    let pulled = 0
    const body = new ReadableStream({
      pull(c) {
        pulled += 1
        c.enqueue(new TextEncoder().encode(jwks('a')))
        c.close()
      },
    })
    const { ks } = make(() => new Response(body, { headers: { 'content-length': '70000' } }))
    await assert.rejects(ks.load({ now: T0 }), (e) => e instanceof JWKSTooLarge && e.code === 'ERR_JWKS_TOO_LARGE')
    assert.ok(pulled <= 1, 'the body was not read through')
  })
  test('the size cap while streaming (no Content-Length): stops at the cap', async () => {
    let chunks = 0
    const chunk = new Uint8Array(1024).fill(0x20)
    const body = new ReadableStream({
      pull(c) {
        chunks += 1
        c.enqueue(chunk)
      },
    })
    const { ks } = make(() => new Response(body), { maxBytes: 4096 })
    await assert.rejects(ks.load({ now: T0 }), JWKSTooLarge)
    assert.ok(chunks <= 7, `stopped reading after ${chunks} chunks`)
  })
  test('a body of exactly maxBytes passes', async () => {
    const text = jwks('a')
    const { ks } = make(() => ({ body: text.padEnd(512, ' ') }), { maxBytes: 512 })
    assert.equal((await ks.load({ now: T0 })).body.length, 512)
  })
  test('bodies of the wrong shape are ERR_JWKS_INVALID', async () => {
    for (const body of ['not json', '[]', 'null', '{"keys":{}}', '{"keys":[1]}', '{"keys":[null]}', '{}']) {
      const { ks } = make(() => ({ body }))
      await assert.rejects(ks.load({ now: T0 }), (e) => e instanceof JWKSInvalid && e.code === 'ERR_JWKS_INVALID', body)
    }
    const { ks } = make(() => new Response(new Uint8Array([0x7b, 0xff, 0x7d])))
    await assert.rejects(ks.load({ now: T0 }), JWKSInvalid, 'not UTF-8')
  })
  test('format x509: an object of PEM strings, with its own Accept', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
    const { ks, fetch } = make(() => ({ body: JSON.stringify({ k1: pem, k2: pem }) }), { format: 'x509' })
    const s = await ks.load({ now: T0 })
    assert.equal(s.format, 'x509')
    assert.equal(fetch.calls[0].init.headers.accept, 'application/json')
    for (const body of ['{"k1":1}', '{"k1":""}', '{"keys":[]}', '["pem"]']) {
      const bad = make(() => ({ body }), { format: 'x509' })
      await assert.rejects(bad.ks.load({ now: T0 }), JWKSInvalid, body)
    }
  })
})

describe('rotation and the unknown-kid cooldown', () => {
  test('a new body is a new version; an unknown kid refetches at most once per cooldown', async () => {
    let body = jwks('a')
    const { ks, fetch } = make(() => ({ body, headers: { 'cache-control': 'max-age=600' } }))
    const v1 = await ks.load({ now: T0 })
    body = jwks('a', 'b')
    // Within the cooldown since the last look (none yet: the first unknown kid looks at once).
    const v2 = await ks.load({ now: T0 + 1, reason: 'unknown-kid' })
    assert.notEqual(v2.version, v1.version)
    assert.equal(v2.body, jwks('a', 'b'))
    assert.equal(fetch.calls.length, 2)
    for (let t = 2; t < 31; t++) assert.equal(await ks.load({ now: T0 + t, reason: 'unknown-kid' }), v2)
    assert.equal(fetch.calls.length, 2, 'no fetch within the 30 s cooldown')
    const v3 = await ks.load({ now: T0 + 31, reason: 'unknown-kid' })
    assert.equal(v3, v2, 'the same body: the same snapshot')
    assert.equal(fetch.calls.length, 3)
    assert.equal(ks.snapshot(T0 + 40), v2)
  })
  test('a cold unknown-kid load is an empty load', async () => {
    const { ks, fetch } = make(ok(jwks('a')))
    await ks.load({ now: T0, reason: 'unknown-kid' })
    assert.equal(fetch.calls.length, 1)
  })
})

describe('failures: backoff and stale-if-error', () => {
  test('stale for staleIfError past expiry, one fetch per backoff step (at most one per cooldown), then an error', async () => {
    let status = 200
    const { ks, fetch } = make(() => ({ status, body: jwks('a'), headers: { 'cache-control': 'max-age=100' } }), {
      staleIfError: 1000,
    })
    const good = await ks.load({ now: T0 })
    status = 500
    // Expired at T0+100: the refresh fails, the stale body answers.
    assert.equal(ks.snapshot(T0 + 100), undefined)
    assert.equal(await ks.load({ now: T0 + 100 }), good)
    assert.equal(fetch.calls.length, 2)
    // Served by snapshot until the next retry (1 s), without a fetch.
    assert.equal(ks.snapshot(T0 + 100.5), good)
    assert.equal(ks.snapshot(T0 + 101), undefined)
    assert.equal(await ks.load({ now: T0 + 101 }), good)
    assert.equal(fetch.calls.length, 3)
    // A request every second until the window closes: one fetch per backoff step (1, 2, 4, 8, 16 s,
    // then one per 30 s cooldown).
    let served = 0
    for (let t = 102; t < 1100; t++) {
      const s = ks.snapshot(T0 + t) ?? (await ks.load({ now: T0 + t }).catch(() => undefined))
      if (s === good) served += 1
    }
    assert.equal(served, 998, 'stale answers until expiry + staleIfError')
    const bound = 3 + 5 + Math.ceil(998 / 30)
    assert.ok(fetch.calls.length <= bound, `fetches while failing: ${fetch.calls.length} > ${bound}`)
    assert.ok(fetch.calls.length >= 3 + 30, 'it keeps trying, once per cooldown')
    // Past the window: no snapshot, load rejects with the status.
    const n = fetch.calls.length
    assert.equal(ks.snapshot(T0 + 1100), undefined)
    const e = await ks.load({ now: T0 + 1100 + 30 }).catch((x) => x)
    assert.ok(e instanceof JWKSFetchFailed && e.status === 500)
    assert.equal(fetch.calls.length, n + 1)
    // Recovery: the next successful fetch serves again and resets the backoff.
    status = 200
    const back = await ks.load({ now: T0 + 1100 + 2 * 30 })
    assert.equal(back.version, good.version)
    assert.equal(ks.snapshot(T0 + 1100 + 2 * 30 + 50), back)
  })
  test('staleIfError 0: an expired body is never served', async () => {
    let status = 200
    const { ks } = make(() => ({ status, body: jwks('a'), headers: { 'cache-control': 'max-age=100' } }), {
      staleIfError: 0,
    })
    await ks.load({ now: T0 })
    status = 503
    await assert.rejects(ks.load({ now: T0 + 100 }), (e) => e.status === 503)
    assert.equal(ks.snapshot(T0 + 100), undefined)
  })
  test('a cold failure backs off: loads within it reject without a fetch', async () => {
    const { ks, fetch } = make(() => ({ status: 500 }))
    await assert.rejects(ks.load({ now: T0 }), JWKSFetchFailed)
    await assert.rejects(ks.load({ now: T0 + 0.5 }), JWKSFetchFailed)
    assert.equal(fetch.calls.length, 1)
    await assert.rejects(ks.load({ now: T0 + 1 }), JWKSFetchFailed)
    assert.equal(fetch.calls.length, 2)
    await assert.rejects(ks.load({ now: T0 + 2.5 }), JWKSFetchFailed)
    assert.equal(fetch.calls.length, 2, 'the second wait is 2 s')
  })
})
