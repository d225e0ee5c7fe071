import { spawnSync } from 'node:child_process'
import autocannon from 'autocannon'
import Fastify, { type FastifyInstance } from 'fastify'
import { ScheduleListSchema } from '../contract/api.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import type { Store } from '../workers/storage/store.js'
import { load, loadLine, medianFigure, type LoadFigure } from './load.js'
import { ratioText, report } from './summary.js'
import { bareNodeSpawn, fmt, median, row, timeCalls } from './measure.js'
import { scheduleDocument } from './schedules.js'
import { BENCH_KEY, startBenchServer } from './server.js'
import { cliEntry } from '../workers/project.js'

const CALLS = 40
const SCHEDULES = 20

/**
 * Issue 10 and issue 22 item 5: `GET /api/schedules` at 16 connections, in one run on the same
 * data and pool size. The default settings (long-lived workers, answers kept by their ETag)
 * against their limit with no pool at all: a route of the same app reading the same list from
 * the same SQLite file in the API's own process, serialized with the same schema. Then, with
 * the answer cache off so every request is a worker operation, what the pool itself costs:
 * workers serving one operation each (MAX_TASKS=1, a process start per request), the default
 * 500, 5,000, and none replaced.
 */
async function benchWorkerReuse (): Promise<void> {
  console.log('\n## Long-lived workers (issue 10, issue 22): GET /api/schedules, 16 connections, 5 s')
  let bareFastify: LoadFigure | undefined
  let peakLive = 0
  const noCache = { SCHEDULEFLOW_ANSWER_CACHE_MB: '0' }
  // A process start (Node, the modules, the database) is about 0.15 s of CPU on these
  // machines, and a fresh process runs its first operations slower (its code not yet optimized).
  const settings = [
    ['default settings (MAX_TASKS=500, answers kept by ETag)', {}],
    ['MAX_TASKS=1 (a process per operation), no answer cache', { ...noCache, SCHEDULEFLOW_WORKER_MAX_TASKS: '1' }],
    ['MAX_TASKS=500 (default), no answer cache', noCache],
    ['MAX_TASKS=5000, no answer cache', { ...noCache, SCHEDULEFLOW_WORKER_MAX_TASKS: '5000' }],
    ['MAX_TASKS=100000 (none replaced in the run), no answer cache', { ...noCache, SCHEDULEFLOW_WORKER_MAX_TASKS: '100000' }]
  ] as const
  const figures: LoadFigure[] = []
  for (const [label, env] of settings) {
    let store: Promise<Store> | undefined
    const server = await startBenchServer(env, { routes: (app, config) => inProcessRoute(app, () => (store ??= openSqliteStore(config.dataDir))) })
    try {
      for (let i = 0; i < SCHEDULES; i++) await server.post('/api/schedules/import', scheduleDocument(50), 'application/json')
      const headers = { authorization: `Bearer ${BENCH_KEY}` }
      if (figures.length === 0) {
        // The default against its limit, taken in turns, three rounds each (the median of each
        // figure): on a shared machine the speed drifts by a third within a minute, and a ratio of
        // two figures measured a minute apart would measure that drift.
        const pooled: LoadFigure[] = []
        const inProcess: LoadFigure[] = []
        // The pool's bound under load: size, and one understudy started ahead of a retirement.
        const sampler = setInterval(() => { peakLive = Math.max(peakLive, server.app.pool.pids().length) }, 5)
        for (let round = 0; round < 3; round++) {
          pooled.push(await load(`${server.url}/api/schedules`, 16, { seconds: 5, headers }))
          inProcess.push(await load(`${server.url}${IN_PROCESS_ROUTE}`, 16, { seconds: 5, headers }))
        }
        clearInterval(sampler)
        figures.push(medianFigure(pooled), medianFigure(inProcess))
        const { processed } = server.app.pool.stats().totals
        console.log(`${loadLine(`${label}, median of 3`, figures[0])}  worker operations ${processed}, answers from the cache ${server.app.answerCache.stats().hits}, at most ${peakLive} processes alive`)
        bareFastify = await inProcessLimit(server.config.dataDir)
      } else {
        const figure = await load(`${server.url}/api/schedules`, 16, { seconds: 5, headers })
        figures.push(figure)
        console.log(`${loadLine(label, figure)}  processes started ${server.app.pool.stats().totals.spawned}`)
      }
    } finally {
      await server.close()
      await (await store)?.close()
    }
  }
  const [cached, inProcess, perOperation, pooled, proposed, neverReplaced] = figures
  console.log(loadLine('in-process route of the same app, same SQLite file, median of 3 (in turns with the default)', inProcess))
  if (bareFastify !== undefined) console.log(loadLine('bare Fastify() + SQLite, no plugins, the same list', bareFastify))
  const toBare = bareFastify === undefined ? 'n/a' : ratioText(cached.rps, bareFastify.rps, 'percent')
  console.log(`ratio default settings / in-process: ${ratioText(cached.rps, inProcess.rps, 'percent')} (target ≥ 60 %), / bare Fastify + SQLite: ${toBare}; p95 ${fmt(cached.p95)} ms (target ≤ 50 ms)`)
  console.log(`no answer cache: MAX_TASKS=500 / MAX_TASKS=1: ${ratioText(pooled.rps, perOperation.rps)} (target ≥ 10×); to in-process: MAX_TASKS=500 ${ratioText(pooled.rps, inProcess.rps, 'percent')}, 5000 ${ratioText(proposed.rps, inProcess.rps, 'percent')}, none replaced ${ratioText(neverReplaced.rps, inProcess.rps, 'percent')}`)
  const list = 'GET /api/schedules, 16 conn.'
  report({ measure: `${list}, default settings vs in-process route of the same app`, value: `${fmt(cached.rps, 0)} req/s`, baseline: `${fmt(inProcess.rps, 0)} req/s`, ratio: ratioText(cached.rps, inProcess.rps, 'percent'), target: '≥ 60 %', met: cached.rps >= 0.6 * inProcess.rps })
  report({ measure: `${list}, default settings p95`, value: `${fmt(cached.p95, 1)} ms`, baseline: `${fmt(inProcess.p95, 1)} ms in-process`, ratio: ratioText(cached.p95, inProcess.p95), target: '≤ 50 ms', met: cached.p95 <= 50 })
  if (bareFastify !== undefined) report({ measure: `${list}, default settings vs bare Fastify + SQLite reading the same list`, value: `${fmt(cached.rps, 0)} req/s`, baseline: `${fmt(bareFastify.rps, 0)} req/s`, ratio: toBare, target: '(for scale)', met: undefined })
  report({ measure: `${list}, no answer cache, MAX_TASKS=1`, value: `${fmt(perOperation.rps, 0)} req/s, p95 ${fmt(perOperation.p95, 0)} ms`, baseline: '', ratio: '', target: '' })
  report({ measure: `${list}, no answer cache, MAX_TASKS=500 vs MAX_TASKS=1`, value: `${fmt(pooled.rps, 0)} req/s`, baseline: `${fmt(perOperation.rps, 0)} req/s`, ratio: ratioText(pooled.rps, perOperation.rps), target: '≥ 10×', met: pooled.rps >= 10 * perOperation.rps })
  report({ measure: `${list}, no answer cache (every request a worker operation), MAX_TASKS=500 vs in-process route`, value: `${fmt(pooled.rps, 0)} req/s, p95 ${fmt(pooled.p95, 1)} ms`, baseline: `${fmt(inProcess.rps, 0)} req/s`, ratio: ratioText(pooled.rps, inProcess.rps, 'percent'), target: '(the pool\'s own cost)', met: undefined })
  report({ measure: `${list}, no answer cache, MAX_TASKS=5000 vs in-process route`, value: `${fmt(proposed.rps, 0)} req/s, p95 ${fmt(proposed.p95, 1)} ms`, baseline: `${fmt(inProcess.rps, 0)} req/s`, ratio: ratioText(proposed.rps, inProcess.rps, 'percent'), target: '', met: undefined })
  report({ measure: `${list}, no answer cache, MAX_TASKS=100000 vs in-process route`, value: `${fmt(neverReplaced.rps, 0)} req/s`, baseline: `${fmt(inProcess.rps, 0)} req/s`, ratio: ratioText(neverReplaced.rps, inProcess.rps, 'percent'), target: '(no process replaced)', met: undefined })
}

