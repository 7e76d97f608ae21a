// The defects of issue 8 (items 1-9), each pinned through the public API of the installed
// package: empty lists, typ, plain claims, the header cap, messages, control characters, keys
// that are not HMAC secrets, one secret under two algorithms, and a key bound to its issuer.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto'
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
    for (const name of ['a\0b', '\0', 'line\nfeed', 'del\x7f', 'tab\there', 'c1\u0085']) {
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

// A self-signed P-256 certificate made for these tests (`openssl req -x509`).
const CERT_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBhTCCASugAwIBAgIUd93Sc/95BMKbUHor8+let6vOmBwwCgYIKoZIzj0EAwIw\nGDEWMBQGA1UEAwwNand0LXdhc20gdGVzdDAeFw0yNjEyMDEyMzQxMzJaFw0zNjEx\nMjgyMzQxMzJaMBgxFjAUBgNVBAMMDWp3dC13YXNtIHRlc3QwWTATBgcqhkjOPQIB\nBggqhkjOPQMBBwNCAAS2JMkx5rDgPXZWdajjsF40OQABirA7yGgdkWiENuZQ8D3p\ngJU9My9dloLRNR0fEgFMVIH2ZDU5PdJrd15jGqn9o1MwUTAdBgNVHQ4EFgQUtI+b\nhcJm8RxhP86wBTndM01kn60wHwYDVR0jBBgwFoAUtI+bhcJm8RxhP86wBTndM01k\nn60wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBCTmgGTNiV0qYT\nAJeuLLxZYfRKi5Z0++fiv1hmK2EAQgIhALa4QcdpygyycALUebjljdKEpzjvltwx\nxVNZ0ltTffUZ\n-----END CERTIFICATE-----\n'

describe('7. a public key, certificate or JWK is not an HMAC secret', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const ed = generateKeyPairSync('ed25519').publicKey
  const der = (pem) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))
  const sshEd25519 = `ssh-ed25519 ${Buffer.concat([
    Buffer.from([0, 0, 0, 11]),
    Buffer.from('ssh-ed25519'),
    Buffer.from([0, 0, 0, 32]),
    ed.export({ format: 'der', type: 'spki' }).subarray(-32),
  ]).toString('base64')} user@host`
  const cases = [
    ['a PEM public key (SPKI)', publicKey.export({ format: 'pem', type: 'spki' }), /PEM public key or certificate/],
    ['a PEM RSA public key (PKCS#1)', publicKey.export({ format: 'pem', type: 'pkcs1' }), /PEM public key/],
    ['a PEM certificate', CERT_PEM, /PEM public key or certificate/],
    ['a PEM private key', privateKey.export({ format: 'pem', type: 'pkcs8' }), /PEM block/],
    ['a PEM key after whitespace', `\n\n  ${publicKey.export({ format: 'pem', type: 'spki' })}`, /PEM public key/],
    ['an OpenSSH public key', sshEd25519, /OpenSSH public key/],
    ['a public JWK', JSON.stringify(publicKey.export({ format: 'jwk' })), /JWK/],
    ['an oct JWK', JSON.stringify({ kty: 'oct', k: 'x'.repeat(86) }), /for an oct JWK pass its decoded "k"/],
    ['a DER public key', new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })), /DER public key/],
    ['a DER certificate', der(CERT_PEM), /DER public key or certificate/],
  ]

  for (const [name, secret, pattern] of cases) {
    test(`${name} is refused with ERR_KEY_INVALID, saying why`, () => {
      for (const alg of ['HS256', 'HS512']) {
        assert.throws(
          () => new Verifier({ keys: [{ alg, secret }], algorithms: [alg] }),
          (e) => {
            assert.ok(e instanceof KeyInvalid, `${e?.name}: ${e?.message}`)
            assert.equal(e.code, 'ERR_KEY_INVALID')
            assert.match(e.message, /^options\.keys\[0\]\.secret: /)
            assert.match(e.message, pattern)
            if (!/private/.test(name) && !/oct/.test(name)) assert.match(e.message, /RS256→HS256 confusion/)
            return true
          },
        )
      }
      assert.throws(() => new Signer({ key: { alg: 'HS256', secret } }), KeyInvalid)
    })
  }

  test('random secrets and ordinary strings are still secrets', () => {
    for (let i = 0; i < 2000; i++) {
      const secret = new Uint8Array(randomBytes(32 + (i % 3) * 16))
      if (i % 2 === 0) secret.set([0x30, secret.length - 2])
      new Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'] }).free()
    }
    const v = new Verifier({
      keys: [{ alg: 'HS256', secret: '{"note":"json, but no kty member at all"}' }],
      algorithms: ['HS256'],
    })
    v.free()
  })
})

