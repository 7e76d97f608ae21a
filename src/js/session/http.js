// @ts-check
/**
 * Reading `WWW-Authenticate` challenges (RFC 9110 §11.6.1): whether a 401 says the Bearer token
 * was refused as invalid, so that `session.fetch` may renew it once.
 */
import { TOKEN_AT as TOKEN } from '../internal/encoding.js'

/**
 * True when a `WWW-Authenticate` value holds a `Bearer` challenge with `error="invalid_token"`
 * (RFC 6750 §3.1): the token was refused for being expired, revoked or malformed, so a fresh
 * one may help. Any other challenge (no `error`: no credentials were sent; `insufficient_scope`;
 * another scheme) is not.
 * @param {string | null} header
 */
export function isInvalidTokenChallenge(header) {
  if (!header) return false
  let i = 0
  /** @type {string | undefined} */
  let scheme
  const skip = () => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t' || header[i] === ',')) i++
  }
  const token = () => {
    TOKEN.lastIndex = i
    const m = TOKEN.exec(header)
    if (!m) return undefined
    i = TOKEN.lastIndex
    return m[0]
  }
  while (i < header.length) {
    skip()
    const name = token()
    if (name === undefined) {
      i++ // not a token character: step over it
      continue
    }
    let j = i
    while (header[j] === ' ' || header[j] === '\t') j++
    if (header[j] === '=' && header[j + 1] !== '=') {
      // An auth-param of the current challenge.
      i = j + 1
      while (header[i] === ' ' || header[i] === '\t') i++
      let value
      if (header[i] === '"') {
        value = ''
        i++
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\') i++
          value += header[i] ?? ''
          i++
        }
        i++
      } else value = token() ?? ''
      if (scheme === 'bearer' && name.toLowerCase() === 'error' && value === 'invalid_token') return true
    } else if (header[j] === '=') {
      // token68 padding (`Basic abc==`): part of the current challenge.
      while (header[i] === '=') i++
    } else scheme = name.toLowerCase()
  }
  return false
}
