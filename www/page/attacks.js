// The attack cards: each builds one forged or refused request from the page's own token, sends
// it to the demo Worker and shows the edge's answer (status, WWW-Authenticate error and
// description) beside the answer expected and a one-line why. JWE_ATTACKS are the cards of an
// encrypted token (the switch "encrypt access tokens"), sent to /api-jwe/me.
const enc = new TextEncoder()
const b64u = (s) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const unb64u = (s) => atob(s.replace(/-/g, '+').replace(/_/g, '/'))
const bytesB64u = (bytes) => b64u(String.fromCharCode(...bytes))
const header = (h) => JSON.parse(unb64u(h))

async function mint(token, kind) {
  const res = await fetch('/demo/mint', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind }),
  })
  return (await res.json()).token
}

// The attacker's own HMAC key, put in the header as a JWK and used to sign: a verifier that
// trusted jwk (or fetched jku) would accept it.
async function selfSigned(h, p) {
  const raw = crypto.getRandomValues(new Uint8Array(32))
  const hdr = b64u(
    JSON.stringify({
      ...header(h),
      jku: 'https://attacker.example/keys.json',
      jwk: { kty: 'oct', k: bytesB64u(raw) },
    }),
  )
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`${hdr}.${p}`)))
  return `${hdr}.${p}.${bytesB64u(sig)}`
}

const SIG = 'The access token signature is invalid'
/** id, title, why, the expected answer, and how the request is made from the token. */
export const ATTACKS = [
  {
    id: 'payload',
    title: 'Payload edited',
    why: 'sub changed to "admin": the HMAC over header.payload no longer matches.',
    expect: [401, 'invalid_token', SIG],
    token: ([h, p, s]) => `${h}.${b64u(unb64u(p).replace(/"sub":"[^"]*"/, '"sub":"admin"'))}.${s}`,
  },
  {
    id: 'signature',
    title: 'Signature edited',
    why: 'One character of the signature changed: it is not the MAC of this header and payload.',
    expect: [401, 'invalid_token', SIG],
    token: ([h, p, s]) => `${h}.${p}.${s[0] === 'A' ? 'Q' : 'A'}${s.slice(1)}`,
  },
  {
    id: 'none',
    title: 'alg: none',
    why: 'An unsigned token: "none" is never in the allowlist (HS256 only).',
    expect: [401, 'invalid_token', 'The access token algorithm is not allowed'],
    token: ([h, p]) => `${b64u(JSON.stringify({ ...header(h), alg: 'none' }))}.${p}.`,
  },
  {
    id: 'relabel',
    title: 'HS256 relabelled HS384',
    why: 'The header claims HS384: not allowed, and the key is bound to HS256 alone.',
    expect: [401, 'invalid_token', 'The access token algorithm is not allowed'],
    token: ([h, p, s]) => `${b64u(JSON.stringify({ ...header(h), alg: 'HS384' }))}.${p}.${s}`,
  },
  {
    id: 'kid',
    title: 'kid traversal',
    why: 'kid "../../etc/passwd" is only looked up in the key ring, never used as a path: no such key.',
    expect: [401, 'invalid_token', 'No key matches the access token'],
    token: ([h, p, s]) => `${b64u(JSON.stringify({ ...header(h), kid: '../../etc/passwd' }))}.${p}.${s}`,
  },
  {
    id: 'jwk',
    title: 'jku / jwk injection',
    why: 'Signed with a key the attacker put in the header (jwk, jku): keys come only from the server, so the MAC fails.',
    expect: [401, 'invalid_token', SIG],
    token: ([h, p]) => selfSigned(h, p),
  },
  {
    id: 'duplicate',
    title: 'Duplicate claim',
    why: 'Correctly signed, but the payload says sub twice: the strict JSON reader refuses duplicates.',
    expect: [401, 'invalid_token', 'The access token claims are malformed'],
    token: (_, token) => mint(token, 'duplicate'),
  },
  {
    id: 'padding',
    title: 'Padding in the signature',
    why: 'A trailing "=" (allowed by the Bearer syntax) reaches the core: base64url here has no padding.',
    expect: [401, 'invalid_token', 'The access token is malformed'],
    token: ([h, p, s]) => `${h}.${p}.${s}=`,
  },
  {
    id: 'expired',
    title: 'Expired token',
    why: 'Correctly signed, exp a minute ago.',
    expect: [401, 'invalid_token', 'The access token expired'],
    token: (_, token) => mint(token, 'expired'),
  },
  {
    id: 'audience',
    title: 'Wrong audience',
    why: 'Correctly signed for "another-api": this API accepts only "demo-api".',
    expect: [401, 'invalid_token', 'The access token audience is not accepted'],
    token: (_, token) => mint(token, 'audience'),
  },
  {
    id: 'scope',
    title: 'Missing scope',
    why: 'A valid token on /api/admin, which needs admin:write: authenticated, not authorised.',
    expect: [403, 'insufficient_scope', 'The access token lacks a required scope'],
    path: '/api/admin',
    token: (_, token) => token,
  },
  {
    id: 'missing',
    title: 'No token',
    why: 'No Authorization header: a bare challenge says how to authenticate.',
    expect: [401, '', ''],
    token: () => null,
  },
]

