// `make demo`: bundles the page and the demo Worker, then serves both on workerd (miniflare) at
// http://localhost:8787 (PORT to change). `--check` starts it, exercises it once and exits.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { mkdirSync, rmSync, copyFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '.build')
const pub = join(here, 'public')
const check = process.argv.includes('--check')

rmSync(out, { recursive: true, force: true })
rmSync(join(pub, 'dist'), { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const common = {
  bundle: true,
  format: 'esm',
  logLevel: 'warning',
  absWorkingDir: here,
  nodePaths: [join(here, 'node_modules')],
}
// The page: the browser entry fetches `./wasm/jwt_wasm_bg.wasm` relative to the module, which
// esbuild does not copy by itself (Vite does): put it beside the bundle.
await build({
  ...common,
  entryPoints: [join(here, 'app.js')],
  outdir: join(pub, 'dist'),
  platform: 'browser',
  target: 'es2022',
  conditions: ['browser'],
})
mkdirSync(join(pub, 'dist', 'wasm'), { recursive: true })
copyFileSync(
  join(here, 'node_modules', 'jwt-wasm', 'wasm', 'jwt_wasm_bg.wasm'),
  join(pub, 'dist', 'wasm', 'jwt_wasm_bg.wasm'),
)
// The Worker: bundled as wrangler does, the .wasm kept as a module workerd compiles.
await build({
  ...common,
  entryPoints: [join(here, 'worker.js')],
  outdir: out,
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  loader: { '.wasm': 'copy' },
})

const mf = new Miniflare({
  modules: true,
  scriptPath: join(out, 'worker.js'),
  modulesRoot: out,
  modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  compatibilityDate: '2026-04-01',
  assets: { directory: pub, routerConfig: { has_user_worker: true } },
  durableObjects: { FAMILIES: 'RefreshFamilies' },
  d1Databases: ['DB'], // in memory: the Worker seeds the demo user
  // Fresh secrets per run: restarting the demo logs everyone out, as rotating secrets would.
  bindings: {
    ACCESS_SECRET: randomBytes(32).toString('base64url'),
    REFRESH_SECRET: randomBytes(32).toString('base64url'),
  },
  host: '127.0.0.1',
  port: check ? 0 : Number(process.env.PORT ?? 8787),
})
const url = await mf.ready
const origin = url.origin.replace('127.0.0.1', 'localhost')
if (!check) {
  console.log(`jwt-wasm demo on ${origin}/ (workerd). Log in as demo / demo-password. Ctrl-C stops it.`)
} else {
  const ok = (cond, what) => {
    if (!cond) throw new Error(`demo check failed: ${what}`)
  }
  const page = await fetch(new URL('/', url))
  ok(page.status === 200 && (await page.text()).includes('jwt-wasm'), 'the page is served')
  ok((await fetch(new URL('/dist/wasm/jwt_wasm_bg.wasm', url))).status === 200, 'the wasm is served beside the bundle')
  const anon = await fetch(new URL('/api/me', url))
  ok(
    anon.status === 401 && anon.headers.get('www-authenticate') === 'Bearer realm="demo"',
    `the API asks for a token (got ${anon.status} ${anon.headers.get('www-authenticate')} ${await anon.clone().text()})`,
  )
  const login = await fetch(new URL('/auth/login', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url.origin },
    body: JSON.stringify({ login: 'demo', password: 'demo-password' }),
  })
  ok(login.status === 200, `login answers 200 (got ${login.status})`)
  const { access_token } = await login.json()
  const me = await fetch(new URL('/api/me', url), { headers: { authorization: `Bearer ${access_token}` } })
  ok(me.status === 200 && (await me.json()).sub === 'user-42', 'the API accepts the token')
  const wrong = await fetch(new URL('/auth/login', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url.origin },
    body: JSON.stringify({ login: 'demo', password: 'nope' }),
  })
  ok(wrong.status === 401, 'a wrong password is refused')
  const unknown = await fetch(new URL('/auth/login', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url.origin },
    body: JSON.stringify({ login: 'nobody', password: 'demo-password' }),
  })
  ok(
    unknown.status === 401 && JSON.stringify(await unknown.json()) === JSON.stringify(await wrong.json()),
    'an unknown login gets the same answer',
  )
  console.log('demo: 1 passed, 0 failed')
  await mf.dispose()
}
