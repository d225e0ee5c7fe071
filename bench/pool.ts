import autocannon from 'autocannon'
import { bareNodeSpawn, fmt, row, timeCalls } from './measure.js'
import { scheduleDocument } from './schedules.js'
import { BENCH_KEY, startBenchServer } from './server.js'

const CALLS = 40
const SCHEDULES = 20

/**
 * Issue 10: `GET /api/schedules` at 16 connections, a server whose workers serve one
 * operation each (MAX_TASKS=1, a process start per request) beside one with the default
 * (long-lived workers), in one run. Same data, same pool size.
 */
async function benchWorkerReuse (): Promise<void> {
  console.log('\n## Long-lived workers (issue 10): GET /api/schedules, 16 connections, 5 s')
  const figures: Array<{ label: string, rps: number, p95: number | undefined, non2xx: number }> = []
  for (const [label, maxTasks] of [['MAX_TASKS=1 (a process per operation)', '1'], ['MAX_TASKS=500 (default)', '500']] as const) {
    const server = await startBenchServer({ SCHEDULEFLOW_WORKER_MAX_TASKS: maxTasks })
    try {
      for (let i = 0; i < SCHEDULES; i++) await server.post('/api/schedules/import', scheduleDocument(50), 'application/json')
      const headers = { authorization: `Bearer ${BENCH_KEY}` }
      await autocannon({ url: `${server.url}/api/schedules`, connections: 16, duration: 1, headers }) // warm up
      const result = await autocannon({ url: `${server.url}/api/schedules`, connections: 16, duration: 5, headers })
      // autocannon reports p97.5 and p99, not p95: p97.5 is the nearest at or above it.
      figures.push({ label, rps: result.requests.average, p95: result.latency.p97_5, non2xx: result.non2xx })
      console.log(`${label.padEnd(44)} ${fmt(result.requests.average, 0).padStart(7)} requests/s  p50 ${result.latency.p50} ms  p97.5 ${result.latency.p97_5} ms  non-2xx ${result.non2xx}  processes started ${server.app.pool.stats().totals.spawned}`)
    } finally {
      await server.close()
    }
  }
  console.log(`ratio default / MAX_TASKS=1: ${fmt(figures[1].rps / figures[0].rps, 1)}× requests/s (issue 10 target ≥ 10×)`)
}

/** Issue #2: a pooled `info` call against a bare node spawn, 1 and 8 callers; health requests per second. */
export async function benchPool (): Promise<void> {
  // With the log file on, as a real deployment runs.
  const server = await startBenchServer({}, { logFile: true })
  const { app, config, url } = server
  try {
    console.log('\n## Process pool (issue #2)')
    console.log(`pool size ${config.pool.size}, started ahead ${config.pool.prespawn}; ${CALLS} calls each\n`)
    await timeCalls(5, 1, bareNodeSpawn) // warm the page cache
    await timeCalls(5, 1, () => app.pool.run('info'))

    const bare1 = await timeCalls(CALLS, 1, bareNodeSpawn)
    const pool1 = await timeCalls(CALLS, 1, () => app.pool.run('info'))
    const http1 = await timeCalls(CALLS, 1, () => fetch(`${url}/api/system-info`).then((r) => r.json()))
    console.log(row('baseline: bare `node -e 0`, 1 caller', bare1))
    console.log(row('pooled `info` (ProcessPool.run), 1 caller', pool1, bare1))
    console.log(row('GET /api/system-info, 1 caller', http1, bare1))

    const bare8 = await timeCalls(CALLS, 8, bareNodeSpawn)
    const pool8 = await timeCalls(CALLS, 8, () => app.pool.run('info'))
    const http8 = await timeCalls(CALLS, 8, () => fetch(`${url}/api/system-info`).then((r) => r.json()))
    console.log(row('baseline: bare `node -e 0`, 8 callers', bare8))
    console.log(row('pooled `info` (ProcessPool.run), 8 callers', pool8, bare8))
    console.log(row('GET /api/system-info, 8 callers', http8, bare8))

    const health = await autocannon({ url: `${url}/api/health`, connections: 16, duration: 5 })
    console.log(`\nGET /api/health: ${fmt(health.requests.average, 0)} requests/s (16 connections, 5 s; p99 latency ${health.latency.p99} ms; non-2xx ${health.non2xx})`)
    console.log(`ratio pooled/bare: 1 caller ${fmt(pool1.meanMs / bare1.meanMs, 2)}×, 8 callers ${fmt(pool8.meanMs / bare8.meanMs, 2)}× (target ≤ 1.5×)`)
  } finally {
    await server.close()
  }
  await benchWorkerReuse()
}
