// Issue #8 item 10: a light read's latency while one key runs eight exports of every
// schedule, with the pool's fairness (heavy operations leave a process free, light ones
// go first) and without it (one first-come queue), in the same run on the same data.
import { fmt, summarize, type Timing } from './measure.js'
import { BENCH_KEY, startBenchServer } from './server.js'
import { scheduleDocument } from './schedules.js'

const SCHEDULES = 10
const EVENTS_EACH = 10_000
const HEAVY = 8
const VIEWER_KEY = 'bench-viewer-key-0123456789'

/** Light reads, one after another, for as long as the heavy calls run. */
async function lightReadsDuring (url: string, heavy: Promise<unknown>): Promise<Timing> {
  let done = false
  void heavy.finally(() => { done = true })
  const samples: number[] = []
  const started = performance.now()
  // eslint-disable-next-line no-unmodified-loop-condition -- set by the heavy calls' settlement
  while (!done) {
    const t0 = performance.now()
    const res = await fetch(`${url}/api/schedules`, { headers: { authorization: `Bearer ${BENCH_KEY}` } })
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`the light read answered ${res.status}`)
    samples.push(performance.now() - t0)
  }
  return summarize(samples, performance.now() - started)
}

export async function benchFairness (): Promise<void> {
  const server = await startBenchServer({
    SCHEDULEFLOW_API_KEYS: `admin:${BENCH_KEY},viewer:${VIEWER_KEY}`,
    // All eight exports queue in both modes, so only the scheduling differs.
    SCHEDULEFLOW_MAX_QUEUED_PER_KEY: String(HEAVY)
  })
  const { app, config, url } = server
  try {
    for (let i = 0; i < SCHEDULES; i++) await server.post('/api/schedules/import', scheduleDocument(EVENTS_EACH), 'application/json')
    const exportAll = (): Promise<number> => fetch(`${url}/api/schedules/export?format=xmltv`, { headers: { authorization: `Bearer ${VIEWER_KEY}` } })
      .then(async (r) => { if (!r.ok) throw new Error(`export answered ${r.status}`); return (await r.arrayBuffer()).byteLength })

    console.log('\n## Fairness (issue #8 item 10)')
    console.log(`pool size ${config.pool.size}; ${HEAVY} concurrent XMLTV exports of all ${SCHEDULES} schedules (${(SCHEDULES * EVENTS_EACH).toLocaleString('en')} events) by one key; GET /api/schedules by another, back to back meanwhile\n`)
    const idle = await lightReadsDuring(url, new Promise((resolve) => setTimeout(resolve, 2000)))
    const results: Record<string, { light: Timing, heavyMs: number }> = {}
    for (const [label, fair] of [['fair (lanes on)', true], ['unfair baseline (one FIFO queue)', false]] as const) {
      app.pool.setFairness(fair)
      const t0 = performance.now()
      const heavy = Promise.all(Array.from({ length: HEAVY }, exportAll))
      const light = await lightReadsDuring(url, heavy)
      const bytes = await heavy
      results[label] = { light, heavyMs: performance.now() - t0 }
      console.log(`${label.padEnd(34)} light read mean ${fmt(light.meanMs).padStart(7)} ms  p95 ${fmt(light.p95Ms).padStart(7)} ms  (${light.calls} reads); the ${HEAVY} exports (${fmt(bytes[0] / 1e6)} MB each) took ${fmt(results[label].heavyMs / 1000, 1)} s`)
    }
    const fair = results['fair (lanes on)']
    const unfair = results['unfair baseline (one FIFO queue)']
    console.log(`idle light read                    mean ${fmt(idle.meanMs).padStart(7)} ms  p95 ${fmt(idle.p95Ms).padStart(7)} ms`)
    console.log(`ratio unfair/fair: light read mean ${fmt(unfair.light.meanMs / fair.light.meanMs, 1)}×, p95 ${fmt(unfair.light.p95Ms / fair.light.p95Ms, 1)}×; the exports' own time ${fmt(fair.heavyMs / unfair.heavyMs, 2)}× with fairness`)
  } finally {
    await server.close()
  }
}

// `node dist/bench/fairness.js` runs it alone; bench/run.ts runs it with the others.
if (import.meta.url === `file://${process.argv[1]}`) {
  await benchFairness()
  process.exit(0)
}
