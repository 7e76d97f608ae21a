// Attacks on public-key verification (issue 13), each named after its threat, against
// PublicKeyVerifier of the installed package: the RS256 → HS256 confusion, alg none, a kid naming
// a key of another type, keys injected through the header (jwk, jku, x5u, x5c), invalid curve
// points, psychic signatures (CVE-2022-21449), short RSA keys, duplicate kids; and RFC 7520
// §4.1–4.3 end to end.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, webcrypto } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PublicKeyVerifier, JWKInvalid, JWKSInvalid, JwtError } from 'jwt-wasm/keys'
import { RFC7520 } from './rfc-vectors.mjs'
import { at, claims, keyPair, sign, withSignature } from './signing.mjs'

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
const POLICY = { issuer: 'https://idp.test', audience: 'api' }

async function code(p) {
  try {
    await p
    return 'verified'
  } catch (e) {
    assert.ok(e instanceof JwtError, `expected a JwtError, got ${e?.name}: ${e?.message}`)
    return e.code
  }
}

test('algorithm confusion: HS256 signed with the RSA public key bytes (PEM, DER, n) is refused', async () => {
  const rsa = await keyPair('RS256', { kid: 'rsa-1' })
  const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', rsa.publicKey))
  const pem = `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PUBLIC KEY-----\n`
  const v = new PublicKeyVerifier({ keys: [rsa.jwk], algorithms: ['RS256'], ...POLICY })
  for (const secret of [pem, spki, Buffer.from(rsa.jwk.n, 'base64url')]) {
    for (const kid of ['rsa-1', undefined]) {
      const input = `${b64({ alg: 'HS256', ...(kid ? { kid } : {}) })}.${b64(claims())}`
      const forged = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
      assert.equal(await code(v.verifyAsync(forged, at())), 'ERR_JOSE_ALG_NOT_ALLOWED')
    }
  }
  // It cannot even be configured: an HMAC algorithm beside public keys is a TypeError, and a
  // symmetric key in a public key set is refused.
  assert.throws(() => new PublicKeyVerifier({ keys: [rsa.jwk], algorithms: ['RS256', 'HS256'] }), {
    code: 'ERR_INVALID_OPTIONS',
    message: /HS256 is an HMAC algorithm/,
  })
  assert.throws(
    () => new PublicKeyVerifier({ keys: [rsa.jwk, { kty: 'oct', kid: 'h', k: b64(pem) }], algorithms: ['RS256'] }),
    (e) => e instanceof JWKInvalid && e.problem === 'oct',
  )
})

test('alg none (and its spellings) is refused, with or without a signature', async () => {
  const ec = await keyPair('ES256', { kid: 'ec-1' })
  const v = new PublicKeyVerifier({ keys: [ec.jwk], algorithms: ['ES256'], ...POLICY })
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    for (const kid of ['ec-1', undefined]) {
      const input = `${b64({ alg, ...(kid ? { kid } : {}) })}.${b64(claims())}`
      assert.equal(await code(v.verifyAsync(`${input}.`, at())), 'ERR_JOSE_ALG_NOT_ALLOWED', `${alg}, empty signature`)
      const good = await sign(ec, {}, claims())
      assert.equal(await code(v.verifyAsync(`${input}.${good.split('.')[2]}`, at())), 'ERR_JOSE_ALG_NOT_ALLOWED')
    }
  }
})

