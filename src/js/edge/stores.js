// @ts-check
/**
 * Refresh-token stores for `authRoutes`: one small interface, three implementations.
 *
 * A store keeps *families*. A family is one login: the user's `sub` and claims, its absolute
 * expiry (fixed at creation, never extended), the time it was last used (for the idle timeout),
 * the SHA-256 hash of the one refresh secret that is current, and the hash of its immediate
 * predecessor with the time of that rotation (for the grace window). No raw refresh token is
 * ever stored. `rotate` is the one operation that must be atomic: it compares the presented
 * hash and moves the family forward in one step, so that of many concurrent refreshes with the
 * same token exactly one rotates. `revokeUser(sub)` ends every family of one user (the Durable
 * Object and KV stores keep an index per user, written at login; the memory store scans).
 *
 * - `memoryStore()`: a bounded map in this isolate (10,000 families by default, oldest out,
 *   expired ones dropped). Atomic (JavaScript runs one task at a time and
 *   `rotate` does not await between reading and writing). For tests and local use: every
 *   isolate has its own, and it is gone on restart.
 * - `durableObjectStore(namespace)` with the exported Durable Object class `RefreshFamilies`:
 *   one object per family, so a family's rotations are serialised by the object and strongly
 *   consistent. For production.
 * - `kvStore(namespace)`: Workers KV. Eventually consistent (a write can take up to 60 s to be
 *   seen at other locations) and with no compare-and-set, so rotation is a read-modify-write
 *   that is NOT atomic: reuse detection can miss a race across locations, and a stale read can
 *   make the legitimate successor look spent and revoke the family. Not recommended for rotation.
 *
 * Every method may throw (or reject) when the backing service is unavailable; `authRoutes`
 * then answers 503 and changes nothing else.
 */

import { BoundedMap } from './bounded.js'

/**
 * @typedef {import('./stores.js').FamilyRecord} FamilyRecord
 * @typedef {import('./stores.js').RotateResult} RotateResult
 * @typedef {import('./stores.js').RefreshStore} RefreshStore
 */

/**
 * The rotation rule, shared by every store (pure: the store supplies the record it read and
 * applies the returned action in the same atomic step).
 *
 * - no record: `unknown`.
 * - `now >= expiresAt` (absolute lifetime) or `now - lastUsedAt > idleTimeout`: `expired`, and
 *   the family is deleted.
 * - presented == current: `rotated`; current := successor, previous := { presented, now },
 *   lastUsedAt := now.
 * - presented == previous, `graceSeconds > 0`, `now - previous.rotatedAt <= graceSeconds`, and the successor derived
 *   from it is still current (it has not been rotated itself): `grace`, nothing changes; the
 *   caller answers the same successor again. Any number of times inside the window.
 * - anything else (an older token of the chain, the predecessor after the window or after its
 *   successor was used, or a guessed secret with this family id): `reuse`, and the whole family
 *   is deleted (revoked).
 *
 * @param {FamilyRecord | null | undefined} record
 * @param {string} presentedHash
 * @param {string} successorHash
 * @param {number} now seconds
 * @param {number} graceSeconds
 * @param {number} idleTimeout seconds
 * @returns {{ result: RotateResult, action: 'put' | 'delete' | 'none', record?: FamilyRecord }}
 */
export function rotateRecord(record, presentedHash, successorHash, now, graceSeconds, idleTimeout) {
  if (!record) return { result: { status: 'unknown' }, action: 'none' }
  if (now >= record.expiresAt || now - record.lastUsedAt > idleTimeout)
    return { result: { status: 'expired' }, action: 'delete' }
  if (presentedHash === record.current) {
    /** @type {FamilyRecord} */
    const next = {
      ...record,
      current: successorHash,
      previous: { hash: presentedHash, rotatedAt: now },
      lastUsedAt: now,
    }
    return { result: { status: 'rotated', record: next }, action: 'put', record: next }
  }
  const prev = record.previous
  if (
    prev &&
    graceSeconds > 0 &&
    presentedHash === prev.hash &&
    now - prev.rotatedAt <= graceSeconds &&
    successorHash === record.current
  ) {
    return { result: { status: 'grace', record }, action: 'none' }
  }
  return { result: { status: 'reuse' }, action: 'delete' }
}

/**
 * @param {unknown} record
 * @returns {FamilyRecord}
 */
