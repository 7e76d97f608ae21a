// The demo's password hash, one rule shared by the Worker (worker.js) and the seed script
// (seed.mjs): PBKDF2-HMAC-SHA256 at 100,000 iterations, 32 bytes, one WebCrypto call. 100,000
// is the most deployed Cloudflare Workers allow (a higher count is a NotSupportedError there,
// though local workerd computes it), so the demo runs the same deployed as under `make demo`.
// OWASP asks 600,000 for PBKDF2-HMAC-SHA256: a site that needs that hashes outside the Worker.
export const PBKDF2_ITERATIONS = 100_000

const enc = new TextEncoder()

/** @param {string} password @param {Uint8Array} salt @returns {Promise<Uint8Array>} */
export async function pbkdf2(password, salt) {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits'])
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS }
  return new Uint8Array(await crypto.subtle.deriveBits(params, key, 256))
}
