import { test } from 'tap'
import { buildApp, bearer, echoScopes } from './helpers.js'

test('answers 200 when the token holds the route\'s scope', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const response = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:self read:chat' }) })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { ok: true, scopes: ['read:self', 'read:chat'] })
})
