// @ts-check
/**
 * How a Decrypter's `decryptAsync` decrypts the content, by its `cipher` option, set by the
 * runtime's jwe entry before any Decrypter is made: for `'webcrypto'` the driver of WebCrypto's
 * decrypt (jwe-webcrypto.js's stateless halves, or on the artifact that has them, Node's and
 * workerd's, jwe-webcrypto-ticket.js's); for `'auto'` the same where the runtime's WebCrypto is
 * cheaper than the wasm AES for small tokens (workerd, measured by `make bench`), none (the
 * wasm) elsewhere (Node, whose WebCrypto calls cost more than the whole wasm decrypt; browsers);
 * `'wasm'` none. Read by jwe.js.
 */
import { webCryptoContent } from '../jwe-webcrypto.js'

/** @typedef {typeof webCryptoContent} Content */
/** @type {{ auto?: Content, wasm?: undefined, webcrypto: Content }} */
export const jweCipher = { webcrypto: webCryptoContent }
