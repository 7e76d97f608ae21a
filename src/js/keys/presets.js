// @ts-check
/**
 * Presets for the identity providers Workers meet most: each returns the public-key Verifier's
 * options `{ keys, algorithms, issuer, audience, requiredClaims }` (and `claimValues`, exact
 * claims checked after the policy: claim-values.js), with `keys` a `remoteKeySet` of the
 * provider's documented key-set URL. Make them once per isolate (module scope). The second
 * argument goes to `remoteKeySet` (`kv`, `cache`, `fetch`, the cache bounds). Each preset cites
 * the provider's page its issuer, key-set URL, algorithm and audience come from.
 */
import { bad, object, strings } from '../internal/options.js'
import { claimValues } from './claim-values.js'
import { remoteKeySet } from './remote-key-set.js'

/**
 * @typedef {import('./remote-options.js').RemoteKeySetOptions} KeySetOptions
 * @typedef {{
 *   keys: import('./key-set-contract.js').KeySet,
 *   algorithms: string[],
 *   issuer: string | string[],
 *   audience?: string | string[],
 *   requiredClaims: string[],
 *   claimValues?: import('./claim-values.js').ClaimValues,
 * }} PresetOptions
 */

/** A DNS name (no scheme, path or port), lower case. @param {unknown} v @param {string} what */
function hostname(v, what) {
  const s = typeof v === 'string' ? v.replace(/^https:\/\//, '').replace(/\/$/, '') : ''
  if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i.test(s)) {
    throw bad(`${what} must be a host name like "tenant.eu.auth0.com"`)
  }
  return s.toLowerCase()
}

/** A string matching `re`. @param {unknown} v @param {string} what @param {RegExp} re @param {string} example */
function matching(v, what, re, example) {
  if (typeof v !== 'string' || !re.test(v)) throw bad(`${what} must look like "${example}"`)
  return v
}

/** @param {unknown} o @param {string} name @param {string[]} fields */
const presetOptions = (o, name, fields) => object(o, `${name} options`, new Set(fields))

/**
 * Cloudflare Access: the application token in `Cf-Access-Jwt-Assertion`, RS256, issued by the
 * team domain, `aud` the application's Audience (AUD) tag; keys at `/cdn-cgi/access/certs`.
 * https://developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/
 * @param {{ teamDomain: string, audience: string | string[] }} options `teamDomain`: `myteam`, `myteam.cloudflareaccess.com` or its https URL
 * @param {KeySetOptions} [keySet]
 * @returns {PresetOptions}
 */
export function cloudflareAccess(options, keySet) {
  const o = presetOptions(options, 'cloudflareAccess', ['teamDomain', 'audience'])
  const t =
    typeof o.teamDomain === 'string' && !o.teamDomain.includes('.')
      ? `${o.teamDomain}.cloudflareaccess.com`
      : o.teamDomain
  const host = hostname(t, 'cloudflareAccess: teamDomain')
  if (!host.endsWith('.cloudflareaccess.com'))
    throw bad('cloudflareAccess: teamDomain must be <team>.cloudflareaccess.com')
  const issuer = `https://${host}`
  return {
    keys: remoteKeySet(`${issuer}/cdn-cgi/access/certs`, keySet),
    algorithms: ['RS256'],
    issuer,
    audience: strings(o.audience, 'cloudflareAccess: audience'),
    requiredClaims: ['exp', 'iat', 'sub'],
  }
}

/**
 * Auth0 access tokens for an API: RS256 (or PS256, when the API is set to it), `iss` the tenant's
 * domain with a trailing slash, `aud` the API's identifier; keys at `/.well-known/jwks.json`.
 * https://auth0.com/docs/secure/tokens/access-tokens/validate-access-tokens
 * https://auth0.com/docs/secure/tokens/json-web-tokens/locate-json-web-key-sets
 * @param {{ domain: string, audience: string | string[], algorithms?: ('RS256' | 'PS256')[] }} options
 * @param {KeySetOptions} [keySet]
 * @returns {PresetOptions}
 */
export function auth0(options, keySet) {
  const o = presetOptions(options, 'auth0', ['domain', 'audience', 'algorithms'])
  const host = hostname(o.domain, 'auth0: domain')
  const algorithms = o.algorithms === undefined ? ['RS256'] : strings(o.algorithms, 'auth0: algorithms')
  if (!algorithms.every((a) => a === 'RS256' || a === 'PS256'))
    throw bad('auth0: algorithms must be RS256 and/or PS256')
  return {
    keys: remoteKeySet(`https://${host}/.well-known/jwks.json`, keySet),
    algorithms: [...algorithms],
    issuer: `https://${host}/`,
    audience: strings(o.audience, 'auth0: audience'),
    requiredClaims: ['exp', 'iat', 'sub'],
  }
}

/** Where Firebase publishes the certificates of its ID-token keys (kid → PEM). */
export const FIREBASE_CERTS = 'https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com'

