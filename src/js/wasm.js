// @ts-check
/**
 * The single accessor of the WebAssembly engine, and what makes a trap survivable. The entry
 * points (`entry-*.js`) obtain the compiled module the way their runtime allows and call `load`;
 * everything else makes `Core` objects (one per Verifier, Signer, and the shared reader).
 *
 * The module is instantiated here, not through wasm-bindgen's glue (which instantiates once for
 * good): the boundary is numbers only, so its two imports are all an instance needs
 * (tests/js/core/trap.test.mjs pins that ABI). After ANY exception out of a wasm call (a
 * `RuntimeError`, a `RangeError` from a stack overflow, anything) the instance is dropped and
 * the call throws `WasmTrapped` with the exception as `cause`; the next call runs on a fresh
 * instance of the same compiled module (never compiled again: workerd forbids that). Each
 * `Core` keeps its constructor arguments and a setup function, and replays them on the fresh
 * instance when next used. A dropped instance is referenced by nothing, so it is collected.
 */
import { WasmNotInitialized, WasmTrapped } from './errors.js'

/** @typedef {{ x?: any }} Instance the exports of one instance, dropped (`x` unset) when it fails */

/** @type {WebAssembly.Module | undefined} */
let compiled
/** @type {unknown} */
let failure
/** @type {Instance | undefined} */
let live

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * The live instance, made from the compiled module when there is none.
 * @returns {Instance}
 */
function instance() {
  if (live) return live
  if (!compiled) throw new WasmNotInitialized(undefined, failure ? { cause: failure } : undefined)
  /** @type {Instance} */
  const inst = {}
  /** @type {Record<string, Record<string, Function | undefined>>} */
  const imports = {}
  for (const { module, name } of WebAssembly.Module.imports(compiled)) {
    // Rust's `throw_str` (a null or aliased `Core`), and the externref table's set-up, which a
    // numbers-only boundary never uses. Any other import is missing: instantiation fails.
    imports[module] ??= {}
    imports[module][name] = name.startsWith('__wbg___wbindgen_throw_')
      ? (/** @type {number} */ p, /** @type {number} */ n) => {
          throw new Error(decoder.decode(new Uint8Array(inst.x.memory.buffer, p >>> 0, n >>> 0)))
        }
      : name === '__wbindgen_init_externref_table'
        ? () => {}
        : undefined
  }
  try {
    inst.x = new WebAssembly.Instance(compiled, /** @type {any} */ (imports)).exports
    inst.x.__wbindgen_start()
  } catch (e) {
    throw new WasmNotInitialized(undefined, { cause: e })
  }
  live = inst
  return inst
}

/**
 * Calls export `name` of `inst`. Any exception drops the instance and becomes `WasmTrapped`;
 * a dropped instance has no exports, so a call on it fails the same way.
 * @param {Instance} inst
 * @param {string} name
 * @param {number[]} args
 */
function run(inst, name, ...args) {
  try {
    return inst.x[name](...args)
  } catch (e) {
    if (live === inst) live = undefined
    inst.x = undefined
    throw new WasmTrapped(undefined, { cause: e })
  }
}

/**
 * Instantiates the engine from a compiled `WebAssembly.Module` (workerd, browsers) or bytes
 * (Node). Never throws: a failure is kept and reported when the engine is used.
 * @param {WebAssembly.Module | BufferSource} module
 */
export function load(module) {
  try {
    compiled = module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module)
    instance()
  } catch (e) {
    compiled = undefined
    failure = /** @type {any} */ (e).cause ?? e
  }
}

/**
 * Records why the module could not even be obtained (for example a missing file).
 * @param {unknown} e
 */
export function loadFailed(e) {
  failure = e
}

/** The live instance's memory (for the memory tests). Throws `WasmNotInitialized`. */
export function engine() {
  return { memory: /** @type {WebAssembly.Memory} */ (instance().x.memory) }
}

