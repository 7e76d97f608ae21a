// `make size`: what a browser downloads per entry, minified and gzipped, against a budget per
// entry. Each entry is a one-line import bundled for the browser (esbuild, minified, tree-shaken
// through "sideEffects"), resolved through the package's exports map (`browser` condition) as a
// user's bundler does, plus the .wasm artifacts that bundle fetches (found by name in it: one per
// entry, and the one that entry must load). Fails (exit 1) above any budget, or when an entry
// fetches another artifact than its own, so `make test` holds the line.
import { build } from 'esbuild'
import { BROWSER_BUNDLE } from './bench/browser-bundle.mjs'
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

// Bytes, gzip -9: each budget is what the entry reached when the wasm was split per job (issue
// 10) plus a small margin; the goal is the project's. Reached then (JS + wasm): verify 27,254
// (4,411 + 22,843), sign 26,745, session 24,790 (12,096 + 12,694), read 15,922 (3,228 +
// 12,694). Before the split every entry fetched the one 22,847 B wasm: verify 27,042, sign
// 26,533, session 35,068, read 26,189. What stands between an entry and its goal is its wasm (the
// claims artifact alone is the strict JSON reader, header, claims, inspect and the allocator)
// and, for the session, its own JS (10.3 KB gzip without the core it imports). Issue 9's
// refresh deadline (session/round.js: one round's deadline, kept across tabs and reloads) then
// took the session to 25,436 B, and its budget to 25.2 KB. The small-token cuts (a base64url
// table, pairwise duplicate checks: +131 B of hmac wasm) and the Verifier's `mac` option with
// its native-MAC hook (+172 B of JS; the native code itself is never bundled for browsers) took
// verify to 27,661 B, and its budget to 27.1 KB. Issue 12's browser entries without top-level
// await (Vite 5 and 6 refused it) took 4 to 7 B off each entry but the session, which waits for
// the claims wasm itself before reading its stored token: +52 B, 25,736 B. Reading a JWE (issue 11: `inspect` and
// `decodeUnverified` give `{ encrypted: true, header }`, read.js; no wasm byte) and the session's
// encrypted tokens (timed by `expires_in`, kept and sent with their times) took read from 16,167
// to 16,317 B (+150) and the session from 25,684 to 26,028 B (+344), their budgets to 16.0 and
// 25.5 KB.
// Refusing a JWE's times unless both are numbers and exp follows iat (a stored `:times` or a
// tab's `token` message; tests/js/session/encrypted-tabs.test.mjs) took it from 26,101 to 26,107 B.
const KB = 1024
const GOAL = 12 * KB
// jwt-wasm/jwe (issue 11): its own artifact (AES-GCM, AES-KW, AES-CBC with HMAC-SHA-256/512,
// and the hmac core that verifies or signs the inner token), so no other entry grows for it.
// Reached when it was added: Decrypter 48,534 B (5,852 JS + 42,682 wasm), Encrypter 48,044 B;
// jose's jwtDecrypt (no wasm), measured beside it, 8,346 B. (policy.js, the Verifier's and the
// Signer's options shared with the Decrypter and Encrypter, cost verify 8 B and sign 54 B.)
// decryptAsync's content decryption by WebCrypto (issue 11's workerd goal: jwe-webcrypto.js and
// the ops jwe_decrypt_begin/_end in the one jwe artifact, which the browser entry uses too) grew
// the Decrypter from 48,534 B (5,852 JS + 42,682 wasm) to 50,203 B (6,404 JS + 43,799 wasm), and the
// Encrypter from 48,044 to 49,160 B (the same wasm, +1,117 B). Its `finish` without the ciphertext's
// second decoding: the Decrypter 50,216 B, the Encrypter 49,173 B (+13 B each, the one wasm). The
// SIMD build for Node and workerd (jwt_wasm_jwe_simd.wasm) has no browser entry, so no budget.
const JWE_DECRYPT_BUDGET = 49.1 * KB
const JWE_ENCRYPT_BUDGET = 48.1 * KB
// jwt-wasm/keys (issue 13): its own artifact (the claims core, the JWK/JWKS reader, the X.509
// certificate reader of Firebase's keys, the two-phase verify whose signature the runtime checks;
// no SHA-2, no HMAC), so no other entry grows for it. Reached when it was added: PublicKeyVerifier
// 30,823 B (6,610 JS + 24,213 wasm; about 2.7 KB of that wasm the certificates), with
// remoteKeySet 34,353 B (10,140 JS); jose's jwtVerify + createRemoteJWKSet, measured beside it, 6,945 B (no
// wasm: jose parses in JS and verifies with WebCrypto). The wasm is the strict reader, claims and
// policy every verifier here shares. (policy.js's claimsPolicy, shared with PublicKeyVerifier so
// that an option means the same check, cost verify 40 B, Decrypter 42 B and the guard 29 B.)
const KEYS_BUDGET = 30.4 * KB
const KEYS_REMOTE_BUDGET = 33.8 * KB
// [name, source, the artifact it must fetch, budget, goal]; no budget: informational.
const ENTRIES = [
  [
    'verify: import { Verifier }',
    "import { Verifier } from 'jwt-wasm'; globalThis.V = Verifier",
    'hmac',
    27.1 * KB,
    GOAL,
  ],
  ['sign: import { Signer }', "import { Signer } from 'jwt-wasm'; globalThis.S = Signer", 'hmac', 26.5 * KB],
  [
    "session: import { createSession } from 'jwt-wasm/session'",
    "import { createSession } from 'jwt-wasm/session'; globalThis.C = createSession",
    'claims',
    25.5 * KB,
    GOAL,
  ],
  [
    "read: import { inspect, decodeUnverified } from 'jwt-wasm/claims'",
    "import { inspect, decodeUnverified } from 'jwt-wasm/claims'; globalThis.R = [inspect, decodeUnverified]",
    'claims',
    16 * KB,
  ],
  [
    "jwe: import { Decrypter } from 'jwt-wasm/jwe'",
    "import { Decrypter } from 'jwt-wasm/jwe'; globalThis.D = Decrypter",
    'jwe',
    JWE_DECRYPT_BUDGET,
  ],
  [
    "jwe: import { Encrypter } from 'jwt-wasm/jwe'",
    "import { Encrypter } from 'jwt-wasm/jwe'; globalThis.E = Encrypter",
    'jwe',
    JWE_ENCRYPT_BUDGET,
  ],
  [
    "keys: import { PublicKeyVerifier } from 'jwt-wasm/keys'",
    "import { PublicKeyVerifier } from 'jwt-wasm/keys'; globalThis.P = PublicKeyVerifier",
    'keys',
    KEYS_BUDGET,
  ],
  [
    "keys: import { PublicKeyVerifier, remoteKeySet } from 'jwt-wasm/keys'",
    "import { PublicKeyVerifier, remoteKeySet } from 'jwt-wasm/keys'; globalThis.P = [PublicKeyVerifier, remoteKeySet]",
    'keys',
    KEYS_REMOTE_BUDGET,
  ],
  ['whole API: import * from jwt-wasm', "import * as J from 'jwt-wasm'; globalThis.J = J", 'hmac'],
  // The peer of the jwe entry, measured in the same run (tests/node_modules/jose): no wasm.
  ["jose: import { jwtDecrypt } from 'jose'", "import { jwtDecrypt } from 'jose'; globalThis.D = jwtDecrypt", null],
  // The peer of the keys entry (issue 13 cites it at 6.9 KB), measured in the same run.
  [
    "jose: import { jwtVerify, createRemoteJWKSet } from 'jose'",
    "import { jwtVerify, createRemoteJWKSet } from 'jose'; globalThis.V = [jwtVerify, createRemoteJWKSet]",
    null,
  ],
]
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const pkg = join(root, 'pkg')
const gz = (buf) => gzipSync(buf, { level: 9 }).length
const kb = (n) => `${(n / KB).toFixed(1)} KB`

