import type { FastifyInstance } from 'fastify'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyScopesOptions } from '../src/index.js'

/** Where the example's documentation points clients for tokens. */
export interface ExampleDocsOptions {
  /** The OAuth 2.0 token endpoint of the client-credentials flow shown in Swagger UI. */
  readonly tokenUrl: string
}

/** Where Swagger UI is served; exempt from `strict`, its routes being @fastify/swagger-ui's. */
export const DOCS_PREFIX = '/docs'

/**
 * The fastify-scopes options the docs need: the flow the security scheme describes. The scopes
 * themselves come from the registry; nothing here lists one.
 */
export function docsScopesOptions (options: ExampleDocsOptions): Partial<FastifyScopesOptions> {
  return {
    openapi: { flows: { clientCredentials: { tokenUrl: options.tokenUrl } } },
    strictExempt: [DOCS_PREFIX]
  }
}

/**
 * The example's documentation: the OpenAPI 3.1 document (@fastify/swagger), Swagger UI at
 * `/docs`, and `GET /scopes`, the registry as JSON for clients to discover. Register it after
 * fastify-scopes and before the routes it documents.
 */
export async function exampleDocs (app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'fastify-scopes example API',
        version: '1.0.0',
        description: 'The seed API, every route guarded by the scopes of one registry. See `GET /scopes` for the scopes reference.'
      }
    }
  })
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX })

  app.get('/scopes', {
    config: { scopes: false },
    schema: {
      summary: 'The scopes reference',
      description: 'Every scope the API knows, grouped by resource, with its description and the scopes it implies.',
      response: {
        200: {
          type: 'object',
          properties: {
            resources: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  scopes: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        name: { type: 'string' },
                        description: { type: 'string' },
                        implies: { type: 'array', items: { type: 'string' } }
                      },
                      required: ['name', 'description', 'implies']
                    }
                  }
                },
                required: ['name', 'scopes']
              }
            }
          },
          required: ['resources']
        }
      }
    }
  }, async () => ({
    resources: app.scopes.resources.map((resource) => ({
      name: resource.name,
      scopes: resource.scopes.map(({ name, description, implies }) => ({ name, description, implies }))
    }))
  }))
}
