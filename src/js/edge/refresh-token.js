// @ts-check
/**
 * The refresh-token format of `authRoutes`, pure: `<familyId>.<secret>`, a 128-bit family id and
 * a 256-bit secret, both base64url (22 and 43 characters). Stores keep only `secretHash(secret)`
 * (base64url SHA-256). A successor is derived, not drawn:
 *
 *     successor = base64url(HMAC-SHA256(refreshSecret, familyId + '.' + predecessorSecret))
 *
 * so a retry of the predecessor inside the grace window is answered with the same successor
 * without the store ever holding a raw token. Nothing here reads a request, a clock or a store.
 */
import { hmacSha256, sha256 } from '../internal/hmac.js'

/** 16 bytes of family id (22 base64url characters), 32 bytes of secret (43 characters). */
export const FAMILY_BYTES = 16
export const SECRET_BYTES = 32
export const REFRESH_TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

/** @typedef {{ familyId: string, secret: string }} RefreshToken */

/**
 * A new family's first token.
 * @param {(bytes: number) => string} randomId `n` random bytes as base64url
 * @returns {RefreshToken}
 */
export const firstToken = (randomId) => ({ familyId: randomId(FAMILY_BYTES), secret: randomId(SECRET_BYTES) })

/**
 * The cookie value of a token.
 * @param {RefreshToken} token
 */
export const formatToken = ({ familyId, secret }) => `${familyId}.${secret}`

/**
 * A cookie value split into family id and secret; undefined when it is not a token.
 * @param {string} value
 * @returns {RefreshToken | undefined}
 */
export function parseToken(value) {
  const m = REFRESH_TOKEN.exec(value)
  return m ? { familyId: m[1], secret: m[2] } : undefined
}

/**
 * The token that succeeds `token` in its family.
 * @param {Uint8Array<ArrayBuffer>} refreshSecret
 * @param {RefreshToken} token
 * @returns {Promise<RefreshToken>}
 */
export async function successor(refreshSecret, token) {
  return { familyId: token.familyId, secret: await hmacSha256(refreshSecret, formatToken(token)) }
}

/**
 * What a store keeps of a secret: base64url(SHA-256(secret)).
 * @param {string} secret
 * @returns {Promise<string>}
 */
export const secretHash = (secret) => sha256(secret)
