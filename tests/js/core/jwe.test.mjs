// jwt-wasm/jwe (issue 11): Encrypter and Decrypter, interop both ways with jose 6 for every
// alg × enc, the options, and the refusals named after the threat each one stops.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { CompactEncrypt, EncryptJWT, compactDecrypt, jwtVerify } from 'jose'
import { Signer, Verifier } from 'jwt-wasm'
import { Decrypter, Encrypter, JWEInvalid, JWEDecryptionFailed, JwtError } from 'jwt-wasm/jwe'

const NOW = new Date('2026-06-01T00:00:00Z')
const AT = { currentDate: NOW }
const te = new TextEncoder()
const td = new TextDecoder()
const b64 = (s) => Buffer.from(s).toString('base64url')
const HS = { alg: 'HS256', secret: new Uint8Array(32).fill(3), kid: 'hs1' }
const jws = new Signer({ key: HS, ttl: 600 }).sign({ sub: 'alice', scope: 'read' }, AT)
const VERIFIER = { keys: [HS], algorithms: ['HS256'] }
const ALGS = ['dir', 'A128KW', 'A256KW']
const ENCS = ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512']
const CEK = { A128GCM: 16, A256GCM: 32, 'A128CBC-HS256': 32, 'A256CBC-HS512': 64 }
const KEK = { A128KW: 16, A256KW: 32 }
/** A key for `alg` (and, for dir, `enc`), its bytes all `fill`. */
const keyOf = (alg, enc, fill = 7) =>
  alg === 'dir'
    ? { alg, enc, secret: new Uint8Array(CEK[enc]).fill(fill) }
    : { alg, secret: new Uint8Array(KEK[alg]).fill(fill) }
const decrypterOf = (key, extra = {}) =>
  new Decrypter({ keys: [key], algorithms: [key.alg], encryptions: ENCS, verifier: VERIFIER, ...extra })
/** jose's nested JWE of `plaintext` under `key` with `header`. */
const joseSeal = (plaintext, key, header) =>
  new CompactEncrypt(te.encode(plaintext)).setProtectedHeader(header).encrypt(key.secret)
/** `token` with its protected header replaced (the rest kept: the AAD no longer matches). */
const withHeader = (token, header) => [b64(JSON.stringify(header)), ...token.split('.').slice(1)].join('.')
/** `token` with segment `i` replaced by `f(bytes)`. */
const segment = (token, i, f) => {
  const parts = token.split('.')
  parts[i] = Buffer.from(f(Buffer.from(parts[i], 'base64url'))).toString('base64url')
  return parts.join('.')
}
const flip = (b) => {
  const c = Buffer.from(b)
  c[c.length - 1] ^= 1
  return c
}

describe('interop with jose, every alg × enc', () => {
  for (const alg of ALGS)
    for (const enc of ENCS) {
      test(`${alg} + ${enc}: jose CompactEncrypt → Decrypter, Encrypter → jose compactDecrypt + jwtVerify`, async () => {
        const key = keyOf(alg, enc)
        const d = decrypterOf(key)
        const theirs = await joseSeal(jws, key, { alg, enc, cty: 'JWT' })
        const got = d.decrypt(theirs, AT)
        assert.deepEqual(got.protectedHeader, { alg, enc, cty: 'JWT' })
        assert.deepEqual(got.header, { alg: 'HS256', typ: 'JWT', kid: 'hs1' })
        assert.equal(got.payload.sub, 'alice')
        const ours = new Encrypter({ key, enc }).encrypt(jws)
        const { plaintext, protectedHeader } = await compactDecrypt(ours, key.secret)
        assert.deepEqual(protectedHeader, { alg, enc, cty: 'JWT' })
        assert.equal(td.decode(plaintext), jws)
        assert.equal((await jwtVerify(td.decode(plaintext), HS.secret, { currentDate: NOW })).payload.sub, 'alice')
        assert.deepEqual(d.decrypt(ours, AT), got)
        d.free()
      })
    }
})

