// @ts-check
/**
 * One version of a key set, ready to verify: its `Core` on the keys artifact (the policy, the
 * public-key allowlist and the keys the core read from the body) and, beside it, each key as the
 * runtime needs it, imported at its first use and then kept (signature.js). A body the core
 * refuses throws here (`JWKSInvalid`, `JWKInvalid` with the reason), and a key the runtime
 * refuses (an EC point off its curve) becomes unusable: every token it would verify gets
 * `JWKInvalid`. The verifier keeps one `Ring` per key-set version (verifier.js).
 */
import { fromCore } from '../errors.js'
import { OP_FINISH, SEP } from '../internal/protocol.js'
import {
  CAP_KEYS,
  ERR_JWK_INVALID,
  ERR_JWKS_INVALID,
  JWK_MESSAGES,
  JWK_PROBLEMS,
  OP_PK_ADD_KEYS,
  OP_PK_ALGORITHMS,
  OP_PK_CERT_KEY,
  OP_PK_VERIFY_BEGIN,
  OP_PK_VERIFY_END,
} from '../internal/protocol-keys.js'
import { sendPolicy } from '../policy.js'
import { Core, call, engine as live, keys as engine, put } from '../wasm.js'
import { signatures } from './signature.js'
import { JWKInvalid } from './key-errors.js'
import { JWKSInvalid } from './key-set-errors.js'

/**
 * A core call's status to its error: the keys artifact's own (`ERR_JWKS_INVALID`,
 * `ERR_JWK_INVALID`: the reason a letter A… of `JWK_MESSAGES`, its stable name in `problem`),
 * else as for any call; `what` names the key set or key in messages. Undefined for 0.
 * @param {Core} core
 * @param {number} status
 * @param {string} [what]
 * @returns {Error | undefined}
 */
export function errorOf(core, status, what) {
  if (status === 0) return undefined
  const C = status === ERR_JWKS_INVALID ? JWKSInvalid : status === ERR_JWK_INVALID ? JWKInvalid : undefined
  if (!C) return fromCore(status, core.out(), what)
  const i = core.out().charCodeAt(0) - 65
  const reason = JWK_MESSAGES[i]
  const e = new C(reason && (what ? `${what}: ${reason}` : reason))
  return reason ? Object.assign(e, { problem: JWK_PROBLEMS[i] }) : e
}

/** Throws the error of a failed call (`errorOf`). @param {Core} core @param {number} status @param {string} [what] */
export function checked(core, status, what) {
  const e = errorOf(core, status, what)
  if (e) throw e
}

/**
 * @typedef {{ at: number, alg: number, kid: string | undefined, jwk: JsonWebKey, key?: unknown, provider?: import('./signature.js').SignatureProvider, error?: Error }} RingKey
 * @typedef {{ lists: [number, string[]][], args: [number, number, number, number, number], mask: number }} RingSpec
 */

/**
 * Imports `k` with the provider of this moment, which the key then keeps (an entry may install
 * another later); a refusal makes it unusable.
 * @param {RingKey} k
 */
async function imported(k) {
  const provider = signatures.provider
  try {
    const key = await provider.importKey(k.alg, k.jwk)
    if (k.key === undefined) Object.assign(k, { key, provider })
  } catch (cause) {
    k.error = Object.assign(
      new JWKInvalid(`key ${k.at + 1} of the key set was refused by the runtime's crypto`, { cause }),
      {
        problem: 'runtime',
      },
    )
    throw k.error
  }
}

/** The verified tokens a Ring remembers (the oldest goes first), and the longest it keeps. */
const SEEN_TOKENS = 512
const SEEN_CHARS = 4096
const EMPTY = new Uint8Array(0)
/**
 * Phase 1's ticket (`num(4)` of pk_verify_begin) and the memory of the instance that gave it.
 * @typedef {{ n: number, memory: WebAssembly.Memory }} Ticket
 */