function familyRecord(record) {
  const r = /** @type {FamilyRecord} */ (record)
  if (
    !r ||
    typeof r !== 'object' ||
    typeof r.familyId !== 'string' ||
    r.familyId === '' ||
    typeof r.current !== 'string'
  ) {
    throw new TypeError('a family record needs a familyId and a current hash')
  }
  return r
}

/** The most families `memoryStore` keeps by default. */
export const MEMORY_FAMILIES = 10_000

/**
 * An in-memory store: a bounded map in this isolate (at most `maxFamilies` families, the oldest
 * dropped first; a family past its absolute expiry is dropped when read or when a new one is
 * stored). Atomic by JavaScript's run-to-completion (no await between read and write). For
 * tests and local development only: each isolate (and each Worker instance) has its own, and it
 * is lost on restart.
 * @param {{ maxFamilies?: number }} [options]
 * @returns {RefreshStore}
 */
export function memoryStore(options = {}) {
  if (!options || typeof options !== 'object' || Object.keys(options).some((k) => k !== 'maxFamilies')) {
    throw new TypeError('memoryStore options must be { maxFamilies? }')
  }
  const { maxFamilies = MEMORY_FAMILIES } = options
  if (!Number.isInteger(maxFamilies) || maxFamilies < 1) {
    throw new TypeError('memoryStore: maxFamilies must be a positive integer')
  }
  const families = new BoundedMap(maxFamilies)
  return {
    async create(record) {
      const r = familyRecord(record)
      if (families.get(r.familyId, r.createdAt)) throw new Error('family already exists')
      families.set(r.familyId, structuredClone(r), r.expiresAt, r.createdAt)
    },
    async rotate(familyId, presentedHash, successorHash, now, graceSeconds, idleTimeout) {
      const { result, action, record } = rotateRecord(
        families.get(familyId),
        presentedHash,
        successorHash,
        now,
        graceSeconds,
        idleTimeout,
      )
      if (action === 'put' && record) families.set(familyId, record, record.expiresAt, now)
      if (action === 'delete') families.delete(familyId)
      return structuredClone(result)
    },
    async revoke(familyId) {
      families.delete(familyId)
    },
    async read(familyId) {
      const r = families.get(familyId)
      return r ? structuredClone(r) : null
    },
    async revokeUser(sub) {
      for (const [id, r] of [...families.entries()]) if (r.sub === sub) families.delete(id)
    },
  }
}

/** The origin of the internal RPC URLs (a Durable Object stub accepts any URL). */
const RPC = 'https://refresh-families.internal/'

/**
 * A store on Durable Objects: one object per family (`idFromName('family:' + familyId)`), so
 * every rotation of a family runs in that one object, in order, inside a storage transaction.
 * Strongly consistent. authRoutes calls it only for a token whose tag verified or after
 * `verifyUser` said yes, so no unauthenticated request starts an object.
 * The objects are instances of `RefreshFamilies`, which the Worker must export and bind
 * (`[[durable_objects.bindings]]`, with a migration that creates the class).
 *
 * The store talks to the object with `stub.fetch` and JSON, which works with every
 * compatibility date and lets the class stay a plain class (importable outside workerd).
 * An error answer or a failed fetch rejects, and `authRoutes` answers 503.
 * @param {DurableObjectNamespaceLike} namespace the binding, e.g. `env.FAMILIES`
 * @returns {RefreshStore}
 */
