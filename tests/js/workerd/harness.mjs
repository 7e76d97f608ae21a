// Runs a Worker the way wrangler deploys it, for the workerd tests: bundled by esbuild with the
// `workerd` condition (so `jwt-wasm` resolves to its workerd entry), the .wasm kept as its own
// module that workerd compiles at load time, then started on real workerd through miniflare.
import { join, dirname, basename } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

/**
 * @param {string} entry the Worker's source file; the bundle goes to `out/` beside it
 * @param {object} [options] more Miniflare options (bindings, durableObjects, kvNamespaces, ...)
 * @returns {Promise<{ mf: Miniflare, out: string }>}
 */
export async function startWorker(entry, options = {}) {
  const out = join(dirname(entry), 'out')
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    loader: { '.wasm': 'copy' },
    external: ['cloudflare:*'],
    outdir: out,
    logLevel: 'silent',
  })
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(out, basename(entry)),
    modulesRoot: out,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    ...options,
  })
  return { mf, out }
}
