// Shared by the key-set tests: the modules of src/js/keys from the repository (JWT_WASM_REPO,
// set by tests/js/run.sh; pure JavaScript, no wasm), and fakes for fetch, the Cache API, KV and
// timers, with time always injected.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')

/** A module of src/js/keys. @param {string} file */
export const keysModule = (file) => import(pathToFileURL(join(repo, 'src', 'js', 'keys', file)).href)

/** A JWKS body with one key per kid (shape only: the key set never reads the keys). @param {...string} kids */
export const jwks = (...kids) => JSON.stringify({ keys: kids.map((kid) => ({ kty: 'EC', crv: 'P-256', kid })) })

/**
 * A fake fetch answering with `answer(call)`: a Response, or a { status, body, headers } object,
 * or it throws. Every call is recorded (url, init).
 * @param {(call: { url: string, init: RequestInit, n: number }) => any} answer
 */
export function fakeFetch(answer) {
  const calls = []
  const f = async (url, init) => {
    const call = { url: String(url), init, n: calls.length + 1 }
    calls.push(call)
    const a = await answer(call)
    if (a instanceof Response) return a
    return new Response(a.body ?? null, { status: a.status ?? 200, headers: a.headers ?? {} })
  }
  f.calls = calls
  return f
}

/** A fake of the Workers Cache API (`caches.default`): a map of key → stored response. */
export function fakeCache() {
  const store = new Map()
  return {
    store,
    puts: 0,
    async match(key) {
      const e = store.get(String(key))
      return e && new Response(e.body, { headers: e.headers })
    },
    async put(key, res) {
      this.puts += 1
      store.set(String(key), { body: await res.text(), headers: Object.fromEntries(res.headers) })
    },
    async delete(key) {
      return store.delete(String(key))
    },
  }
}

/** A fake KV namespace: get / put (with expirationTtl, recorded) / delete. */
export function fakeKv() {
  const store = new Map()
  return {
    store,
    ttls: [],
    async get(key) {
      return store.get(key) ?? null
    },
    async put(key, value, options) {
      this.ttls.push(options?.expirationTtl)
      store.set(key, value)
    },
    async delete(key) {
      store.delete(key)
    },
  }
}

/** Timers that fire only when told: `fire()` runs every pending callback. */
export function manualTimers() {
  const pending = new Map()
  let id = 0
  return {
    pending,
    setTimeout(f, ms) {
      pending.set(++id, { f, ms })
      return id
    },
    clearTimeout(i) {
      pending.delete(i)
    },
    fire() {
      const all = [...pending.values()]
      pending.clear()
      for (const t of all) t.f()
    },
  }
}

/** Asserts a TypeError ERR_INVALID_OPTIONS. */
export const invalid = (f) => assert.throws(f, (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS')
