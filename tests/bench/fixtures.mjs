// The bench's fixtures, shared by the Node side and the Worker: the secret, the policy (issuer,
// audience), the claims of the small (~350 B) and large (~5.8 KB) tokens, and the bad tokens the
// soundness gate feeds every library before anything is timed. `now` is the run's pinned clock
// (whole seconds near the real time, so libraries that read Date.now() agree with it).

export const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz'
export const ISS = 'https://auth.example.com'
export const AUD = 'api://orders'
export const TTL = 3600

/** The claims of both tokens at `now` (seconds). */
export function claims(now) {
  const small = {
    sub: 'user-8f14e45f',
    iss: ISS,
    aud: AUD,
    iat: now,
    nbf: now,
    exp: now + TTL,
    jti: '5d41402abc4b2a76b9719d911017c592',
    roles: ['orders:read', 'orders:write'],
  }
  const large = {
    ...small,
    roles: Array.from({ length: 69 }, (_, i) => `role-${i}-${'r'.repeat(12)}`),
    permissions: Array.from({ length: 69 }, (_, i) => `resource-${i}:read,write,delete`),
    profile: { locale: 'de-CH', tz: 'Europe/Zurich', theme: 'dark', note: 'Grüße 🔑'.repeat(20) },
  }
  return { small, large }
}

/** Flips one character in the middle of the signature (never the last: its low bits may be unused). */
export function forge(token) {
  const i = token.lastIndexOf('.') + 10
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1)
}

/**
 * The tokens of a run, all signed with `sign(claims) => token` (jwt-wasm's Signer): the two
 * measured tokens and, for the gate, a forged signature, a wrong audience, a wrong issuer and an
 * expired token (expired also by the real clock, for libraries without a pinned one).
 */
export function tokens(sign, now) {
  const { small, large } = claims(now)
  return {
    small: sign(small),
    large: sign(large),
    bad: {
      signature: forge(sign(small)),
      audience: sign({ ...small, aud: 'api://someone-else' }),
      issuer: sign({ ...small, iss: 'https://evil.example.com' }),
      expired: sign({ ...small, iat: now - 2 * TTL, nbf: now - 2 * TTL, exp: now - TTL }),
    },
  }
}
