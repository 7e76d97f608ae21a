// inspect and decodeUnverified on a compact JWE (issue 11), in jwt-wasm and jwt-wasm/claims:
// `{ encrypted: true, header }`, the protected header read by the same strict reader as a JWS
// header (duplicates refused, caps kept), and no claims: they are encrypted.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { CompactEncrypt, EncryptJWT } from 'jose'
import * as main from 'jwt-wasm'
import * as claims from 'jwt-wasm/claims'

const enc = new TextEncoder()
const b64 = (s) => Buffer.from(s).toString('base64url')
const nested = await new EncryptJWT({ sub: 'alice', email: 'a@example.com' })
  .setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256', cty: 'JWT', kid: 'e1' })
  .setExpirationTime(2_000_000_000)
  .encrypt(new Uint8Array(32).fill(1))
const wrapped = await new CompactEncrypt(enc.encode('{}'))
  .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' })
  .encrypt(new Uint8Array(32).fill(2))
/** `token` with its protected header replaced by the base64url of `json`. */
const withHeader = (token, json) => [b64(json), ...token.split('.').slice(1)].join('.')

for (const [name, api] of [
  ['jwt-wasm', main],
  ['jwt-wasm/claims', claims],
]) {
  describe(`${name}: a JWE is read as encrypted, its protected header only`, () => {
    test('inspect and decodeUnverified give { encrypted: true, header } and no claim', () => {
      const want = { encrypted: true, header: { alg: 'dir', enc: 'A128CBC-HS256', cty: 'JWT', kid: 'e1' } }
      assert.deepEqual(api.inspect(nested, { currentDate: new Date(0) }), want)
      assert.deepEqual(api.decodeUnverified(nested), want)
      assert.deepEqual(api.inspect(wrapped), { encrypted: true, header: { alg: 'A256KW', enc: 'A256GCM' } })
    })

    test('a JWS is read as before (no encrypted field)', () => {
      const jws = `${b64('{"alg":"HS256"}')}.${b64('{"exp":1}')}.c2ln`
      assert.equal('encrypted' in api.decodeUnverified(jws), false)
      assert.equal(api.inspect(jws, { currentDate: new Date(0) }).exp, 1)
    })

    test('a protected header with a duplicate member, or no JSON object, is refused (ERR_JWS_INVALID)', () => {
      for (const json of ['{"alg":"dir","alg":"A128KW","enc":"A128GCM"}', '[1]', '{"alg":"dir"', '"x"']) {
        assert.throws(() => api.inspect(withHeader(nested, json)), { code: 'ERR_JWS_INVALID' }, json)
        assert.throws(() => api.decodeUnverified(withHeader(nested, json)), { code: 'ERR_JWS_INVALID' }, json)
      }
    })

    test('truncated or extended JWEs, empty IV, ciphertext or tag, and bad characters are no token', () => {
      const [h, k, iv, ct, tag] = nested.split('.')
      for (const bad of [
        [h, k, iv, ct].join('.'),
        [h, k, iv, ct, tag, tag].join('.'),
        [h, k, '', ct, tag].join('.'),
        [h, k, iv, '', tag].join('.'),
        [h, k, iv, ct, ''].join('.'),
        ['', k, iv, ct, tag].join('.'),
        [h, k, iv, `${ct}+`, tag].join('.'),
        [`${h}=`, k, iv, ct, tag].join('.'),
      ]) {
        assert.throws(() => api.inspect(bad), { code: 'ERR_JWS_INVALID' }, bad)
      }
    })

    test('the size caps hold: maxTokenBytes on the token, maxHeaderBytes on the protected header', () => {
      assert.throws(() => api.inspect(nested, { maxTokenBytes: nested.length - 1 }), { code: 'ERR_JWT_TOO_LARGE' })
      const h = nested.split('.')[0]
      assert.throws(() => api.decodeUnverified(nested, { maxHeaderBytes: h.length - 1 }), { code: 'ERR_JWT_TOO_LARGE' })
      assert.equal(api.decodeUnverified(nested, { maxHeaderBytes: h.length }).encrypted, true)
    })

    test('options are still checked on a JWE', () => {
      assert.throws(() => api.inspect(nested, { maxLifetime: -1 }), { code: 'ERR_INVALID_OPTIONS' })
      assert.throws(() => api.decodeUnverified(nested, { currentDate: new Date() }), { code: 'ERR_INVALID_OPTIONS' })
    })
  })
}
