// `npm run bench`: every figure is printed beside a baseline measured in the same run,
// since the machines are shared and absolute times drift.
import { cpus } from 'node:os'
import { benchPool } from './pool.js'
import { benchSchedules } from './schedules.js'
import { benchAutoFill } from './autofill.js'
import { benchPanel } from './panel.js'
import { benchFairness } from './fairness.js'
import { benchLeanPath } from './lean-path.js'
import { benchStreamedExports } from './streamed-exports.js'
import { benchScaleOut } from './scale-out.js'
import { benchChannels } from './channels.js'
import { benchEditing } from './editing.js'
import { printSummary } from './summary.js'

console.log(`ScheduleFlow benchmarks — node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`)
// First: its figure is the API process's peak memory, which the sections after it would
// inflate with what they leave in this process (the in-process 100,000-event import, the panel's browser client).
await benchStreamedExports()
await benchPool()
await benchLeanPath()
await benchSchedules()
await benchAutoFill()
await benchPanel()
await benchFairness()
await benchScaleOut()
await benchChannels()
await benchEditing()
printSummary()
process.exit(0)
