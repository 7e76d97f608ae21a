// The boundary's byte views (src/js/wasm.js keeps one view of each instance's memory): when the
// memory grows under a call, the next input and output go through the new buffer, on both
// engines, and every result after the growth equals the one before.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Verifier, Signer, decodeUnverified, inspect } from 'jwt-wasm'
import * as C from 'jwt-wasm/claims'

const { engine, hmac, claims } = await import(new URL('./wasm.js', import.meta.resolve('jwt-wasm')))
const NOW = 1_767_225_600
const at = { currentDate: new Date(NOW * 1000) }
const key = { alg: 'HS256', secret: 'boundary-test-secret-0123456789abcdef' }
const signer = new Signer({ key, ttl: 600 })
const small = signer.sign({ sub: 'user-1', aud: 'api', roles: ['a', 'b'], note: 'Grüße 🔑' }, at)
const BIG = 6 * 1024 * 1024

test('after the memory grows, verify, decode and inspect still read and write the right bytes', () => {
  const verifier = new Verifier({ keys: [key], algorithms: ['HS256'], audience: 'api', maxTokenBytes: 4 * BIG })
  const before = {
    verify: verifier.verify(small, at),
    decode: decodeUnverified(small),
    inspect: inspect(small, at),
    claims: C.inspect(small, at),
  }
  const sizes = [engine(hmac).memory.buffer.byteLength, engine(claims).memory.buffer.byteLength]
  // A token of several MiB grows each memory (signing it, verifying it, reading it).
  const big = signer.sign({ sub: 'user-1', aud: 'api', blob: 'x'.repeat(BIG) }, at)
  assert.equal(verifier.verify(big, at).payload.blob.length, BIG)
  assert.equal(C.decodeUnverified(big, { maxTokenBytes: 4 * BIG }).payload.blob.length, BIG)
  assert.ok(engine(hmac).memory.buffer.byteLength > sizes[0], 'the hmac memory grew')
  assert.ok(engine(claims).memory.buffer.byteLength > sizes[1], 'the claims memory grew')
  assert.deepEqual(verifier.verify(small, at), before.verify)
  assert.deepEqual(decodeUnverified(small), before.decode)
  assert.deepEqual(inspect(small, at), before.inspect)
  assert.deepEqual(C.inspect(small, at), before.claims)
  assert.equal(before.verify.payload.note, 'Grüße 🔑')
})
