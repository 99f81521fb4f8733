import { createRequire } from 'node:module'
import type { FastifyInstance } from 'fastify'
import { FST_SCOPES_MISSING_SECURITY_SCHEME } from './errors.js'
import { addScopesToDocument, type DocumentContext } from './openapi.js'

type SwaggerDecorator = (options?: { yaml?: boolean }) => unknown
type StringifyYaml = (value: unknown, options: { strict: boolean }) => string

let stringifyYaml: StringifyYaml | undefined

/** `yaml`'s stringify, as `@fastify/swagger` (whose dependency it is) uses it for its own YAML. */
function loadYaml (): StringifyYaml {
  if (stringifyYaml === undefined) {
    const swaggerEntry = createRequire(import.meta.url).resolve('@fastify/swagger')
    stringifyYaml = (createRequire(swaggerEntry)('yaml') as { stringify: StringifyYaml }).stringify
  }
  return stringifyYaml
}

/**
 * Wraps `@fastify/swagger`'s decorator: the document it builds (once; it caches it) gets the
 * plugin's scheme and operation security before anyone sees it. The YAML form is made from that
 * document, `@fastify/swagger`'s own YAML being built apart from its JSON.
 */
function wrapSwagger (original: SwaggerDecorator, context: DocumentContext): SwaggerDecorator {
  let described: unknown
  let yamlText: string | undefined
  return function swaggerWithScopes (options?: { yaml?: boolean }) {
    if (options?.yaml === true) {
      yamlText ??= loadYaml()(swaggerWithScopes(), { strict: false })
      return yamlText
    }
    const document = original(options)
    if (document !== described) {
      addScopesToDocument(document as Record<string, unknown>, context)
      described = document
    }
    return document
  }
}

/** The objects owning the decorator `name` that `instances` see: each instance or its nearest ancestor context. */
function findOwners (instances: Iterable<object>, name: string): Set<Record<string, unknown>> {
  const owners = new Set<Record<string, unknown>>()
  for (const instance of instances) {
    for (let at: object | null = instance; at !== null; at = Object.getPrototypeOf(at) as object | null) {
      if (Object.hasOwn(at, name)) {
        owners.add(at as Record<string, unknown>)
        break
      }
    }
  }
  return owners
}

/**
 * Puts the plugin's scopes into the `@fastify/swagger` document, whatever the registration order:
 * at `ready()`, when every plugin is loaded, it wraps the swagger decorator that this context, an
 * ancestor, or a context registered after the plugin holds. The routes themselves only carry a
 * marker until then, so no document can name the scheme before it holds it.
 *
 * @throws FST_SCOPES_MISSING_SECURITY_SCHEME at `ready()` when `@fastify/swagger` is registered but
 * the plugin has neither `openapi.flows` nor `openapi.openIdConnectUrl` to describe its scheme.
 * @example
 * ```ts
 * integrateSwagger(fastify, { registry, openapi, messages })
 * ```
 */
export function integrateSwagger (fastify: FastifyInstance, context: DocumentContext): void {
  const { openapi } = context
  const contexts: object[] = [fastify]
  fastify.addHook('onRegister', function scopesTrackContext (instance) {
    contexts.push(instance)
  })
  fastify.addHook('onReady', async function scopesDescribeInSwagger () {
    const owners = findOwners(contexts, openapi.decorator)
    contexts.length = 0
    if (owners.size === 0) return
    if (openapi.flows === undefined && openapi.openIdConnectUrl === undefined) {
      throw new FST_SCOPES_MISSING_SECURITY_SCHEME(
        '@fastify/swagger is registered, but fastify-scopes has no OAuth 2.0 flow to describe its security scheme with: add ' +
        "`openapi: { flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/oauth/token' } } }` " +
        '(or `openapi: { openIdConnectUrl }`) to the fastify-scopes options, or `openapi: false` to leave the document alone')
    }
    for (const owner of owners) {
      owner[openapi.decorator] = wrapSwagger(owner[openapi.decorator] as SwaggerDecorator, context)
    }
  })
}