describe('Encrypter', () => {
  const key = keyOf('A256KW')
  test('claims with a signer: signed, then encrypted; the kid goes into the protected header', async () => {
    const e = new Encrypter({ key: { ...key, kid: 'e1' }, enc: 'A128GCM', signer: { key: HS, ttl: 300, jti: true } })
    const token = e.encrypt({ sub: 'bob' }, AT)
    const d = decrypterOf({ ...key, kid: 'e1' })
    const { protectedHeader, payload } = d.decrypt(token, AT)
    assert.deepEqual(protectedHeader, { alg: 'A256KW', enc: 'A128GCM', kid: 'e1', cty: 'JWT' })
    assert.equal(payload.sub, 'bob')
    assert.equal(payload.exp - payload.iat, 300)
    assert.match(payload.jti, /^[\w-]{22}$/)
  })

  test('a fresh CEK and IV per token from crypto.getRandomValues; a pinned random gives one token', () => {
    const e = new Encrypter({ key, enc: 'A256GCM' })
    assert.notEqual(e.encrypt(jws), e.encrypt(jws))
    let n = 0
    const random = (len) => Uint8Array.from({ length: len }, () => ++n % 251)
    const a = new Encrypter({ key, enc: 'A256GCM', random }).encrypt(jws)
    n = 0
    const b = new Encrypter({ key, enc: 'A256GCM', random }).encrypt(jws)
    assert.equal(a, b)
    const [, wrapped, iv] = a.split('.')
    assert.equal(Buffer.from(wrapped, 'base64url').length, 40, 'a 32-byte CEK, wrapped')
    assert.deepEqual([...Buffer.from(iv, 'base64url')], [33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44])
  })

  test('a random source that returns the wrong length, or all zeros, is refused', () => {
    for (const random of [(n) => new Uint8Array(n - 1), () => 'bytes', (n) => new Uint8Array(n)]) {
      assert.throws(() => new Encrypter({ key, enc: 'A256GCM', random }).encrypt(jws), { code: 'ERR_INVALID_OPTIONS' })
    }
  })

  test('only a compact JWS or claims with a signer are encrypted; options only with claims', () => {
    const e = new Encrypter({ key, enc: 'A256GCM' })
    for (const bad of ['', 'not a token', 'a.b', `${jws}.x`, `${jws} `])
      assert.throws(() => e.encrypt(bad), { code: 'ERR_INVALID_OPTIONS' }, bad)
    assert.throws(() => e.encrypt({ sub: 'a' }), /signer/)
    assert.throws(() => e.encrypt(jws, { currentDate: NOW }), { code: 'ERR_INVALID_OPTIONS' })
    assert.throws(() => e.encrypt(new Map()), { code: 'ERR_INVALID_OPTIONS' })
  })

  test('options: enc required and known, a key of the exact length, a dir key of its own enc', () => {
    const bad = [
      {},
      { key, enc: 'A512GCM' },
      { key },
      { key: { ...key, enc: 'A256GCM' }, enc: 'A256GCM' },
      { key: keyOf('dir', 'A128GCM'), enc: 'A256GCM' },
      { key: { alg: 'RSA-OAEP', secret: new Uint8Array(32) }, enc: 'A256GCM' },
      { key: { alg: 'A256KW', secret: 'x'.repeat(32) }, enc: 'A256GCM' },
      { key, enc: 'A256GCM', random: 1 },
      { key, enc: 'A256GCM', signer: { key: HS, ttl: -1 } },
      { key, enc: 'A256GCM', extra: 1 },
    ]
    for (const o of bad) assert.throws(() => new Encrypter(o), { code: 'ERR_INVALID_OPTIONS' }, JSON.stringify(o))
    assert.throws(() => new Encrypter({ key: { alg: 'A128KW', secret: new Uint8Array(32) }, enc: 'A256GCM' }), {
      code: 'ERR_KEY_INVALID',
      message: /16/,
    })
    assert.throws(() => new Encrypter({ key: { alg: 'dir', secret: new Uint8Array(16) }, enc: 'A256GCM' }), {
      code: 'ERR_KEY_INVALID',
    })
    new Encrypter({ key: keyOf('dir', 'A256GCM'), enc: 'A256GCM' }).free()
  })
})

