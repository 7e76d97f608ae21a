// PublicKeyVerifier (jwt-wasm/keys, issue 13): its options (public-key algorithms only, keys as a
// JWKS, JWKs or a KeySet, a Verifier's policy meaning the same), every algorithm end to end with
// keys and tokens of WebCrypto and of jose (and jose verifying against the minimal JWKs our reader
// hands the runtime), the RFC examples, and the KeySet contract: one load when cold, one look again
// for an unknown kid, a refused body reported. Time is always injected.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { SignJWT, generateKeyPair, exportJWK, importJWK, jwtVerify, compactVerify } from 'jose'
import { Signer, Verifier } from 'jwt-wasm'
import { PublicKeyVerifier, JWKInvalid, JWKSInvalid, KEY_SET, localKeySet, JwtError } from 'jwt-wasm/keys'
import { RFC7515_A2, RFC7515_A3, RFC8037_A4 } from './rfc-vectors.mjs'
import { ALGS, NOW, at, claims, fakeKeySet, keyPair, ringOf, sign } from './signing.mjs'

const POLICY = { issuer: 'https://idp.test', audience: 'api' }

/** The error code of a rejected promise (or 'verified'). */
async function outcome(p) {
  try {
    await p
    return 'verified'
  } catch (e) {
    assert.ok(e instanceof JwtError, `expected a JwtError, got ${e?.name}: ${e?.message}`)
    return e.code
  }
}

describe('options', () => {
  const jwk = RFC7515_A3.jwk
  test('algorithms: required, public-key names only; an HMAC name is the confusion, said so', () => {
    for (const algorithms of [undefined, [], 'ES256'])
      assert.throws(() => new PublicKeyVerifier({ keys: [jwk], algorithms }), {
        code: 'ERR_INVALID_OPTIONS',
        message: /options\.algorithms is required/,
      })
    for (const hs of ['HS256', 'HS384', 'HS512'])
      assert.throws(() => new PublicKeyVerifier({ keys: [jwk], algorithms: ['ES256', hs] }), {
        name: 'TypeError',
        code: 'ERR_INVALID_OPTIONS',
        message: new RegExp(
          `${hs} is an HMAC algorithm: a public key is never an HMAC secret \\(the RS256 → HS256 confusion\\)`,
        ),
      })
    for (const alg of ['none', 'ES512', 'RSA-OAEP', 'es256'])
      assert.throws(() => new PublicKeyVerifier({ keys: [jwk], algorithms: [alg] }), {
        code: 'ERR_INVALID_OPTIONS',
        message: new RegExp(`${alg} is not supported \\(jwt-wasm/keys verifies RS256, `),
      })
  })

  test('keys: a JWKS, an array of JWKs or a key set; anything else, or none, is a TypeError', () => {
    for (const keys of [undefined, null, 'jwks', { keys: 'x' }, { kty: 'EC' }, 42])
      assert.throws(() => new PublicKeyVerifier({ keys, algorithms: ['ES256'] }), {
        code: 'ERR_INVALID_OPTIONS',
        message: /options\.keys must be a JWKS/,
      })
    for (const keys of [[], { keys: [] }])
      assert.throws(() => new PublicKeyVerifier({ keys, algorithms: ['ES256'] }), {
        code: 'ERR_INVALID_OPTIONS',
        message: 'options.keys must hold at least one key',
      })
    new PublicKeyVerifier({ keys: [jwk], algorithms: ['ES256'] }).free()
    new PublicKeyVerifier({ keys: { keys: [jwk] }, algorithms: ['ES256'] }).free()
    new PublicKeyVerifier({ keys: localKeySet({ keys: [jwk] }), algorithms: ['ES256'] }).free()
  })

  test('the policy options are checked as a Verifier checks them; unknown options are refused', () => {
    const base = { keys: [jwk], algorithms: ['ES256'] }
    for (const [extra, message] of [
      [{ requiredClaims: [] }, /requiredClaims must name at least one claim/],
      [{ issuer: [] }, /options\.issuer/],
      [{ typ: '' }, /options\.typ/],
      [{ clockTolerance: -1 }, /options\.clockTolerance/],
      [{ mac: 'native' }, /unknown option "mac"/],
      [{ secret: 'x' }, /unknown option "secret"/],
      [{ claimValues: {} }, /options\.claimValues must name at least one claim/],
    ])
      assert.throws(() => new PublicKeyVerifier({ ...base, ...extra }), { code: 'ERR_INVALID_OPTIONS', message })
  })

  test('fixed keys are read at construction: a bad key throws there, typed, with its reason', () => {
    assert.throws(
      () => new PublicKeyVerifier({ keys: [{ ...jwk, d: 'AAAA' }], algorithms: ['ES256'] }),
      (e) => {
        assert.ok(e instanceof JWKInvalid)
        assert.equal(e.code, 'ERR_JWK_INVALID')
        assert.equal(e.problem, 'private')
        assert.match(e.message, /^options\.keys: a public key set holds no private members/)
        return true
      },
    )
    assert.throws(
      () =>
        new PublicKeyVerifier({
          keys: [
            { ...jwk, kid: 'a' },
            { ...jwk, kid: 'a' },
          ],
          algorithms: ['ES256'],
        }),
      (e) => e instanceof JWKSInvalid && e.code === 'ERR_JWKS_INVALID',
    )
  })

  test('verifyAsync options: now a valid Date, scope an object; unknown ones refused; a freed verifier says so', async () => {
    const v = new PublicKeyVerifier({ keys: [RFC7515_A3.jwk], algorithms: ['ES256'] })
    await assert.rejects(v.verifyAsync(RFC7515_A3.token, { now: 1300819370 }), {
      code: 'ERR_INVALID_OPTIONS',
      message: /options\.now/,
    })
    await assert.rejects(v.verifyAsync(RFC7515_A3.token, { currentDate: new Date() }), {
      message: /unknown option "currentDate"/,
    })
    await assert.rejects(v.verifyAsync(42), { code: 'ERR_JWS_INVALID' })
    v.free()
    await assert.rejects(v.verifyAsync(RFC7515_A3.token), { code: 'ERR_INVALID_OPTIONS', message: /freed/ })
  })
})

