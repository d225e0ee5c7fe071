// Issue 10 item 4: the API process's peak memory during eight concurrent exports of every
// schedule, streamed from the workers (the routes as they are) beside the same eight
// documents held whole in the API (what the routes did before: runCli without `stream`),
// and a light read's latency meanwhile. One run, one data set; the clients read each
// document as it comes and keep only its length, so the process's RSS is the API's.
import { get } from 'node:http'
import { fmt, summarize } from './measure.js'
import { BENCH_KEY, startBenchServer } from './server.js'
import { scheduleDocument } from './schedules.js'
import { ratioText, report } from './summary.js'

const SCHEDULES = 20
const EVENTS_EACH = 10_000
const EXPORTS = 8
const MB = 1 << 20

/** GETs `path` and counts its bytes as they come, keeping none. */
function download (url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${BENCH_KEY}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${url} answered ${String(res.statusCode)}`))
      let bytes = 0
      res.on('data', (chunk: Buffer) => { bytes += chunk.length })
      res.once('end', () => resolve(bytes))
      res.once('error', reject)
    }).once('error', reject)
  })
}

/** Samples this process's RSS every 10 ms while `work` runs: the peak, in MiB. */
async function peakRssDuring<T> (work: () => Promise<T>): Promise<{ peakMb: number, value: T }> {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 10)
  try {
    const value = await work()
    return { peakMb: Math.max(peak, process.memoryUsage.rss()) / MB, value }
  } finally {
    clearInterval(timer)
  }
}

export async function benchStreamedExports (): Promise<void> {
  const server = await startBenchServer({ SCHEDULEFLOW_MAX_QUEUED_PER_KEY: String(EXPORTS) })
  const { app, config, url } = server
  try {
    for (let i = 0; i < SCHEDULES; i++) await server.post('/api/schedules/import', scheduleDocument(EVENTS_EACH), 'application/json')
    console.log('\n## Streamed exports (issue 10 item 4)')
    console.log(`pool size ${config.pool.size}; ${EXPORTS} concurrent XMLTV exports of all ${SCHEDULES} schedules (${(SCHEDULES * EVENTS_EACH).toLocaleString('en')} events); API process RSS sampled every 10 ms\n`)
    global.gc?.()
    const baseMb = process.memoryUsage.rss() / MB
    const lightMs: number[] = []
    const streamed = await peakRssDuring(async () => {
      let done = false
      const all = Promise.all(Array.from({ length: EXPORTS }, () => download(`${url}/api/schedules/export?format=xmltv`))).finally(() => { done = true })
      // eslint-disable-next-line no-unmodified-loop-condition -- set when the exports settle
      while (!done) {
        const t0 = performance.now()
        await download(`${url}/api/schedules`)
        lightMs.push(performance.now() - t0)
      }
      return all
    })
    const light = summarize(lightMs, 0)
    // The way the routes answered before: each document whole in the API's memory, then sent.
    const whole = await peakRssDuring(async () => Promise.all(Array.from({ length: EXPORTS }, async () => {
      const doc = await app.runCli('export-schedule', ['--all', '--format=xmltv'], { cost: 'heavy' })
      return Buffer.byteLength(doc.body)
    })))
    const docMb = streamed.value[0] / MB
    if (whole.value[0] !== streamed.value[0]) throw new Error(`the streamed document (${streamed.value[0]} bytes) differs in size from the whole one (${whole.value[0]})`)
    console.log(`document size                       ${fmt(docMb, 1).padStart(8)} MB each, ${fmt(docMb * EXPORTS, 1)} MB in all`)
    console.log(`API RSS before                      ${fmt(baseMb, 0).padStart(8)} MB`)
    console.log(`peak RSS, streamed (the routes)     ${fmt(streamed.peakMb, 0).padStart(8)} MB  (+${fmt(streamed.peakMb - baseMb, 0)} MB; target ≤ 300 MB)`)
    console.log(`peak RSS, held whole (before)       ${fmt(whole.peakMb, 0).padStart(8)} MB  (+${fmt(whole.peakMb - baseMb, 0)} MB)`)
    console.log(`ratio whole/streamed growth         ${fmt((whole.peakMb - baseMb) / Math.max(1, streamed.peakMb - baseMb), 1).padStart(8)}×`)
    console.log(`light read meanwhile (streamed)     mean ${fmt(light.meanMs)} ms  p95 ${fmt(light.p95Ms)} ms  (${light.calls} reads)`)
    report({ measure: `API peak RSS, ${EXPORTS} concurrent exports of all (${(SCHEDULES * EVENTS_EACH).toLocaleString('en')} events)`, value: `${fmt(streamed.peakMb, 0)} MB`, baseline: `${fmt(whole.peakMb, 0)} MB held whole`, ratio: ratioText(streamed.peakMb, whole.peakMb, 'percent'), target: '≤ 300 MB', met: streamed.peakMb <= 300 })
    report({ measure: 'light read during those exports', value: `mean ${fmt(light.meanMs, 0)} ms, p95 ${fmt(light.p95Ms, 0)} ms`, baseline: '', ratio: '', target: '' })
  } finally {
    await server.close()
  }
}

// `node dist/bench/streamed-exports.js` runs it alone; bench/run.ts runs it with the others.
if (import.meta.url === `file://${process.argv[1]}`) {
  await benchStreamedExports()
  process.exit(0)
}
