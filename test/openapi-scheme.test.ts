import { test } from 'tap'
import { errors } from '../src/index.js'
import { buildDocsApp, assertValidDocument, registryScopes, VERSIONS, FLOWS, type Doc } from './openapi-helpers.js'
import { echoScopes, seedRegistry } from './helpers.js'

const RESOURCES = seedRegistry.resources.map((resource) => ({ name: resource.name, scopes: resource.scopes.map((scope) => scope.name) }))
const DESCRIPTION = 'OAuth 2.0 access token. Scopes by resource: User (read:self), Chat (read:chat, write:chat), Fan (read:fan), ' +
  'Creator (read:creator, write:creator), Media (read:media, write:media), Posts (read:post, write:post), ' +
  'Insights (read:insights), Tracking Links (read:tracking_links, write:tracking_links), Agency (read:agency, write:agency).'

for (const version of ['3.0', '3.1'] as const) {
  test(`an OpenAPI ${version} document gets an oauth2 scheme whose flow lists every registry scope with its description`, async (t) => {
    const app = await buildDocsApp(t, { swagger: VERSIONS[version] })
    app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
    await app.ready()
    const document = app.swagger() as Doc
    t.same(document.components.securitySchemes, {
      oauth2: {
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: registryScopes() } },
        description: DESCRIPTION,
        'x-scope-resources': RESOURCES
      }
    })
    t.same(Object.keys(document.components.securitySchemes.oauth2.flows.clientCredentials.scopes), seedRegistry.names, 'in registry order')
    await assertValidDocument(t, document)
  })
}

