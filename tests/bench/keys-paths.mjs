// Where a public-key signature is checked fastest, per runtime (issue 13: "the signature where it
// is fastest"): PublicKeyVerifier.verifyAsync of one small token per algorithm (ES256, RS256,
// EdDSA), with the runtime's WebCrypto (`crypto.subtle.verify`, a cached CryptoKey) and with
// node:crypto (the synchronous `crypto.verify`, a cached KeyObject), in Node and on workerd under
// nodejs_compat. Interleaved slices of about 20 ms, medians; prints µs per token and the ratio.
// Not part of `make bench`: run `node tests/bench/keys-paths.mjs` after `make pkg`. The entries
// pick what this measured: node:crypto in Node (entry-keys-node.js), WebCrypto on workerd
// (entry-keys-workerd.js). Env KEYS_PATHS_ROUNDS (default 7).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url))
const rounds = Number(process.env.KEYS_PATHS_ROUNDS ?? 7)

// The body shared by both runtimes: makes keys and tokens with WebCrypto, then times each path.
const body = (entry, signatureModule, nodeModule) => `
import { PublicKeyVerifier } from ${JSON.stringify(entry)}
import { signatures, webCrypto } from ${JSON.stringify(signatureModule)}
import { nodeSignatures } from ${JSON.stringify(nodeModule)}
const GEN = {
  ES256: [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
  RS256: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, { name: 'RSASSA-PKCS1-v1_5' }],
  EdDSA: [{ name: 'Ed25519' }, { name: 'Ed25519' }],
}
const b64 = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '')
const enc = (o) => b64(new TextEncoder().encode(JSON.stringify(o)))
const now = new Date(1_800_000_000_000)
const median = (xs) => xs.toSorted((a, b) => a - b)[xs.length >> 1]
async function slice(v, token) {
  const p0 = performance.now()
  let n = 0
  while (performance.now() - p0 < 20) {
    for (let i = 0; i < 20; i++) await v.verifyAsync(token, { now })
    n += 20
  }
  return ((performance.now() - p0) / n) * 1000
}
export async function measure(crypto, rounds) {
  const providers = { webcrypto: webCrypto, 'node:crypto': nodeSignatures(crypto) }
  const out = {}
  for (const [alg, [gen, sign]] of Object.entries(GEN)) {
    const pair = await globalThis.crypto.subtle.generateKey(gen, true, ['sign', 'verify'])
    const jwk = { ...(await globalThis.crypto.subtle.exportKey('jwk', pair.publicKey)), kid: 'k1', alg, key_ops: undefined, ext: undefined }
    const input = enc({ alg, kid: 'k1', typ: 'JWT' }) + '.' + enc({ iss: 'https://idp.example', aud: 'api', sub: 'user-1', exp: 1_900_000_000 })
    const token = input + '.' + b64(await globalThis.crypto.subtle.sign(sign, pair.privateKey, new TextEncoder().encode(input)))
    const verifiers = {}
    const failed = {}
    for (const [name, p] of Object.entries(providers)) {
      signatures.provider = p
      verifiers[name] = new PublicKeyVerifier({ keys: [JSON.parse(JSON.stringify(jwk))], algorithms: [alg], issuer: 'https://idp.example', audience: 'api' })
      try {
        await slice(verifiers[name], token) // imports the key, warms up
      } catch (e) {
        failed[name] = String(e?.message ?? e).slice(0, 120)
        delete verifiers[name]
      }
    }
    const us = { webcrypto: [], 'node:crypto': [] }
    for (let r = 0; r < rounds; r++) for (const name of Object.keys(verifiers)) us[name].push(await slice(verifiers[name], token))
    out[alg] = { webcrypto: median(us.webcrypto), node: failed['node:crypto'] ? NaN : median(us['node:crypto']), failed }
  }
  return out
}
`

const print = (where, out) => {
  for (const [alg, r] of Object.entries(out))
    if (r.failed['node:crypto'])
      console.log(
        `${where} ${alg}: WebCrypto ${r.webcrypto.toFixed(1)} µs per token; node:crypto refused: ${r.failed['node:crypto']}`,
      )
    else
      console.log(
        `${where} ${alg}: WebCrypto ${r.webcrypto.toFixed(1)} µs, node:crypto ${r.node.toFixed(1)} µs per token: node:crypto is ${(r.webcrypto / r.node).toFixed(2)}× WebCrypto`,
      )
}

const dir = mkdtempSync(join(tmpdir(), 'jwt-wasm-keys-paths-'))
try {
  // Node: the package's Node entry, the provider swapped per verifier.
  writeFileSync(
    join(dir, 'node.mjs'),
    body(
      pathToFileURL(join(pkg, 'entry-keys-node.js')).href,
      pathToFileURL(join(pkg, 'keys/signature.js')).href,
      pathToFileURL(join(pkg, 'keys/node-signature.js')).href,
    ),
  )
  const node = await import(pathToFileURL(join(dir, 'node.mjs')).href)
  print('Node', await node.measure(await import('node:crypto'), rounds))

  // workerd under nodejs_compat, bundled as wrangler would.
  writeFileSync(
    join(dir, 'lib.js'),
    body(join(pkg, 'entry-keys-workerd.js'), join(pkg, 'keys/signature.js'), join(pkg, 'keys/node-signature.js')),
  )
  writeFileSync(
    join(dir, 'worker.js'),
    `import { measure } from './lib.js'
import * as crypto from 'node:crypto'
export default { async fetch() { return Response.json(await measure(crypto, ${rounds})) } }
`,
  )
  await build({
    entryPoints: [join(dir, 'worker.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    loader: { '.wasm': 'copy' },
    external: ['node:*', 'cloudflare:*'],
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
  try {
    print('workerd', await (await mf.dispatchFetch('http://localhost/')).json())
  } finally {
    await mf.dispose()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
