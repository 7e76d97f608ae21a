// The crossover of the Verifier's two MAC paths on workerd (crossover.mjs measures it in Node):
// the same tokens, from about 200 B to 8 KB, verified with `mac: 'wasm'` and `mac: 'native'`
// (workerd's node:crypto under nodejs_compat) inside one Worker, in interleaved slices of about
// 20 ms timed there by performance.now() (which advances in 1 ms steps: a slice holds ~20 of
// them), medians of the per-slice ratio. Prints one line per size and the first size from which
// native is faster. Not part of `make bench`: run `node tests/bench/crossover-workerd.mjs` after
// `make pkg` (it bundles pkg/entry-workerd.js as wrangler would). Env CROSSOVER_ROUNDS (default 9).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url))
const rounds = Number(process.env.CROSSOVER_ROUNDS ?? 9)
const worker = `
import { Signer, Verifier } from 'jwt-wasm'
const secret = 's'.repeat(32)
const now = new Date(1_800_000_000_000)
const signer = new Signer({ key: { alg: 'HS256', secret } })
const claims = { sub: 'user-1', iss: 'https://issuer.example', aud: 'api', exp: 1_900_000_000, roles: ['a'] }
const make = (mac) => new Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'], issuer: 'https://issuer.example', audience: 'api', mac })
const paths = { wasm: make('wasm'), native: make('native') }
const median = (xs) => xs.toSorted((a, b) => a - b)[xs.length >> 1]
function time(v, token) {
  const p0 = performance.now()
  let n = 0
  while (performance.now() - p0 < 20) {
    for (let i = 0; i < 50; i++) v.verify(token, { currentDate: now })
    n += 50
  }
  return ((performance.now() - p0) / n) * 1e6
}
export default {
  async fetch(request) {
    const url = new URL(request.url)
    const token = signer.sign({ ...claims, pad: 'p'.repeat(Number(url.searchParams.get('pad'))) })
    for (const v of Object.values(paths)) time(v, token)
    const ns = { wasm: [], native: [] }
    const ratios = []
    for (let r = 0; r < ${rounds}; r++) {
      const w = time(paths.wasm, token)
      const n = time(paths.native, token)
      ns.wasm.push(w)
      ns.native.push(n)
      ratios.push(w / n)
    }
    return Response.json({ chars: token.length, wasm: median(ns.wasm), native: median(ns.native), ratio: median(ratios) })
  },
}
`
const dir = mkdtempSync(join(tmpdir(), 'jwt-wasm-crossover-'))
try {
  writeFileSync(join(dir, 'worker.js'), worker)
  await build({
    entryPoints: [join(dir, 'worker.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    alias: { 'jwt-wasm': join(pkg, 'entry-workerd.js') },
    loader: { '.wasm': 'copy' },
    external: ['cloudflare:*', 'node:*'],
    outdir: join(dir, 'out'),
    logLevel: 'silent',
  })
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, 'out', 'worker.js'),
    modulesRoot: join(dir, 'out'),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
  })
  let crossover
  try {
    for (const pad of [0, 300, 600, 800, 1000, 1200, 1500, 2000, 3000, 4200, 6000]) {
      const r = await (await mf.dispatchFetch(`http://crossover/?pad=${pad}`)).json()
      if (r.ratio > 1 && crossover === undefined) crossover = r.chars
      console.log(
        `${String(r.chars).padStart(5)} chars: wasm ${r.wasm.toFixed(0)} ns, native ${r.native.toFixed(0)} ns, wasm/native ${r.ratio.toFixed(2)}`,
      )
    }
  } finally {
    await mf.dispose()
  }
  console.log(`native first faster at ${crossover ?? 'none of these sizes'} chars (workerd)`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
