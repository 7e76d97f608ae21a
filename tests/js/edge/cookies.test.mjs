// The edge's only cookie reader and writer alone (src/js/edge/cookies.js): one value or none is
// read, two values of one cookie are TWO_VALUES (cookie tossing: never a choice between them),
// and every Set-Cookie is written the one way.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { internal } from './internal.mjs'

const {
  TWO_VALUES,
  readCookie,
  serializeCookie,
  clearCookie,
  cookieNameOption,
  isCookieName,
  isHostPrefixed,
  pathMatches,
} = await internal('edge/cookies.js')

const read = (cookie, name = 'jwt_rt') =>
  readCookie(new Request('https://app.example/', cookie === undefined ? {} : { headers: { cookie } }), name)

test('readCookie: absent, one value (trimmed, possibly empty), exact names only', () => {
  assert.equal(read(undefined), undefined)
  assert.equal(read(''), undefined)
  assert.equal(read('theme=dark'), undefined)
  assert.equal(read('jwt_rt=abc'), 'abc')
  assert.equal(read('theme=dark;  jwt_rt = abc.def ; x=y'), 'abc.def')
  assert.equal(read('jwt_rt='), '')
  assert.equal(read('jwt_rt=a=b'), 'a=b', 'only the first "=" separates')
  assert.equal(read('jwt_rt2=a; xjwt_rt=b; JWT_RT=c'), undefined, 'names are compared exactly')
  assert.equal(read('jwt_rt; other=1'), undefined, 'a part without "=" is no cookie')
})

test('readCookie: a cookie that arrives twice is TWO_VALUES, whatever the values', () => {
  const twice = [
    'jwt_rt=a; jwt_rt=b',
    'jwt_rt=a; jwt_rt=a',
    'jwt_rt=; jwt_rt=a',
    'jwt_rt=a; x=1; jwt_rt=',
    'jwt_rt=a;jwt_rt=b;jwt_rt=c',
  ]
  for (const cookie of twice) {
    assert.equal(read(cookie), TWO_VALUES, cookie)
  }
  assert.equal(typeof TWO_VALUES, 'symbol', 'distinct from every string a cookie can hold')
  // Another cookie twice does not matter.
  assert.equal(read('x=1; x=2; jwt_rt=a'), 'a')
})

test('serializeCookie and clearCookie: HttpOnly; Secure; SameSite=Strict; Path; Max-Age, nothing else', () => {
  assert.equal(
    serializeCookie('jwt_rt', 'a.b-c_d', { path: '/auth', maxAge: 60.9 }),
    'jwt_rt=a.b-c_d; HttpOnly; Secure; SameSite=Strict; Path=/auth; Max-Age=60',
  )
  assert.equal(
    serializeCookie('jwt_rt', 'x', { path: '/', maxAge: -5 }),
    'jwt_rt=x; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0',
  )
  assert.equal(clearCookie('jwt_device', '/'), 'jwt_device=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0')
  assert.throws(() => serializeCookie('jwt rt', 'x', { path: '/', maxAge: 1 }), TypeError)
  assert.throws(() => serializeCookie('jwt_rt', 'x;y', { path: '/', maxAge: 1 }), TypeError)
  assert.throws(() => serializeCookie('jwt_rt', 'x', { path: '/a;b', maxAge: 1 }), TypeError)
  assert.throws(() => serializeCookie('jwt_rt', 'x', { path: 'auth', maxAge: 1 }), TypeError)
})

test('__Host- names: only ever written with Path=/ (the prefix, in any case); path-match as browsers do', () => {
  assert.equal(
    serializeCookie('__Host-jwt_rt', 'x', { path: '/', maxAge: 5 }),
    '__Host-jwt_rt=x; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=5',
  )
  for (const name of ['__Host-jwt_rt', '__host-rt', '__HOST-rt']) {
    assert.equal(isHostPrefixed(name), true, name)
    assert.throws(() => serializeCookie(name, 'x', { path: '/auth', maxAge: 5 }), /a __Host- cookie needs Path=\//)
  }
  for (const name of ['__Secure-rt', 'jwt_rt', '_Host-rt', '__Host']) assert.equal(isHostPrefixed(name), false, name)
  assert.equal(serializeCookie('__Secure-rt', 'x', { path: '/auth', maxAge: 5 }).includes('Path=/auth;'), true)
  for (const [request, cookie, matches] of [
    ['/auth', '/', true],
    ['/auth/login', '/auth', true],
    ['/auth', '/auth', true],
    ['/api/auth', '/api/', true],
    ['/authx', '/auth', false],
    ['/au', '/auth', false],
    ['/other', '/auth', false],
  ]) {
    assert.equal(pathMatches(request, cookie), matches, `${request} under ${cookie}`)
  }
})

test('cookieNameOption: a token, and never the device cookie', () => {
  assert.equal(cookieNameOption('__Host-rt', 'options.cookieName'), '__Host-rt')
  assert.equal(isCookieName('a b'), false)
  for (const [v, message] of [
    ['a b', /options.cookieName must be a cookie name/],
    ['', /options.cookieName must be a cookie name/],
    [42, /options.cookieName must be a cookie name/],
    ['__Host-jwt_device', /options.cookieName must not be the device cookie "__Host-jwt_device"/],
    ['__Host-jwt_known', /options.cookieName must not be the device cookie "__Host-jwt_known"/],
  ]) {
    const named = (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS' && message.test(e.message)
    assert.throws(() => cookieNameOption(v, 'options.cookieName'), named)
  }
})
