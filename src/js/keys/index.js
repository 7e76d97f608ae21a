// @ts-check
/**
 * What the key-set half of `jwt-wasm/keys` exports (its entries re-export this module): the
 * KeySet contract, the two key sets, their errors, the presets and their claim rule.
 */
export { KEY_SET, isKeySet } from './key-set-contract.js'
export { localKeySet } from './local-key-set.js'
export { remoteKeySet } from './remote-key-set.js'
export { JWKSFetchFailed, JWKSInvalid, JWKSTimeout, JWKSTooLarge } from './key-set-errors.js'
export { auth0, cloudflareAccess, cognito, entraId, firebase, google, FIREBASE_CERTS } from './presets.js'
export { checkClaimValues } from './claim-values.js'
