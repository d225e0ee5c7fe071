import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { fmt } from './measure.js'

// The figures an issue names, gathered while the sections run and printed at the end as one
// Markdown table: each beside its baseline from the same run, with the ratio and the target.
// Under `npm run bench` each section runs in its own process (run.ts) and appends its rows to
// the file BENCH_SUMMARY_ROWS names, one JSON line each; run alone, a section keeps them here.

interface SummaryRow { measure: string, value: string, baseline: string, ratio: string, target: string, met?: boolean }

const rows: SummaryRow[] = []
const rowsFile = process.env.BENCH_SUMMARY_ROWS

export function report (row: SummaryRow): void {
  if (rowsFile !== undefined) appendFileSync(rowsFile, JSON.stringify(row) + '\n')
  else rows.push(row)
}

/** The rows the sections appended to `file`. */
export function readRows (file: string): SummaryRow[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as SummaryRow) : []
}

/** `a / b` as "12.3×" or "45 %" (percent for shares of a limit). */
export function ratioText (a: number, b: number, as: 'times' | 'percent' = 'times'): string {
  return as === 'percent' ? `${fmt(100 * a / b, 0)} %` : `${fmt(a / b, 1)}×`
}

export function printSummary (all: SummaryRow[] = rows): void {
  if (all.length === 0) return
  console.log('\n## Summary\n')
  console.log('| measure | value | baseline (same run) | ratio | target | met |')
  console.log('|---|---|---|---|---|---|')
  for (const r of all) console.log(`| ${r.measure} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'NO'} |`)
}
