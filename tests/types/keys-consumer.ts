// Type-level tests of keys.d.ts (jwt-wasm/keys) and of the edge's injected public-key verifier.
// `tsc` must accept this file, and every `@ts-expect-error` line must really be an error.
import {
  PublicKeyVerifier,
  JWKInvalid,
  JWKSFetchFailed,
  JwtError,
  auth0,
  cognito,
  firebase,
  localKeySet,
  remoteKeySet,
  ready,
  type KeySet,
  type PublicKeyVerifyResult,
} from 'jwt-wasm/keys'
import { guard } from 'jwt-wasm/edge'

await ready
const jwk = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }
const v = new PublicKeyVerifier({ keys: [jwk], algorithms: ['ES256', 'RS256'], issuer: 'https://idp.example', audience: 'api' })
new PublicKeyVerifier({ keys: { keys: [jwk] }, algorithms: ['EdDSA'], requiredClaims: ['exp', 'sub'], clockTolerance: 5 })
const ks: KeySet = remoteKeySet('https://idp.example/.well-known/jwks.json', { minTtl: 60, cooldown: 30, timeout: 2000 })
new PublicKeyVerifier({ keys: ks, algorithms: ['PS256'], claimValues: { token_use: 'access' } })
new PublicKeyVerifier({ keys: localKeySet({ keys: [jwk] }), algorithms: ['ES384'] })
new PublicKeyVerifier(auth0({ domain: 'tenant.eu.auth0.com', audience: 'https://api.example' }))
new PublicKeyVerifier(firebase({ projectId: 'my-project-1234' }))
new PublicKeyVerifier(cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientId: 'c', tokenUse: 'access' }))
// @ts-expect-error: an HMAC algorithm is not a public-key algorithm (the confusion)
new PublicKeyVerifier({ keys: [jwk], algorithms: ['HS256'] })
// @ts-expect-error: keys are required
new PublicKeyVerifier({ algorithms: ['ES256'] })
// @ts-expect-error: the MAC path is the HMAC Verifier's
new PublicKeyVerifier({ keys: [jwk], algorithms: ['ES256'], mac: 'native' })

const r: PublicKeyVerifyResult<{ role: string }> = await v.verifyAsync<{ role: string }>('a.b.c', {
  now: new Date(),
  scope: {},
})
const role: string = r.payload.role
const alg: string = r.header.alg
try {
  // @ts-expect-error: verifyAsync is asynchronous: its result is a promise
  const sync: PublicKeyVerifyResult = v.verifyAsync('a.b.c')
  void sync
} catch (err) {
  if (err instanceof JWKInvalid) void err.problem
  if (err instanceof JWKSFetchFailed) {
    const status: number = err.status
    void status
  }
  if (err instanceof JwtError) void err.code
}
v.free()

guard(() => new Response('ok'), { verifier: v, scopes: ['read'] })
guard(() => new Response('ok'), { verifier: () => new PublicKeyVerifier({ keys: ks, algorithms: ['RS256'] }) })
// @ts-expect-error: the verifier's options are the whole policy
guard(() => new Response('ok'), { verifier: v, issuer: 'https://idp.example' })
void [role, alg]