describe('8. one key, one algorithm; a key may speak for one issuer', () => {
  const A = 'https://a.example'
  const B = 'https://b.example'
  const secretA = 'issuer-a-secret-0123456789-abcdefghijkl'
  const secretB = 'issuer-b-secret-0123456789-abcdefghijkl'

  test('the same secret under HS256 and HS512 (two kids) is refused, citing RFC 8725 §3.1', () => {
    const secret = 'x'.repeat(64)
    assert.throws(
      () =>
        new Verifier({
          keys: [
            { kid: 'a', alg: 'HS256', secret },
            { kid: 'b', alg: 'HS512', secret: new TextEncoder().encode(secret) },
          ],
          algorithms: ['HS256', 'HS512'],
        }),
      (e) =>
        e instanceof KeyInvalid &&
        /^options\.keys: one secret is listed under two algorithms/.test(e.message) &&
        /RFC 8725 §3\.1/.test(e.message),
    )
    // One secret under one algorithm with two kids (a rotation label) is allowed.
    new Verifier({
      keys: [
        { kid: 'a', alg: 'HS256', secret },
        { kid: 'b', alg: 'HS256', secret },
      ],
      algorithms: ['HS256'],
    }).free()
  })

  test("issuer [A, B] with a key per issuer: claims A signed with B's key is refused", () => {
    const v = new Verifier({
      keys: [
        { kid: 'a', alg: 'HS256', secret: secretA, issuer: A },
        { kid: 'b', alg: 'HS256', secret: secretB, issuer: B },
      ],
      algorithms: ['HS256'],
      issuer: [A, B],
    })
    const claimsA = { iss: A, sub: 'u', exp: NOW + 60 }
    assert.equal(v.verify(mint({ alg: 'HS256', kid: 'a' }, claimsA, secretA), at(NOW)).payload.iss, A)
    assert.equal(v.verify(mint({ alg: 'HS256', kid: 'b' }, { ...claimsA, iss: B }, secretB), at(NOW)).payload.iss, B)
    assert.throws(
      () => v.verify(mint({ alg: 'HS256', kid: 'b' }, claimsA, secretB), at(NOW)),
      (e) => e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'iss' && e.reason === 'check_failed',
    )
    v.free()
  })

  test('a key bound to an issuer needs iss present (missing), also without an allowlist', () => {
    const v = new Verifier({ keys: [{ alg: 'HS256', secret: secretB, issuer: B }], algorithms: ['HS256'] })
    assert.throws(
      () => v.verify(mint({ alg: 'HS256' }, { exp: NOW + 60 }, secretB), at(NOW)),
      (e) => e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'iss' && e.reason === 'missing',
    )
    assert.throws(
      () => v.verify(mint({ alg: 'HS256' }, { iss: A, exp: NOW + 60 }, secretB), at(NOW)),
      (e) => e.claim === 'iss' && e.reason === 'check_failed',
    )
    v.free()
  })

  test('a key issuer outside the allowlist, an empty one, or one on a Signer key is a TypeError', () => {
    invalid(
      () =>
        new Verifier({
          keys: [{ alg: 'HS256', secret: secretA, issuer: 'https://c.example' }],
          algorithms: ['HS256'],
          issuer: [A],
        }),
      /options\.keys\[0\]\.issuer is not in options\.issuer/,
    )
    invalid(
      () => new Verifier({ keys: [{ alg: 'HS256', secret: secretA, issuer: '' }], algorithms: ['HS256'] }),
      /options\.keys\[0\]\.issuer/,
    )
    invalid(() => new Signer({ key: { alg: 'HS256', secret: secretA, issuer: A } }), /unknown option "issuer"/)
  })
})
