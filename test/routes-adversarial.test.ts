import { test, type Test } from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyCors from '@fastify/cors'
import fastifyScopes from '../src/index.js'
import { SECRET, seedRegistry } from './helpers.js'
import { buildHarness, expectAnswer, granted, insufficient, violations, INVALID_TOKEN, NO_CREDENTIALS, type Counters } from './invariants.js'
import { signHs256 } from './tokens.js'

// Routes and registration: HEAD, OPTIONS and CORS preflights, 404s, prefixes and encapsulation,
// user hooks around the guard, and a route whose config is rewritten at request time.

const HS = { alg: 'HS256', typ: 'JWT' }
const reader = signHs256(HS, { scope: 'read:chat' }, SECRET)
const selfOnly = signHs256(HS, { scope: 'read:self' }, SECRET)
const auth = (token: string) => ({ authorization: `Bearer ${token}` })

test('answers 401 with an empty body to HEAD on a protected GET without a token', async (t) => {
  const harness = await buildHarness(t)
  await expectAnswer(t, harness, { method: 'HEAD', url: '/chats' }, NO_CREDENTIALS)
})

test('answers 403 to HEAD on a protected GET with an insufficient token', async (t) => {
  const harness = await buildHarness(t)
  await expectAnswer(t, harness, { method: 'HEAD', url: '/chats', headers: auth(selfOnly) }, insufficient('read:chat'))
})

test('answers 200 to HEAD on a protected GET with a sufficient token', async (t) => {
  const harness = await buildHarness(t)
  await expectAnswer(t, harness, { method: 'HEAD', url: '/chats', headers: auth(reader) }, { status: 200 })
})

test('answers 404 to OPTIONS on a protected route without running its handler', async (t) => {
  const harness = await buildHarness(t)
  await expectAnswer(t, harness, { method: 'OPTIONS', url: '/chats', headers: auth(reader) }, { status: 404, handlerRuns: false })
})

test('answers 404 to an unknown URL, with or without a token', async (t) => {
  const harness = await buildHarness(t)
  await expectAnswer(t, harness, { url: '/nope' }, { status: 404 })
  await expectAnswer(t, harness, { url: '/nope', headers: auth('garbage') }, { status: 404 })
  await expectAnswer(t, harness, { url: '/chats/', headers: auth(reader) }, { status: 404 })
})

test('guards a protected route reached through a case-insensitive router', async (t) => {
  const harness = await buildHarness(t, { fastify: { routerOptions: { caseSensitive: false } } })
  await expectAnswer(t, harness, { url: '/CHATS' }, NO_CREDENTIALS)
  await expectAnswer(t, harness, { url: '/Chats', headers: auth(selfOnly) }, insufficient('read:chat'))
})

test('guards a protected route reached with a trailing slash when the router ignores it', async (t) => {
  const harness = await buildHarness(t, { fastify: { routerOptions: { ignoreTrailingSlash: true } } })
  await expectAnswer(t, harness, { url: '/chats/' }, NO_CREDENTIALS)
})

test('guards both methods of a route declared with two methods', async (t) => {
  const harness = await buildHarness(t, {
    routes: (app, handler) => app.route({ method: ['GET', 'DELETE'], url: '/both', config: { scopes: ['write:chat'] }, handler })
  })
  await expectAnswer(t, harness, { method: 'GET', url: '/both', headers: auth(reader) }, insufficient('write:chat'))
  await expectAnswer(t, harness, { method: 'DELETE', url: '/both', headers: auth(reader) }, insufficient('write:chat'))
})

test('guards a wildcard route for every path under it', async (t) => {
  const harness = await buildHarness(t, {
    routes: (app, handler) => app.get('/files/*', { config: { scopes: ['read:media'] } }, handler)
  })
  await expectAnswer(t, harness, { url: '/files/a%2F..%2F..%2Fchats', headers: auth(reader) }, insufficient('read:media'))
  await expectAnswer(t, harness, { url: '/files/x' }, NO_CREDENTIALS)
})

test('a CORS preflight gets 204 from @fastify/cors with no challenge and no handler run', async (t) => {
  const harness = await buildHarness(t, { beforePlugin: (app) => { app.register(fastifyCors, { origin: 'https://app.example' }) } })
  await expectAnswer(t, harness, {
    method: 'OPTIONS',
    url: '/chats',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
  }, { status: 204, handlerRuns: false })
})

