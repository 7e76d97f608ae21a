// Options resolved once per isolate (src/js/edge/per-isolate.js): a value is checked at once, a
// function is called on first use and kept; a failure is not kept; the async form shares one call
// between concurrent first requests and answers the value itself once known.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { internal } from './internal.mjs'

const { perIsolate, perIsolateAsync } = await internal('edge/per-isolate.js')

const positive = (v) => {
  if (typeof v !== 'number' || v <= 0) throw new TypeError(`bad ${v}`)
  return v * 10
}

test('perIsolate: a value is checked now; a function on first use, then kept; a failure is not kept', () => {
  assert.throws(() => perIsolate(-1, positive), /bad -1/)
  assert.equal(perIsolate(2, positive)({}), 20)
  const envs = []
  let answer = -1
  const of = perIsolate((env) => (envs.push(env), answer), positive)
  assert.deepEqual(envs, [], 'not called before first use')
  assert.throws(() => of('e1'), /bad -1/)
  answer = 3
  assert.equal(of('e2'), 30)
  assert.equal(of('e3'), 30)
  assert.deepEqual(envs, ['e1', 'e2'])
})

test('perIsolateAsync: one call for concurrent first uses, the value itself afterwards, a rejection retried', async () => {
  assert.equal(perIsolateAsync(2, positive)({}), 20)
  let calls = 0
  let fail = true
  const of = perIsolateAsync(async () => {
    calls++
    await new Promise((r) => setImmediate(r))
    if (fail) throw new Error('vault down')
    return 4
  }, positive)
  const first = [of('e'), of('e'), of('e')]
  for (const p of first) await assert.rejects(p, /vault down/)
  assert.equal(calls, 1)
  fail = false
  assert.deepEqual(await Promise.all([of('e'), of('e')]), [40, 40])
  assert.equal(calls, 2)
  assert.equal(of('e'), 40, 'once known, no promise')
})
