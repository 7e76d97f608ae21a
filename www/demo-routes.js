// The demo-only routes behind two attack cards, served only when DEMO_ROUTES is "local" (set in
// the .dev.vars that `make demo` writes; a deployed copy never has it, so it answers 404):
// - POST /demo/mint {kind}: for the caller's own valid access token, a correctly signed variant
//   that only a check after the signature can refuse: "duplicate" (a second `sub` in the
//   payload: the strict JSON reader refuses it), "expired", "audience" (another `aud`);
// - POST /demo/replay: rotates the caller's refresh token twice (as two refreshes would), then
//   presents the first, spent one again, as a thief holding a copy would: the answer is the
//   edge's to the replay, and the family is revoked (the newest token, set here, is dead too).
//   Twice, because the edge answers the immediate predecessor again for graceSeconds (tabs racing
//   one refresh are not thieves); a copy two rotations old is reuse.
import { keys } from './config.js'

const enc = new TextEncoder()
const b64u = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
const text = (segment) =>
  new TextDecoder().decode(Uint8Array.from(atob(segment.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))

async function sign(env, header, payloadText) {
  const input = `${header}.${b64u(enc.encode(payloadText))}`
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(keys(env)[0].secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return `${input}.${b64u(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(input))))}`
}

// Each variant changes the payload's text and nothing else; the header (alg, kid, typ) stays.
const VARIANTS = {
  duplicate: (p) => p.replace(/\}$/, ',"sub":"admin"}'),
  expired: (p) => {
    const claims = JSON.parse(p)
    const now = Math.floor(Date.now() / 1000)
    return JSON.stringify({ ...claims, iat: now - 120, exp: now - 60 })
  },
  audience: (p) => JSON.stringify({ ...JSON.parse(p), aud: 'another-api' }),
}

const notFound = () => Response.json({ error: 'not_found' }, { status: 404 })

async function mint(request, env, ctx, me) {
  const kind = await request
    .clone()
    .json()
    .then((b) => b?.kind)
    .catch(() => undefined)
  if (!Object.hasOwn(VARIANTS, kind)) return Response.json({ error: 'invalid_request' }, { status: 400 })
  // Only for the caller's own token, which must pass the same guard as /api/me.
  const checked = await me(new Request(request.url, { headers: request.headers }), env, ctx)
  if (checked.status !== 200) return checked
  const [header, payload] = (request.headers.get('authorization') ?? '').slice('Bearer '.length).split('.')
  return Response.json(
    { token: await sign(env, header, VARIANTS[kind](text(payload))) },
    { headers: { 'cache-control': 'no-store' } },
  )
}

async function replay(request, env, ctx, auth) {
  const refresh = (cookie) => {
    const headers = new Headers(request.headers)
    if (cookie !== undefined) headers.set('cookie', cookie)
    return new Request(new URL('/auth/refresh', request.url), { method: 'POST', headers })
  }
  const successorCookie = (response) => {
    const set = response.headers.getSetCookie().find((c) => c.startsWith('__Host-jwt_rt='))
    return set?.split(';')[0]
  }
  let newest
  let cookie
  for (let i = 0; i < 2; i++) {
    newest = await auth(refresh(cookie), env, ctx)
    if (newest?.status !== 200) return newest ?? notFound()
    cookie = successorCookie(newest)
  }
  const replayed = await auth(refresh(), env, ctx) // the caller's own cookie, now two rotations old
  if (!replayed || !newest) return notFound()
  // The tab keeps the newest token (as the thief's victim would): its next refresh shows it is dead.
  const out = new Response(replayed.body, replayed)
  out.headers.delete('set-cookie')
  for (const c of newest.headers.getSetCookie()) out.headers.append('set-cookie', c)
  return out
}

export function demoRoutes(request, env, ctx, { auth, me }) {
  if (env.DEMO_ROUTES !== 'local' || request.method !== 'POST') return notFound()
  const { pathname } = new URL(request.url)
  if (pathname === '/demo/mint') return mint(request, env, ctx, me)
  if (pathname === '/demo/replay') return replay(request, env, ctx, auth)
  return notFound()
}
