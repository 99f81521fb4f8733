import { generateKeyPairSync } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createSigner } from 'fast-jwt'
import { test, type Test } from 'tap'
import { buildExampleApp } from '../examples/app.js'
import { startAuthorizationServer, type AuthorizationServer } from '../examples/authorization-server.js'
import { rfc9068JwtOptions } from '../examples/jwt-options.js'
import { registry } from '../examples/registry.js'
import { startExample } from '../examples/start.js'
import { fetchToken } from '../examples/token.js'

const CLIENT = { clientId: 'e2e-client', clientSecret: 'e2e-secret', scopes: registry.names }

/** A JWKS endpoint in front of the authorization server's, that can be switched down or made to hang. */
interface JwksRelay { url: string, mode: 'up' | 'down' | 'hang', fetched: number, close: () => Promise<void> }

async function startJwksRelay (t: Test, target: string): Promise<JwksRelay> {
  const sockets = new Set<Socket>()
  const relay: JwksRelay = { url: '', mode: 'up', fetched: 0, close: async () => {} }
  const server: Server = createServer(async (_request, response) => {
    relay.fetched++
    if (relay.mode === 'hang') return
    if (relay.mode === 'down') {
      response.writeHead(503).end()
      return
    }
    const upstream = await fetch(target)
    response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text())
  })
  server.on('connection', (socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
  relay.close = async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  }
  t.teardown(relay.close)
  return relay
}

async function startIssuer (t: Test, audience: string): Promise<AuthorizationServer> {
  const server = await startAuthorizationServer({ audience, scopes: registry.names, clients: [CLIENT] })
  t.teardown(() => server.close())
  return server
}

/** An API instance verifying tokens of `issuer` for `audience`, listening on an ephemeral loopback port. */
async function startApi (t: Test, settings: { issuer: string, audience: string, jwksUri: string }): Promise<string> {
  const app = await buildExampleApp({ jwt: rfc9068JwtOptions({ ...settings, jwksTimeout: 1000 }) })
  t.teardown(() => app.close())
  return app.listen({ host: '127.0.0.1', port: 0 })
}

async function call (url: string, token: string | undefined, method = 'GET'): Promise<{ status: number, body: unknown, challenge: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  const response = await fetch(url, { method, headers, body: method === 'POST' ? '{"title":"hi"}' : undefined })
  return { status: response.status, body: await response.json(), challenge: response.headers.get('www-authenticate') }
}

const token = (server: AuthorizationServer, scopes: readonly string[]): Promise<string> =>
  fetchToken(server, CLIENT.clientId, CLIENT.clientSecret, scopes)

test('npm start\'s setup: a read:chat token gets 200 on GET /chats and 403 on POST /chats', async (t) => {
  const example = await startExample({ host: '127.0.0.1', port: 0, authPort: 0 })
  t.teardown(() => example.close())
  const server = example.authorizationServer as AuthorizationServer
  const readChat = await fetchToken(server, 'read-only-app', 'read-only-secret', ['read:chat'])
  t.same(await call(`${example.apiUrl}/chats`, readChat), { status: 200, body: [{ id: 1, title: 'Welcome', messages: ['Hello!'] }], challenge: null })
  t.same(await call(`${example.apiUrl}/chats`, readChat, 'POST'), {
    status: 403,
    body: { error: 'Insufficient scopes' },
    challenge: `Bearer realm="api", error="insufficient_scope", scope="write:chat", resource_metadata="${example.apiUrl}/.well-known/oauth-protected-resource"`
  })
  const metadata = await (await fetch(`${example.apiUrl}/.well-known/oauth-protected-resource`)).json()
  t.match(metadata, { resource: example.apiUrl, authorization_servers: [example.issuer], scopes_supported: [...registry.names] })
  await t.rejects(fetchToken(server, 'read-only-app', 'read-only-secret', ['write:chat']), /invalid_scope/,
    'the authorization server refuses a scope the client is not allowed')
})

