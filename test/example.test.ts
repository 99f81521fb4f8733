import { test } from 'tap'
import { buildExampleApp } from '../examples/app.js'
import { registry } from '../examples/registry.js'

const routes: Array<[string, string, string]> = [
  ['GET', '/self', 'read:self'],
  ['GET', '/chats', 'read:chat'],
  ['POST', '/chats', 'write:chat'],
  ['GET', '/chats/1/messages', 'read:chat'],
  ['GET', '/fans', 'read:fan'],
  ['GET', '/creators/me', 'read:creator'],
  ['PATCH', '/creators/me', 'write:creator'],
  ['GET', '/media', 'read:media'],
  ['POST', '/media', 'write:media'],
  ['POST', '/vault/folders', 'write:media'],
  ['GET', '/posts', 'read:post'],
  ['POST', '/posts', 'write:post'],
  ['GET', '/insights', 'read:insights'],
  ['GET', '/tracking-links', 'read:tracking_links'],
  ['POST', '/tracking-links', 'write:tracking_links'],
  ['DELETE', '/tracking-links/1', 'write:tracking_links'],
  ['GET', '/agency', 'read:agency'],
  ['POST', '/agency/invites', 'write:agency']
]

test('the example API guards every seed scope: 2xx with it, 403 without, 401 with no token', async (t) => {
  const app = await buildExampleApp({ jwt: { secret: 'example-test-secret-0123456789abcdef' }, devTokens: true })
  t.teardown(() => app.close())
  t.same(new Set(routes.map(([, , scope]) => scope)), new Set(registry.names), 'at least one route per scope')
  for (const [method, url, scope] of routes) {
    const others = registry.names.filter((name) => name !== scope)
    const tokenFor = async (scopes: readonly string[]): Promise<string> =>
      (await app.inject({ method: 'POST', url: '/dev/token', payload: { scopes } })).json().access_token
    const payload = method === 'POST' && url === '/chats' ? { title: 'hi' } : undefined
    const granted = await app.inject({ method: method as 'GET', url, payload, headers: { authorization: `Bearer ${await tokenFor([scope])}` } })
    t.ok(granted.statusCode >= 200 && granted.statusCode < 300, `${method} ${url} with ${scope}: ${granted.statusCode}`)
    const refused = await app.inject({ method: method as 'GET', url, payload, headers: { authorization: `Bearer ${await tokenFor(others)}` } })
    t.equal(refused.statusCode, 403, `${method} ${url} with every other scope`)
    t.equal(refused.headers['www-authenticate'], `Bearer realm="api", error="insufficient_scope", scope="${scope}"`)
    t.equal((await app.inject({ method: method as 'GET', url, payload })).statusCode, 401, `${method} ${url} without a token`)
  }
})

test('the example dashboard accepts either alternative of its anyOf', async (t) => {
  const app = await buildExampleApp({ jwt: { secret: 'example-test-secret-0123456789abcdef' } })
  t.teardown(() => app.close())
  await app.ready()
  const call = async (scope: string): Promise<number> =>
    (await app.inject({ url: '/insights/dashboard', headers: { authorization: `Bearer ${app.jwt.sign({ scope })}` } })).statusCode
  t.equal(await call('read:insights'), 200)
  t.equal(await call('read:creator read:fan'), 200)
  t.equal(await call('read:creator'), 403)
  t.equal((await app.inject({ url: '/health' })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/dev/token', payload: { scopes: [] } })).statusCode, 404, 'dev tokens are off unless asked for')
})
