import { FST_SCOPES_MISSING_SECURITY_SCHEME } from './errors.js'
import type { ErrorMessages, OpenApiFlows, ResolvedOpenApi } from './options.js'
import type { ScopeRegistry } from './registry.js'
import { needsNoScope, type CompiledRequirement } from './requirement.js'
import { errorBodyJsonSchema } from './response-schemas.js'

/**
 * The extension that carries a route's requirement from its schema into the operation
 * `@fastify/swagger` builds (it copies every `x-` key of a schema). The document hook turns it into
 * `security`, responses and description, then removes it.
 */
export const SCOPES_MARKER = 'x-fastify-scopes'

/** What the marker holds: the requirement's alternatives (`false` for a public route), and the route's own `security` when it names our scheme. */
interface Marker {
  readonly scopes: string[][] | false
  readonly security?: unknown
}

/** What the document hook needs to describe the plugin's scopes. */
export interface DocumentContext {
  readonly registry: ScopeRegistry
  readonly openapi: ResolvedOpenApi
  readonly messages: Required<ErrorMessages>
}

type Json = Record<string, unknown>

function namesScheme (security: unknown, scheme: string): boolean {
  return Array.isArray(security) && security.some((entry) => typeof entry === 'object' && entry !== null && Object.hasOwn(entry, scheme))
}

/**
 * A copy of the route's schema carrying the marker. A `security` of the route's own that names the
 * plugin's scheme moves into the marker: `@fastify/swagger` would throw on it, the scheme not being
 * in its document yet, and the document hook puts it back untouched.
 *
 * @example
 * ```ts
 * routeOptions.schema = markRouteSchema(routeOptions.schema, requirement, 'oauth2')
 * ```
 */
export function markRouteSchema (schema: Json | undefined, requirement: CompiledRequirement | null, scheme: string): Json {
  const { security, ...rest } = schema ?? {}
  const ownsOurs = namesScheme(security, scheme)
  const marker: Marker = {
    scopes: requirement === null ? false : requirement.alternatives.map((names) => [...names]),
    ...(ownsOurs ? { security } : {})
  }
  return { ...rest, ...(security === undefined || ownsOurs ? {} : { security }), [SCOPES_MARKER]: marker }
}

// OpenAPI 3 flow name → Swagger 2.0 `flow`.
const SWAGGER2_FLOWS = { implicit: 'implicit', password: 'password', clientCredentials: 'application', authorizationCode: 'accessCode' } as const

function scopeDescriptions (registry: ScopeRegistry): Record<string, string> {
  const scopes: Record<string, string> = {}
  for (const resource of registry.resources) {
    for (const scope of resource.scopes) scopes[scope.name] = scope.description
  }
  return scopes
}

/** The registry's resource groups, readable in Swagger UI and by tools (`x-scope-resources`). */
function schemeMetadata (registry: ScopeRegistry): Json {
  const groups = registry.resources.map((resource) => `${resource.name} (${resource.scopes.map((scope) => scope.name).join(', ')})`)
  return {
    description: `OAuth 2.0 access token. Scopes by resource: ${groups.join(', ')}.`,
    'x-scope-resources': registry.resources.map((resource) => ({ name: resource.name, scopes: resource.scopes.map((scope) => scope.name) }))
  }
}

/**
 * The plugin's security schemes for an OpenAPI 3 document (`components.securitySchemes`) or a
 * Swagger 2.0 one (`securityDefinitions`, one per flow: the first flow keeps the scheme's name, the
 * others get `_<flow>` appended). Every flow lists every registry scope with its description.
 *
 * @throws FST_SCOPES_MISSING_SECURITY_SCHEME for an `openIdConnect` scheme in a Swagger 2.0 document.
 */
export function buildSecuritySchemes (context: DocumentContext, swagger2: boolean): Record<string, Json> {
  const { registry, openapi } = context
  const name = openapi.securityScheme
  const scopes = scopeDescriptions(registry)
  const flows = openapi.flows as OpenApiFlows
  if (openapi.openIdConnectUrl !== undefined) {
    if (swagger2) {
      throw new FST_SCOPES_MISSING_SECURITY_SCHEME('Swagger 2.0 has no openIdConnect security scheme: give fastify-scopes `openapi.flows` ' +
        'instead of `openapi.openIdConnectUrl`, or have @fastify/swagger generate OpenAPI 3 (its `openapi` option)')
    }
    return { [name]: { type: 'openIdConnect', openIdConnectUrl: openapi.openIdConnectUrl, ...schemeMetadata(registry), 'x-scopes': scopes } }
  }
  const entries = Object.entries(flows) as Array<[keyof OpenApiFlows, Json]>
  if (!swagger2) {
    const documented = Object.fromEntries(entries.map(([flow, urls]) => [flow, { ...urls, scopes: { ...scopes } }]))
    return { [name]: { type: 'oauth2', flows: documented, ...schemeMetadata(registry) } }
  }
  return Object.fromEntries(entries.map(([flow, { refreshUrl: _refreshUrl, ...urls }], index) => [
    index === 0 ? name : `${name}_${SWAGGER2_FLOWS[flow]}`,
    { type: 'oauth2', flow: SWAGGER2_FLOWS[flow], ...urls, scopes: { ...scopes }, ...schemeMetadata(registry) }
  ]))
}

