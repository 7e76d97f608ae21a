// @ts-check
/**
 * The error of a key the verifier cannot use (the core's `ERR_JWK_INVALID`, protocol error 15):
 * a JWK that is malformed or refused by the core's reader, the reason in the message and its
 * stable name in `problem` (`JWK_PROBLEMS`: `rsa_short`, `private`, `ec_coordinate` …), or a key
 * the runtime's crypto refused at import (`problem` `runtime`: an EC point off its curve). Made
 * here, with errors.js's `kind`, so that no other entry carries it.
 */
import { kind } from '../errors.js'
import { ERR_JWK_INVALID, KEYS_ERROR_MESSAGES } from '../internal/protocol-keys.js'

/** A key is malformed or refused: see `problem` and the message. */
export const JWKInvalid = kind('JWKInvalid', 'ERR_JWK_INVALID', KEYS_ERROR_MESSAGES[ERR_JWK_INVALID])
