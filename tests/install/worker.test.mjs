// A Worker as users deploy it: the README's two Worker examples (fixtures/worker-verify, the
// quick start; fixtures/worker-auth, the login flow with its D1 schema and seed script) bundled
// by wrangler itself (`wrangler deploy --dry-run --outdir`, pinned), then run on workerd
// (miniflare, the one wrangler pins) from what wrangler wrote, with the bindings their
// wrangler.toml declares and a compatibility date that workerd supports; and the quick start
// under `wrangler dev` itself (issue 12: its old date was newer than the pinned workerd's).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { supportedCompatibilityDate } from 'miniflare'
import { Signer } from 'jwt-wasm'
import { run, secret } from './support.mjs'

const WRANGLER = join(process.cwd(), 'node_modules/wrangler/bin/wrangler.js')

/** `wrangler deploy --dry-run` of a fixture: its bundle directory and its wrangler.toml's settings. */
async function bundle(fixture, artifacts = ['jwt_wasm_hmac_native.wasm']) {
  const dir = join(process.cwd(), 'fixtures', fixture)
  const r = await run(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', 'dist'], {
    cwd: dir,
    env: {
      WRANGLER_SEND_METRICS: 'false',
      CI: '1',
      WRANGLER_LOG_PATH: join(dir, 'logs'),
      XDG_CONFIG_HOME: join(dir, '.config'),
      NO_COLOR: '1',
    },
  })
  assert.equal(r.code, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /--dry-run: exiting now/)
  const out = join(dir, 'dist')
  const wasm = readdirSync(out).filter((f) => f.endsWith('.wasm'))
  // The workerd entries' artifacts (one per entry imported), each a module of its own that workerd compiles at load.
  assert.deepEqual(wasm.map((f) => f.replace(/^[0-9a-f]+-/, '')).sort(), artifacts)
  const toml = readFileSync(join(dir, 'wrangler.toml'), 'utf8')
  const date = /^compatibility_date = "([\d-]+)"/m.exec(toml)[1]
  const flags = /^compatibility_flags = \[(.*)\]/m.exec(toml)?.[1].match(/[\w-]+/g) ?? []
  assert.ok(
    date <= supportedCompatibilityDate,
    `compatibility_date ${date} is newer than ${supportedCompatibilityDate}`,
  )
  return { out, date, flags, dir }
}

function start({ out, date, flags }, options) {
  return new Miniflare({
    modules: true,
    scriptPath: join(out, 'worker.js'),
    modulesRoot: out,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: date,
    compatibilityFlags: flags,
    ...options,
  })
}

test('the quick-start Worker: wrangler bundles it, workerd verifies small and large tokens', async () => {
  const built = await bundle('worker-verify')
  assert.deepEqual(built.flags, ['nodejs_compat'])
  const JWT_SECRET = secret()
  const mf = start(built, { bindings: { JWT_SECRET } })
  try {
    const signer = new Signer({ key: { alg: 'HS256', secret: JWT_SECRET }, ttl: 60 })
    const ask = (token) => mf.dispatchFetch('http://localhost/', { headers: { authorization: `Bearer ${token}` } })
    const small = signer.sign({ sub: 'u1' })
    const ok = await ask(small)
    assert.equal(ok.status, 200)
    assert.equal((await ok.json()).sub, 'u1')
    // Above the native-MAC threshold (1600 characters): node:crypto MACs it under nodejs_compat.
    const large = signer.sign({ sub: 'u2', pad: 'x'.repeat(3000) })
    const big = await ask(large)
    assert.equal(big.status, 200)
    assert.equal((await big.json()).sub, 'u2')
    // The last character changed for sure (an 'A' replaced by 'A' would leave the token as it was).
    const tampered = `${large.slice(0, -1)}${large.endsWith('A') ? 'B' : 'A'}`
    for (const bad of [`${small}x`, tampered, 'not-a-token']) {
      const refused = await ask(bad)
      assert.equal(refused.status, 401)
      assert.equal(refused.headers.get('www-authenticate'), 'Bearer error="invalid_token"')
      await refused.arrayBuffer()
    }
  } finally {
    await mf.dispose()
  }
})

