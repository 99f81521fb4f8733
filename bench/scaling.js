// How the plugin's per-request cost, boot time and heap scale with the registry, the number of
// protected routes, the token's scope count and `implies` chains (in-process, app.inject()).
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { pluginAvailable, PLUGIN_MISSING_MESSAGE } from './lib/env.js'
import {
  bearer, buildJwtOnlyApp, buildPluginApp, interleave, medianCost, medianDifference, medianRatio,
  SMALL_DEFINITIONS
} from './lib/apps.js'
import { fmt, median, table } from './lib/stats.js'
import { manyScopeNames, mintHs256, STANDARD_SCOPES } from './lib/tokens.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')

const SMALL_COUNT = Object.values(SMALL_DEFINITIONS).reduce((n, r) => n + Object.keys(r).length, 0)

function withFiller (count) {
  const names = manyScopeNames(count)
  return { ...SMALL_DEFINITIONS, Filler: Object.fromEntries(names.map((n) => [n, `Scope ${n}`])) }
}

function chainDefinitions (length) {
  const chain = { 'chain:0': 'The bottom of the chain' }
  for (let i = 1; i <= length; i++) chain[`chain:${i}`] = { description: `Level ${i}`, implies: [`chain:${i - 1}`] }
  return { ...SMALL_DEFINITIONS, Chain: chain }
}

const both = (wall, cpu, digits = 2) => `${fmt(wall, digits)} / ${fmt(cpu, digits)}`

/** Per-request cost of each case, with its ratio to the first (smallest) case. */
async function scaleCase (title, label, cases, measure) {
  const costs = await interleave(cases, measure)
  const first = cases[0].name
  const rows = cases.map((c) => ({
    case: c.label,
    wallUs: medianCost(costs, c.name, 'wall'),
    cpuUs: medianCost(costs, c.name, 'cpu'),
    ratioWall: medianRatio(costs, c.name, first, 'wall'),
    ratioCpu: medianRatio(costs, c.name, first, 'cpu')
  }))
  const markdown = `### ${title}\n\n` + table(
    [label, 'µs/request wall / CPU', `ratio to ${cases[0].label} (wall / CPU)`],
    rows.map((r) => [r.case, both(r.wallUs, r.cpuUs), both(r.ratioWall, r.ratioCpu, 3)])
  )
  return { rows, markdown, costs }
}

/** Median boot time over `reps` builds, heap of the first; the last app is returned open. */
async function buildTimed (build, reps) {
  const times = []
  let heapBytes
  let app
  for (let rep = 0; rep < reps; rep++) {
    if (app) await app.close()
    gc()
    const before = process.memoryUsage().heapUsed
    const start = process.hrtime.bigint()
    app = await build()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
    if (rep === 0) {
      gc()
      heapBytes = process.memoryUsage().heapUsed - before
    }
  }
  return { bootMs: median(times), heapMB: heapBytes / 2 ** 20, app }
}

