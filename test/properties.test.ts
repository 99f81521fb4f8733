import { test } from 'tap'
import fc from 'fast-check'
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyScopes, { defineScopes, type ScopeDefinitions, type ScopeRequirement } from '../src/index.js'
import { SECRET } from './helpers.js'
import { buildHarness, violations, type Answer, type Counters, type Expected } from './invariants.js'
import { b64url, signHs256 } from './tokens.js'

// Property-based tests: the HTTP decision equals a small reference model for random registries,
// requirements and grants; random claims, headers and tokens never produce a 5xx or a crash.
// FC_RUNS scales every property (default 1: about 3,000 decisions per property).

const SCALE = Number(process.env.FC_RUNS ?? 1)
const HS = { alg: 'HS256', typ: 'JWT' }

/** Lets the event loop breathe in tight inject loops (see NOTES: the heap grows otherwise). */
let calls = 0
async function breathe (): Promise<void> {
  if (++calls % 50 === 0) await new Promise((resolve) => setImmediate(resolve))
}

function fail (problems: string[], context: unknown): void {
  if (problems.length > 0) throw new Error(`${problems.join('; ')} for ${JSON.stringify(context).slice(0, 300)}`)
}

// ---------------------------------------------------------------------------------------------
// The reference model of a decision.

type Requirement = { allOf: number[] } | { anyOf: Array<number | number[]> }

interface World {
  /** implies[i]: the indices scope i implies directly (always lower indices: no cycle). */
  readonly implies: number[][]
  readonly routes: Requirement[]
  readonly grants: Array<{ entries: Array<number | string>, asArray: boolean, claim: 'scope' | 'scp' }>
}

const nameOf = (index: number): string => `s${index}:x`

/** The scopes a grant holds, with every implied scope added (the model of `implies`). */
function closure (world: World, granted: readonly number[]): Set<number> {
  const held = new Set<number>()
  const pending = [...granted]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (held.has(next)) continue
    held.add(next)
    pending.push(...(world.implies[next] ?? []))
  }
  return held
}

function modelAllows (requirement: Requirement, held: Set<number>): boolean {
  if ('allOf' in requirement) return requirement.allOf.every((index) => held.has(index))
  return requirement.anyOf.some((alternative) => (typeof alternative === 'number' ? [alternative] : alternative).every((index) => held.has(index)))
}

function modelChallengeScope (requirement: Requirement): string[] {
  const first = 'allOf' in requirement ? requirement.allOf : requirement.anyOf[0]
  const names = (typeof first === 'number' ? [first] : first ?? []).map(nameOf)
  return [...new Set(names)]
}

function toConfig (requirement: Requirement): ScopeRequirement {
  if ('allOf' in requirement) return requirement.allOf.map(nameOf)
  return { anyOf: requirement.anyOf.map((alternative) => typeof alternative === 'number' ? nameOf(alternative) : alternative.map(nameOf)) }
}

