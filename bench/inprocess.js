// In-process cost of the plugin over jwt-only, with app.inject() (no sockets, one core).
import { Bench } from 'tinybench'
import { pluginAvailable, PLUGIN_MISSING_MESSAGE } from './lib/env.js'
import {
  bearer, buildBareApp, buildHandWrittenApp, buildJwtOnlyApp, buildPluginApp, checkVariant,
  interleave, medianCost, medianDifference, SMALL_DEFINITIONS
} from './lib/apps.js'
import { fmt, pct, relStdev, table } from './lib/stats.js'
import { bigRequiredScopes, LACKING_SCOPES, manyScopeNames, mintHs256, STANDARD_SCOPES } from './lib/tokens.js'

const BATCH = 32

export async function runInprocess (settings) {
  const rounds = settings.smoke ? 2 : 7
  const perRound = settings.smoke ? 300 : 3000
  const notes = [`${rounds} interleaved rounds of ${perRound} sequential app.inject() calls per variant (yield every 32 calls), after one warm-up pass; medians over rounds. "added" is the per-round difference to its baseline, median over rounds.`]
  const withPlugin = pluginAvailable()
  if (!withPlugin) {
    notes.push(PLUGIN_MISSING_MESSAGE)
    console.log(`  ${PLUGIN_MISSING_MESSAGE}`)
  }

  const bigNames = manyScopeNames(1000)
  const token3 = mintHs256(STANDARD_SCOPES)
  const token1000 = mintHs256(['read:chat', ...bigNames].join(' '))
  const jwtOnly = await buildJwtOnlyApp()
  const bare = await buildBareApp()
  const apps = [jwtOnly, bare]
  const variants = [
    { name: 'bare (no auth)', app: bare, url: '/chats', headers: {} },
    { name: 'jwt-only', app: jwtOnly, url: '/chats', headers: bearer(token3) },
    { name: 'hand-written', app: await buildHandWrittenApp(), url: '/chats', headers: bearer(token3), baseline: 'jwt-only' },
    { name: 'jwt-only, 1,000-scope token', app: jwtOnly, url: '/chats', headers: bearer(token1000) }
  ]
  apps.push(variants[2].app)
  let pluginApp, bigApp
  if (withPlugin) {
    pluginApp = await buildPluginApp({
      definitions: SMALL_DEFINITIONS,
      routes: [
        { path: '/chats', scopes: ['read:chat'] },
        { path: '/any', scopes: { anyOf: ['write:chat', ['admin:all', 'write:fan'], 'read:chat'] } },
        { path: '/public' }
      ]
    })
    bigApp = await buildPluginApp({
      definitions: { Chat: { 'read:chat': 'Read chats' }, Big: Object.fromEntries(bigNames.map((n) => [n, `Scope ${n}`])) },
      routes: [{ path: '/chats', scopes: bigRequiredScopes(bigNames) }]
    })
    apps.push(pluginApp, bigApp)
    variants.push(
      { name: 'plugin', app: pluginApp, url: '/chats', headers: bearer(token3), baseline: 'jwt-only' },
      { name: 'plugin-403', app: pluginApp, url: '/chats', headers: bearer(mintHs256(LACKING_SCOPES)), expect: 403, baseline: 'jwt-only' },
      { name: 'plugin-anyOf', app: pluginApp, url: '/any', headers: bearer(token3), baseline: 'jwt-only' },
      { name: 'plugin-public (no token)', app: pluginApp, url: '/public', headers: {}, baseline: 'bare (no auth)' },
      { name: 'plugin-big, 1,000-scope token, 5 required', app: bigApp, url: '/chats', headers: bearer(token1000), baseline: 'jwt-only, 1,000-scope token' }
    )
  }

  const costs = await interleave(variants, { rounds, perRound })
  const rows = variants.map((v) => ({
    variant: v.name,
    status: v.expect ?? 200,
    wallUs: medianCost(costs, v.name, 'wall'),
    cpuUs: medianCost(costs, v.name, 'cpu'),
    wallRelStdev: relStdev(costs.get(v.name).map((c) => c.wall)),
    baseline: v.baseline,
    addedWallUs: v.baseline ? medianDifference(costs, v.name, v.baseline, 'wall') : undefined,
    addedCpuUs: v.baseline ? medianDifference(costs, v.name, v.baseline, 'cpu') : undefined,
    rounds: costs.get(v.name)
  }))
  const added = (value) => value === undefined ? '' : fmt(value, 2)
  const markdown = [table(
    ['variant', 'status', 'wall µs/req', 'CPU µs/req', 'rel. stdev (wall)', 'added wall µs', 'added CPU µs', 'over'],
    rows.map((r) => [r.variant, r.status, fmt(r.wallUs, 2), fmt(r.cpuUs, 2), pct(r.wallRelStdev),
      added(r.addedWallUs), added(r.addedCpuUs), r.baseline ?? ''])
  )]

  let micro
  if (withPlugin) {
    micro = await microBench(settings, [
      { name: 'jwt-only route, 3-scope token', app: jwtOnly, url: '/chats', headers: bearer(token3) },
      { name: 'scoped route (plugin), 3-scope token', app: pluginApp, url: '/chats', headers: bearer(token3) },
      { name: 'jwt-only route, 1,000-scope token', app: jwtOnly, url: '/chats', headers: bearer(token1000) },
      { name: 'scoped route (plugin, 5 required), 1,000-scope token', app: bigApp, url: '/chats', headers: bearer(token1000) }
    ])
    markdown.push('', `tinybench (${settings.smoke ? '100 ms' : '1.5 s'} per task; one iteration = ${BATCH} app.inject() calls then a setImmediate yield; the check's internals are not public, so it is isolated as scoped route − jwt-only route):`, '', micro.markdown)
  }
  for (const app of apps) await app.close()
  return { notes, rows, micro: micro?.rows, markdown: markdown.join('\n') }
}

async function microBench (settings, variants) {
  for (const variant of variants) await checkVariant(variant)
  const bench = new Bench({ time: settings.smoke ? 100 : 1500, warmupTime: settings.smoke ? 30 : 300 })
  for (const { name, app, url, headers } of variants) {
    const request = { method: 'GET', url, headers }
    bench.add(name, async function injectBatch () {
      for (let i = 0; i < BATCH; i++) await app.inject(request)
      await new Promise(setImmediate)
    })
  }
  await bench.run()
  const rows = bench.tasks.map((task) => {
    const latency = task.result.latency
    return { task: task.name, usPerRequest: latency.mean * 1000 / BATCH, rme: latency.rme, samples: latency.samplesCount }
  })
  const by = Object.fromEntries(rows.map((r) => [r.task, r.usPerRequest]))
  const added3 = by[variants[1].name] - by[variants[0].name]
  const added1000 = by[variants[3].name] - by[variants[2].name]
  const markdown = table(
    ['task', 'µs/request (mean)', '± rme', 'samples (batches)'],
    rows.map((r) => [r.task, fmt(r.usPerRequest, 2), pct(r.rme / 100), r.samples])
  ) + `\n\nscoped − jwt-only: ${fmt(added3, 2)} µs/request with the 3-scope token, ${fmt(added1000, 2)} µs/request with the 1,000-scope token.`
  return { rows, added3Us: added3, added1000Us: added1000, markdown }
}
