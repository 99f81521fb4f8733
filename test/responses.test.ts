import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { createSigner } from 'fast-jwt'
import { test } from 'tap'
import { SECRET, buildApp, bearer, echoScopes, signRaw } from './helpers.js'

const JSON_TYPE = 'application/json; charset=utf-8'

test('no Authorization header: 401, JSON body, a challenge without error code', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const response = await app.inject({ url: '/chats' })
  t.equal(response.statusCode, 401)
  t.equal(response.headers['content-type'], JSON_TYPE)
  t.equal(response.body, '{"error":"Unauthorized"}')
  t.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
})

for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearerish abc', 'Bear', '']) {
  test(`another scheme (${JSON.stringify(authorization)}) carries no bearer credentials: 401 without error code`, async (t) => {
    const app = await buildApp(t)
    app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
    const response = await app.inject({ url: '/chats', headers: { authorization } })
    t.equal(response.statusCode, 401)
    t.equal(response.body, '{"error":"Unauthorized"}')
    t.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
  })
}

const invalidTokens: Array<[string, (sign: (payload: object, options?: object) => string) => string]> = [
  ['garbage', () => 'garbage'],
  ['three segments of nothing', () => 'a.b.c'],
  ['a wrong signature', (sign) => sign({ scope: 'read:chat' }).slice(0, -4) + 'AAAA'],
  ['a key we do not trust', () => createSigner({ key: 'another-secret-another-secret-000' })({ scope: 'read:chat' })],
  ['an expired token', () => createSigner({ key: 'test-secret-that-is-long-enough-for-hs256', expiresIn: -1000 })({ scope: 'read:chat' })],
  ['a token not valid yet (nbf)', () => createSigner({ key: 'test-secret-that-is-long-enough-for-hs256', notBefore: 60_000 })({ scope: 'read:chat' })],
  ['alg none', () => createSigner({ algorithm: 'none' })({ scope: 'read:chat' })],
  ['an exp of the wrong type', () => signRaw({ alg: 'HS256', typ: 'JWT' }, { scope: 'read:chat', exp: 'soon' })],
  ['a payload that is a JSON array', () => signRaw({ alg: 'HS256', typ: 'JWT' }, ['read:chat'])]
]
for (const [what, make] of invalidTokens) {
  test(`${what}: 401 invalid_token, never a 500`, async (t) => {
    const app = await buildApp(t)
    app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
    await app.ready()
    const response = await app.inject({ url: '/chats', headers: { authorization: `Bearer ${make((payload, options) => app.jwt.sign(payload, options))}` } })
    t.equal(response.statusCode, 401)
    t.equal(response.body, '{"error":"Unauthorized"}')
    t.equal(response.headers['www-authenticate'], 'Bearer realm="api", error="invalid_token"')
  })
}

const malformedHeaders: Array<[string, string]> = [
  ['Bearer with no token', 'Bearer'],
  ['Bearer and a space', 'Bearer '],
  ['two spaces after the scheme', 'Bearer  abc.def.ghi'],
  ['a tab after the scheme', 'Bearer\tabc.def.ghi'],
  ['two tokens', 'Bearer abc.def.ghi jkl.mno.pqr']
]
for (const [what, authorization] of malformedHeaders) {
  test(`${what}: 400 invalid_request`, async (t) => {
    const app = await buildApp(t)
    app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
    const response = await app.inject({ url: '/chats', headers: { authorization } })
    t.equal(response.statusCode, 400)
    t.equal(response.body, '{"error":"Bad Request"}')
    t.equal(response.headers['www-authenticate'], 'Bearer realm="api", error="invalid_request"')
  })
}

test('the scheme is case-insensitive', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const token = app.jwt.sign({ scope: 'read:chat' })
  for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
    t.equal((await app.inject({ url: '/chats', headers: { authorization: `${scheme} ${token}` } })).statusCode, 200, scheme)
  }
})

test('a token longer than maxTokenLength is refused with 401 before it is verified', async (t) => {
  let verified = 0
  const app = await buildApp(t, {
    scopes: { maxTokenLength: 200 },
    jwt: { secret: async () => { verified++; return SECRET } }
  })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const sign = createSigner({ key: SECRET })
  const long = sign({ scope: 'read:chat', pad: 'x'.repeat(300) })
  const response = await app.inject({ url: '/chats', headers: { authorization: `Bearer ${long}` } })
  t.equal(response.statusCode, 401)
  t.equal(response.headers['www-authenticate'], 'Bearer realm="api", error="invalid_token"')
  t.equal(verified, 0, 'jwtVerify never ran')
  const short = sign({ scope: 'read:chat' })
  t.ok(short.length <= 200)
  t.equal((await app.inject({ url: '/chats', headers: { authorization: `Bearer ${short}` } })).statusCode, 200)
  t.equal(verified, 1)
})

