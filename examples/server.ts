import { DEMO_CLIENTS, startExample } from './start.js'

// npm start: the example API on 127.0.0.1:3000 and its authorization server on 127.0.0.1:3001.
// ISSUER, AUDIENCE and JWKS_URI point the API at an external authorization server instead.
const example = await startExample({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 3000),
  authPort: Number(process.env.AUTH_PORT ?? 3001),
  issuer: process.env.ISSUER,
  audience: process.env.AUDIENCE,
  jwksUri: process.env.JWKS_URI,
  fastify: { logger: { level: process.env.LOG_LEVEL ?? 'info' } }
})
const { apiUrl, authorizationServer } = example
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { example.close().then(() => process.exit(0), () => process.exit(1)) })
}

const demo = DEMO_CLIENTS[0]
console.log(`
fastify-scopes example API      ${apiUrl}
Swagger UI                      ${apiUrl}/docs
Protected resource metadata     ${apiUrl}/.well-known/oauth-protected-resource
Authorization server (issuer)   ${example.issuer}${authorizationServer === undefined ? ' (external)' : ''}
${authorizationServer === undefined
  ? ''
  : `
Get a token with read:chat from the authorization server, then call the API:

  TOKEN=$(curl -s -u ${demo.clientId}:${demo.clientSecret} -d grant_type=client_credentials \\
    -d scope=read:chat ${authorizationServer.tokenEndpoint} | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  curl -i ${apiUrl}/chats -H "authorization: Bearer $TOKEN"        # 200
  curl -i -X POST ${apiUrl}/chats -H "authorization: Bearer $TOKEN" \\
    -H 'content-type: application/json' -d '{"title":"hi"}'          # 403 Insufficient scopes

Demo clients: ${DEMO_CLIENTS.map((client) => `${client.clientId} / ${client.clientSecret}`).join(', ')}
`}`)
