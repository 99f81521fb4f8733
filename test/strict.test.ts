import { test } from 'tap'
import { buildApp, echoScopes } from './helpers.js'

test('strict mode fails ready() on a route that does not declare config.scopes, naming it', async (t) => {
  const app = await buildApp(t, { scopes: { strict: true } })
  app.get('/forgotten', echoScopes)
  await t.rejects(async () => app.ready(), {
    code: 'FST_SCOPES_UNDECLARED_ROUTE',
    message: /^Route GET \/forgotten does not declare config.scopes and the plugin runs with strict: true/
  })
})

test('strict mode accepts scopes: false for public routes', async (t) => {
  const app = await buildApp(t, { scopes: { strict: true } })
  app.get('/health', { config: { scopes: false } }, echoScopes)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  t.equal((await app.inject({ url: '/health' })).statusCode, 200)
})

test('strictExempt exempts a URL and everything under it, and nothing else', async (t) => {
  const app = await buildApp(t, { scopes: { strict: true, strictExempt: ['/docs', '/health/'] } })
  app.get('/docs', echoScopes)
  app.get('/docs/json', echoScopes)
  app.get('/health/live', echoScopes)
  await app.ready()
  t.equal((await app.inject({ url: '/docs/json' })).statusCode, 200)

  const other = await buildApp(t, { scopes: { strict: true, strictExempt: ['/docs'] } })
  other.get('/docsearch', echoScopes)
  await t.rejects(async () => other.ready(), { code: 'FST_SCOPES_UNDECLARED_ROUTE', message: /GET \/docsearch/ })
})

test('without strict, undeclared routes are public', async (t) => {
  const app = await buildApp(t)
  app.get('/open', echoScopes)
  await app.ready()
  t.equal((await app.inject({ url: '/open' })).statusCode, 200)
})
