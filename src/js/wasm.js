// @ts-check
/**
 * The single accessor of the WebAssembly engines, and what makes a trap survivable. There is one
 * `Engine` per wasm artifact (Cargo features of the one core, built by `make pkg`: `claims`
 * decodes and inspects, `hmac` also verifies and signs, `jwe` also encrypts and decrypts, `keys`
 * reads public keys and verifies with them); the
 * entry points (`entry-*.js`) obtain the compiled module of their artifact the way their runtime
 * allows and call its `load`;
 * everything else makes `Core` objects on an engine (one per Verifier, Signer, and a shared
 * reader per engine). A new artifact is one more `Engine` here and its entries.
 *
 * The module is instantiated here, not through wasm-bindgen's glue (which instantiates once for
 * good): the boundary is numbers only, so its two imports are all an instance needs
 * (tests/js/core/trap.test.mjs pins that ABI). After ANY exception out of a wasm call (a
 * `RuntimeError`, a `RangeError` from a stack overflow, anything) the instance is dropped and
 * the call throws `WasmTrapped` with the exception as `cause`; the next call runs on a fresh
 * instance of the same compiled module (never compiled again: workerd forbids that). Each
 * `Core` keeps its constructor arguments and a setup function, and replays them on the fresh
 * instance when next used. A dropped instance is referenced by nothing, so it is collected.
 * Engines are independent: a trap in one never drops another's instance.
 */
import { WasmCapabilityMissing, WasmNotInitialized, WasmTrapped } from './errors.js'

/** @typedef {{ x?: any, e: Engine }} Instance the exports of one instance of engine `e`, dropped (`x` unset) when it fails */

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** One wasm artifact: its compiled module, its live instance, what it can do. */
export class Engine {
  /** @type {WebAssembly.Module | undefined} */
  #compiled
  /** @type {unknown} */
  #failure
  /** @type {Instance | undefined} */
  #live
  /** The artifact's capability bits (`CAP_*`), read from its `caps()` export once loaded. */
  caps = 0
  /** @type {Core | undefined} the shared reader of decode and inspect (read.js) */
  reader

  /** @param {string} name the artifact (`claims`, `hmac`), for messages */
  constructor(name) {
    this.name = name
  }

  /**
   * The live instance, made from the compiled module when there is none.
   * @returns {Instance}
   */
  instance() {
    if (this.#live) return this.#live
    const compiled = this.#compiled
    if (!compiled) throw new WasmNotInitialized(undefined, this.#failure ? { cause: this.#failure } : undefined)
    /** @type {Instance} */
    const inst = { e: this }
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
      this.caps = inst.x.caps?.() ?? 0
    } catch (e) {
      throw new WasmNotInitialized(undefined, { cause: e })
    }
    this.#live = inst
    return inst
  }

  /**
   * Instantiates the engine from a compiled `WebAssembly.Module` (workerd, browsers) or bytes
   * (Node). Never throws: a failure is kept and reported when the engine is used.
   * @param {WebAssembly.Module | BufferSource} module
   */
  load(module) {
    try {
      this.#compiled = module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module)
      this.instance()
    } catch (e) {
      this.#compiled = undefined
      this.#failure = /** @type {any} */ (e).cause ?? e
    }
  }

  /**
   * Records why the module could not even be obtained (for example a missing file).
   * @param {unknown} e
   */
  loadFailed(e) {
    this.#failure = e
  }

  /** Forgets `inst` if it is the live one (it failed). @param {Instance} inst */
  drop(inst) {
    if (this.#live === inst) this.#live = undefined
  }
}

/** The artifact that decodes and inspects (`jwt-wasm/claims`, `jwt-wasm/session`). */
export const claims = /* @__PURE__ */ new Engine('claims')
/** The artifact that also verifies and signs HMAC (`jwt-wasm`, `jwt-wasm/edge`). */
export const hmac = /* @__PURE__ */ new Engine('hmac')
/** The artifact that also encrypts and decrypts compact JWE, nested (`jwt-wasm/jwe`). */
export const jwe = /* @__PURE__ */ new Engine('jwe')
/** The artifact that reads public keys and verifies with them, the runtime checking the signature (`jwt-wasm/keys`). */
export const keys = /* @__PURE__ */ new Engine('keys')
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
    inst.e.drop(inst)
    inst.x = undefined
    throw new WasmTrapped(undefined, { cause: e })
  }
}

/**
 * The live instance's memory of an engine (for the memory tests). Throws `WasmNotInitialized`.
 * @param {Engine} [of] the engine (default: `hmac`, the one of `jwt-wasm`)
 */
export function engine(of = hmac) {
  return { memory: /** @type {WebAssembly.Memory} */ (of.instance().x.memory) }
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
  /** @type {Engine} */
  #engine
  /** @type {Instance | undefined} */
  #inst
  #ptr = 0
  /** @type {Make | undefined} */
  #make

  /**
   * Makes it now: a setup error (an invalid key) or a trap is thrown here, and nothing is kept.
   * An engine whose artifact lacks a capability of `need` throws `WasmCapabilityMissing` here,
   * before any call into it.
   * @param {Engine} engine the artifact it runs on
   * @param {number} need the capability bits (`CAP_*`) its operations use
   * @param {[number, number, number, number, number]} args alg mask, clockTolerance, maxTokenAge, maxTokenBytes, maxHeaderBytes
   * @param {(core: Core) => void} [setup] its calls after `new` (options, keys); it must capture
   *   only copies of what it sends, so that a replay sends the very same bytes
   */
  constructor(engine, need, args, setup) {
    engine.instance()
    if ((engine.caps & need) !== need)
      throw new WasmCapabilityMissing(
        `the jwt-wasm ${engine.name} artifact lacks this API (Verifier and Signer: 'jwt-wasm')`,
      )
    this.#engine = engine
    this.#make = [args, setup]
    this.#on()
  }

  /** The live instance, with this object made (again) in it first if it is not there yet. */
  #on() {
    const inst = this.#engine.instance()
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
    let at = 0
    return parts.map((p) => {
      // One view a part, where it goes (a view of the whole and a subarray of it were two).
      const view = new Uint8Array(inst.x.memory.buffer, ptr + at, cap - at)
      const n = typeof p === 'string' ? encoder.encodeInto(p, view).written : (view.set(p), p.length)
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
