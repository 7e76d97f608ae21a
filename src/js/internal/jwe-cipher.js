// @ts-check
/**
 * The content decryption a Decrypter's `cipher: 'auto'` takes for `decryptAsync`, set by the
 * runtime's jwe entry before any Decrypter is made: `'webcrypto'` where the runtime's WebCrypto
 * is cheaper than the wasm AES for small tokens (workerd, measured by `make bench`), `'wasm'`
 * elsewhere (Node, whose WebCrypto calls cost more than the whole wasm decrypt; browsers).
 * Read by jwe.js.
 */

/** @type {{ auto: 'wasm' | 'webcrypto' }} */
export const jweCipher = { auto: 'wasm' }
