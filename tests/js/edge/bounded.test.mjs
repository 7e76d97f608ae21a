// What the edge keeps in an isolate is bounded: BoundedMap (src/js/edge/bounded.js), the login
// throttle's counters (src/js/edge/login-throttle.js) and memoryStore's families. Time is passed
// in, never read.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { memoryStore } from 'jwt-wasm/edge'
import { internal } from './internal.mjs'

const { BoundedMap } = await internal('edge/bounded.js')
const { WindowCounters, THROTTLE_ENTRIES } = await internal('edge/login-throttle.js')
const { MEMORY_FAMILIES } = await internal('edge/stores.js')

test('BoundedMap: at most max entries, the oldest out first; an update keeps its place', () => {
  const m = new BoundedMap(3)
  for (const k of ['a', 'b', 'c']) m.set(k, k.toUpperCase(), 100, 0)
  m.set('a', 'A2', 100, 0)
  m.set('d', 'D', 100, 0)
  assert.deepEqual(
    [...m.entries()],
    [
      ['b', 'B'],
      ['c', 'C'],
      ['d', 'D'],
    ],
  )
  assert.equal(m.get('a', 0), undefined, 'the oldest went, even though it was updated last')
  for (const bad of [0, -1, 1.5, Number.NaN, '3']) assert.throws(() => new BoundedMap(bad), TypeError)
})

test('BoundedMap: an expired entry reads as absent and goes; expired entries at the old end are swept on insertion', () => {
  const m = new BoundedMap(10)
  m.set('a', 1, 10, 0)
  m.set('b', 2, 20, 0)
  m.set('c', 3, 30, 0)
  assert.equal(m.get('a', 9), 1)
  assert.equal(m.get('a', 10), undefined)
  assert.equal(m.size, 2)
  assert.equal(m.get('b'), 2, 'without a time, expiry is not judged')
  m.set('d', 4, 40, 25)
  assert.deepEqual(
    [...m.entries()],
    [
      ['c', 3],
      ['d', 4],
    ],
  )
})

test('login counters: at most THROTTLE_ENTRIES (10,000) per isolate, a window per login', () => {
  assert.equal(THROTTLE_ENTRIES, 10_000)
  const c = new WindowCounters(900)
  assert.deepEqual(c.hit('k', 0), { count: 1, resetAt: 900 })
  assert.deepEqual(c.hit('k', 899), { count: 2, resetAt: 900 })
  assert.deepEqual(c.hit('k', 900), { count: 1, resetAt: 1800 }, 'a new window after the old one ended')
  for (let i = 0; i < 20_000; i++) c.hit(`login-${i}`, 1000)
  assert.equal(c.size, THROTTLE_ENTRIES)
  c.clear('login-19999')
  assert.equal(c.size, THROTTLE_ENTRIES - 1)
})

const family = (i, createdAt = 0, lifetime = 100) => ({
  familyId: `f${i}`,
  sub: 'u',
  claims: {},
  createdAt,
  expiresAt: createdAt + lifetime,
  lastUsedAt: createdAt,
  current: `h${i}`,
  previous: null,
})

test('memoryStore: at most maxFamilies families (default 10,000), the oldest out; expired ones dropped', async () => {
  assert.equal(MEMORY_FAMILIES, 10_000)
  const store = memoryStore({ maxFamilies: 2 })
  for (const i of [1, 2, 3]) await store.create(family(i))
  assert.equal(await store.read('f1'), null)
  assert.equal((await store.read('f3')).current, 'h3')
  const timed = memoryStore()
  await timed.create(family(1, 0, 10))
  await timed.create(family(2, 20, 10))
  assert.equal(await timed.read('f1'), null, 'swept when a later family was stored')
  assert.deepEqual(await timed.rotate('f2', 'h2', 'n2', 30, 10, 86400), { status: 'expired' })
  assert.equal(await timed.read('f2'), null)
  const many = memoryStore()
  for (let i = 0; i < 10_001; i++) await many.create(family(i, 0, 1e6))
  assert.equal(await many.read('f0'), null)
  assert.notEqual(await many.read('f1'), null)
  for (const bad of [{ maxFamilies: 0 }, { maxFamilies: 1.5 }, { other: 1 }, null]) {
    assert.throws(() => memoryStore(bad), TypeError)
  }
})
