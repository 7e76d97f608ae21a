// The guard's pieces alone: reading credentials from a request (src/js/edge/guard-credentials.js)
// and the RFC 6750 answers of one guard (src/js/edge/guard-answers.js).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { internal } from './internal.mjs'

const { bearerCredentials } = await internal('edge/guard-credentials.js')
const answersModule = await internal('edge/guard-answers.js')
const { guardAnswers, describedAs, MISSING, MALFORMED_HEADER, MALFORMED_COOKIE, TWO_TOKENS, DEVICE, SCOPE } =
  answersModule

const creds = (headers, cookieName) => bearerCredentials(new Request('https://api.example/', { headers }), cookieName)

test('credentials: the Bearer header, the token cookie when configured, or why there is none', () => {
  assert.deepEqual(creds({ authorization: 'Bearer abc.def.ghi' }), { token: 'abc.def.ghi', fromCookie: false })
  assert.deepEqual(creds({ authorization: 'bearer   abc==' }), { token: 'abc==', fromCookie: false })
  assert.deepEqual(creds({}), { refused: MISSING })
  assert.deepEqual(creds({ authorization: 'Basic dXNlcjpwYXNz' }), { refused: MISSING })
  assert.deepEqual(creds({ cookie: 'at=abc' }), { refused: MISSING }, 'no cookie unless configured')
  for (const authorization of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a,b', '', 'Be@rer a']) {
    assert.deepEqual(creds({ authorization }), { refused: MALFORMED_HEADER }, JSON.stringify(authorization))
  }
  assert.deepEqual(creds({ cookie: 'x=1; at=abc' }, 'at'), { token: 'abc', fromCookie: true })
  assert.deepEqual(creds({ cookie: 'at=' }, 'at'), { refused: MISSING })
  assert.deepEqual(creds({ cookie: 'at="abc"' }, 'at'), { refused: MALFORMED_COOKIE })
  assert.deepEqual(creds({ authorization: 'Bearer abc', cookie: 'at=abc' }, 'at'), { refused: TWO_TOKENS })
  assert.deepEqual(creds({ cookie: 'at=abc; at=abc' }, 'at'), { refused: TWO_TOKENS })
  assert.deepEqual(
    creds({ cookie: 'at=; at=abc' }, 'at'),
    { refused: TWO_TOKENS },
    'an empty second value is a second value',
  )
  assert.deepEqual(creds({ authorization: 'Basic dXNlcjpwYXNz', cookie: 'at=abc' }, 'at'), {
    token: 'abc',
    fromCookie: true,
  })
})

test('answers: status, challenge and static body per refusal; 500 without a challenge', async () => {
  const answers = guardAnswers('api', ['read', 'write'])
  const expect = async (r, status, challenge, body) => {
    assert.equal(r.status, status)
    assert.equal(r.headers.get('www-authenticate'), challenge)
    assert.equal(r.headers.get('cache-control'), 'no-store')
    assert.equal(r.headers.get('content-type'), 'application/json')
    assert.deepEqual(await r.json(), body)
  }
  const missing = { error: 'unauthorized', error_description: 'This resource requires an access token' }
  await expect(answers.refuse(MISSING), 401, 'Bearer realm="api"', missing)
  const two = 'The request carries more than one access token'
  await expect(
    answers.refuse(TWO_TOKENS),
    400,
    `Bearer realm="api", error="invalid_request", error_description="${two}"`,
    {
      error: 'invalid_request',
      error_description: two,
    },
  )
  const device = 'The access token is bound to another device'
  await expect(
    answers.refuse(DEVICE),
    401,
    `Bearer realm="api", error="invalid_token", error_description="${device}"`,
    {
      error: 'invalid_token',
      error_description: device,
    },
  )
  const scope = 'The access token lacks a required scope'
  const scoped = `Bearer realm="api", error="insufficient_scope", error_description="${scope}", scope="read write"`
  await expect(answers.refuse(SCOPE), 403, scoped, {
    error: 'insufficient_scope',
    error_description: scope,
  })
  const expired = 'Bearer realm="api", error="invalid_token", error_description="The access token expired"'
  await expect(answers.refuseToken({ code: 'ERR_JWT_EXPIRED' }), 401, expired, {
    error: 'invalid_token',
    error_description: 'The access token expired',
  })
  const noRealm = guardAnswers(undefined, [])
  assert.equal(noRealm.refuse(MISSING).headers.get('www-authenticate'), 'Bearer')
  // An error that is not the token's fault has no answer: the caller treats it as unexpected.
  assert.equal(answers.refuseToken({ code: 'ERR_KEY_INVALID' }), undefined)
  assert.equal(answers.refuseToken({ code: 'ERR_WASM_NOT_INITIALIZED' }), undefined)
  const fail = answers.serverError()
  assert.equal(fail.status, 500)
  assert.equal(fail.headers.get('www-authenticate'), null)
  assert.deepEqual(await fail.json(), { error: 'server_error' })
})

test('describedAs: the description key of a core error', () => {
  const claim = 'ERR_JWT_CLAIM_VALIDATION_FAILED'
  assert.equal(describedAs({ code: claim, reason: 'check_failed', claim: 'aud' }), `${claim}:aud`)
  assert.equal(describedAs({ code: claim, reason: 'missing', claim: 'exp' }), `${claim}:missing`)
  assert.equal(describedAs({ code: 'ERR_JWT_EXPIRED', claim: 'iat' }), 'ERR_JWT_EXPIRED:iat')
  assert.equal(describedAs({ code: 'ERR_JWT_EXPIRED', claim: 'exp' }), 'ERR_JWT_EXPIRED')
  assert.equal(describedAs({ code: 'ERR_JWS_INVALID' }), 'ERR_JWS_INVALID')
  // A claim check with a claim the table does not name falls back to the code's own description.
  assert.equal(
    guardAnswers(undefined, []).refuseToken({ code: claim, reason: 'check_failed', claim: 'jti' }).status,
    401,
  )
})
