/**
 * jwt-wasm/session: the browser half of the login flow served by `jwt-wasm/edge`'s `authRoutes`.
 *
 * The access token lives in sessionStorage (memory where that is unavailable), the refresh token
 * in the edge's HttpOnly cookie (never readable by JavaScript). Refreshes happen before expiry in
 * server time, are sleep-proof, and are serialised across tabs (Web Locks + BroadcastChannel).
 *
 * Security trade-off: sessionStorage is readable by any script running on the origin; an XSS can
 * read the access token (never the refresh token). Use a strict Content-Security-Policy, and for
 * business or sensitive applications prefer a backend-for-frontend (RFC 10017).
 */

import type { Claims } from '../index.js'

/** What the refresh endpoint (or `options.refresh`) answers. */
export interface RefreshResult {
  access_token: string
  token_type?: string
  /** Seconds; used for the skew estimate only when the token has no `iat`. */
  expires_in?: number
  /** The server's time (an HTTP date or ms since the epoch), for the skew estimate. */
  date?: string | number
}

/** The part of Web Storage the session uses. */
export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** The part of `navigator.locks` the session uses (called as a method). */
export interface LockManagerLike {
  request<T>(name: string, options: { mode: 'exclusive' }, callback: (lock: unknown) => Promise<T>): Promise<T>
}

