// The Node side of the public-key case of `make bench` (pk.mjs), run in a child process by
// run.mjs: per algorithm the gate, then verify of the small token by each case, timed with
// timing.mjs, then the remote key set's fetch count. Prints one JSON line: { gate, pk }.
// Env: BENCH_NOW, BENCH_ROUNDS, BENCH_SLICE_MS, BENCH_WARMUP_MS.
import * as nodeCrypto from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as jose from 'jose'
import * as keys from 'jwt-wasm/keys'
import { PK_ALGS, pkCases, timedFn } from './pk.mjs'
import { nodeFloorCase } from './pk-node-floor.mjs'
import { measure } from './timing.mjs'

const now = Number(process.env.BENCH_NOW)
const opts = {
  rounds: Number(process.env.BENCH_ROUNDS),
  sliceMs: Number(process.env.BENCH_SLICE_MS),
  warmupMs: Number(process.env.BENCH_WARMUP_MS),
}
/** n awaited calls of `fn`, in ns. */
async function batch(fn, n) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await fn()
  return Number(process.hrtime.bigint() - t0)
}
// EdDSA's synchronous alternative (ed25519.mjs), copied beside this file by run.sh.
const ed25519 = new WebAssembly.Module(readFileSync(new URL('./ed25519.wasm', import.meta.url)))
const pk = {}
for (const alg of PK_ALGS) {
  const { cases, token, failures, fetches } = await pkCases(
    { keys, jose, ed25519, nodeFloor: (...a) => nodeFloorCase(nodeCrypto, ...a) },
    alg,
    now,
  )
  if (failures.length) {
    console.log(JSON.stringify({ gate: failures }))
    process.exit(0)
  }
  const fns = cases.map((c) => ({ ...c, fn: timedFn(c, token) }))
  const timed = await measure(fns, (c, n) => batch(c.fn, n), opts)
  pk[alg] = {
    bytes: token.length,
    fetches: fetches.n,
    timed: cases.map((c, j) => ({ id: c.id, label: c.label, ...timed[j] })),
  }
}
console.log(JSON.stringify({ gate: [], pk }))
