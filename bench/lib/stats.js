export function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function mean (values) {
  return values.reduce((sum, v) => sum + v, 0) / values.length
}

/** Relative standard deviation (sample), as a fraction; 0 with fewer than two values. */
export function relStdev (values) {
  if (values.length < 2) return 0
  const m = mean(values)
  const variance = values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1)
  return Math.sqrt(variance) / m
}

export function fmt (value, digits = 1) {
  if (value === undefined || value === null || Number.isNaN(value)) return 'n/a'
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function pct (fraction) {
  return `${fmt(fraction * 100, 1)} %`
}

/** A Markdown table from a header row and rows of cells. */
export function table (header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
