// The workerd half of the jwe case of `make bench` (jwe.mjs): bundles jwe-worker.js as
// workerd.mjs bundles worker.js (the `workerd` condition, the .wasm a static import), runs its
// gate, and times each case from outside, minus an empty-loop request of the same count.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { measure } from './timing.mjs'

/**
 * @param {{ dir: string, now: number, rounds: number, sliceMs: number, warmupMs: number }} o
 */
export async function benchJweWorkerd({ dir, now, ...opts }) {
  const out = join(dir, 'jwe-worker-out')
  await build({
    entryPoints: [join(dir, 'jwe-worker.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    loader: { '.wasm': 'copy' },
    external: ['cloudflare:*', 'node:*'],
    outdir: out,
    logLevel: 'silent',
  })
  if (!/from\s*"\.\/jwt_wasm_jwe[^"]*\.wasm"/.test(readFileSync(join(out, 'jwe-worker.js'), 'utf8')))
    throw new Error('the jwe Worker bundle did not take the workerd entry of jwt-wasm/jwe')
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(out, 'jwe-worker.js'),
    modulesRoot: out,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    bindings: { NOW: String(now) },
  })
  try {
    const get = async (path) => {
      const res = await mf.dispatchFetch(`http://bench${path}`)
      if (!res.ok) throw new Error(`workerd ${path}: ${res.status} ${await res.text()}`)
      return res.json()
    }
    const info = await get('/gate')
    if (info.failures.length) return { gate: info.failures }
    const request = async (id, n) => {
      const t0 = process.hrtime.bigint()
      await get(`/run?id=${id}&n=${n}`)
      return Number(process.hrtime.bigint() - t0)
    }
    const run = async (c, n) => {
      const before = await request('empty', n)
      const ns = await request(c.id, n)
      return Math.max(1, ns - Math.min(before, await request('empty', n)))
    }
    const timed = await measure(info.cases, run, opts)
    return { gate: [], bytes: info.bytes, decrypt: info.cases.map((c, j) => ({ ...c, ...timed[j] })) }
  } finally {
    await mf.dispose()
  }
}
