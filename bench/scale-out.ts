import { load, loadLine, medianFigure, type LoadFigure } from './load.js'
import { fmt } from './measure.js'
import { BENCH_KEY, startBenchServer, type BenchServer } from './server.js'
import { ratioText, report } from './summary.js'
import { scheduleDocument } from './schedules.js'
import { DAYS, fillRequest, LINKS, linksPlaylist } from './autofill.js'
import { benchPostgres, freshDatabase } from './postgres.js'
import { startInstance, startNginx, type Stop } from './cluster.js'
import { findBinary, tempDir, type Lifetime } from './processes.js'

// Issue 12: the same figures on SQLite and on PostgreSQL, in one run on one machine.

interface StorageFigures { list: LoadFigure, importMs: number, fillMs: number }

async function timed (work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await work()
  return performance.now() - t0
}

/** The list at 16 connections, an import of 10,000 events and an auto-fill of 10,000 links × 31 days. */
async function measure (server: BenchServer): Promise<StorageFigures> {
  for (let i = 0; i < 20; i++) await server.post('/api/schedules/import', scheduleDocument(50), 'application/json')
  const list = await load(`${server.url}/api/schedules`, 16, { seconds: 5, headers: { authorization: `Bearer ${BENCH_KEY}` } })
  const document = scheduleDocument(10_000)
  await server.post('/api/schedules/import', document, 'application/json') // warm: the worker's import code loaded
  const importMs = await timed(() => server.post('/api/schedules/import', document, 'application/json'))
  const playlist = (await server.post('/api/playlists/import', linksPlaylist(LINKS), 'audio/x-mpegurl')).playlist as { id: string }
  const fillMs = await timed(() => server.post('/api/schedules/auto-fill', fillRequest(playlist.id, 'bench'), 'application/json'))
  return { list, importMs, fillMs }
}

/**
 * GET /api/schedules at 16 connections through the real nginx (deploy/nginx), to one instance
 * and to three, all on one PostgreSQL database (no Redis: limits are out of the way here).
 */