// One character of a segment changed (the first: its bits are all data, never base64url padding).
const flip = (segment) => `${segment[0] === 'A' ? 'B' : 'A'}${segment.slice(1)}`
const NOT_DECRYPTED = [401, 'invalid_token', 'The access token could not be decrypted']

/** The cards of an encrypted token: the same shape as ATTACKS, on the JWE's five segments. */
export const JWE_ATTACKS = [
  {
    id: 'jwe-ciphertext',
    title: 'Ciphertext byte flipped',
    why: 'One byte of the ciphertext changed: AES-GCM’s tag no longer matches, and every failure to decrypt gets the same answer (no oracle).',
    expect: NOT_DECRYPTED,
    path: '/api-jwe/me',
    token: ([h, k, iv, c, t]) => `${h}.${k}.${iv}.${flip(c)}.${t}`,
  },
  {
    id: 'jwe-header',
    title: 'Protected header edited',
    why: 'A field added to the protected header, which is the AAD of the encryption: the tag no longer matches.',
    expect: NOT_DECRYPTED,
    path: '/api-jwe/me',
    token: ([h, k, iv, c, t]) => `${b64u(JSON.stringify({ ...header(h), x: 1 }))}.${k}.${iv}.${c}.${t}`,
  },
  {
    id: 'jwe-downgrade',
    title: 'A signed token, not encrypted',
    why: 'A plain JWS (sub "admin", signed with the attacker’s key) sent to the encrypted API: it takes JWEs only, so the encryption cannot be dropped.',
    expect: [401, 'invalid_token', 'The access token is not a valid encrypted token'],
    path: '/api-jwe/me',
    token: () =>
      selfSigned(
        b64u(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: 'demo-1' })),
        b64u(JSON.stringify({ sub: 'admin', scope: 'profile:read' })),
      ),
  },
]

/** Reads `error` and `error_description` of a Bearer challenge. */
export function challenge(value) {
  const out = { error: '', description: '', scope: '' }
  for (const m of (value ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
    if (m[1] === 'error') out.error = m[2]
    if (m[1] === 'error_description') out.description = m[2]
    if (m[1] === 'scope') out.scope = m[2]
  }
  return out
}

/** Sends one attack; resolves to what the edge answered. */
export async function runAttack(attack, token) {
  const forged = await attack.token(token.split('.'), token)
  const headers = forged === null ? {} : { authorization: `Bearer ${forged}` }
  const res = await fetch(attack.path ?? '/api/me', { headers })
  const wwwAuthenticate = res.headers.get('www-authenticate') ?? ''
  return { status: res.status, wwwAuthenticate, ...challenge(wwwAuthenticate) }
}
