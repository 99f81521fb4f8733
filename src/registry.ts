import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { FST_SCOPES_INVALID_REGISTRY } from './errors.js'
import { brandRegistry } from './registry-brand.js'

/** RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ), printable ASCII but space, `"` and `\`. */
export const SCOPE_TOKEN_PATTERN = '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$'

const ScopeTokenSchema = Type.String({ pattern: SCOPE_TOKEN_PATTERN })
const DescriptionSchema = Type.String({ minLength: 1 })
const ScopeEntrySchema = Type.Union([
  DescriptionSchema,
  Type.Object({
    description: DescriptionSchema,
    implies: Type.Optional(Type.Array(ScopeTokenSchema))
  }, { additionalProperties: false })
])
const ResourceSchema = Type.Record(ScopeTokenSchema, ScopeEntrySchema, { additionalProperties: false, minProperties: 1 })
const DefinitionsSchema = Type.Record(Type.String({ minLength: 1 }), ResourceSchema, { minProperties: 1 })
const definitionsChecker = TypeCompiler.Compile(DefinitionsSchema)

/** A scope's entry in `defineScopes()`: its description, or the description and the scopes it implies. */
export type ScopeEntry = string | { readonly description: string, readonly implies?: readonly string[] }

/** The argument of `defineScopes()`: resources, each mapping scope names to their entry. */
export type ScopeDefinitions = Readonly<Record<string, Readonly<Record<string, ScopeEntry>>>>

/** The union of the scope names a `defineScopes()` argument declares. */
export type ScopeNamesOf<D extends ScopeDefinitions> = { [R in keyof D]: keyof D[R] & string }[keyof D]

/** One scope of the registry. */
export interface Scope<Name extends string = string> {
  readonly name: Name
  readonly resource: string
  readonly description: string
  /** The scopes that holding this one also grants, as declared (not transitively). */
  readonly implies: readonly Name[]
}

/** A resource group and its scopes, in declaration order. */
export interface ScopeResource<Name extends string = string> {
  readonly name: string
  readonly scopes: ReadonlyArray<Scope<Name>>
}

/** The immutable registry `defineScopes()` returns: the single source of truth for scopes. */
export interface ScopeRegistry<Name extends string = string> {
  /** Every scope name, in declaration order. */
  readonly names: readonly Name[]
  /** The resource groups, in declaration order. */
  readonly resources: ReadonlyArray<ScopeResource<Name>>
  /** Whether the registry defines `name` (exact, case-sensitive). */
  has (name: string): name is Name
  /** The scope called `name`, or `undefined`. */
  get (name: string): Scope<Name> | undefined
  /**
   * The scopes any one of which satisfies a requirement for `name`: `name` itself and every scope
   * that implies it, directly or through a chain.
   */
  satisfiersOf (name: string): readonly Name[]
}

type Definitions = Static<typeof DefinitionsSchema>

// TypeBox's messages, said in terms of the registry.
const EXPLANATIONS: Readonly<Record<string, string>> = {
  'Unexpected property': 'is not an RFC 6749 scope-token (printable ASCII without space, \'"\' or \'\\\')',
  'Expected union value': 'needs a non-empty description string, or { description, implies? } and nothing else'
}

function describeSchemaErrors (definitions: unknown): string {
  const messages: string[] = []
  for (const error of definitionsChecker.Errors(definitions)) {
    messages.push(`${error.path === '' ? '(root)' : error.path}: ${EXPLANATIONS[error.message] ?? error.message}`)
    if (messages.length === 5) break
  }
  return `${messages.join('; ')} (expected { Resource: { "scope:name": "description" | { description, implies? } } })`
}

function findCycle (impliesOf: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>()
  const path: string[] = []
  const visit = (name: string): string[] | undefined => {
    const seen = state.get(name)
    if (seen === 'done') return undefined
    if (seen === 'visiting') return path.slice(path.indexOf(name)).concat(name)
    state.set(name, 'visiting')
    path.push(name)
    for (const next of impliesOf.get(name) as readonly string[]) {
      const cycle = visit(next)
      if (cycle !== undefined) return cycle
    }
    path.pop()
    state.set(name, 'done')
    return undefined
  }
  for (const name of impliesOf.keys()) {
    const cycle = visit(name)
    if (cycle !== undefined) return cycle
  }
  return undefined
}

