// Shared by the public-key verifier tests: keys made by WebCrypto (crypto.subtle) and by jose,
// tokens signed by WebCrypto (any header and payload, also ones jose would refuse to make) or by
// jose's SignJWT, a pinned time, and a fake KeySet that records every call. Time is injected.
import { webcrypto } from 'node:crypto'

const subtle = webcrypto.subtle
export const NOW = 1_767_225_600
export const at = (s = NOW) => ({ now: new Date(s * 1000) })
const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')

/** WebCrypto's generate / sign parameters of each JWS algorithm this package verifies. */
export const ALGS = {
  RS256: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }],
  RS384: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, { name: 'RSASSA-PKCS1-v1_5' }],
  RS512: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, { name: 'RSASSA-PKCS1-v1_5' }],
  PS256: [
    { name: 'RSA-PSS', hash: 'SHA-256' },
    { name: 'RSA-PSS', saltLength: 32 },
  ],
  PS384: [
    { name: 'RSA-PSS', hash: 'SHA-384' },
    { name: 'RSA-PSS', saltLength: 48 },
  ],
  PS512: [
    { name: 'RSA-PSS', hash: 'SHA-512' },
    { name: 'RSA-PSS', saltLength: 64 },
  ],
  ES256: [
    { name: 'ECDSA', namedCurve: 'P-256' },
    { name: 'ECDSA', hash: 'SHA-256' },
  ],
  ES384: [
    { name: 'ECDSA', namedCurve: 'P-384' },
    { name: 'ECDSA', hash: 'SHA-384' },
  ],
  EdDSA: [{ name: 'Ed25519' }, { name: 'Ed25519' }],
  Ed25519: [{ name: 'Ed25519' }, { name: 'Ed25519' }],
}

/**
 * A key pair of WebCrypto for `alg` (RSA 2048 unless told), with its public JWK (kid, alg).
 * @param {string} alg
 * @param {{ kid?: string, bits?: number, withAlg?: boolean }} [o]
 */
export async function keyPair(alg, { kid, bits = 2048, withAlg = true } = {}) {
  const [gen] = ALGS[alg]
  const params = gen.name.startsWith('RS')
    ? { ...gen, modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]) }
    : gen
  const { privateKey, publicKey } = await subtle.generateKey(params, true, ['sign', 'verify'])
  const { key_ops, ext, ...jwk } = await subtle.exportKey('jwk', publicKey)
  void key_ops, void ext
  if (kid !== undefined) jwk.kid = kid
  if (withAlg) jwk.alg = alg
  else delete jwk.alg
  return { alg, kid, privateKey, publicKey, jwk }
}

/** A compact JWS of any header and payload (object or text), signed by WebCrypto with `pair`'s private key. */
export async function sign(pair, header, payload) {
  const input = `${b64({ alg: pair.alg, ...(pair.kid === undefined ? {} : { kid: pair.kid }), ...header })}.${b64(payload)}`
  const sig = await subtle.sign(ALGS[pair.alg][1], pair.privateKey, Buffer.from(input))
  return `${input}.${Buffer.from(sig).toString('base64url')}`
}

/** The claims of a token valid at NOW. */
export const claims = (extra = {}) => ({
  iss: 'https://idp.test',
  aud: 'api',
  sub: 'u1',
  iat: NOW - 10,
  exp: NOW + 300,
  ...extra,
})

/** A token with its three segments split out. */
export const segments = (token) => token.split('.')
/** `token` with its signature replaced by `sig` (bytes). */
export const withSignature = (token, sig) =>
  `${token.slice(0, token.lastIndexOf('.'))}.${Buffer.from(sig).toString('base64url')}`

/**
 * A KeySet (keys-contract.md §4) over a list of bodies: `snapshot` answers the current one (or
 * undefined while `cold`), `load` moves to the next body when told to (`rotateOnLoad`), every
 * call is recorded.
 * @param {symbol} KEY_SET
 * @param {object[]} bodies JWKS objects, in the order the key set "fetches" them
 */
export function fakeKeySet(KEY_SET, bodies, { cold = false, rotateOnLoad = false } = {}) {
  let at = 0
  let hot = !cold
  const refusedVersions = []
  const calls = { snapshot: 0, load: [], refused: [] }
  const view = () =>
    refusedVersions.includes(at + 1) ? undefined : { version: at + 1, format: 'jwks', body: JSON.stringify(bodies[at]) }
  return {
    calls,
    [KEY_SET]: true,
    snapshot(now) {
      calls.snapshot++
      if (typeof now !== 'number') throw new TypeError('snapshot(now): seconds')
      return hot ? view() : undefined
    },
    async load(request) {
      calls.load.push(request)
      if (hot && rotateOnLoad && at + 1 < bodies.length) at++
      hot = true
      const v = view()
      if (!v) throw Object.assign(new Error('no usable body'), { code: 'ERR_JWKS_INVALID' })
      return v
    },
    refused(version, error) {
      calls.refused.push([version, error?.code])
      refusedVersions.push(version)
      if (at > 0) at--
    },
  }
}

/** The wire index of each algorithm (PK_ALGS of the protocol). */
export const PK = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519']
const internal = (path) => import(new URL(`../node_modules/jwt-wasm/${path}`, import.meta.url).href)
/** ring.js of the installed package: the very module instance its verifier uses. */
export const { Ring } = await internal('keys/ring.js')

/**
 * A Ring (one key-set version on the keys artifact, as PublicKeyVerifier makes it) over a JWKS
 * for one algorithm, with the default policy (requiredClaims exp: option kind 4).
 * @param {object} jwks
 * @param {string} alg
 */
export const ringOf = (jwks, alg, what = 'keys') =>
  new Ring(
    { lists: [[4, ['exp']]], mask: 1 << PK.indexOf(alg), args: [0, 0, -1, 16384, 8192] },
    'jwks',
    JSON.stringify(jwks),
    what,
  )