export async function runScaling (settings) {
  if (!pluginAvailable()) {
    console.log(`  ${PLUGIN_MISSING_MESSAGE}`)
    return { notes: [PLUGIN_MISSING_MESSAGE], markdown: '(skipped)' }
  }
  const measure = { rounds: settings.smoke ? 1 : 5, perRound: settings.smoke ? 200 : 2000 }
  const bootReps = settings.smoke ? 1 : 3
  const notes = [
    ...(settings.smoke ? ['smoke run: 10, 100 and 1,000 routes instead of 10, 1,000 and 5,000'] : []),
    `${measure.rounds} interleaved round(s) of ${measure.perRound} app.inject() calls per case; µs/request and ratios are medians over rounds (ratios computed within each round).`,
    'Wall-clock and process CPU time are both shown: CPU time is steadier when other processes share the cores.'
  ]
  const token3 = mintHs256(STANDARD_SCOPES)
  const sections = []
  const result = { notes }
  const apps = []
  const keep = (app) => { apps.push(app); return app }

  // 1. Registry size.
  const registryCases = []
  for (const size of [15, 1000, 10000]) {
    const app = keep(await buildPluginApp({ definitions: withFiller(size - SMALL_COUNT), routes: [{ path: '/chats', scopes: ['read:chat'] }] }))
    registryCases.push({ name: `registry-${size}`, label: `${size.toLocaleString('en-US')} scopes`, app, url: '/chats', headers: bearer(token3) })
  }
  result.registry = await scaleCase('Registry size (route needs `read:chat`, 3-scope token)', 'registry', registryCases, measure)
  sections.push(result.registry.markdown)

  // 2. Number of protected routes: per-request cost, boot time and heap (plugin vs jwt-only).
  const routeCounts = settings.smoke ? [10, 100, 1000] : [10, 1000, 5000]
  const routesOf = (n, scopes) => Array.from({ length: n }, (_, i) => ({ path: `/r/${i}`, scopes }))
  const routeCases = []
  const boots = []
  for (const n of routeCounts) {
    const jwtOnly = await buildTimed(() => buildJwtOnlyApp(routesOf(n).map((r) => r.path)), bootReps)
    await jwtOnly.app.close()
    const plugin = await buildTimed(() => buildPluginApp({ definitions: SMALL_DEFINITIONS, routes: routesOf(n, ['read:chat']) }), bootReps)
    const app = keep(plugin.app)
    boots.push({ routes: n, plugin: { bootMs: plugin.bootMs, heapMB: plugin.heapMB }, jwtOnly: { bootMs: jwtOnly.bootMs, heapMB: jwtOnly.heapMB } })
    routeCases.push({ name: `routes-${n}`, label: `${n.toLocaleString('en-US')} routes`, app, url: `/r/${n >> 1}`, headers: bearer(token3) })
  }
  result.routes = await scaleCase('Protected routes (each needs `read:chat`; the middle one is requested)', 'routes', routeCases, measure)
  result.boot = boots
  sections.push(result.routes.markdown + '\n\n' + table(
    ['protected routes', 'boot ms, plugin', 'boot ms, jwt-only', 'heap MB, plugin', 'heap MB, jwt-only'],
    boots.map((b) => [b.routes.toLocaleString('en-US'), fmt(b.plugin.bootMs, 1), fmt(b.jwtOnly.bootMs, 1), fmt(b.plugin.heapMB, 2), fmt(b.jwtOnly.heapMB, 2)])
  ) + `\n\nBoot = from \`Fastify()\` to \`await app.ready()\` resolved, including route declarations (median of ${bootReps}); heap = heapUsed after ready minus before, both after a forced GC. Fastify also adds a HEAD route per GET.`)

  // 3. Token size: the plugin's cost and what it adds over jwt-only with the same token.
  const tokenDefinitions = withFiller(1000)
  const tokenPlugin = keep(await buildPluginApp({ definitions: tokenDefinitions, routes: [{ path: '/chats', scopes: ['read:chat'] }] }))
  const tokenJwt = keep(await buildJwtOnlyApp())
  const tokenCases = []
  for (const count of [3, 100, 1000]) {
    // `read:chat` last, so a linear search would pay the most.
    const scope = ['read:self', ...manyScopeNames(count - 2), 'read:chat'].join(' ')
    const headers = bearer(mintHs256(scope))
    tokenCases.push({ name: `token-${count}`, label: `${count.toLocaleString('en-US')} scopes`, app: tokenPlugin, url: '/chats', headers })
    tokenCases.push({ name: `token-${count}-jwt`, label: `${count.toLocaleString('en-US')} scopes, jwt-only`, app: tokenJwt, url: '/chats', headers })
  }
  const tokenCosts = await interleave(tokenCases, measure)
  result.token = [3, 100, 1000].map((count) => ({
    scopes: count,
    pluginWallUs: medianCost(tokenCosts, `token-${count}`, 'wall'),
    pluginCpuUs: medianCost(tokenCosts, `token-${count}`, 'cpu'),
    jwtWallUs: medianCost(tokenCosts, `token-${count}-jwt`, 'wall'),
    jwtCpuUs: medianCost(tokenCosts, `token-${count}-jwt`, 'cpu'),
    addedWallUs: medianDifference(tokenCosts, `token-${count}`, `token-${count}-jwt`, 'wall'),
    addedCpuUs: medianDifference(tokenCosts, `token-${count}`, `token-${count}-jwt`, 'cpu'),
    ratioWall: medianRatio(tokenCosts, `token-${count}`, 'token-3', 'wall'),
    ratioCpu: medianRatio(tokenCosts, `token-${count}`, 'token-3', 'cpu')
  }))
  sections.push('### Token size (route needs `read:chat`, last in the claim; registry of 1,007 scopes)\n\n' + table(
    ['token scopes', 'plugin µs/req wall / CPU', 'jwt-only µs/req wall / CPU', 'added by plugin µs wall / CPU', 'plugin ratio to 3 (wall / CPU)'],
    result.token.map((r) => [r.scopes.toLocaleString('en-US'), both(r.pluginWallUs, r.pluginCpuUs), both(r.jwtWallUs, r.jwtCpuUs),
      both(r.addedWallUs, r.addedCpuUs), both(r.ratioWall, r.ratioCpu, 3)])
  ) + '\n\nThe whole request grows with the token (HMAC over more bytes, JSON parsing); "added by plugin" isolates the plugin\'s share.')

  // 4. implies chains: the token holds the top, the route needs the bottom.
  const chainCases = []
  for (const length of [1, 10, 50]) {
    const app = keep(await buildPluginApp({ definitions: chainDefinitions(length), routes: [{ path: '/chain', scopes: ['chain:0'] }] }))
    const headers = bearer(mintHs256(`read:self chain:${length} read:fan`))
    chainCases.push({ name: `chain-${length}`, label: `chain of ${length}`, app, url: '/chain', headers })
  }
  result.implies = await scaleCase('`implies` chains (token holds `chain:N`, route needs `chain:0`)', 'chain', chainCases, measure)
  sections.push(result.implies.markdown)

  for (const app of apps) await app.close()
  for (const key of ['registry', 'routes', 'implies']) {
    result[key] = result[key].rows
  }
  result.markdown = sections.join('\n\n')
  return result
}
