// Type-level tests of the hand-written index.d.ts: a consumer's view. `tsc` must accept this
// file, and every `@ts-expect-error` line must really be an error.
import {
  Verifier,
  Signer,
  decodeUnverified,
  inspect,
  JwtError,
  JWTExpired,
  JWTClaimValidationFailed,
  type ErrorCode,
  type Inspection,
} from 'jwt-wasm'

interface AppClaims {
  scope: string
  tenant: number
}

const secret = new Uint8Array(32)
const verifier = new Verifier({ keys: [{ kid: 'k', alg: 'HS256', secret }], algorithms: ['HS256'], audience: ['api'] })
const { header, payload } = verifier.verify<AppClaims>('t', { currentDate: new Date(0) })
const scope: string = payload.scope
const tenant: number = payload.tenant
const exp: number | undefined = payload.exp
const alg: string = header.alg
void [scope, tenant, exp, alg]

// @ts-expect-error: algorithms is required
new Verifier({ keys: [{ alg: 'HS256', secret }] })
// @ts-expect-error: no such algorithm
new Verifier({ keys: [{ alg: 'none', secret }], algorithms: ['none'] })
// @ts-expect-error: misspelt option
new Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'], audiance: 'x' })

const signer = new Signer({ key: { alg: 'HS512', secret: 'x'.repeat(64) }, ttl: 600, jti: true })
const token: string = signer.sign<AppClaims>({ scope: 'read', tenant: 1, sub: 'u1' })
// @ts-expect-error: exp must be a number
signer.sign({ exp: 'soon' })

const read = inspect<AppClaims>(token, { maxLifetime: 3600 })
// @ts-expect-error: a JWE reads as { encrypted: true, header }: narrow on `encrypted` first
void read.warnings
const info: Inspection<AppClaims> | undefined = read.encrypted ? undefined : read
const warnings: ('no_exp' | 'long_lifetime' | 'alg_none' | 'personal_data')[] = info?.warnings ?? []
const expired: boolean = info?.expired ?? false
const decoded = decodeUnverified(token)
void [warnings, expired, decoded.encrypted ? decoded.header.enc : decoded.payload.iss]

// The size caps (issue 8, item 4): a header cap of its own, on the Verifier and the readers.
new Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'], maxTokenBytes: 65536, maxHeaderBytes: 16384 })
decodeUnverified(token, { maxTokenBytes: 65536, maxHeaderBytes: 16384 })
inspect(token, { maxHeaderBytes: 1024, maxLifetime: 60 })
// @ts-expect-error: a cap is a number
decodeUnverified(token, { maxHeaderBytes: '16k' })

try {
  verifier.verify(token)
} catch (e) {
  if (e instanceof JWTExpired) {
    const claim: 'exp' | 'iat' = e.claim
    void claim
  } else if (e instanceof JWTClaimValidationFailed) {
    const reason: 'missing' | 'invalid' | 'check_failed' = e.reason
    void reason
  } else if (e instanceof JwtError) {
    const code: string = e.code
    void code
  }
}
const codes: ErrorCode[] = ['ERR_JWT_EXPIRED', 'ERR_KEY_INVALID']
void codes
verifier.free()
signer.free()

// Where the MAC is computed (issue 10, the native MAC): auto, wasm or native.
for (const mac of ['auto', 'wasm', 'native'] as const) new Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'], mac })
// @ts-expect-error: only those three
new Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'], mac: 'fast' })
