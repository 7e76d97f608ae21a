// The boundary's byte views (src/js/wasm.js): when the memory grows under a call, the next
// input and output go through the new buffer, on both engines, and every result after the
// growth equals the one before. And the output's parts (src/js/internal/calls.js, which reuses
// the last header when it was flat): every call gets fresh objects equal to what JSON.parse
// makes of the decoded segments.
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

const b64u = (text) => Buffer.from(text).toString('base64url')
const unsigned = (header) => `${b64u(header)}.${b64u('{"sub":"u"}')}.c2ln`

test('every call gets a fresh header, equal to JSON.parse of its segment, however often it repeats', () => {
  const headers = [
    '{"alg":"HS256","typ":"JWT"}',
    '{"alg":"HS256","typ":"JWT"}',
    '{"alg":"HS256","__proto__":"p","n":-0,"z":null,"b":false,"2":"two","1":1}',
    '{"alg":"HS256","__proto__":"p","n":-0,"z":null,"b":false,"2":"two","1":1}',
    '{"alg":"HS256","jwk":{"kty":"oct"},"x5c":["a"]}',
    '{"alg":"HS256","jwk":{"kty":"oct"},"x5c":["a"]}',
    '{"alg":"HS256","typ":"JWT"}',
  ]
  const seen = []
  for (const text of headers) {
    for (const read of [decodeUnverified, (t) => inspect(t, at), C.decodeUnverified]) {
      const { header } = read(unsigned(text))
      const want = JSON.parse(text)
      assert.deepEqual(header, want, text)
      assert.deepEqual(Object.keys(header), Object.keys(want), `${text}: key order`)
      assert.equal(Object.getPrototypeOf(header), Object.prototype)
      assert.ok(Object.hasOwn(header, '__proto__') === Object.hasOwn(want, '__proto__'), `${text}: __proto__ own`)
      assert.ok(Object.is(header.n, want.n), `${text}: -0 kept`)
      assert.ok(!seen.includes(header), 'a fresh object')
      seen.push(header)
      header.alg = 'none' // mutating a result changes no later one
      if (header.jwk) header.jwk.kty = 'changed'
    }
  }
  const verifier = new Verifier({ keys: [key], algorithms: ['HS256'], audience: 'api' })
  const first = verifier.verify(small, at).header
  first.typ = 'changed'
  assert.deepEqual(verifier.verify(small, at).header, { alg: 'HS256', typ: 'JWT' })
})
