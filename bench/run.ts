// `npm run bench`: every figure is printed beside a baseline measured in the same run,
// since the machines are shared and absolute times drift.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sections } from './sections.js'
import { printSummary, readRows } from './summary.js'

console.log(`ScheduleFlow benchmarks — node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`)
// Each section in a fresh Node process: what one leaves in the API process (a 100,000-event
// import held in process for its baseline, a browser client, a heap grown by 200,000-event
// exports) would otherwise weigh on the figures of the next, its memory and its process starts
// (a fork copies the parent's page tables: the bigger the API process, the slower each worker start).
const dir = mkdtempSync(join(tmpdir(), 'scheduleflow-bench-rows-'))
const rowsFile = join(dir, 'rows.jsonl')
const runner = fileURLToPath(new URL('./section.js', import.meta.url))
for (const name of Object.keys(sections)) {
  // --expose-gc: a section collects what it built to set up (documents it imported) before it measures the API's memory.
  const { status, signal } = spawnSync(process.execPath, ['--expose-gc', runner, name], { stdio: 'inherit', env: { ...process.env, BENCH_SUMMARY_ROWS: rowsFile } })
  if (status !== 0) console.log(`\n(section ${name} ended with ${signal ?? `exit ${String(status)}`}: its figures are missing)`)
}
printSummary(readRows(rowsFile))
rmSync(dir, { recursive: true, force: true })
