// The trap scenario, shared by Node (core/trap.test.mjs), Chromium (browser/trap.test.mjs, in a
// page and in a dedicated worker) and nothing else: plain JS with no Node imports. It drives the
// test-only build `jwt-wasm-trap` (`make pkg-trap`), whose engine traps on two marker tokens
// (src/trap.rs), and returns the list of failed checks (empty when the trap was survived).
//
// After each trap: the call that trapped threw `ERR_WASM_TRAPPED` with the trap as `cause`; the
// same Verifier, a Signer made before the trap, a new Verifier, `decodeUnverified` and `inspect`
// all answer correctly, and every option replayed on the fresh instance is still enforced
// (audience, issuer, the key ring: a forgery, a wrong audience and an expired token are refused).
// Each trap is followed by a different first user of the fresh instance.

export const UNREACHABLE = 'jwt-wasm-test-trap.unreachable'
export const STACK = 'jwt-wasm-test-trap.stack-overflow'
const NOW = 1_767_225_600
const SECRET = 'trap-scenario-secret-0123456789-abcdef'
const FORGER = 'trap-scenario-forger-0123456789-abcdef'

/**
 * @param {any} J the namespace of `jwt-wasm-trap`
 * @param {{ marker: string, cause: string }[]} traps the markers to trap with, and the `name` of the error each must cause
 * @returns {string[]} the failed checks
 */
export function runTrapScenario(J, traps) {
  const failed = []
  const expect = (ok, what) => {
    if (!ok) failed.push(what)
  }
  const attempt = (f) => {
    try {
      return { value: f() }
    } catch (error) {
      return { error }
    }
  }
  const at = { currentDate: new Date(NOW * 1000) }
  const later = { currentDate: new Date((NOW + 601) * 1000) }
  const key = { kid: 'k1', alg: 'HS256', secret: SECRET }
  const policy = { keys: [key], algorithms: ['HS256'], audience: 'api', issuer: 'https://issuer.example' }
  const claims = { sub: 'u1', aud: 'api', iss: 'https://issuer.example' }
  const signer = new J.Signer({ key, ttl: 600 })
  const forger = new J.Signer({ key: { kid: 'k1', alg: 'HS256', secret: FORGER }, ttl: 600 })
  const verifier = new J.Verifier(policy)
  const good = signer.sign(claims, at)
  const forged = forger.sign(claims, at)
  const wrongAudience = signer.sign({ ...claims, aud: 'other' }, at)

  /** Every answer the package gives, checked; `label` says after which trap. */
  const answersCorrectly = (label, v) => {
    const ok = attempt(() => v.verify(good, at))
    expect(ok.value?.payload?.sub === 'u1', `${label}: a valid token verifies (${ok.error})`)
    expect(
      attempt(() => v.verify(forged, at)).error?.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      `${label}: a forgery is refused`,
    )
    const aud = attempt(() => v.verify(wrongAudience, at)).error
    expect(
      aud?.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && aud.claim === 'aud',
      `${label}: the audience is still enforced`,
    )
    expect(attempt(() => v.verify(good, later)).error?.code === 'ERR_JWT_EXPIRED', `${label}: expiry still enforced`)
  }
  const signs = (label) => {
    const t = attempt(() => signer.sign(claims, at))
    expect(
      attempt(() => verifier.verify(t.value, at)).value?.payload?.sub === 'u1',
      `${label}: the Signer signs (${t.error})`,
    )
  }
  const reads = (label) => {
    const d = attempt(() => J.decodeUnverified(good))
    expect(d.value?.payload?.sub === 'u1', `${label}: decodeUnverified reads (${d.error})`)
    const i = attempt(() => J.inspect(good, at))
    expect(i.value?.expiresIn === 600 && i.value?.payload?.sub === 'u1', `${label}: inspect reads (${i.error})`)
    expect(attempt(() => J.decodeUnverified('a.b')).error?.code === 'ERR_JWS_INVALID', `${label}: decode still refuses`)
  }
  const firstUsers = [(label) => answersCorrectly(label, verifier), (label) => signs(label), (label) => reads(label)]

  answersCorrectly('before any trap', verifier)
  let round = 0
  for (const { marker, cause } of traps) {
    for (const first of firstUsers) {
      round++
      const label = `trap ${round} (${marker})`
      const e = attempt(() => verifier.verify(marker, at)).error
      expect(e instanceof J.JwtError, `${label}: the call that trapped throws a JwtError (got ${e})`)
      expect(e?.code === 'ERR_WASM_TRAPPED', `${label}: its code is ERR_WASM_TRAPPED (got ${e?.code})`)
      expect(e?.cause?.name === cause, `${label}: its cause is the ${cause} (got ${e?.cause})`)
      first(label)
      answersCorrectly(label, verifier)
      signs(label)
      reads(label)
      answersCorrectly(`${label}, a new Verifier`, new J.Verifier(policy))
    }
  }
  return failed
}
