// remoteKeySet, part two: the Cache API and KV tiers (a new isolate reads instead of fetching,
// failures shared across isolates), single flight per scope (never a promise of another scope)
// and refused(version). Part one (remote-key-set.test.mjs): options, the TTL, the fetch, the
// cooldown, stale-if-error. Time, fetch, tiers and timers are injected; no network.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { fakeCache, fakeFetch, fakeKv, jwks, keysModule, manualTimers } from './support.mjs'

const { remoteKeySet } = await keysModule('remote-key-set.js')
const { JWKSFetchFailed, JWKSInvalid, JWKSTooLarge } = await keysModule('key-set-errors.js')

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

describe('the second tier', () => {
  test('Cache API: a new isolate reads the body instead of fetching, until its own expiry', async () => {
    const cache = fakeCache()
    const fetch = fakeFetch(ok(jwks('a'), 'max-age=300'))
    const a = remoteKeySet(URL_, { fetch, cache })
    const sa = await a.load({ now: T0 })
    assert.equal(cache.puts, 1)
    const [[key, stored]] = cache.store
    assert.match(key, /^https:\/\/key-set\.jwt-wasm\.invalid\/v1\/jwks\//)
    assert.equal(stored.body, jwks('a'))
    assert.equal(stored.headers['x-jwt-wasm-expires'], String(T0 + 300))
    assert.equal(stored.headers['cache-control'], 'max-age=300')
    const b = remoteKeySet(URL_, { fetch, cache })
    const sb = await b.load({ now: T0 + 100 })
    assert.equal(sb.body, sa.body)
    assert.equal(fetch.calls.length, 1, 'no fetch for the new isolate')
    assert.equal(b.snapshot(T0 + 299), sb)
    assert.equal(b.snapshot(T0 + 300), undefined, 'the entry keeps its own expiry')
    const c = remoteKeySet(URL_, { fetch, cache })
    await c.load({ now: T0 + 300 })
    assert.equal(fetch.calls.length, 2, 'an expired entry is a miss')
  })
  test('Cache API: an unknown kid takes a newer body another isolate stored', async () => {
    const cache = fakeCache()
    let body = jwks('a')
    const fetch = fakeFetch(() => ({ body, headers: { 'cache-control': 'max-age=600' } }))
    const a = remoteKeySet(URL_, { fetch, cache })
    const b = remoteKeySet(URL_, { fetch, cache })
    await a.load({ now: T0 })
    await b.load({ now: T0 })
    assert.equal(fetch.calls.length, 1)
    body = jwks('a', 'b')
    await a.load({ now: T0 + 10, reason: 'unknown-kid' })
    assert.equal(fetch.calls.length, 2)
    const sb = await b.load({ now: T0 + 11, reason: 'unknown-kid' })
    assert.equal(sb.body, jwks('a', 'b'))
    assert.equal(fetch.calls.length, 2, 'b read the rotation from the tier')
  })
  test('while backing off, a body another isolate stored ends the wait', async () => {
    const cache = fakeCache()
    let status = 500
    const fetch = fakeFetch(() => ({ status, body: jwks('a'), headers: { 'cache-control': 'max-age=300' } }))
    const a = remoteKeySet(URL_, { fetch, cache })
    const b = remoteKeySet(URL_, { fetch, cache })
    await assert.rejects(a.load({ now: T0 }), JWKSFetchFailed)
    // a recorded its failure in the Cache API: b waits with it, without a fetch.
    const e = await b.load({ now: T0 + 0.5 }).catch((x) => x)
    assert.ok(e instanceof JWKSFetchFailed && e.status === 500)
    assert.equal(fetch.calls.length, 1)
    assert.equal([...cache.store.keys()].filter((k) => k.endsWith('/failure')).length, 1, 'the failure recorded')
    status = 200
    await a.load({ now: T0 + 1 })
    assert.equal([...cache.store.keys()].filter((k) => k.endsWith('/failure')).length, 0, 'a success ends it')
    assert.equal((await b.load({ now: T0 + 1.5 })).body, jwks('a'), 'b is still backing off, the tier answers')
    assert.equal(fetch.calls.length, 2)
  })
  test("another isolate's failure: its error and retry time, the stale body meanwhile", async () => {
    const cache = fakeCache()
    let status = 200
    const fetch = fakeFetch(() => ({ status, body: jwks('a'), headers: { 'cache-control': 'max-age=100' } }))
    const a = remoteKeySet(URL_, { fetch, cache })
    const b = remoteKeySet(URL_, { fetch, cache })
    const good = await a.load({ now: T0 })
    assert.equal((await b.load({ now: T0 })).body, good.body)
    status = 503
    assert.equal(await a.load({ now: T0 + 100 }), good, 'a: stale after its failure')
    assert.equal(fetch.calls.length, 2)
    const sb = await b.load({ now: T0 + 100.5 })
    assert.equal(sb.body, good.body, "b: stale too, on a's failure")
    assert.equal(fetch.calls.length, 2, 'b did not fetch')
    assert.equal(b.snapshot(T0 + 100.9).body, good.body)
    // Past the recorded retry time b fetches itself.
    await b.load({ now: T0 + 101 })
    assert.equal(fetch.calls.length, 3)
    // Timeouts and size are recorded by their code.
    const c2 = fakeCache()
    const t = remoteKeySet(URL_, { fetch: fakeFetch(() => ({ body: ' '.repeat(70000) })), cache: c2 })
    await assert.rejects(t.load({ now: T0 }), JWKSTooLarge)
    await assert.rejects(remoteKeySet(URL_, { fetch, cache: c2 }).load({ now: T0 }), JWKSTooLarge)
  })
  test('a failing or garbled tier is a miss, never an error', async () => {
    const fetch = fakeFetch(ok(jwks('a')))
    const broken = {
      match: async () => {
        throw new Error('cache down')
      },
      put: async () => {
        throw new Error('cache down')
      },
    }
    assert.equal((await remoteKeySet(URL_, { fetch, cache: broken }).load({ now: T0 })).body, jwks('a'))
    const garbled = fakeCache()
    garbled.match = async () =>
      new Response('{"keys":7}', {
        headers: { 'x-jwt-wasm-expires': String(T0 + 999), 'x-jwt-wasm-fetched': String(T0) },
      })
    assert.equal((await remoteKeySet(URL_, { fetch, cache: garbled }).load({ now: T0 })).body, jwks('a'))
    assert.equal(fetch.calls.length, 2)
  })
  test('KV: the entry with expirationTtl (at least 60), read by a new isolate', async () => {
    const kv = fakeKv()
    const fetch = fakeFetch(ok(jwks('a'), 'max-age=120'))
    await remoteKeySet(URL_, { fetch, cache: false, kv }).load({ now: T0 })
    assert.deepEqual(kv.ttls, [120])
    const s = await remoteKeySet(URL_, { fetch, cache: false, kv }).load({ now: T0 + 60 })
    assert.equal(s.body, jwks('a'))
    assert.equal(fetch.calls.length, 1)
    await remoteKeySet(URL_, { fetch, cache: false, kv }).load({ now: T0 + 120 })
    assert.equal(fetch.calls.length, 2, 'past its own expiry')
    const short = fakeKv()
    await remoteKeySet(URL_, { fetch: fakeFetch(ok(jwks('a'), 'no-store')), cache: false, kv: short, minTtl: 5 }).load({
      now: T0,
    })
    assert.deepEqual(short.ttls, [60], "KV's minimum expirationTtl")
  })
  test('the default cache is caches.default when the runtime has one', async () => {
    const cache = fakeCache()
    globalThis.caches = { default: cache }
    try {
      await remoteKeySet(URL_, { fetch: fakeFetch(ok(jwks('a'))) }).load({ now: T0 })
      assert.equal(cache.puts, 1)
      await remoteKeySet(URL_, { fetch: fakeFetch(ok(jwks('a'))), cache: false }).load({ now: T0 })
      assert.equal(cache.puts, 1, 'cache: false opts out')
    } finally {
      delete globalThis.caches
    }
  })
})

describe('single flight', () => {
  test('one flight per scope; another scope polls on its own timers instead of sharing a promise', async () => {
    let release
    const gate = new Promise((r) => {
      release = r
    })
    const timers = manualTimers()
    const { ks, fetch } = make(
      async () => {
        await gate
        return { body: jwks('a') }
      },
      { timers, timeout: 1000 },
    )
    const r1 = {}
    const r2 = {}
    const p1 = ks.load({ now: T0, scope: r1 })
    const p1b = ks.load({ now: T0, scope: r1 })
    const p2 = ks.load({ now: T0, scope: r2 })
    assert.equal(p1b, p1, 'the same scope shares its promise')
    assert.notEqual(p2, p1, 'another scope gets its own')
    await new Promise((r) => setImmediate(r))
    assert.equal(fetch.calls.length, 1, 'the second scope waits for the fetch in flight')
    // The second scope's poll timer (10 ms) and the fetch's timeout timer (1000 ms) are pending.
    assert.deepEqual(
      [...timers.pending.values()].map((t) => t.ms).sort((a, b) => a - b),
      [10, 1000],
    )
    release()
    const s1 = await p1
    const poll = [...timers.pending.values()].find((t) => t.ms === 10)
    timers.pending.clear()
    poll.f()
    const s2 = await p2
    assert.equal(s2, s1, 'the body the other fetch brought')
    assert.equal(fetch.calls.length, 1)
    assert.notEqual(ks.load({ now: T0, scope: r1 }), p1, 'a settled flight is forgotten')
  })
  test('a waiting scope gives up after timeout and fetches itself; an old flight is not waited for', async () => {
    const timers = manualTimers()
    const { ks, fetch } = make(({ n }) => (n === 1 ? new Promise(() => {}) : { body: jwks('a') }), {
      timers,
      timeout: 50,
    })
    ks.load({ now: T0, scope: {} }).catch(() => {})
    const p2 = ks.load({ now: T0, scope: {} })
    await new Promise((r) => setImmediate(r))
    assert.equal(fetch.calls.length, 1)
    // Fire the poll timers only (5 × 10 ms = the timeout): the waiter fetches for itself.
    for (let i = 0; i < 5; i++) {
      const [id, t] = [...timers.pending.entries()].find(([, v]) => v.ms === 10)
      timers.pending.delete(id)
      t.f()
    }
    assert.equal((await p2).body, jwks('a'))
    assert.equal(fetch.calls.length, 2)
    // A third fetch hangs again; a load one second later (past the timeout) does not wait for it.
    const hung = make(() => new Promise(() => {}), { timers: manualTimers(), timeout: 50 })
    hung.ks.load({ now: T0, scope: {} }).catch(() => {})
    hung.ks.load({ now: T0 + 1, scope: {} }).catch(() => {})
    await new Promise((r) => setImmediate(r))
    assert.equal(hung.fetch.calls.length, 2)
  })
  test('without a scope each load is its own flight', async () => {
    const { ks } = make(ok(jwks('a')))
    assert.notEqual(ks.load({ now: T0 }), ks.load({ now: T0 }))
  })
})

describe('refused(version)', () => {
  test('without an older body: no snapshot, loads back off, the same body stays refused', async () => {
    const cache = fakeCache()
    let body = jwks('bad')
    const fetch = fakeFetch(() => ({ body }))
    const ks = remoteKeySet(URL_, { fetch, cache })
    const s = await ks.load({ now: T0 })
    const why = new Error('core refused')
    ks.refused(s.version, why)
    await new Promise((r) => setImmediate(r))
    assert.equal(cache.store.size, 0, 'dropped from the tier')
    assert.equal(ks.snapshot(T0), undefined)
    const e = await ks.load({ now: T0 + 0.5 }).catch((x) => x)
    assert.ok(e instanceof JWKSInvalid)
    assert.equal(e.cause, why)
    assert.equal(fetch.calls.length, 1, 'backing off')
    await assert.rejects(ks.load({ now: T0 + 1 }), JWKSInvalid, 'the same body again')
    assert.equal(fetch.calls.length, 2)
    body = jwks('good')
    const s2 = await ks.load({ now: T0 + 10 })
    assert.notEqual(s2.version, s.version)
    assert.equal(s2.body, jwks('good'))
  })
  test('with an older body: it serves within staleIfError', async () => {
    let body = jwks('a')
    const { ks } = make(() => ({ body, headers: { 'cache-control': 'max-age=600' } }))
    const v1 = await ks.load({ now: T0 })
    body = jwks('a', 'bad')
    const v2 = await ks.load({ now: T0 + 1, reason: 'unknown-kid' })
    ks.refused(v2.version, new Error('refused'))
    assert.equal(ks.snapshot(T0 + 2), v1)
    ks.refused(12345, new Error('unknown version: ignored'))
    assert.equal(ks.snapshot(T0 + 2), v1)
  })
})
