import { readdirSync } from 'node:fs'

// Every test counts toward the coverage of src/ only: examples, bench and test helpers are not held
// to tap's 100% check.
const sources = readdirSync(new URL('../src/', import.meta.url)).map((file) => `src/${file}`)

export default function coverageMap () {
  return sources
}
