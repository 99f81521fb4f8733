import { readFileSync } from 'node:fs'
import { test } from 'tap'
import { defineScopes, errors } from '../src/index.js'
import { registry as seedRegistry } from '../examples/registry.js'

test('keeps names and resources in declaration order, with descriptions', async (t) => {
  const registry = defineScopes({
    User: { 'read:self': 'Own profile' },
    Chat: { 'read:chat': { description: 'Read chats' }, 'write:chat': { description: 'Write chats', implies: ['read:chat'] } }
  })
  t.same(registry.names, ['read:self', 'read:chat', 'write:chat'])
  t.same(registry.resources.map((resource) => [resource.name, resource.scopes.map((scope) => scope.name)]),
    [['User', ['read:self']], ['Chat', ['read:chat', 'write:chat']]])
  t.same(registry.get('write:chat'), { name: 'write:chat', resource: 'Chat', description: 'Write chats', implies: ['read:chat'] })
  t.same(registry.get('read:chat'), { name: 'read:chat', resource: 'Chat', description: 'Read chats', implies: [] })
  t.equal(registry.has('read:chat'), true)
  t.equal(registry.has('READ:CHAT'), false, 'matching is case-sensitive')
  t.equal(registry.get('nope'), undefined)
})

test('is immutable', async (t) => {
  const registry = defineScopes({ Chat: { 'read:chat': 'Read chats' } })
  t.ok(Object.isFrozen(registry))
  t.ok(Object.isFrozen(registry.names))
  t.ok(Object.isFrozen(registry.resources))
  t.ok(Object.isFrozen(registry.get('read:chat')))
  t.throws(() => { (registry.names as string[]).push('x') }, TypeError)
})

test('computes implies transitively into the scopes that satisfy a requirement', async (t) => {
  const registry = defineScopes({
    Chat: {
      'read:chat': 'Read',
      'write:chat': { description: 'Write', implies: ['read:chat'] },
      'admin:chat': { description: 'Admin', implies: ['write:chat'] }
    },
    Fan: { 'read:fan': 'Fans' }
  })
  t.same(registry.satisfiersOf('read:chat'), ['read:chat', 'write:chat', 'admin:chat'])
  t.same(registry.satisfiersOf('admin:chat'), ['admin:chat'])
  t.same(registry.satisfiersOf('read:fan'), ['read:fan'])
  t.same(registry.satisfiersOf('unknown'), [])
})

test('accepts __proto__ and constructor as ordinary scope names', async (t) => {
  const definitions = JSON.parse('{"Odd":{"__proto__":"Proto scope","constructor":"Constructor scope"}}')
  const registry = defineScopes(definitions)
  t.same(registry.names, ['__proto__', 'constructor'])
  t.equal(registry.get('__proto__')?.description, 'Proto scope')
  t.equal(registry.has('toString'), false)
  t.equal(registry.has('hasOwnProperty'), false)
})

const invalid: Array<[string, unknown, RegExp]> = [
  ['a scope name with a space', { Chat: { 'read chat': 'x' } }, /read chat/],
  ['a scope name with a double quote', { Chat: { 'read"chat': 'x' } }, /read"chat/],
  ['a scope name with a backslash', { Chat: { 'read\\chat': 'x' } }, /scope-token/],
  ['a scope name with non-ASCII', { Chat: { 'read:chät': 'x' } }, /read:chät/],
  ['an empty description', { Chat: { 'read:chat': '' } }, /\/Chat\/read:chat/],
  ['an entry without description', { Chat: { 'read:chat': { implies: [] } } }, /read:chat/],
  ['an unknown entry key', { Chat: { 'read:chat': { description: 'x', implise: [] } } }, /read:chat/],
  ['an empty resource', { Chat: {} }, /Chat/],
  ['no resources', {}, /root/],
  ['not an object', 'read:chat', /root/]
]
for (const [what, definitions, message] of invalid) {
  test(`rejects ${what} with FST_SCOPES_INVALID_REGISTRY`, async (t) => {
    const error = t.throws(() => defineScopes(definitions as never)) as Error & { code: string }
    t.equal(error.code, 'FST_SCOPES_INVALID_REGISTRY')
    t.ok(error instanceof errors.FST_SCOPES_INVALID_REGISTRY)
    t.match(error.message, message)
  })
}

test('reports at most five schema problems at once', async (t) => {
  const definitions = Object.fromEntries(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((resource) => [resource, { 'bad name': 'x' }]))
  const error = t.throws(() => defineScopes(definitions)) as Error
  t.equal(error.message.match(/is not an RFC 6749 scope-token/g)?.length, 5)
})

test('rejects a scope defined in two resources, naming both', async (t) => {
  t.throws(() => defineScopes({ Chat: { 'read:chat': 'a' }, Other: { 'read:chat': 'b' } }), {
    code: 'FST_SCOPES_INVALID_REGISTRY',
    message: /scope "read:chat" is defined twice, in resources "Chat" and "Other"/
  })
})

test('rejects implies naming a scope outside the registry', async (t) => {
  t.throws(() => defineScopes({ Chat: { 'write:chat': { description: 'w', implies: ['read:chat'] } } }), {
    code: 'FST_SCOPES_INVALID_REGISTRY',
    message: /scope "write:chat" implies "read:chat", which the registry does not define/
  })
})

test('rejects a cycle of implies, showing it', async (t) => {
  t.throws(() => defineScopes({
    A: {
      a: { description: 'a', implies: ['b'] },
      b: { description: 'b', implies: ['c'] },
      c: { description: 'c', implies: ['a'] }
    }
  }), { code: 'FST_SCOPES_INVALID_REGISTRY', message: /cycle: a -> b -> c -> a/ })
  t.throws(() => defineScopes({ A: { a: { description: 'a', implies: ['a'] } } }), { message: /cycle: a -> a/ })
})

/** Reads the seed's "Available Scopes" table and its "Scope Descriptions" section. */
function readSeed (): { table: Array<[string, string[]]>, descriptions: Map<string, string> } {
  const seed = readFileSync(new URL('./fixtures/seed-scopes.md', import.meta.url), 'utf8')
  const table: Array<[string, string[]]> = []
  const tableText = seed.slice(seed.indexOf('| Resource'), seed.indexOf('### Scope Descriptions'))
  for (const line of tableText.split('\n').slice(2)) {
    const cells = line.split('|').map((cell) => cell.trim())
    if (cells.length < 3 || cells[1] === '') continue
    table.push([cells[1] as string, [...(cells[2] as string).matchAll(/`([^`]+)`/g)].map((match) => match[1] as string)])
  }
  const descriptions = new Map<string, string>()
  const section = seed.slice(seed.indexOf('### Scope Descriptions'), seed.indexOf('## Setting Up Scopes'))
  for (const match of section.matchAll(/\*\*`([^`]+)`\*\*\\?\n(.+)\n/g)) {
    descriptions.set(match[1] as string, (match[2] as string).trim())
  }
  return { table, descriptions }
}

test('the example registry is the seed\'s table, descriptions word for word', async (t) => {
  const { table, descriptions } = readSeed()
  t.equal(table.length, 9, 'the seed has nine resources')
  t.equal(descriptions.size, 15, 'the seed describes fifteen scopes')
  t.same(seedRegistry.resources.map((resource) => [resource.name, resource.scopes.map((scope) => scope.name)]), table)
  for (const name of seedRegistry.names) {
    t.equal(seedRegistry.get(name)?.description, descriptions.get(name), name)
  }
  t.same(seedRegistry.names.flatMap((name) => seedRegistry.get(name)?.implies ?? []), [], 'the seed defines no implies')
})
