// Interop both ways with the anchors: jose (SignJWT / jwtVerify), jsonwebtoken (sign / verify)
// and PyJWT (through tests/js/core/pyjwt_helper.py in tests/.venv). Time is pinned everywhere, to a
// date long past, so a library that read the real clock would reject the tokens.
import { test, describe, before } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import * as jose from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import { Verifier, Signer, decodeUnverified, JwtError } from 'jwt-wasm'

const NOW = 1_000_000_000 // 2001-09-09T01:46:40Z
const currentDate = new Date(NOW * 1000)
const ALGS = ['HS256', 'HS384', 'HS512']
const LEN = { HS256: 32, HS384: 48, HS512: 64 }
const ISS = 'https://issuer.example'
const AUD = 'api://interop'
/** A deterministic secret of the algorithm's minimum length plus a few bytes. */
const secretFor = (alg) => new Uint8Array(LEN[alg] + 5).map((_, i) => (i * 37 + LEN[alg]) & 0xff)
const b64u = (bytes) => Buffer.from(bytes).toString('base64url')
/** Claims with non-ASCII text, nested values and numbers. */
const claimsFor = (alg) => ({
  sub: `user-${alg}`,
  iss: ISS,
  aud: AUD,
  iat: NOW - 10,
  exp: NOW + 600,
  note: 'Grüße 🔑 日本',
  scope: ['read', 'write'],
  n: 1.5,
  nested: { ok: true, none: null },
})
const verifierFor = (alg, secret = secretFor(alg), extra = {}) =>
  new Verifier({ keys: [{ kid: `kid-${alg}`, alg, secret }], algorithms: [alg], issuer: ISS, audience: AUD, ...extra })

// ---- PyJWT --------------------------------------------------------------------------------

const repo = process.env.JWT_WASM_REPO
const python = join(repo, 'tests', '.venv', 'bin', 'python')
const helper = join(repo, 'tests', 'js', 'core', 'pyjwt_helper.py')

/** Sends a batch of requests to PyJWT; returns its results. */
function pyjwt(requests) {
  assert.ok(
    existsSync(python),
    `${python} is missing: run \`make setup\` (it creates tests/.venv with PyJWT from tests/requirements.txt)`,
  )
  const r = spawnSync(python, [helper], { input: JSON.stringify(requests), encoding: 'utf8' })
  assert.equal(r.status, 0, `pyjwt_helper.py failed: ${r.stderr || r.error}`)
  const out = JSON.parse(r.stdout)
  assert.equal(out.length, requests.length)
  return out
}

describe('PyJWT oracle', () => {
  test('is PyJWT 2.15.1', () => {
    assert.ok(existsSync(python), `${python} is missing: run \`make setup\``)
    const r = spawnSync(python, ['-c', 'import jwt; print(jwt.__version__)'], { encoding: 'utf8' })
    assert.equal(r.stdout.trim(), '2.15.1')
  })
})

// ---- other libraries sign, jwt-wasm verifies ---------------------------------------------

