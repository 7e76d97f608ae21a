// @ts-check
/**
 * The single accessor for the WebAssembly engine. The per-runtime entry points (`entry-*.js`)
 * decide how the module is obtained and call `load`; everything else calls `engine()`.
 */
import { initSync, Core } from './wasm/jwt_wasm.js'
import { WasmNotInitialized } from './errors.js'

/** @type {{ memory: WebAssembly.Memory } | undefined} */
let exports
/** @type {unknown} */
let failure

/**
 * Instantiates the engine synchronously from a compiled `WebAssembly.Module` (workerd) or bytes
 * (Node). Never throws: a failure is kept and reported by `engine()`.
 * @param {WebAssembly.Module | BufferSource} module
 */
export function load(module) {
  try {
    exports = /** @type {any} */ (initSync({ module }))
  } catch (e) {
    failure = e
  }
}

/**
 * Records why the module could not even be obtained (for example a missing file), so that
 * `engine()` reports it as the `cause`.
 * @param {unknown} e
 */
export function loadFailed(e) {
  failure = e
}

/**
 * Records the outcome of an asynchronous instantiation (browsers).
 * @param {Promise<any>} pending
 * @returns {Promise<void>}
 */
export function loadAsync(pending) {
  return pending.then(
    (x) => {
      exports = x
    },
    (e) => {
      failure = e
    },
  )
}

/**
 * The engine: the `Core` class and the wasm memory. Throws `WasmNotInitialized` (with the load
 * failure as `cause`) when the module is not there.
 */
export function engine() {
  if (!exports) throw new WasmNotInitialized(undefined, failure ? { cause: failure } : undefined)
  return { Core, memory: exports.memory }
}

/**
 * Runs one core operation. A trap (which the core is built never to raise) leaves the instance
 * in an unknown state: the engine is then retired, and this and every later call throw
 * `WasmNotInitialized` with the trap as `cause`.
 * @param {Core} core
 * @param {number} op
 * @param {number} a
 * @param {number} b
 * @param {number} c
 * @param {number} t
 * @param {number} u
 * @returns {number}
 */
export function call(core, op, a, b, c, t, u) {
  try {
    return core.call(op, a, b, c, t, u)
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e
    exports = undefined
    failure = e
    throw new WasmNotInitialized('the jwt-wasm engine trapped and was retired', { cause: e })
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Copies strings and byte arrays, in order, into the core's input buffer.
 * @param {Core} core
 * @param {(string | Uint8Array)[]} parts
 * @returns {number[]} the byte length of each part
 */
export function put(core, parts) {
  let cap = 0
  for (const p of parts) cap += typeof p === 'string' ? p.length * 3 : p.length
  const { memory } = engine()
  const ptr = core.input(cap)
  const view = new Uint8Array(memory.buffer, ptr, cap)
  let at = 0
  return parts.map((p) => {
    let n
    if (typeof p === 'string') n = encoder.encodeInto(p, view.subarray(at)).written
    else view.set(p, at), (n = p.length)
    at += n
    return n
  })
}

/**
 * The core's output buffer as text.
 * @param {Core} core
 */
export function out(core) {
  const { memory } = engine()
  return decoder.decode(new Uint8Array(memory.buffer, core.out(), core.out_len()))
}
