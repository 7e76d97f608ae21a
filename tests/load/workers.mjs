// The two Workers of `make load`, as source text: `wasm` guards with jwt-wasm/edge's `guard`; `jose`
// implements the same policy, header parsing and RFC 6750 answers with jose's `jwtVerify`. Both
// serve the `/__memory` probe. run.mjs writes them into its throwaway project and bundles them.

/**
 * The sources of both Workers for issuer `ISS`.
 * @param {string} ISS
 * @returns {{ wasm: string, jose: string }}
 */
export function workerSources(ISS) {
  /**
   * The memory probe of both Workers (`GET /__memory`, not guarded: this is a test fixture): runs
   * V8's full garbage collection (workerd started with --expose-gc), then reports the byte length
   * of jwt-wasm's WebAssembly.Memory (linear memory only grows, in 64 KiB pages, so any leak inside
   * wasm shows) for the jwt-wasm Worker.
   */
  const PROBE = `const probe = (wasmBytes) => {
    for (let i = 0; i < 3; i++) globalThis.gc?.()
    return Response.json({ gc: typeof globalThis.gc === 'function', wasm: wasmBytes() })
  }`
  const POLICY = `{ algorithms: ['HS256'], issuer: ${JSON.stringify(ISS)}, audience: 'api' }`
  return {
    wasm: `import { guard } from 'jwt-wasm/edge'
// The package's internal engine accessor: the same module instance the workerd entry loaded
// (same file in the bundle), read only by the memory probe below.
import { engine } from './node_modules/jwt-wasm/wasm.js'
${PROBE}
const guarded = guard((request, env, ctx, { payload }) => Response.json({ sub: payload.sub }), {
  ...${POLICY},
  keys: (env) => [
    { kid: 'k0', alg: 'HS256', secret: env.OLD_SECRET },
    { kid: 'k1', alg: 'HS256', secret: env.SECRET },
  ],
  scopes: ['read'],
  realm: 'load',
})
export default {
  fetch(request, env, ctx) {
    return new URL(request.url).pathname === '/__memory' ? probe(() => engine().memory.buffer.byteLength) : guarded(request, env, ctx)
  },
}
`,
    jose: `import { jwtVerify, errors } from 'jose'
const policy = { ...${POLICY}, requiredClaims: ['exp'], typ: 'at+jwt' }
const BEARER = /^ +([A-Za-z0-9\\-._~+/]+=*)$/
const TCHAR = /^[!#$%&'*+\\-.^_\`|~0-9A-Za-z]+$/
let ring
const keyring = (env) =>
  (ring ??= Promise.all(
    [['k0', env.OLD_SECRET], ['k1', env.SECRET]].map(async ([kid, secret]) => [
      kid,
      await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']),
    ]),
  ).then((entries) => new Map(entries)))
const answer = (status, challenge, body) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...(challenge && { 'www-authenticate': challenge }) },
  })
const fail = (status, error, description) =>
  answer(status, \`Bearer realm="load", error="\${error}", error_description="\${description}"\`, { error, error_description: description })
${PROBE}
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === '/__memory') return probe(() => null)
    const authorization = request.headers.get('authorization')
    let token
    if (authorization !== null) {
      const space = authorization.indexOf(' ')
      const scheme = space < 0 ? authorization : authorization.slice(0, space)
      if (!TCHAR.test(scheme)) return fail(400, 'invalid_request', 'The Authorization header is malformed')
      if (scheme.toLowerCase() === 'bearer') {
        const m = BEARER.exec(authorization.slice(scheme.length))
        if (!m) return fail(400, 'invalid_request', 'The Authorization header is malformed')
        token = m[1]
      }
    }
    if (token === undefined) return answer(401, 'Bearer realm="load"', { error: 'unauthorized', error_description: 'This resource requires an access token' })
    let payload
    try {
      const keys = await keyring(env)
      ;({ payload } = await jwtVerify(
        token,
        (header) => {
          const key = keys.get(header.kid)
          if (!key) throw new errors.JWKSNoMatchingKey()
          return key
        },
        policy,
      ))
    } catch (e) {
      if (e instanceof errors.JOSEError) return fail(401, 'invalid_token', 'The access token is invalid')
      return answer(500, undefined, { error: 'server_error' })
    }
    const granted = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ') : [])
    if (Array.isArray(payload.scp)) for (const s of payload.scp) granted.add(s)
    if (!granted.has('read')) return fail(403, 'insufficient_scope', 'The access token lacks a required scope')
    return Response.json({ sub: payload.sub })
  },
}
`,
  }
}
