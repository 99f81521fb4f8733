import { buildExampleApp } from './app.js'

// npm start: the example API on 127.0.0.1:3000 with development tokens signed by a local secret.
const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 3000)
const secret = process.env.JWT_SECRET ?? 'development-secret-change-me-0123456789'

const app = await buildExampleApp({ jwt: { secret }, devTokens: true, fastify: { logger: { level: 'info' } } })
const address = await app.listen({ host, port })

console.log(`
fastify-scopes example API on ${address}

Get a development token with the scopes you want, then call the API:

  TOKEN=$(curl -s -X POST ${address}/dev/token -H 'content-type: application/json' \\
    -d '{"scopes":["read:chat"]}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  curl -i ${address}/chats -H "authorization: Bearer $TOKEN"          # 200
  curl -i -X POST ${address}/chats -H "authorization: Bearer $TOKEN" \\
    -H 'content-type: application/json' -d '{"title":"hi"}'            # 403 Insufficient scopes
`)
