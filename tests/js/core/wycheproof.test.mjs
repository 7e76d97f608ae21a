// Every HS256/384/512 case of Wycheproof's json_web_signature_test.json (tests/vectors/wycheproof/,
// C2SP/wycheproof at dac1dd47, Apache-2.0) through the JS `Verifier` of the installed package, each
// named by file and tcId. tests/wycheproof.rs runs the same cases natively with the same decisions.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Verifier, JwtError } from 'jwt-wasm'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
const FILE = 'json_web_signature_test.json'
const doc = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'wycheproof', FILE), 'utf8'))

// A fixed time: no case carries a claims set, so the policy is never reached.
const currentDate = new Date(1_700_000_000_000)

// The cases whose jwt-wasm outcome differs from a plain reading of `result` (valid → verifies,
// invalid → refused before the signature is accepted), with the code jwt-wasm answers and why.
// An `acceptable` case must be listed too (none is an HS case at this commit). Same list as Rust.
const DECISIONS = new Map([
  // `valid` JWS whose payload is not a JWT Claims Set (RFC 7519 §7.2 step 10): the MAC verifies,
  // the payload step refuses.
  [1, ['ERR_JWT_INVALID', 'payload `foo` is not a JSON object']],
  [348, ['ERR_JWT_INVALID', "payload is RFC 7520 §4.4's text, not a JSON object"]],
  [352, ['ERR_JWT_INVALID', "payload is RFC 7520 §4.4's text, not a JSON object"]],
  [357, ['ERR_JWT_INVALID', 'payload `Test` is not a JSON object']],
  [358, ['ERR_JWT_INVALID', 'payload `T21325668` is not a JSON object']],
  [359, ['ERR_JWT_INVALID', 'payload `T8123413` is not a JSON object']],
  [376, ['ERR_JWT_INVALID', "payload `Test` is not a JSON object (the header's spaces are fine)"]],
  [377, ['ERR_JWT_INVALID', "payload `Test` is not a JSON object (the header's tab and LF are fine)"]],
  // `valid` in Wycheproof, refused on purpose: strict base64url (RFC 7515 §2, RFC 4648 §5).
  [372, ['ERR_JWS_INVALID', '`?` inserted in the header segment: not base64url']],
  [373, ['ERR_JWS_INVALID', '`?` appended to the payload segment: not base64url']],
  // `invalid` in Wycheproof, but byte for byte tcId 357's token: the MAC verifies.
  [367, ['ERR_JWT_INVALID', 'same token as tcId 357 (no padding in the data); payload not JSON']],
  [370, ['ERR_JWT_INVALID', 'same token as tcId 357 (no padding in the data); payload not JSON']],
])

const b64 = (s) => new Uint8Array(Buffer.from(s, 'base64url'))

/** The header `alg` of a compact token, when its first segment decodes to JSON. */
function headerAlg(jws) {
  if (typeof jws !== 'string') return undefined
  const first = jws.split('.')[0]
  if (!/^[A-Za-z0-9_-]*$/.test(first)) return undefined
  try {
    return JSON.parse(Buffer.from(first, 'base64url').toString('utf8'))?.alg
  } catch {
    return undefined
  }
}

/** The key entry a case runs with: the group's `oct` JWK; in an EC group (the symmetric /
 * asymmetric confusion case) the public point 04‖x‖y as HMAC bytes, as tests/wycheproof.rs does. */
function keyOf(group) {
  const jwk = group.private ?? group.public
  if (jwk.kty === 'oct') return { kid: jwk.kid, alg: jwk.alg, secret: b64(jwk.k) }
  if (jwk.kty === 'EC') return { kid: jwk.kid, alg: 'HS256', secret: new Uint8Array([4, ...b64(jwk.x), ...b64(jwk.y)]) }
  throw new Error(`an HS case in a group of kty ${jwk.kty}: decide how to run it`)
}

const cases = []
for (const group of doc.testGroups) {
  const hsGroup = (group.private ?? group.public).kty === 'oct'
  for (const t of group.tests) {
    if (hsGroup || headerAlg(t.jws)?.startsWith('HS')) cases.push({ group, t })
  }
}

const counts = new Map()
const bump = (k) => counts.set(k, (counts.get(k) ?? 0) + 1)

for (const { group, t } of cases) {
  test(`${FILE} tcId ${t.tcId} (${t.comment}): ${t.result}`, () => {
    bump(t.result)
    const key = keyOf(group)
    const verifier = new Verifier({ keys: [key], algorithms: [key.alg] })
    // A JSON serialization is not a string token; it goes in as its JSON text.
    const token = typeof t.jws === 'string' ? t.jws : JSON.stringify(t.jws)
    let code = 'verified'
    try {
      verifier.verify(token, { currentDate })
    } catch (e) {
      assert.ok(e instanceof JwtError, `expected a JwtError, got ${e?.name}: ${e?.message}`)
      code = e.code
    } finally {
      verifier.free()
    }
    const decision = DECISIONS.get(t.tcId)
    if (decision) {
      const [want, why] = decision
      assert.equal(code, want, `decided ${want} (${why})`)
      if (want === 'ERR_JWT_INVALID') {
        // Reached only after the MAC; check the MAC alone with node:crypto too.
        const dot = token.lastIndexOf('.')
        const mac = createHmac(key.alg.replace('HS', 'sha'), key.secret).update(token.slice(0, dot)).digest()
        assert.ok(mac.equals(Buffer.from(token.slice(dot + 1), 'base64url')), 'the MAC should verify')
      }
      bump(`${t.result}, decided: ${want}`)
      return
    }
    assert.notEqual(t.result, 'acceptable', 'an acceptable case needs a decision in DECISIONS')
    if (t.result === 'valid') {
      assert.equal(code, 'verified', 'a valid case was refused')
    } else {
      assert.ok(
        code !== 'verified' && code !== 'ERR_JWT_INVALID',
        `an invalid case must be refused before its signature is accepted, got ${code}`,
      )
      bump(`invalid, refused: ${code}`)
    }
  })
}

test(`${FILE}: the HS cases by outcome, and every decision names a case that ran`, () => {
  const ran = new Set(cases.map(({ t }) => t.tcId))
  for (const id of DECISIONS.keys()) assert.ok(ran.has(id), `tcId ${id} is decided but was not run`)
  assert.deepEqual(
    Object.fromEntries([...counts].sort()),
    Object.fromEntries(
      [
        ['valid', 10],
        ['invalid', 31],
        ['valid, decided: ERR_JWT_INVALID', 8],
        ['valid, decided: ERR_JWS_INVALID', 2],
        ['invalid, decided: ERR_JWT_INVALID', 2],
        ['invalid, refused: ERR_JWS_INVALID', 23],
        ['invalid, refused: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 4],
        ['invalid, refused: ERR_JOSE_ALG_NOT_ALLOWED', 1],
        ['invalid, refused: ERR_JWKS_NO_MATCHING_KEY', 1],
      ].sort(),
    ),
  )
})
