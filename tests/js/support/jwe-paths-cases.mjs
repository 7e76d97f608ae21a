// The JWE cases every content-decryption path of a Decrypter must agree on (`decrypt`, and
// `decryptAsync` in wasm and by WebCrypto: tests/js/support/jwe-paths-run.mjs), made in Node
// (carried over from the node:crypto path of branch h4-jwe-native): for every alg × enc, a nested token from jose (CompactEncrypt) and from our
// Encrypter, small and large, and the threat-named negatives (tag, ciphertext, IV, encrypted key
// or protected header altered; IV and tag of another length; truncated; the wrong key; a wrapping
// key that does not unwrap, also with the content sealed under the zero CEK that a failed unwrap
// leaves (an attacker knows it: only the core's unwrap verdict refuses it); CBC padding broken under a good tag; no nested JWS; an inner token
// expired or signed by another key), each with the error it must give. Plain JSON, so the same
// list goes to workerd.
import { createCipheriv, createHmac, randomBytes } from 'node:crypto'
import { CompactEncrypt, EncryptJWT } from 'jose'
import { Signer } from 'jwt-wasm'
import { Encrypter } from 'jwt-wasm/jwe'

export const NOW = 1_780_272_000 // 2026-06-01
const AT = { currentDate: new Date(NOW * 1000) }
const HS = { alg: 'HS256', secret: new Uint8Array(32).fill(3), kid: 'hs1' }
const ALGS = ['dir', 'A128KW', 'A256KW']
const ENCS = ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512']
const CEK = { A128GCM: 16, A256GCM: 32, 'A128CBC-HS256': 32, 'A256CBC-HS512': 64 }
const KEK = { A128KW: 16, A256KW: 32 }
const te = new TextEncoder()
const b64 = (b) => Buffer.from(b).toString('base64url')
const hex = (b) => Buffer.from(b).toString('hex')
const FAILED = 'ERR_JWE_DECRYPTION_FAILED'
const INVALID = 'ERR_JWE_INVALID'

/** A key for `alg` (and, for dir, `enc`), its bytes all `fill`, as a case key and as bytes. */
const keyOf = (alg, enc, fill = 7) => {
  const secret = new Uint8Array(alg === 'dir' ? CEK[enc] : KEK[alg]).fill(fill)
  return { key: alg === 'dir' ? { alg, enc, hex: hex(secret) } : { alg, hex: hex(secret) }, secret }
}
/** `token` with segment `i` replaced by `f(bytes)`. */
const segment = (token, i, f) => {
  const parts = token.split('.')
  parts[i] = b64(f(Buffer.from(parts[i], 'base64url')))
  return parts.join('.')
}
const flip = (b) => {
  const c = Buffer.from(b)
  c[c.length - 1] ^= 1
  return c
}

/**
 * A dir CBC-HMAC token whose padding is broken under a tag made with the key (what a padding
 * oracle probes): the tag passes, the decryption must still fail as every other.
 */
function badPadding(enc, secret, header) {
  const half = secret.length / 2
  const h = b64(JSON.stringify(header))
  const iv = Buffer.alloc(16, 9)
  const c = createCipheriv(half === 16 ? 'aes-128-cbc' : 'aes-256-cbc', secret.subarray(half), iv)
  c.setAutoPadding(false)
  const ct = Buffer.concat([c.update(Buffer.alloc(32, 0x41)), c.final()]) // last byte 0x41: no valid padding
  const al = Buffer.alloc(8)
  al.writeUInt32BE(h.length * 8, 4)
  const mac = createHmac(half === 16 ? 'sha256' : 'sha512', secret.subarray(0, half))
    .update(h)
    .update(iv)
    .update(ct)
    .update(al)
    .digest()
  return [h, '', b64(iv), b64(ct), b64(mac.subarray(0, half))].join('.')
}

/**
 * IV, ciphertext and tag (base64url) of `plaintext` under the CEK `cek` with the protected
 * segment `h` as the AAD (RFC 7518 §5.2, §5.3), by node:crypto.
 */
