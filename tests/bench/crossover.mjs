// The crossover of the Verifier's two MAC paths (src/js/native-mac.js, NATIVE_MIN_CHARS): the
// same verification with `mac: 'wasm'` (the core's pre-keyed HMAC) and `mac: 'native'` (the core
// up to the key, node:crypto's HMAC, the core's constant-time compare and claims) over tokens from
// about 300 B to 8 KB, interleaved rounds, medians. Prints one line per size and the first size
// from which native is faster. Not part of `make bench`: run `node tests/bench/crossover.mjs`
// after `make pkg` (it imports pkg/ directly). Env CROSSOVER_ROUNDS (default 15).
import { Signer, Verifier } from '../../pkg/entry-node.js'

const secret = 's'.repeat(32)
const now = new Date(1_800_000_000_000)
const signer = new Signer({ key: { alg: 'HS256', secret } })
const claims = { sub: 'user-1', iss: 'https://issuer.example', aud: 'api', exp: 1_900_000_000, roles: ['a'] }
const verifier = (mac) =>
  new Verifier({
    keys: [{ alg: 'HS256', secret }],
    algorithms: ['HS256'],
    issuer: 'https://issuer.example',
    audience: 'api',
    mac,
  })
const paths = { wasm: verifier('wasm'), native: verifier('native') }
const rounds = Number(process.env.CROSSOVER_ROUNDS ?? 15)

/** ns per verify of `token` on `v`, over a slice of about 20 ms. */
function time(v, token) {
  let n = 0
  const t0 = process.hrtime.bigint()
  let t = t0
  while (t - t0 < 20_000_000n) {
    for (let i = 0; i < 50; i++) v.verify(token, { currentDate: now })
    n += 50
    t = process.hrtime.bigint()
  }
  return Number(t - t0) / n
}
const median = (xs) => xs.toSorted((a, b) => a - b)[xs.length >> 1]

let crossover
for (const pad of [0, 300, 600, 800, 1000, 1200, 1500, 2000, 3000, 4200, 6000]) {
  const token = signer.sign({ ...claims, pad: 'p'.repeat(pad) })
  for (const v of Object.values(paths)) time(v, token) // warm-up
  const ratios = []
  const ns = { wasm: [], native: [] }
  for (let r = 0; r < rounds; r++) {
    const w = time(paths.wasm, token)
    const n = time(paths.native, token)
    ns.wasm.push(w)
    ns.native.push(n)
    ratios.push(w / n)
  }
  const ratio = median(ratios)
  if (ratio > 1 && crossover === undefined) crossover = token.length
  console.log(
    `${String(token.length).padStart(5)} chars: wasm ${median(ns.wasm).toFixed(0)} ns, native ${median(ns.native).toFixed(0)} ns, wasm/native ${ratio.toFixed(2)}`,
  )
}
console.log(`native first faster at ${crossover ?? 'none of these sizes'} chars (Node ${process.version})`)