async function oneAgainstThree (adminUrl: string): Promise<{ one: LoadFigure[], three: LoadFigure[] } | null> {
  const nginx = findBinary('nginx', ['/usr/sbin'])
  if (nginx === null) {
    console.log('one instance against three: left out, nginx not found (apt-get install nginx-light)')
    return null
  }
  const cleanups: Array<() => unknown> = []
  const life: Lifetime = { teardown: (cleanup) => cleanups.push(cleanup) }
  const stops: Stop[] = []
  try {
    const env = {
      DATABASE_URL: await freshDatabase(adminUrl),
      SCHEDULEFLOW_DATA_DIR: tempDir(life, 'scheduleflow-bench-cluster-'),
      SCHEDULEFLOW_API_KEYS: `admin:${BENCH_KEY}`,
      SCHEDULEFLOW_RATE_LIMIT_MAX: '1000000',
      SCHEDULEFLOW_TEST_COMMANDS: 'false',
      LOG_LEVEL: 'warn'
    }
    const instances = await Promise.all(['bench-1', 'bench-2', 'bench-3'].map((id) => startInstance(life, id, env, stops)))
    const ports = instances.map((i) => Number(new URL(i.url).port))
    const toOne = await startNginx(life, nginx, ports.slice(0, 1), stops)
    const toThree = await startNginx(life, nginx, ports, stops)
    const authorization = `Bearer ${BENCH_KEY}`
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${toThree.url}/api/schedules/import`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: scheduleDocument(50) })
      if (res.status !== 201) throw new Error(`import answered ${res.status}`)
    }
    const list = (url: string): Promise<LoadFigure> => load(`${url}/api/schedules`, 16, { seconds: 5, headers: { authorization } })
    // Warmed for 5 s first: three instances start three times the workers, and the figure is of
    // the service running, not of its processes starting. Then in turns, three rounds each (the
    // median of each figure): on two shared cores the speed drifts within a minute by more than
    // the difference measured, and two figures taken a minute apart would measure that drift.
    await list(toOne.url)
    await list(toThree.url)
    const one: LoadFigure[] = []
    const three: LoadFigure[] = []
    for (let round = 0; round < 3; round++) {
      one.push(await list(toOne.url))
      three.push(await list(toThree.url))
    }
    return { one, three }
  } finally {
    for (const stop of stops.reverse()) await stop()
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
}

export async function benchScaleOut (): Promise<void> {
  console.log('\n## PostgreSQL beside SQLite (issue 12)')
  const postgres = await benchPostgres()
  if (postgres === null) return
  try {
    const figures: Record<'sqlite' | 'postgres', StorageFigures> = {} as never
    for (const kind of ['sqlite', 'postgres'] as const) {
      const server = await startBenchServer({ LOG_LEVEL: 'warn', ...(kind === 'postgres' && { DATABASE_URL: await freshDatabase(postgres.adminUrl) }) })
      try {
        figures[kind] = await measure(server)
      } finally {
        await server.close()
      }
      const f = figures[kind]
      console.log(loadLine(`${kind}: GET /api/schedules, 16 connections`, f.list))
      console.log(`${kind}: import 10,000 events ${fmt(f.importMs, 0)} ms; auto-fill ${LINKS.toLocaleString('en')} links × ${DAYS} d ${fmt(f.fillMs, 0)} ms`)
    }
    const { sqlite, postgres: pg } = figures
    report({ measure: 'PostgreSQL: GET /api/schedules, 16 conn.', value: `${fmt(pg.list.rps, 0)} req/s, p95 ${fmt(pg.list.p95, 0)} ms`, baseline: `${fmt(sqlite.list.rps, 0)} req/s SQLite`, ratio: ratioText(pg.list.rps, sqlite.list.rps, 'percent'), target: '' })
    report({ measure: 'PostgreSQL: import 10,000 events, end to end', value: `${fmt(pg.importMs, 0)} ms`, baseline: `${fmt(sqlite.importMs, 0)} ms SQLite`, ratio: ratioText(pg.importMs, sqlite.importMs), target: '≤ 2000 ms', met: pg.importMs <= 2000 })
    report({ measure: `PostgreSQL: auto-fill ${LINKS.toLocaleString('en')} links × ${DAYS} d`, value: `${fmt(pg.fillMs, 0)} ms`, baseline: `${fmt(sqlite.fillMs, 0)} ms SQLite`, ratio: ratioText(pg.fillMs, sqlite.fillMs), target: '' })

    const cluster = await oneAgainstThree(postgres.adminUrl)
    if (cluster !== null) {
      const [one, three] = [medianFigure(cluster.one), medianFigure(cluster.three)]
      const rounds = (figures: LoadFigure[]): string => figures.map((f) => fmt(f.rps, 0)).join(', ')
      console.log(`${loadLine('nginx → 1 instance: GET /api/schedules, 16 conn., median of 3', one)}  rounds ${rounds(cluster.one)} req/s`)
      console.log(`${loadLine('nginx → 3 instances: GET /api/schedules, 16 conn., median of 3 (in turns with one)', three)}  rounds ${rounds(cluster.three)} req/s`)
      // On two cores both are bound by the same CPU, so "no slower" is judged against what the
      // machine can tell apart: a shortfall within one instance's own spread between its rounds is none.
      const oneRps = cluster.one.map((f) => f.rps)
      const spread = (Math.max(...oneRps) - Math.min(...oneRps)) / one.rps
      report({ measure: 'PostgreSQL, nginx → 3 instances vs 1: GET /api/schedules (medians of 3 rounds in turns)', value: `${fmt(three.rps, 0)} req/s, p95 ${fmt(three.p95, 0)} ms`, baseline: `${fmt(one.rps, 0)} req/s, p95 ${fmt(one.p95, 0)} ms`, ratio: ratioText(three.rps, one.rps), target: `≥ 1× (no slower than one's own spread between rounds, ${fmt(spread * 100, 0)} %)`, met: three.rps >= one.rps * (1 - spread) })
    }
  } finally {
    await postgres.stop()
  }
}
