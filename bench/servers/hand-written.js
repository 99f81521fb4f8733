// Scenario `hand-written`: jwt-only plus the scope check one would write by hand.
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { announce, BODY, fastifyJwtOptions, HOST, requireReadChat, verifyJwtHook } from './common.js'

const app = Fastify()
await app.register(fastifyJwt, fastifyJwtOptions())
app.addHook('onRequest', verifyJwtHook)
app.get('/chats', { onRequest: requireReadChat }, async function chats () { return BODY })
await app.listen({ host: HOST, port: 0 })
announce(app.server)
