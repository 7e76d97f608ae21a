// Runs the RFC 8725 checklist cases (tests/vectors/rfc8725.json) against a `jwt-wasm` module and
// describes each outcome as plain JSON. Runtime-neutral (no Node, no DOM): the same file runs in
// Node (tests/js/core/rfc8725.test.mjs), bundled into a Worker on workerd
// (tests/js/workerd/rfc8725.test.mjs) and in a Chromium page (tests/e2e/rfc8725.e2e.mjs); the
// Node side compares the outcomes with the expectations (tests/js/support/rfc8725-check.mjs).

/** @param {string} hex */
function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** A key entry of a case → a key of `Verifier` (text secrets go in as strings, bytes as Uint8Array). */
function key(k) {
  const { secret, ...rest } = k
  if (secret === undefined) return rest
  if (typeof secret.utf8 === 'string') return { ...rest, secret: secret.utf8 }
  if (typeof secret.hex === 'string') return { ...rest, secret: hexBytes(secret.hex) }
  throw new Error('a case key secret is {utf8} or {hex}')
}

/** What an exception says, in the vocabulary of `expect`. */
function thrown(e, stage, JwtError) {
  return {
    stage,
    code: e?.code ?? null,
    claim: e?.claim ?? null,
    reason: e?.reason ?? null,
    name: e?.name ?? null,
    typeError: e instanceof TypeError,
    jwtError: e instanceof JwtError,
  }
}

/**
 * Runs one case: builds the Verifier from its keys and options, verifies its token at its `now`.
 * @param {{ Verifier: any, JwtError: any }} jwt the imported `jwt-wasm`
 * @param {any} c a case of rfc8725.json
 */
export function runCase(jwt, c) {
  let verifier
  try {
    verifier = new jwt.Verifier({ ...c.options, keys: c.keys.map(key) })
  } catch (e) {
    return thrown(e, 'construct', jwt.JwtError)
  }
  try {
    const { header, payload } = verifier.verify(c.token, { currentDate: new Date(c.now * 1000) })
    return { stage: 'verify', ok: true, header, payload }
  } catch (e) {
    return thrown(e, 'verify', jwt.JwtError)
  } finally {
    verifier.free()
  }
}

/**
 * Runs every case of the document that applies to JavaScript; the outcomes keyed by case name.
 * @param {{ Verifier: any, JwtError: any }} jwt
 * @param {any} doc rfc8725.json
 */
export function runAll(jwt, doc) {
  /** @type {Record<string, any>} */
  const out = {}
  for (const row of doc.rows) for (const c of row.cases) out[c.name] = runCase(jwt, c)
  return out
}
