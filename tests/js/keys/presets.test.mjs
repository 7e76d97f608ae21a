// The presets: each provider's documented issuer, key-set URL (and format), algorithm, audience
// form and required claims; their inputs checked (every bad one a TypeError ERR_INVALID_OPTIONS);
// the claim rule they add (claimValues) applied by checkClaimValues.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { fakeFetch, invalid, jwks, keysModule } from './support.mjs'

const P = await keysModule('presets.js')
const { checkClaimValues } = await keysModule('claim-values.js')
const { isKeySet } = await keysModule('key-set-contract.js')
const { JWTClaimValidationFailed } = await keysModule('../errors.js')

/** The preset's options, and the URL and Accept its key set fetches. */
async function run(preset, options) {
  const fetch = fakeFetch(({ url }) => ({
    body: url.includes('/x509/') ? JSON.stringify({ k: '-----BEGIN CERTIFICATE-----' }) : jwks('k'),
  }))
  const o = preset(options, { fetch, cache: false })
  assert.ok(isKeySet(o.keys))
  const s = await o.keys.load({ now: 1_767_225_600 })
  const { keys, ...rest } = o
  return { rest, url: fetch.calls[0].url, format: s.format }
}

describe('each provider', () => {
  test('cloudflareAccess', async () => {
    for (const teamDomain of ['acme', 'acme.cloudflareaccess.com', 'https://acme.cloudflareaccess.com']) {
      const { rest, url } = await run(P.cloudflareAccess, { teamDomain, audience: 'a'.repeat(64) })
      assert.equal(url, 'https://acme.cloudflareaccess.com/cdn-cgi/access/certs')
      assert.deepEqual(rest, {
        algorithms: ['RS256'],
        issuer: 'https://acme.cloudflareaccess.com',
        audience: ['a'.repeat(64)],
        requiredClaims: ['exp', 'iat', 'sub'],
      })
    }
    invalid(() => P.cloudflareAccess({ teamDomain: 'evil.example', audience: 'x' }))
    invalid(() => P.cloudflareAccess({ teamDomain: 'acme', audience: '' }))
    invalid(() => P.cloudflareAccess({ teamDomain: 'acme', audience: [] }))
    invalid(() => P.cloudflareAccess({ teamDomain: 'acme/x', audience: 'x' }))
  })
  test('auth0: the issuer keeps its trailing slash', async () => {
    const { rest, url } = await run(P.auth0, { domain: 'tenant.eu.auth0.com', audience: 'https://api.example' })
    assert.equal(url, 'https://tenant.eu.auth0.com/.well-known/jwks.json')
    assert.deepEqual(rest, {
      algorithms: ['RS256'],
      issuer: 'https://tenant.eu.auth0.com/',
      audience: ['https://api.example'],
      requiredClaims: ['exp', 'iat', 'sub'],
    })
    const ps = await run(P.auth0, { domain: 'https://login.example.com/', audience: 'x', algorithms: ['PS256'] })
    assert.equal(ps.rest.issuer, 'https://login.example.com/')
    assert.deepEqual(ps.rest.algorithms, ['PS256'])
    invalid(() => P.auth0({ domain: 'tenant.auth0.com', audience: 'x', algorithms: ['HS256'] }))
    invalid(() => P.auth0({ domain: 'tenant.auth0.com/path', audience: 'x' }))
    invalid(() => P.auth0({ domain: 'tenant.auth0.com' }))
    invalid(() => P.auth0({ domain: 'tenant.auth0.com', audience: 'x', issuer: 'y' }))
  })
  test('firebase: the x509 endpoint', async () => {
    const { rest, url, format } = await run(P.firebase, { projectId: 'my-project-1234' })
    assert.equal(url, 'https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com')
    assert.equal(format, 'x509')
    assert.deepEqual(rest, {
      algorithms: ['RS256'],
      issuer: 'https://securetoken.google.com/my-project-1234',
      audience: 'my-project-1234',
      requiredClaims: ['exp', 'iat', 'sub', 'auth_time'],
    })
    invalid(() => P.firebase({ projectId: 'My Project' }))
    invalid(() => P.firebase({ projectId: 'my-project/../x' }))
    invalid(() => P.firebase({}))
  })
  test('cognito: id tokens by aud, access tokens by client_id', async () => {
    const base = { region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123', clientId: 'client1' }
    const id = await run(P.cognito, { ...base, tokenUse: 'id' })
    const iss = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123'
    assert.equal(id.url, `${iss}/.well-known/jwks.json`)
    assert.deepEqual(id.rest, {
      algorithms: ['RS256'],
      issuer: iss,
      audience: ['client1'],
      requiredClaims: ['exp', 'iat', 'sub', 'token_use'],
      claimValues: { token_use: ['id'] },
    })
    const access = await run(P.cognito, { ...base, tokenUse: 'access' })
    assert.equal(access.rest.audience, undefined, 'Cognito access tokens carry no aud')
    assert.deepEqual(access.rest.claimValues, { token_use: ['access'], client_id: ['client1'] })
    assert.deepEqual(access.rest.requiredClaims, ['exp', 'iat', 'sub', 'token_use', 'client_id'])
    invalid(() => P.cognito({ ...base, tokenUse: 'refresh' }))
    invalid(() => P.cognito({ ...base }))
    invalid(() => P.cognito({ ...base, tokenUse: 'id', userPoolId: 'us-east-1_AbCdEf123' }))
    invalid(() => P.cognito({ ...base, tokenUse: 'id', region: 'eu-west-1.evil' }))
    invalid(() => P.cognito({ ...base, tokenUse: 'id', clientId: '' }))
  })
  test('google: both issuer spellings', async () => {
    const { rest, url } = await run(P.google, { clientId: '123.apps.googleusercontent.com' })
    assert.equal(url, 'https://www.googleapis.com/oauth2/v3/certs')
    assert.deepEqual(rest, {
      algorithms: ['RS256'],
      issuer: ['https://accounts.google.com', 'accounts.google.com'],
      audience: ['123.apps.googleusercontent.com'],
      requiredClaims: ['exp', 'iat', 'sub'],
    })
    invalid(() => P.google({}))
  })
  test('entraId: one tenant, v2.0', async () => {
    const tenantId = '72F988BF-86F1-41AF-91AB-2D7CD011DB47'
    const clientId = '6e74172b-be56-4843-9ff4-e66a39bb12e3'
    const { rest, url } = await run(P.entraId, { tenantId, clientId })
    const t = tenantId.toLowerCase()
    assert.equal(url, `https://login.microsoftonline.com/${t}/discovery/v2.0/keys`)
    assert.deepEqual(rest, {
      algorithms: ['RS256'],
      issuer: `https://login.microsoftonline.com/${t}/v2.0`,
      audience: [clientId],
      requiredClaims: ['exp', 'iat', 'sub', 'tid'],
      claimValues: { tid: [t] },
    })
    for (const tenant of ['common', 'organizations', 'consumers', 'contoso.onmicrosoft.com']) {
      invalid(() => P.entraId({ tenantId: tenant, clientId }))
    }
  })
  test('the second argument reaches remoteKeySet, and is checked there', () => {
    invalid(() => P.google({ clientId: 'x' }, { minTtl: 0 }))
    invalid(() => P.google({ clientId: 'x' }, { ttl: 1 }))
    invalid(() => P.google(undefined))
  })
})

describe('checkClaimValues', () => {
  const rules = { token_use: ['access'], client_id: ['a', 'b'] }
  test('passes when every claim has an allowed value', () => {
    checkClaimValues({ token_use: 'access', client_id: 'b' }, rules)
  })
  test('missing, or another value, or another type: JWTClaimValidationFailed with claim and reason', () => {
    const cases = [
      [{ client_id: 'a' }, 'token_use', 'missing'],
      [{ token_use: 'id', client_id: 'a' }, 'token_use', 'check_failed'],
      [{ token_use: 'access', client_id: ['a'] }, 'client_id', 'check_failed'],
      [{ token_use: 'access', client_id: 'c' }, 'client_id', 'check_failed'],
    ]
    for (const [payload, claim, reason] of cases) {
      assert.throws(
        () => checkClaimValues(payload, rules),
        (e) => e instanceof JWTClaimValidationFailed && e.claim === claim && e.reason === reason,
      )
    }
  })
})
