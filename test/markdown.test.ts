import { test } from 'tap'
import { readFile } from 'node:fs/promises'
import { defineScopes, renderScopesMarkdown } from '../src/index.js'
import { seedRegistry } from './helpers.js'

/** The lines of a Markdown section, from its heading to the next heading of the same or a higher level. */
function section (markdown: string, heading: string): string[] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => line.replace(/^#+ /, '') === heading)
  const level = (lines[start] as string).indexOf(' ')
  const end = lines.findIndex((line, at) => at > start && /^#+ /.test(line) && line.indexOf(' ') <= level)
  return lines.slice(start + 1, end === -1 ? undefined : end)
}

/** The "Available Scopes" table: resource → its scope names, and the raw table lines. */
function parseTable (markdown: string): { rows: Array<[string, string[]]>, lines: string[] } {
  const lines = section(markdown, 'Available Scopes').filter((line) => line.startsWith('|'))
  const rows = lines.slice(2).map((line) => {
    const [resource, scopes] = line.slice(1, -1).split('|').map((cell) => cell.trim()) as [string, string]
    return [resource, scopes.split(', ').map((scope) => scope.replaceAll('`', ''))] as [string, string[]]
  })
  return { rows, lines }
}

/** The "Scope Descriptions": scope → description, ignoring the hard break (`\`) some entries have. */
function parseDescriptions (markdown: string): Array<[string, string]> {
  const entries: Array<[string, string]> = []
  const lines = section(markdown, 'Scope Descriptions')
  lines.forEach((line, at) => {
    const name = /^\*\*`(.+)`\*\*\\?$/.exec(line)?.[1]
    if (name !== undefined) entries.push([name, (lines[at + 1] as string).trim()])
  })
  return entries
}

test('the rendered reference has the seed\'s resource table and scope descriptions', async (t) => {
  const seed = await readFile(new URL('./fixtures/seed-scopes.md', import.meta.url), 'utf8')
  const rendered = renderScopesMarkdown(seedRegistry)
  const seedTable = parseTable(seed)
  t.equal(seedTable.rows.length, 9, 'the seed has 9 resources')
  t.same(parseTable(rendered).rows, seedTable.rows)
  t.same(parseTable(rendered).lines, seedTable.lines, 'the table is laid out as the seed\'s, column widths included')
  const seedDescriptions = parseDescriptions(seed)
  t.equal(seedDescriptions.length, 15, 'the seed describes 15 scopes')
  t.same(parseDescriptions(rendered), seedDescriptions)
})

test('the rendered reference is the seed\'s two sections, each description after a hard break', async (t) => {
  const rendered = renderScopesMarkdown(seedRegistry)
  t.ok(rendered.startsWith('## Available Scopes\n\nThe following table lists all available scopes organized by resource:\n\n| Resource '))
  t.match(rendered, '\n### Scope Descriptions\n\n**`read:self`**\\\nAccess your own user profile information, including basic account details and settings.\n')
  t.ok(rendered.endsWith('**`write:agency`**\\\nManage agency team members and invites, including inviting new team members and creators.\n'))
})

test('pipes are escaped in table cells and names with a backtick get a double-backtick code span', async (t) => {
  const registry = defineScopes({ 'Read|Write': { 'a|b': 'Pipe scope', 'c`d': 'Backtick scope' } })
  const rendered = renderScopesMarkdown(registry)
  t.match(rendered, '| Read\\|Write | `a\\|b`, `` c`d `` |')
  t.match(rendered, '**`a|b`**\\\nPipe scope')
  t.match(rendered, '**`` c`d ``**\\\nBacktick scope')
})