test('the login Worker: D1 schema and seed script, login, guarded API, refresh, logout', async () => {
  const built = await bundle('worker-auth')
  const password = 'correct horse battery staple'
  const seed = await run(process.execPath, ['seed.mjs', 'alice', 'admin'], { cwd: built.dir, input: `${password}\n` })
  assert.equal(seed.code, 0, seed.stderr)
  assert.match(
    seed.stdout,
    /^INSERT INTO users \(sub, login, role, salt, hash\) VALUES \('[-0-9a-f]{36}', 'alice', 'admin', X'[0-9a-f]{32}', X'[0-9a-f]{64}'\);\n$/,
  )
  const mf = start(built, {
    bindings: { ACCESS_SECRET: secret(), REFRESH_SECRET: secret() },
    durableObjects: { FAMILIES: { className: 'RefreshFamilies', useSQLite: true } },
    d1Databases: { DB: '00000000-0000-0000-0000-000000000000' },
  })
  try {
    // What `wrangler d1 execute users --file schema.sql` and `--file seed.sql` do, statement by statement.
    const db = await mf.getD1Database('DB')
    const sql = readFileSync(join(built.dir, 'schema.sql'), 'utf8').replace(/--.*$/gm, '') + seed.stdout
    for (const statement of sql.split(';').filter((s) => s.trim())) await db.prepare(statement).run()

    const post = (path, body, headers = {}) =>
      mf.dispatchFetch(`http://localhost${path}`, {
        method: 'POST',
        headers: {
          origin: 'http://localhost',
          'x-requested-with': 'jwt-wasm',
          'content-type': 'application/json',
          ...headers,
        },
        body: JSON.stringify(body ?? {}),
      })
    for (const [login, pw] of [
      ['alice', 'a wrong password'],
      ['bob', password],
    ]) {
      const refused = await post('/auth/login', { login, password: pw })
      assert.equal(refused.status, 400)
      assert.equal((await refused.json()).error, 'invalid_grant')
    }
    const login = await post('/auth/login', { login: 'alice', password })
    assert.equal(login.status, 200)
    const { access_token } = await login.json()
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('__Host-jwt_rt='))
    assert.ok(cookie)
    const me = await mf.dispatchFetch('http://localhost/api/me', {
      headers: { authorization: `Bearer ${access_token}` },
    })
    assert.equal(me.status, 200)
    const { hello } = await me.json()
    assert.match(hello, /^[-0-9a-f]{36}$/) // the seeded opaque sub, never the login
    const none = await mf.dispatchFetch('http://localhost/api/me')
    assert.equal(none.status, 401)
    await none.arrayBuffer()
    const refreshed = await post('/auth/refresh', {}, { cookie: cookie.split(';')[0] })
    assert.equal(refreshed.status, 200)
    const next = (await refreshed.json()).access_token
    const rotated = refreshed.headers.getSetCookie().find((c) => c.startsWith('__Host-jwt_rt='))
    const out = await post('/auth/logout', {}, { cookie: rotated.split(';')[0], authorization: `Bearer ${next}` })
    assert.equal(out.status, 204)
    const dead = await post('/auth/refresh', {}, { cookie: rotated.split(';')[0] })
    assert.equal(dead.status, 400)
    await dead.arrayBuffer()
  } finally {
    await mf.dispose()
  }
})