test('a 403 names the required scopes by default', async (t) => {
  const app = await buildApp(t)
  app.post('/chats', { config: { scopes: ['write:chat', 'read:chat'] } }, echoScopes)
  const response = await app.inject({ method: 'POST', url: '/chats', headers: bearer(app, { scope: 'read:chat' }) })
  t.equal(response.statusCode, 403)
  t.equal(response.headers['content-type'], JSON_TYPE)
  t.equal(response.body, '{"error":"Insufficient scopes"}')
  t.equal(response.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope", scope="write:chat read:chat"')
})

test('challengeScopes: missing names only the scopes the token lacks, from the closest alternative', async (t) => {
  const app = await buildApp(t, { scopes: { challengeScopes: 'missing' } })
  app.post('/chats', { config: { scopes: ['write:chat', 'read:chat'] } }, echoScopes)
  app.get('/any', { config: { scopes: { anyOf: [['read:creator', 'write:creator', 'read:fan'], ['read:chat', 'read:media']] } } }, echoScopes)
  const lacking = await app.inject({ method: 'POST', url: '/chats', headers: bearer(app, { scope: 'read:chat' }) })
  t.equal(lacking.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope", scope="write:chat"')
  const closest = await app.inject({ url: '/any', headers: bearer(app, { scope: 'read:chat read:fan' }) })
  t.equal(closest.statusCode, 403)
  t.equal(closest.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope", scope="read:media"')
  const first = await app.inject({ url: '/any', headers: bearer(app, { scope: 'read:self' }) })
  t.equal(first.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope", scope="read:chat read:media"',
    'with nothing held, the alternative with the fewest scopes is the closest')
})

test('challengeScopes: none leaves the scope attribute out', async (t) => {
  const app = await buildApp(t, { scopes: { challengeScopes: 'none' } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const response = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:self' }) })
  t.equal(response.statusCode, 403)
  t.equal(response.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope"')
})

test('the realm and the messages are options; statuses and challenges are not', async (t) => {
  const app = await buildApp(t, {
    scopes: { realm: 'chat "v2" \\ api', messages: { unauthorized: 'Log in', insufficientScope: 'Nope', invalidRequest: 'Malformed' } }
  })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const none = await app.inject({ url: '/chats' })
  t.equal(none.statusCode, 401)
  t.equal(none.body, '{"error":"Log in"}')
  t.equal(none.headers['www-authenticate'], 'Bearer realm="chat \\"v2\\" \\\\ api"', 'quotes and backslashes are escaped')
  const forbidden = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:self' }) })
  t.equal(forbidden.statusCode, 403)
  t.equal(forbidden.body, '{"error":"Nope"}')
  const malformed = await app.inject({ url: '/chats', headers: { authorization: 'Bearer' } })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.body, '{"error":"Malformed"}')
})

test('a user setErrorHandler cannot turn a refusal into a success', async (t) => {
  const app = await buildApp(t)
  let handled = 0
  app.setErrorHandler(async (_error, _request, reply) => { handled++; return reply.code(200).send({ ok: 'overridden' }) })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  t.equal((await app.inject({ url: '/chats' })).statusCode, 401)
  t.equal((await app.inject({ url: '/chats', headers: { authorization: 'Bearer garbage' } })).statusCode, 401)
  t.equal((await app.inject({ url: '/chats', headers: { authorization: 'Bearer' } })).statusCode, 400)
  t.equal((await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:self' }) })).statusCode, 403)
  t.equal(handled, 0)
})

test('a verification failure is logged at debug level with the original error as cause, never in the answer', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const stream = { write: (line: string) => { lines.push(JSON.parse(line)) } }
  const app = await buildApp(t, { fastify: { logger: { level: 'debug', stream } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const expired = createSigner({ key: 'test-secret-that-is-long-enough-for-hs256', expiresIn: -1000 })({ scope: 'read:chat' })
  const response = await app.inject({ url: '/chats', headers: { authorization: `Bearer ${expired}` } })
  t.equal(response.statusCode, 401)
  t.notMatch(response.body, /FAST_JWT|FST_JWT|expired/i)
  const logged = lines.find((line) => line.msg === 'fastify-scopes: 401 (token failed verification)')
  t.equal(logged?.level, 20)
  t.match(logged?.err, { code: 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED' })
  const forbidden = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:self' }) })
  t.equal(forbidden.statusCode, 403)
  t.ok(lines.some((line) => line.msg === 'fastify-scopes: 403 (insufficient scope)' && line.level === 20))
})

test('two Authorization field lines over a real socket: 400 invalid_request', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const token = app.jwt.sign({ scope: 'read:chat' })
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end(`GET /chats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`)
    })
    let data = ''
    socket.on('data', (chunk) => { data += String(chunk) })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
  })
  t.match(raw, /^HTTP\/1.1 400 /)
  t.match(raw, /\r\nwww-authenticate: Bearer realm="api", error="invalid_request"\r\n/i)
  t.match(raw, /\{"error":"Bad Request"\}$/)
})