const IN_PROCESS_ROUTE = '/api/_bench/schedules-in-process'

/**
 * The issue's limit, "a bare Fastify route of the same app that reads the same list in its own
 * process from SQLite": a route in the app itself (its auth, rate limit, request ids and logs
 * apply, as to GET /api/schedules) whose handler reads the list here instead of in a worker.
 */
function inProcessRoute (app: FastifyInstance, store: () => Promise<Store>): void {
  app.get(IN_PROCESS_ROUTE, { config: { role: 'viewer' }, schema: { response: { 200: ScheduleListSchema } } }, async () => {
    const schedules = await (await store()).schedules.listSchedules()
    return { schedules, count: schedules.length }
  })
}

/** The list read straight from SQLite by a Fastify with no plugins at all: printed for scale. */
async function inProcessLimit (dataDir: string): Promise<LoadFigure> {
  const store = await openSqliteStore(dataDir)
  const bare = Fastify()
  bare.get('/', { schema: { response: { 200: ScheduleListSchema } } }, async () => {
    const schedules = await store.schedules.listSchedules()
    return { schedules, count: schedules.length }
  })
  await bare.listen({ port: 0, host: '127.0.0.1' })
  try {
    return await load(`http://127.0.0.1:${(bare.server.address() as { port: number }).port}/`, 16, { seconds: 5 })
  } finally {
    await bare.close()
    await store.close()
  }
}

/** CPU seconds (user + system) a command line costs, by bash's `time`: Node gives no child's own usage. */
function cpuSecondsOf (command: string): number {
  const { stderr } = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; time (${command} >/dev/null 2>&1)`], { encoding: 'utf8' })
  const [user, system] = stderr.trim().split(/\s+/).map(Number)
  return user + system
}

/**
 * Issue 22: what replacing a worker costs the machine, against what any Node start costs. A
 * pooled worker started with stdin closed loads its bundle, finds no task and exits: that is
 * the CPU a retirement spends on its successor. Median of 9 each, one run.
 */
async function benchWorkerStartCost (): Promise<void> {
  const runs = (command: string): number => median(Array.from({ length: 9 }, () => cpuSecondsOf(command)))
  const bare = runs(`${JSON.stringify(process.execPath)} -e 0`)
  const worker = runs(`${JSON.stringify(process.execPath)} ${JSON.stringify(cliEntry)} --pooled < /dev/null`)
  console.log(`worker start to exit, CPU: ${fmt(worker * 1000, 0)} ms; bare node -e 0: ${fmt(bare * 1000, 0)} ms`)
  report({ measure: 'a pooled worker\'s start (what each retirement costs), CPU', value: `${fmt(worker * 1000, 0)} ms`, baseline: `${fmt(bare * 1000, 0)} ms bare node -e 0`, ratio: ratioText(worker, bare), target: '(Node\'s own start is the floor)', met: undefined })
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
  await benchWorkerStartCost()
}
