import { test } from 'tap'
import { locateResourceMetadata } from '../src/resource-metadata.js'
import { buildApp, bearer, echoScopes, seedRegistry } from './helpers.js'

const resourceMetadata = {
  resource: 'https://api.example.com',
  authorizationServers: ['https://auth.example.com'],
  resourceName: 'Example API',
  resourceDocumentation: 'https://api.example.com/docs'
}

test('serves RFC 9728 metadata at the well-known path, scopes from the registry', async (t) => {
  const app = await buildApp(t, { scopes: { resourceMetadata } })
  const response = await app.inject({ url: '/.well-known/oauth-protected-resource' })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'application/json; charset=utf-8')
  t.same(response.json(), {
    resource: 'https://api.example.com',
    authorization_servers: ['https://auth.example.com'],
    scopes_supported: [...seedRegistry.names],
    bearer_methods_supported: ['header'],
    resource_name: 'Example API',
    resource_documentation: 'https://api.example.com/docs'
  })
})

test('adds resource_metadata to every 401 and 403 challenge', async (t) => {
  const app = await buildApp(t, { scopes: { resourceMetadata } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const url = 'https://api.example.com/.well-known/oauth-protected-resource'
  t.equal((await app.inject({ url: '/chats' })).headers['www-authenticate'], `Bearer realm="api", resource_metadata="${url}"`)
  t.equal((await app.inject({ url: '/chats', headers: { authorization: 'Bearer x' } })).headers['www-authenticate'],
    `Bearer realm="api", error="invalid_token", resource_metadata="${url}"`)
  t.equal((await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:self' }) })).headers['www-authenticate'],
    `Bearer realm="api", error="insufficient_scope", scope="read:chat", resource_metadata="${url}"`)
})

test('a resource with a path is described under the well-known path followed by that path', async (t) => {
  t.same(locateResourceMetadata('https://api.example.com/v1/'), {
    path: '/.well-known/oauth-protected-resource/v1',
    url: 'https://api.example.com/.well-known/oauth-protected-resource/v1'
  })
  const app = await buildApp(t, { scopes: { resourceMetadata: { resource: 'http://127.0.0.1:3000/v1', scopesSupported: ['read:chat'], bearerMethodsSupported: ['header'] } } })
  const response = await app.inject({ url: '/.well-known/oauth-protected-resource/v1' })
  t.same(response.json(), { resource: 'http://127.0.0.1:3000/v1', scopes_supported: ['read:chat'], bearer_methods_supported: ['header'] })
})

test('the metadata route is public even in strict mode', async (t) => {
  const app = await buildApp(t, { scopes: { strict: true, resourceMetadata } })
  await app.ready()
  t.equal((await app.inject({ url: '/.well-known/oauth-protected-resource' })).statusCode, 200)
})

const rejected: Array<[string, unknown, RegExp]> = [
  ['a resource that is not a URL', { resource: 'api' }, /resourceMetadata.resource/],
  ['a resource with a fragment', { resource: 'https://api.example.com/#x' }, /no fragment/],
  ['an unknown member', { resource: 'https://a.example', scopes: [] }, /resourceMetadata.scopes: Unexpected property/],
  ['an advertised scope outside the registry', { resource: 'https://a.example', scopesSupported: ['admin'] }, /"admin" is not a registry scope/]
]
for (const [what, options, message] of rejected) {
  test(`rejects ${what} with FST_SCOPES_INVALID_OPTIONS`, async (t) => {
    await t.rejects(async () => buildApp(t, { scopes: { resourceMetadata: options as never } }), { code: 'FST_SCOPES_INVALID_OPTIONS', message })
  })
}
