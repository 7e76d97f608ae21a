// Every case of Wycheproof's json_web_signature_test.json (tests/vectors/wycheproof/, C2SP/wycheproof
// at dac1dd47, Apache-2.0) through PublicKeyVerifier.verifyAsync of the installed package (Node:
// node:crypto checks the signature), each named by tcId. The HMAC groups (kty oct) are refused as
// a public key set, by design (their tokens run through Verifier in tests/js/core/wycheproof.test.mjs);
// every other case gets the group's public JWK and the allowlist of its algorithm.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey, verify, constants } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PublicKeyVerifier, JwtError } from 'jwt-wasm/keys'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
const FILE = 'json_web_signature_test.json'
const doc = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'wycheproof', FILE), 'utf8'))
const now = new Date(1_700_000_000_000) // no case carries a claims set: the policy is never reached
const PK = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519']

// The cases whose outcome differs from a plain reading of `result` (valid → verifies; invalid →
// refused before its signature is accepted), with the code jwt-wasm answers and why. An
// `acceptable` case would need a line here too (there is none in this file).
const NOT_JSON = 'a valid signature over a payload that is not a JWT claims set (RFC 7519 §7.2 step 10)'
const DECISIONS = new Map([
  [18, ['ERR_JWT_INVALID', `${NOT_JSON}: \`foo\``]],
  [33, ['ERR_JWT_INVALID', `${NOT_JSON}: \`foo\``]],
  [260, ['ERR_JWT_INVALID', `${NOT_JSON}: zero bytes`]],
  [261, ['ERR_JWT_INVALID', `${NOT_JSON}: \`a\``]],
  [262, ['ERR_JWT_INVALID', `${NOT_JSON}: \`Test\``]],
  [263, ['ERR_JWT_INVALID', `${NOT_JSON}: bytes that are not UTF-8 JSON`]],
  [265, ['ERR_JWT_INVALID', `${NOT_JSON}: zero bytes`]],
  [266, ['ERR_JWT_INVALID', `${NOT_JSON}: \`a\``]],
  [267, ['ERR_JWT_INVALID', `${NOT_JSON}: bytes that are not UTF-8 JSON`]],
  [269, ['ERR_JWT_INVALID', `${NOT_JSON}: zero bytes`]],
  [270, ['ERR_JWT_INVALID', `${NOT_JSON}: \`a\``]],
  [271, ['ERR_JWT_INVALID', `${NOT_JSON}: bytes that are not UTF-8 JSON`]],
  [273, ['ERR_JWT_INVALID', `${NOT_JSON}: zero bytes`]],
  [274, ['ERR_JWT_INVALID', `${NOT_JSON}: \`a\``]],
  [275, ['ERR_JWT_INVALID', `${NOT_JSON}: bytes that are not UTF-8 JSON`]],
  [287, ['ERR_JWT_INVALID', `${NOT_JSON}: \`123400\``]],
  [288, ['ERR_JWT_INVALID', `${NOT_JSON}: \`123400\``]],
  [321, ['ERR_JWT_INVALID', `${NOT_JSON}: zero bytes`]],
  [322, ['ERR_JWT_INVALID', `${NOT_JSON}: \`a\``]],
  [323, ['ERR_JWT_INVALID', `${NOT_JSON}: bytes that are not UTF-8 JSON`]],
  [326, ['ERR_JWT_INVALID', `${NOT_JSON}: zero bytes`]],
  [327, ['ERR_JWT_INVALID', `${NOT_JSON}: \`a\``]],
  [328, ['ERR_JWT_INVALID', `${NOT_JSON}: bytes that are not UTF-8 JSON`]],
  [345, ['ERR_JWT_INVALID', `${NOT_JSON}: RFC 7520 §4.1's text`]],
  [349, ['ERR_JWT_INVALID', `${NOT_JSON}: RFC 7520 §4.1's text (its key with key_ops)`]],
  [378, ['ERR_JWT_INVALID', `${NOT_JSON}: \`foo\``]],
  // A `valid` JWS whose payload segment is empty: refused at step 1 (three non-empty segments; a
  // JWT always has a claims set), as the HMAC Verifier does.
  ...[259, 264, 268, 272, 320, 325].map((id) => [id, ['ERR_JWS_INVALID', 'the payload segment is empty']]),
  // RFC 7520 §4.2 signs with PS384, but Wycheproof's JWK for it says "alg": "PS256": a key is
  // bound to its alg, so the token is refused (tests/js/keys/rfc.test.mjs verifies §4.2 with the
  // key's alg left out).
  [346, ['ERR_JOSE_ALG_NOT_ALLOWED', 'the JWK is bound to PS256, the token is PS384']],
  [350, ['ERR_JOSE_ALG_NOT_ALLOWED', 'the JWK is bound to PS256, the token is PS384 (its key with key_ops)']],
  // ES512 (P-521) is not among the algorithms jwt-wasm/keys verifies: its key is skipped, its alg
  // outside any allowlist it can be given.
  [347, ['ERR_JOSE_ALG_NOT_ALLOWED', 'RFC 7520 §4.3 is ES512 (P-521), which jwt-wasm/keys does not verify']],
  [351, ['ERR_JOSE_ALG_NOT_ALLOWED', 'RFC 7520 §4.3 is ES512 (P-521), which jwt-wasm/keys does not verify']],
])

