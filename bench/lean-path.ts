import Fastify from 'fastify'
import { load, loadLine as line } from './load.js'
import { fmt } from './measure.js'
import { ratioText, report } from './summary.js'
import { scheduleDocument } from './schedules.js'
import { BENCH_KEY, startBenchServer } from './server.js'

/**
 * Issue 10 item 3, in one run: GET /api/health at 32 connections beside a bare Fastify route
 * answering {} in this same process (target ≥ 50 %), and a 304 revalidation of a
 * 10,000-event XMLTV export at 16 connections (target ≥ 2,000 requests/s, no worker run).
 */
export async function benchLeanPath (): Promise<void> {
  console.log('\n## Lean request path (issue 10 item 3), 3 s each')
  const bare = Fastify()
  bare.get('/', async () => ({}))
  await bare.listen({ port: 0, host: '127.0.0.1' })
  const server = await startBenchServer({}, { logFile: true })
  try {
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/`
    // Alternated, three rounds: on a shared machine the load of others drifts within a run.
    const rounds: Array<{ health: number, bare: number }> = []
    for (let round = 1; round <= 3; round++) {
      const bareFigure = await load(bareUrl, 32)
      const health = await load(`${server.url}/api/health`, 32)
      rounds.push({ health: health.rps, bare: bareFigure.rps })
      console.log(line(`round ${round}: bare Fastify route answering {}, 32 conn.`, bareFigure))
      console.log(line(`round ${round}: GET /api/health, 32 connections`, health))
    }
    const median = [...rounds].sort((a, b) => a.health / a.bare - b.health / b.bare)[1]
    console.log(`ratio health / bare: ${rounds.map((r) => ratioText(r.health, r.bare, 'percent')).join(', ')}; median ${ratioText(median.health, median.bare, 'percent')} (target ≥ 50 %)`)
    report({ measure: 'GET /api/health, 32 conn. (median of 3 rounds)', value: `${fmt(median.health, 0)} req/s`, baseline: `${fmt(median.bare, 0)} req/s bare \`{}\` route`, ratio: ratioText(median.health, median.bare, 'percent'), target: '≥ 50 %', met: median.health >= 0.5 * median.bare })

    const { schedule_id: id } = await server.post<{ schedule_id: string }>('/api/schedules/import', scheduleDocument(10_000), 'application/json')
    const url = `${server.url}/api/schedules/${id}/export?format=xmltv`
    const authorization = `Bearer ${BENCH_KEY}`
    const first = await fetch(url, { headers: { authorization } })
    const etag = first.headers.get('etag') ?? ''
    const bytes = (await first.arrayBuffer()).byteLength
    const fullMs: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      await (await fetch(url, { headers: { authorization } })).arrayBuffer()
      fullMs.push(performance.now() - t0)
    }
    const processed = server.app.pool.stats().totals.processed
    const revalidate = await load(url, 16, { headers: { authorization, 'if-none-match': etag } })
    const workersRun = server.app.pool.stats().totals.processed - processed
    const fullMedian = fullMs.sort((a, b) => a - b)[2]
    console.log(`XMLTV export of 10,000 events (${fmt(bytes / 1e6, 1)} MB), one client: ${fmt(fullMedian, 0)} ms each (median of 5), ${fmt(1000 / fullMedian, 0)} requests/s`)
    console.log(line('the same, If-None-Match: its ETag (304), 16 connections', revalidate))
    console.log(`304 revalidation: ${fmt(revalidate.rps, 0)} requests/s (target ≥ 2,000); worker operations during it: ${workersRun}`)
    report({ measure: '304 revalidation, XMLTV of 10,000 events, 16 conn.', value: `${fmt(revalidate.rps, 0)} req/s, ${workersRun} worker runs`, baseline: `${fmt(1000 / fullMedian, 0)} req/s full export`, ratio: ratioText(revalidate.rps, 1000 / fullMedian), target: '≥ 2,000 req/s', met: revalidate.rps >= 2000 && workersRun === 0 })
  } finally {
    await server.close()
    await bare.close()
  }
}
