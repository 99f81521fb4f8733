import type { ScopeRegistry } from './registry.js'

// Only registries built (and so validated) by defineScopes() are accepted by the plugin.
const builtRegistries = new WeakSet<object>()

/** Records a registry as built by `defineScopes()`. */
export function brandRegistry<R extends ScopeRegistry<string>> (registry: R): R {
  builtRegistries.add(registry)
  return registry
}

/** Whether `value` is a registry built by `defineScopes()`. */
export function isRegistry (value: unknown): value is ScopeRegistry {
  return typeof value === 'object' && value !== null && builtRegistries.has(value)
}
