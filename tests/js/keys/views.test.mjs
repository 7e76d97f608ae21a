// Phase 1's bytes are views into the keys core's memory (ring.js), which the next verification
// overwrites; a verdict over another token's bytes would be a forgery accepted. So a view goes
// only to a provider that reads it before its `verify` returns (WebCrypto copies its arguments
// by its specification, node:crypto verifies synchronously): each is proven here by overwriting
// the memory right after the call, with zeros and with another token's bytes at the same
// place; the first use of a key (its import awaited) and any other provider get copies. And
// phase 2 takes begin's ticket (pk_verify_finish), falling back to the token past 64 in flight.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PublicKeyVerifier } from 'jwt-wasm/keys'
import { NOW, at, claims, keyPair, ringOf, sign } from './signing.mjs'

const { signatures, webCrypto } = await import(
  new URL('../node_modules/jwt-wasm/keys/signature.js', import.meta.url).href
)
const node = signatures.provider
assert.equal(node.name, 'node:crypto', "the Node entry's provider")
/** A provider that reads the bytes only after its caller went on (no `readsAtOnce`). */
const late = {
  name: 'late',
  importKey: (alg, jwk) => webCrypto.importKey(alg, jwk),
  async verify(k, data, signature) {
    await new Promise((resolve) => setTimeout(resolve, 1))
    return webCrypto.verify(k, data, signature)
  },
}

/** A ring whose key is imported with `provider`, and a valid token and a forgery of the same length. */
async function setup(alg, provider) {
  const pair = await keyPair(alg, { kid: 'k' })
  const ring = ringOf({ keys: [pair.jwk] }, alg)
  const valid = await sign(pair, {}, claims({ sub: 'valid', aud: undefined }))
  const other = await sign(pair, {}, claims({ sub: 'other', aud: undefined }))
  // The forgery: another payload of the same length under the valid token's signature.
  const [, , sig] = valid.split('.')
  const [h, p] = other.split('.')
  const forged = `${h}.${p}.${sig}`
  assert.equal(forged.length, valid.length)
  signatures.provider = provider
  try {
    const [key, data, signature] = ring.begin(valid, NOW)
    assert.equal(await ring.verify(key, data, signature), true, 'the import, then a verdict')
  } finally {
    signatures.provider = node
  }
  return { ring, valid, forged }
}

for (const alg of ['ES256', 'RS256', 'EdDSA'])
  for (const provider of [webCrypto, node, late])
    test(`${alg} with ${provider.name}: a verdict is on the bytes of the token begun, whatever the memory holds after the call`, async () => {
      const { ring, valid, forged } = await setup(alg, provider)
      assert.equal(ring.keys[0].provider, provider)
      // Overwritten with zeros right after the call.
      let [key, data, signature] = ring.begin(valid, NOW)
      const pending = ring.verify(key, data, signature)
      data.fill(0)
      signature.fill(0)
      assert.equal(await pending, true)
      // The forgery begun, its verdict asked, then the valid token begun over the same bytes.
      ;[key, data, signature] = ring.begin(forged, NOW)
      const bad = ring.verify(key, data, signature)
      const [, again] = ring.begin(valid, NOW)
      assert.equal(again.byteOffset, data.byteOffset, 'the very bytes the views show')
      assert.equal(await bad, false, 'no verdict over the other token')
      ring.core.free()
    })

test("a key's first use awaits its import: the bytes are copied before, and the memory reused meanwhile is not what it verifies", async () => {
  for (const provider of [webCrypto, node]) {
    const pair = await keyPair('ES256', { kid: 'k' })
    const ring = ringOf({ keys: [pair.jwk] }, 'ES256')
    const token = await sign(pair, {}, claims())
    signatures.provider = provider
    try {
      const [key, data, signature] = ring.begin(token, NOW)
      const first = ring.verify(key, data, signature)
      assert.ok(first instanceof Promise, 'the import is awaited')
      data.fill(0)
      signature.fill(0)
      assert.equal(await first, true, provider.name)
    } finally {
      signatures.provider = node
    }
    ring.core.free()
  }
})

test('phase 2 takes the ticket (pk_verify_finish), and reads the token again only for a ticket parked over', async () => {
  const pair = await keyPair('ES256', { kid: 'k' })
  const ring = ringOf({ keys: [pair.jwk] }, 'ES256')
  const tokens = await Promise.all(
    Array.from({ length: 66 }, (_, i) => sign(pair, {}, claims({ sub: `u${i}`, aud: undefined }))),
  )
  const ops = []
  const core = ring.core
  const real = core.call.bind(core)
  core.call = (op, ...rest) => (ops.push(op), real(op, ...rest))
  const [BEGIN, END, FINISH] = [23, 24, 25]
  // Copies: each begin's views are overwritten by the next (this test holds them all at once).
  const begun = tokens.map((t) => {
    const [key, data, signature, error, ticket] = ring.begin(t, NOW)
    assert.equal(error, undefined)
    return [key, data.slice(), signature.slice(), ticket]
  })
  for (const b of begun) b.push(await ring.verify(b[0], b[1], b[2]))
  assert.deepEqual(
    ops,
    tokens.map(() => BEGIN),
  )
  ops.length = 0
  // The last 64 come back by their tickets; the first two were parked over: read again.
  for (const [i, [key, , , ticket, ok]] of begun.entries()) {
    assert.equal(ok, true)
    ring.end(tokens[i], key, ok, NOW, ticket)
    const payload = JSON.parse(core.out().split('\0')[1])
    assert.equal(payload.sub, `u${i}`)
  }
  assert.deepEqual(ops, [FINISH, END, FINISH, END, ...tokens.slice(2).map(() => FINISH)])
  core.call = real
  core.free()
})

test('66 verifications in flight on one verifier each get their own claims and verdict', async () => {
  const pair = await keyPair('ES256', { kid: 'k' })
  signatures.provider = late
  try {
    const v = new PublicKeyVerifier({ keys: [pair.jwk], algorithms: ['ES256'] })
    const tokens = await Promise.all(
      Array.from({ length: 66 }, (_, i) => sign(pair, {}, claims({ sub: `u${i}`, aud: undefined }))),
    )
    const [h, p] = tokens[7].split('.')
    tokens[9] = `${h}.${p}.${tokens[9].split('.')[2]}` // u7's claims under u9's signature
    const results = await Promise.allSettled(tokens.map((t) => v.verifyAsync(t, at())))
    for (const [i, r] of results.entries())
      if (i === 9) assert.equal(r.reason?.code, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
      else assert.equal(r.value?.payload.sub, `u${i}`, `token ${i}: ${r.reason?.stack}`)
    v.free()
  } finally {
    signatures.provider = node
  }
})
