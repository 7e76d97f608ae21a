// The demo's password hash, one rule shared by the Worker (worker.js) and the seed script
// (seed.mjs): PBKDF2-HMAC-SHA256 at OWASP's 600,000 iterations, 32 bytes, one WebCrypto call.
// Local workerd (`make demo`) computes it; deployed Cloudflare Workers refuse a PBKDF2 call above
// 100,000 iterations (NotSupportedError), so a deployed copy must either lower PBKDF2_ITERATIONS
// to 100,000 (below OWASP) and reseed, or hash elsewhere.
export const PBKDF2_ITERATIONS = 600_000

const enc = new TextEncoder()

/** @param {string} password @param {Uint8Array} salt @returns {Promise<Uint8Array>} */
export async function pbkdf2(password, salt) {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits'])
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS }
  return new Uint8Array(await crypto.subtle.deriveBits(params, key, 256))
}