/** The bundle of `source` importing the package by name, as a user's bundler resolves it. */
async function bundle(source) {
  const dir = mkdtempSync(join(root, 'tests', '.size-'))
  try {
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(pkg, join(dir, 'node_modules', 'jwt-wasm'), 'dir')
    const entry = join(dir, 'entry.js')
    writeFileSync(entry, source)
    const out = await build({
      entryPoints: [entry],
      ...BROWSER_BUNDLE,
    })
    return Buffer.from(out.outputFiles[0].contents)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const artifacts = {}
for (const name of ['claims', 'hmac', 'jwe', 'keys']) {
  const wasm = readFileSync(join(pkg, 'wasm', `jwt_wasm_${name}.wasm`))
  artifacts[name] = { raw: wasm.length, gz: gz(wasm) }
  console.log(`artifact ${name}: jwt_wasm_${name}.wasm ${wasm.length} B raw, ${artifacts[name].gz} B gzip`)
}
const failures = []
for (const [name, source, own, budget, goal] of ENTRIES) {
  const js = await bundle(source)
  // A bundle that tree-shook the loader away would be small and broken; one that fetches another
  // artifact too would be large for nothing: each entry loads exactly its own.
  const fetched = [...new Set([...js.toString().matchAll(/jwt_wasm_(\w+)\.wasm/g)].map((m) => m[1]))]
  if (own === null ? fetched.length !== 0 : fetched.length !== 1 || fetched[0] !== own)
    failures.push(`${name}: fetches [${fetched.join(', ')}], not exactly the ${own} artifact`)
  // What only key set-up needs stays out of a bundle that only reads (errors.js takes the key
  // messages from its caller).
  if (own === 'claims' && js.includes('is not an HMAC secret'))
    failures.push(`${name}: carries the key messages, which reading never needs`)
  const wasmGz = fetched.reduce((n, a) => n + (artifacts[a]?.gz ?? 0), 0)
  const jsGz = gz(js)
  const total = jsGz + wasmGz
  const verdict =
    budget === undefined ? 'informational' : total <= budget ? `within ${kb(budget)}` : `OVER ${kb(budget)}`
  console.log(
    `${name}: JS ${js.length} B min, ${jsGz} B gzip + wasm (${fetched.join(', ')}) ${wasmGz} B = ${total} B gzip, ${kb(total)} (${verdict}${goal ? `; goal ${kb(goal)}` : ''})`,
  )
  if (budget !== undefined && total > budget) failures.push(`${name}: ${total} B is over its ${budget} B budget`)
}
if (failures.length) {
  for (const f of failures) console.error(`size: ${f}`)
  process.exit(1)
}