/**
 * The two ends of the ticket path: the ticket phase 1 takes, and phase 2's call. These are the
 * browsers' (their artifact has no `pk_verify_finish`: no ticket, and phase 2 reads the token
 * again with `pk_verify_end`); the Node and workerd entries, whose artifact has it, install
 * keys/tickets.js's, so no browser bundle carries them.
 */
export const phase2 = {
  /** @type {((core: Core, memory: WebAssembly.Memory) => Ticket) | undefined} */
  ticket: undefined,
  /**
   * @param {Core} core @param {string} token @param {number} i @param {number} a the verdict (1 verified)
   * @param {number} now @param {Ticket} [_ticket]
   * @returns {number} the status
   */
  end: (core, token, i, a, now, _ticket) => call(core, OP_PK_VERIFY_END, a, i, put(core, [token])[0], now, 0),
}

export class Ring {
  /** @type {RingKey[]} */
  keys = []
  /** @type {Set<string>} tokens whose signature the runtime verified under this version's keys */
  #seen = new Set()

  /**
   * @param {RingSpec} spec the policy and allowlist (verifier.js)
   * @param {'jwks' | 'x509'} format
   * @param {string} body a JWKS's JSON text, or x509's `{ kid: PEM }` JSON text
   * @param {string} what how messages name the key set
   */
  constructor(spec, format, body, what) {
    /** @type {[string, string][] | undefined} the certificates of an x509 body, by kid */
    let certs
    if (format === 'x509') {
      let o
      try {
        o = JSON.parse(body)
      } catch {}
      if (
        o === null ||
        typeof o !== 'object' ||
        Array.isArray(o) ||
        !Object.values(o).every((v) => typeof v === 'string')
      )
        throw new JWKSInvalid(`${what} is not an object of kid: PEM certificate`)
      certs = Object.entries(o)
    }
    let first = true
    /** Reads one pk_add_keys output (the first time only: a replay after a trap reads the same). @param {Core} core */
    const read = (core) => {
      if (!first || core.num(0) === 0) return
      const out = core.out().split(SEP)
      for (let i = 0; i + 2 < out.length; i += 3)
        this.keys.push({
          at: this.keys.length,
          alg: +out[i],
          kid: out[i + 1] || undefined,
          jwk: JSON.parse(out[i + 2]),
        })
    }
    this.core = new Core(engine, CAP_KEYS, spec.args, (core) => {
      sendPolicy(core, spec.lists)
      checked(core, call(core, OP_PK_ALGORITHMS, 0, spec.mask, 0, 0, 0), `${what}: algorithms`)
      if (!certs) {
        checked(core, call(core, OP_PK_ADD_KEYS, 1, 0, put(core, [body])[0], 0, 0), what)
        read(core)
      }
      for (const [n, [kid, pem]] of (certs ?? []).entries()) {
        // Named by position: a kid is the provider's text, never echoed in a message.
        const at = `${what}: certificate ${n + 1}`
        checked(core, call(core, OP_PK_CERT_KEY, 0, 0, put(core, [pem])[0], 0, 0), at)
        const jwk = JSON.stringify({ ...JSON.parse(core.out()), kid })
        checked(core, call(core, OP_PK_ADD_KEYS, 0, 0, put(core, [jwk])[0], 0, 0), at)
        read(core)
      }
      checked(core, call(core, OP_FINISH, 0, 0, 0, 0, 0), what)
      first = false
    })
  }

