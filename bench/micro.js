// Micro-benchmarks (tinybench) of the plugin's own request-time work, apart from signature
// verification: the compiled check alone, and the whole route hook with `jwtVerify` stubbed to a
// resolved payload, each beside the hand-written equivalent. Imports the built internals of dist/.
import { Bench } from 'tinybench'
import { fmt, table } from './lib/stats.js'

const BIG = 1000

function scopes (count) {
  return Array.from({ length: count }, (_, index) => `scope:${index}`)
}

export async function runMicro (settings) {
  const { defineScopes } = await import('../dist/index.js')
  const { compileRequirement } = await import('../dist/requirement.js')
  const { createGuard } = await import('../dist/guard.js')
  const { buildAnswers } = await import('../dist/authenticate.js')
  const { validateOptions } = await import('../dist/options.js')

  const bigNames = scopes(BIG)
  const registry = defineScopes({ Chat: { 'read:self': 'r', 'read:chat': 'r', 'read:fan': 'r' }, Big: Object.fromEntries(bigNames.map((name) => [name, name])) })
  const site = { method: 'GET', url: '/bench' }
  const small = 'read:self read:chat read:fan'
  const big = bigNames.join(' ')
  const required = [bigNames[10], bigNames[250], bigNames[500], bigNames[750], bigNames[990]]
  const one = compileRequirement(['read:chat'], registry, site)
  const five = compileRequirement(required, registry, site)
  let sink = 0

  const answers = buildAnswers(validateOptions({ registry }))
  const guard = createGuard(one, answers)
  const payload = { sub: 'u', scope: small }
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6InJlYWQ6Y2hhdCJ9.c2lnbmF0dXJl'
  const request = {
    headers: { authorization: `Bearer ${token}`, host: 'x', accept: '*/*' },
    raw: { rawHeaders: ['Host', 'x', 'Accept', '*/*', 'Authorization', `Bearer ${token}`, 'User-Agent', 'bench'] },
    jwtVerify: () => Promise.resolve(payload),
    log: { debug () {}, error () {} }
  }
  const reply = { code () { return this }, header () { return this }, type () { return this }, send () { return this } }
  async function handWrittenHook (req, rep) {
    const verified = await req.jwtVerify()
    const scope = verified.scope
    if (typeof scope !== 'string' || !scope.split(' ').includes('read:chat')) return rep.code(403).send({ error: 'Forbidden' })
  }

  const bench = new Bench({ time: settings.smoke ? 100 : 1000, warmupTime: settings.smoke ? 20 : 200 })
  bench
    .add('check, 3-scope claim, 1 required: plugin', () => { sink += one.isSatisfiedBy(small) ? 1 : 0 })
    .add('check, 3-scope claim, 1 required: split + includes', () => { sink += small.split(' ').includes('read:chat') ? 1 : 0 })
    .add(`check, ${BIG}-scope claim, 5 required: plugin`, () => { sink += five.isSatisfiedBy(big) ? 1 : 0 })
    .add(`check, ${BIG}-scope claim, 5 required: split + includes`, () => {
      const granted = big.split(' ')
      sink += required.every((name) => granted.includes(name)) ? 1 : 0
    })
    .add(`check, ${BIG}-scope claim, 5 required: new Set per request`, () => {
      const granted = new Set(big.split(' '))
      sink += required.every((name) => granted.has(name)) ? 1 : 0
    })
    .add('route hook, jwtVerify stubbed: plugin', async () => { await guard(request, reply) })
    .add('route hook, jwtVerify stubbed: hand-written', async () => { await handWrittenHook(request, reply) })
  await bench.run()
  if (sink < 0) console.log(sink)

  const rows = bench.tasks.map((task) => {
    const latency = task.result.latency
    return { task: task.name, ns: latency.mean * 1e6, rme: latency.rme, samples: latency.samplesCount }
  })
  for (const row of rows) console.log(`  ${row.task.padEnd(58)} ${fmt(row.ns, 0).padStart(8)} ns ± ${fmt(row.rme, 1)} %`)
  const markdown = table(['task', 'ns per call (mean)', '± rme %', 'samples'],
    rows.map((row) => [row.task, fmt(row.ns, 0), fmt(row.rme, 1), String(row.samples)]))
  return {
    rows,
    notes: [`tinybench, ${settings.smoke ? '0.1' : '1'} s per task, in one process; the plugin's compiled check and route hook from dist/, beside hand-written code doing the same.`],
    markdown
  }
}
