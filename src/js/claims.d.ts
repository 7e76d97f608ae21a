// jwt-wasm/claims: decodeUnverified and inspect on the claims-only wasm artifact (no HMAC, no
// SHA-2), the same functions and errors as jwt-wasm's. Nothing here verifies a token.
export {
  decodeUnverified,
  inspect,
  ready,
  Claims,
  Header,
  Inspection,
  InspectionWarning,
  RegisteredClaims,
  SizeCaps,
  ErrorCode,
  ClaimReason,
  JwtError,
  JWSInvalid,
  JWTInvalid,
  JWTTooLarge,
  WasmNotInitialized,
  WasmTrapped,
  WasmCapabilityMissing,
  InvalidOptionsError,
} from './index.js'
