// localKeySet: a fixed key set over a JWKS object or its JSON text (or an x509 object): always the
// same version, its shape checked at once, and gone once the verifier refused it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { invalid, jwks, keysModule } from './support.mjs'

const { localKeySet } = await keysModule('local-key-set.js')
const { isKeySet } = await keysModule('key-set-contract.js')
const { JWKSInvalid } = await keysModule('key-set-errors.js')

test('an object or its JSON text; the same version at every time', async () => {
  const a = localKeySet(JSON.parse(jwks('a')))
  const b = localKeySet(jwks('a'))
  assert.ok(isKeySet(a) && isKeySet(b))
  assert.equal(a.snapshot(0).body, jwks('a'))
  assert.equal(b.snapshot(0).body, jwks('a'), 'the text as given')
  assert.equal(a.snapshot(0), a.snapshot(1e12))
  assert.notEqual(a.snapshot(0).version, b.snapshot(0).version, 'versions are unique across key sets')
  assert.equal(await a.load({ now: 0, reason: 'unknown-kid' }), a.snapshot(0))
  assert.equal(a.snapshot(0).format, 'jwks')
})

test('x509: an object of PEM strings', () => {
  const s = localKeySet({ k1: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' }, { format: 'x509' })
  assert.equal(s.snapshot(0).format, 'x509')
  invalid(() => localKeySet({ k1: 5 }, { format: 'x509' }))
})

test('bad input is ERR_INVALID_OPTIONS', () => {
  invalid(() => localKeySet(undefined))
  invalid(() => localKeySet(42))
  invalid(() => localKeySet('not json'))
  invalid(() => localKeySet({ keys: 'x' }))
  invalid(() => localKeySet({ keys: [1] }))
  invalid(() => localKeySet([]))
  invalid(() => localKeySet(jwks('a'), { format: 'pem' }))
  invalid(() => localKeySet(jwks('a'), { ttl: 1 }))
})

test('refused: no snapshot after, and load rejects with the cause', async () => {
  const s = localKeySet(jwks('a'))
  const v = s.snapshot(0).version
  s.refused(v + 1000, new Error('another version'))
  assert.equal(s.snapshot(0).version, v)
  const why = new Error('duplicate kid')
  s.refused(v, why)
  assert.equal(s.snapshot(0), undefined)
  await assert.rejects(s.load({ now: 0 }), (e) => e instanceof JWKSInvalid && e.cause === why)
})
