// Scenario `jwt-only`: @fastify/jwt verifying the token in a global onRequest hook, no scope check.
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { announce, BODY, fastifyJwtOptions, HOST, verifyJwtHook } from './common.js'

const app = Fastify()
await app.register(fastifyJwt, fastifyJwtOptions())
app.addHook('onRequest', verifyJwtHook)
app.get('/chats', async function chats () { return BODY })
await app.listen({ host: HOST, port: 0 })
announce(app.server)
