import fastifyAuth from '@fastify/auth'
import { test } from 'tap'
import { errors } from '../src/index.js'
import { buildApp, bearer, echoScopes, seedRegistry } from './helpers.js'

test('fastify.scopes is the registry', async (t) => {
  const app = await buildApp(t)
  t.equal(app.scopes, seedRegistry)
})

test('request.scopes is empty on public routes and cached per request', async (t) => {
  const app = await buildApp(t)
  app.get('/open', async (request) => {
    const first = request.scopes
    return { size: first.size, same: first === request.scopes }
  })
  const response = await app.inject({ url: '/open', headers: bearer(app, { scope: 'read:chat' }) })
  t.same(response.json(), { size: 0, same: true })
})

test('request.hasScopes checks every name, with implies, and refuses unknown names', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: [] } }, async (request) => ({
    chat: request.hasScopes('read:chat'),
    both: request.hasScopes('read:chat', 'read:fan'),
    unknown: request.hasScopes('admin' as never),
    none: request.hasScopes()
  }))
  const response = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:chat admin' }) })
  t.same(response.json(), { chat: true, both: false, unknown: false, none: true })
})

test('requireScopes() composes with @fastify/auth, its errors carrying statusCode and the challenge', async (t) => {
  const app = await buildApp(t)
  await app.register(fastifyAuth)
  const apiKey = async (request: { headers: Record<string, unknown> }): Promise<void> => {
    if (request.headers['x-api-key'] !== 'k') throw Object.assign(new Error('no key'), { statusCode: 401 })
  }
  app.get('/chats', { onRequest: app.auth([app.requireScopes(['read:chat']), apiKey]) }, echoScopes)
  await app.ready()
  t.equal((await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:chat' }) })).statusCode, 200)
  t.equal((await app.inject({ url: '/chats', headers: { 'x-api-key': 'k' } })).statusCode, 200, 'the other strategy passes')
  const refused = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:self' }) })
  t.equal(refused.statusCode, 401, '@fastify/auth reports the last strategy\'s error')
})

test('requireScopes() as a plain hook answers through the error handler with its status', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { onRequest: app.requireScopes(['read:chat']) }, echoScopes)
  app.get('/any', { onRequest: app.requireScopes({ anyOf: ['read:fan', 'read:chat'] }) }, echoScopes)
  await app.ready()
  const forbidden = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:self' }) })
  t.equal(forbidden.statusCode, 403)
  t.match(forbidden.json(), { code: 'FST_SCOPES_INSUFFICIENT_SCOPE', message: 'Insufficient scopes' })
  t.equal(forbidden.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope", scope="read:chat"')
  const missing = await app.inject({ url: '/chats' })
  t.equal(missing.statusCode, 401)
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="api"')
  const malformed = await app.inject({ url: '/chats', headers: { authorization: 'Bearer' } })
  t.equal(malformed.statusCode, 400)
  t.equal((await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:chat' }) })).statusCode, 200)
  t.equal((await app.inject({ url: '/any', headers: bearer(app, { scope: 'read:fan' }) })).statusCode, 200)
})

test('requireScopes() keeps the verification error as cause', async (t) => {
  const app = await buildApp(t)
  let seen: unknown
  app.setErrorHandler(async (error: Error & { statusCode?: number }, _request, reply) => { seen = error; return reply.code(error.statusCode ?? 500).send({ error: 'x' }) })
  app.get('/chats', { onRequest: app.requireScopes(['read:chat']) }, echoScopes)
  const response = await app.inject({ url: '/chats', headers: { authorization: 'Bearer garbage' } })
  t.equal(response.statusCode, 401)
  t.ok(seen instanceof errors.FST_SCOPES_UNAUTHORIZED)
  t.match((seen as Error).cause, { code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID' })
})

test('requireScopes() validates at once: unknown scope, malformed spec, or false', async (t) => {
  const app = await buildApp(t)
  t.throws(() => app.requireScopes(['nope' as never]), { code: 'FST_SCOPES_UNKNOWN_SCOPE', message: /"nope"/ })
  t.throws(() => app.requireScopes('read:chat' as never), { code: 'FST_SCOPES_INVALID_ROUTE_CONFIG' })
  t.throws(() => app.requireScopes(false as never), { code: 'FST_SCOPES_INVALID_ROUTE_CONFIG', message: /false declares a public route/ })
})
