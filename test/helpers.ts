import { createHmac } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import fastifyJwt, { type FastifyJWTOptions } from '@fastify/jwt'
import type { Test } from 'tap'
import fastifyScopes, { type FastifyScopesOptions } from '../src/index.js'
import { registry as seedRegistry } from '../examples/registry.js'

export const SECRET = 'test-secret-that-is-long-enough-for-hs256'
export { seedRegistry }

export interface BuildOptions {
  scopes?: Partial<FastifyScopesOptions>
  jwt?: Partial<FastifyJWTOptions>
  fastify?: FastifyServerOptions
}

/** A fresh app with @fastify/jwt and fastify-scopes registered (awaited), closed at teardown. */
export async function buildApp (t: Test, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(options.fastify)
  t.teardown(() => app.close())
  await app.register(fastifyJwt, { secret: SECRET, ...options.jwt } as FastifyJWTOptions)
  await app.register(fastifyScopes, { registry: seedRegistry, ...options.scopes })
  return app
}

/** A bearer header for a token signed by the app's @fastify/jwt. */
export function bearer (app: FastifyInstance, payload: Record<string, unknown>, signOptions?: Record<string, unknown>): { authorization: string } {
  return { authorization: `Bearer ${app.jwt.sign(payload, signOptions)}` }
}

/** The handler used by test routes: answers the granted scopes so tests can see the handler ran. */
export async function echoScopes (request: { scopes: ReadonlySet<string> }): Promise<{ ok: true, scopes: string[] }> {
  return { ok: true, scopes: [...request.scopes] }
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url')

/** A token signed with HS256 over exactly the given header and payload, for claims no signer would write. */
export function signRaw (header: object, payload: unknown, key = SECRET): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`
}
