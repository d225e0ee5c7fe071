// One section of the bench in this process: `node dist/bench/section.js <name>` (bench/run.ts
// starts one per section). Its summary rows go where BENCH_SUMMARY_ROWS says, or are printed here.
import { sections } from './sections.js'
import { printSummary } from './summary.js'

const name = process.argv[2] ?? ''
const section = sections[name]
if (section === undefined) {
  console.error(`usage: node --expose-gc dist/bench/section.js <${Object.keys(sections).join('|')}>`)
  process.exit(2)
}
await section()
if (process.env.BENCH_SUMMARY_ROWS === undefined) printSummary()
process.exit(0)
