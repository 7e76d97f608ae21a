// A trap in the keys engine between the two phases of a verify (issue 13): the test-only build
// `jwt-wasm-trap` (`make pkg-trap`, src/trap.rs) traps on a marker token; the Ring's core is
// remade on a fresh instance, whose ticket table starts anew, so the ticket of a verification
// begun before the trap has the very number a begin after it gets. Phase 2 must then read its
// own token again (ring.js presents a ticket only to the instance that gave it), never take the
// other token's parked claims under its verdict.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { UNREACHABLE } from '../support/trap-scenario.mjs'
import { NOW, claims, keyPair, sign, PK } from './signing.mjs'

await import('jwt-wasm-trap/keys').catch((e) => {
  throw new Error('jwt-wasm-trap is not installed: run `make pkg-trap` before tests/js/run.sh', { cause: e })
})
const from = (path) => import(new URL(path, import.meta.resolve('jwt-wasm-trap')).href)
const { Ring } = await from('./keys/ring.js')
const { call, put } = await from('./wasm.js')
const { OP_DECODE } = await from('./internal/protocol.js')

test('a ticket from before a trap is never presented to the fresh instance: the token is read again', async () => {
  const pair = await keyPair('ES256', { kid: 'k' })
  const spec = { lists: [[4, ['exp']]], mask: 1 << PK.indexOf('ES256'), args: [0, 0, -1, 16384, 8192] }
  const ring = new Ring(spec, 'jwks', JSON.stringify({ keys: [pair.jwk] }), 'keys')
  const a = await sign(pair, {}, claims({ sub: 'a', aud: undefined }))
  const b = await sign(pair, {}, claims({ sub: 'b', aud: undefined }))
  const [ka, da, sa, ea, ta] = ring.begin(a, NOW)
  assert.equal(ea, undefined)
  assert.equal(await ring.verify(ka, da, sa), true)
  const core = ring.core
  assert.throws(() => call(core, OP_DECODE, 0, 0, put(core, [UNREACHABLE])[0], 0, 0), { code: 'ERR_WASM_TRAPPED' })
  const [kb, , , eb, tb] = ring.begin(b, NOW)
  assert.equal(eb, undefined)
  assert.equal(tb.n, ta.n, "the fresh table's first ticket has the old one's number")
  assert.notEqual(tb.memory, ta.memory)
  ring.end(a, ka, true, NOW, ta)
  assert.equal(JSON.parse(core.out().split('\0')[1]).sub, 'a', "a's own claims, not b's")
  // b's own ticket still holds b's: a refused verdict is refused.
  assert.throws(() => ring.end(b, kb, false, NOW, tb), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
  core.free()
})