test('a kid naming a key of another type: the key decides the algorithm, never the token', async () => {
  const rsa = await keyPair('RS256', { kid: 'rsa' })
  const ec = await keyPair('ES256', { kid: 'ec' })
  const ed = await keyPair('EdDSA', { kid: 'ed' })
  const v = new PublicKeyVerifier({
    keys: [rsa.jwk, ec.jwk, ed.jwk],
    algorithms: ['RS256', 'ES256', 'EdDSA'],
    ...POLICY,
  })
  // Each token signed with a real key of its own alg, but naming the kid of another type.
  for (const [signer, kid] of [
    [ec, 'rsa'],
    [rsa, 'ec'],
    [ed, 'ec'],
    [ec, 'ed'],
  ]) {
    const token = await sign({ ...signer, kid }, {}, claims())
    const c = await code(v.verifyAsync(token, at()))
    assert.ok(
      ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JWKS_NO_MATCHING_KEY'].includes(c),
      `${signer.alg} with kid ${kid}: ${c}`,
    )
  }
  // A JWK without alg is bound from its type and the allowlist, never from a token: an RSA key
  // with several RSA algorithms allowed must say its alg.
  const bare = await keyPair('RS256', { kid: 'bare', withAlg: false })
  assert.throws(
    () => new PublicKeyVerifier({ keys: [bare.jwk], algorithms: ['RS256', 'PS256'] }),
    (e) => e instanceof JWKInvalid && e.problem === 'no_alg',
  )
  const one = new PublicKeyVerifier({ keys: [bare.jwk], algorithms: ['RS256'], ...POLICY })
  assert.equal(await code(one.verifyAsync(await sign(bare, {}, claims()), at())), 'verified')
})

