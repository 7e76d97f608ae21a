// @ts-check
/**
 * The refresh-token format of `authRoutes`, pure: `<familyId>.<secret>`, a 128-bit family id
 * (22 base64url characters) and a 43-character secret made of a 126-bit chain value and a tag:
 *
 *     secret    = chain (21 characters) + tag (22 characters)
 *     tag       = first 22 characters of base64url(HMAC-SHA256(refreshSecret, "rt-tag\0" + familyId + "." + chain))
 *     first     = 21 random characters
 *     successor = first 21 characters of base64url(HMAC-SHA256(refreshSecret, "rt-next\0" + familyId + "." + predecessorSecret))
 *
 * The tag proves, without any store, that authRoutes issued this secret for this family id: a
 * forged family id or a guessed secret is refused before a store is touched (nothing started,
 * nothing written), and a secret with a good tag that is no longer current is one of the
 * family's own, spent (reuse), never a stranger's. The successor is derived, not drawn, so a
 * retry of the predecessor inside the grace window gets the same successor without the store
 * holding a raw token. Stores keep only `secretHash(secret)` (base64url SHA-256). Nothing here
 * reads a request, a clock or a store.
 */
import { hmacSha256, sameString, sha256 } from '../internal/hmac.js'

/** 16 bytes of family id (22 base64url characters); the secret's chain part is 21 characters. */
export const FAMILY_BYTES = 16
export const CHAIN_CHARS = 21
export const TAG_CHARS = 22
export const REFRESH_TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

/** @typedef {{ familyId: string, secret: string }} RefreshToken */

/**
 * The tag of a chain value in a family.
 * @param {Uint8Array<ArrayBuffer>} refreshSecret
 * @param {string} familyId
 * @param {string} chain
 */
const tagOf = async (refreshSecret, familyId, chain) =>
  (await hmacSha256(refreshSecret, `rt-tag\0${familyId}.${chain}`)).slice(0, TAG_CHARS)

/**
 * A new family's first token: a random family id and chain value, tagged.
 * @param {Uint8Array<ArrayBuffer>} refreshSecret
 * @param {(bytes: number) => string} randomId `n` random bytes as base64url
 * @returns {Promise<RefreshToken>}
 */
export async function firstToken(refreshSecret, randomId) {
  const familyId = randomId(FAMILY_BYTES)
  const chain = randomId(FAMILY_BYTES).slice(0, CHAIN_CHARS)
  return { familyId, secret: chain + (await tagOf(refreshSecret, familyId, chain)) }
}

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
 * Whether authRoutes issued this token (its tag is right for its family id), compared in
 * constant time. Answers from the token alone: no store.
 * @param {Uint8Array<ArrayBuffer>} refreshSecret
 * @param {RefreshToken} token
 * @returns {Promise<boolean>}
 */
export async function issued(refreshSecret, { familyId, secret }) {
  const expected = await tagOf(refreshSecret, familyId, secret.slice(0, CHAIN_CHARS))
  return sameString(expected, secret.slice(CHAIN_CHARS))
}

/**
 * The token that succeeds `token` in its family.
 * @param {Uint8Array<ArrayBuffer>} refreshSecret
 * @param {RefreshToken} token
 * @returns {Promise<RefreshToken>}
 */
export async function successor(refreshSecret, token) {
  const { familyId } = token
  const chain = (await hmacSha256(refreshSecret, `rt-next\0${formatToken(token)}`)).slice(0, CHAIN_CHARS)
  return { familyId, secret: chain + (await tagOf(refreshSecret, familyId, chain)) }
}

/**
 * What a store keeps of a secret: base64url(SHA-256(secret)).
 * @param {string} secret
 * @returns {Promise<string>}
 */
export const secretHash = (secret) => sha256(secret)