test('wrangler dev serves the quick-start Worker with its wrangler.toml as it is', async () => {
  const dir = join(process.cwd(), 'fixtures', 'worker-verify')
  const JWT_SECRET = secret()
  // Offline: no Request.cf fetch from Cloudflare, no metrics; its own process group, so that
  // stopping it stops the workerd it started too.
  const child = spawn(
    process.execPath,
    [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', '0', '--inspector-port', '0', '--var', `JWT_SECRET:${JWT_SECRET}`],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        WRANGLER_SEND_METRICS: 'false',
        CI: '1',
        NO_COLOR: '1',
        WRANGLER_LOG_PATH: join(dir, 'logs'),
        XDG_CONFIG_HOME: join(dir, '.config'),
      },
    },
  )
  let output = ''
  const exited = new Promise((resolve) => child.on('exit', resolve))
  try {
    const origin = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wrangler dev did not start: ${output}`)), 30_000)
      const seen = (d) => {
        output += d
        const m = /Ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (m) clearTimeout(timer), resolve(m[1])
      }
      child.stdout.on('data', seen)
      child.stderr.on('data', seen)
      child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`wrangler dev exited ${code}: ${output}`))))
    })
    const token = new Signer({ key: { alg: 'HS256', secret: JWT_SECRET }, ttl: 60 }).sign({ sub: 'dev' })
    const ok = await fetch(origin, { headers: { authorization: `Bearer ${token}` } })
    assert.equal(ok.status, 200)
    assert.equal((await ok.json()).sub, 'dev')
    const refused = await fetch(origin, { headers: { authorization: `Bearer ${token}x` } })
    assert.equal(refused.status, 401)
    await refused.arrayBuffer()
    assert.doesNotMatch(output, /compatibility date|ERROR/i)
  } finally {
    if (child.exitCode === null) process.kill(-child.pid, 'SIGTERM')
    await exited
  }
})

test('the identity-provider Worker (jwt-wasm/keys): wrangler bundles the keys artifact beside the edge one; the guard verifies ES256 and RS256 tokens', async () => {
  const built = await bundle('worker-keys', ['jwt_wasm_hmac_native.wasm', 'jwt_wasm_keys_fast.wasm'])
  const subtle = globalThis.crypto.subtle
  const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
  const pairs = {
    ES256: [
      await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']),
      { name: 'ECDSA', hash: 'SHA-256' },
    ],
    RS256: [
      await subtle.generateKey(
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
        true,
        ['sign', 'verify'],
      ),
      { name: 'RSASSA-PKCS1-v1_5' },
    ],
  }
  const jwks = { keys: [] }
  for (const [alg, [pair]] of Object.entries(pairs)) {
    const { key_ops, ext, ...jwk } = await subtle.exportKey('jwk', pair.publicKey)
    void key_ops, void ext
    jwks.keys.push({ ...jwk, kid: alg, alg })
  }
  const sign = async (alg, claims) => {
    const input = `${b64({ alg, kid: alg, typ: 'JWT' })}.${b64(claims)}`
    const [pair, params] = pairs[alg]
    return `${input}.${Buffer.from(await subtle.sign(params, pair.privateKey, Buffer.from(input))).toString('base64url')}`
  }
  const mf = start(built, { bindings: { ISSUER: 'https://idp.example', JWKS: JSON.stringify(jwks) } })
  try {
    const ask = (token) => mf.dispatchFetch('http://localhost/', { headers: { authorization: `Bearer ${token}` } })
    const exp = Math.floor(Date.now() / 1000) + 300
    for (const alg of ['ES256', 'RS256']) {
      const ok = await ask(await sign(alg, { iss: 'https://idp.example', aud: 'api', sub: `u-${alg}`, exp }))
      assert.equal(ok.status, 200, alg)
      assert.deepEqual(await ok.json(), { sub: `u-${alg}` })
    }
    const wrong = await ask(await sign('ES256', { iss: 'https://evil.example', aud: 'api', sub: 'u', exp }))
    assert.equal(wrong.status, 401)
    assert.match(wrong.headers.get('www-authenticate'), /error="invalid_token"/)
    await wrong.arrayBuffer()
  } finally {
    await mf.dispose()
  }
})