/** Frees the wasm side of a collected `Core`, if its instance is still the live one. */
const registry =
  typeof FinalizationRegistry === 'undefined'
    ? { register() {}, unregister() {} }
    : new FinalizationRegistry((/** @type {[Instance, number]} */ [inst, ptr]) => {
        try {
          if (inst.x) run(inst, '__wbg_core_free', ptr, 1)
        } catch {} // dropped, like any instance that fails
      })

/** @typedef {[number[], ((core: Core) => void) | undefined]} Make `Core::new`'s arguments and the setup */

/** One engine object: `Core::new`'s arguments, then its setup; remade on a fresh instance. */
export class Core {
  /** @type {Instance | undefined} */
  #inst
  #ptr = 0
  /** @type {Make | undefined} */
  #make

  /**
   * Makes it now: a setup error (an invalid key) or a trap is thrown here, and nothing is kept.
   * @param {[number, number, number, number, number]} args alg mask, clockTolerance, maxTokenAge, maxTokenBytes, maxHeaderBytes
   * @param {(core: Core) => void} [setup] its calls after `new` (options, keys); it must capture
   *   only copies of what it sends, so that a replay sends the very same bytes
   */
  constructor(args, setup) {
    this.#make = [args, setup]
    this.#on()
  }

  /** The live instance, with this object made (again) in it first if it is not there yet. */
  #on() {
    const inst = instance()
    if (this.#inst !== inst) {
      const [args, setup] = /** @type {Make} */ (this.#make)
      registry.unregister(this)
      this.#ptr = run(inst, 'core_new', ...args)
      this.#inst = inst
      registry.register(this, [inst, this.#ptr], this)
      try {
        setup?.(this)
      } catch (e) {
        this.#drop()
        throw e
      }
    }
    return inst
  }

  /**
   * Copies strings and byte arrays, in order, into the input buffer.
   * @param {(string | Uint8Array)[]} parts
   * @returns {number[]} the byte length of each part
   */
  put(parts) {
    let cap = 0
    for (const p of parts) cap += typeof p === 'string' ? p.length * 3 : p.length
    const inst = this.#on()
    const ptr = run(inst, 'core_input', this.#ptr, cap) >>> 0 // may grow the memory: read its buffer after
    const view = new Uint8Array(inst.x.memory.buffer, ptr, cap)
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
   * One operation (`protocol::OPS`); returns 0 or an error number.
   * @param {number} op @param {number} a @param {number} b @param {number} c @param {number} t @param {number} u
   */
  call(op, a, b, c, t, u) {
    return run(this.#on(), 'core_call', this.#ptr, op, a, b, c, t, u) >>> 0
  }

  /** The output of the last call, as text; never from another instance than the call's. */
  out() {
    const inst = /** @type {Instance} */ (this.#inst)
    const at = run(inst, 'core_out', this.#ptr) >>> 0
    const n = run(inst, 'core_out_len', this.#ptr) >>> 0
    return decoder.decode(new Uint8Array(inst.x.memory.buffer, at, n))
  }

  /** A number of the last inspection, by slot; NaN when absent. @param {number} i */
  num(i) {
    return run(/** @type {Instance} */ (this.#inst), 'core_num', this.#ptr, i)
  }

  /** Releases its wasm side (on a dropped instance there is none left); it is remade when next used. */
  #drop() {
    registry.unregister(this)
    const inst = this.#inst
    this.#inst = undefined
    if (inst?.x) run(inst, '__wbg_core_free', this.#ptr, 0)
  }

  /** Releases the wasm memory now, for good. */
  free() {
    this.#drop()
    this.#make = undefined
  }
}

/** @param {Core} core @param {(string | Uint8Array)[]} parts */
export const put = (core, parts) => core.put(parts)
/** @param {Core} core */
export const out = (core) => core.out()
/**
 * @param {Core} core
 * @param {number} op @param {number} a @param {number} b @param {number} c @param {number} t @param {number} u
 */
export const call = (core, op, a, b, c, t, u) => core.call(op, a, b, c, t, u)
