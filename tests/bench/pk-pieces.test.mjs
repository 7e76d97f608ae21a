// The public-key case's own pieces, run by `make bench` before it measures anything (beside
// pieces.test.mjs; not part of `make test`): the cases timed on "each token seen for the first
// time" really see each token afresh, however the rounds interleave them.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import * as jose from 'jose'
import * as keys from 'jwt-wasm/keys'
import { FRESH, cursor, pkCases } from './pk.mjs'

const now = 1_767_225_600
const ed25519 = new WebAssembly.Module(readFileSync(new URL('./ed25519.wasm', import.meta.url)))
/** How many verified tokens a PublicKeyVerifier remembers (src/js/keys/ring.js, SEEN_TOKENS). */
const REMEMBERED = 512

test('a cursor is its own: taking from one never moves another', () => {
  const a = cursor([1, 2, 3])
  const b = cursor([1, 2, 3])
  assert.deepEqual([a(), a(), b(), a(), b(), a()], [1, 2, 1, 3, 2, 1])
})

test('interleaved with the other cases, ours never verifies a token it still remembers', async () => {
  /** @type {string[]} every token the verifiers were handed, in order */
  const handed = []
  class Spy extends keys.PublicKeyVerifier {
    /** @param {string} token @param {any} [options] */
    verifyAsync(token, options) {
      handed.push(token)
      return super.verifyAsync(token, options)
    }
  }
  const lib = { keys: { ...keys, PublicKeyVerifier: Spy }, jose, ed25519 }
  const { cases, failures } = await pkCases(lib, 'EdDSA', now)
  // Every case, ed25519-dalek's in wasm too, read the valid token and refused the forged one.
  assert.deepEqual(failures, [])
  assert.ok(cases.some((c) => c.id === 'wasm-ed25519'))
  const timed = new Map(cases.filter((c) => c.timed).map((c) => [c.id, c.timed()]))
  assert.ok(timed.has('jwt-wasm') && timed.has('jose-key') && timed.has('floor'))
  const ours = /** @type {() => Promise<any>} */ (timed.get('jwt-wasm'))
  // Rounds as timing.mjs runs them: a batch of ours, then the other cases' batches (of sizes that
  // would move a shared cursor back into the window ours remembers), then ours again.
  const batch = async (/** @type {() => any} */ f, /** @type {number} */ n) => {
    for (let i = 0; i < n; i++) await f()
  }
  handed.length = 0
  await batch(ours, FRESH)
  await batch(/** @type {any} */ (timed.get('jose-key')), 300)
  await batch(/** @type {any} */ (timed.get('floor')), 150)
  await batch(ours, FRESH)
  assert.equal(handed.length, 2 * FRESH)
  const last = new Map()
  handed.forEach((t, i) => {
    if (last.has(t)) assert.ok(i - last.get(t) > REMEMBERED, `token seen again after ${i - last.get(t)} verifies`)
    last.set(t, i)
  })
  assert.equal(last.size, FRESH)
})

test("in Node, the node:crypto floor reads each algorithm's valid token and refuses its forged one", async () => {
  const nodeCrypto = await import('node:crypto')
  const { nodeFloorCase } = await import('./pk-node-floor.mjs')
  for (const alg of /** @type {const} */ (['ES256', 'RS256', 'EdDSA'])) {
    const nodeFloor = (/** @type {any[]} */ ...a) => nodeFloorCase(nodeCrypto, ...a)
    const { cases, failures } = await pkCases({ keys, jose, nodeFloor }, alg, now)
    assert.deepEqual(failures, [], alg)
    assert.ok(
      cases.some((c) => c.id === 'floor-node'),
      alg,
    )
  }
})
