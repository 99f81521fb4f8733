import Fastify, { type FastifyInstance, type FastifyServerOptions, type InjectOptions } from 'fastify'
import fastifyJwt, { type FastifyJWTOptions } from '@fastify/jwt'
import type { Test } from 'tap'
import fastifyScopes, { type FastifyScopesOptions, type ScopeRegistry } from '../src/index.js'
import { SECRET, seedRegistry } from './helpers.js'

/**
 * The invariants every adversarial test asserts (see the hardening issue): exact status, the
 * handler ran only for a 2xx, the documented body and nothing leaked, one well-formed RFC 6750
 * challenge, the user's error handler never involved, Object.prototype untouched, no unhandled
 * rejection.
 */

export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope'

/** What a request must get. */
export interface Expected {
  readonly status: number
  /** The challenge's `error` (401/400/403); omit for a 401 that must carry none. */
  readonly error?: BearerError
  /** The challenge's `scope` list, exactly (403). */
  readonly scope?: readonly string[]
  /** The JSON body of a 2xx, exactly. */
  readonly body?: unknown
  /** Whether the handler runs; default: exactly when the status is 2xx. */
  readonly handlerRuns?: boolean
  /** Strings that must never appear in the answer: token text, claim values. */
  readonly secrets?: readonly string[]
}

/** An answer from `app.inject()` or from a real socket, reduced to what the invariants read. */
export interface Answer {
  readonly statusCode: number
  readonly headers: Record<string, string | string[] | number | undefined>
  readonly body: string
  readonly method?: string
}

/** The documented bodies of the refusals (default messages). */
export const DENIAL_BODIES: Readonly<Record<number, string>> = {
  400: '{"error":"Bad Request"}',
  401: '{"error":"Unauthorized"}',
  403: '{"error":"Insufficient scopes"}'
}

// RFC 6750 §3: error and error_description values; scope-token (RFC 6749 §3.3); realm is printable ASCII.
const ERROR_CHARS = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/
const SCOPE_VALUE = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/
const PRINTABLE = /^[\x20-\x7E]*$/
const LEAKS = /FAST_JWT_|FST_JWT_|FST_SCOPES_|"stack"|\bat [^\s]+ \(|node_modules|TokenError/

const unhandled: unknown[] = []
process.on('unhandledRejection', (reason) => { unhandled.push(reason) })

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort().join(',')

/** Violations of invariant 6 (and of "no unhandled rejection" so far in this process). */
export function globalViolations (): string[] {
  const problems: string[] = []
  const probe: Record<string, unknown> = {}
  if (probe.scope !== undefined || probe.scp !== undefined) problems.push('Object.prototype has a scope or scp')
  if (Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== prototypeKeys) problems.push('Object.prototype changed')
  if (unhandled.length > 0) problems.push(`${unhandled.length} unhandled rejection(s): ${String(unhandled[0])}`)
  return problems
}

/** Parses a `Bearer` challenge into its parameters, or describes why it is malformed. */
export function parseChallenge (value: string): { params: Map<string, string> } | { problem: string } {
  if (value === 'Bearer') return { params: new Map() }
  if (!value.startsWith('Bearer ')) return { problem: `challenge does not start with "Bearer ": ${value}` }
  const params = new Map<string, string>()
  const param = /([A-Za-z_]+)="((?:[^"\\]|\\.)*)"(, |$)/y
  param.lastIndex = 'Bearer '.length
  while (param.lastIndex < value.length) {
    const match = param.exec(value)
    if (match === null) return { problem: `malformed challenge parameters: ${value}` }
    const [, name, quoted] = match as unknown as [string, string, string]
    if (params.has(name)) return { problem: `parameter ${name} appears twice` }
    params.set(name, quoted.replace(/\\(.)/g, '$1'))
    if (match[3] === '') break
  }
  if (param.lastIndex !== value.length) return { problem: `trailing text in challenge: ${value}` }
  return { params }
}

