// The workerd half of the public-key case of `make bench` (pk.mjs): bundles pk-worker.js as
// workerd.mjs bundles worker.js (the `workerd` condition, the .wasm a static import), runs its
// gate per algorithm, times each case from outside minus an empty-loop request of the same count,
// then reads the remote key set's fetch count.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { PK_ALGS } from './pk.mjs'
import { measure } from './timing.mjs'

/**
 * @param {{ dir: string, now: number, rounds: number, sliceMs: number, warmupMs: number }} o
 */
export async function benchPkWorkerd({ dir, now, ...opts }) {
  const out = join(dir, 'pk-worker-out')
  await build({
    entryPoints: [join(dir, 'pk-worker.js')],
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
  if (!/from\s*"\.\/jwt_wasm_keys[^"]*\.wasm"/.test(readFileSync(join(out, 'pk-worker.js'), 'utf8')))
    throw new Error('the keys Worker bundle did not take the workerd entry of jwt-wasm/keys')
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(out, 'pk-worker.js'),
    modulesRoot: out,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    bindings: { NOW: String(now) },
  })
  try {
    const get = async (path) => {
      const res = await mf.dispatchFetch(`http://bench${path}`)
      if (!res.ok) throw new Error(`workerd ${path}: ${res.status} ${await res.text()}`)
      return res.json()
    }
    const pk = {}
    for (const alg of PK_ALGS) {
      const info = await get(`/gate?alg=${alg}`)
      if (info.failures.length) return { gate: info.failures }
      const request = async (id, n) => {
        const t0 = process.hrtime.bigint()
        await get(`/run?alg=${alg}&id=${id}&n=${n}`)
        return Number(process.hrtime.bigint() - t0)
      }
      const run = async (c, n) => {
        const before = await request('empty', n)
        const ns = await request(c.id, n)
        return Math.max(1, ns - Math.min(before, await request('empty', n)))
      }
      const timed = await measure(info.cases, run, opts)
      const { fetches } = await get(`/fetches?alg=${alg}`)
      pk[alg] = { bytes: info.bytes, fetches, timed: info.cases.map((c, j) => ({ ...c, ...timed[j] })) }
    }
    return { gate: [], pk }
  } finally {
    await mf.dispose()
  }
}