test('header injection: jwk, jku, x5u and x5c never bring a key; the configured key still decides', async () => {
  const ours = await keyPair('ES256', { kid: 'ours' })
  const evil = await keyPair('ES256', { kid: 'ours' })
  const v = new PublicKeyVerifier({ keys: [ours.jwk], algorithms: ['ES256'], ...POLICY })
  for (const header of [
    { jwk: evil.jwk },
    { jku: 'https://evil.test/jwks.json' },
    { x5u: 'https://evil.test/cert.pem' },
    { x5c: ['MIIB'] },
    { jwk: evil.jwk, jku: 'https://evil.test/jwks.json' },
  ]) {
    const token = await sign(evil, header, claims())
    assert.equal(
      await code(v.verifyAsync(token, at())),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      Object.keys(header).join(),
    )
  }
  // Without a kid the one ES256 key is chosen, not the embedded one.
  const noKid = await sign({ ...evil, kid: undefined }, { jwk: evil.jwk }, claims())
  assert.equal(await code(v.verifyAsync(noKid, at())), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
})

test('invalid curve points: off the curve (the runtime refuses the key: JWKInvalid) or not below p (the core refuses it)', async () => {
  const ec = await keyPair('ES256', { kid: 'ec' })
  // y + 1: still 32 bytes below p, but (x, y + 1) is not on P-256.
  const y = Buffer.from(ec.jwk.y, 'base64url')
  for (let i = y.length - 1; i >= 0; i--) if (++y[i] <= 0xff && y[i] !== 0) break
  const offCurve = { ...ec.jwk, y: y.toString('base64url') }
  const v = new PublicKeyVerifier({ keys: [offCurve], algorithms: ['ES256'], ...POLICY })
  const token = await sign(ec, {}, claims())
  for (let i = 0; i < 2; i++) {
    // Unusable from the first import on, every time: the import is not retried per token.
    await assert.rejects(v.verifyAsync(token, at()), (e) => {
      assert.ok(e instanceof JWKInvalid)
      assert.equal(e.code, 'ERR_JWK_INVALID')
      assert.equal(e.problem, 'runtime')
      assert.match(e.message, /^key 1 of the key set was refused by the runtime's crypto$/)
      return true
    })
  }
  // A coordinate at or above the field prime, or of the wrong length: refused by the core's reader.
  const p256 = Buffer.from('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', 'hex')
  for (const bad of [
    { ...ec.jwk, x: p256.toString('base64url') },
    { ...ec.jwk, y: Buffer.from(ec.jwk.y, 'base64url').subarray(1).toString('base64url') },
  ])
    assert.throws(
      () => new PublicKeyVerifier({ keys: [bad], algorithms: ['ES256'] }),
      (e) => e instanceof JWKInvalid && e.problem === 'ec_coordinate',
    )
})

test('psychic signatures (CVE-2022-21449): r or s zero or not below n are refused by the core, before the runtime', async () => {
  const n256 = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex')
  const n384 = Buffer.from(
    'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
    'hex',
  )
  for (const [alg, n] of [
    ['ES256', n256],
    ['ES384', n384],
  ]) {
    const pair = await keyPair(alg, { kid: 'k' })
    // An off-curve twin of the key: if the runtime were reached it would answer JWKInvalid.
    const y = Buffer.from(pair.jwk.y, 'base64url')
    y[y.length - 1] ^= 1
    const unusable = new PublicKeyVerifier({ keys: [{ ...pair.jwk, y: y.toString('base64url') }], algorithms: [alg] })
    const v = new PublicKeyVerifier({ keys: [pair.jwk], algorithms: [alg], ...POLICY })
    const token = await sign(pair, {}, claims())
    const zero = Buffer.alloc(n.length)
    const one = Buffer.concat([Buffer.alloc(n.length - 1), Buffer.from([1])])
    const big = Buffer.alloc(n.length, 0xff)
    for (const [r, s] of [
      [zero, zero],
      [zero, one],
      [one, zero],
      [n, one],
      [one, n],
      [n, n],
      [big, one],
    ]) {
      const forged = withSignature(token, Buffer.concat([r, s]))
      assert.equal(await code(v.verifyAsync(forged, at())), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
      assert.equal(
        await code(unusable.verifyAsync(forged, at())),
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        'refused before the runtime',
      )
    }
    // A signature of the wrong length (DER instead of r‖s, or one byte short) too.
    const sig = Buffer.from(token.split('.')[2], 'base64url')
    for (const wrong of [sig.subarray(1), Buffer.concat([Buffer.from([0x30, sig.length + 4]), sig])])
      assert.equal(
        await code(unusable.verifyAsync(withSignature(token, wrong), at())),
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
  }
})

test('short RSA keys (1024 bits) are refused when the key set is read', async () => {
  const short = await keyPair('RS256', { kid: 'short', bits: 1024 })
  assert.throws(
    () => new PublicKeyVerifier({ keys: [short.jwk], algorithms: ['RS256'] }),
    (e) => e instanceof JWKInvalid && e.problem === 'rsa_short' && /at least 2048 bits/.test(e.message),
  )
})

test('duplicate kids in a key set are refused (no choosing between two keys of one name)', async () => {
  const a = await keyPair('ES256', { kid: 'same' })
  const b = await keyPair('RS256', { kid: 'same' })
  assert.throws(
    () => new PublicKeyVerifier({ keys: [a.jwk, b.jwk], algorithms: ['ES256', 'RS256'] }),
    (e) => e instanceof JWKSInvalid && e.code === 'ERR_JWKS_INVALID',
  )
})

test('RFC 7520 §4.1 (RS256) and §4.2 (PS384) verify end to end; their payload is text; §4.3 (ES512) is not supported', async () => {
  const repo = process.env.JWT_WASM_REPO
  const doc = JSON.parse(
    readFileSync(join(repo, 'tests', 'vectors', 'wycheproof', 'json_web_signature_test.json'), 'utf8'),
  )
  const cases = new Map(doc.testGroups.flatMap((g) => g.tests.map((t) => [t.tcId, { g, t }])))
  for (const { source, tcId, alg } of RFC7520) {
    const { g, t } = /** @type {any} */ (cases.get(tcId))
    // The figure's key, without Wycheproof's alg (§4.2's says PS256 for a PS384 signature).
    const { alg: _alg, ...jwk } = g.public
    if (alg === 'ES512') {
      const v = new PublicKeyVerifier({ keys: [jwk], algorithms: ['ES384'] })
      assert.equal(await code(v.verifyAsync(t.jws, at())), 'ERR_JOSE_ALG_NOT_ALLOWED', source)
      continue
    }
    const v = new PublicKeyVerifier({ keys: [jwk], algorithms: [alg] })
    assert.equal(
      await code(v.verifyAsync(t.jws, at())),
      'ERR_JWT_INVALID',
      `${source}: verified, then its text payload refused`,
    )
    const forged = withSignature(
      t.jws,
      Buffer.from(t.jws.split('.')[2], 'base64url').map((x, i) => (i === 9 ? x ^ 1 : x)),
    )
    assert.equal(await code(v.verifyAsync(forged, at())), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', source)
  }
})
