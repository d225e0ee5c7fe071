import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { cliEntry } from '../workers/project.js'
import { detectOverlaps } from '../workers/schedule/checks/overlaps.js'
import { exportSchedules } from '../workers/schedule/export/index.js'
import { prepareImport } from '../workers/schedule/import/prepare-import.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import type { WorkerLogLine } from '../workers/protocol.js'
import { bareNodeSpawn, fmt, timeCalls } from './measure.js'
import { startBenchServer } from './server.js'
import { ratioText, report } from './summary.js'

/** N half-hour events from 2025-01-01, one in 50 overlapping its successor, 200 distinct videos. */
export function scheduleDocument (n: number): string {
  const base = Date.UTC(2025, 0, 1)
  const schedule = Array.from({ length: n }, (_, i) => ({
    title: `Programme ${i}`,
    start: new Date(base + i * 1_800_000).toISOString(),
    end: new Date(base + (i + 1) * 1_800_000 + (i % 50 === 0 ? 600_000 : 0)).toISOString(),
    videoUrl: `https://cdn.example/video-${i % 200}.mp4`,
    category: ['News', 'Film', 'Kids', 'Sport'][i % 4],
    tags: ['bench']
  }))
  return JSON.stringify({ metadata: { title: `Bench ${n}` }, schedule })
}

/** N programmes on 4 channels, none with a stop: each ends where the next on its channel starts. */
function xmltvWithoutStop (n: number): string {
  const base = Date.UTC(2025, 0, 1)
  const parts = ['<tv>']
  for (let i = 0; i < n; i++) {
    const start = new Date(base + Math.floor(i / 4) * 1_800_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
    parts.push(`<programme start="${start} +0000" channel="c${i % 4}"><title>Programme ${i}</title></programme>`)
  }
  parts.push('</tv>')
  return parts.join('\n')
}

/** The peak resident size (MB) of one m3upro run by hand, from its "command finished" log line. */
function freshProcessPeakMb (args: string[], input: string, dataDir: string): number {
  const run = spawnSync(process.execPath, [cliEntry, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, SCHEDULEFLOW_DATA_DIR: dataDir } })
  if (run.status !== 0) throw new Error(`m3upro ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(-500)}`)
  const finished = run.stderr.split('\n').filter((line) => line.includes('"max_rss_mb"')).at(-1)
  const peak = finished === undefined ? undefined : (JSON.parse(finished) as WorkerLogLine).max_rss_mb
  return typeof peak === 'number' ? peak : 0
}

async function timeOnce<T> (fn: () => Promise<T> | T): Promise<{ ms: number, value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}

/** Issue #3: imports of 10,000 and 100,000 events, overlap sweep, XMLTV export. */
export async function benchSchedules (): Promise<void> {
  const server = await startBenchServer()
  const { app, dir } = server
  try {
    const spawn = await timeCalls(10, 1, bareNodeSpawn)
    const idleRss = freshProcessPeakMb(['list-schedules'], '', app.config.dataDir)

    console.log('\n## Schedules (issue #3)')
    console.log(`baseline: bare node spawn ${fmt(spawn.meanMs)} ms\n`)
    for (const n of [10_000, 100_000]) {
      const doc = scheduleDocument(n)
      const parse = await timeOnce(() => JSON.parse(doc))
      const viaApi = await timeOnce(() => server.post<{ schedule_id: string }>('/api/schedules/import', doc, 'application/json'))
      // The same import in a fresh m3upro process on the same store, its peak read from its closing
      // log line: a pooled worker's peak is its whole life's, the imports before this one too.
      const maxRss = freshProcessPeakMb(['import-schedule'], doc, app.config.dataDir)
      const store = await openSqliteStore(join(dir, 'inproc'))
      const inProcess = await timeOnce(async () => {
        const { document, warnings } = await prepareImport(Buffer.from(doc), { timezone: 'UTC', cooldownHours: 48 })
        return store.schedules.createSchedule({ ...document, warnings })
      })
      await store.close()
      const target = n === 10_000 ? 1000 : 8000
      console.log(`import ${n.toLocaleString('en')} events (${fmt(doc.length / 1e6)} MB JSON):`)
      console.log(`  end to end through the API  ${fmt(viaApi.ms, 0).padStart(6)} ms  (${fmt(viaApi.ms / spawn.meanMs)}× a bare spawn; target < ${target} ms: ${viaApi.ms < target ? 'met' : 'MISSED'})`)
      console.log(`  in-process                  ${fmt(inProcess.ms, 0).padStart(6)} ms  (${fmt(inProcess.ms / parse.ms)}× JSON.parse of the document, ${fmt(parse.ms, 0)} ms)`)
      report({ measure: `import ${n.toLocaleString('en')} events, end to end`, value: `${fmt(viaApi.ms, 0)} ms`, baseline: `${fmt(inProcess.ms, 0)} ms in-process`, ratio: ratioText(viaApi.ms, inProcess.ms), target: `≤ ${target} ms`, met: viaApi.ms <= target })
      const memoryMet = maxRss > 0 && maxRss < 300
      console.log(`  worker peak memory          ${String(maxRss).padStart(6)} MB  (a fresh process; ${idleRss} MB listing the schedules; target < 300 MB: ${memoryMet ? 'met' : 'MISSED'})`)
      report({ measure: `import ${n.toLocaleString('en')} events, worker peak memory (a fresh process)`, value: `${maxRss} MB`, baseline: `${idleRss} MB listing the schedules`, ratio: ratioText(maxRss, idleRss), target: '< 300 MB', met: memoryMet })
      if (n === 10_000) {
        const id = viaApi.value.schedule_id
        const exported = await timeOnce(() => server.get(`/api/schedules/${id}/export?format=xmltv`).then((r) => r.text()))
        const reader = await openSqliteStore(join(dir, 'data'))
        const schedule = { ...(await reader.schedules.getSchedule(id))!, events: await reader.schedules.listEvents(id) }
        await reader.close()
        const exportInProcess = await timeOnce(() => exportSchedules('xmltv', [schedule]))
        console.log(`export 10,000 events to XMLTV: ${fmt(exported.ms, 0)} ms end to end (${fmt(exported.value.length / 1e6)} MB), ${fmt(exportInProcess.ms, 0)} ms in-process`)
      }
    }

    const base = Date.UTC(2025, 0, 1)
    const sweepEvents = Array.from({ length: 100_000 }, (_, i) => ({ index: i, title: `e${i}`, start: base + i * 60_000, end: base + i * 60_000 + (i % 10 === 0 ? 150_000 : 60_000), channel: null }))
    const sorted = await timeOnce(() => [...sweepEvents].sort((a, b) => a.start - b.start))
    const sweep = await timeOnce(() => detectOverlaps(sweepEvents))
    console.log(`overlap detection on 100,000 events: ${fmt(sweep.ms, 0)} ms, ${sweep.value.total} pairs (${fmt(sweep.ms / Math.max(sorted.ms, 0.01))}× one sort of them, ${fmt(sorted.ms, 1)} ms)`)

    // Issue 8 item 6: programmes without stop end at the next start on their channel, in one pass.
    for (const n of [60_000, 200_000]) {
      const guide = xmltvWithoutStop(n)
      const read = await timeOnce(() => prepareImport(Buffer.from(guide), { timezone: 'UTC', cooldownHours: 48 }))
      console.log(`XMLTV import of ${n.toLocaleString('en')} programmes without stop, in-process: ${fmt(read.ms, 0)} ms (${read.value.report.unique_events} events)`)
    }
  } finally {
    await server.close()
  }
}
