// The KeySet contract module: the marker symbol and isKeySet (keys-contract.md §4).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { keysModule } from './support.mjs'

const { KEY_SET, isKeySet } = await keysModule('key-set-contract.js')

test('KEY_SET is the registered symbol, so two copies of the module agree', () => {
  assert.equal(typeof KEY_SET, 'symbol')
  assert.equal(KEY_SET, Symbol.for('jwt-wasm.keySet'))
})

test('isKeySet needs the marker and the three methods', () => {
  const ks = { [KEY_SET]: true, snapshot() {}, load() {}, refused() {} }
  assert.equal(isKeySet(ks), true)
  assert.equal(isKeySet({ ...ks, [KEY_SET]: 1 }), false)
  assert.equal(isKeySet({ ...ks, load: undefined }), false)
  assert.equal(isKeySet({ keys: [] }), false)
  assert.equal(isKeySet(null), false)
  assert.equal(isKeySet('jwks'), false)
})
