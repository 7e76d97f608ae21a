// Type-level tests of the hand-written guard.d.ts and hono.d.ts: a Worker's and a Hono app's
// view. `tsc` must accept this file, and every `@ts-expect-error` line must really be an error.
import { guard, bearerChallenge, secureHeaders, type GuardAuth, type GuardOptions } from 'jwt-wasm/edge'
import { jwtGuard } from 'jwt-wasm/hono'
import { Hono } from 'hono'

interface Env {
  JWT_SECRET: string
  JWT_SECRET_PREVIOUS: string
}
interface Ctx {
  waitUntil(promise: Promise<unknown>): void
}
interface AppClaims {
  scope: string
  tenant: number
}

// The handler gets (request, env, ctx, auth); Env and the claims type flow from its annotations
// into `keys` and the returned fetch.
const fetch = guard(
  (request: Request, env: Env, ctx: Ctx, auth: GuardAuth<AppClaims>) => {
    const tenant: number = auth.payload.tenant
    const sub: string | undefined = auth.payload.sub
    const kid: string | undefined = auth.header.kid
    ctx.waitUntil(Promise.resolve(request.url))
    // @ts-expect-error: the verified token is read-only
    auth.payload.tenant = 2
    return new Response(`${tenant} ${sub} ${kid} ${env.JWT_SECRET.length}`)
  },
  {
    keys: (env) => [
      { kid: '2026-10', alg: 'HS256', secret: env.JWT_SECRET_PREVIOUS },
      { kid: '2026-11', alg: 'HS256', secret: env.JWT_SECRET },
    ],
    algorithms: ['HS256'],
    issuer: 'https://auth.example',
    audience: 'api',
    scopes: ['read'],
    realm: 'api',
    cookie: 'access_token',
    clock: () => new Date(0),
    onError: (e: unknown) => console.error(e),
  },
)
const answer: Promise<Response> = fetch(new Request('https://api.example/'), { JWT_SECRET: 's', JWT_SECRET_PREVIOUS: 'p' }, { waitUntil() {} })
void answer

// A module Worker's default export.
export default {
  fetch: guard((_request, _env, _ctx, { payload }) => Response.json({ sub: payload.sub ?? null }), {
    keys: async () => [{ alg: 'HS384', secret: new Uint8Array(48) }],
    algorithms: ['HS384'],
    bind: 'device',
    deviceSecret: new Uint8Array(32),
  }),
}

const h = () => new Response()
const keys = [{ kid: 'k', alg: 'HS256' as const, secret: 'x'.repeat(32) }]
// @ts-expect-error: bind 'device' needs deviceSecret
guard(h, { keys, algorithms: ['HS256'], bind: 'device' })
// @ts-expect-error: deviceSecret only goes with bind 'device'
guard(h, { keys, algorithms: ['HS256'], deviceSecret: 'x'.repeat(32) })
// @ts-expect-error: an unknown option
guard(h, { keys, algorithms: ['HS256'], scope: ['read'] })
// @ts-expect-error: algorithms is required
guard(h, { keys })
// @ts-expect-error: keys is a ring or a function of env, not a secret
guard(h, { keys: 'secret', algorithms: ['HS256'] })

// Tokens minted elsewhere: the guard names their typ (default at+jwt).
guard(h, { keys, algorithms: ['HS256'], typ: 'JWT' })
// @ts-expect-error: typ is one media type, not a list
guard(h, { keys, algorithms: ['HS256'], typ: ['JWT', 'at+jwt'] })

// A cookie-borne token: other origins allowed for unsafe methods.
guard(h, { keys, algorithms: ['HS256'], cookie: 'at', allowedOrigins: ['https://app.example'] })
// @ts-expect-error: allowedOrigins is a list of origins
guard(h, { keys, algorithms: ['HS256'], cookie: 'at', allowedOrigins: 'https://app.example' })

