import Fastify, { type FastifyInstance } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifySwagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import SwaggerParser from '@apidevtools/swagger-parser'
import { Validator } from '@seriousme/openapi-schema-validator'
import type { Test } from 'tap'
import fastifyScopes, { type FastifyScopesOptions } from '../src/index.js'
import { SECRET, seedRegistry } from './helpers.js'

export type Doc = Record<string, any>

export const FLOWS = { clientCredentials: { tokenUrl: '/oauth/token' } } as const

/** The three document versions the integration supports, as @fastify/swagger options. */
export const VERSIONS: Record<'3.0' | '3.1' | '2.0', FastifyDynamicSwaggerOptions> = {
  '3.0': { openapi: { openapi: '3.0.3', info: { title: 'Test API', version: '1.0.0' } } },
  3.1: { openapi: { openapi: '3.1.0', info: { title: 'Test API', version: '1.0.0' } } },
  '2.0': { swagger: { info: { title: 'Test API', version: '1.0.0' } } }
}

export interface DocsAppOptions {
  scopes?: Partial<FastifyScopesOptions>
  swagger?: FastifyDynamicSwaggerOptions
  /** Register @fastify/swagger before @fastify/jwt and fastify-scopes instead of after. */
  swaggerFirst?: boolean
}

/** An app with @fastify/jwt, fastify-scopes (clientCredentials flow) and @fastify/swagger, closed at teardown. */
export async function buildDocsApp (t: Test, options: DocsAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify()
  t.teardown(() => app.close())
  const swagger = options.swagger ?? VERSIONS['3.0']
  if (options.swaggerFirst === true) await app.register(fastifySwagger, swagger)
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(fastifyScopes, { registry: seedRegistry, openapi: { flows: FLOWS }, ...options.scopes })
  if (options.swaggerFirst !== true) await app.register(fastifySwagger, swagger)
  return app
}

/** Validates a generated document: swagger-parser (2.0, 3.0) and the OpenAPI schema validator (2.0, 3.0, 3.1). */
export async function assertValidDocument (t: Test, document: Doc): Promise<void> {
  const validator = new Validator()
  const result = await validator.validate(structuredClone(document))
  t.same(result.errors ?? [], [], `the ${document.openapi ?? document.swagger} document matches its schema`)
  t.ok(result.valid)
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1')) {
    await SwaggerParser.validate(structuredClone(document) as never)
    t.pass('swagger-parser validates the document')
  }
}

/** Every registry scope with its description, as a flow lists them. */
export function registryScopes (): Record<string, string> {
  return Object.fromEntries(seedRegistry.names.map((name) => [name, seedRegistry.get(name)?.description as string]))
}