export function durableObjectStore(namespace) {
  if (!namespace || typeof namespace.idFromName !== 'function' || typeof namespace.get !== 'function') {
    throw new TypeError('durableObjectStore needs a Durable Object namespace binding')
  }
  /**
   * @param {string} name
   * @param {string} op
   * @param {object} body
   */
  const call = async (name, op, body) => {
    const stub = namespace.get(namespace.idFromName(name))
    const res = await stub.fetch(RPC + op, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (res.status !== 200) throw new Error(`RefreshFamilies ${op} answered ${res.status}`)
    return res.json()
  }
  return {
    async create(record) {
      const r = familyRecord(record)
      // Indexed under its user first, so no family exists that revokeUser cannot find.
      await call(`user:${r.sub}`, 'index', { familyId: r.familyId, expiresAt: r.expiresAt, now: r.createdAt })
      await call(`family:${r.familyId}`, 'create', { record: r })
    },
    async rotate(familyId, presentedHash, successorHash, now, graceSeconds, idleTimeout) {
      return /** @type {Promise<RotateResult>} */ (
        call(`family:${familyId}`, 'rotate', { presentedHash, successorHash, now, graceSeconds, idleTimeout })
      )
    },
    async revoke(familyId) {
      await call(`family:${familyId}`, 'revoke', {})
    },
    async read(familyId) {
      return /** @type {Promise<FamilyRecord | null>} */ (call(`family:${familyId}`, 'read', {}))
    },
    async revokeUser(sub) {
      /** @type {string[]} */
      const ids = await call(`user:${sub}`, 'take', {})
      await Promise.all(ids.map((id) => call(`family:${id}`, 'revoke', {})))
    },
  }
}

/**
 * @typedef {{ idFromName(name: string): unknown, get(id: any): { fetch(input: string, init?: RequestInit): Promise<Response> } }} DurableObjectNamespaceLike
 * @typedef {{
 *   get<T>(key: string): Promise<T | undefined>,
 *   put(key: string, value: unknown): Promise<void>,
 *   delete(key: string): Promise<boolean>,
 *   deleteAll(): Promise<void>,
 *   setAlarm(time: number): Promise<void>,
 *   deleteAlarm(): Promise<void>,
 *   transaction<T>(closure: (txn: { get<T>(key: string): Promise<T | undefined>, put(key: string, value: unknown): Promise<void>, delete(key: string): Promise<boolean> }) => Promise<T>): Promise<T>,
 * }} DurableObjectStorageLike
 */

const FAMILY = 'family'
const USER = 'user'

/**
 * The Durable Object class behind `durableObjectStore`. Export it from the Worker's main module
 * and bind it, e.g. `[[durable_objects.bindings]] name = "FAMILIES", class_name =
 * "RefreshFamilies"`, with a migration `new_sqlite_classes = ["RefreshFamilies"]` (or
 * `new_classes` for the key-value backend; both work).
 *
 * One instance holds one family, or one user's index of families (for `revokeUser`). Rotation reads, decides and writes
 * inside `storage.transaction()`; the object's input gate would already keep other requests out
 * while only storage is awaited, and the transaction makes the step all-or-nothing. An alarm
 * deletes the state when the family's absolute lifetime ends, so
 * abandoned families do not accumulate.
 */
export class RefreshFamilies {
  /** @type {DurableObjectStorageLike} */
  #storage

  /**
   * @param {{ storage: DurableObjectStorageLike }} state
   * @param {unknown} [env]
   */
  constructor(state, env) {
    void env
    this.#storage = state.storage
  }

  /**
   * The JSON RPC of `durableObjectStore`: `POST /<op>` with the arguments as a JSON object.
   * @param {Request} request
   * @returns {Promise<Response>}
   */
  async fetch(request) {
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } })
    const op = new URL(request.url).pathname.slice(1)
    /** @type {any} */
    let args
    try {
      args = await request.json()
    } catch {
      return new Response(null, { status: 400 })
    }
    if (!args || typeof args !== 'object') return new Response(null, { status: 400 })
    const storage = this.#storage
    switch (op) {
      case 'create': {
        const record = familyRecord(args.record)
        const created = await storage.transaction(async (txn) => {
          if ((await txn.get(FAMILY)) !== undefined) return false
          await txn.put(FAMILY, record)
          return true
        })
        if (!created) return new Response(null, { status: 409 })
        await storage.setAlarm(Date.now() + Math.max(0, record.expiresAt - record.createdAt) * 1000)
        return Response.json(null)
      }
      case 'rotate': {
        const { presentedHash, successorHash, now, graceSeconds, idleTimeout } = args
        const out = await storage.transaction(async (txn) => {
          const decided = rotateRecord(
            await txn.get(FAMILY),
            presentedHash,
            successorHash,
            now,
            graceSeconds,
            idleTimeout,
          )
          if (decided.action === 'put') await txn.put(FAMILY, decided.record)
          if (decided.action === 'delete') await txn.delete(FAMILY)
          return decided
        })
        if (out.action === 'delete') await this.#wipe()
        return Response.json(out.result)
      }
      case 'revoke':
        await this.#wipe()
        return Response.json(null)
      case 'read':
        return Response.json((await storage.get(FAMILY)) ?? null)
      case 'index': {
        // A user's index: family id → its absolute expiry; expired entries pruned on each login.
        const { familyId, expiresAt, now } = args
        const last = await storage.transaction(async (txn) => {
          /** @type {Record<string, number>} */
          const index = (await txn.get(USER)) ?? {}
          for (const [id, end] of Object.entries(index)) if (end <= now) delete index[id]
          index[familyId] = expiresAt
          await txn.put(USER, index)
          return Math.max(...Object.values(index))
        })
        await storage.setAlarm(Date.now() + Math.max(0, last - now) * 1000)
        return Response.json(null)
      }
      case 'take': {
        /** @type {Record<string, number>} */
        const index = (await storage.get(USER)) ?? {}
        await this.#wipe()
        return Response.json(Object.keys(index))
      }
      default:
        return new Response(null, { status: 404 })
    }
  }

  /** The end of the family's lifetime: forget everything. */
  async alarm() {
    await this.#storage.deleteAll()
  }

  async #wipe() {
    await this.#storage.deleteAll()
    await this.#storage.deleteAlarm()
  }
}