describe('jose-minted tokens verify with jwt-wasm', () => {
  for (const alg of ALGS) {
    test(alg, async () => {
      const { iat, exp, iss, aud, ...rest } = claimsFor(alg)
      const token = await new jose.SignJWT(rest)
        .setProtectedHeader({ alg, typ: 'JWT', kid: `kid-${alg}` })
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setIssuer(iss)
        .setAudience(aud)
        .sign(secretFor(alg))
      const v = verifierFor(alg)
      const { header, payload } = v.verify(token, { currentDate })
      assert.deepEqual(payload, claimsFor(alg))
      assert.deepEqual(payload, jose.decodeJwt(token))
      assert.deepEqual(header, { alg, typ: 'JWT', kid: `kid-${alg}` })
      // The same token is expired for both at exp, and forged for both with another key.
      assert.throws(() => v.verify(token, { currentDate: new Date(exp * 1000) }), { code: 'ERR_JWT_EXPIRED' })
      assert.throws(
        () =>
          verifierFor(
            alg,
            secretFor(alg).map((b) => b ^ 1),
          ).verify(token, { currentDate }),
        { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' },
      )
    })
  }
})

describe('jsonwebtoken-minted tokens verify with jwt-wasm', () => {
  for (const alg of ALGS) {
    test(alg, () => {
      const token = jsonwebtoken.sign(claimsFor(alg), Buffer.from(secretFor(alg)), {
        algorithm: alg,
        keyid: `kid-${alg}`,
      })
      const { header, payload } = verifierFor(alg).verify(token, { currentDate })
      assert.deepEqual(payload, claimsFor(alg))
      assert.deepEqual(header, { alg, typ: 'JWT', kid: `kid-${alg}` })
    })
  }

  test('a non-ASCII string secret means the same bytes to both', () => {
    const secret = 'pässwörd-🔑-Schlüssel-秘密-ключ'
    const token = jsonwebtoken.sign(claimsFor('HS256'), secret, { algorithm: 'HS256' })
    assert.equal(verifierFor('HS256', secret).verify(token, { currentDate }).payload.note, 'Grüße 🔑 日本')
    const ours = new Signer({ key: { alg: 'HS256', secret } }).sign(claimsFor('HS256'))
    assert.equal(
      jsonwebtoken.verify(ours, secret, { algorithms: ['HS256'], clockTimestamp: NOW }).note,
      'Grüße 🔑 日本',
    )
  })
})

describe('PyJWT-minted tokens verify with jwt-wasm', () => {
  for (const alg of ALGS) {
    test(alg, () => {
      const [{ token }] = pyjwt([
        { op: 'sign', alg, secret: b64u(secretFor(alg)), payload: claimsFor(alg), headers: { kid: `kid-${alg}` } },
      ])
      const { header, payload } = verifierFor(alg).verify(token, { currentDate })
      assert.deepEqual(payload, claimsFor(alg))
      assert.equal(header.alg, alg)
      assert.equal(header.kid, `kid-${alg}`)
      assert.throws(() => verifierFor(alg).verify(token, { currentDate: new Date((NOW + 600) * 1000) }), {
        code: 'ERR_JWT_EXPIRED',
      })
    })
  }
})

// ---- jwt-wasm signs, other libraries verify ----------------------------------------------

/** Tokens from our Signer, per algorithm: a valid one and one that expired at NOW. */
const ours = Object.fromEntries(
  ALGS.map((alg) => {
    const signer = new Signer({ key: { kid: `kid-${alg}`, alg, secret: secretFor(alg) }, typ: 'JWT', jti: true })
    const { iat, exp, ...rest } = claimsFor(alg)
    const token = signer.sign(rest, { currentDate: new Date(iat * 1000), ttl: exp - iat })
    const expired = signer.sign(rest, { currentDate: new Date((NOW - 600) * 1000), ttl: 600 })
    return [alg, { token, expired, payload: decodeUnverified(token).payload }]
  }),
)

describe('jwt-wasm tokens verify with jose', () => {
  for (const alg of ALGS) {
    test(alg, async () => {
      const { token, expired, payload } = ours[alg]
      assert.match(payload.jti, /^[A-Za-z0-9_-]{22}$/)
      const r = await jose.jwtVerify(token, secretFor(alg), {
        algorithms: [alg],
        currentDate,
        issuer: ISS,
        audience: AUD,
        typ: 'JWT',
        requiredClaims: ['exp', 'iat', 'jti'],
      })
      assert.deepEqual(r.payload, { ...claimsFor(alg), jti: payload.jti })
      assert.deepEqual(r.protectedHeader, { alg, typ: 'JWT', kid: `kid-${alg}` })
      await assert.rejects(jose.jwtVerify(expired, secretFor(alg), { algorithms: [alg], currentDate }), {
        code: 'ERR_JWT_EXPIRED',
      })
      await assert.rejects(
        jose.jwtVerify(
          token,
          secretFor(alg).map((b) => b ^ 1),
          { algorithms: [alg], currentDate },
        ),
        { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' },
      )
    })
  }
})

describe('jwt-wasm tokens verify with jsonwebtoken', () => {
  for (const alg of ALGS) {
    test(alg, () => {
      const { token, expired, payload } = ours[alg]
      const r = jsonwebtoken.verify(token, Buffer.from(secretFor(alg)), {
        algorithms: [alg],
        clockTimestamp: NOW,
        issuer: ISS,
        audience: AUD,
        complete: true,
      })
      assert.deepEqual(r.payload, { ...claimsFor(alg), jti: payload.jti })
      assert.deepEqual(r.header, { alg, typ: 'JWT', kid: `kid-${alg}` })
      assert.throws(
        () => jsonwebtoken.verify(expired, Buffer.from(secretFor(alg)), { algorithms: [alg], clockTimestamp: NOW }),
        { name: 'TokenExpiredError' },
      )
    })
  }
})

describe('jwt-wasm tokens verify with PyJWT', () => {
  let results
  before(() => {
    const requests = []
    for (const alg of ALGS) {
      const base = { op: 'verify', alg, secret: b64u(secretFor(alg)), now: NOW }
      requests.push({ ...base, token: ours[alg].token, issuer: ISS, audience: AUD, require: ['exp', 'iat', 'jti'] })
      requests.push({ ...base, token: ours[alg].expired, issuer: ISS, audience: AUD })
      requests.push({ ...base, token: ours[alg].token, audience: AUD, secret: b64u(secretFor(alg).map((b) => b ^ 1)) })
      // PyJWT's clock is pinned too: the valid token is not yet valid 11 s before its iat.
      requests.push({ ...base, token: ours[alg].token, audience: AUD, now: NOW - 11 })
    }
    results = pyjwt(requests)
  })
  ALGS.forEach((alg, i) => {
    test(alg, () => {
      const [ok, expired, forged, early] = results.slice(i * 4, i * 4 + 4)
      assert.deepEqual(ok.payload, { ...claimsFor(alg), jti: ours[alg].payload.jti })
      assert.deepEqual(ok.header, { alg, typ: 'JWT', kid: `kid-${alg}` })
      assert.deepEqual(expired, { error: 'ExpiredSignatureError' })
      assert.deepEqual(forged, { error: 'InvalidSignatureError' })
      assert.deepEqual(early, { error: 'ImmatureSignatureError' })
    })
  })
})

// ---- the same verdicts as jose for the same token and policy -------------------------------

describe('jwt-wasm and jose reach the same verdict (code, claim, reason)', () => {
  const alg = 'HS256'
  const secret = secretFor(alg)
  const sign = (claims, header = { alg }) => new jose.SignJWT(claims).setProtectedHeader(header).sign(secret)
  const base = claimsFor(alg)
  const cases = [
    ['valid', () => sign(base), {}, NOW],
    ['expired at exp', () => sign(base), {}, NOW + 600],
    ['within clockTolerance after exp', () => sign(base), { clockTolerance: 30 }, NOW + 620],
    ['nbf in the future', () => sign({ ...base, nbf: NOW + 5 }), {}, NOW],
    ['issuer mismatch', () => sign(base), { issuer: 'https://other.example' }, NOW],
    ['audience in an array', () => sign({ ...base, aud: ['x', AUD] }), { audience: AUD }, NOW],
    ['audience mismatch', () => sign(base), { audience: 'other' }, NOW],
    ['subject mismatch', () => sign(base), { subject: 'someone' }, NOW],
    ['maxTokenAge exceeded', () => sign(base), { maxTokenAge: 5 }, NOW],
    ['typ mismatch', () => sign(base, { alg, typ: 'JWT' }), { typ: 'at+jwt' }, NOW],
    [
      'typ application/at+jwt matches at+jwt',
      () => sign(base, { alg, typ: 'at+jwt' }),
      { typ: 'application/at+jwt' },
      NOW,
    ],
    ['required claim missing', () => sign(base), { requiredClaims: ['exp', 'tenant'] }, NOW],
    ['wrong key', () => new jose.SignJWT(base).setProtectedHeader({ alg }).sign(secret.map((b) => b ^ 1)), {}, NOW],
    [
      'alg not allowed',
      () => new jose.SignJWT(base).setProtectedHeader({ alg: 'HS512' }).sign(secretFor('HS512')),
      {},
      NOW,
    ],
  ]
  const verdict = (e) => (e === undefined ? 'ok' : { code: e.code, claim: e.claim, reason: e.reason })

  for (const [name, mint, options, now] of cases) {
    test(name, async () => {
      const token = await mint()
      const at = new Date(now * 1000)
      let theirs
      try {
        await jose.jwtVerify(token, secret, { algorithms: [alg], audience: AUD, ...options, currentDate: at })
      } catch (e) {
        theirs = e
      }
      let mine
      try {
        new Verifier({ keys: [{ alg, secret }], algorithms: [alg], audience: AUD, ...options }).verify(token, {
          currentDate: at,
        })
      } catch (e) {
        assert.ok(e instanceof JwtError, `${e.name}: ${e.message}`)
        mine = e
      }
      assert.deepEqual(verdict(mine), verdict(theirs))
    })
  }
})
