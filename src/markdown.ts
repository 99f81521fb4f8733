import type { ScopeRegistry } from './registry.js'

/** A scope name as inline code; a name holding a backtick gets a double-backtick span. */
function codeSpan (name: string): string {
  return name.includes('`') ? `\`\` ${name} \`\`` : `\`${name}\``
}

/** A table cell: GFM splits cells on `|`, even inside code spans. */
function cell (text: string): string {
  return text.replaceAll('|', '\\|')
}

/**
 * The scopes reference as Markdown, in the shape of the seed's "Scopes" page: the table of
 * resources with their scopes, then each scope with its description. Generated from the registry,
 * so the reference never lists a scope the API does not know.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises'
 * await writeFile('docs/scopes.md', renderScopesMarkdown(registry))
 * ```
 */
export function renderScopesMarkdown (registry: ScopeRegistry): string {
  const rows = registry.resources.map((resource) =>
    [cell(resource.name), cell(resource.scopes.map((scope) => codeSpan(scope.name)).join(', '))] as const)
  const resourceWidth = Math.max('Resource'.length, ...rows.map(([resource]) => resource.length))
  const scopesWidth = Math.max('Scopes'.length, ...rows.map(([, scopes]) => scopes.length))
  const row = (left: string, right: string): string => `| ${left.padEnd(resourceWidth)} | ${right.padEnd(scopesWidth)} |`
  const lines = [
    '## Available Scopes',
    '',
    'The following table lists all available scopes organized by resource:',
    '',
    row('Resource', 'Scopes'),
    row('-'.repeat(resourceWidth), '-'.repeat(scopesWidth)),
    ...rows.map(([resource, scopes]) => row(resource, scopes)),
    '',
    '### Scope Descriptions'
  ]
  for (const resource of registry.resources) {
    for (const scope of resource.scopes) {
      lines.push('', `**${codeSpan(scope.name)}**\\`, scope.description)
    }
  }
  return lines.join('\n') + '\n'
}