const code = (name: string): string => `\`${name}\``

function listAll (names: readonly string[]): string {
  return names.length === 1 ? code(names[0] as string) : `${names.slice(0, -1).map(code).join(', ')} and ${code(names.at(-1) as string)}`
}

/**
 * What a requirement needs, in a sentence for the operation's description; scopes that
 * `implies` makes acceptable too are named.
 *
 * @example
 * ```ts
 * describeRequirement([['read:insights'], ['read:creator', 'read:fan']], registry)
 * // 'Required scopes: `read:insights`, or `read:creator` and `read:fan`.'
 * ```
 */
export function describeRequirement (alternatives: readonly string[][], registry: ScopeRegistry): string {
  if (needsNoScope(alternatives)) {
    return 'Requires a valid access token; no particular scope.'
  }
  const needed = alternatives.map(listAll).join(', or ')
  const implied = [...new Set(alternatives.flat())].flatMap((name) => {
    const others = registry.satisfiersOf(name).filter((other) => other !== name)
    return others.length === 0 ? [] : [` ${code(name)} is also granted by ${others.map(code).join(', ')}.`]
  })
  const count = alternatives.length === 1 && (alternatives[0] as string[]).length === 1 ? 'scope' : 'scopes'
  return `Required ${count}: ${needed}.${implied.join('')}`
}

const CHALLENGE = 'The RFC 6750 `Bearer` challenge, with `error` and, for 403, the `scope` the request needs'

function errorResponse (status: 401 | 403, message: string, swagger2: boolean): Json {
  const description = status === 401
    ? 'Unauthorized: the access token is missing, expired or invalid'
    : 'Forbidden: the access token lacks a required scope'
  if (swagger2) {
    return {
      description,
      headers: { 'WWW-Authenticate': { type: 'string', description: CHALLENGE } },
      schema: errorBodyJsonSchema(),
      examples: { 'application/json': { error: message } }
    }
  }
  return {
    description,
    headers: { 'WWW-Authenticate': { description: CHALLENGE, schema: { type: 'string' } } },
    content: { 'application/json': { schema: errorBodyJsonSchema(), example: { error: message } } }
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

function describeOperation (operation: Json, marker: Marker, context: DocumentContext, schemes: readonly string[], state: { swagger2: boolean, globalSecurity: boolean }): void {
  if (marker.security !== undefined) operation.security = marker.security
  if (marker.scopes === false) {
    if (operation.security === undefined && state.globalSecurity) operation.security = []
    return
  }
  const alternatives = marker.scopes
  operation.security ??= alternatives.flatMap((names) => schemes.map((scheme) => ({ [scheme]: [...names] })))
  const sentence = describeRequirement(alternatives, context.registry)
  operation.description = typeof operation.description === 'string' && operation.description !== ''
    ? `${operation.description}\n\n${sentence}`
    : sentence
  const responses = { ...(operation.responses as Json | undefined) }
  if (!Object.hasOwn(responses, '401')) responses['401'] = errorResponse(401, context.messages.unauthorized, state.swagger2)
  if (!needsNoScope(alternatives) && !Object.hasOwn(responses, '403')) responses['403'] = errorResponse(403, context.messages.insufficientScope, state.swagger2)
  operation.responses = responses
}

/**
 * Adds the plugin's security scheme to a document `@fastify/swagger` built, and to every operation
 * it marked: `security` (one requirement object per alternative), 401 and 403 responses the route
 * does not define, and a sentence naming the scopes in the description. Public operations get
 * `security: []` when the document declares a global requirement. Works on the generated document
 * in place, replacing (never mutating) the objects it shares with the user's swagger options.
 */
export function addScopesToDocument (document: Json, context: DocumentContext): void {
  const swagger2 = typeof document.swagger === 'string'
  const schemes = buildSecuritySchemes(context, swagger2)
  if (swagger2) {
    document.securityDefinitions = { ...(document.securityDefinitions as Json | undefined), ...schemes }
  } else {
    const components = document.components as Json
    document.components = { ...components, securitySchemes: { ...(components.securitySchemes as Json | undefined), ...schemes } }
  }
  const state = { swagger2, globalSecurity: Array.isArray(document.security) && document.security.length > 0 }
  const names = Object.keys(schemes)
  for (const pathItem of Object.values(document.paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const operation = pathItem[method] as Json | undefined
      const marker = operation?.[SCOPES_MARKER] as Marker | undefined
      if (operation === undefined || marker === undefined) continue
      delete operation[SCOPES_MARKER]
      describeOperation(operation, marker, context, names, state)
    }
  }
}
