// The Node side of `make bench`, run in a child process by run.mjs: every peer's verify (small
// and large token) and sign, timed in this process with the method of timing.mjs, after the
// soundness gate of peers.mjs. Prints one JSON line: { gate, bytes, verify_small, verify_large, decode, sign, limits_small,
// limits_large } (limits.mjs: where the time goes).
// Env: BENCH_NOW (the pinned clock, seconds), BENCH_ROUNDS, BENCH_SLICE_MS, BENCH_WARMUP_MS.
import * as nodeCrypto from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as tsndr from '@tsndr/cloudflare-worker-jwt'
import * as fastJwt from 'fast-jwt'
import * as honoJwt from 'hono/utils/jwt/jwt'
import * as jose from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import * as jwtWasm from 'jwt-wasm'
import { SECRET, tokens as makeTokens } from './fixtures.mjs'
import { limitCases, limitGate } from './limits.mjs'
import { cases, gate } from './peers.mjs'
import { measure } from './timing.mjs'

const now = Number(process.env.BENCH_NOW)
const opts = {
  rounds: Number(process.env.BENCH_ROUNDS),
  sliceMs: Number(process.env.BENCH_SLICE_MS),
  warmupMs: Number(process.env.BENCH_WARMUP_MS),
}
const signer = new jwtWasm.Signer({ key: { alg: 'HS256', secret: SECRET } })
const tokens = makeTokens((c) => signer.sign(c), now)
const all = await cases({ jwtWasm, jose, honoJwt, tsndr, fastJwt, jsonwebtoken, nodeCrypto }, now)
const module = new WebAssembly.Module(readFileSync(new URL(import.meta.resolve('jwt-wasm/hmac-native.wasm'))))
const limits = await limitCases({ jwtWasm, jose, fastJwt, nodeCrypto, module }, tokens, now)
const failures = [...(await gate(all, tokens)), ...(await limitGate(limits, tokens, { jwtWasm, nodeCrypto }, now))]
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

const result = { gate: [], bytes: { small: tokens.small.length, large: tokens.large.length } }
for (const size of ['small', 'large']) {
  const fns = all.verify.map((c) => c.make(tokens[size]))
  const timed = await measure(
    all.verify.map((c, j) => ({ ...c, fn: fns[j] })),
    (c, n) => batch(c.fn, c.async, n),
    opts,
  )
  result[`verify_${size}`] = all.verify.map((c, j) => ({ id: c.id, label: c.label, ...timed[j] }))
}
const decodeFns = all.decode.map((c) => ({ ...c, fn: c.make(tokens.small) }))
const decoded = await measure(decodeFns, (c, n) => batch(c.fn, c.async, n), opts)
result.decode = all.decode.map((c, j) => ({ id: c.id, label: c.label, ...decoded[j] }))
const signed = await measure(all.sign, (c, n) => batch(c.fn, c.async, n), opts)
result.sign = all.sign.map((c, j) => ({ id: c.id, label: c.label, ...signed[j] }))
for (const size of ['small', 'large']) {
  const timed = await measure(limits[size], (c, n) => batch(c.fn, c.async, n), opts)
  result[`limits_${size}`] = limits[size].map((c, j) => ({ id: c.id, label: c.label, ...timed[j] }))
}
console.log(JSON.stringify(result))
