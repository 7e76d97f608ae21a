// Type-level tests of the hand-written auth-routes.d.ts and stores.d.ts: a Worker author's view.
// `tsc` must accept this file, and every `@ts-expect-error` line must really be an error.
import {
  authRoutes,
  memoryStore,
  kvStore,
  durableObjectStore,
  RefreshFamilies,
  type AuthRoutesOptions,
  type AuthRoutesHandler,
  type LoginThrottleOptions,
  type RefreshStore,
  type RotateResult,
  type FamilyRecord,
  type DurableObjectNamespaceLike,
  type KVNamespaceLike,
} from 'jwt-wasm/edge'

interface Env {
  FAMILIES: DurableObjectNamespaceLike
  REFRESH_KV: KVNamespaceLike
  ACCESS_SECRET: string
  REFRESH_SECRET: string
  DEVICE_SECRET: string
}

const options: AuthRoutesOptions<Env> = {
  signer: (env) => ({ kid: '2026-11', alg: 'HS256', secret: env.ACCESS_SECRET }),
  issuer: 'https://app.example',
  audience: 'api',
  verifyUser: async (login, password, env) => {
    const known: string = env.ACCESS_SECRET
    void known
    return login === 'alice' && password.length > 0 ? { sub: 'u-alice', claims: { role: 'admin' } } : null
  },
  store: (env) => durableObjectStore(env.FAMILIES),
  refreshClaims: async ({ sub, claims, env }) => (sub === 'u-gone' || !env.ACCESS_SECRET ? null : { ...claims, role: 'viewer' }),
  refreshSecret: (env) => env.REFRESH_SECRET,
  graceSeconds: 10,
  familyLifetime: 14 * 86400,
  idleTimeout: 86400,
  loginThrottle: {
    maxFailures: 5,
    maxClientFailures: 20,
    maxDeviceFailures: 10,
    windowSeconds: 900,
    clientKey: (request) => request.headers.get('x-real-ip'),
  },
  bind: 'device',
  deviceSecret: (env) => env.DEVICE_SECRET,
  onError: (error, { route, request }) => console.log(route, request.url, error),
}
const auth: AuthRoutesHandler<Env> = authRoutes(options)
const revoked: Promise<void> = auth.revokeUser('u-alice', {} as Env)
void revoked

declare const env: Env
async function fetchHandler(request: Request): Promise<Response> {
  const answered: Response | null = await auth(request, env)
  return answered ?? new Response('app')
}
void fetchHandler

// A Signer-options object works too, and a KV or in-memory store.
authRoutes<Env>({
  signer: { key: { kid: 'k', alg: 'HS512', secret: new Uint8Array(64) }, jti: false },
  verifyUser: () => null,
  store: (env) => kvStore(env.REFRESH_KV),
  refreshSecret: new Uint8Array(32),
  loginThrottle: false,
})
authRoutes({ signer: { key: { alg: 'HS256', secret: 'x'.repeat(32) } }, verifyUser: () => null, store: () => memoryStore(), refreshSecret: 'y'.repeat(32) })

// @ts-expect-error: the access-token lifetime is accessTtl, not the signer's ttl
authRoutes({ signer: { key: { alg: 'HS256', secret: 's' }, ttl: 60 }, verifyUser: () => null, store: () => memoryStore(), refreshSecret: 's' })
// @ts-expect-error: store is required
authRoutes({ signer: { key: { alg: 'HS256', secret: 's' } }, verifyUser: () => null, refreshSecret: 's' })
// @ts-expect-error: misspelt option
authRoutes({ signer: { key: { alg: 'HS256', secret: 's' } }, verifyUser: () => null, store: () => memoryStore(), refreshSecret: 's', graceSecond: 5 })
// The refresh cookie kept to the auth routes: a name without __Host-, and its path.
authRoutes({ signer: { key: { alg: 'HS256', secret: 's' } }, verifyUser: () => null, store: () => memoryStore(), refreshSecret: 's', cookieName: '__Secure-jwt_rt', cookiePath: '/auth' })
// Every throttle field is optional.
const throttle: LoginThrottleOptions = {}
void throttle
// @ts-expect-error: clientKey returns a string (or null), not a number
authRoutes({ signer: { key: { alg: 'HS256', secret: 's' } }, verifyUser: () => null, store: () => memoryStore(), refreshSecret: 's', loginThrottle: { clientKey: () => 42 } })
// @ts-expect-error: misspelt throttle field
authRoutes({ signer: { key: { alg: 'HS256', secret: 's' } }, verifyUser: () => null, store: () => memoryStore(), refreshSecret: 's', loginThrottle: { maxClientFailure: 20 } })
// @ts-expect-error: only device binding exists
authRoutes({ signer: { key: { alg: 'HS256', secret: 's' } }, verifyUser: () => null, store: () => memoryStore(), refreshSecret: 's', bind: 'ip' })
// @ts-expect-error: verifyUser returns { sub } or null
authRoutes({ signer: { key: { alg: 'HS256', secret: 's' } }, verifyUser: () => ({ user: 'x' }), store: () => memoryStore(), refreshSecret: 's' })

// A custom store implements the interface; rotate's result narrows on status.
const custom: RefreshStore = memoryStore()
async function rotateOnce(store: RefreshStore): Promise<string | null> {
  const result: RotateResult = await store.rotate('fam', 'h0', 'h1', 0, 10, 86400)
  if (result.status === 'rotated' || result.status === 'grace') {
    const record: FamilyRecord = result.record
    return record.sub
  }
  // @ts-expect-error: no record for reuse/unknown/expired
  const none: FamilyRecord = result.record
  void none
  return null
}
void rotateOnce(custom)
// @ts-expect-error: the login throttle counts in the isolate, never in the store
void custom.hit
const bounded: RefreshStore = memoryStore({ maxFamilies: 100 })
const ended: Promise<void> = bounded.revokeUser('u-1')
void ended
// @ts-expect-error: maxFamilies is a number
void memoryStore({ maxFamilies: '100' })
void bounded

// The Durable Object class: constructed by the runtime with (state, env).
declare const state: ConstructorParameters<typeof RefreshFamilies>[0]
const object = new RefreshFamilies(state, env)
const answer: Promise<Response> = object.fetch(new Request('https://x/read', { method: 'POST', body: '{}' }))
void answer