test('a cross-origin 401 carries the CORS headers so the browser can read it', async (t) => {
  const harness = await buildHarness(t, { beforePlugin: (app) => { app.register(fastifyCors, { origin: 'https://app.example', exposedHeaders: ['WWW-Authenticate'] }) } })
  const answer = await expectAnswer(t, harness, { url: '/chats', headers: { origin: 'https://app.example' } }, NO_CREDENTIALS)
  t.equal(answer.headers['access-control-allow-origin'], 'https://app.example')
  t.equal(answer.headers['access-control-expose-headers'], 'WWW-Authenticate')
})

test('guards routes of an encapsulated plugin under a prefix registered after fastify-scopes', async (t) => {
  const harness = await buildHarness(t, {
    routes: (app, handler) => {
      app.register(async function v1 (child) {
        child.register(async function nested (grandchild) {
          grandchild.get('/chats', { config: { scopes: ['read:chat'] } }, handler)
        }, { prefix: '/inner' })
      }, { prefix: '/v1' })
    }
  })
  await expectAnswer(t, harness, { url: '/v1/inner/chats' }, NO_CREDENTIALS)
  await expectAnswer(t, harness, { url: '/v1/inner/chats', headers: auth(selfOnly) }, insufficient('read:chat'))
  await expectAnswer(t, harness, { url: '/v1/inner/chats', headers: auth(reader) }, granted('read:chat'))
})

/** An app whose scoped routes are declared before fastify-scopes (the late guard's case). */
async function lateApp (t: Test, between?: (app: FastifyInstance, counters: Counters) => void) {
  const counters: Counters = { handler: 0, errorHandler: 0 }
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyJwt, { secret: SECRET })
  app.setErrorHandler(async (_error, _request, reply) => { counters.errorHandler++; return reply.code(200).send({}) })
  const handler = async (request: { scopes: ReadonlySet<string> }) => { counters.handler++; return { ok: true, scopes: [...request.scopes] } }
  app.get('/early', { config: { scopes: ['read:chat'] } }, handler)
  app.get('/early-open', handler)
  app.register(async function earlyPlugin (child) {
    child.get('/chats', { config: { scopes: ['read:chat'] } }, handler)
  }, { prefix: '/early-plugin' })
  between?.(app, counters)
  await app.register(fastifyScopes, { registry: seedRegistry })
  return { app, counters }
}

async function check (t: Test, app: FastifyInstance, counters: Counters, url: string, headers: Record<string, string>, expected: Parameters<typeof violations>[1]) {
  counters.handler = 0
  counters.errorHandler = 0
  const response = await app.inject({ url, headers })
  t.same(violations({ statusCode: response.statusCode, headers: response.headers, body: response.body }, expected, counters), [], `${url} ${response.statusCode}`)
}

test('guards a route of an encapsulated plugin registered before fastify-scopes', async (t) => {
  const { app, counters } = await lateApp(t)
  await check(t, app, counters, '/early-plugin/chats', {}, NO_CREDENTIALS)
  await check(t, app, counters, '/early-plugin/chats', auth(selfOnly), insufficient('read:chat'))
  await check(t, app, counters, '/early-plugin/chats', auth(reader), granted('read:chat'))
})

test('keeps guarding a route declared before the plugin when a later hook clears config.scopes', async (t) => {
  // Regression: the late guard read config.scopes before its cache, so a hook that cleared it
  // after the route's first request turned the check off for every later request.
  const { app, counters } = await lateApp(t)
  app.addHook('onRequest', async function clearScopes (request) {
    (request.routeOptions.config as { scopes?: unknown }).scopes = undefined
  })
  for (let round = 0; round < 3; round++) {
    await check(t, app, counters, '/early', {}, NO_CREDENTIALS)
    await check(t, app, counters, '/early', auth(selfOnly), insufficient('read:chat'))
    await check(t, app, counters, '/early-plugin/chats', auth('garbage-token-text'), INVALID_TOKEN)
  }
})

test('leaves a route declared before the plugin without config.scopes unchecked on every request', async (t) => {
  const { app, counters } = await lateApp(t)
  await check(t, app, counters, '/early-open', {}, { status: 200, body: { ok: true, scopes: [] } })
  await check(t, app, counters, '/early-open', auth('garbage-token-text'), { status: 200, body: { ok: true, scopes: [] } })
})

test('answers a bare 500, leaking nothing, on a route declared before the plugin with an unknown scope', async (t) => {
  const counters: Counters = { handler: 0, errorHandler: 0 }
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyJwt, { secret: SECRET })
  app.get('/typo', { config: { scopes: ['read:chats'] as never } }, async () => { counters.handler++; return {} })
  await app.register(fastifyScopes, { registry: seedRegistry })
  for (let round = 0; round < 2; round++) {
    const response = await app.inject({ url: '/typo', headers: auth(reader) })
    t.equal(response.statusCode, 500)
    t.equal(response.body, '{"error":"Internal Server Error"}')
    t.equal(counters.handler, 0)
  }
})