/**
 * A store on Workers KV (`family:<id>` keys, expiring with the family, and `user:<sub>`, the
 * user's index of families for `revokeUser`, updated by read-modify-write like everything here).
 *
 * NOT RECOMMENDED FOR ROTATION. KV is eventually consistent (a write can take up to 60 s to be
 * visible at other locations) and has no compare-and-set, so `rotate` is a read-modify-write
 * that is not atomic, and a read may be up to 60 s stale. A spent token presented where its
 * rotation is not yet visible is rotated again instead of detected (reuse detection misses the
 * race), and a stale read can make the legitimate successor look spent, which revokes the family
 * and logs the user out. Use
 * `durableObjectStore` in production; KV fits a demo or a deployment that accepts this.
 * @param {KVNamespaceLike} kv the binding, e.g. `env.REFRESH_KV`
 * @returns {RefreshStore}
 */
export function kvStore(kv) {
  if (!kv || typeof kv.get !== 'function' || typeof kv.put !== 'function' || typeof kv.delete !== 'function') {
    throw new TypeError('kvStore needs a Workers KV namespace binding')
  }
  /** KV refuses expirations less than 60 s away. @param {number} seconds */
  const ttl = (seconds) => Math.max(60, Math.ceil(seconds))
  return {
    async create(record) {
      const r = familyRecord(record)
      const key = `user:${r.sub}`
      /** @type {Record<string, number>} */
      const index = (await kv.get(key, 'json')) ?? {}
      for (const [id, end] of Object.entries(index)) if (end <= r.createdAt) delete index[id]
      index[r.familyId] = r.expiresAt
      const last = Math.max(...Object.values(index))
      await kv.put(key, JSON.stringify(index), { expirationTtl: ttl(last - r.createdAt) })
      await kv.put(`family:${r.familyId}`, JSON.stringify(r), { expirationTtl: ttl(r.expiresAt - r.createdAt) })
    },
    async rotate(familyId, presentedHash, successorHash, now, graceSeconds, idleTimeout) {
      const key = `family:${familyId}`
      /** @type {FamilyRecord | null} */
      const old = await kv.get(key, 'json')
      const { result, action, record } = rotateRecord(old, presentedHash, successorHash, now, graceSeconds, idleTimeout)
      if (action === 'put' && record)
        await kv.put(key, JSON.stringify(record), { expirationTtl: ttl(record.expiresAt - now) })
      if (action === 'delete') await kv.delete(key)
      return result
    },
    async revoke(familyId) {
      await kv.delete(`family:${familyId}`)
    },
    async read(familyId) {
      return kv.get(`family:${familyId}`, 'json')
    },
    async revokeUser(sub) {
      /** @type {Record<string, number>} */
      const index = (await kv.get(`user:${sub}`, 'json')) ?? {}
      await Promise.all(Object.keys(index).map((id) => kv.delete(`family:${id}`)))
      await kv.delete(`user:${sub}`)
    },
  }
}

/**
 * @typedef {{
 *   get(key: string, type: 'json'): Promise<any>,
 *   put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>,
 *   delete(key: string): Promise<void>,
 * }} KVNamespaceLike
 */
