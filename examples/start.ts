import { createServer, type AddressInfo } from 'node:net'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { buildExampleApp } from './app.js'
import { startAuthorizationServer, type AuthorizationServer } from './authorization-server.js'
import { rfc9068JwtOptions } from './jwt-options.js'
import { registry } from './registry.js'

/** Where the example runs, and which issuer it trusts. */
export interface ExampleSettings {
  readonly host: string
  /** The API's port; 0 for an ephemeral one (tests). */
  readonly port: number
  /** The embedded authorization server's port; 0 for an ephemeral one. */
  readonly authPort: number
  /** An external issuer: when set, no authorization server is started. */
  readonly issuer?: string
  readonly audience?: string
  readonly jwksUri?: string
  readonly fastify?: FastifyServerOptions
}

/** The demo clients of the embedded authorization server. */
export const DEMO_CLIENTS = [
  { clientId: 'demo-app', clientSecret: 'demo-secret', scopes: registry.names },
  { clientId: 'read-only-app', clientSecret: 'read-only-secret', scopes: registry.names.filter((name) => name.startsWith('read:')) }
] as const

/** The running example: the API, and the authorization server unless an external issuer is used. */
export interface RunningExample {
  readonly app: FastifyInstance
  readonly apiUrl: string
  readonly issuer: string
  readonly authorizationServer: AuthorizationServer | undefined
  close (): Promise<void>
}

/** The port `port` resolves to on `host` (an ephemeral one for 0). */
async function reservePort (host: string, port: number): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve))
  const bound = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return bound
}

/**
 * Starts the example end to end: an oidc-provider authorization server issuing RFC 9068 tokens
 * for the seed's scopes, and the API verifying them through its JWKS.
 */
export async function startExample (settings: ExampleSettings): Promise<RunningExample> {
  // The API's port must be known before the authorization server is told its audience.
  const apiUrl = `http://${settings.host}:${await reservePort(settings.host, settings.port)}`

  const audience = settings.audience ?? apiUrl
  const authorizationServer = settings.issuer === undefined
    ? await startAuthorizationServer({
      host: settings.host,
      port: settings.authPort,
      audience,
      scopes: registry.names,
      clients: DEMO_CLIENTS,
      corsOrigins: [apiUrl]
    })
    : undefined
  const issuer = settings.issuer ?? (authorizationServer as AuthorizationServer).issuer
  const jwksUri = settings.jwksUri ?? authorizationServer?.jwksUri

  const app = await buildExampleApp({
    jwt: rfc9068JwtOptions({ issuer, audience, jwksUri }),
    scopes: { resourceMetadata: { resource: audience, authorizationServers: [issuer], resourceName: 'fastify-scopes example API' } },
    tokenUrl: authorizationServer?.tokenEndpoint,
    fastify: settings.fastify
  })
  await app.listen({ host: settings.host, port: Number(new URL(apiUrl).port) })
  return {
    app,
    apiUrl,
    issuer,
    authorizationServer,
    async close () {
      await app.close()
      await authorizationServer?.close()
    }
  }
}
