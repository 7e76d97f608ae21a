// The demo's token settings, shared by the Worker (worker.js) and its demo-only routes
// (demo-routes.js): the issuer, the audience, the access-token key ring (ACCESS_SECRET) and the
// encryption key of the encrypted access tokens (ENCRYPTION_KEY, 32 bytes base64url: A256KW).
export const ISSUER = 'jwt-wasm-demo'
export const AUDIENCE = 'demo-api'
export const keys = (env) => [{ kid: 'demo-1', alg: 'HS256', secret: env.ACCESS_SECRET }]

/** The A256KW key that wraps each encrypted access token's fresh content key (A256GCM). */
export function jweKey(env) {
  const text = String(env.ENCRYPTION_KEY ?? '')
  const secret = Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
  if (secret.length !== 32)
    throw new Error('ENCRYPTION_KEY must be 32 random bytes, base64url (make demo writes one to .dev.vars)')
  return { alg: 'A256KW', kid: 'demo-jwe-1', secret }
}