// The safe headers for a guarded handler's own answer.
guard((_request, _env, _ctx, { payload }) => secureHeaders(Response.json({ sub: payload.sub ?? null })), {
  keys,
  algorithms: ['HS256'],
})
const safe: Response = secureHeaders(new Response('x'))
// @ts-expect-error: secureHeaders takes a Response, not headers
secureHeaders({ 'cache-control': 'no-store' })
void safe

const options: GuardOptions = { keys, algorithms: ['HS256'] }
const challenge: string = bearerChallenge({ realm: 'api', error: 'invalid_token', error_description: 'The access token expired' })
void [options, challenge]

// Hono: c.get('jwt') is typed by the middleware's module augmentation.
const app = new Hono<{ Bindings: Env }>()
app.use('/api/*', jwtGuard<Env>({ keys: (env) => [{ alg: 'HS256', secret: env.JWT_SECRET }], algorithms: ['HS256'], scopes: ['read'] }))
app.get('/api/me', (c) => {
  const jwt = c.get('jwt')
  const sub: string | undefined = jwt.payload.sub
  const alg: string = jwt.header.alg
  return c.json({ sub: sub ?? null, alg })
})
// @ts-expect-error: jwtGuard takes the same options (algorithms required)
jwtGuard({ keys })

// guard<Env>(…): Env is the first type parameter (issue 12; it was the handler's return type),
// so the env of the handler, of `keys` and of the returned fetch is Env without annotations.
const withEnv = guard<Env>((_request, env) => new Response(env.JWT_SECRET), {
  keys: (env) => [{ alg: 'HS256', secret: env.JWT_SECRET }],
  algorithms: ['HS256'],
})
const envAnswer: Promise<Response> = withEnv(new Request('https://api.example/'), { JWT_SECRET: 's', JWT_SECRET_PREVIOUS: 'p' }, {})
void envAnswer
// @ts-expect-error: the env must be an Env
void withEnv(new Request('https://api.example/'), { JWT_SECRET: 's' }, {})
// @ts-expect-error: Env has no such binding
guard<Env>((_request, env) => new Response(env.NOT_A_BINDING), { keys, algorithms: ['HS256'] })
// All four, in order: Env, Ctx, the claims, the handler's answer.
const full = guard<Env, Ctx, AppClaims, Response>(
  (_request, env, ctx, { payload }) => {
    ctx.waitUntil(Promise.resolve())
    return new Response(`${payload.tenant} ${env.JWT_SECRET}`)
  },
  { keys: (env) => [{ alg: 'HS256', secret: env.JWT_SECRET }], algorithms: ['HS256'] },
)
void full
// The first order (the handler's return type first), with annotated parameters, still compiles.
const legacy = guard<Response, Env>((_request: Request, env: Env) => new Response(env.JWT_SECRET), {
  keys: (env: Env) => [{ alg: 'HS256', secret: env.JWT_SECRET }],
  algorithms: ['HS256'],
})
const legacyAnswer: Promise<Response> = legacy(new Request('https://api.example/'), { JWT_SECRET: 's', JWT_SECRET_PREVIOUS: 'p' }, {})
void legacyAnswer
// An injected public-key verifier (jwt-wasm/keys' PublicKeyVerifier, or anything with verifyAsync).
const pk = { verifyAsync: async (_token: string, _o: { now?: Date; scope?: object }) => ({ header: { alg: 'ES256' }, payload: {} }) }
guard(() => new Response('ok'), { verifier: pk, scopes: ['read'], realm: 'api' })
guard<Env>(() => new Response('ok'), { verifier: async (_env: Env) => pk })
// @ts-expect-error: with a verifier, its options are the whole policy: no keys beside it
guard(() => new Response('ok'), { verifier: pk, keys })
// @ts-expect-error: nor Verifier options (no at+jwt default either)
guard(() => new Response('ok'), { verifier: pk, typ: 'at+jwt' })
// @ts-expect-error: a verifier has verifyAsync
guard(() => new Response('ok'), { verifier: { verify: () => ({ header: {}, payload: {} }) } })
