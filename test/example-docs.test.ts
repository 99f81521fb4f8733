import { test } from 'tap'
import { buildExampleApp } from '../examples/app.js'
import { registry } from '../examples/registry.js'
import { assertValidDocument, registryScopes, type Doc } from './openapi-helpers.js'

const jwt = { secret: 'example-docs-secret-0123456789abcdef' }

test('the example serves the scopes reference as JSON at GET /scopes, without a token', async (t) => {
  const app = await buildExampleApp({ jwt })
  t.teardown(() => app.close())
  const response = await app.inject({ url: '/scopes' })
  t.equal(response.statusCode, 200)
  t.same(response.json(), {
    resources: registry.resources.map((resource) => ({
      name: resource.name,
      scopes: resource.scopes.map((scope) => ({ name: scope.name, description: scope.description, implies: [] }))
    }))
  })
})

test('the example\'s /docs/json is a valid OpenAPI 3.1 document whose every guarded route carries its scopes', async (t) => {
  const app = await buildExampleApp({ jwt, tokenUrl: 'https://auth.example.com/token' })
  t.teardown(() => app.close())
  const response = await app.inject({ url: '/docs/json' })
  t.equal(response.statusCode, 200)
  const document = response.json() as Doc
  t.equal(document.openapi, '3.1.0')
  t.same(document.components.securitySchemes.oauth2.flows, {
    clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes: registryScopes() }
  })
  t.same(document.paths['/chats'].post.security, [{ oauth2: ['write:chat'] }])
  t.same(document.paths['/insights/dashboard'].get.security, [{ oauth2: ['read:insights'] }, { oauth2: ['read:creator', 'read:fan'] }])
  t.notOk('security' in document.paths['/scopes'].get)
  t.notOk('security' in document.paths['/health'].get)
  const used = new Set(Object.values(document.paths as Record<string, Record<string, Doc>>)
    .flatMap((item) => Object.values(item)).flatMap((operation) => operation.security ?? [])
    .flatMap((requirement: Record<string, string[]>) => requirement.oauth2 ?? []))
  t.same([...used].sort(), [...registry.names].sort(), 'every registry scope is required by some documented operation')
  await assertValidDocument(t, document)
})

test('docs: false leaves the documentation out', async (t) => {
  const app = await buildExampleApp({ jwt, docs: false })
  t.teardown(() => app.close())
  t.equal((await app.inject({ url: '/docs/json' })).statusCode, 404)
  t.equal((await app.inject({ url: '/scopes' })).statusCode, 404)
})
