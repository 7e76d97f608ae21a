// Runs JWE cases through every content-decryption path of a `Decrypter`: `decrypt` (wasm),
// `decryptAsync` with `cipher: 'wasm'`, and `decryptAsync` with `cipher: 'webcrypto'`
// (src/js/jwe-webcrypto.js), and describes each outcome as plain JSON. Runtime-neutral (no Node,
// no DOM): the same file runs in Node (tests/js/core/jwe-paths.test.mjs), bundled into a Worker
// on workerd (tests/js/workerd/jwe-paths.test.mjs) and in Chromium (tests/e2e/jwe.e2e.mjs). The
// cases come from tests/js/support/jwe-paths-cases.mjs: `{ name, key: { alg, enc?, hex }, token,
// now, expect }`.

/** @param {string} hex */
export function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** The inner tokens' HMAC key (jwe-paths-cases.mjs signs with it). */
export const HS = { alg: 'HS256', kid: 'hs1', secret: new Uint8Array(32).fill(3) }
export const PATHS = ['sync', 'wasm', 'webcrypto']

/**
 * One case on one path: where it stopped (`construct`, `decrypt`) and what it said.
 * @param {{ Decrypter: any, JwtError: any }} jwe the imported `jwt-wasm/jwe`
 * @param {any} c
 * @param {string} path 'sync' (`decrypt`), or the `cipher` of `decryptAsync`
 */
export async function runOn(jwe, c, path) {
  const said = (/** @type {any} */ e, /** @type {string} */ stage) => ({
    stage,
    code: e?.code ?? null,
    name: e?.name ?? null,
    message: e?.message ?? null,
    claim: e?.claim ?? null,
    jwtError: e instanceof jwe.JwtError,
  })
  const { hex, ...key } = c.key
  let d
  try {
    d = new jwe.Decrypter({
      keys: [{ ...key, secret: hexBytes(hex) }],
      algorithms: [key.alg],
      encryptions: ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512'],
      verifier: { keys: [HS], algorithms: ['HS256'] },
      cipher: path === 'sync' ? 'auto' : path,
    })
  } catch (e) {
    return said(e, 'construct')
  }
  const at = { currentDate: new Date(c.now * 1000) }
  try {
    const { protectedHeader, header, payload } =
      path === 'sync' ? d.decrypt(c.token, at) : await d.decryptAsync(c.token, at)
    return { stage: 'decrypt', ok: true, protectedHeader, header, payload }
  } catch (e) {
    return said(e, 'decrypt')
  } finally {
    d.free()
  }
}

/**
 * Every case on every path, in order.
 * @param {{ Decrypter: any, JwtError: any }} jwe
 * @param {any[]} cases
 */
export async function runPaths(jwe, cases) {
  const out = []
  for (const c of cases) {
    const o = { name: c.name }
    for (const path of PATHS) o[path] = await runOn(jwe, c, path)
    out.push(o)
  }
  return out
}

/**
 * Many decrypts in flight at once on one Decrypter per key (they interleave across WebCrypto's
 * awaits, so each must stand on its own token): each outcome, in the cases' order.
 * @param {{ Decrypter: any, JwtError: any }} jwe
 * @param {any[]} cases of one key
 */
export async function runInterleaved(jwe, cases) {
  const { hex, ...key } = cases[0].key
  const d = new jwe.Decrypter({
    keys: [{ ...key, secret: hexBytes(hex) }],
    algorithms: [key.alg],
    encryptions: ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512'],
    verifier: { keys: [HS], algorithms: ['HS256'] },
    cipher: 'webcrypto',
  })
  try {
    const all = cases.map((c) => d.decryptAsync(c.token, { currentDate: new Date(c.now * 1000) }))
    return (await Promise.allSettled(all)).map((r) =>
      r.status === 'fulfilled' ? { ok: true, sub: r.value.payload.sub } : { code: r.reason?.code ?? String(r.reason) },
    )
  } finally {
    d.free()
  }
}
