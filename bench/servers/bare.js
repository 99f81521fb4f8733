// Scenario `bare`: Fastify with no authentication at all.
import Fastify from 'fastify'
import { announce, BODY, HOST } from './common.js'

const app = Fastify()
app.get('/chats', async function chats () { return BODY })
await app.listen({ host: HOST, port: 0 })
announce(app.server)
