// @ts-check
/**
 * The session's events (session.js): dispatching one on the session, and one `warning` per
 * code, dispatched in a microtask (so listeners added right after `createSession` hear the
 * ones found while it ran).
 * @typedef {import('./index.js').SessionEventMap} SessionEventMap
 * @typedef {import('./index.js').WarningCode} WarningCode
 * @typedef {<K extends keyof SessionEventMap>(type: K, detail: SessionEventMap[K]['detail']) => void} Emit
 */

/** @param {EventTarget} target @returns {Emit} */
export const emitter = (target) => (type, detail) => target.dispatchEvent(new CustomEvent(type, { detail }))

/**
 * @param {Emit} emit
 * @returns {(code: WarningCode, message: string, extra?: Record<string, unknown>) => void}
 */
export function warner(emit) {
  const warned = new Set()
  return (code, message, extra) => {
    if (warned.has(code)) return
    warned.add(code)
    queueMicrotask(() => emit('warning', /** @type {any} */ ({ code, message, ...extra })))
  }
}
