// Issue 9 item 7 on real workerd (through miniflare): authRoutes takes the request's own origin
// as the allowed one only when the request's host is a loopback name. A request reaching a Worker
// under another name (what a DNS-rebinding page does to a local server) is refused unless
// `allowedOrigins` names its Origin, and the refusal says to set `allowedOrigins`.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startWorker } from './harness.mjs'

let mf

before(async () => {
  const dir = mkdtempSync(join(process.cwd(), 'workerd-origin-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { authRoutes, memoryStore } from 'jwt-wasm/edge'
const store = memoryStore()
const base = {
  signer: { key: { kid: 'k', alg: 'HS256', secret: 'workerd-origin-access-0123456789-abcdef' } },
  verifyUser: (login, password) => (login === 'alice' && password === 'pw' ? { sub: 'u-alice' } : null),
  store: () => store,
  refreshSecret: 'workerd-origin-refresh-0123456789-abcdef',
}
const unset = authRoutes(base)
const set = authRoutes({ ...base, basePath: '/set', allowedOrigins: ['https://api.example'] })
export default {
  async fetch(request, env, ctx) {
    const answer = new URL(request.url).pathname.startsWith('/set/') ? set : unset
    return (await answer(request, env, ctx)) ?? new Response('no route', { status: 404 })
  },
}
`,
  )
  ;({ mf } = await startWorker(join(dir, 'worker.js')))
})

after(async () => {
  await mf?.dispose()
})

const login = (url, origin) =>
  mf.dispatchFetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'alice', password: 'pw' }),
  })

test('item 7: without allowedOrigins, a non-loopback host is refused even with its own Origin, and told why', async () => {
  for (const [url, origin] of [
    ['https://api.example/auth/login', 'https://api.example'],
    ['http://rebind.example:8787/auth/login', 'http://rebind.example:8787'],
    ['http://127.0.0.1.example/auth/login', 'http://127.0.0.1.example'],
  ]) {
    const res = await login(url, origin)
    assert.equal(res.status, 403, url)
    const body = await res.json()
    assert.equal(body.error, 'invalid_request', url)
    assert.match(body.error_description, /set options\.allowedOrigins/, url)
  }
  // Refresh too, before anything about its cookie is read.
  const refresh = await mf.dispatchFetch('https://api.example/auth/refresh', {
    method: 'POST',
    headers: { origin: 'https://api.example', 'x-requested-with': 'fetch' },
  })
  assert.equal(refresh.status, 403)
  assert.match((await refresh.json()).error_description, /allowedOrigins/)
})

test('item 7: with allowedOrigins set, the same request to api.example passes; other origins do not', async () => {
  const ok = await login('https://api.example/set/login', 'https://api.example')
  assert.equal(ok.status, 200)
  assert.equal(typeof (await ok.json()).access_token, 'string')
  const other = await login('https://api.example/set/login', 'https://evil.example')
  assert.equal(other.status, 403)
  assert.equal((await other.json()).error_description, 'The request origin is not allowed')
})

test('item 7: a loopback host (localhost, 127.0.0.0/8, [::1]) may use its own origin without allowedOrigins', async () => {
  for (const origin of ['http://127.0.0.1:8787', 'http://127.3.4.5', 'http://localhost:8787', 'http://[::1]:8787']) {
    const res = await login(`${origin}/auth/login`, origin)
    assert.equal(res.status, 200, origin)
  }
  // Still only its own origin: a foreign Origin to a loopback host is refused.
  const foreign = await login('http://127.0.0.1:8787/auth/login', 'http://evil.example')
  assert.equal(foreign.status, 403)
  assert.equal((await foreign.json()).error_description, 'The request origin is not allowed')
})