describe('the RFC examples, end to end', () => {
  for (const v of [RFC7515_A2, RFC7515_A3]) {
    test(`${v.source} (${v.alg}) verifies; its claims are judged after the signature`, async () => {
      const verifier = new PublicKeyVerifier({ keys: [v.jwk], algorithms: [v.alg], issuer: 'joe' })
      const { header, payload } = await verifier.verifyAsync(v.token, at(v.now))
      assert.deepEqual(header, { alg: v.alg })
      assert.deepEqual(payload, v.payload)
      assert.equal(await outcome(verifier.verifyAsync(v.token, at(v.payload.exp + 1))), 'ERR_JWT_EXPIRED')
      const p = v.token.split('.')
      const sig = Buffer.from(p[2], 'base64url')
      sig[5] ^= 1
      assert.equal(
        await outcome(verifier.verifyAsync(`${p[0]}.${p[1]}.${sig.toString('base64url')}`, at(v.now))),
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
      verifier.free()
    })
  }

  test(`${RFC8037_A4.source} (EdDSA): the signature verifies; its payload is text, not a claims set`, async () => {
    for (const algorithms of [['EdDSA'], ['Ed25519']]) {
      const verifier = new PublicKeyVerifier({ keys: [RFC8037_A4.jwk], algorithms: [...algorithms, 'EdDSA'] })
      assert.equal(await outcome(verifier.verifyAsync(RFC8037_A4.token, at())), 'ERR_JWT_INVALID')
      verifier.free()
    }
    // jose agrees the signature verifies.
    const { payload } = await compactVerify(RFC8037_A4.token, await importJWK(RFC8037_A4.jwk, 'EdDSA'))
    assert.equal(new TextDecoder().decode(payload), RFC8037_A4.text)
    // A forged byte is a signature failure, not a payload error: the signature comes first.
    const verifier = new PublicKeyVerifier({ keys: [RFC8037_A4.jwk], algorithms: ['EdDSA'] })
    const forged = `${RFC8037_A4.token.slice(0, -2)}${RFC8037_A4.token.endsWith('Ag') ? 'Aw' : 'Ag'}`
    assert.equal(await outcome(verifier.verifyAsync(forged, at())), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
  })
})

describe('every algorithm, keys and tokens of WebCrypto and of jose', () => {
  for (const alg of Object.keys(ALGS)) {
    test(`${alg}: a WebCrypto key and token verify; a flipped bit or another key does not`, async () => {
      const pair = await keyPair(alg, { kid: `k-${alg}` })
      const other = await keyPair(alg, { kid: 'other' })
      const verifier = new PublicKeyVerifier({ keys: [pair.jwk, other.jwk], algorithms: [alg], ...POLICY })
      const token = await sign(pair, { typ: 'JWT' }, claims())
      const { header, payload } = await verifier.verifyAsync(token, at())
      assert.deepEqual(header, { alg, kid: pair.kid, typ: 'JWT' })
      assert.deepEqual(payload, claims())
      const stolen = await sign({ ...other, kid: pair.kid }, {}, claims())
      assert.equal(await outcome(verifier.verifyAsync(stolen, at())), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
      // Many verifications interleave across their awaits on one core: each keeps its own key.
      const tokens = await Promise.all([pair, other, pair, other].map((p, i) => sign(p, {}, claims({ n: i }))))
      const results = await Promise.all(tokens.map((t) => verifier.verifyAsync(t, at())))
      assert.deepEqual(
        results.map((r) => [r.header.kid, r.payload.n]),
        [
          [pair.kid, 0],
          ['other', 1],
          [pair.kid, 2],
          ['other', 3],
        ],
      )
      verifier.free()
    })
  }

  test("phase 1 hands out views of the signing input and the signature in the core's memory, valid until the next call into it", async () => {
    const pair = await keyPair('ES256', { kid: 'k' })
    const ring = ringOf({ keys: [pair.jwk] }, 'ES256')
    const [first, second] = await Promise.all([1, 2].map((n) => sign(pair, {}, claims({ n: 'x'.repeat(n * 40) }))))
    const [key, data, signature, error] = ring.begin(first, NOW)
    assert.equal(error, undefined)
    const dot = first.lastIndexOf('.')
    assert.deepEqual(data, new Uint8Array(Buffer.from(first.slice(0, dot))))
    assert.deepEqual(signature, new Uint8Array(Buffer.from(first.slice(dot + 1), 'base64url')))
    assert.equal(await ring.verify(key, data, signature), true)
    // Views of the core's memory: a later phase 1 writes over them (tests/js/keys/views.test.mjs).
    assert.ok(data.buffer === signature.buffer && data.buffer.byteLength > 65536)
    assert.equal(ring.begin(second, NOW)[3], undefined)
    assert.notDeepEqual(signature, new Uint8Array(Buffer.from(first.slice(dot + 1), 'base64url')))
    ring.core.free()
  })

  for (const alg of ['RS256', 'PS384', 'ES256', 'ES384', 'EdDSA']) {
    test(`${alg}: jose's keys and SignJWT tokens verify here; jose verifies against our reader's minimal JWK`, async () => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
      const jwk = { ...(await exportJWK(publicKey)), kid: 'jose-1' }
      const token = await new SignJWT({ scope: 'read' })
        .setProtectedHeader({ alg, kid: 'jose-1' })
        .setIssuer(POLICY.issuer)
        .setAudience('api')
        .setIssuedAt(NOW)
        .setExpirationTime(NOW + 60)
        .sign(privateKey)
      const verifier = new PublicKeyVerifier({ keys: { keys: [jwk] }, algorithms: [alg], ...POLICY })
      assert.equal((await verifier.verifyAsync(token, at())).payload.scope, 'read')
      // The minimal JWK the core hands the runtime, verified by jose.
      const ring = ringOf({ keys: [jwk] }, alg)
      const minimal = ring.keys[0].jwk
      assert.equal(minimal.kid, undefined, 'the minimal JWK is the key alone')
      assert.deepEqual(
        Object.keys(minimal).sort(),
        Object.keys(jwk)
          .filter((k) => !['kid', 'alg', 'use', 'key_ops', 'ext'].includes(k))
          .sort(),
      )
      const { payload } = await jwtVerify(token, await importJWK(minimal, alg), { currentDate: new Date(NOW * 1000) })
      assert.equal(payload.scope, 'read')
      ring.core.free()
      verifier.free()
    })
  }
})

describe("a Verifier's policy, the same checks", () => {
  test('the same claims give the same errors as an HMAC Verifier with the same options', async () => {
    const pair = await keyPair('ES256')
    const hs = { alg: 'HS256', secret: 'a-secret-for-the-policy-comparison-0123' }
    const options = {
      ...POLICY,
      subject: 'u1',
      typ: 'at+jwt',
      maxTokenAge: 600,
      requiredClaims: ['exp', 'iat'],
      clockTolerance: 5,
    }
    const pk = new PublicKeyVerifier({ keys: [pair.jwk], algorithms: ['ES256'], ...options })
    const mac = new Verifier({ keys: [hs], algorithms: ['HS256'], ...options })
    const signer = new Signer({ key: hs, typ: 'at+jwt' })
    const cases = [
      claims(),
      claims({ iss: 'https://evil.test' }),
      claims({ aud: 'other' }),
      claims({ sub: 'u2' }),
      claims({ exp: NOW - 6 }),
      claims({ exp: NOW - 4 }),
      claims({ iat: NOW - 700 }),
      claims({ nbf: NOW + 60 }),
      { iss: POLICY.issuer, aud: 'api', sub: 'u1', exp: NOW + 60 },
    ]
    for (const c of cases) {
      const macResult = (() => {
        try {
          return mac.verify(signer.sign(c), { currentDate: new Date(NOW * 1000) }).payload
        } catch (e) {
          return [e.code, e.claim, e.reason]
        }
      })()
      let pkResult
      try {
        pkResult = (await pk.verifyAsync(await sign(pair, { typ: 'at+jwt' }, c), at())).payload
      } catch (e) {
        pkResult = [e.code, e.claim, e.reason]
      }
      assert.deepEqual(pkResult, macResult, JSON.stringify(c))
    }
  })

  test("claimValues (the presets' exact claims) are checked after the policy", async () => {
    const pair = await keyPair('RS256')
    const v = new PublicKeyVerifier({
      keys: [pair.jwk],
      algorithms: ['RS256'],
      ...POLICY,
      claimValues: { token_use: 'access' },
    })
    assert.equal(
      (await v.verifyAsync(await sign(pair, {}, claims({ token_use: 'access' })), at())).payload.token_use,
      'access',
    )
    await assert.rejects(v.verifyAsync(await sign(pair, {}, claims({ token_use: 'id' })), at()), {
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'token_use',
      reason: 'check_failed',
    })
    await assert.rejects(v.verifyAsync(await sign(pair, {}, claims()), at()), { claim: 'token_use', reason: 'missing' })
  })
})

describe('a key set: one load when cold, one look again for an unknown kid, a refused body reported', () => {
  test('cold: snapshot undefined → one load (reason empty, with now in seconds and the scope); then the snapshot serves', async () => {
    const a = await keyPair('ES256', { kid: 'a' })
    const ks = fakeKeySet(KEY_SET, [{ keys: [a.jwk] }], { cold: true })
    const v = new PublicKeyVerifier({ keys: ks, algorithms: ['ES256'], ...POLICY })
    const scope = {}
    const token = await sign(a, {}, claims())
    assert.equal((await v.verifyAsync(token, { ...at(), scope })).payload.sub, 'u1')
    assert.deepEqual(ks.calls.load, [{ now: NOW, reason: 'empty', scope }])
    for (let i = 0; i < 5; i++) await v.verifyAsync(token, at())
    assert.equal(ks.calls.load.length, 1, 'a cached key set costs no load on the hot path')
  })

  test('an unknown kid: one load (reason unknown-kid), then the token is tried once more on what it brought', async () => {
    const a = await keyPair('ES256', { kid: 'a' })
    const b = await keyPair('ES256', { kid: 'b' })
    const ks = fakeKeySet(KEY_SET, [{ keys: [a.jwk] }, { keys: [a.jwk, b.jwk] }], { rotateOnLoad: true })
    const v = new PublicKeyVerifier({ keys: ks, algorithms: ['ES256'], ...POLICY })
    assert.equal((await v.verifyAsync(await sign(b, {}, claims()), at())).header.kid, 'b')
    assert.deepEqual(
      ks.calls.load.map((l) => l.reason),
      ['unknown-kid'],
    )
    // A kid that is still unknown after the look: refused, after exactly one more load.
    const c = await keyPair('ES256', { kid: 'c' })
    assert.equal(await outcome(v.verifyAsync(await sign(c, {}, claims()), at())), 'ERR_JWKS_NO_MATCHING_KEY')
    assert.equal(ks.calls.load.length, 2)
    // No kid and no key of its algorithm: no load (a kid is what a rotation adds).
    const r = await keyPair('RS256')
    const v2 = new PublicKeyVerifier({ keys: ks, algorithms: ['ES256', 'RS256'], ...POLICY })
    assert.equal(await outcome(v2.verifyAsync(await sign(r, {}, claims()), at())), 'ERR_JWKS_NO_MATCHING_KEY')
    assert.equal(ks.calls.load.length, 2)
  })

  test('a body the core refuses is reported with refused(version, error); the key set then offers the one before', async () => {
    const a = await keyPair('ES256', { kid: 'a' })
    const ks = fakeKeySet(KEY_SET, [{ keys: [a.jwk] }, { keys: [{ ...a.jwk, d: 'AAAA' }] }], { rotateOnLoad: true })
    const v = new PublicKeyVerifier({ keys: ks, algorithms: ['ES256'], ...POLICY })
    const b = await keyPair('ES256', { kid: 'b' })
    // kid b is unknown → load → version 2 has a private member → refused → version 1 serves.
    assert.equal(await outcome(v.verifyAsync(await sign(b, {}, claims()), at())), 'ERR_JWKS_NO_MATCHING_KEY')
    assert.deepEqual(ks.calls.refused, [[2, 'ERR_JWK_INVALID']])
    assert.equal((await v.verifyAsync(await sign(a, {}, claims()), at())).header.kid, 'a')
  })

  test('a key set whose only body is refused: the error reaches the caller (the guard answers 503)', async () => {
    const a = await keyPair('ES256', { kid: 'a' })
    const ks = fakeKeySet(KEY_SET, [{ keys: [{ ...a.jwk, d: 'AAAA' }] }])
    const v = new PublicKeyVerifier({ keys: ks, algorithms: ['ES256'] })
    assert.equal(await outcome(v.verifyAsync(await sign(a, {}, claims()), at())), 'ERR_JWK_INVALID')
    assert.equal(ks.calls.refused.length, 1)
  })

  test('localKeySet: the same verifications as the fixed keys', async () => {
    const a = await keyPair('PS256', { kid: 'a' })
    const v = new PublicKeyVerifier({
      keys: localKeySet(JSON.stringify({ keys: [a.jwk] })),
      algorithms: ['PS256'],
      ...POLICY,
    })
    assert.equal((await v.verifyAsync(await sign(a, {}, claims()), at())).payload.sub, 'u1')
  })
})

describe('a token seen verified skips the signature, never the claims', () => {
  test('the runtime checks a repeated token once; its claims and time are judged every time; a forgery is still checked', async () => {
    const { signatures } = await import(new URL('../node_modules/jwt-wasm/keys/signature.js', import.meta.url).href)
    const real = signatures.provider
    const calls = { verify: 0 }
    signatures.provider = { ...real, name: 'counting', verify: (k, d, s) => (calls.verify++, real.verify(k, d, s)) }
    try {
      const pair = await keyPair('ES256', { kid: 'a' })
      const v = new PublicKeyVerifier({ keys: [pair.jwk], algorithms: ['ES256'], ...POLICY })
      const token = await sign(pair, {}, claims())
      for (let i = 0; i < 5; i++) assert.equal((await v.verifyAsync(token, at())).payload.sub, 'u1')
      assert.equal(calls.verify, 1, 'one signature check for five verifications')
      // The same token later: expired, though its signature is remembered.
      assert.equal(await outcome(v.verifyAsync(token, at(NOW + 301))), 'ERR_JWT_EXPIRED')
      // Another signature over the same input is another token: checked, and refused.
      const p = token.split('.')
      const sig = Buffer.from(p[2], 'base64url')
      sig[7] ^= 1
      const forged = `${p[0]}.${p[1]}.${sig.toString('base64url')}`
      for (let i = 0; i < 2; i++)
        assert.equal(await outcome(v.verifyAsync(forged, at())), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
      assert.equal(calls.verify, 3, 'a refused token is never remembered')
      // A new verifier (a new key-set version) remembers nothing.
      const w = new PublicKeyVerifier({ keys: [pair.jwk], algorithms: ['ES256'], ...POLICY })
      await w.verifyAsync(token, at())
      assert.equal(calls.verify, 4)
    } finally {
      signatures.provider = real
    }
  })
})
