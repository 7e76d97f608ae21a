// Node by package name: the README's ES module and CommonJS quick starts (fixtures/node/) run as
// a user runs them, the tarball carries its licences, and the README's Hono app (fixtures/hono/server.mjs, on @hono/node-server)
// logs in, refreshes, answers a guarded API and refuses without a token.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { run, secret, startHono } from './support.mjs'

const JWT_SECRET = secret()

test('ESM: import by package name, sign and verify synchronously', async () => {
  const r = await run(process.execPath, ['fixtures/node/esm.mjs'], { env: { JWT_SECRET } })
  assert.equal(r.stderr, '')
  assert.deepEqual(JSON.parse(r.stdout), [
    { status: 200, sub: 'u1' },
    { status: 401, error: 'invalid_token', description: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' },
    { status: 401, error: 'invalid_token' },
  ])
  assert.equal(r.code, 0)
})

test('CommonJS: require by package name, the same module as import, no warning', async () => {
  const r = await run(process.execPath, ['fixtures/node/cjs.cjs'], { env: { JWT_SECRET } })
  assert.equal(r.stderr, '') // no ERR_REQUIRE_ESM, no ExperimentalWarning
  assert.equal(r.stdout, 'u1 true\n')
  assert.equal(r.code, 0)
  const same = await run(
    process.execPath,
    ['-e', "const c = require('jwt-wasm'); import('jwt-wasm').then((m) => console.log(m.Verifier === c.Verifier))"],
    {},
  )
  assert.equal(same.stdout, 'true\n', same.stderr)
})

test('Hono on @hono/node-server: login, a guarded API, refresh, and the RFC 6750 refusals', async () => {
  const server = await startHono(process.cwd(), 'fixtures/browser')
  try {
    const post = (path, body, headers = {}) =>
      fetch(`${server.origin}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-requested-with': 'jwt-wasm',
          origin: server.origin,
          ...headers,
        },
        body: JSON.stringify(body ?? {}),
      })
    const wrong = await post('/auth/login', { login: 'alice', password: 'wrong password!' })
    assert.equal(wrong.status, 400)
    assert.equal((await wrong.json()).error, 'invalid_grant')

    const login = await post('/auth/login', { login: 'alice', password: server.env.APP_PASSWORD })
    assert.equal(login.status, 200)
    const { access_token, token_type } = await login.json()
    assert.equal(token_type, 'Bearer')
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('__Host-jwt_rt='))
    assert.ok(cookie, 'the refresh cookie is set')

    const me = await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${access_token}` } })
    assert.equal(me.status, 200)
    assert.deepEqual(await me.json(), { sub: 'u-1' })
    assert.equal(me.headers.get('cache-control'), 'no-store')

    const none = await fetch(`${server.origin}/api/me`)
    assert.equal(none.status, 401)
    assert.match(none.headers.get('www-authenticate'), /^Bearer/)
    const forged = await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${access_token}x` } })
    assert.equal(forged.status, 401)
    assert.match(forged.headers.get('www-authenticate'), /error="invalid_token"/)

    const refreshed = await post('/auth/refresh', {}, { cookie: cookie.split(';')[0] })
    assert.equal(refreshed.status, 200)
    assert.notEqual((await refreshed.json()).access_token, access_token)
  } finally {
    await server.stop()
  }
})

test('the tarball carries both licences and its metadata', () => {
  const manifest = JSON.parse(readFileSync('node_modules/jwt-wasm/package.json', 'utf8'))
  assert.equal(manifest.license, 'MIT OR Apache-2.0')
  assert.match(manifest.repository?.url ?? '', /jwt-wasm\.git$/)
  assert.match(manifest.homepage ?? '', /jwt-wasm/)
  assert.match(readFileSync('node_modules/jwt-wasm/LICENSE-MIT', 'utf8'), /^MIT License/)
  assert.match(readFileSync('node_modules/jwt-wasm/LICENSE-APACHE', 'utf8'), /Apache License\s+Version 2\.0/)
  assert.ok(existsSync('node_modules/jwt-wasm/README.md'))
})
