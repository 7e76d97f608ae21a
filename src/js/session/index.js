// @ts-check
/**
 * jwt-wasm/session: the SPA side. `createSession()` keeps the access token in sessionStorage,
 * refreshes it before expiry on a sleep-proof schedule, serialises refreshes across tabs so a
 * rotated refresh token is never presented twice, and wraps `fetch`. The core API is imported
 * through the package's own name, so the browser's wasm loader is the one used.
 * Importing this module touches no browser global.
 */
export { createSession } from './session.js'
export { SessionError } from './errors.js'
