import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { FST_SCOPES_INVALID_OPTIONS } from './errors.js'
import type { ScopeRegistry } from './registry.js'

/** Option `resourceMetadata`: what the RFC 9728 Protected Resource Metadata document says. */
export interface ResourceMetadataOptions {
  /** This API's resource identifier, an `https` (or `http`, for development) URL without fragment; the tokens' audience. */
  readonly resource: string
  /** Issuer identifiers of the authorization servers that issue tokens for this API. */
  readonly authorizationServers?: readonly string[]
  /** Where this API publishes its own keys, if it signs responses. */
  readonly jwksUri?: string
  /** The scopes to advertise. Default: every registry scope. */
  readonly scopesSupported?: readonly string[]
  /** How a token may be sent. Default `['header']`, the only method the plugin reads. */
  readonly bearerMethodsSupported?: ReadonlyArray<'header' | 'body' | 'query'>
  /** A human-readable name of the API. */
  readonly resourceName?: string
  /** URL of the API's documentation for developers. */
  readonly resourceDocumentation?: string
  readonly resourcePolicyUri?: string
  readonly resourceTosUri?: string
}

const UrlSchema = Type.String({ pattern: '^https?://' })

/** The TypeBox schema of option `resourceMetadata`. */
export const ResourceMetadataSchema = Type.Object({
  resource: UrlSchema,
  authorizationServers: Type.Optional(Type.Array(UrlSchema, { minItems: 1 })),
  jwksUri: Type.Optional(UrlSchema),
  scopesSupported: Type.Optional(Type.Array(Type.String())),
  bearerMethodsSupported: Type.Optional(Type.Array(Type.Union([Type.Literal('header'), Type.Literal('body'), Type.Literal('query')]))),
  resourceName: Type.Optional(Type.String({ minLength: 1 })),
  resourceDocumentation: Type.Optional(UrlSchema),
  resourcePolicyUri: Type.Optional(UrlSchema),
  resourceTosUri: Type.Optional(UrlSchema)
}, { additionalProperties: false })

const WELL_KNOWN = '/.well-known/oauth-protected-resource'

/** Where the metadata is served, and its absolute URL for the `resource_metadata` challenge parameter. */
export interface ResourceMetadataLocation {
  readonly path: string
  readonly url: string
}

/**
 * RFC 9728 §3.1: the well-known path is inserted between the resource's host and its path, so
 * `https://api.example/v1` is described at `https://api.example/.well-known/oauth-protected-resource/v1`.
 *
 * @example
 * ```ts
 * locateResourceMetadata('https://api.example/v1').url
 * // 'https://api.example/.well-known/oauth-protected-resource/v1'
 * ```
 */
export function locateResourceMetadata (resource: string): ResourceMetadataLocation {
  const url = new URL(resource)
  if (url.hash !== '' || resource.includes('#')) {
    throw new FST_SCOPES_INVALID_OPTIONS('resourceMetadata.resource: a resource identifier has no fragment (RFC 9728 §1.2)')
  }
  const path = WELL_KNOWN + (url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''))
  return { path, url: url.origin + path }
}

/** The metadata document, with RFC 9728's member names. */
export function buildResourceMetadata (options: ResourceMetadataOptions, registry: ScopeRegistry): Record<string, unknown> {
  const scopes = options.scopesSupported ?? registry.names
  for (const scope of scopes) {
    if (!registry.has(scope)) {
      throw new FST_SCOPES_INVALID_OPTIONS(`resourceMetadata.scopesSupported: "${scope}" is not a registry scope`)
    }
  }
  const document: Record<string, unknown> = {
    resource: options.resource,
    authorization_servers: options.authorizationServers,
    jwks_uri: options.jwksUri,
    scopes_supported: [...scopes],
    bearer_methods_supported: [...(options.bearerMethodsSupported ?? ['header'])],
    resource_name: options.resourceName,
    resource_documentation: options.resourceDocumentation,
    resource_policy_uri: options.resourcePolicyUri,
    resource_tos_uri: options.resourceTosUri
  }
  return Object.fromEntries(Object.entries(document).filter(([, value]) => value !== undefined))
}

/** Serves the metadata document as a public route. */
export function serveResourceMetadata (fastify: FastifyInstance, location: ResourceMetadataLocation, document: Record<string, unknown>): void {
  const body = JSON.stringify(document)
  fastify.get(location.path, { config: { scopes: false } }, async function protectedResourceMetadata (_request, reply) {
    return reply.type('application/json; charset=utf-8').header('cache-control', 'max-age=3600').send(body)
  })
}