test('tokens for another audience, from another issuer, or signed by a key outside the JWKS get 401', async (t) => {
  const audience = 'http://127.0.0.1:1/api'
  const issuer = await startIssuer(t, audience)
  const api = await startApi(t, { issuer: issuer.issuer, audience, jwksUri: issuer.jwksUri })
  const good = await token(issuer, ['read:chat'])
  t.equal((await call(`${api}/chats`, good)).status, 200)

  const otherAudienceApi = await startApi(t, { issuer: issuer.issuer, audience: 'http://127.0.0.1:1/other', jwksUri: issuer.jwksUri })
  t.same(await call(`${otherAudienceApi}/chats`, good), { status: 401, body: { error: 'Unauthorized' }, challenge: 'Bearer realm="api", error="invalid_token"' })

  const otherIssuer = await startIssuer(t, audience)
  t.equal((await call(`${api}/chats`, await token(otherIssuer, ['read:chat']))).status, 401)

  const [header] = good.split('.')
  const { kid } = JSON.parse(Buffer.from(header as string, 'base64url').toString())
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const claims = { iss: issuer.issuer, aud: audience, sub: CLIENT.clientId, client_id: CLIENT.clientId, jti: 'x', scope: 'read:chat' }
  const sign = (headerKid: string): string => createSigner({ key: privateKey.export({ format: 'pem', type: 'pkcs8' }), algorithm: 'RS256', kid: headerKid, header: { typ: 'at+jwt', alg: 'RS256' }, expiresIn: 60_000 })(claims)
  t.equal((await call(`${api}/chats`, sign(kid))).status, 401, 'a known kid, another key')
  t.equal((await call(`${api}/chats`, sign('unknown-kid'))).status, 401, 'an unknown kid')
})

test('a rotated signing key is accepted without restarting the API', async (t) => {
  const audience = 'http://127.0.0.1:1/api'
  const issuer = await startIssuer(t, audience)
  const api = await startApi(t, { issuer: issuer.issuer, audience, jwksUri: issuer.jwksUri })
  const before = await token(issuer, ['read:chat'])
  t.equal((await call(`${api}/chats`, before)).status, 200)
  await issuer.rotateSigningKey()
  const after = await token(issuer, ['read:chat'])
  t.not(after.split('.')[0], before.split('.')[0], 'the new token names another key')
  t.equal((await call(`${api}/chats`, after)).status, 200)
  t.equal((await call(`${api}/chats`, before)).status, 200, 'the old key is still published')
})

test('a JWKS endpoint that is down or hangs gives a bounded 401, and the API recovers when it is back', async (t) => {
  const audience = 'http://127.0.0.1:1/api'
  const issuer = await startIssuer(t, audience)
  const relay = await startJwksRelay(t, issuer.jwksUri)
  const api = await startApi(t, { issuer: issuer.issuer, audience, jwksUri: relay.url })
  t.equal((await call(`${api}/chats`, await token(issuer, ['read:chat']))).status, 200)

  await issuer.rotateSigningKey()
  const fresh = await token(issuer, ['read:chat'])
  relay.mode = 'down'
  t.same(await call(`${api}/chats`, fresh), { status: 401, body: { error: 'Unauthorized' }, challenge: 'Bearer realm="api", error="invalid_token"' })

  relay.mode = 'hang'
  const started = Date.now()
  t.equal((await call(`${api}/chats`, fresh)).status, 401)
  const waited = Date.now() - started
  t.ok(waited < 5000, `answered in ${waited} ms while the JWKS hung`)

  relay.mode = 'up'
  t.equal((await call(`${api}/chats`, fresh)).status, 200, 'works again once the JWKS is back')
})

test('two API instances behind the same authorization server accept the same tokens', async (t) => {
  const audience = 'http://127.0.0.1:1/api'
  const issuer = await startIssuer(t, audience)
  const first = await startApi(t, { issuer: issuer.issuer, audience, jwksUri: issuer.jwksUri })
  const second = await startApi(t, { issuer: issuer.issuer, audience, jwksUri: issuer.jwksUri })
  const readChat = await token(issuer, ['read:chat'])
  for (const api of [first, second]) {
    t.equal((await call(`${api}/chats`, readChat)).status, 200)
    t.equal((await call(`${api}/chats`, readChat, 'POST')).status, 403)
    t.equal((await call(`${api}/chats`, undefined)).status, 401)
  }
})
