// The workerd half of `make bench`: bundles worker.js the way wrangler does (esbuild, ESM, the
// `workerd`/`worker`/`browser` conditions, the .wasm kept as a static module import that workerd
// compiles at load, `node:*` and `cloudflare:*` external under nodejs_compat), starts it on real
// workerd (miniflare), runs the gate there, then times every case from outside: each request runs
// a case n times, and an empty-loop request of the same n is subtracted from it (the smaller of
// one just before and one just after).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { measure } from './timing.mjs'

/**
 * @param {{ dir: string, now: number, rounds: number, sliceMs: number, warmupMs: number }} o
 */
export async function benchWorkerd({ dir, now, ...opts }) {
  const out = join(dir, 'worker-out')
  await build({
    entryPoints: [join(dir, 'worker.js')],
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
  if (!/from\s*"\.\/[^"]+\.wasm"/.test(readFileSync(join(out, 'worker.js'), 'utf8')))
    throw new Error('the Worker bundle did not take the workerd entry (no static .wasm import)')
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(out, 'worker.js'),
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
    const coarse = { perfMs: 0, dateMs: 0, wallMs: 0 }
    /** ns of one request running `set`/`id` n times, timed from here. */
    const request = async (set, id, n) => {
      const t0 = process.hrtime.bigint()
      const r = await get(`/run?set=${set}&id=${id}&n=${n}`)
      const ns = Number(process.hrtime.bigint() - t0)
      if (set !== 'empty' && ns > coarse.wallMs * 1e6)
        Object.assign(coarse, { perfMs: r.perfMs, dateMs: r.dateMs, wallMs: ns / 1e6 })
      return ns
    }
    const result = { gate: [], bytes: info.bytes }
    for (const [set, list] of [
      ['verify_small', info.verify],
      ['verify_large', info.verify],
      ['decode', info.decode],
      ['sign', info.sign],
      ['limits_small', info.limits.small],
      ['limits_large', info.limits.large],
    ]) {
      // The empty loop runs before and after the case; the smaller of the two is subtracted, so a
      // spike of the shared machine during one of them does not swallow the case's own time.
      const run = async (c, n) => {
        const before = await request('empty', '-', n)
        const ns = await request(set, c.id, n)
        return Math.max(1, ns - Math.min(before, await request('empty', '-', n)))
      }
      const timed = await measure(list, run, opts)
      result[set] = list.map((c, j) => ({ ...c, ...timed[j] }))
    }
    result.coarse = { ...coarse, ...(await get('/clock')) }
    return result
  } finally {
    await mf.dispose()
  }
}
