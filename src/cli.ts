import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { renderScopesMarkdown } from './markdown.js'
import { isRegistry } from './registry-brand.js'

/** Where the command writes. */
export interface CliIo {
  readonly cwd: string
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

export const USAGE = `Usage: fastify-scopes docs <module> [--export <name>] [--out <file>]

Writes the scopes reference of the registry that <module> exports as Markdown.
  --export <name>  the export holding the registry (default: "registry", then the default export)
  --out <file>     write to <file> instead of standard output
`

async function loadRegistry (modulePath: string, exportName: string | undefined, cwd: string): Promise<unknown> {
  const namespace = await import(pathToFileURL(resolve(cwd, modulePath)).href) as Record<string, unknown>
  if (exportName !== undefined) return namespace[exportName]
  return namespace.registry ?? namespace.default
}

/**
 * The `fastify-scopes` command: `docs <module>` renders the registry a module exports with
 * `renderScopesMarkdown()`. Returns the exit code.
 *
 * @example
 * ```sh
 * npx fastify-scopes docs ./dist/scopes.js --out docs/scopes.md
 * ```
 */
export async function runCli (args: readonly string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { export: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
    })
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const [command, modulePath, ...extra] = parsed.positionals
  if (parsed.values.help === true) {
    io.stdout(USAGE)
    return 0
  }
  if (command !== 'docs' || modulePath === undefined || extra.length > 0) {
    io.stderr(USAGE)
    return 2
  }
  const registry = await loadRegistry(modulePath, parsed.values.export, io.cwd)
  if (!isRegistry(registry)) {
    const which = parsed.values.export === undefined ? 'a "registry" or default export' : `the export "${parsed.values.export}"`
    io.stderr(`${modulePath} has no registry built by defineScopes() in ${which}: pass --export <name>\n`)
    return 1
  }
  const markdown = renderScopesMarkdown(registry)
  if (parsed.values.out === undefined) {
    io.stdout(markdown)
  } else {
    await writeFile(resolve(io.cwd, parsed.values.out), markdown)
    io.stderr(`fastify-scopes: wrote ${parsed.values.out}\n`)
  }
  return 0
}
