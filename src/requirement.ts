import { FST_SCOPES_INVALID_ROUTE_CONFIG, FST_SCOPES_UNKNOWN_SCOPE } from './errors.js'
import { claimHolds, claimHoldsAny, scopeMatcher, type GrantedClaim, type ScopeMatcher } from './granted.js'
import type { ScopeRegistry } from './registry.js'

/**
 * What a route needs, in `config.scopes`: `false` (public), `[]` (any valid token), a list (all of
 * them), or `{ anyOf }` (any alternative; an alternative that is a list needs all of its scopes).
 */
export type ScopeRequirement<Name extends string = string> =
  | false
  | readonly Name[]
  | { readonly anyOf: ReadonlyArray<Name | readonly Name[]> }

/** A requirement validated against the registry and frozen, with its check. */
export interface CompiledRequirement {
  /** Each alternative's scopes; `[[]]` when any valid token will do. */
  readonly alternatives: ReadonlyArray<readonly string[]>
  /** Whether a token granting `claim` satisfies the requirement (with `implies`). */
  readonly isSatisfiedBy: (claim: GrantedClaim) => boolean
  /** The scopes of the alternative closest to being satisfied that `claim` lacks. */
  readonly missingFrom: (claim: GrantedClaim) => readonly string[]
}

/** Whether a requirement's alternatives are `[[]]`: any valid token, no particular scope. */
export function needsNoScope (alternatives: ReadonlyArray<readonly string[]>): boolean {
  return alternatives.length === 1 && (alternatives[0] as readonly string[]).length === 0
}

/** Where a requirement was declared, for error messages. */
export interface RequirementSite {
  readonly method: string
  readonly url: string
}

/** A required scope and the matchers of every scope that satisfies it (itself and those implying it). */
interface RequiredScope {
  readonly name: string
  readonly satisfiers: readonly ScopeMatcher[]
}

const USAGE = 'expected false, an array of scope names, or { anyOf: [...] } whose entries are scope names or non-empty arrays of them'

function readAlternatives (spec: unknown, site: RequirementSite): string[][] {
  const invalid = (why: string): Error => new FST_SCOPES_INVALID_ROUTE_CONFIG(site.method, site.url, `${why}; ${USAGE}`)
  const readNames = (value: unknown, where: string): string[] => {
    if (!Array.isArray(value)) throw invalid(`${where} is not an array`)
    for (const name of value) {
      if (typeof name !== 'string') throw invalid(`${where} holds a ${name === null ? 'null' : typeof name}, not a scope name`)
    }
    return [...new Set<string>(value)]
  }
  if (Array.isArray(spec)) return [readNames(spec, 'config.scopes')]
  if (typeof spec !== 'object' || spec === null) {
    throw invalid(`config.scopes is ${typeof spec === 'string' ? `the string "${spec}" (write ["${spec}"])` : String(spec)}`)
  }
  const keys = Object.keys(spec)
  if (keys.length !== 1 || keys[0] !== 'anyOf') throw invalid(`config.scopes has keys [${keys.join(', ')}]`)
  const anyOf: unknown = (spec as { anyOf: unknown }).anyOf
  if (!Array.isArray(anyOf) || anyOf.length === 0) throw invalid('config.scopes.anyOf is not a non-empty array')
  return anyOf.map((alternative: unknown, index) => {
    if (typeof alternative === 'string') return [alternative]
    const names = readNames(alternative, `config.scopes.anyOf[${index}]`)
    if (names.length === 0) throw invalid(`config.scopes.anyOf[${index}] is empty (use config.scopes: [] for "any valid token")`)
    return names
  })
}

const missingFromAlternative = (claim: GrantedClaim, required: readonly RequiredScope[]): string[] =>
  required.filter((scope) => !claimHoldsAny(claim, scope.satisfiers)).map((scope) => scope.name)

/**
 * Validates a route's `config.scopes` against the registry and compiles it into a frozen
 * requirement whose check does no allocation. Returns `null` for `false` (public).
 *
 * @throws FST_SCOPES_INVALID_ROUTE_CONFIG for a malformed value, FST_SCOPES_UNKNOWN_SCOPE for a
 * scope the registry does not define; both name the route.
 * @example
 * ```ts
 * const requirement = compileRequirement(['read:chat'], registry, { method: 'GET', url: '/chats' })
 * requirement?.isSatisfiedBy('read:self read:chat') // true
 * ```
 */
export function compileRequirement (spec: unknown, registry: ScopeRegistry, site: RequirementSite): CompiledRequirement | null {
  if (spec === false) return null
  const alternatives = readAlternatives(spec, site)
  const required: RequiredScope[][] = alternatives.map((names) => names.map((name) => {
    if (!registry.has(name)) throw new FST_SCOPES_UNKNOWN_SCOPE(site.method, site.url, name)
    return { name, satisfiers: registry.satisfiersOf(name).map(scopeMatcher) }
  }))
  return Object.freeze({
    alternatives: Object.freeze(alternatives.map((names) => Object.freeze(names))),
    isSatisfiedBy: buildCheck(required),
    missingFrom (claim: GrantedClaim): readonly string[] {
      // The alternative with the fewest missing scopes, the first on a tie.
      let closest: string[] | undefined
      for (const alternative of required) {
        const missing = missingFromAlternative(claim, alternative)
        if (closest === undefined || missing.length < closest.length) closest = missing
      }
      return closest as string[]
    }
  })
}

/** The fastest check for the requirement's shape: one scope, one alternative, or several. */
function buildCheck (alternatives: ReadonlyArray<readonly RequiredScope[]>): (claim: GrantedClaim) => boolean {
  const [only] = alternatives
  if (alternatives.length === 1 && only !== undefined) {
    if (only.length === 0) return function anyValidToken () { return true }
    const [scope] = only
    if (only.length === 1 && scope !== undefined && scope.satisfiers.length === 1) {
      const [matcher] = scope.satisfiers as [ScopeMatcher]
      return function holdsTheScope (claim) { return claimHolds(claim, matcher) }
    }
  }
  const holdsAll = (claim: GrantedClaim, required: readonly RequiredScope[]): boolean => {
    for (const scope of required) {
      if (!claimHoldsAny(claim, scope.satisfiers)) return false
    }
    return true
  }
  return function holdsAnAlternative (claim) {
    for (const required of alternatives) {
      if (holdsAll(claim, required)) return true
    }
    return false
  }
}
