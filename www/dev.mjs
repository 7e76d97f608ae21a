// `make demo`: bundles the page and the demo Worker, then serves both on workerd (miniflare) at
// http://localhost:8787 (PORT to change). `--check` starts it, exercises it once and exits.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { mkdirSync, rmSync, copyFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { checkDemo } from './check.mjs'

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
// The page: the browser entries fetch their artifact (`./wasm/jwt_wasm_claims.wasm` for the page's
// jwt-wasm/claims and jwt-wasm/session) relative to the module, which esbuild does not copy by
// itself (Vite does): put the package's artifacts beside the bundle.
await build({
  ...common,
  entryPoints: [join(here, 'app.js')],
  outdir: join(pub, 'dist'),
  platform: 'browser',
  target: 'es2022',
  conditions: ['browser'],
})
mkdirSync(join(pub, 'dist', 'wasm'), { recursive: true })
for (const name of ['jwt_wasm_claims.wasm', 'jwt_wasm_hmac.wasm'])
  copyFileSync(join(here, 'node_modules', 'jwt-wasm', 'wasm', name), join(pub, 'dist', 'wasm', name))
// The Worker: bundled as wrangler does, the .wasm kept as a module workerd compiles.
await build({
  ...common,
  entryPoints: [join(here, 'worker.js')],
  outdir: out,
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  loader: { '.wasm': 'copy' },
})

const options = {
  modules: true,
  scriptPath: join(out, 'worker.js'),
  modulesRoot: out,
  modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  compatibilityDate: '2026-04-01',
  // The Worker runs ahead of the assets, so that it can give the page its security headers.
  assets: {
    directory: pub,
    binding: 'ASSETS',
    routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
  },
  durableObjects: { FAMILIES: 'RefreshFamilies' },
  d1Databases: ['DB'], // in memory: the Worker seeds the demo user
  // Fresh secrets per run: restarting the demo logs everyone out, as rotating secrets would.
  // DEMO_LOCAL_USER: seed the known demo login; only this local runner sets it (www/worker.js).
  bindings: {
    DEMO_LOCAL_USER: 'demo',
    ACCESS_SECRET: randomBytes(32).toString('base64url'),
    REFRESH_SECRET: randomBytes(32).toString('base64url'),
  },
  host: '127.0.0.1',
  port: check ? 0 : Number(process.env.PORT ?? 8787),
}
const mf = new Miniflare(options)
const url = await mf.ready
const origin = url.origin.replace('127.0.0.1', 'localhost')
if (!check) {
  console.log(
    `jwt-wasm demo on ${origin}/ (workerd). Log in as demo / demo-password (a local-only user). Ctrl-C stops it.`,
  )
} else {
  await checkDemo(mf, url, options)
  await mf.dispose()
}
