import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const PLUGIN_DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

export function pluginAvailable () {
  return existsSync(PLUGIN_DIST)
}

export const PLUGIN_MISSING_MESSAGE =
  'SKIPPED plugin scenarios: dist/index.js is missing (run `npm run build` once src/ exists)'

let tasksetChecked
/** Whether `taskset` (util-linux) can pin a process here. */
export function hasTaskset () {
  if (tasksetChecked === undefined) {
    try {
      execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' })
      tasksetChecked = true
    } catch {
      tasksetChecked = false
    }
  }
  return tasksetChecked
}

// Read from node_modules directly: some packages' `exports` do not expose package.json.
function versionOf (name) {
  try {
    return JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, 'utf8')).version
  } catch {
    return 'not installed'
  }
}

export function environment (argv) {
  const packages = ['fastify', '@fastify/jwt', 'fast-jwt', 'fastify-guard', 'express',
    'express-oauth2-jwt-bearer', '@hapi/hapi', '@hapi/jwt', 'autocannon', 'tinybench']
  return {
    date: new Date().toISOString(),
    command: ['node', ...argv.slice(1).map((a, i) => i === 0 ? relativeScript(a) : a)].join(' '),
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
    taskset: hasTaskset(),
    plugin: describePlugin(),
    versions: Object.fromEntries(packages.map((name) => [name, versionOf(name)]))
  }
}

// BENCH_PLUGIN_SOURCE lets whoever built dist/ say what it was built from (e.g. a branch).
function describePlugin () {
  if (!pluginAvailable()) return 'dist/index.js missing: plugin scenarios skipped'
  const built = statSync(PLUGIN_DIST).mtime.toISOString()
  let head = 'unknown'
  try {
    head = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {}
  const source = process.env.BENCH_PLUGIN_SOURCE ? `, built from ${process.env.BENCH_PLUGIN_SOURCE}` : ''
  return `dist/index.js built ${built} (bench at ${head}${source})`
}

function relativeScript (path) {
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path
}
