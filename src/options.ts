import { Type } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { FST_SCOPES_INVALID_OPTIONS } from './errors.js'
import { isRegistry } from './registry-brand.js'
import type { ScopeRegistry } from './registry.js'
import { ResourceMetadataSchema, type ResourceMetadataOptions } from './resource-metadata.js'

/** What the 403 challenge's `scope` attribute lists. */
export type ChallengeScopes = 'required' | 'missing' | 'none'

/** The JSON bodies' `error` messages. */
export interface ErrorMessages {
  /** 401 body, default `'Unauthorized'`. */
  readonly unauthorized?: string
  /** 403 body, default `'Insufficient scopes'`. */
  readonly insufficientScope?: string
  /** 400 body, default `'Bad Request'`. */
  readonly invalidRequest?: string
}

/** Options of `app.register(fastifyScopes, options)`. */
export interface FastifyScopesOptions {
  /** The registry built by `defineScopes()`: the only place scopes are listed. */
  readonly registry: ScopeRegistry
  /**
   * The claims the granted scopes are read from, first present wins (never merged).
   * Default `['scope', 'scp']`.
   */
  readonly scopeClaim?: string | readonly string[]
  /**
   * Replaces claim reading: returns the granted scopes of a verified payload, as a
   * space-delimited string or an array of strings. Called once per checked request.
   */
  readonly getScopes?: (payload: unknown) => string | readonly string[] | undefined
  /** Longest bearer token accepted, in characters; longer ones get 401 before decoding. Default 16384. */
  readonly maxTokenLength?: number
  /** What the 403 challenge's `scope` attribute lists. Default `'required'`. */
  readonly challengeScopes?: ChallengeScopes
  /** The `realm` of every challenge. Default `'api'`. */
  readonly realm?: string
  /** The `error` messages of the JSON bodies. */
  readonly messages?: ErrorMessages
  /** Every route must declare `config.scopes` (`false` for public ones). Default `false`. */
  readonly strict?: boolean
  /** URLs (and everything under them) exempt from `strict`, for routes other plugins add: `['/docs', '/health']`. */
  readonly strictExempt?: readonly string[]
  /** Serve RFC 9728 Protected Resource Metadata and point to it from every challenge. */
  readonly resourceMetadata?: ResourceMetadataOptions
}

/** The options with every default applied. */
export interface ResolvedOptions {
  readonly registry: ScopeRegistry
  readonly scopeClaims: readonly string[]
  readonly getScopes: ((payload: unknown) => unknown) | undefined
  readonly maxTokenLength: number
  readonly challengeScopes: ChallengeScopes
  readonly realm: string
  readonly messages: Required<ErrorMessages>
  readonly strict: boolean
  readonly strictExempt: readonly string[]
  readonly resourceMetadata: ResourceMetadataOptions | undefined
}

const ClaimNameSchema = Type.String({ minLength: 1 })
const MessageSchema = Type.String({ minLength: 1 })

/** The TypeBox schema of the plugin options; `registry` is checked apart, being a built object. */
export const OptionsSchema = Type.Object({
  registry: Type.Unknown(),
  scopeClaim: Type.Optional(Type.Union([ClaimNameSchema, Type.Array(ClaimNameSchema, { minItems: 1 })])),
  getScopes: Type.Optional(Type.Function([Type.Unknown()], Type.Unknown())),
  maxTokenLength: Type.Optional(Type.Integer({ minimum: 1 })),
  challengeScopes: Type.Optional(Type.Union([Type.Literal('required'), Type.Literal('missing'), Type.Literal('none')])),
  // A realm goes into a header: printable ASCII only, so it cannot split or inject a header.
  realm: Type.Optional(Type.String({ pattern: '^[\\x20-\\x7E]*$' })),
  messages: Type.Optional(Type.Object({
    unauthorized: Type.Optional(MessageSchema),
    insufficientScope: Type.Optional(MessageSchema),
    invalidRequest: Type.Optional(MessageSchema)
  }, { additionalProperties: false })),
  strict: Type.Optional(Type.Boolean()),
  strictExempt: Type.Optional(Type.Array(Type.String({ pattern: '^/' }))),
  resourceMetadata: Type.Optional(ResourceMetadataSchema)
}, { additionalProperties: false })

const optionsChecker = TypeCompiler.Compile(OptionsSchema)

/**
 * Validates the plugin options and applies the defaults.
 *
 * @throws FST_SCOPES_INVALID_OPTIONS naming each unknown or mistyped option.
 * @example
 * ```ts
 * const resolved = validateOptions({ registry, challengeScopes: 'missing' })
 * ```
 */
export function validateOptions (options: unknown): ResolvedOptions {
  if (!optionsChecker.Check(options)) {
    const problems: string[] = []
    for (const error of optionsChecker.Errors(options)) {
      const at = error.path === '' ? 'options' : error.path.slice(1).replaceAll('/', '.')
      problems.push(`${at}: ${error.message}`)
      if (problems.length === 5) break
    }
    throw new FST_SCOPES_INVALID_OPTIONS(problems.join('; '))
  }
  if (!isRegistry(options.registry)) {
    throw new FST_SCOPES_INVALID_OPTIONS('registry: expected the registry returned by defineScopes()')
  }
  const claim = options.scopeClaim ?? ['scope', 'scp']
  return {
    registry: options.registry,
    scopeClaims: Object.freeze(typeof claim === 'string' ? [claim] : [...claim]),
    getScopes: options.getScopes,
    maxTokenLength: options.maxTokenLength ?? 16384,
    challengeScopes: options.challengeScopes ?? 'required',
    realm: options.realm ?? 'api',
    messages: {
      unauthorized: options.messages?.unauthorized ?? 'Unauthorized',
      insufficientScope: options.messages?.insufficientScope ?? 'Insufficient scopes',
      invalidRequest: options.messages?.invalidRequest ?? 'Bad Request'
    },
    strict: options.strict ?? false,
    strictExempt: Object.freeze([...(options.strictExempt ?? [])]),
    resourceMetadata: options.resourceMetadata
  }
}
