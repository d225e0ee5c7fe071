import { fmt } from './measure.js'

// The figures an issue names, gathered while the sections run and printed at the end as one
// Markdown table: each beside its baseline from the same run, with the ratio and the target.

interface SummaryRow { measure: string, value: string, baseline: string, ratio: string, target: string, met?: boolean }

const rows: SummaryRow[] = []

export function report (row: SummaryRow): void {
  rows.push(row)
}

/** `a / b` as "12.3×" or "45 %" (percent for shares of a limit). */
export function ratioText (a: number, b: number, as: 'times' | 'percent' = 'times'): string {
  return as === 'percent' ? `${fmt(100 * a / b, 0)} %` : `${fmt(a / b, 1)}×`
}

export function printSummary (): void {
  if (rows.length === 0) return
  console.log('\n## Summary\n')
  console.log('| measure | value | baseline (same run) | ratio | target | met |')
  console.log('|---|---|---|---|---|---|')
  for (const r of rows) console.log(`| ${r.measure} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'NO'} |`)
}
