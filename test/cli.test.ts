import { test } from 'tap'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli, USAGE } from '../src/cli.js'
import { renderScopesMarkdown } from '../src/index.js'
import { seedRegistry } from './helpers.js'
import defaultRegistry from './fixtures/default-registry.js'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Runs the command in the repository root and keeps what it wrote. */
async function run (...args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, { cwd: root, stdout: (text) => { stdout += text }, stderr: (text) => { stderr += text } })
  return { code, stdout, stderr }
}

test('docs <module> prints the Markdown reference of the module\'s "registry" export', async (t) => {
  t.same(await run('docs', 'examples/registry.ts'), { code: 0, stdout: renderScopesMarkdown(seedRegistry), stderr: '' })
})

test('docs falls back to the default export, and --export picks a named one', async (t) => {
  const expected = renderScopesMarkdown(defaultRegistry)
  t.same(await run('docs', 'test/fixtures/default-registry.ts'), { code: 0, stdout: expected, stderr: '' })
  t.same(await run('docs', 'examples/registry.ts', '--export', 'registry'), { code: 0, stdout: renderScopesMarkdown(seedRegistry), stderr: '' })
})

test('--out writes the reference to a file', async (t) => {
  const dir = t.testdir()
  const out = join(dir, 'scopes.md')
  const result = await run('docs', 'examples/registry.ts', '--out', out)
  t.same(result, { code: 0, stdout: '', stderr: `fastify-scopes: wrote ${out}\n` })
  t.equal(await readFile(out, 'utf8'), renderScopesMarkdown(seedRegistry))
})

test('a module without a registry exits 1 saying which export was looked for', async (t) => {
  t.same(await run('docs', 'test/fixtures/default-registry.ts', '--export', 'notARegistry'), {
    code: 1,
    stdout: '',
    stderr: 'test/fixtures/default-registry.ts has no registry built by defineScopes() in the export "notARegistry": pass --export <name>\n'
  })
  t.same(await run('docs', 'test/helpers.ts'), {
    code: 1,
    stdout: '',
    stderr: 'test/helpers.ts has no registry built by defineScopes() in a "registry" or default export: pass --export <name>\n'
  })
})

test('a wrong command line exits 2 with the usage; --help prints it and exits 0', async (t) => {
  t.same(await run(), { code: 2, stdout: '', stderr: USAGE })
  t.same(await run('serve', 'examples/registry.ts'), { code: 2, stdout: '', stderr: USAGE })
  t.same(await run('docs', 'a.ts', 'b.ts'), { code: 2, stdout: '', stderr: USAGE })
  const unknown = await run('docs', 'examples/registry.ts', '--format', 'html')
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /Unknown option '--format'[\s\S]*Usage: fastify-scopes docs <module>/)
  t.same(await run('--help'), { code: 0, stdout: USAGE, stderr: '' })
})
