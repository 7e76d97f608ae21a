// The Node side of the jwe case of `make bench` (jwe.mjs), run in a child process by run.mjs:
// the gate, then decrypt + verify by each case, in turn over the pool of nested tokens (jwe.mjs's
// `pooled`, a counter per case), timed with timing.mjs.
// Prints one JSON line: { gate, bytes, decrypt }. Env: BENCH_NOW, BENCH_ROUNDS, BENCH_SLICE_MS, BENCH_WARMUP_MS.
import * as jose from 'jose'
import * as jwt from 'jwt-wasm'
import * as jwe from 'jwt-wasm/jwe'
import { jweCases, pooled } from './jwe.mjs'
import { measure } from './timing.mjs'

const now = Number(process.env.BENCH_NOW)
const opts = {
  rounds: Number(process.env.BENCH_ROUNDS),
  sliceMs: Number(process.env.BENCH_SLICE_MS),
  warmupMs: Number(process.env.BENCH_WARMUP_MS),
}
const { cases, token, tokens, failures } = await jweCases({ jwe, jose, jwt }, now)
if (failures.length) {
  console.log(JSON.stringify({ gate: failures }))
  process.exit(0)
}
/** n calls of `fn`, in ns. */
async function batch(fn, isAsync, n) {
  const t0 = process.hrtime.bigint()
  if (isAsync) for (let i = 0; i < n; i++) await fn()
  else for (let i = 0; i < n; i++) fn()
  return Number(process.hrtime.bigint() - t0)
}
const fns = cases.map((c) => ({ ...c, fn: pooled(c, tokens) }))
const timed = await measure(fns, (c, n) => batch(c.fn, c.async, n), opts)
const decrypt = cases.map((c, j) => ({ id: c.id, label: c.label, ...timed[j] }))
console.log(JSON.stringify({ gate: [], bytes: token.length, decrypt }))