function sealUnder(cek, enc, h, plaintext) {
  const iv = randomBytes(enc.includes('GCM') ? 12 : 16)
  if (enc.includes('GCM')) {
    const c = createCipheriv(cek.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', cek, iv).setAAD(Buffer.from(h))
    const ct = Buffer.concat([c.update(plaintext), c.final()])
    return [b64(iv), b64(ct), b64(c.getAuthTag())]
  }
  const half = cek.length / 2
  const c = createCipheriv(half === 16 ? 'aes-128-cbc' : 'aes-256-cbc', cek.subarray(half), iv)
  const ct = Buffer.concat([c.update(plaintext), c.final()])
  const al = Buffer.alloc(8)
  al.writeUInt32BE(h.length * 8, 4)
  const mac = createHmac(half === 16 ? 'sha256' : 'sha512', cek.subarray(0, half))
  const tag = mac.update(h).update(iv).update(ct).update(al).digest().subarray(0, half)
  return [b64(iv), b64(ct), b64(tag)]
}

/** Every case, with `expect`: 'ok' or the error code both paths must give. */
export async function allCases() {
  const small = new Signer({ key: HS, ttl: 600 }).sign({ sub: 'alice', scope: 'read' }, AT)
  const large = new Signer({ key: HS, ttl: 600 }).sign({ sub: 'bob', pad: 'p'.repeat(6000) }, AT)
  const expired = new Signer({ key: HS, ttl: 60 }).sign({ sub: 'old' }, { currentDate: new Date((NOW - 3600) * 1000) })
  const forged = new Signer({ key: { ...HS, secret: new Uint8Array(32).fill(5) }, ttl: 600 }).sign({ sub: 'x' }, AT)
  const cases = []
  const add = (name, key, token, expect) => cases.push({ name, key, token, now: NOW, expect })
  for (const alg of ALGS)
    for (const enc of ENCS) {
      const { key, secret } = keyOf(alg, enc)
      const header = { alg, enc, cty: 'JWT' }
      const jose = (plaintext, h = header) =>
        new CompactEncrypt(te.encode(plaintext)).setProtectedHeader(h).encrypt(secret)
      const { hex: _, ...bare } = key
      const ours = new Encrypter({ key: { ...bare, secret }, enc })
      const good = ours.encrypt(small)
      const n = `${alg} + ${enc}`
      add(`${n}: jose, small`, key, await jose(small), 'ok')
      add(`${n}: jose, large`, key, await jose(large), 'ok')
      add(`${n}: ours, small`, key, good, 'ok')
      add(`${n}: ours, large`, key, ours.encrypt(large), 'ok')
      add(`${n}: tag flipped`, key, segment(good, 4, flip), FAILED)
      add(`${n}: ciphertext flipped`, key, segment(good, 3, flip), FAILED)
      add(`${n}: IV flipped`, key, segment(good, 2, flip), FAILED)
      add(
        `${n}: protected header changed (AAD)`,
        key,
        [b64(JSON.stringify({ cty: 'JWT', alg, enc })), ...good.split('.').slice(1)].join('.'),
        FAILED,
      )
      add(
        `${n}: IV a byte short`,
        key,
        segment(good, 2, (b) => b.subarray(1)),
        INVALID,
      )
      add(
        `${n}: IV a byte long`,
        key,
        segment(good, 2, (b) => Buffer.concat([b, Buffer.from([0])])),
        INVALID,
      )
      add(
        `${n}: tag a byte short`,
        key,
        segment(good, 4, (b) => b.subarray(1)),
        INVALID,
      )
      add(
        `${n}: ciphertext empty`,
        key,
        segment(good, 3, () => new Uint8Array(0)),
        FAILED,
      )
      add(
        `${n}: ciphertext a byte short`,
        key,
        segment(good, 3, (b) => b.subarray(1)),
        FAILED,
      )
      add(`${n}: truncated to four segments`, key, good.split('.').slice(0, 4).join('.'), INVALID)
      add(`${n}: the wrong key of the right length`, keyOf(alg, enc, 8).key, good, FAILED)
      add(`${n}: inner token expired`, key, ours.encrypt(expired), 'ERR_JWT_EXPIRED')
      add(`${n}: inner token signed by another key`, key, ours.encrypt(forged), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
      const claimsOnly = await new EncryptJWT({ sub: 'mallory' }).setProtectedHeader({ alg, enc }).encrypt(secret)
      add(`${n}: claims encrypted, not signed`, key, claimsOnly, INVALID)
      if (alg === 'dir') {
        add(
          `${n}: an encrypted key given`,
          key,
          segment(good, 1, () => new Uint8Array(40).fill(1)),
          INVALID,
        )
        if (enc.includes('CBC'))
          add(`${n}: padding broken under a good tag`, key, badPadding(enc, secret, header), FAILED)
      } else {
        // KW: the key unwraps nothing (another key, a flipped wrapped CEK, one of another length).
        add(`${n}: encrypted key flipped (KW unwrap fails)`, key, segment(good, 1, flip), FAILED)
        // The content sealed under the zero CEK, beside an encrypted key that unwraps nothing.
        const h = b64(JSON.stringify(header))
        const underZero = sealUnder(new Uint8Array(CEK[enc]), enc, h, small)
        add(
          `${n}: content sealed under the zero CEK, encrypted key unwraps nothing`,
          key,
          [h, b64(randomBytes(CEK[enc] + 8)), ...underZero].join('.'),
          FAILED,
        )
        add(
          `${n}: encrypted key a block short (KW unwrap fails)`,
          key,
          segment(good, 1, (b) => b.subarray(8)),
          FAILED,
        )
      }
      ours.free()
    }
  return cases
}