function challengeViolations (answer: Answer, expected: Expected, registry: ScopeRegistry): string[] {
  const header = answer.headers['www-authenticate']
  const refusal = answer.statusCode === 401 || answer.statusCode === 403 || (answer.statusCode === 400 && expected.error !== undefined)
  if (!refusal) return header === undefined ? [] : [`unexpected WWW-Authenticate on a ${answer.statusCode}: ${String(header)}`]
  if (typeof header !== 'string') return [`expected exactly one WWW-Authenticate, got ${JSON.stringify(header)}`]
  const parsed = parseChallenge(header)
  if ('problem' in parsed) return [parsed.problem]
  const { params } = parsed
  const problems: string[] = []
  for (const [name, value] of params) {
    if (!['realm', 'error', 'error_description', 'error_uri', 'scope', 'resource_metadata'].includes(name)) problems.push(`unknown parameter ${name}`)
    if (name === 'realm' && !PRINTABLE.test(value)) problems.push('realm outside printable ASCII')
    if ((name === 'error' || name === 'error_description' || name === 'error_uri') && !ERROR_CHARS.test(value)) problems.push(`${name} outside RFC 6750 §3's characters`)
    if (name === 'scope') {
      if (!SCOPE_VALUE.test(value)) problems.push(`scope value ${JSON.stringify(value)} is not space-delimited scope-tokens`)
      for (const scope of value.split(' ')) if (!registry.has(scope)) problems.push(`challenge scope ${scope} is not in the registry`)
    }
  }
  if (params.get('error') !== expected.error) problems.push(`challenge error is ${String(params.get('error'))}, expected ${String(expected.error)}`)
  if (expected.scope !== undefined && params.get('scope') !== expected.scope.join(' ')) {
    problems.push(`challenge scope is ${String(params.get('scope'))}, expected ${expected.scope.join(' ')}`)
  }
  if (expected.error !== 'insufficient_scope' && params.has('scope')) problems.push('scope on a challenge that is not insufficient_scope')
  return problems
}

function bodyViolations (answer: Answer, expected: Expected): string[] {
  const problems: string[] = []
  const isHead = answer.method === 'HEAD'
  const documented = DENIAL_BODIES[answer.statusCode]
  if (isHead) {
    if (answer.body !== '') problems.push('a HEAD answer has a body')
  } else if (documented !== undefined && expected.status === answer.statusCode && answer.statusCode !== 400) {
    if (answer.body !== documented) problems.push(`body ${answer.body.slice(0, 200)} is not ${documented}`)
  } else if (answer.statusCode === 400 && expected.error === 'invalid_request') {
    if (answer.body !== documented) problems.push(`body ${answer.body.slice(0, 200)} is not ${String(documented)}`)
  } else if (expected.body !== undefined) {
    let parsed: unknown
    try { parsed = JSON.parse(answer.body) } catch { parsed = answer.body }
    if (JSON.stringify(parsed) !== JSON.stringify(expected.body)) problems.push(`body ${answer.body.slice(0, 200)} is not ${JSON.stringify(expected.body)}`)
  }
  if (LEAKS.test(answer.body)) problems.push(`body leaks an internal detail: ${answer.body.slice(0, 200)}`)
  const headerText = JSON.stringify(answer.headers)
  // A 2xx body is the application's own; refusals must echo nothing of the request.
  const refusal = answer.statusCode >= 300
  for (const secret of refusal ? expected.secrets ?? [] : []) {
    if (secret.length < 6) continue
    if (answer.body.includes(secret)) problems.push(`body contains ${secret.slice(0, 40)}`)
    if (headerText.includes(secret)) problems.push(`headers contain ${secret.slice(0, 40)}`)
  }
  return problems
}

/** Counts of what ran during one request. */
export interface Counters {
  handler: number
  errorHandler: number
}

/** Every invariant violated by `answer` (empty when it is exactly what was expected). */
export function violations (answer: Answer, expected: Expected, counters: Counters, registry: ScopeRegistry = seedRegistry): string[] {
  const problems: string[] = []
  if (answer.statusCode !== expected.status) problems.push(`status ${answer.statusCode}, expected ${expected.status}`)
  if (answer.statusCode >= 500) problems.push(`a ${answer.statusCode}`)
  const handlerShouldRun = expected.handlerRuns ?? (expected.status >= 200 && expected.status < 300)
  if ((counters.handler > 0) !== handlerShouldRun) problems.push(`handler ran ${counters.handler} time(s), expected ${handlerShouldRun ? 1 : 0}`)
  if (counters.errorHandler > 0 && [400, 401, 403].includes(answer.statusCode)) problems.push('the user error handler ran for a refusal')
  problems.push(...bodyViolations(answer, expected), ...challengeViolations(answer, expected, registry), ...globalViolations())
  return problems
}

