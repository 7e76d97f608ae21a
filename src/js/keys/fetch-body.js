// @ts-check
/**
 * One fetch of a key set: a GET with a fixed `Accept` and `redirect: 'manual'`
 * (workerd does not implement `'error'`; any answer that is not 2xx, a redirect included, is
 * `JWKSFetchFailed` with its status), a timeout (an `AbortController` and an injected timer: the
 * answer is `JWKSTimeout` when the timer fires first, whether or not the fetch honours the
 * signal) and a size cap checked on `Content-Length` and again while the body streams in. The body
 * must be UTF-8 and of its format's shape (body-shape.js).
 */
import { checkBody } from './body-shape.js'
import { JWKSFetchFailed, JWKSInvalid, JWKSTimeout, JWKSTooLarge } from './key-set-errors.js'

const ACCEPT = { jwks: 'application/jwk-set+json, application/json;q=0.9', x509: 'application/json' }

/**
 * @typedef {{ setTimeout(f: () => void, ms: number): unknown, clearTimeout(id: any): void }} Timers
 * @typedef {{ url: string, format: 'jwks' | 'x509', fetch: typeof fetch, timeout: number, maxBytes: number, timers: Timers }} FetchConfig
 */

/**
 * The body's bytes, at most `max` of them.
 * @param {Response} res
 * @param {number} max
 */
async function readCapped(res, max) {
  const length = res.headers.get('content-length')
  if (length !== null && /^\d+$/.test(length) && Number(length) > max) {
    await res.body?.cancel().catch(() => {})
    throw new JWKSTooLarge()
  }
  if (!res.body) return new Uint8Array(0)
  const reader = res.body.getReader()
  /** @type {Uint8Array[]} */
  const parts = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      throw new JWKSTooLarge()
    }
    parts.push(value)
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    bytes.set(p, at)
    at += p.byteLength
  }
  return bytes
}

/**
 * Fetches and checks the key set: its JSON text and the answer's headers.
 * @param {FetchConfig} c
 * @returns {Promise<{ body: string, headers: Headers }>}
 */
export async function fetchBody(c) {
  const controller = new AbortController()
  /** @type {unknown} */
  let timer
  const expired = new Promise((_, reject) => {
    timer = c.timers.setTimeout(() => {
      const e = new JWKSTimeout()
      controller.abort(e)
      reject(e)
    }, c.timeout)
  })
  const work = (async () => {
    let res
    try {
      res = await c.fetch(c.url, {
        method: 'GET',
        headers: { accept: ACCEPT[c.format] },
        redirect: 'manual',
        signal: controller.signal,
      })
    } catch (cause) {
      if (cause instanceof JWKSTimeout) throw cause
      throw new JWKSFetchFailed(undefined, { cause })
    }
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel().catch(() => {})
      throw new JWKSFetchFailed(`the key set answered with status ${res.status}`, { status: res.status })
    }
    let bytes
    try {
      bytes = await readCapped(res, c.maxBytes)
    } catch (cause) {
      if (cause instanceof JWKSTooLarge || cause instanceof JWKSTimeout) throw cause
      throw new JWKSFetchFailed('the key set answer broke off', { cause, status: res.status })
    }
    let body
    try {
      body = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch (cause) {
      throw new JWKSInvalid('the key set is not UTF-8', { cause })
    }
    checkBody(body, c.format)
    return { body, headers: res.headers }
  })()
  try {
    return await Promise.race([work, expired])
  } finally {
    c.timers.clearTimeout(timer)
    expired.catch(() => {})
    work.catch(() => {})
  }
}
