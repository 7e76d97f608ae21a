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
  type InspectionWarning,
} from 'jwt-wasm/claims'
import * as root from 'jwt-wasm'

interface AppClaims {
  role: 'admin' | 'user'
}

await ready
const token = 'a.b.c'
const info: Inspection<AppClaims> = inspect<AppClaims>(token, { currentDate: new Date(), maxLifetime: 600 })
const role: 'admin' | 'user' = info.payload.role
const warnings: InspectionWarning[] = info.warnings
const exp: number | undefined = decodeUnverified(token, { maxTokenBytes: 4096 }).payload.exp
// The same classes as jwt-wasm's: one hierarchy across the entries.
const same: typeof root.JwtError = JwtError
const missing: root.JwtError = new WasmCapabilityMissing()
const code: 'ERR_WASM_CAPABILITY_MISSING' = missing instanceof WasmCapabilityMissing ? missing.code : 'ERR_WASM_CAPABILITY_MISSING'
void [role, warnings, exp, same, code, JWSInvalid]

// @ts-expect-error: nothing here verifies: no Verifier in jwt-wasm/claims
import('jwt-wasm/claims').then((m) => m.Verifier)
// @ts-expect-error: maxLifetime is a number of seconds
inspect(token, { maxLifetime: '1h' })