test('every OpenAPI 3 flow given in openapi.flows lists every scope', async (t) => {
  const flows = {
    authorizationCode: { authorizationUrl: 'https://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/token', refreshUrl: 'https://auth.example.com/refresh' },
    implicit: { authorizationUrl: 'https://auth.example.com/authorize' },
    password: { tokenUrl: 'https://auth.example.com/token' },
    clientCredentials: { tokenUrl: 'https://auth.example.com/token' }
  }
  const app = await buildDocsApp(t, { scopes: { openapi: { flows } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(document.components.securitySchemes.oauth2.flows, {
    authorizationCode: { ...flows.authorizationCode, scopes: registryScopes() },
    implicit: { ...flows.implicit, scopes: registryScopes() },
    password: { ...flows.password, scopes: registryScopes() },
    clientCredentials: { ...flows.clientCredentials, scopes: registryScopes() }
  })
  await assertValidDocument(t, document)
})

test('a Swagger 2.0 document gets one securityDefinition per flow, named with its 2.0 flow, and operations accept any of them', async (t) => {
  const flows = {
    clientCredentials: { tokenUrl: 'https://auth.example.com/token', refreshUrl: 'https://auth.example.com/refresh' },
    authorizationCode: { authorizationUrl: 'https://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/token' },
    implicit: { authorizationUrl: 'https://auth.example.com/authorize' },
    password: { tokenUrl: 'https://auth.example.com/token' }
  }
  const app = await buildDocsApp(t, { swagger: VERSIONS['2.0'], scopes: { openapi: { flows } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  const common = { scopes: registryScopes(), description: DESCRIPTION, 'x-scope-resources': RESOURCES }
  t.same(document.securityDefinitions, {
    oauth2: { type: 'oauth2', flow: 'application', tokenUrl: 'https://auth.example.com/token', ...common },
    oauth2_accessCode: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/token', ...common },
    oauth2_implicit: { type: 'oauth2', flow: 'implicit', authorizationUrl: 'https://auth.example.com/authorize', ...common },
    oauth2_password: { type: 'oauth2', flow: 'password', tokenUrl: 'https://auth.example.com/token', ...common }
  })
  t.same(document.paths['/chats'].get.security, [
    { oauth2: ['read:chat'] }, { oauth2_accessCode: ['read:chat'] }, { oauth2_implicit: ['read:chat'] }, { oauth2_password: ['read:chat'] }
  ])
  await assertValidDocument(t, document)
})

test('a Swagger 2.0 document with one flow names its securityDefinition after openapi.securityScheme', async (t) => {
  // Swagger 2.0 wants absolute URLs (OpenAPI 3 takes relative ones).
  const flows = { clientCredentials: { tokenUrl: 'https://auth.example.com/token' } }
  const app = await buildDocsApp(t, { swagger: VERSIONS['2.0'], scopes: { openapi: { flows, securityScheme: 'scopes' } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(Object.keys(document.securityDefinitions), ['scopes'])
  t.same(document.paths['/chats'].get.security, [{ scopes: ['read:chat'] }])
  await assertValidDocument(t, document)
})

test('openapi.securityScheme names the scheme and every requirement', async (t) => {
  const app = await buildDocsApp(t, { scopes: { openapi: { flows: FLOWS, securityScheme: 'fanvue' } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(Object.keys(document.components.securitySchemes), ['fanvue'])
  t.same(document.paths['/chats'].get.security, [{ fanvue: ['read:chat'] }])
})

test('openapi.openIdConnectUrl gives an openIdConnect scheme carrying the scopes in x-scopes', async (t) => {
  const url = 'https://auth.example.com/.well-known/openid-configuration'
  const app = await buildDocsApp(t, { swagger: VERSIONS['3.1'], scopes: { openapi: { openIdConnectUrl: url } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(document.components.securitySchemes, {
    oauth2: { type: 'openIdConnect', openIdConnectUrl: url, description: DESCRIPTION, 'x-scope-resources': RESOURCES, 'x-scopes': registryScopes() }
  })
  t.same(document.paths['/chats'].get.security, [{ oauth2: ['read:chat'] }])
  await assertValidDocument(t, document)
})

test('a Swagger 2.0 document with openIdConnectUrl fails to build with a coded error saying to give flows', async (t) => {
  const app = await buildDocsApp(t, { swagger: VERSIONS['2.0'], scopes: { openapi: { openIdConnectUrl: 'https://auth.example.com/.well-known/openid-configuration' } } })
  await app.ready()
  t.throws(() => app.swagger(), { code: 'FST_SCOPES_MISSING_SECURITY_SCHEME', statusCode: 500, message: /Swagger 2\.0 has no openIdConnect security scheme: give fastify-scopes `openapi\.flows`/ })
})

test('ready() fails with FST_SCOPES_MISSING_SECURITY_SCHEME, saying what to add, when @fastify/swagger is registered but no flow is configured', async (t) => {
  const app = await buildDocsApp(t, { scopes: { openapi: {} } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const error = await app.ready().then(() => undefined, (failure: Error) => failure)
  t.type(error, errors.FST_SCOPES_MISSING_SECURITY_SCHEME)
  t.match(error, { code: 'FST_SCOPES_MISSING_SECURITY_SCHEME', message: /add `openapi: \{ flows: \{ clientCredentials: \{ tokenUrl: .*`openapi: false` to leave the document alone/ })
})

test('no flow configured and no @fastify/swagger is fine', async (t) => {
  const { buildApp } = await import('./helpers.js')
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  t.pass('ready() resolves')
})

test('openapi: false leaves the document alone: no scheme, no security, no added responses', async (t) => {
  const app = await buildDocsApp(t, { scopes: { openapi: false } })
  const schema = { description: 'List chats' }
  app.get('/chats', { config: { scopes: ['read:chat'] }, schema }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.equal(document.components.securitySchemes, undefined)
  t.same(document.paths['/chats'].get, { description: 'List chats', responses: { 200: { description: 'Default Response' } } })
})

test('the user\'s own security schemes are kept beside the plugin\'s, and the user\'s options are not mutated', async (t) => {
  const apiKey = { type: 'apiKey', in: 'header', name: 'x-api-key' } as const
  const swagger = { openapi: { openapi: '3.0.3', info: { title: 'Test API', version: '1.0.0' }, components: { securitySchemes: { apiKey } } } }
  const before = structuredClone(swagger.openapi)
  const app = await buildDocsApp(t, { swagger })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(Object.keys(document.components.securitySchemes), ['apiKey', 'oauth2'])
  t.same(document.components.securitySchemes.apiKey, apiKey)
  t.same(swagger.openapi, before, 'the swagger options are unchanged')
})

test('the user\'s Swagger 2.0 securityDefinitions are kept and not mutated', async (t) => {
  const securityDefinitions = { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } as const
  const swagger = { swagger: { info: { title: 'Test API', version: '1.0.0' }, securityDefinitions } }
  const flows = { clientCredentials: { tokenUrl: 'https://auth.example.com/token' } }
  const app = await buildDocsApp(t, { swagger, scopes: { openapi: { flows } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(Object.keys(document.securityDefinitions), ['apiKey', 'oauth2'])
  t.same(Object.keys(securityDefinitions), ['apiKey'], 'the user\'s object is unchanged')
  await assertValidDocument(t, document)
})
