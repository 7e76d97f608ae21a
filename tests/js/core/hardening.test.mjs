// The defects of issue 8 (items 1-9), each pinned through the public API of the installed
// package: empty lists, typ, plain claims, the header cap, messages, control characters, keys
// that are not HMAC secrets, one secret under two algorithms, and a key bound to its issuer.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { Verifier, Signer, decodeUnverified, inspect, JWTTooLarge, KeyInvalid } from 'jwt-wasm'

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

describe('4. the header cap has an option of its own: maxHeaderBytes', () => {
  const kid = 'k'.repeat(10_000)
  const token = mint({ alg: 'HS256', kid }, { sub: 'big', exp: NOW + 60 })
  const keys = [{ kid, alg: 'HS256', secret: SECRET }]

  test('a 10,000-character kid verifies with maxTokenBytes 65536 and maxHeaderBytes 16384', () => {
    const v = new Verifier({ keys, algorithms: ['HS256'], maxTokenBytes: 65536, maxHeaderBytes: 16384 })
    assert.equal(v.verify(token, at(NOW)).payload.sub, 'big')
    v.free()
  })

  test('the default header cap (8 KiB) still refuses it, even with a larger maxTokenBytes', () => {
    const v = new Verifier({ keys, algorithms: ['HS256'], maxTokenBytes: 65536 })
    assert.throws(() => v.verify(token, at(NOW)), JWTTooLarge)
    v.free()
  })

  test('decodeUnverified and inspect take the same caps', () => {
    const caps = { maxTokenBytes: 65536, maxHeaderBytes: 16384 }
    assert.equal(decodeUnverified(token, caps).header.kid, kid)
    assert.equal(inspect(token, { ...caps, ...at(NOW) }).payload.sub, 'big')
    assert.throws(() => decodeUnverified(token, { maxTokenBytes: 65536 }), JWTTooLarge)
    assert.throws(() => inspect(token, { maxTokenBytes: 65536, ...at(NOW) }), JWTTooLarge)
  })

  test('a smaller header cap is enforced, and it defaults to maxTokenBytes when that is lower', () => {
    const small = mint({ alg: 'HS256', kid: 'k1' }, { exp: NOW + 60 })
    const header = small.indexOf('.')
    assert.throws(() => decodeUnverified(small, { maxHeaderBytes: header - 1 }), JWTTooLarge)
    assert.ok(decodeUnverified(small, { maxHeaderBytes: header }))
    assert.ok(decodeUnverified(small, { maxTokenBytes: small.length }))
  })

  test('maxHeaderBytes must be a positive integer, at most maxTokenBytes', () => {
    for (const bad of [0, -1, 1.5, '8k', 20_000]) {
      invalid(
        () => new Verifier({ ...BASE, maxHeaderBytes: bad }),
        /options\.maxHeaderBytes must be a positive integer, at most maxTokenBytes \(16384\)/,
      )
      invalid(() => decodeUnverified('a.b.c', { maxHeaderBytes: bad }), /maxHeaderBytes/)
      invalid(() => inspect('a.b.c', { maxHeaderBytes: bad }), /maxHeaderBytes/)
    }
    invalid(
      () => new Verifier({ ...BASE, maxTokenBytes: 1000, maxHeaderBytes: 1001 }),
      /at most maxTokenBytes \(1000\)/,
    )
  })
})

describe('5. messages say what is wrong', () => {
  test("algorithms: ['RS256'] names RS256 as unsupported and lists what is", () => {
    invalid(
      () => new Verifier({ keys: KEYS, algorithms: ['RS256'] }),
      /^options\.algorithms: RS256 is not supported \(jwt-wasm verifies HS256, HS384, HS512\)$/,
    )
    invalid(
      () => new Verifier({ keys: KEYS, algorithms: ['HS256', { x: 1 }] }),
      /options\.algorithms\[1\] is not supported/,
    )
    invalid(() => new Verifier({ keys: KEYS, algorithms: [] }), /options\.algorithms is required/)
  })

  test('a short secret says its length and the minimum, never its bytes', () => {
    for (const [alg, min] of [
      ['HS256', 32],
      ['HS384', 48],
      ['HS512', 64],
    ]) {
      const secret = 'ab\u00e7de' // 6 UTF-8 bytes
      assert.throws(
        () => new Verifier({ keys: [{ alg, secret }], algorithms: [alg] }),
        (e) => {
          assert.ok(e instanceof KeyInvalid)
          assert.equal(e.code, 'ERR_KEY_INVALID')
          assert.equal(e.message, `options.keys[0].secret is 6 bytes; ${alg} needs at least ${min}`)
          assert.ok(!e.message.includes(secret))
          return true
        },
      )
    }
    assert.throws(
      () => new Signer({ key: { alg: 'HS256', secret: 'abcde' } }),
      (e) => e instanceof KeyInvalid && e.message === 'options.key.secret is 5 bytes; HS256 needs at least 32',
    )
  })
})

describe('6. control characters in requiredClaims are refused up front', () => {
  test('a NUL (the output separator) or any control character in a claim name is a TypeError', () => {
    for (const name of ['a\0b', '\0', 'line\nfeed', 'del\x7f', 'tab\there']) {
      invalid(
        () => new Verifier({ ...BASE, requiredClaims: ['exp', name] }),
        /options\.requiredClaims\[1\] must not contain control characters/,
      )
    }
  })

  test('a name with other unusual characters still works, and is reported as given', () => {
    const v = new Verifier({ ...BASE, requiredClaims: ['exp', 'x-ünïcode claim'] })
    assert.throws(
      () => v.verify(mint({ alg: 'HS256' }, { exp: NOW + 60 }), at(NOW)),
      (e) => e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'x-ünïcode claim' && e.reason === 'missing',
    )
    v.free()
  })
})
