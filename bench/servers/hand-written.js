// Scenario `hand-written`: jwt-only plus the scope check one would write by hand.
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { announce, BODY, fastifyJwtOptions, HOST, verifyJwtHook } from './common.js'

const app = Fastify()
await app.register(fastifyJwt, fastifyJwtOptions())
app.addHook('onRequest', verifyJwtHook)
app.get('/chats', {
  onRequest: async function requireReadChat (request, reply) {
    const scope = request.user.scope
    if (typeof scope !== 'string' || !scope.split(' ').includes('read:chat')) {
      return reply.code(403).send({ error: 'Forbidden' })
    }
  }
}, async function chats () { return BODY })
await app.listen({ host: HOST, port: 0 })
announce(app.server)