  /**
   * Phase 1 (`pk_verify_begin`): the chosen key's index, the signing input's bytes and the raw
   * signature's, or the error (not thrown), and the ticket of phase 2 (`end`: the core keeps
   * what it decoded under it). The bytes are VIEWS into the core's memory, valid only until the
   * next call into this core (another verification may use it across an await): hand them at
   * once to `verify`, which passes them on only to a provider that reads them before it returns,
   * and copies them otherwise.
   * @param {string} token
   * @param {number} now seconds
   * @returns {[number, Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>, Error | undefined, Ticket | undefined]}
   */
  begin(token, now) {
    const core = this.core
    const status = call(core, OP_PK_VERIFY_BEGIN, 0, 0, put(core, [token])[0], now, 0)
    if (status !== 0) return [0, EMPTY, EMPTY, errorOf(core, status), undefined]
    const memory = live(engine).memory
    const buffer = memory.buffer
    // The token is strict base64url now (ASCII: a character is a byte): the signing input ends
    // at its last '.', and the signature's bytes are 3/4 of the characters after it.
    const signed = token.lastIndexOf('.')
    return [
      core.num(0),
      new Uint8Array(buffer, core.num(3), signed),
      new Uint8Array(buffer, core.num(2), ((token.length - signed - 1) * 3) >> 2),
      undefined,
      phase2.ticket?.(core, memory),
    ]
  }

  /**
   * The runtime's verdict on `signature` over `data` under key `i`: a boolean at once once the
   * key is imported and the provider is synchronous (node:crypto), else a promise of one. The key
   * is imported at its first use and kept (the import is the costly part); a key the runtime
   * refuses is unusable from then on: `JWKInvalid` (`problem` 'runtime').
   *
   * `data` and `signature` may be views into the core's memory (phase 1's), which the next
   * verification overwrites. A verdict over bytes another token put there would be a forgery
   * accepted (token A's claims judged under a verdict on token B's signature), so a view goes
   * only to a provider that reads it before its `verify` returns (`readsAtOnce`: WebCrypto
   * takes a copy of the bytes of its arguments before it returns its promise, by its
   * specification; node:crypto's `verify` is synchronous). The first use of a key awaits its
   * import first, and any other provider may read late: then the bytes are copied before
   * anything else runs (tests/js/keys/views.test.mjs overwrites the memory right after the call).
   * @param {number} i
   * @param {Uint8Array<ArrayBuffer>} data
   * @param {Uint8Array<ArrayBuffer>} signature
   * @returns {boolean | Promise<boolean>}
   */
  verify(i, data, signature) {
    const k = this.keys[i]
    if (k.error) throw k.error
    const provider = k.provider
    // Not yet imported (no provider yet), or a provider that may read late: copies.
    if (!provider?.readsAtOnce) [data, signature] = [data.slice(), signature.slice()]
    if (!provider) return imported(k).then(() => this.verify(i, data, signature))
    return provider.verify(k.key, data, signature)
  }

  /**
   * Whether the signature of `token` was seen verified under this version's keys: an access
   * token is presented many times in its life, and the same bytes under the same key (this
   * version's, chosen again by phase 1 for the same token) always verify the same, so a token
   * seen verified skips the signature (`verify`), never the rest (phases 1 and 2, the claims
   * and the time, run every time).
   * @param {string} token
   */
  seen(token) {
    return this.#seen.has(token)
  }

  /**
   * Remembers the runtime's verdict on `token` once true, and returns it: at most `SEEN_TOKENS`
   * tokens of at most `SEEN_CHARS` characters are kept, the oldest dropped first; a refused one
   * is never kept.
   * @param {string} token
   * @param {boolean} ok
   * @returns {boolean}
   */
  remember(token, ok) {
    if (ok !== true) return false
    const seen = this.#seen
    if (token.length <= SEEN_CHARS) {
      seen.add(token)
      if (seen.size > SEEN_TOKENS) seen.delete(/** @type {string} */ (seen.values().next().value))
    }
    return true
  }

  /**
   * Phase 2: the verdict judged by the core with the same key, then the claims; throws the typed
   * error or leaves header SEP payload in the output. By `ticket` where the artifact gives one
   * (`pk_verify_finish`, keys/tickets.js: the token is not read again), else, or when the ticket
   * gives nothing, `pk_verify_end`, which reads the token again.
   * @param {string} token
   * @param {number} i
   * @param {boolean} verified
   * @param {number} now seconds
   * @param {Ticket} [ticket] phase 1's
   */
  end(token, i, verified, now, ticket) {
    const core = this.core
    checked(core, phase2.end(core, token, i, verified ? 1 : 0, now, ticket))
  }
}
