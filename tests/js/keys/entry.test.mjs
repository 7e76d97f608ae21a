// The jwt-wasm/keys entry (issue 13): in Node it loads only the keys artifact (it verifies with
// the others gone), checks signatures with node:crypto (measured faster there: README), shares
// the one error hierarchy, and on an artifact without the keys capability says so, typed. Its
// import graph: jwt-wasm/edge and the HMAC entries import nothing of it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as root from 'jwt-wasm'
import * as keys from 'jwt-wasm/keys'
import { RFC7515_A3 } from './rfc-vectors.mjs'

const repo = process.env.JWT_WASM_REPO
const pkgDir = dirname(fileURLToPath(import.meta.resolve('jwt-wasm/package.json')))
const internal = (path) => import(new URL(`../node_modules/jwt-wasm/${path}`, import.meta.url).href)

/** Runs `script` in a fresh Node over a copy of the package whose artifacts `change` altered. */
function inCopy(change, script) {
  mkdirSync(join(repo, 'tests', '.tmp'), { recursive: true })
  const scratch = mkdtempSync(join(repo, 'tests', '.tmp', 'keys-entry-'))
  try {
    cpSync(pkgDir, scratch, { recursive: true })
    change(join(scratch, 'wasm'))
    const body = `const dir = ${JSON.stringify(pathToFileURL(`${scratch}/`).href)}\n${script}`
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', body], { encoding: 'utf8' }))
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

const verifyA3 = `
  const m = await import(new URL('entry-keys-node.js', dir).href)
  const run = async (f) => { try { return await f() } catch (e) { return { name: e.name, code: e.code, jwt: e instanceof m.JwtError } } }
  const v = await run(() => new m.PublicKeyVerifier({ keys: [${JSON.stringify(RFC7515_A3.jwk)}], algorithms: ['ES256'] }))
  const out = v.verifyAsync ? await run(async () => (await v.verifyAsync(${JSON.stringify(RFC7515_A3.token)}, { now: new Date(${RFC7515_A3.now * 1000}) })).payload.iss) : v
  console.log(JSON.stringify(out))`

test('jwt-wasm/keys loads only its artifact (in Node the fast one, with tickets): it verifies with every other one gone', () => {
  const out = inCopy((wasm) => {
    for (const a of ['claims', 'hmac', 'hmac_native', 'jwe', 'keys']) rmSync(join(wasm, `jwt_wasm_${a}.wasm`))
  }, verifyA3)
  assert.equal(out, 'joe')
})

test('PublicKeyVerifier on an artifact without the keys capability: WasmCapabilityMissing, typed', () => {
  const out = inCopy(
    (wasm) => copyFileSync(join(wasm, 'jwt_wasm_claims.wasm'), join(wasm, 'jwt_wasm_keys_fast.wasm')),
    verifyA3,
  )
  assert.deepEqual(out, { name: 'WasmCapabilityMissing', code: 'ERR_WASM_CAPABILITY_MISSING', jwt: true })
})

test("in Node the signature is node:crypto's (a KeyObject per key, the synchronous verify)", async () => {
  const { signatures } = await internal('keys/signature.js')
  assert.equal(signatures.provider.name, 'node:crypto')
})

test('one error hierarchy across the entries; the keys errors are JwtErrors with their codes', () => {
  assert.equal(keys.JwtError, root.JwtError)
  assert.equal(new keys.JWKInvalid().code, 'ERR_JWK_INVALID')
  assert.equal(new keys.JWKSInvalid().code, 'ERR_JWKS_INVALID')
  assert.ok(new keys.JWKSFetchFailed() instanceof root.JwtError)
})

test('no other entry imports jwt-wasm/keys: the edge, the core API, claims, session and jwe', () => {
  const files = (dir) =>
    readdirSync(join(pkgDir, dir))
      .filter((f) => f.endsWith('.js') && !f.startsWith('entry-keys-') && f !== 'keys.js')
      .map((f) => join(pkgDir, dir, f))
  for (const file of [...files('.'), ...files('edge'), ...files('session'), ...files('internal')]) {
    const text = readFileSync(file, 'utf8')
    assert.doesNotMatch(text, /from '[^']*(keys\.js|keys\/|jwt-wasm\/keys)[^']*'/, file)
  }
})