const b64 = (s) => Buffer.from(s, 'base64url')
const headerOf = (jws) => {
  try {
    return JSON.parse(b64(jws.split('.')[0]).toString('utf8'))
  } catch {
    return undefined
  }
}

/** The allowlist a group runs with: its key's alg, else the algorithm its comment names. */
function algorithmsOf(group) {
  const jwk = group.public
  if (PK.includes(jwk.alg)) return [jwk.alg]
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return ['ES256']
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return ['ES384']
  const named = group.comment.toUpperCase()
  if (PK.includes(named)) return [named]
  // rfc7520's ES512 and the RSA encryption keys: the header alg if we verify it, else ES384 (the
  // token's alg is then outside the allowlist).
  const alg = group.tests.map((t) => headerOf(t.jws)?.alg).find((a) => PK.includes(a))
  return [alg ?? 'ES384']
}

/** The signature of a `valid` case decided ERR_JWT_INVALID, checked by node:crypto alone. */
function signatureVerifies(jwk, jws) {
  const [h, , s] = jws.split('.')
  const alg = headerOf(jws).alg
  const key = createPublicKey({ key: jwk, format: 'jwk' })
  const hash = `sha${alg.slice(2)}`
  const input = Buffer.from(jws.slice(0, jws.lastIndexOf('.')))
  const options = alg.startsWith('PS')
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: +alg.slice(2) / 8 }
    : alg.startsWith('ES')
      ? { key, dsaEncoding: 'ieee-p1363' }
      : { key }
  void h
  return verify(hash, input, options, b64(s))
}

const counts = new Map()
const bump = (k) => counts.set(k, (counts.get(k) ?? 0) + 1)
let ran = 0

for (const group of doc.testGroups) {
  const oct = (group.private ?? group.public).kty === 'oct'
  for (const t of group.tests) {
    test(`${FILE} tcId ${t.tcId} (${group.comment}: ${t.comment}): ${t.result}`, async () => {
      ran++
      if (oct) {
        // An HMAC key in a public key set is the RS256 → HS256 confusion's door: refused.
        const { kid, kty, k, alg } = group.private
        assert.throws(
          () => new PublicKeyVerifier({ keys: [{ kid, kty, k, alg }], algorithms: ['RS256'] }),
          (e) => e.code === 'ERR_JWK_INVALID' && e.problem === 'oct',
        )
        bump(`${t.result}, hmac group: refused as a public key set`)
        return
      }
      const jws = typeof t.jws === 'string' ? t.jws : JSON.stringify(t.jws)
      let code = 'verified'
      let verifier
      try {
        verifier = new PublicKeyVerifier({ keys: [group.public], algorithms: algorithmsOf(group) })
        await verifier.verifyAsync(jws, { now })
      } catch (e) {
        assert.ok(e instanceof JwtError, `expected a JwtError, got ${e?.name}: ${e?.message}`)
        code = e.code
      } finally {
        verifier?.free()
      }
      const decision = DECISIONS.get(t.tcId)
      if (decision) {
        const [want, why] = decision
        assert.equal(code, want, `decided ${want} (${why})`)
        if (want === 'ERR_JWT_INVALID') assert.ok(signatureVerifies(group.public, jws), 'node:crypto verifies it too')
        bump(`${t.result}, decided: ${want}`)
        return
      }
      assert.notEqual(t.result, 'acceptable', 'an acceptable case needs a decision in DECISIONS')
      if (t.result === 'valid') assert.equal(code, 'verified', 'a valid case was refused')
      else {
        assert.ok(
          code !== 'verified' && code !== 'ERR_JWT_INVALID',
          `an invalid case must be refused before its signature is accepted, got ${code}`,
        )
        bump(`invalid, refused: ${code}`)
      }
    })
  }
}

test(`${FILE}: every case ran, by outcome, and every decision names a case`, () => {
  assert.equal(ran, doc.numberOfTests)
  const ids = new Set(doc.testGroups.flatMap((g) => g.tests.map((t) => t.tcId)))
  for (const id of DECISIONS.keys()) assert.ok(ids.has(id), `tcId ${id} is decided but not in the file`)
  assert.deepEqual(Object.fromEntries([...counts].sort()), EXPECTED)
})

const EXPECTED = {
  'invalid, hmac group: refused as a public key set': 30,
  'invalid, refused: ERR_JOSE_ALG_NOT_ALLOWED': 10,
  'invalid, refused: ERR_JWKS_NO_MATCHING_KEY': 4,
  'invalid, refused: ERR_JWK_INVALID': 2,
  'invalid, refused: ERR_JWS_INVALID': 16,
  'invalid, refused: ERR_JWS_SIGNATURE_VERIFICATION_FAILED': 293,
  'valid, decided: ERR_JOSE_ALG_NOT_ALLOWED': 4,
  'valid, decided: ERR_JWS_INVALID': 6,
  'valid, decided: ERR_JWT_INVALID': 26,
  'valid, hmac group: refused as a public key set': 10,
}
