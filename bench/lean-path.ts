import autocannon from 'autocannon'
import Fastify from 'fastify'
import { fmt } from './measure.js'
import { scheduleDocument } from './schedules.js'
import { BENCH_KEY, startBenchServer } from './server.js'

const SECONDS = 3

interface Figure { rps: number, p50: number, p97_5: number, non2xx: number, statuses: Record<string, number> }

async function load (url: string, connections: number, headers: Record<string, string> = {}): Promise<Figure> {
  await autocannon({ url, connections, duration: 1, headers }) // warm up
  const r = await autocannon({ url, connections, duration: SECONDS, headers })
  return { rps: r.requests.average, p50: r.latency.p50, p97_5: r.latency.p97_5, non2xx: r.non2xx, statuses: { '2xx': r['2xx'], '3xx': r['3xx'], '4xx': r['4xx'], '5xx': r['5xx'] } }
}

const line = (label: string, f: Figure): string =>
  `${label.padEnd(52)} ${fmt(f.rps, 0).padStart(7)} requests/s  p50 ${f.p50} ms  p97.5 ${f.p97_5} ms  ${Object.entries(f.statuses).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(' ')}`

/**
 * Issue 10 item 3, in one run: GET /api/health at 32 connections beside a bare Fastify route
 * answering {} in this same process (target ≥ 50 %), and a 304 revalidation of a
 * 10,000-event XMLTV export at 16 connections (target ≥ 2,000 requests/s, no worker run).
 */
export async function benchLeanPath (): Promise<void> {
  console.log(`\n## Lean request path (issue 10 item 3), ${SECONDS} s each`)
  const bare = Fastify()
  bare.get('/', async () => ({}))
  await bare.listen({ port: 0, host: '127.0.0.1' })
  const server = await startBenchServer({}, { logFile: true })
  try {
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/`
    // Alternated, three rounds: on a shared machine the load of others drifts within a run.
    const ratios: number[] = []
    for (let round = 1; round <= 3; round++) {
      const bareFigure = await load(bareUrl, 32)
      const health = await load(`${server.url}/api/health`, 32)
      ratios.push(health.rps / bareFigure.rps)
      console.log(line(`round ${round}: bare Fastify route answering {}, 32 conn.`, bareFigure))
      console.log(line(`round ${round}: GET /api/health, 32 connections`, health))
    }
    const median = [...ratios].sort((a, b) => a - b)[1]
    console.log(`ratio health / bare: ${ratios.map((r) => `${fmt(100 * r, 0)} %`).join(', ')}; median ${fmt(100 * median, 0)} % (target ≥ 50 %)`)

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
    const revalidate = await load(url, 16, { authorization, 'if-none-match': etag })
    const workersRun = server.app.pool.stats().totals.processed - processed
    const fullMedian = fullMs.sort((a, b) => a - b)[2]
    console.log(`XMLTV export of 10,000 events (${fmt(bytes / 1e6, 1)} MB), one client: ${fmt(fullMedian, 0)} ms each (median of 5), ${fmt(1000 / fullMedian, 0)} requests/s`)
    console.log(line('the same, If-None-Match: its ETag (304), 16 connections', revalidate))
    console.log(`304 revalidation: ${fmt(revalidate.rps, 0)} requests/s (target ≥ 2,000); worker operations during it: ${workersRun}`)
  } finally {
    await server.close()
    await bare.close()
  }
}
