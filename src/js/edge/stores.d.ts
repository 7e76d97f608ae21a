/**
 * Refresh-token stores for `authRoutes`: one small interface, three implementations
 * (`memoryStore`, `durableObjectStore` + `RefreshFamilies`, `kvStore`).
 */

/**
 * One family: one login and the chain of refresh tokens rotated from it. Times are seconds since
 * the epoch. Secrets are kept only as base64url SHA-256 hashes; no raw refresh token is stored.
 */
export interface FamilyRecord {
  /** 128 random bits, base64url: the part of the refresh token before the dot. */
  familyId: string
  /** The user, as `verifyUser` returned it; the access tokens' `sub`. */
  sub: string
  /** Extra access-token claims returned by `verifyUser`; minted again on every refresh. */
  claims: Record<string, unknown>
  /** With `bind: 'device'`: the `dvh` (HMAC of the device id) the family is bound to. */
  dvh?: string
  /** Login time. */
  createdAt: number
  /** `createdAt + familyLifetime`: the absolute end, never extended by rotation. */
  expiresAt: number
  /** The last rotation (or login): the idle timeout counts from here. */
  lastUsedAt: number
  /** Hash of the one refresh secret that may rotate now. */
  current: string
  /** Hash of the immediate predecessor and when it was rotated (the grace window), or null. */
  previous: { hash: string; rotatedAt: number } | null
}

/**
 * What `rotate` decided:
 * - `rotated`: the presented token was current; the family moved to the successor.
 * - `grace`: the presented token is the immediate predecessor, inside the grace window, and its
 *   successor is still current; nothing changed, answer that same successor again.
 * - `reuse`: any other token of the family (spent); the family was revoked (deleted).
 * - `unknown`: no such family (never existed, revoked, or cleaned up).
 * - `expired`: absolute lifetime or idle timeout passed; the family was deleted.
 */
export type RotateStatus = 'rotated' | 'grace' | 'reuse' | 'unknown' | 'expired'

export type RotateResult =
  | { status: 'rotated' | 'grace'; record: FamilyRecord }
  | { status: 'reuse' | 'unknown' | 'expired'; record?: undefined }

/**
 * The interface `authRoutes` needs. Every method may reject when the backing service is
 * unavailable; `authRoutes` then answers 503 `{ error: 'temporarily_unavailable' }` and changes
 * nothing else (no 200, no cookie cleared).
 */
export interface RefreshStore {
  /** Stores a new family. Rejects if the id exists. */
  create(record: FamilyRecord): Promise<void>
  /**
   * Atomically: reads the family, applies the rotation rule (see `RotateStatus`) and writes the
   * result. `now` and `idleTimeout`, `graceSeconds` in seconds. Of any number of concurrent
   * calls with the same current hash, exactly one answers `rotated`.
   */
  rotate(
    familyId: string,
    presentedHash: string,
    successorHash: string,
    now: number,
    graceSeconds: number,
    idleTimeout: number,
  ): Promise<RotateResult>
  /** Deletes the family (idempotent). */
  revoke(familyId: string): Promise<void>
  /** The family as stored, or null. Expiry is not judged here: compare `expiresAt`/`lastUsedAt`. */
  read(familyId: string): Promise<FamilyRecord | null>
  /**
   * Ends every family of the user `sub` (idempotent). A login that runs at the same moment may
   * survive it; call it again after the account change is in place.
   */
  revokeUser(sub: string): Promise<void>
}

/**
 * In memory: a bounded map in this isolate, at most `maxFamilies` families (default 10,000; the
 * oldest is dropped first), a family past its absolute expiry dropped when read or when another
 * is stored. Atomic by JavaScript's run-to-completion. For tests and local development only:
 * every isolate has its own, and it is lost on restart.
 */
export declare function memoryStore(options?: { maxFamilies?: number }): RefreshStore

/** The part of a Durable Object namespace binding the store uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown
  get(id: any): { fetch(input: string, init?: RequestInit): Promise<Response> }
}

/**
 * On Durable Objects (the production choice): one `RefreshFamilies` object per family
 * (`idFromName('family:' + familyId)`), so rotations of one family are serialised and strongly
 * consistent, and one per user (`idFromName('user:' + sub)`) holding the index of its families
 * for `revokeUser` (written at login, before the family; expired entries pruned). authRoutes reaches it only with a refresh token whose tag verified, or after
 * `verifyUser` accepted a login, so no unauthenticated request starts an object. Talks to the objects with `stub.fetch` and JSON.
 * @param namespace the binding of `RefreshFamilies`, e.g. `env.FAMILIES`
 */
export declare function durableObjectStore(namespace: DurableObjectNamespaceLike): RefreshStore

/** The part of Durable Object storage `RefreshFamilies` uses. */
export interface DurableObjectStorageLike {
  get<T = unknown>(key: string): Promise<T | undefined>
  put(key: string, value: unknown): Promise<void>
  delete(key: string): Promise<boolean>
  deleteAll(): Promise<void>
  setAlarm(scheduledTime: number): Promise<void>
  deleteAlarm(): Promise<void>
  transaction<T>(
    closure: (txn: {
      get<T = unknown>(key: string): Promise<T | undefined>
      put(key: string, value: unknown): Promise<void>
      delete(key: string): Promise<boolean>
    }) => Promise<T>,
  ): Promise<T>
}

/**
 * The Durable Object class behind `durableObjectStore`. Export it from the Worker's main module
 * (`export { RefreshFamilies } from 'jwt-wasm/edge'`) and bind it:
 *
 * ```toml
 * [[durable_objects.bindings]]
 * name = "FAMILIES"
 * class_name = "RefreshFamilies"
 *
 * [[migrations]]
 * tag = "v1"
 * new_sqlite_classes = ["RefreshFamilies"]
 * ```
 *
 * One instance holds one family. Rotation reads, decides and
 * writes inside `storage.transaction()`; an alarm deletes the state when the family's absolute
 * lifetime ends. A plain class (not `extends DurableObject`), so the
 * module also imports outside workerd.
 */
export declare class RefreshFamilies {
  constructor(state: { storage: DurableObjectStorageLike }, env?: unknown)
  /** The JSON RPC of `durableObjectStore`. */
  fetch(request: Request): Promise<Response>
  /** Deletes everything: the family's lifetime ended. */
  alarm(): Promise<void>
}

/** The part of a Workers KV namespace binding the store uses. */
export interface KVNamespaceLike {
  get(key: string, type: 'json'): Promise<any>
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>
  delete(key: string): Promise<void>
}

/**
 * On Workers KV. NOT RECOMMENDED FOR ROTATION: KV is eventually consistent (a write can take up
 * to 60 s to be seen at other locations) and has no compare-and-set, so `rotate` is a
 * read-modify-write that is not atomic, and a read may be up to 60 s stale. Reuse detection can
 * miss a race across locations (a spent token presented where its rotation is not yet visible is
 * rotated again, not detected), and a stale read can make the legitimate successor look spent,
 * which revokes the family (the user must log in again). Fine for a demo; use
 * `durableObjectStore` in production.
 * @param kv the binding, e.g. `env.REFRESH_KV`
 */
export declare function kvStore(kv: KVNamespaceLike): RefreshStore
