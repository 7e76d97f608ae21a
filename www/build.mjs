// The page's build, run by wrangler before every `wrangler dev` and `wrangler deploy`
// (wrangler.toml [build]): bundles page/app.js into public/dist with esbuild, and puts the
// package's claims artifact beside it (the browser entries fetch `./wasm/jwt_wasm_claims.wasm`
// relative to the module, which esbuild does not copy by itself; Vite does).
import { build } from 'esbuild'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'public', 'dist')
rmSync(dist, { recursive: true, force: true })
await build({
  entryPoints: [join(here, 'page', 'app.js')],
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['browser'],
  logLevel: 'warning',
  absWorkingDir: here,
})
mkdirSync(join(dist, 'wasm'), { recursive: true })
copyFileSync(
  join(here, 'node_modules', 'jwt-wasm', 'wasm', 'jwt_wasm_claims.wasm'),
  join(dist, 'wasm', 'jwt_wasm_claims.wasm'),
)