/** The part of a `BroadcastChannel` the session uses. */
export interface ChannelLike {
  postMessage(message: unknown): void
  close(): void
  addEventListener?(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener?(type: 'message', listener: (event: MessageEvent) => void): void
  onmessage?: ((event: MessageEvent) => void) | null
}

/** Options of `createSession`. Unknown options throw `TypeError` (code `ERR_INVALID_OPTIONS`). */
export interface SessionOptions {
  /**
   * Refreshes by calling this function instead of POSTing to `refreshUrl` (not both). Resolve to
   * `{ access_token, expires_in? }`; resolve to `null`, or throw a `SessionError` with code
   * `ERR_SESSION_EXPIRED` (or any error whose `status` is 401, or 400 with `error` `invalid_grant`),
   * when the session is over. Other
   * errors are retried. `signal` aborts after `timeout`.
   */
  refresh?: (context: { signal: AbortSignal }) => Promise<RefreshResult | null | undefined> | RefreshResult | null | undefined
  /** POSTed with `credentials: 'include'` and `csrfHeader`, no body. Default `/auth/refresh`. */
  refreshUrl?: string | URL
  /** POSTed `{ login, password }` as JSON by `login()`. Default `/auth/login`; null: no login. */
  loginUrl?: string | URL | null
  /** POSTed by `logout()`. Default `/auth/logout`; null: logout is local only. */
  logoutUrl?: string | URL | null
  /**
   * Where the access token is kept. Default `globalThis.sessionStorage`; when that is missing or
   * throws (sandboxed iframe, opaque origin, private mode, quota), memory, with one `warning`
   * (`storage_unavailable`). `null`: memory on purpose (no warning).
   */
  storage?: StorageLike | null
  /** Prefix of the keys: the token is at `${keyPrefix}access_token`, the tab id at `${keyPrefix}tab`. Default `jwt-wasm:`. */
  keyPrefix?: string
  /** Seconds before `exp` (server time) to refresh. Default 60; at most half the token's lifetime is used. */
  refreshBefore?: number
  /** Up to this many more seconds, at random, per token (spreads tabs and clients). Default 5. */
  jitter?: number
  /**
   * Retries of one refresh round: `attempts` in all (default 5), waiting `baseDelay`·2^n seconds
   * (default 1, 2, 4, 8…) capped at `maxDelay` (default 60), each times a random factor in
   * [0.8, 1.2). Offline, the wait lasts until `online` (at most `maxDelay`).
   */
  retry?: { attempts?: number; baseDelay?: number; maxDelay?: number }
  /** Seconds before a login, refresh or logout request is aborted. Default 5. */
  timeout?: number
  /**
   * Seconds, default 25. A refresh that timed out may have been rotated by the edge with its
   * answer lost; a retry presents the same refresh token, which the edge answers with the same
   * successor only inside its grace window (authRoutes `graceSeconds`, default 30). So once an
   * attempt timed out (in any tab: they share the refresh cookie), no retry goes out later than
   * `refreshDeadline` after it (the last wait is shortened to fit). Rule: `refreshDeadline` + 5 ≤ the edge's `graceSeconds`;
   * raise both together. With `retry.attempts` > 1, `timeout` ≥ `refreshDeadline` throws
   * (`ERR_INVALID_OPTIONS`: no retry could fit). A round that ends with an attempt unanswered
   * leaves the refresh token possibly spent: it is never presented again; the access token
   * serves while it is valid, then the session ends (`expired`, reason `unanswered`).
   */
  refreshDeadline?: number
  /** The same-origin header the edge requires on refresh and logout. Default `{ name: 'X-Requested-With', value: 'jwt-wasm' }`. */
  csrfHeader?: { name: string; value: string }
  /** The BroadcastChannel's name. Default `jwt-wasm`. */
  channelName?: string
  /** The Web Lock's name. Default `jwt-wasm:refresh`. */
  lockName?: string
  /** Wall clock in ms. Default `Date.now`. */
  clock?: () => number
  /** Timers, called as plain functions. Default the global ones. */
  timers?: { setTimeout: (callback: () => void, ms: number) => unknown; clearTimeout: (handle: any) => void }
  /** Default the global `fetch`. */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>
  /** Default `navigator.locks`; null: no Web Locks (see `mode.coordination`). */
  locks?: LockManagerLike | null
  /** Default `(name) => new BroadcastChannel(name)`; null: no cross-tab messages. */
  channel?: ((name: string) => ChannelLike) | null
  /** Default `Math.random`. */
  random?: () => number
  /** Receives `visibilitychange`, `pageshow`, `focus`, `online`. Default `globalThis` (window); null: none. */
  events?: EventTarget | null
  /** Default `() => navigator.onLine`. */
  isOnline?: () => boolean
  /**
   * Origins `session.fetch` sends the token to. Default: the page's origin (`location.origin`);
   * without `location` (not a page), any. A request elsewhere goes out untouched.
   */
  apiOrigins?: string[] | null
}

export type SessionErrorCode =
  | 'ERR_SESSION_LOGIN_FAILED'
  | 'ERR_SESSION_REFRESH_FAILED'
  | 'ERR_SESSION_EXPIRED'
  | 'ERR_SESSION_LOGOUT_FAILED'
  | 'ERR_SESSION_ENDED'

/**
 * - `network`: no answer (status 0); `timeout`: no answer within `timeout` (status 0);
 * - `http`: an answer with a refusing status; `bad_response`: a 2xx without a usable token;
 * - `broadcast`: the session ended in another tab.
 */
export type SessionErrorReason = 'network' | 'timeout' | 'http' | 'bad_response' | 'broadcast'

/**
 * - `ERR_SESSION_LOGIN_FAILED`: `login()` refused (`status` 400 `error` `invalid_grant`, as
 *   authRoutes answers, or 401),
 *   throttled (429, `retryAfter`), or failed (400, 403, 503, 0…).
 * - `ERR_SESSION_REFRESH_FAILED`: a refresh round gave up (after `attempts` retries of network
 *   errors, timeouts, 408, 429, 5xx; or at once for another status such as 403).
 * - `ERR_SESSION_EXPIRED`: the refresh endpoint answered 400 `invalid_grant` (or 401): the
 *   refresh token is dead; the session ended (`expired` event).
 * - `ERR_SESSION_LOGOUT_FAILED`: the logout endpoint did not confirm (the local session ended
 *   anyway; the refresh cookie may still be alive).
 * - `ERR_SESSION_ENDED`: the session was logged out or closed while the call waited.
 */
export declare class SessionError extends Error {
  constructor(
    message: string,
    options: { code: SessionErrorCode; status?: number; error?: string; reason?: SessionErrorReason; retryAfter?: number; attempts?: number; cause?: unknown },
  )
  /** Always `SessionError`. */
  name: string
  code: SessionErrorCode
  /** The HTTP status when an endpoint answered; 0 when none did. */
  status?: number
  /** The OAuth `error` of the answer (`invalid_grant`, `temporarily_unavailable`…). */
  error?: string
  reason?: SessionErrorReason
  /** Seconds, from `Retry-After`. */
  retryAfter?: number
  /** Attempts made by the refresh round. */
  attempts?: number
}

/** Why the token changed. */
export type ChangeReason = 'login' | 'refresh' | 'broadcast' | 'logout' | 'expired'

export type WarningCode = 'storage_unavailable' | 'locks_unavailable' | 'channel_unavailable' | 'clock_skew' | 'no_exp'

export interface ChangeDetail<C extends object = Record<string, unknown>> {
  /** The new token, or null when the session ended. */
  token: string | null
  /** Its claims (not verified); null when the session ended, or the token is encrypted. */
  claims: Claims<C> | null
  reason: ChangeReason
}

export interface RefreshDetail<C extends object = Record<string, unknown>> {
  token: string
  /** Its claims (not verified); null for an encrypted token. */
  claims: Claims<C> | null
  /** Client-clock ms. */
  expiresAt: number
  /** Client-clock ms. */
  refreshAt: number
  /** ms: serverNow ≈ clientNow + skew. */
  skew: number
}

export interface ExpiredDetail {
  /**
   * `invalid_grant`: this tab's refresh was refused; `unanswered`: a refresh went unanswered past
   * `refreshDeadline` and the access token ran out (the refresh token may be spent, so it was not
   * presented again); `broadcast`: another tab's session ended.
   */
  reason: 'invalid_grant' | 'unanswered' | 'broadcast'
  error: SessionError
}

export interface LogoutDetail {
  source: 'local' | 'broadcast'
  /** Whether the edge confirmed the revocation; null when not asked (another tab's logout, or no `logoutUrl`). */
  revoked: boolean | null
}

export interface ErrorDetail {
  error: SessionError
  attempts: number
}

export interface WarningDetail {
  code: WarningCode
  message: string
  /** With `locks_unavailable`: what serialises refreshes instead. */
  coordination?: 'broadcast-lease' | 'none'
  /** With `clock_skew`: the estimate in ms. */
  skew?: number
  cause?: unknown
}

/**
 * Events, in this order when several fire for one step: `change` first (the state is already
 * updated), then the specific one.
 * - login: `change` (`login`)
 * - a refresh by this tab: `change` (`refresh`), `refresh`; in the other tabs: `change` (`broadcast`)
 * - refresh token dead: `change` (`expired`), `expired`
 * - logout: `change` (`logout`), then, once the edge answered, `logout` (every tab: `change`, `logout`)
 * - `error`: a refresh round gave up, or the logout endpoint failed; `warning`: once per code.
 */
export interface SessionEventMap<C extends object = Record<string, unknown>> {
  change: CustomEvent<ChangeDetail<C>>
  refresh: CustomEvent<RefreshDetail<C>>
  expired: CustomEvent<ExpiredDetail>
  logout: CustomEvent<LogoutDetail>
  error: CustomEvent<ErrorDetail>
  warning: CustomEvent<WarningDetail>
}

export interface Session<C extends object = Record<string, unknown>> extends EventTarget {
  /**
   * POSTs `{ login, password }` to `loginUrl`; resolves to the token's claims (null for an
   * encrypted token, whose claims the page cannot read). Throws `SessionError` `ERR_SESSION_LOGIN_FAILED`.
   */
  login(login: string, password: string): Promise<Claims<C> | null>
  /**
   * Call on page load. True when a token is available afterwards: at once when storage holds a
   * usable one, else after one refresh (the refresh cookie brings a new tab or a reload back in
   * without a login). False when there is no session, and after a logout (no silent log-in by
   * cookie); rejects `ERR_SESSION_REFRESH_FAILED` when the endpoint could not be reached.
   */
  resume(): Promise<boolean>
  /** A valid access token, refreshing if needed; null when there is no session. */
  getToken(): Promise<string | null>
  /** Refreshes now (or joins the refresh in flight). */
  refresh(): Promise<string>
  /**
   * The current token (not refreshed; maybe expired), or null. In a browser the token kept by an
   * earlier page is held once the claims wasm has loaded (the entries have no top-level await):
   * until then null; `resume()`, `getToken()` and `login()` wait for it.
   */
  readonly token: string | null
  /** The current token's payload (from `inspect`: not verified), or null (also for an encrypted token). */
  readonly claims: Claims<C> | null
  /** The current token's expiry and refresh point (client-clock ms) and the skew (ms), or null. */
  readonly timing: { expiresAt: number; refreshAt: number; skew: number } | null
  /** Where the token is kept, what serialises refreshes across tabs, whether tabs can talk. */
  readonly mode: { storage: 'storage' | 'memory'; coordination: 'locks' | 'broadcast-lease' | 'none'; channel: boolean }
  /** This tab's id, and the id of the tab it was recognised as a copy of (or null). */
  readonly tab: { id: string; duplicateOf: string | null }
  /**
   * `fetch` with `Authorization: Bearer` (for `apiOrigins`); on 401 with a Bearer
   * `error="invalid_token"` challenge: one shared refresh, one retry with the body replayed.
   * Other answers (other 401s, 403) come back untouched.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Clears the token here and in every tab, then asks the edge to revoke the refresh token. Never rejects. */
  logout(): Promise<{ revoked: boolean | null }>
  /** Stops timers, listeners and the channel (tests, SPA unmount). */
  close(): void

  addEventListener<K extends keyof SessionEventMap<C>>(type: K, listener: (event: SessionEventMap<C>[K]) => void, options?: boolean | AddEventListenerOptions): void
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void
  removeEventListener<K extends keyof SessionEventMap<C>>(type: K, listener: (event: SessionEventMap<C>[K]) => void, options?: boolean | EventListenerOptions): void
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void
}

/** Creates a session. Touches no browser global before it is called (safe to import in SSR). */
export declare function createSession<C extends object = Record<string, unknown>>(options?: SessionOptions): Session<C>
