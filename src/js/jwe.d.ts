// jwt-wasm/jwe: compact JWE (RFC 7516), nested only (sign, then encrypt), on its own wasm
// artifact. Key management dir, A128KW, A256KW; content encryption A128GCM, A256GCM,
// A128CBC-HS256, A256CBC-HS512. Everything else is refused with a typed error.
import type { Claims, Header, JwtError, KeyEntry, SignOptions, SizeCaps, VerifierOptions } from './index.js'

export {
  ready,
  Claims,
  Header,
  ProtectedHeader,
  ErrorCode,
  ClaimReason,
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
  KeyInvalid,
  WasmNotInitialized,
  WasmTrapped,
  WasmCapabilityMissing,
  InvalidOptionsError,
} from './index.js'
import type { ProtectedHeader } from './index.js'

/** A key-management algorithm. */
export type KeyManagementAlgorithm = 'dir' | 'A128KW' | 'A256KW'
/** A content-encryption algorithm. */
export type ContentEncryptionAlgorithm = 'A128GCM' | 'A256GCM' | 'A128CBC-HS256' | 'A256CBC-HS512'

/**
 * A JWE key, bound to one key-management algorithm, with exactly the length it needs: a `dir`
 * key is the CEK of its one `enc` (16, 32, 32 or 64 bytes for A128GCM, A256GCM, A128CBC-HS256,
 * A256CBC-HS512); an A128KW key is 16 bytes, an A256KW key 32, and wraps a fresh CEK of any
 * allowed `enc`. Another length is `KeyInvalid`.
 */
export type JweKey =
  | { alg: 'dir'; enc: ContentEncryptionAlgorithm; secret: Uint8Array; kid?: string }
  | { alg: 'A128KW' | 'A256KW'; enc?: undefined; secret: Uint8Array; kid?: string }

/** Options of `new Decrypter(...)`. Bad options throw `TypeError` (`ERR_INVALID_OPTIONS`). */
export interface DecrypterOptions extends SizeCaps {
  /** The key ring, non-empty; a key's `alg` (and a dir key's `enc`) must be in the allowlists. A JWE's `kid` picks its key. */
  keys: JweKey[]
  /** Allowed key management. Required, non-empty: a header `alg` outside it is refused. */
  algorithms: KeyManagementAlgorithm[]
  /** Allowed content encryption. Required, non-empty: a header `enc` outside it is refused. */
  encryptions: ContentEncryptionAlgorithm[]
  /**
   * The policy of the signed token inside: `Verifier` options (keys, algorithms, issuer,
   * audience, typ, ...), checked as `new Verifier` checks them. Required: every JWE carries a
   * JWS (`cty: "JWT"`), verified before anything is returned. The size caps are the Decrypter's
   * (`maxTokenBytes`, `maxHeaderBytes` here: the inner token is inside the JWE).
   */
  verifier: Omit<VerifierOptions, 'maxTokenBytes' | 'maxHeaderBytes' | 'mac'>
  /**
   * Who decrypts the content in `decryptAsync` (`decrypt` always does it in wasm):
   * `'webcrypto'` the runtime's `crypto.subtle` (between two core calls that decide everything
   * else: header, allowlists, key, lengths, unwrapping, the CBC-HMAC tag, the inner JWS),
   * `'wasm'` the core, `'auto'` (the default) WebCrypto on workerd, where it is faster for small
   * tokens, and wasm in Node and browsers.
   */
  cipher?: 'auto' | 'wasm' | 'webcrypto'
}

/** A decrypted and verified token. */
export interface DecryptResult<Custom extends object = Record<string, unknown>> {
  /** The JWE's protected header. */
  protectedHeader: ProtectedHeader
  /** The inner JWS's header (verified). */
  header: Header
  /** The inner JWS's payload (verified). */
  payload: Claims<Custom>
}

/**
 * Decrypts compact JWEs and verifies the signed token inside with its `verifier` policy,
 * synchronously. A plain JWS, a JWE without a signed token inside, and anything outside the
 * allowlists are refused (`JWEInvalid`, `JOSEAlgNotAllowed`, `JOSENotSupported`); every failure
 * to decrypt is the one `JWEDecryptionFailed`; the inner token's failures are those of `Verifier`.
 */
export declare class Decrypter {
  /** Throws `TypeError` (code `ERR_INVALID_OPTIONS`) for bad options, `KeyInvalid` for bad keys. */
  constructor(options: DecrypterOptions)
  decrypt<Custom extends object = Record<string, unknown>>(
    token: string,
    options?: { currentDate?: Date },
  ): DecryptResult<Custom>
  /** As `decrypt`, asynchronously: the same result and errors; the content by WebCrypto where `cipher` says so. */
  decryptAsync<Custom extends object = Record<string, unknown>>(
    token: string,
    options?: { currentDate?: Date },
  ): Promise<DecryptResult<Custom>>
  /** The `typ` its verifier requires of the inner token (undefined: any); `guard({ decrypt })` needs one. */
  readonly typ: string | undefined
  /** Releases the wasm memory now (otherwise the garbage collector does). */
  free(): void
}

/** Options of `new Encrypter(...)`. */
export interface EncrypterOptions {
  /** The encryption key (a dir key's `enc`, if given, must be `enc`). */
  key: { alg: KeyManagementAlgorithm; enc?: ContentEncryptionAlgorithm; secret: Uint8Array; kid?: string }
  /** The content encryption of every token. */
  enc: ContentEncryptionAlgorithm
  /** Signer options, to encrypt claims (signed first). Without it, `encrypt` takes signed tokens only. */
  signer?: { key: KeyEntry; typ?: string; ttl?: number; jti?: boolean }
  /**
   * The source of the CEK and IV: `n` fresh random bytes. Default `crypto.getRandomValues`.
   * Inject one only in tests: a repeated IV under one key breaks AES-GCM.
   */
  random?: (n: number) => Uint8Array
}

/** Mints nested compact JWEs (`cty: "JWT"`) under one key; every token gets a fresh CEK (key wrapping) and IV. */
export declare class Encrypter {
  constructor(options: EncrypterOptions)
  /** Encrypts a signed token (a compact JWS) as it is. */
  encrypt(signedToken: string): string
  /** Signs the claims with `signer` (its `currentDate`, `ttl`, `jti` options), then encrypts. */
  encrypt<Custom extends object = Record<string, unknown>>(claims: Claims<Custom>, options?: SignOptions): string
  /** Releases the wasm memory now. */
  free(): void
}

/** The token is not a compact JWE this Decrypter reads (a JWS among them), or its header is malformed. */
export declare class JWEInvalid extends JwtError {
  code: 'ERR_JWE_INVALID'
}
/** Decryption failed (wrong key, or an altered header, IV, ciphertext or tag): one error, one path. */
export declare class JWEDecryptionFailed extends JwtError {
  code: 'ERR_JWE_DECRYPTION_FAILED'
}