const worldArbitrary: fc.Arbitrary<World> = fc.integer({ min: 2, max: 8 }).chain((size) => {
  const index = fc.integer({ min: 0, max: size - 1 })
  const implies = fc.tuple(...Array.from({ length: size }, (_, at) =>
    at === 0 ? fc.constant([] as number[]) : fc.uniqueArray(fc.integer({ min: 0, max: at - 1 }), { maxLength: 2 })))
  const requirement: fc.Arbitrary<Requirement> = fc.oneof(
    fc.record({ allOf: fc.array(index, { maxLength: 3 }) }),
    fc.record({ anyOf: fc.array(fc.oneof(index, fc.array(index, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 3 }) })
  )
  const grant = fc.record({
    entries: fc.array(fc.oneof(index, fc.constantFrom('unknown:x', 'S0:X', 's0:x2', '')), { maxLength: 6 }),
    asArray: fc.boolean(),
    claim: fc.constantFrom('scope' as const, 'scp' as const)
  })
  return fc.record({ implies, routes: fc.array(requirement, { minLength: 4, maxLength: 4 }), grants: fc.array(grant, { minLength: 8, maxLength: 8 }) })
})

test('the HTTP decision equals the reference model for random registries, requirements and grants', async (t) => {
  let decisions = 0
  await fc.assert(fc.asyncProperty(worldArbitrary, async (world) => {
    const definitions: Record<string, Record<string, string | { description: string, implies: string[] }>> = { R: {} }
    world.implies.forEach((targets, at) => {
      (definitions.R as Record<string, unknown>)[nameOf(at)] = targets.length === 0 ? 'd' : { description: 'd', implies: targets.map(nameOf) }
    })
    const registry = defineScopes(definitions as ScopeDefinitions)
    const app = Fastify()
    const counters: Counters = { handler: 0, errorHandler: 0 }
    try {
      await app.register(fastifyJwt, { secret: SECRET })
      await app.register(fastifyScopes, { registry })
      world.routes.forEach((requirement, at) => {
        app.get(`/r${at}`, { config: { scopes: toConfig(requirement) } }, async (request) => {
          counters.handler++
          return { ok: true, scopes: [...request.scopes] }
        })
      })
      await app.ready()
      for (const grant of world.grants) {
        const names = grant.entries.map((entry) => typeof entry === 'number' ? nameOf(entry) : entry)
        const token = signHs256(HS, { [grant.claim]: grant.asArray ? names : names.join(' ') }, SECRET)
        const known = grant.entries.filter((entry): entry is number => typeof entry === 'number')
        // A string claim is split on single spaces: an empty entry never names a scope.
        const held = closure(world, known)
        for (const [at, requirement] of world.routes.entries()) {
          counters.handler = 0
          counters.errorHandler = 0
          const response = await app.inject({ url: `/r${at}`, headers: { authorization: `Bearer ${token}` } })
          const allowed = modelAllows(requirement, held)
          const expected: Expected = allowed
            ? { status: 200, body: { ok: true, scopes: [...new Set(known.map(nameOf))] } }
            : { status: 403, error: 'insufficient_scope', scope: modelChallengeScope(requirement) }
          fail(violations({ statusCode: response.statusCode, headers: response.headers, body: response.body }, expected, counters, registry), { world, grant, at })
          decisions++
          await breathe()
        }
      }
    } finally {
      await app.close()
    }
  }), { numRuns: Math.round(100 * SCALE) })
  t.ok(decisions >= 3000 * SCALE, `${decisions} decisions matched the model`)
})

test('random JSON values as the scope claim never answer 5xx and grant read:chat only when it is there', async (t) => {
  const harness = await buildHarness(t)
  const claimValue = fc.oneof(
    fc.jsonValue(),
    fc.array(fc.oneof(fc.constant('read:chat'), fc.jsonValue()), { maxLength: 5 }),
    fc.array(fc.constantFrom('read:chat', 'read:self', ' ', '\t', 'read:cha', 'READ:chat', '\u00a0'), { maxLength: 6 }).map((parts) => parts.join(''))
  )
  let runs = 0
  await fc.assert(fc.asyncProperty(claimValue, fc.constantFrom('scope', 'scp'), async (value, claim) => {
    const text = `{"${claim}":${JSON.stringify(value) ?? 'null'}}`
    const decoded = (JSON.parse(text) as Record<string, unknown>)[claim]
    const holds = typeof decoded === 'string'
      ? decoded.split(' ').includes('read:chat')
      : Array.isArray(decoded) && decoded.includes('read:chat')
    const answer = await harness.run({ url: '/chats', headers: { authorization: `Bearer ${signHs256(HS, text, SECRET)}` } })
    const expected: Expected = holds ? { status: 200, body: undefined } : { status: 403, error: 'insufficient_scope', scope: ['read:chat'] }
    fail(violations(answer, expected, harness.counters), value)
    runs++
    await breathe()
  }), { numRuns: Math.round(3000 * SCALE) })
  t.equal(runs, Math.round(3000 * SCALE))
})

// Field-value characters (RFC 9110 §5.5): HTAB, SP, VCHAR and obs-text.
const FIELD_CHARS = ['\t', ...Array.from({ length: 0x7f - 0x20 }, (_, at) => String.fromCharCode(0x20 + at)), ...Array.from({ length: 0x80 }, (_, at) => String.fromCharCode(0x80 + at))]
const fieldChar = fc.constantFrom(...FIELD_CHARS)

/** The documented answer to an Authorization header carrying no valid token (src/authenticate.ts). */
function modelHeader (header: string): Expected {
  const space = header.indexOf(' ')
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase()
  if (scheme !== 'bearer') return scheme.startsWith('bearer\t') ? { status: 400, error: 'invalid_request' } : { status: 401 }
  const token = space === -1 ? '' : header.slice(space + 1)
  if (token === '' || token.includes(' ')) return { status: 400, error: 'invalid_request' }
  return { status: 401, error: 'invalid_token' }
}

test('random strings as the Authorization header never answer 5xx and match the documented answer', async (t) => {
  const harness = await buildHarness(t)
  const header = fc.oneof(
    fc.string({ unit: fieldChar, maxLength: 64 }),
    fc.string({ unit: fieldChar, maxLength: 64 }).map((rest) => `Bearer ${rest}`),
    fc.tuple(fc.constantFrom('bearer', 'BEARER', 'Bearer\t', 'Basic', 'bearer  '), fc.string({ unit: fieldChar, maxLength: 64 })).map(([scheme, rest]) => `${scheme} ${rest}`),
    fc.string({ unit: fc.constantFrom('a', '.', ' ', '\t', '-', '_', '='), maxLength: 32 }).map((rest) => `Bearer ${rest}`)
  )
  let runs = 0
  await fc.assert(fc.asyncProperty(header, async (authorization) => {
    const answer = await harness.run({ url: '/chats', headers: { authorization } })
    fail(violations(answer, modelHeader(authorization), harness.counters), authorization)
    runs++
    await breathe()
  }), { numRuns: Math.round(3000 * SCALE) })
  t.equal(runs, Math.round(3000 * SCALE))
})

test('random bytes as the token always answer 401 invalid_token', async (t) => {
  const harness = await buildHarness(t)
  const bytes = fc.uint8Array({ minLength: 1, maxLength: 256 })
  const token = fc.oneof(
    bytes.map((value) => b64url(Buffer.from(value))),
    fc.tuple(bytes, bytes, fc.uint8Array({ maxLength: 64 })).map(([header, payload, signature]) => `${b64url(Buffer.from(header))}.${b64url(Buffer.from(payload))}.${b64url(Buffer.from(signature))}`),
    fc.tuple(fc.jsonValue(), fc.uint8Array({ maxLength: 64 })).map(([payload, signature]) => `${b64url(HS)}.${b64url(JSON.stringify(payload) ?? 'null')}.${b64url(Buffer.from(signature))}`),
    // Bytes as latin1 text, minus controls and the space (a space makes two tokens: a 400).
    bytes.map((value) => Buffer.from(value.filter((byte) => byte > 0x20 && byte !== 0x7f)).toString('latin1')).filter((text) => text.length > 0)
  )
  let runs = 0
  await fc.assert(fc.asyncProperty(token, async (value) => {
    const answer = await harness.run({ url: '/chats', headers: { authorization: `Bearer ${value}` } })
    fail(violations(answer, { status: 401, error: 'invalid_token', secrets: value.length >= 12 ? [value] : [] }, harness.counters), value)
    runs++
    await breathe()
  }), { numRuns: Math.round(3000 * SCALE) })
  t.equal(runs, Math.round(3000 * SCALE))
})

test('random signed payloads never answer 5xx and never grant read:chat unless the claim holds it', async (t) => {
  const harness = await buildHarness(t)
  const key = fc.oneof(fc.constantFrom('scope', 'scp', '__proto__', 'constructor', 'toString', 'exp', 'nbf', 'iat', 'iss', 'aud'), fc.string({ maxLength: 8 }))
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('read:chat', ['read:chat'], 'read:self read:chat'))
  let runs = 0
  await fc.assert(fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 6 }), async (payload) => {
    const text = JSON.stringify(payload)
    const decoded = JSON.parse(text) as Record<string, unknown>
    const claim = Object.hasOwn(decoded, 'scope') ? decoded.scope : Object.hasOwn(decoded, 'scp') ? decoded.scp : undefined
    const holds = typeof claim === 'string' ? claim.split(' ').includes('read:chat') : Array.isArray(claim) && claim.includes('read:chat')
    const answer: Answer = await harness.run({ url: '/chats', headers: { authorization: `Bearer ${signHs256(HS, text, SECRET)}` } })
    const expected: Expected = answer.statusCode === 401
      ? { status: 401, error: 'invalid_token' }
      : holds ? { status: 200 } : { status: 403, error: 'insufficient_scope', scope: ['read:chat'] }
    fail(violations(answer, expected, harness.counters), payload)
    runs++
    await breathe()
  }), { numRuns: Math.round(2000 * SCALE) })
  t.equal(runs, Math.round(2000 * SCALE))
})
