import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import fastifyJwt, { type FastifyJWTOptions } from '@fastify/jwt'
import fastifyScopes, { type FastifyScopesOptions } from '../src/index.js'
import { registry } from './registry.js'
import { resourceRoutes } from './routes.js'

/** How the example API verifies tokens and what it adds around its routes. */
export interface ExampleAppOptions {
  /** @fastify/jwt options: a shared secret for development tokens, or the JWKS setup of examples/jwt-options.ts. */
  readonly jwt: FastifyJWTOptions
  /** Extra fastify-scopes options (the registry is always the seed's). */
  readonly scopes?: Partial<FastifyScopesOptions>
  /** Serve `POST /dev/token`, which signs a token with the scopes asked for (shared-secret setups only). */
  readonly devTokens?: boolean
  /** The authorization server's token endpoint, for the docs' OAuth 2.0 client-credentials flow. */
  readonly tokenUrl?: string | undefined
  readonly fastify?: FastifyServerOptions
}

/**
 * The seed's API: one route per scope at least, guarded by fastify-scopes with the seed's
 * registry. Registration order: @fastify/jwt, then fastify-scopes, then the routes.
 */
export async function buildExampleApp (options: ExampleAppOptions): Promise<FastifyInstance> {
  const app = Fastify(options.fastify)
  await app.register(fastifyJwt, options.jwt)
  await app.register(fastifyScopes, { registry, strict: true, ...options.scopes })

  app.get('/health', { config: { scopes: false } }, async () => ({ status: 'ok' }))
  await app.register(resourceRoutes)

  if (options.devTokens === true) {
    app.post<{ Body: { scopes?: unknown, expiresIn?: unknown } }>('/dev/token', {
      config: { scopes: false },
      schema: {
        body: {
          type: 'object',
          properties: {
            scopes: { type: 'array', items: { type: 'string' } },
            expiresIn: { type: 'string', default: '1h' }
          },
          required: ['scopes'],
          additionalProperties: false
        }
      }
    }, async (request) => {
      const { scopes, expiresIn } = request.body as { scopes: string[], expiresIn: string }
      const token = app.jwt.sign({ sub: 'dev-user', client_id: 'dev-client', scope: scopes.join(' ') }, { expiresIn })
      return { access_token: token, token_type: 'Bearer', scope: scopes.join(' ') }
    })
  }
  return app
}
