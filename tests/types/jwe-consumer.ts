// Type-level tests of jwe.d.ts (jwt-wasm/jwe) and of the edge's encrypt/decrypt injection.
// `tsc` must accept this file, and every `@ts-expect-error` line must really be an error.
import { Decrypter, Encrypter, JWEDecryptionFailed, JWEInvalid, JwtError, ready, type DecryptResult } from 'jwt-wasm/jwe'
import { authRoutes, guard, memoryStore } from 'jwt-wasm/edge'

await ready
const secret = new Uint8Array(32)
const hs = { kid: 'a', alg: 'HS256' as const, secret: 'x'.repeat(32) }
const e = new Encrypter({ key: { alg: 'A256KW', secret, kid: 'e' }, enc: 'A128CBC-HS256', signer: { key: hs, ttl: 60 } })
const token: string = e.encrypt({ sub: 'u' }, { currentDate: new Date() })
e.encrypt('a.b.c')
// @ts-expect-error: an unknown content encryption
new Encrypter({ key: { alg: 'dir', secret }, enc: 'A192GCM' })
// @ts-expect-error: PBES2 is not a key management of jwt-wasm/jwe
new Encrypter({ key: { alg: 'PBES2-HS256+A128KW', secret }, enc: 'A128GCM' })

const d = new Decrypter({
  keys: [{ alg: 'dir', enc: 'A256GCM', secret }, { alg: 'A128KW', secret: new Uint8Array(16) }],
  algorithms: ['dir', 'A128KW'],
  encryptions: ['A256GCM', 'A128GCM'],
  verifier: { keys: [hs], algorithms: ['HS256'], typ: 'at+jwt' },
  maxTokenBytes: 8192,
  cipher: 'webcrypto',
})
// @ts-expect-error: the content decryption is auto, wasm or webcrypto
new Decrypter({ keys: [{ alg: 'A128KW', secret }], algorithms: ['A128KW'], encryptions: ['A256GCM'], verifier: { keys: [hs], algorithms: ['HS256'] }, cipher: 'native' })
// @ts-expect-error: a dir key names its one enc
new Decrypter({ keys: [{ alg: 'dir', secret }], algorithms: ['dir'], encryptions: ['A256GCM'], verifier: { keys: [hs], algorithms: ['HS256'] } })
// @ts-expect-error: the verifier policy is required
new Decrypter({ keys: [{ alg: 'A128KW', secret }], algorithms: ['A128KW'], encryptions: ['A256GCM'] })
const r: DecryptResult<{ role: string }> = d.decrypt<{ role: string }>(token, { currentDate: new Date() })
const enc: string = r.protectedHeader.enc
const later: Promise<DecryptResult<{ role: string }>> = d.decryptAsync<{ role: string }>(token, { currentDate: new Date() })
const lateRole: string = (await later).payload.role
// @ts-expect-error: decryptAsync's result is a promise
const notYet: DecryptResult = d.decryptAsync(token)
void lateRole
void notYet
const role: string = r.payload.role
try {
  d.decrypt(token)
} catch (err) {
  if (err instanceof JWEDecryptionFailed) {
    const code: 'ERR_JWE_DECRYPTION_FAILED' = err.code
    void code
  }
  if (err instanceof JWEInvalid && err instanceof JwtError) void err.code
}
d.free()

guard(() => new Response('ok'), { decrypt: d, scopes: ['read'] })
guard(() => new Response('ok'), { decrypt: () => d })
// @ts-expect-error: the guard's Decrypter decrypts asynchronously (decryptAsync)
guard(() => new Response('ok'), { decrypt: { decrypt: () => d.decrypt(token), typ: 'at+jwt' } })
// @ts-expect-error: with decrypt, the keys are the Decrypter's
guard(() => new Response('ok'), { decrypt: d, keys: [hs] })
authRoutes({
  signer: { key: hs },
  encrypt: e,
  verifyUser: async () => null,
  store: () => memoryStore(),
  refreshSecret: 'r'.repeat(32),
})
void [enc, role]
