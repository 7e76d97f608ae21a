// Wycheproof's primitive files for the public-key algorithms (tests/vectors/wycheproof/, C2SP/
// wycheproof at dac1dd47, Apache-2.0): ECDSA P-256 and P-384 in the P1363 (r‖s) form JWS uses,
// Ed25519, RSASSA-PKCS1-v1_5 2048/SHA-256 and RSA-PSS 2048/SHA-256/MGF1/salt 32, every case by
// tcId, through the very path PublicKeyVerifier takes: the group's JWK read by the core (a Ring of
// the installed package), the case's signature put in a token and judged by pk_verify_begin (its
// length; ECDSA r and s in [1, n-1]), then the runtime's check over the case's message with the
// key imported once per group (node:crypto here; WebCrypto in tests/js/workerd/keys.test.mjs and
// tests/e2e/keys.e2e.mjs). valid → accepted, invalid → refused; `acceptable` is decided below.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import 'jwt-wasm/keys'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
import { ringOf } from './signing.mjs'

// [file, the JWS algorithm, the group's JWK, the counts by outcome (which side refused)]
const FILES = [
  [
    'ecdsa_secp256r1_sha256_p1363_test.json',
    'ES256',
    (g) => g.publicKeyJwk ?? ecJwk(g.publicKey, 'P-256'),
    { 'invalid: refused by the core': 71, 'invalid: refused by the runtime': 18, 'valid: accepted': 173 },
  ],
  [
    'ecdsa_secp384r1_sha384_p1363_test.json',
    'ES384',
    (g) => g.publicKeyJwk ?? ecJwk(g.publicKey, 'P-384'),
    { 'invalid: refused by the core': 69, 'invalid: refused by the runtime': 18, 'valid: accepted': 193 },
  ],
  [
    'ed25519_test.json',
    'EdDSA',
    (g) => g.publicKeyJwk,
    { 'invalid: refused by the core': 29, 'invalid: refused by the runtime': 34, 'valid: accepted': 88 },
  ],
  [
    'rsa_signature_2048_sha256_test.json',
    'RS256',
    (g) => g.keyJwk,
    {
      'acceptable: refused by the runtime': 1,
      'invalid: refused by the core': 7,
      'invalid: refused by the runtime': 242,
      'valid: accepted': 9,
    },
  ],
  [
    'rsa_pss_2048_sha256_mgf1_32_test.json',
    'PS256',
    (g) => g.publicKeyJwk,
    { 'invalid: refused by the core': 6, 'invalid: refused by the runtime': 39, 'valid: accepted': 63 },
  ],
]
// `acceptable` cases: decided, by flag.
const DECIDED = {
  // PKCS#1 v1.5's DigestInfo without the NULL parameters (RFC 8017 §9.2 note 2 allows a
  // verifier to accept it): the runtime decides; jwt-wasm keeps its answer, listed here.
  'rsa_signature_2048_sha256_test.json': { MissingNull: 'refused' },
}

const b64 = (v) => Buffer.from(v).toString('base64url')

/** The JWK of a group that gives only its point (`uncompressed`: 04 ‖ x ‖ y, hex). */
function ecJwk(publicKey, crv) {
  const point = Buffer.from(publicKey.uncompressed, 'hex')
  const n = (point.length - 1) / 2
  return { kty: 'EC', crv, x: b64(point.subarray(1, 1 + n)), y: b64(point.subarray(1 + n)) }
}
const now = 1_700_000_000

for (const [file, alg, jwkOf, expected] of FILES) {
  const doc = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'wycheproof', file), 'utf8'))
  const counts = new Map()
  const bump = (k) => counts.set(k, (counts.get(k) ?? 0) + 1)
  let ran = 0
  for (const [gi, group] of doc.testGroups.entries()) {
    const { kid, ...jwk } = jwkOf(group)
    void kid
    const ring = ringOf({ keys: [{ ...jwk, alg }] }, alg, `${file} group ${gi}`)
    const header = b64(JSON.stringify({ alg }))
    for (const t of group.tests) {
      test(`${file} tcId ${t.tcId} (${t.comment || t.flags.join(', ')}): ${t.result}`, async () => {
        ran++
        const sig = Buffer.from(t.sig, 'hex')
        const token = `${header}.${b64('{}')}.${b64(sig)}`
        const [key, data, signature, error] = ring.begin(token, now)
        // Phase 1 hands back the signing input and the raw signature, copied from the core.
        if (!error) {
          assert.deepEqual(data, new TextEncoder().encode(token.slice(0, token.lastIndexOf('.'))))
          assert.deepEqual(signature, new Uint8Array(sig))
        }
        let verdict
        if (error) {
          assert.equal(
            error.code,
            'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
            'the core refuses a signature of the wrong form',
          )
          verdict = 'refused by the core'
        } else
          verdict = (await ring.verify(key, Buffer.from(t.msg, 'hex'), sig)) ? 'accepted' : 'refused by the runtime'
        const accepted = verdict === 'accepted'
        if (t.result === 'acceptable') {
          const flag = t.flags.find((f) => DECIDED[file]?.[f])
          assert.ok(flag, `an acceptable case needs a decision (flags ${t.flags.join(', ')})`)
          assert.equal(accepted ? 'accepted' : 'refused', DECIDED[file][flag], `decided: ${flag}`)
        } else assert.equal(accepted, t.result === 'valid', `${t.result}, but ${verdict}`)
        bump(`${t.result}: ${verdict}`)
      })
    }
  }
  test(`${file}: every case ran, by outcome`, () => {
    assert.equal(ran, doc.numberOfTests)
    assert.deepEqual(Object.fromEntries([...counts].sort()), expected)
  })
}
