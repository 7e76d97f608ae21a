// Every shared vector as a case for tests/js/support/mac-paths-run.mjs (plain JSON, so it can be
// sent to a Worker): each case of tests/vectors/*.json, every case of the RFC 8725 checklist
// (tests/vectors/rfc8725.json) and every HS case of Wycheproof's json_web_signature_test.json
// (tests/vectors/wycheproof/, Apache-2.0), secrets as hex or UTF-8 text. Node only (reads files).
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
const dir = join(repo, 'tests', 'vectors')
const read = (...p) => JSON.parse(readFileSync(join(dir, ...p), 'utf8'))
const hex = (/** @type {Uint8Array} */ b) => Buffer.from(b).toString('hex')

/** A vector key ({utf8} | {base64url} | {hex} secrets) → a case key. @param {any} k */
function key(k) {
  const { secret, ...rest } = k
  if (secret === undefined) return rest
  if (typeof secret.utf8 === 'string') return { ...rest, utf8: secret.utf8 }
  if (typeof secret.hex === 'string') return { ...rest, hex: secret.hex }
  if (typeof secret.base64url === 'string') return { ...rest, hex: hex(Buffer.from(secret.base64url, 'base64url')) }
  throw new Error('a vector key secret is {utf8}, {hex} or {base64url}')
}

/** The Wycheproof JWS group's key, as tests/js/core/wycheproof.test.mjs runs it. @param {any} group */
function wycheproofKey(group) {
  const jwk = group.private ?? group.public
  const b = (/** @type {string} */ s) => Buffer.from(s, 'base64url')
  if (jwk.kty === 'oct') return { kid: jwk.kid, alg: jwk.alg, hex: hex(b(jwk.k)) }
  return { kid: jwk.kid, alg: 'HS256', hex: hex(Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)])) }
}

/** The `alg` of a compact token's header, when it decodes. @param {unknown} jws */
function headerAlg(jws) {
  if (typeof jws !== 'string') return undefined
  try {
    return JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString('utf8'))?.alg
  } catch {
    return undefined
  }
}

/** @returns {{ name: string, keys: any[], options: any, token: string, now: number }[]} */
export function allCases() {
  const cases = []
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json') || file === 'rfc8725.json' || file === 'protocol.json') continue
    const doc = read(file)
    if (!Array.isArray(doc?.cases)) continue
    for (const [i, c] of doc.cases.entries())
      cases.push({
        name: `${file}/${i}/${c.name}`,
        keys: c.keys.map(key),
        options: c.options ?? {},
        token: c.token,
        now: c.now,
      })
  }
  for (const row of read('rfc8725.json').rows)
    for (const c of row.cases)
      cases.push({
        name: `rfc8725.json #${row.row}: ${c.name}`,
        keys: c.keys.map(key),
        options: c.options ?? {},
        token: c.token,
        now: c.now,
      })
  const wp = read('wycheproof', 'json_web_signature_test.json')
  for (const group of wp.testGroups) {
    const oct = (group.private ?? group.public).kty === 'oct'
    for (const t of group.tests) {
      if (!oct && !headerAlg(t.jws)?.startsWith('HS')) continue
      const k = wycheproofKey(group)
      cases.push({
        name: `wycheproof json_web_signature_test.json tcId ${t.tcId}`,
        keys: [k],
        options: { algorithms: [k.alg] },
        token: typeof t.jws === 'string' ? t.jws : JSON.stringify(t.jws),
        now: 1_700_000_000,
      })
    }
  }
  return cases
}

/** Codes that come only after key selection, so the MAC was computed (steps 5 to 7). */
export const AFTER_KEY = new Set([
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
])