/** An app wired for adversarial tests, with counters for the handler and the user's error handler. */
export interface Harness {
  readonly app: FastifyInstance
  readonly counters: Counters
  readonly registry: ScopeRegistry
  /** Resets the counters and injects `request`. */
  run (request: InjectOptions): Promise<Answer>
}

export interface HarnessOptions {
  readonly scopes?: Partial<FastifyScopesOptions>
  readonly jwt?: Partial<FastifyJWTOptions>
  readonly fastify?: FastifyServerOptions
  /** Runs before fastify-scopes is registered (hooks that must come first). */
  readonly beforePlugin?: (app: FastifyInstance) => void
  /** Declares extra routes (after the plugin); use `handler` so the counter sees them. */
  readonly routes?: (app: FastifyInstance, handler: (request: { scopes: ReadonlySet<string> }) => Promise<unknown>) => void
}

/**
 * Builds a fresh app: @fastify/jwt, a user error handler that answers 200 (invariant 5),
 * fastify-scopes, and (with the seed registry) the routes GET /chats (read:chat), POST /chats (write:chat), GET /me ([]),
 * GET /feed (anyOf read:post or read:fan + read:creator) and GET /public (false).
 */
export async function buildHarness (t: Test, options: HarnessOptions = {}): Promise<Harness> {
  const app = Fastify(options.fastify)
  t.teardown(() => app.close())
  const counters: Counters = { handler: 0, errorHandler: 0 }
  await app.register(fastifyJwt, { secret: SECRET, ...options.jwt } as FastifyJWTOptions)
  app.setErrorHandler(async function userErrorHandler (_error, _request, reply) {
    counters.errorHandler++
    return reply.code(200).send({ handledByUserErrorHandler: true })
  })
  options.beforePlugin?.(app)
  const registry = options.scopes?.registry ?? seedRegistry
  await app.register(fastifyScopes, { registry, ...options.scopes })
  const handler = async function countingHandler (request: { scopes: ReadonlySet<string> }) {
    counters.handler++
    return { ok: true, scopes: [...request.scopes] }
  }
  if (registry === seedRegistry) {
    app.get('/chats', { config: { scopes: ['read:chat'] } }, handler)
    app.post('/chats', { config: { scopes: ['write:chat'] } }, handler)
    app.get('/me', { config: { scopes: [] } }, handler)
    app.get('/feed', { config: { scopes: { anyOf: ['read:post', ['read:fan', 'read:creator']] } } }, handler)
    app.get('/public', { config: { scopes: false } }, handler)
  }
  options.routes?.(app, handler)
  await app.ready()
  return {
    app,
    counters,
    registry,
    async run (request) {
      counters.handler = 0
      counters.errorHandler = 0
      const response = await app.inject(request)
      return { statusCode: response.statusCode, headers: response.headers, body: response.body, method: request.method ?? 'GET' }
    }
  }
}

/** The token text a request carried, which no answer may echo. */
function tokenSecrets (request: InjectOptions): string[] {
  const header = (request.headers as Record<string, unknown> | undefined)?.authorization
  if (typeof header !== 'string') return []
  const token = header.slice(header.indexOf(' ') + 1)
  return token.length >= 12 ? [token, ...token.split('.').filter((part) => part.length >= 12)] : []
}

/** Injects `request` and asserts every invariant against `expected` (one tap assertion). */
export async function expectAnswer (t: Test, harness: Harness, request: InjectOptions, expected: Expected): Promise<Answer> {
  const answer = await harness.run(request)
  const problems = violations(answer, { ...expected, secrets: [...(expected.secrets ?? []), ...tokenSecrets(request)] }, harness.counters, harness.registry)
  t.same(problems, [], `${answer.statusCode} ${String(answer.headers['www-authenticate'] ?? '')} ${answer.body.slice(0, 80)}`)
  return answer
}

/** The authorization header for `token`. */
export function bearerHeader (token: string, scheme = 'Bearer'): { authorization: string } {
  return { authorization: `${scheme} ${token}` }
}

/** The answers the plugin documents, for brevity in case tables. */
export const NO_CREDENTIALS: Expected = { status: 401 }
export const INVALID_TOKEN: Expected = { status: 401, error: 'invalid_token' }
export const INVALID_REQUEST: Expected = { status: 400, error: 'invalid_request' }
export const insufficient = (...scope: string[]): Expected => ({ status: 403, error: 'insufficient_scope', scope })
export const granted = (...scopes: string[]): Expected => ({ status: 200, body: { ok: true, scopes } })
