// Type-level tests of claims.d.ts: jwt-wasm/claims, reading tokens on the claims-only artifact.
// `tsc` must accept this file, and every `@ts-expect-error` line must really be an error.
import {
  decodeUnverified,
  inspect,
  ready,
  JwtError,
  JWSInvalid,
  WasmCapabilityMissing,
  type Inspection,
  type Encrypted,
  type InspectionWarning,
} from 'jwt-wasm/claims'
import * as root from 'jwt-wasm'

interface AppClaims {
  role: 'admin' | 'user'
}

await ready
const token = 'a.b.c'
const read = inspect<AppClaims>(token, { currentDate: new Date(), maxLifetime: 600 })
// @ts-expect-error: a JWE reads as { encrypted: true, header } without claims: narrow first
void read.payload.role
if (read.encrypted) throw new Error(`encrypted with ${read.header.enc}`)
const info: Inspection<AppClaims> = read
const role: 'admin' | 'user' = info.payload.role
const warnings: InspectionWarning[] = info.warnings
const decoded = decodeUnverified(token, { maxTokenBytes: 4096 })
const exp: number | undefined = decoded.encrypted ? undefined : decoded.payload.exp
const jwe: Encrypted | undefined = decoded.encrypted ? decoded : undefined
void jwe?.header.alg
// The same classes as jwt-wasm's: one hierarchy across the entries.
const same: typeof root.JwtError = JwtError
const missing: root.JwtError = new WasmCapabilityMissing()
const code: 'ERR_WASM_CAPABILITY_MISSING' = missing instanceof WasmCapabilityMissing ? missing.code : 'ERR_WASM_CAPABILITY_MISSING'
void [role, warnings, exp, same, code, JWSInvalid]

// @ts-expect-error: nothing here verifies: no Verifier in jwt-wasm/claims
import('jwt-wasm/claims').then((m) => m.Verifier)
// @ts-expect-error: maxLifetime is a number of seconds
inspect(token, { maxLifetime: '1h' })