describe('Decrypter options: allowlists required, each key bound and of the exact length', () => {
  const key = keyOf('dir', 'A256GCM')
  const base = { keys: [key], algorithms: ['dir'], encryptions: ['A256GCM'], verifier: VERIFIER }
  for (const [name, o] of [
    ['no algorithms', { ...base, algorithms: undefined }],
    ['empty algorithms', { ...base, algorithms: [] }],
    ['empty encryptions', { ...base, encryptions: [] }],
    ['PBES2 in algorithms', { ...base, algorithms: ['dir', 'PBES2-HS256+A128KW'] }],
    ['RSA in algorithms', { ...base, algorithms: ['RSA-OAEP'] }],
    ['ECDH-ES in algorithms', { ...base, algorithms: ['ECDH-ES'] }],
    ['an unknown enc', { ...base, encryptions: ['A192GCM'] }],
    ['no keys', { ...base, keys: [] }],
    ['a key whose alg is not allowed', { ...base, keys: [keyOf('A128KW')] }],
    ['a dir key whose enc is not allowed', { ...base, keys: [keyOf('dir', 'A128GCM')] }],
    ['a dir key without enc', { ...base, keys: [{ alg: 'dir', secret: key.secret }] }],
    ['a wrapping key with an enc', { ...base, algorithms: ['A256KW'], keys: [{ ...keyOf('A256KW'), enc: 'A256GCM' }] }],
    ['a string secret', { ...base, keys: [{ ...key, secret: 'x'.repeat(32) }] }],
    ['no verifier', { ...base, verifier: undefined }],
    ['a verifier without keys', { ...base, verifier: { algorithms: ['HS256'] } }],
    ['a verifier with empty requiredClaims', { ...base, verifier: { ...VERIFIER, requiredClaims: [] } }],
    ['a cap on the verifier', { ...base, verifier: { ...VERIFIER, maxTokenBytes: 100 } }],
    ['an unknown option', { ...base, zip: true }],
    ['a zero cap', { ...base, maxTokenBytes: 0 }],
  ]) {
    test(`${name}: TypeError ERR_INVALID_OPTIONS`, () => {
      assert.throws(
        () => new Decrypter(o),
        (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS',
      )
    })
  }
  test('PBES2, ECDH-ES and RSA in algorithms say why they are refused', () => {
    for (const [alg, why] of [
      ['PBES2-HS512+A256KW', /p2c/],
      ['ECDH-ES+A128KW', /ECDH-ES key management is not supported/],
      ['RSA-OAEP-256', /RSA key management is not supported/],
    ])
      assert.throws(() => new Decrypter({ ...base, algorithms: ['dir', alg] }), {
        code: 'ERR_INVALID_OPTIONS',
        message: why,
      })
  })
  test('a key of another length: KeyInvalid, naming the lengths only', () => {
    for (const [k, algs] of [
      [{ alg: 'dir', enc: 'A256GCM', secret: new Uint8Array(16) }, ['dir']],
      [{ alg: 'A128KW', secret: new Uint8Array(32) }, ['A128KW']],
      [{ alg: 'A256KW', secret: new Uint8Array(16) }, ['A256KW']],
    ]) {
      assert.throws(() => new Decrypter({ ...base, keys: [k], algorithms: algs }), {
        code: 'ERR_KEY_INVALID',
        message: /needs exactly/,
      })
    }
  })
  test('the inner policy is the Verifier policy: a bad verifier key is KeyInvalid', () => {
    assert.throws(
      () => new Decrypter({ ...base, verifier: { keys: [{ alg: 'HS256', secret: 'short' }], algorithms: ['HS256'] } }),
      {
        code: 'ERR_KEY_INVALID',
      },
    )
  })
})

describe('Decrypter refusals, named after the threat', async () => {
  const key = keyOf('dir', 'A256GCM')
  const d = decrypterOf(key, { encryptions: ['A256GCM'] })
  const good = new Encrypter({ key, enc: 'A256GCM' }).encrypt(jws)
  const header = { alg: 'dir', enc: 'A256GCM', cty: 'JWT' }
  const refused = (token, code, message) =>
    assert.throws(() => d.decrypt(token, AT), message ? { code, message } : { code })

  test('a forged tag, ciphertext or IV bit: ERR_JWE_DECRYPTION_FAILED, one error for all', () => {
    for (const i of [2, 3, 4]) assert.throws(() => d.decrypt(segment(good, i, flip), AT), JWEDecryptionFailed)
  })
  test('a protected header changed after encryption (the AAD): decryption fails', () => {
    refused(withHeader(good, { cty: 'JWT', alg: 'dir', enc: 'A256GCM' }), 'ERR_JWE_DECRYPTION_FAILED')
  })
  test('an IV or tag of another length: refused before any decryption', () => {
    refused(
      segment(good, 2, (b) => b.subarray(1)),
      'ERR_JWE_INVALID',
    )
    refused(
      segment(good, 2, (b) => Buffer.concat([b, Buffer.from([0])])),
      'ERR_JWE_INVALID',
    )
    refused(
      segment(good, 4, (b) => b.subarray(1)),
      'ERR_JWE_INVALID',
    )
  })
  test('truncated or extended tokens: four or six segments, empty parts', () => {
    const p = good.split('.')
    for (const t of [
      p.slice(0, 4).join('.'),
      [...p, 'x'].join('.'),
      [p[0], '', p[2], p[3], ''].join('.'),
      [p[0], '', '', p[3], p[4]].join('.'),
    ])
      refused(t, 'ERR_JWE_INVALID')
  })
  test('a dir token given an encrypted key: refused', () => {
    refused(
      segment(good, 1, () => new Uint8Array(40).fill(1)),
      'ERR_JWE_INVALID',
    )
  })
  test('alg and enc swapped, or outside the allowlists: refused by the allowlist', async () => {
    assert.throws(() => d.decrypt(withHeader(good, { alg: 'A256GCM', enc: 'dir', cty: 'JWT' }), AT), JwtError)
    const other = await joseSeal(jws, keyOf('dir', 'A128GCM'), { alg: 'dir', enc: 'A128GCM', cty: 'JWT' })
    refused(other, 'ERR_JOSE_ALG_NOT_ALLOWED', /content encryption algorithm is not allowed/)
    const wrapped = await joseSeal(jws, keyOf('A256KW'), { alg: 'A256KW', enc: 'A256GCM', cty: 'JWT' })
    refused(wrapped, 'ERR_JOSE_ALG_NOT_ALLOWED', /key management algorithm is not allowed/)
  })
  test('a key of another length wrapping the CEK: A128KW token to an A256KW ring finds no key', async () => {
    const ring = decrypterOf(keyOf('A256KW'), { algorithms: ['A128KW', 'A256KW'] })
    const t = await joseSeal(jws, keyOf('A128KW'), { alg: 'A128KW', enc: 'A256GCM', cty: 'JWT' })
    assert.throws(() => ring.decrypt(t, AT), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
  })
  test('the wrong key of the right length: decryption fails, the same error', async () => {
    const t = await joseSeal(jws, keyOf('dir', 'A256GCM', 8), header)
    refused(t, 'ERR_JWE_DECRYPTION_FAILED')
  })
  test('zip (decompression bombs), p2c (PBES2 work), crit, key URLs, JSON serialization: refused', async () => {
    refused(withHeader(good, { ...header, zip: 'DEF' }), 'ERR_JOSE_NOT_SUPPORTED', /zip/)
    refused(
      withHeader(good, { alg: 'PBES2-HS256+A128KW', enc: 'A256GCM', p2c: 100000000, p2s: 'c2FsdHNhbHQ' }),
      'ERR_JOSE_NOT_SUPPORTED',
      /p2c/,
    )
    refused(withHeader(good, { ...header, crit: ['exp'], exp: 1 }), 'ERR_JOSE_NOT_SUPPORTED', /crit/)
    for (const k of ['jku', 'x5u'])
      refused(withHeader(good, { ...header, [k]: 'https://evil.example/k' }), 'ERR_JOSE_NOT_SUPPORTED', /jku/)
    refused(withHeader(good, { ...header, jwk: { kty: 'oct', k: 'AAAA' } }), 'ERR_JOSE_NOT_SUPPORTED', /jwk/)
    for (const alg of ['RSA-OAEP', 'ECDH-ES'])
      assert.throws(() => d.decrypt(withHeader(good, { ...header, alg }), AT), JwtError)
    const json = JSON.stringify({
      protected: good.split('.')[0],
      iv: good.split('.')[2],
      ciphertext: good.split('.')[3],
      tag: good.split('.')[4],
    })
    assert.throws(() => d.decrypt(json, AT), JwtError)
  })
  test('a duplicate member in the protected header: refused by the strict reader', () => {
    const h = b64('{"alg":"dir","enc":"A256GCM","enc":"A128GCM","cty":"JWT"}')
    refused([h, ...good.split('.').slice(1)].join('.'), 'ERR_JWE_INVALID')
  })
  test('a plain JWS (a downgrade from encryption): ERR_JWE_INVALID', () => {
    refused(jws, 'ERR_JWE_INVALID', /JWS/)
  })
  test('a JWE whose payload is no signed token (jose EncryptJWT: claims encrypted, not signed): refused', async () => {
    const bare = await new EncryptJWT({ sub: 'mallory', exp: 2_000_000_000 })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(key.secret)
    refused(bare, 'ERR_JWE_INVALID', /signed token/)
    const claimed = await new EncryptJWT({ sub: 'mallory' }).setProtectedHeader({ ...header }).encrypt(key.secret)
    assert.throws(() => d.decrypt(claimed, AT), JwtError)
  })
  test('the inner token is verified by the policy: another signing key, expired, wrong typ', async () => {
    const forged = new Signer({ key: { alg: 'HS256', secret: new Uint8Array(32).fill(5), kid: 'hs1' }, ttl: 600 }).sign(
      { sub: 'x' },
      AT,
    )
    refused(await joseSeal(forged, key, header), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
    assert.throws(() => d.decrypt(good, { currentDate: new Date(NOW.getTime() + 3_600_000) }), {
      code: 'ERR_JWT_EXPIRED',
    })
    const strict = decrypterOf(key, { verifier: { ...VERIFIER, typ: 'at+jwt' } })
    assert.throws(() => strict.decrypt(good, AT), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'typ' })
  })
  test('a JWE given to a Verifier (no decryption): ERR_JWS_INVALID, never read as a JWS', () => {
    const v = new Verifier(VERIFIER)
    assert.throws(() => v.verify(good, AT), { code: 'ERR_JWS_INVALID' })
  })
  test('the size cap holds before any work; not a string is ERR_JWE_INVALID; decrypt options checked', () => {
    const small = decrypterOf(key, { maxTokenBytes: 100 })
    assert.throws(() => small.decrypt(good, AT), { code: 'ERR_JWT_TOO_LARGE' })
    assert.throws(() => d.decrypt(42, AT), JWEInvalid)
    assert.throws(() => d.decrypt(good, { now: 1 }), { code: 'ERR_INVALID_OPTIONS' })
    assert.throws(() => d.decrypt(good, { currentDate: new Date(NaN) }), { code: 'ERR_INVALID_OPTIONS' })
  })
  test('freed objects say so', () => {
    const x = decrypterOf(key)
    x.free()
    assert.throws(() => x.decrypt(good), { code: 'ERR_INVALID_OPTIONS', message: /freed/ })
  })
})
