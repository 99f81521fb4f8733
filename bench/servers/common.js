// Helpers shared by the benchmark servers. Each server runs in its own child process started by
// bench/http.js with an IPC channel: it announces its port, then answers CPU-window requests.
import { AUDIENCE, ISSUER, SECRET } from '../lib/tokens.js'

export const HOST = '127.0.0.1'
export const BODY = { ok: true }

/** The @fastify/jwt options every Fastify scenario shares (HS256 unless keys are given). */
export function fastifyJwtOptions (overrides = {}) {
  return {
    secret: SECRET,
    verify: { allowedIss: ISSUER, allowedAud: AUDIENCE, requiredClaims: ['iss', 'aud', 'exp'] },
    ...overrides
  }
}

/** Verifies the bearer token on every request, as a plain `@fastify/jwt` app would. */
export async function verifyJwtHook (request) {
  await request.jwtVerify()
}

/** The scope check one would write by hand, after `verifyJwtHook`: the `hand-written` reference. */
export async function requireReadChat (request, reply) {
  const scope = request.user.scope
  if (typeof scope !== 'string' || !scope.split(' ').includes('read:chat')) {
    return reply.code(403).send({ error: 'Forbidden' })
  }
}

/**
 * Reports the port to the parent and serves the CPU-window protocol: `cpu-start` resets the
 * request counter and snapshots `process.cpuUsage()`; `cpu-stop` answers with the CPU time used
 * and the number of requests served since. Counting on the Node server's `request` event works the
 * same for Fastify, Express and hapi.
 */
export function announce (httpServer) {
  let served = 0
  let start
  httpServer.on('request', function countRequest () { served++ })
  process.on('message', function onControlMessage (message) {
    if (message.type === 'cpu-start') {
      served = 0
      start = process.cpuUsage()
      process.send({ type: 'cpu-started' })
    } else if (message.type === 'cpu-stop') {
      const used = process.cpuUsage(start)
      process.send({ type: 'cpu', userUs: used.user, systemUs: used.system, requests: served })
    }
  })
  // The parent going away (normally or not) ends the server.
  process.on('disconnect', () => process.exit(0))
  process.send({ type: 'ready', port: httpServer.address().port })
}
