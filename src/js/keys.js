// @ts-check
/**
 * jwt-wasm/keys: tokens signed with public keys (RS256/384/512, PS256/384/512, ES256, ES384,
 * EdDSA/Ed25519), as identity providers issue them, on the `keys` artifact: `PublicKeyVerifier`
 * (keys/verifier.js) over a JWKS, JWKs or a key set, the key sets `localKeySet` and
 * `remoteKeySet`, the presets of the common providers (keys/index.js), and the errors. The
 * `entry-keys-*.js` entries load the wasm per runtime (and pick the runtime's fastest signature
 * check: keys/signature.js).
 */
export {
  JwtError,
  JWSInvalid,
  JWTInvalid,
  JWTTooLarge,
  JOSEAlgNotAllowed,
  JOSENotSupported,
  JWSSignatureVerificationFailed,
  JWTExpired,
  JWTClaimValidationFailed,
  JWKSNoMatchingKey,
  WasmNotInitialized,
  WasmTrapped,
  WasmCapabilityMissing,
  InvalidOptionsError,
} from './errors.js'
export { JWKInvalid } from './keys/key-errors.js'
export { PublicKeyVerifier } from './keys/verifier.js'
export * from './keys/index.js'
