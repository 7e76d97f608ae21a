// The defects of issue 8 (items 1-9), each pinned through the public API of the installed
// package: empty lists, typ, plain claims, the header cap, messages, control characters, keys
// that are not HMAC secrets, one secret under two algorithms, and a key bound to its issuer.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { Verifier, Signer } from 'jwt-wasm'

const NOW = 1_767_225_600 // 2026-01-01T00:00:00Z
const at = (s) => ({ currentDate: new Date(s * 1000) })
const SECRET = 'hardening-test-secret-0123456789-abcdef' // 39 bytes
const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }
const b64u = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
function mint(header, payload, secret = SECRET, alg = 'HS256') {
  const input = `${b64u(header)}.${b64u(payload)}`
  return `${input}.${createHmac(HASH[alg], secret).update(input).digest('base64url')}`
}
const KEYS = [{ alg: 'HS256', secret: SECRET }]
const BASE = { keys: KEYS, algorithms: ['HS256'] }

/** Asserts an options TypeError (code ERR_INVALID_OPTIONS) whose message matches `pattern`. */
function invalid(fn, pattern) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${e?.name}: ${e?.message}`)
    assert.equal(e.code, 'ERR_INVALID_OPTIONS')
    assert.match(e.message, pattern)
    return true
  })
}

describe('1. an empty list never switches a check off', () => {
  test('issuer: [] is refused (it used to accept any iss, or none)', () => {
    invalid(() => new Verifier({ ...BASE, issuer: [] }), /options\.issuer must be a non-empty/)
  })

  test('audience: [] is refused', () => {
    invalid(() => new Verifier({ ...BASE, audience: [] }), /options\.audience must be a non-empty/)
  })

  test('subject and typ: empty string and empty array are refused', () => {
    for (const name of ['subject', 'typ']) {
      for (const value of ['', []]) {
        invalid(() => new Verifier({ ...BASE, [name]: value }), new RegExp(`options\\.${name}`))
      }
    }
  })

  test("requiredClaims: [] is refused, saying to omit it for the default ['exp']", () => {
    invalid(
      () => new Verifier({ ...BASE, requiredClaims: [] }),
      /at least one claim; omit it for the default \['exp'\]/,
    )
  })

  test('an empty string inside a list is refused too', () => {
    for (const name of ['issuer', 'audience', 'requiredClaims']) {
      invalid(() => new Verifier({ ...BASE, [name]: ['a', ''] }), new RegExp(`options\\.${name}`))
    }
  })

  test('algorithms: [] and keys: [] stay refused', () => {
    invalid(() => new Verifier({ ...BASE, algorithms: [] }), /options\.algorithms/)
    invalid(() => new Verifier({ ...BASE, keys: [] }), /options\.keys/)
  })

  test('the lists still work when they name something', () => {
    const v = new Verifier({ ...BASE, issuer: ['a', 'b'], audience: ['api'], requiredClaims: ['exp', 'sub'] })
    const token = mint({ alg: 'HS256' }, { iss: 'b', aud: 'api', sub: 'u', exp: NOW + 60 })
    assert.equal(v.verify(token, at(NOW)).payload.sub, 'u')
    v.free()
  })
})

describe('3. Signer.sign() takes only plain objects as claims', () => {
  const signer = () => new Signer({ key: { alg: 'HS256', secret: SECRET } })

  test('a Buffer, a Uint8Array, a Map, a Date, an array, a class instance are TypeErrors', () => {
    class Claims {
      sub = 'u'
    }
    const s = signer()
    for (const claims of [
      Buffer.from('a secret'),
      new Uint8Array([1, 2]),
      new Map([['sub', 'u']]),
      new Date(0),
      ['sub'],
      new Claims(),
      new String('sub'),
      Object.create({ sub: 'u' }),
    ]) {
      invalid(() => s.sign(claims), /claims must be a plain object/)
    }
    for (const claims of [null, undefined, 'sub', 42]) invalid(() => s.sign(claims), /claims must be a plain object/)
    s.free()
  })

  test('an object literal and a null-prototype object are claims', () => {
    const s = signer()
    const bare = Object.assign(Object.create(null), { sub: 'n', exp: NOW + 60 })
    const v = new Verifier(BASE)
    assert.equal(v.verify(s.sign(bare), at(NOW)).payload.sub, 'n')
    assert.equal(v.verify(s.sign({ sub: 'o', exp: NOW + 60 }), at(NOW)).payload.sub, 'o')
    s.free()
    v.free()
  })
})