/**
 * Firebase Authentication ID tokens: RS256, `iss` `https://securetoken.google.com/<projectId>`,
 * `aud` the project ID, `sub` and `auth_time` present; keys as x509 certificates (format 'x509').
 * https://firebase.google.com/docs/auth/admin/verify-id-tokens#verify_id_tokens_using_a_third-party_jwt_library
 * @param {{ projectId: string }} options
 * @param {KeySetOptions} [keySet]
 * @returns {PresetOptions}
 */
export function firebase(options, keySet) {
  const o = presetOptions(options, 'firebase', ['projectId'])
  const projectId = matching(o.projectId, 'firebase: projectId', /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'my-project-1234')
  return {
    keys: remoteKeySet(FIREBASE_CERTS, { ...keySet, format: 'x509' }),
    algorithms: ['RS256'],
    issuer: `https://securetoken.google.com/${projectId}`,
    audience: projectId,
    requiredClaims: ['exp', 'iat', 'sub', 'auth_time'],
  }
}

/**
 * Amazon Cognito user pools: RS256, `iss` `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`,
 * keys at `<iss>/.well-known/jwks.json`; `token_use` `id` (with `aud` the app client ID) or `access`
 * (no `aud`: `client_id` is the app client ID).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 * @param {{ region: string, userPoolId: string, clientId: string | string[], tokenUse: 'id' | 'access' }} options
 * @param {KeySetOptions} [keySet]
 * @returns {PresetOptions}
 */
export function cognito(options, keySet) {
  const o = presetOptions(options, 'cognito', ['region', 'userPoolId', 'clientId', 'tokenUse'])
  const region = matching(o.region, 'cognito: region', /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/, 'eu-west-1')
  const pool = matching(
    o.userPoolId,
    'cognito: userPoolId',
    /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}_[0-9A-Za-z]{1,55}$/,
    'eu-west-1_AbCdEf123',
  )
  if (!pool.startsWith(`${region}_`)) throw bad('cognito: userPoolId must be of the region given')
  const clientId = strings(o.clientId, 'cognito: clientId')
  if (o.tokenUse !== 'id' && o.tokenUse !== 'access') throw bad('cognito: tokenUse must be "id" or "access"')
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${pool}`
  const id = o.tokenUse === 'id'
  return {
    keys: remoteKeySet(`${issuer}/.well-known/jwks.json`, keySet),
    algorithms: ['RS256'],
    issuer,
    ...(id ? { audience: clientId } : {}),
    requiredClaims: ['exp', 'iat', 'sub', 'token_use', ...(id ? [] : ['client_id'])],
    claimValues: claimValues(id ? { token_use: 'id' } : { token_use: 'access', client_id: clientId }, 'cognito'),
  }
}

/**
 * Google ID tokens (Sign in with Google): RS256, `iss` `https://accounts.google.com` or
 * `accounts.google.com`, `aud` the OAuth client ID; keys at `oauth2/v3/certs`.
 * https://developers.google.com/identity/sign-in/web/backend-auth#verify-the-integrity-of-the-id-token
 * https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken
 * @param {{ clientId: string | string[] }} options
 * @param {KeySetOptions} [keySet]
 * @returns {PresetOptions}
 */
export function google(options, keySet) {
  const o = presetOptions(options, 'google', ['clientId'])
  return {
    keys: remoteKeySet('https://www.googleapis.com/oauth2/v3/certs', keySet),
    algorithms: ['RS256'],
    issuer: ['https://accounts.google.com', 'accounts.google.com'],
    audience: strings(o.clientId, 'google: clientId'),
    requiredClaims: ['exp', 'iat', 'sub'],
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Microsoft Entra ID, v2.0 tokens of one tenant: RS256, `iss`
 * `https://login.microsoftonline.com/<tenantId>/v2.0`, `aud` the application (client) ID, `tid`
 * the tenant; keys at `<tenant>/discovery/v2.0/keys`. A tenant GUID only: `common`,
 * `organizations` and `consumers` have no fixed issuer. (An API whose tokens are v1.0 must set
 * `requestedAccessTokenVersion: 2` in its manifest.)
 * https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-tokens
 * @param {{ tenantId: string, clientId: string | string[] }} options
 * @param {KeySetOptions} [keySet]
 * @returns {PresetOptions}
 */
export function entraId(options, keySet) {
  const o = presetOptions(options, 'entraId', ['tenantId', 'clientId'])
  const tenant = matching(o.tenantId, 'entraId: tenantId', GUID, '00000000-0000-0000-0000-000000000000').toLowerCase()
  const base = `https://login.microsoftonline.com/${tenant}`
  return {
    keys: remoteKeySet(`${base}/discovery/v2.0/keys`, keySet),
    algorithms: ['RS256'],
    issuer: `${base}/v2.0`,
    audience: strings(o.clientId, 'entraId: clientId'),
    requiredClaims: ['exp', 'iat', 'sub', 'tid'],
    claimValues: claimValues({ tid: tenant }, 'entraId'),
  }
}