test('keeps guarding a route declared before the plugin when a later hook rewrites config.scopes to false', async (t) => {
  const { app, counters } = await lateApp(t)
  app.addHook('onRequest', async function publishRoute (request) {
    (request.routeOptions.config as { scopes?: unknown }).scopes = false
  })
  await check(t, app, counters, '/early', {}, NO_CREDENTIALS)
  await check(t, app, counters, '/early', {}, NO_CREDENTIALS)
})

test('ignores a hook that rewrites config.scopes at request time on a route declared after the plugin', async (t) => {
  const harness = await buildHarness(t, {
    routes: (app) => {
      app.addHook('onRequest', async function rewriteScopes (request) {
        (request.routeOptions.config as { scopes?: unknown }).scopes = false
      })
    }
  })
  await expectAnswer(t, harness, { url: '/chats' }, NO_CREDENTIALS)
  await expectAnswer(t, harness, { url: '/chats' }, NO_CREDENTIALS)
  await expectAnswer(t, harness, { url: '/chats', headers: auth(selfOnly) }, insufficient('read:chat'))
})

test('a user onRequest hook registered before the plugin runs first, sees no scopes, and cannot skip the guard', async (t) => {
  const seen: number[] = []
  const harness = await buildHarness(t, {
    beforePlugin: (app) => {
      app.addHook('onRequest', async function userHook (request) { seen.push(request.scopes.size) })
    }
  })
  await expectAnswer(t, harness, { url: '/chats' }, NO_CREDENTIALS)
  await expectAnswer(t, harness, { url: '/chats', headers: auth(reader) }, granted('read:chat'))
  t.same(seen, [0, 0])
})

test('a route\'s own onRequest hooks do not run when the guard refuses', async (t) => {
  let ran = 0
  const harness = await buildHarness(t, {
    routes: (app, handler) => {
      app.get('/hooked', { config: { scopes: ['read:chat'] }, onRequest: [async () => { ran++ }] }, handler)
      app.get('/hooked-fn', { config: { scopes: ['read:chat'] }, onRequest: async () => { ran++ } }, handler)
    }
  })
  await expectAnswer(t, harness, { url: '/hooked' }, NO_CREDENTIALS)
  await expectAnswer(t, harness, { url: '/hooked-fn', headers: auth(selfOnly) }, insufficient('read:chat'))
  t.equal(ran, 0)
  await expectAnswer(t, harness, { url: '/hooked', headers: auth(reader) }, granted('read:chat'))
  t.equal(ran, 1)
})

test('a custom HEAD route declared with scopes beside a protected GET is guarded', async (t) => {
  const harness = await buildHarness(t, {
    routes: (app, handler) => {
      app.head('/docs', { config: { scopes: ['read:media'] } }, handler)
      app.get('/docs', { config: { scopes: ['read:media'] } }, handler)
    }
  })
  await expectAnswer(t, harness, { method: 'HEAD', url: '/docs' }, NO_CREDENTIALS)
  await expectAnswer(t, harness, { method: 'HEAD', url: '/docs', headers: auth(reader) }, insufficient('read:media'))
})

test('strict mode refuses to boot with a custom HEAD route that declares no scopes beside a protected GET', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(fastifyScopes, { registry: seedRegistry, strict: true })
  app.head('/docs', async () => '')
  app.get('/docs', { config: { scopes: ['read:media'] } }, async () => 'doc')
  await t.rejects(async () => { await app.ready() }, { code: 'FST_SCOPES_UNDECLARED_ROUTE' })
})

test('a custom HEAD route without scopes is public, as every undeclared route is outside strict mode', async (t) => {
  const harness = await buildHarness(t, {
    routes: (app, handler) => {
      app.head('/docs', handler)
      app.get('/docs', { config: { scopes: ['read:media'] } }, handler)
    }
  })
  await expectAnswer(t, harness, { method: 'HEAD', url: '/docs' }, { status: 200 })
  await expectAnswer(t, harness, { method: 'GET', url: '/docs' }, NO_CREDENTIALS)
})

test('request.scopes read by a hook before the guard does not hide the granted scopes from the handler', async (t) => {
  // Regression: the first read of request.scopes was cached, so a read before the guard had set
  // the claim froze an empty set for the rest of the request.
  const harness = await buildHarness(t, {
    beforePlugin: (app) => {
      app.addHook('onRequest', async function readScopesEarly (request) { t.equal(request.scopes.size, 0) })
    }
  })
  await expectAnswer(t, harness, { url: '/me', headers: auth(signHs256(HS, { scope: 'read:self read:chat' }, SECRET)) }, granted('read:self', 'read:chat'))
})
