import Fastify, { type FastifyInstance } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { test, type Test } from 'tap'
import fastifyScopes from '../src/index.js'
import { SECRET, bearer, echoScopes, seedRegistry } from './helpers.js'

async function expectGuarded (t: Test, app: FastifyInstance, url: string): Promise<void> {
  await app.ready()
  t.equal((await app.inject({ url })).statusCode, 401, `${url} without a token`)
  t.equal((await app.inject({ url, headers: bearer(app, { scope: 'read:self' }) })).statusCode, 403, `${url} without the scope`)
  t.equal((await app.inject({ url, headers: bearer(app, { scope: 'read:chat' }) })).statusCode, 200, `${url} with the scope`)
  t.equal((await app.inject({ method: 'HEAD', url })).statusCode, 401, `HEAD ${url} without a token`)
  t.equal((await app.inject({ method: 'HEAD', url, headers: bearer(app, { scope: 'read:chat' }) })).statusCode, 200, `HEAD ${url} with the scope`)
}

function newApp (t: { teardown: (fn: () => unknown) => void }, logs?: string[]): FastifyInstance {
  const stream = { write: (line: string) => { logs?.push(JSON.parse(line).msg) } }
  const app = Fastify({ logger: logs === undefined ? false : { level: 'warn', stream } })
  t.teardown(() => app.close())
  return app
}

test('awaited registration, then routes', async (t) => {
  const app = newApp(t)
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(fastifyScopes, { registry: seedRegistry })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await expectGuarded(t, app, '/chats')
})

test('registration not awaited, routes declared right after at the root', async (t) => {
  const logs: string[] = []
  const app = newApp(t, logs)
  app.register(fastifyJwt, { secret: SECRET })
  app.register(fastifyScopes, { registry: seedRegistry })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  app.get('/open', echoScopes)
  await expectGuarded(t, app, '/chats')
  t.equal((await app.inject({ url: '/open' })).statusCode, 200, 'a public route stays public')
  t.match(logs, [/routes were declared before the plugin was registered/], 'the cost is explained at boot')
})

test('routes in a plugin registered before fastify-scopes', async (t) => {
  const app = newApp(t)
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(async (child) => {
    child.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  }, { prefix: '/v1' })
  await app.register(fastifyScopes, { registry: seedRegistry })
  await expectGuarded(t, app, '/v1/chats')
})

test('routes in an encapsulated plugin under a prefix, registered after', async (t) => {
  const app = newApp(t)
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(fastifyScopes, { registry: seedRegistry })
  await app.register(async (api) => {
    await api.register(async (chats) => {
      chats.get('/', { config: { scopes: ['read:chat'] } }, echoScopes)
    }, { prefix: '/chats' })
  }, { prefix: '/v2' })
  await expectGuarded(t, app, '/v2/chats')
})

test('a route declared before the plugin with an unknown scope refuses every request with 500 and logs why', async (t) => {
  const logs: string[] = []
  const app = newApp(t, logs)
  app.register(fastifyJwt, { secret: SECRET })
  app.register(fastifyScopes, { registry: seedRegistry })
  app.get('/typo', { config: { scopes: ['read:chats'] } }, echoScopes)
  app.get('/public', { config: { scopes: false } }, echoScopes)
  await app.ready()
  for (let attempt = 0; attempt < 2; attempt++) {
    const response = await app.inject({ url: '/typo', headers: bearer(app, { scope: 'read:chats read:chat' }) })
    t.equal(response.statusCode, 500)
    t.equal(response.body, '{"error":"Internal Server Error"}')
  }
  t.equal((await app.inject({ url: '/public' })).statusCode, 200)
  t.ok(logs.includes('fastify-scopes: invalid config.scopes on a route declared before the plugin'))
})

test('strict mode refuses to boot when routes came before the plugin', async (t) => {
  const app = newApp(t)
  app.register(fastifyJwt, { secret: SECRET })
  app.register(fastifyScopes, { registry: seedRegistry, strict: true })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await t.rejects(async () => app.ready(), { code: 'FST_SCOPES_ROUTE_NOT_GUARDED', message: /await app.register\(fastifyScopes/ })
})

test('a user onRequest hook added before the plugin still runs, and cannot skip the check', async (t) => {
  const app = newApp(t)
  const seen: string[] = []
  app.addHook('onRequest', async (request) => { seen.push(request.url) })
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(fastifyScopes, { registry: seedRegistry })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await expectGuarded(t, app, '/chats')
  t.ok(seen.length >= 5)
})

test('a custom HEAD route beside a protected GET keeps its own config', async (t) => {
  const app = newApp(t)
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(fastifyScopes, { registry: seedRegistry })
  app.head('/chats', { config: { scopes: ['read:fan'] } }, async (_request, reply) => reply.send())
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  t.equal((await app.inject({ method: 'HEAD', url: '/chats', headers: bearer(app, { scope: 'read:chat' }) })).statusCode, 403)
  t.equal((await app.inject({ method: 'HEAD', url: '/chats', headers: bearer(app, { scope: 'read:fan' }) })).statusCode, 200)
  t.equal((await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:chat' }) })).statusCode, 200)
})
