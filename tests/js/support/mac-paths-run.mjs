// Runs cases through both MAC paths of `Verifier` (`mac: 'wasm'` and `mac: 'native'`,
// src/js/native-mac.js) and describes each outcome as plain JSON. Runtime-neutral (no Node, no
// DOM): the same file runs in Node (tests/js/core/native-mac.test.mjs) and bundled into a Worker
// on workerd with nodejs_compat (tests/js/workerd/native-mac.test.mjs). The cases come from
// tests/js/support/mac-paths-cases.mjs: `{ name, keys: [{ kid?, alg, issuer?, hex | utf8 }],
// options, token, now }`.

/** @param {string} hex */
function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** A case key → a key of `Verifier`. @param {any} k */
function key(k) {
  const { hex, utf8, ...rest } = k
  if (typeof utf8 === 'string') return { ...rest, secret: utf8 }
  if (typeof hex === 'string') return { ...rest, secret: hexBytes(hex) }
  return rest
}

/**
 * One case on one path: where it stopped (`construct`, `verify`) and what it said.
 * @param {{ Verifier: any, JwtError: any }} jwt the imported `jwt-wasm`
 * @param {any} c
 * @param {'wasm' | 'native' | undefined} mac (undefined: the option left out, the default)
 */
export function runOn(jwt, c, mac) {
  const said = (/** @type {any} */ e, /** @type {string} */ stage) => ({
    stage,
    code: e?.code ?? null,
    claim: e?.claim ?? null,
    reason: e?.reason ?? null,
    name: e?.name ?? null,
    payload: e?.payload ?? null,
    jwtError: e instanceof jwt.JwtError,
  })
  let verifier
  try {
    const options = { ...c.options, keys: c.keys.map(key) }
    verifier = new jwt.Verifier(mac === undefined ? options : { ...options, mac })
  } catch (e) {
    return said(e, 'construct')
  }
  try {
    const { header, payload } = verifier.verify(c.token, { currentDate: new Date(c.now * 1000) })
    return { stage: 'verify', ok: true, header, payload }
  } catch (e) {
    return said(e, 'verify')
  } finally {
    verifier.free()
  }
}

/**
 * Every case on both paths, in order.
 * @param {{ Verifier: any, JwtError: any }} jwt
 * @param {any[]} cases
 */
export function runPaths(jwt, cases) {
  return cases.map((c) => ({ name: c.name, wasm: runOn(jwt, c, 'wasm'), native: runOn(jwt, c, 'native') }))
}
