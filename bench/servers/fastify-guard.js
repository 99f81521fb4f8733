// Peer `fastify-guard`: jwt-only plus fastify-guard's scope check (it splits a string claim).
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyGuard from 'fastify-guard'
import { announce, BODY, fastifyJwtOptions, HOST, verifyJwtHook } from './common.js'

const app = Fastify()
await app.register(fastifyJwt, fastifyJwtOptions())
await app.register(fastifyGuard, {
  errorHandler: function guardDenied (result, request, reply) {
    return reply.code(result.status ?? 403).send({ error: result.message })
  }
})
app.addHook('onRequest', verifyJwtHook)
app.get('/chats', { preHandler: [app.guard.scope('read:chat')] }, async function chats () { return BODY })
await app.listen({ host: HOST, port: 0 })
announce(app.server)
