// Memory for `make bench`, run as `node --expose-gc --max-semi-space-size=1 memory.mjs` (a fixed
// 1 MB young generation, so V8's own heap growth does not pass for a leak): VERIFIES verifies of
// the small token, then VERIFIERS verifiers created, used once and freed. Snapshots after a full
// GC: the wasm linear memory (every WebAssembly.Memory the package's instances export, however
// many artifacts it loads: seen by wrapping the WebAssembly constructors before the import, as
// the public API has no handle on it), RSS and the JS heap. Prints one JSON line.
// Env: BENCH_NOW, BENCH_VERIFIES, BENCH_VERIFIERS.
import { AUD, ISS, SECRET, tokens as makeTokens } from './fixtures.mjs'

/** @type {Set<WeakRef<WebAssembly.Memory>>} */
const memories = new Set()
const record = (exports) => {
  for (const v of Object.values(exports)) if (v instanceof WebAssembly.Memory) memories.add(new WeakRef(v))
}
const { Instance, instantiate } = WebAssembly
WebAssembly.Instance = new Proxy(Instance, {
  construct(target, args, newTarget) {
    const inst = Reflect.construct(target, args, newTarget)
    record(inst.exports)
    return inst
  },
})
WebAssembly.instantiate = async (...args) => {
  const r = await instantiate(...args)
  record((r.instance ?? r).exports)
  return r
}

const { Verifier, Signer } = await import('jwt-wasm')
const now = Number(process.env.BENCH_NOW)
const VERIFIES = Number(process.env.BENCH_VERIFIES)
const VERIFIERS = Number(process.env.BENCH_VERIFIERS)
const at = { currentDate: new Date(now * 1000) }
const signer = new Signer({ key: { alg: 'HS256', secret: SECRET } })
const { small } = makeTokens((c) => signer.sign(c), now)
const options = { keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'], issuer: ISS, audience: AUD }

const tick = () => new Promise((r) => setTimeout(r, 0))
async function snap(label) {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.()
    await tick()
  }
  let wasm = 0
  for (const ref of memories) wasm += ref.deref()?.buffer.byteLength ?? 0
  const m = process.memoryUsage()
  return { label, wasm, rss: m.rss, heap: m.heapUsed }
}

if (typeof globalThis.gc !== 'function') throw new Error('memory.mjs needs --expose-gc')
const verifier = new Verifier(options)
for (let i = 0; i < 1000; i++) verifier.verify(small, at)
const verifies = [await snap('start')]
for (let i = 1; i <= VERIFIES; i++) {
  verifier.verify(small, at)
  if (i === VERIFIES / 2) verifies.push(await snap('half'))
}
verifies.push(await snap('end'))
const verifiers = [await snap('start')]
for (let i = 1; i <= VERIFIERS; i++) {
  const v = new Verifier(options)
  v.verify(small, at)
  v.free()
  if (i === VERIFIERS / 2) verifiers.push(await snap('half'))
}
verifiers.push(await snap('end'))
if (memories.size === 0)
  throw new Error('no WebAssembly.Memory seen: the package instantiates in a way memory.mjs does not watch')
console.log(
  JSON.stringify({ verifies: { count: VERIFIES, snaps: verifies }, verifiers: { count: VERIFIERS, snaps: verifiers } }),
)
