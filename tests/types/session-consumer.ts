// Type-level tests of the hand-written session/index.d.ts: an SPA author's view.
// `tsc` must accept this file, and every `@ts-expect-error` line must really be an error.
import { createSession, SessionError, type Session, type SessionOptions, type SessionErrorCode, type ChangeDetail, type WarningDetail } from 'jwt-wasm/session'

interface AppClaims {
  role: 'admin' | 'user'
}

const options: SessionOptions = {
  refreshUrl: '/auth/refresh',
  loginUrl: '/auth/login',
  logoutUrl: '/auth/logout',
  storage: globalThis.sessionStorage,
  keyPrefix: 'app:',
  refreshBefore: 60,
  jitter: 5,
  retry: { attempts: 5, baseDelay: 1, maxDelay: 60 },
  timeout: 5,
  refreshDeadline: 25,
  csrfHeader: { name: 'X-Requested-With', value: 'jwt-wasm' },
  channelName: 'jwt-wasm',
  lockName: 'jwt-wasm:refresh',
  clock: () => Date.now(),
  timers: { setTimeout, clearTimeout },
  fetch: (input, init) => fetch(input, init),
  locks: navigator.locks,
  channel: (name) => new BroadcastChannel(name),
  random: Math.random,
  events: window,
  isOnline: () => navigator.onLine,
  apiOrigins: ['https://api.example'],
}

const session: Session<AppClaims> = createSession<AppClaims>(options)

// A custom refresh function instead of refreshUrl.
createSession({
  refresh: async ({ signal }) => {
    const res = await fetch('/token', { method: 'POST', signal })
    if (res.status === 401) return null
    return (await res.json()) as { access_token: string; expires_in: number }
  },
  storage: null,
  locks: null,
  channel: null,
  events: null,
})

async function app(): Promise<void> {
  const claims = await session.login('alice', 'secret')
  // @ts-expect-error: null when the access token is encrypted (its claims are unreadable)
  void claims.role
  if (claims === null) return
  const role: 'admin' | 'user' = claims.role
  const sub: string | undefined = claims.sub
  void role
  void sub
  const resumed: boolean = await session.resume()
  const token: string | null = await session.getToken()
  const forced: string = await session.refresh()
  const current: string | null = session.token
  const exp: number | undefined = session.claims?.exp
  const timing = session.timing
  if (timing) {
    const at: number = timing.refreshAt
    void at
  }
  const mode: 'storage' | 'memory' = session.mode.storage
  const coordination: 'locks' | 'broadcast-lease' | 'none' = session.mode.coordination
  const copyOf: string | null = session.tab.duplicateOf
  const res: Response = await session.fetch('/api/orders', { method: 'POST', body: JSON.stringify({ id: 1 }) })
  const { revoked } = await session.logout()
  const r: boolean | null = revoked
  session.close()
  void [resumed, token, forced, current, exp, mode, coordination, copyOf, res, r]

  // @ts-expect-error login takes a login and a password
  await session.login('alice')
  // @ts-expect-error token is read-only
  session.token = 'x'
}
void app

session.addEventListener('change', (e) => {
  const d: ChangeDetail<AppClaims> = e.detail
  const reason: 'login' | 'refresh' | 'broadcast' | 'logout' | 'expired' = d.reason
  const role: 'admin' | 'user' | undefined = d.claims?.role
  void [reason, role]
})
session.addEventListener('refresh', (e) => {
  const at: number = e.detail.expiresAt
  const skew: number = e.detail.skew
  void [at, skew]
})
session.addEventListener('expired', (e) => {
  const code: SessionErrorCode = e.detail.error.code
  const why: 'invalid_grant' | 'unanswered' | 'broadcast' = e.detail.reason
  void [code, why]
})
session.addEventListener('logout', (e) => {
  const revoked: boolean | null = e.detail.revoked
  const source: 'local' | 'broadcast' = e.detail.source
  void [revoked, source]
})
session.addEventListener('error', (e) => {
  const err: SessionError = e.detail.error
  const status: number | undefined = err.status
  void status
})
session.addEventListener('warning', (e) => {
  const w: WarningDetail = e.detail
  if (w.code === 'locks_unavailable') console.warn(w.coordination)
})

try {
  await session.login('alice', 'wrong')
} catch (e) {
  if (e instanceof SessionError && e.code === 'ERR_SESSION_LOGIN_FAILED') {
    const status: number | undefined = e.status
    const retryAfter: number | undefined = e.retryAfter
    void [status, retryAfter]
  }
}

// Custom refresh functions signal the end of a session with a SessionError.
new SessionError('gone', { code: 'ERR_SESSION_EXPIRED' })
// @ts-expect-error not a session error code
new SessionError('x', { code: 'ERR_NOPE' })

// @ts-expect-error unknown option
createSession({ refreshBefor: 60 })
// @ts-expect-error refreshBefore is seconds, a number
createSession({ refreshBefore: '60' })