/**
 * Builds the immutable scope registry from scopes grouped by resource, validating it.
 *
 * @throws FST_SCOPES_INVALID_REGISTRY naming the offending entry: a name that is not an RFC 6749
 * scope-token, an empty description, a name defined twice, an `implies` target that is not in the
 * registry, or a cycle of `implies`.
 * @example
 * ```ts
 * const registry = defineScopes({
 *   User: { 'read:self': 'Access your own user profile information' },
 *   Chat: {
 *     'read:chat': 'Read chat conversations',
 *     'write:chat': { description: 'Send messages', implies: ['read:chat'] }
 *   }
 * })
 * registry.has('read:chat') // true
 * ```
 */
export function defineScopes<const D extends ScopeDefinitions> (definitions: D): ScopeRegistry<ScopeNamesOf<D>> {
  if (!definitionsChecker.Check(definitions)) {
    throw new FST_SCOPES_INVALID_REGISTRY(describeSchemaErrors(definitions))
  }
  const checked: Definitions = definitions
  const scopes = new Map<string, Scope>()
  const resources: ScopeResource[] = []
  for (const resource of Object.keys(checked)) {
    const members: Scope[] = []
    const entries = checked[resource] as Definitions[string]
    for (const name of Object.keys(entries)) {
      const entry = entries[name] as ScopeEntry
      const existing = scopes.get(name)
      if (existing !== undefined) {
        throw new FST_SCOPES_INVALID_REGISTRY(`scope "${name}" is defined twice, in resources "${existing.resource}" and "${resource}"`)
      }
      const scope: Scope = Object.freeze({
        name,
        resource,
        description: typeof entry === 'string' ? entry : entry.description,
        implies: Object.freeze(typeof entry === 'string' ? [] : [...(entry.implies ?? [])])
      })
      scopes.set(name, scope)
      members.push(scope)
    }
    resources.push(Object.freeze({ name: resource, scopes: Object.freeze(members) }))
  }

  const impliesOf = new Map<string, readonly string[]>()
  for (const scope of scopes.values()) {
    for (const target of scope.implies) {
      if (!scopes.has(target)) {
        throw new FST_SCOPES_INVALID_REGISTRY(`scope "${scope.name}" implies "${target}", which the registry does not define`)
      }
    }
    impliesOf.set(scope.name, scope.implies)
  }
  const cycle = findCycle(impliesOf)
  if (cycle !== undefined) {
    throw new FST_SCOPES_INVALID_REGISTRY(`implies forms a cycle: ${cycle.join(' -> ')}`)
  }

  const satisfiers = computeSatisfiers(scopes)
  const names = Object.freeze([...scopes.keys()])
  const registry: ScopeRegistry = {
    names,
    resources: Object.freeze(resources),
    has: (name: string): name is string => scopes.has(name),
    get: (name: string) => scopes.get(name),
    satisfiersOf: (name: string) => satisfiers.get(name) ?? []
  }
  return brandRegistry(Object.freeze(registry)) as ScopeRegistry<ScopeNamesOf<D>>
}

/** For each scope, itself followed by every scope that implies it transitively (declaration order). */
function computeSatisfiers (scopes: ReadonlyMap<string, Scope>): Map<string, readonly string[]> {
  const impliedBy = new Map<string, string[]>()
  for (const scope of scopes.values()) {
    for (const target of scope.implies) {
      const sources = impliedBy.get(target) ?? []
      sources.push(scope.name)
      impliedBy.set(target, sources)
    }
  }
  const satisfiers = new Map<string, readonly string[]>()
  for (const name of scopes.keys()) {
    const found = new Set<string>([name])
    const pending = [name]
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      for (const source of impliedBy.get(next) ?? []) {
        if (!found.has(source)) {
          found.add(source)
          pending.push(source)
        }
      }
    }
    satisfiers.set(name, Object.freeze([...found]))
  }
  return satisfiers
}
