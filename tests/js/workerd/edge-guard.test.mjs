// jwt-wasm/edge `guard` and jwt-wasm/hono on real workerd (through miniflare). The Worker is
// bundled the way wrangler does it (the `workerd` condition, the .wasm as a CompiledWasm module,
// `cloudflare:*` external); both guards are created at module scope, which workerd allows only
// without randomness and with the wasm already instantiated from the static import. Tokens are
// minted in Node by the same package, so this also crosses runtimes.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startWorker } from './harness.mjs'
import { Signer } from 'jwt-wasm'

const NOW = 1_767_225_600
const OLD = 'workerd-guard-old-secret-0123456789-abc'
const NEW = 'workerd-guard-new-secret-0123456789-xyz'
const OTHER = 'workerd-guard-forger-secret-0123456789'
let mf
let dir

before(async () => {
  dir = mkdtempSync(join(process.cwd(), 'workerd-guard-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { guard } from 'jwt-wasm/edge'
import { jwtGuard } from 'jwt-wasm/hono'
import { Hono } from 'hono'

const NOW = new Date(${NOW} * 1000)
const options = {
  keys: (env) => [
    { kid: 'old', alg: 'HS256', secret: env.OLD },
    { kid: 'new', alg: 'HS256', secret: env.NEW },
  ],
  algorithms: ['HS256'],
  audience: 'api',
  realm: 'workerd "edge"',
  scopes: ['read'],
  clock: () => NOW,
}
const claims = (via, { header, payload }) =>
  Response.json({ via, kid: header.kid, sub: payload.sub, frozen: Object.isFrozen(payload) })
const guarded = guard((request, env, ctx, auth) => claims('guard', auth), options)
const broken = guard(() => new Response('never'), {
  ...options,
  keys: (env) => env.MISSING.split(','),
  onError: () => {},
})
const app = new Hono()
app.use('/hono/*', jwtGuard(options))
app.get('/hono/me', (c) => claims('hono', c.get('jwt')))

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url)
    if (pathname.startsWith('/hono/')) return app.fetch(request, env, ctx)
    if (pathname === '/broken') return broken(request, env, ctx)
    return guarded(request, env, ctx)
  },
}
`,
  )
  ;({ mf } = await startWorker(join(dir, 'worker.js'), { bindings: { OLD, NEW } }))
})

after(async () => {
  await mf?.dispose()
})

function mint(claims = {}, { kid = 'new', secret = kid === 'old' ? OLD : NEW, at = NOW } = {}) {
  const signer = new Signer({ key: { kid, alg: 'HS256', secret }, typ: 'at+jwt' })
  try {
    return signer.sign(
      { aud: 'api', sub: 'u1', scope: 'read', ...claims },
      { currentDate: new Date(at * 1000), ttl: 300 },
    )
  } finally {
    signer.free()
  }
}

const REALM = 'workerd \\"edge\\"'
const body = (error, error_description) => ({ error, error_description })
const invalidToken = (d) => [
  401,
  `Bearer realm="${REALM}", error="invalid_token", error_description="${d}"`,
  body('invalid_token', d),
]

const cases = () => {
  const good = mint()
  return [
    ['missing', {}, 401, `Bearer realm="${REALM}"`, body('unauthorized', 'This resource requires an access token')],
    [
      'Basic',
      { authorization: 'Basic dXNlcjpwYXNz' },
      401,
      `Bearer realm="${REALM}"`,
      body('unauthorized', 'This resource requires an access token'),
    ],
    [
      'malformed header',
      { authorization: 'Bearer a b' },
      400,
      `Bearer realm="${REALM}", error="invalid_request", error_description="The Authorization header is malformed"`,
      body('invalid_request', 'The Authorization header is malformed'),
    ],
    [
      'expired',
      { authorization: `Bearer ${mint({}, { at: NOW - 400 })}` },
      ...invalidToken('The access token expired'),
    ],
    [
      'forged',
      { authorization: `Bearer ${mint({}, { secret: OTHER })}` },
      ...invalidToken('The access token signature is invalid'),
    ],
    [
      'alg none',
      { authorization: `Bearer eyJhbGciOiJub25lIn0.${good.split('.')[1]}.` },
      ...invalidToken('The access token algorithm is not allowed'),
    ],
    ['garbage', { authorization: 'Bearer garbage' }, ...invalidToken('The access token is malformed')],
    [
      'retired kid',
      { authorization: `Bearer ${mint({}, { kid: 'retired', secret: OLD })}` },
      ...invalidToken('No key matches the access token'),
    ],
    [
      'missing scope',
      { authorization: `Bearer ${mint({ scope: 'write' })}` },
      403,
      `Bearer realm="${REALM}", error="insufficient_scope", error_description="The access token lacks a required scope", scope="read"`,
      body('insufficient_scope', 'The access token lacks a required scope'),
    ],
  ]
}

test('the bundle took the workerd entry: the .wasm is a module import', () => {
  const js = readFileSync(join(dir, 'out', 'worker.js'), 'utf8')
  assert.match(js, /from\s*"\.\/[^"]+\.wasm"/)
  assert.doesNotMatch(js, /readFileSync|fetch\(new URL/)
})

for (const [via, path] of [
  ['guard', '/guard/me'],
  ['hono', '/hono/me'],
]) {
  test(`${via} on workerd: valid tokens (old and new kid) reach the handler with their claims`, async () => {
    for (const kid of ['old', 'new']) {
      const res = await mf.dispatchFetch(`http://localhost${path}`, {
        headers: { authorization: `Bearer ${mint({ sub: `user-${kid}` }, { kid })}` },
      })
      assert.equal(res.status, 200)
      assert.deepEqual(await res.json(), { via, kid, sub: `user-${kid}`, frozen: true })
    }
  })

  test(`${via} on workerd: every failure class, exact status, WWW-Authenticate and body`, async () => {
    for (const [name, headers, status, challenge, expected] of cases()) {
      const res = await mf.dispatchFetch(`http://localhost${path}`, { headers })
      assert.equal(res.status, status, name)
      assert.equal(res.headers.get('www-authenticate'), challenge, name)
      assert.equal(res.headers.get('cache-control'), 'no-store', name)
      assert.deepEqual(await res.json(), expected, name)
    }
  })
}

test('on workerd, a keys function that fails answers 500 and never reaches the handler', async () => {
  const res = await mf.dispatchFetch('http://localhost/broken', { headers: { authorization: `Bearer ${mint()}` } })
  assert.equal(res.status, 500)
  assert.equal(res.headers.get('www-authenticate'), null)
  assert.deepEqual(await res.json(), { error: 'server_error' })
})
