import type { EditAnswer, EventEditAnswer, UndoAnswer } from '../contract/api.js'
import { fmt } from './measure.js'
import { scheduleDocument } from './schedules.js'
import { BENCH_KEY, startBenchServer, type BenchServer } from './server.js'
import { ratioText, report } from './summary.js'

// Issue 14: editing by hand on a 10,000-event schedule, end to end through the API (the worker
// reads the timeline, writes the edit and its history in one transaction, and works out the
// warnings on the whole timeline): one move (PATCH), a bulk edit of 1,000 updates, and its undo,
// beside GET /api/health in the same run.

const EVENTS = 10_000
const BULK = 1_000
const MOVE_TARGET_MS = 150
const UNDO_TARGET_MS = 500

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function timed<T> (server: BenchServer, method: string, path: string, body?: unknown): Promise<{ ms: number, value: T }> {
  const t0 = performance.now()
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_KEY}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  const ms = performance.now() - t0
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`)
  return { ms, value: JSON.parse(text) as T }
}

export async function benchEditing (): Promise<void> {
  const server = await startBenchServer({ LOG_LEVEL: 'warn' })
  try {
    const { schedule_id: id } = await server.post<{ schedule_id: string }>('/api/schedules/import', scheduleDocument(EVENTS), 'application/json')
    // Every event, a page at a time (SPEC §12).
    const events: Array<{ id: string, start: string, end: string }> = []
    for (let next: string | undefined = `/api/schedules/${id}?limit=5000`; next !== undefined;) {
      const read: { value: { events: typeof events, next?: string } } = await timed(server, 'GET', next)
      events.push(...read.value.events)
      next = read.value.next
    }
    if (events.length !== EVENTS) throw new Error(`the schedule has ${events.length} events, not ${EVENTS}`)
    const base = `/api/schedules/${id}`
    const plus = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString()

    // a. One move: event k five minutes later (into its successor: an overlap warning to answer).
    await timed(server, 'GET', '/api/health') // warm-up
    const moves: number[] = []
    const health: number[] = []
    let warnings = 0
    for (let i = 0; i <= 10; i++) {
      const event = events[100 + i * 900]
      const move = await timed<EventEditAnswer>(server, 'PATCH', `${base}/events/${event.id}`, { start: plus(event.start, 5) })
      if (i > 0) moves.push(move.ms) // the first warms the worker and its prepared statements
      warnings = move.value.warnings.conflicts_total
      health.push((await timed(server, 'GET', '/api/health')).ms)
    }
    const moveMs = median(moves)
    const healthMs = median(health)

    // b. A bulk edit of 1,000 updates (each event retitled and moved a minute), then its undo; three rounds.
    const bulks: number[] = []
    const undos: number[] = []
    for (let round = 0; round < 3; round++) {
      const ops = events.slice(2000 + round * BULK, 2000 + (round + 1) * BULK).map((e) => ({ op: 'update', id: e.id, title: `Edited ${round}`, start: plus(e.start, 1) }))
      const bulk = await timed<EditAnswer>(server, 'POST', `${base}/events/bulk`, { ops })
      if (bulk.value.results.length !== BULK) throw new Error(`the bulk edit answered ${bulk.value.results.length} results`)
      bulks.push(bulk.ms)
      const undo = await timed<UndoAnswer>(server, 'POST', `${base}/undo`)
      if (undo.value.reverted[0] !== bulk.value.revision) throw new Error(`the undo reverted ${JSON.stringify(undo.value.reverted)}, not ${bulk.value.revision}`)
      undos.push(undo.ms)
    }
    const bulkMs = median(bulks)
    const undoMs = median(undos)

    console.log(`\n## Editing by hand (issue 14): a ${EVENTS.toLocaleString('en')}-event schedule, through the API`)
    console.log(`PATCH move with its warnings (${warnings} on the timeline), median of 10: ${moves.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(moveMs, 1)} ms (target ≤ ${MOVE_TARGET_MS} ms: ${moveMs <= MOVE_TARGET_MS ? 'met' : 'MISSED'}); GET /api/health ${fmt(healthMs, 2)} ms`)
    console.log(`bulk edit of ${BULK.toLocaleString('en')} updates (median of 3): ${bulks.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(bulkMs, 0)} ms`)
    console.log(`undo of that bulk edit (median of 3): ${undos.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(undoMs, 0)} ms (target ≤ ${UNDO_TARGET_MS} ms: ${undoMs <= UNDO_TARGET_MS ? 'met' : 'MISSED'})`)
    report({ measure: `edit: PATCH move on a ${EVENTS.toLocaleString('en')}-event schedule, with warnings (median of 10)`, value: `${fmt(moveMs, 1)} ms`, baseline: `${fmt(healthMs, 2)} ms GET /api/health`, ratio: ratioText(moveMs, healthMs), target: `≤ ${MOVE_TARGET_MS} ms`, met: moveMs <= MOVE_TARGET_MS })
    report({ measure: `edit: bulk of ${BULK.toLocaleString('en')} updates (median of 3)`, value: `${fmt(bulkMs, 0)} ms`, baseline: `${fmt(healthMs, 2)} ms GET /api/health`, ratio: ratioText(bulkMs, healthMs), target: '—' })
    report({ measure: `edit: undo of a ${BULK.toLocaleString('en')}-event bulk edit (median of 3)`, value: `${fmt(undoMs, 0)} ms`, baseline: `${fmt(bulkMs, 0)} ms the bulk edit itself`, ratio: ratioText(undoMs, bulkMs), target: `≤ ${UNDO_TARGET_MS} ms`, met: undoMs <= UNDO_TARGET_MS })
  } finally {
    await server.close()
  }
}
