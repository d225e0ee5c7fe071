import type { EditAnswer, EventEditAnswer, ProgrammeEditAnswer, UndoAnswer } from '../contract/api.js'
import type { BuiltEvent } from '../workers/channels/types.js'
import { videoKey } from '../workers/schedule/checks/cooldown.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import type { Store } from '../workers/storage/store.js'
import { fmt, median } from './measure.js'
import { scheduleDocument } from './schedules.js'
import { BENCH_KEY, startBenchServer, type BenchServer } from './server.js'
import { ratioText, report } from './summary.js'

// Issue 14: editing by hand on a 10,000-event schedule, end to end through the API (the worker
// reads the timeline, writes the edit and its history in one transaction, and works out the
// warnings on the whole timeline): one move (PATCH), a bulk edit of 1,000 updates, and its undo,
// beside GET /api/health in the same run. Issue 21 item 2: the same move on a channel of
// 150,000 stored events beside one of 10,000 (an edit's warnings cost what it touches, not the
// timeline), and the undo of a 1,000-event bulk edit on the large one. Issue 23: a programme's
// move (its parts, break and pad at once) on the large one, beside an event's move there.

const EVENTS = 10_000
const BULK = 1_000
const MOVE_TARGET_MS = 150
const UNDO_TARGET_MS = 500

const BIG_CHANNEL = 150_000
const SMALL_CHANNEL = 10_000
/** Distinct videos a channel's events cycle through: each airs every few days, so replays are near. */
const CATALOGUE = 700

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
    await benchChannelEditing(server, healthMs)
  } finally {
    await server.close()
  }
}

/**
 * A channel holding `count` built events, stored as a build stores them (one replaceBuild:
 * seconds, not the hours a 150,000-event build through the API would take): back-to-back
 * events of 10 to 30 minutes cycling through CATALOGUE videos.
 */
async function channelOf (server: BenchServer, store: Store, number: string, count: number): Promise<string> {
  const res = await fetch(`${server.url}/api/channels`, { method: 'POST', headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ number, name: `Bench ${number}`, timezone: 'UTC' }) })
  if (res.status !== 201) throw new Error(`creating the channel answered ${res.status}: ${await res.text()}`)
  const { channel } = await res.json() as { channel: { id: string } }
  const events: BuiltEvent[] = []
  let t = Date.UTC(2026, 0, 1)
  for (let i = 0; i < count; i++) {
    const n = i % CATALOGUE
    const title = `Programme ${n}`
    const url = `https://cdn.example/programme-${n}.mp4`
    const end = t + (10 + (i * 7) % 21) * 60_000
    events.push({ title, start: t, end, video_url: url, video_key: videoKey({ title, video_url: url }), category: null, icon: null, origin: { kind: 'item', block: 'bench' }, origin_source: 'playlist:bench', origin_position: n, reason: 'bench', guide_id: `g${i}`, guide_title: null, in_ms: 0, episode_num: null, build_id: 'bench', ...programmeSegment(i), guide_mode: null })
    t = end
  }
  await store.channels.replaceBuild(channel.id, { from: events[0].start, to: t }, [], events, { id: `bench-${number}`, from_date: '2026-01-01', to_date: new Date(t).toISOString().slice(0, 10), seed: 'bench', freeze_hours: 0, stats: {}, warnings: {} })
  return channel.id
}

/** Events grouped four by four into programmes as a film with breaks is: part, break, part, pad (SPEC §14). */
const SEGMENTS = ['part', 'break', 'part', 'pad'] as const
const programmeSegment = (i: number): Pick<BuiltEvent, 'programme_id' | 'segment_role'> => ({ programme_id: `p${Math.floor(i / SEGMENTS.length)}`, segment_role: SEGMENTS[i % SEGMENTS.length] })

/** PATCH moves of ten programmes spread over the channel, each whole (its four segments) five minutes later; the first warms up. */
async function programmeMovesOn (server: BenchServer, store: Store, channelId: string): Promise<{ ms: number[], segments: number }> {
  const events = await store.channels.channelEvents(channelId)
  const ms: number[] = []
  let segments = 0
  for (let i = 0; i <= 10; i++) {
    const first = events.find((e, k) => k >= Math.floor((events.length - 1) * (i + 0.3) / 11) && e.segment_role === 'part' && e.programme_id !== null && events[k + 1]?.segment_role === 'break')!
    const move = await timed<ProgrammeEditAnswer>(server, 'PATCH', `/api/channels/${channelId}/programmes/${first.programme_id!}`, { start: new Date(first.start + 5 * 60_000).toISOString() })
    if (i > 0) ms.push(move.ms)
    segments = move.value.programme?.segments.length ?? 0
  }
  return { ms, segments }
}

/** PATCH moves of ten events spread over the channel (each five minutes into its successor); the first warms up. */
async function movesOn (server: BenchServer, store: Store, channelId: string): Promise<{ ms: number[], warnings: number }> {
  const events = await store.channels.channelEvents(channelId)
  const ms: number[] = []
  let warnings = 0
  for (let i = 0; i <= 10; i++) {
    const event = events[Math.floor((events.length - 1) * (i + 0.5) / 11)]
    const move = await timed<EventEditAnswer>(server, 'PATCH', `/api/channels/${channelId}/events/${event.id}`, { start: new Date(event.start + 5 * 60_000).toISOString(), end: new Date(event.end + 5 * 60_000).toISOString() })
    if (i > 0) ms.push(move.ms)
    warnings = move.value.warnings.conflicts_total + move.value.warnings.cooldown_total
  }
  return { ms, warnings }
}

async function benchChannelEditing (server: BenchServer, healthMs: number): Promise<void> {
  const store = server.config.databaseUrl === null ? await openSqliteStore(server.config.dataDir) : await openPostgresStore(server.config.databaseUrl)
  try {
    const t0 = performance.now()
    const big = await channelOf(server, store, '150', BIG_CHANNEL)
    const small = await channelOf(server, store, '10', SMALL_CHANNEL)
    const setupMs = performance.now() - t0
    const smallMoves = await movesOn(server, store, small)
    const bigMoves = await movesOn(server, store, big)
    const smallMs = median(smallMoves.ms)
    const bigMs = median(bigMoves.ms)
    const programmeMoves = await programmeMovesOn(server, store, big)
    const programmeMs = median(programmeMoves.ms)

    // A bulk of 1,000 updates in the middle of the large channel (each moved a minute, into its
    // successor, and retitled), then its undo; three rounds.
    const middle = (await store.channels.channelEvents(big)).slice(BIG_CHANNEL / 2, BIG_CHANNEL / 2 + 3 * BULK)
    const bulks: number[] = []
    const undos: number[] = []
    let undoWarnings = 0
    for (let round = 0; round < 3; round++) {
      const ops = middle.slice(round * BULK, (round + 1) * BULK).map((e) => ({ op: 'update', id: e.id, title: `Edited ${round}`, start: new Date(e.start + 60_000).toISOString(), end: new Date(e.end + 60_000).toISOString() }))
      const bulk = await timed<EditAnswer>(server, 'POST', `/api/channels/${big}/events/bulk`, { ops })
      bulks.push(bulk.ms)
      const undo = await timed<UndoAnswer>(server, 'POST', `/api/channels/${big}/undo`)
      if (undo.value.reverted[0] !== bulk.value.revision) throw new Error(`the undo reverted ${JSON.stringify(undo.value.reverted)}, not ${bulk.value.revision}`)
      undos.push(undo.ms)
      undoWarnings = undo.value.warnings.conflicts_total + undo.value.warnings.cooldown_total
    }
    const bulkMs = median(bulks)
    const undoMs = median(undos)

    const n = (count: number): string => count.toLocaleString('en')
    console.log(`\n## Editing a channel (issue 21 item 2): ${n(BIG_CHANNEL)} stored events beside ${n(SMALL_CHANNEL)} (stored in ${fmt(setupMs / 1000, 1)} s by one build write each)`)
    console.log(`PATCH move with its warnings (${smallMoves.warnings} answered), ${n(SMALL_CHANNEL)}-event channel, median of 10: ${smallMoves.ms.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(smallMs, 1)} ms`)
    console.log(`PATCH move with its warnings (${bigMoves.warnings} answered), ${n(BIG_CHANNEL)}-event channel, median of 10: ${bigMoves.ms.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(bigMs, 1)} ms (target ≤ ${MOVE_TARGET_MS} ms: ${bigMs <= MOVE_TARGET_MS ? 'met' : 'MISSED'}; ${ratioText(bigMs, smallMs)} the ${n(SMALL_CHANNEL)}-event channel's)`)
    console.log(`PATCH move of a programme (${programmeMoves.segments} segments, whole) on the ${n(BIG_CHANNEL)}-event channel, median of 10: ${programmeMoves.ms.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(programmeMs, 1)} ms (target ≤ ${MOVE_TARGET_MS} ms: ${programmeMs <= MOVE_TARGET_MS ? 'met' : 'MISSED'}; ${ratioText(programmeMs, bigMs)} an event's move)`)
    console.log(`bulk edit of ${n(BULK)} updates on the ${n(BIG_CHANNEL)}-event channel (median of 3): ${bulks.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(bulkMs, 0)} ms`)
    console.log(`undo of that bulk edit, ${undoWarnings} warnings answered (median of 3): ${undos.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(undoMs, 0)} ms (target ≤ ${UNDO_TARGET_MS} ms: ${undoMs <= UNDO_TARGET_MS ? 'met' : 'MISSED'})`)
    report({ measure: `edit: PATCH move on a ${n(BIG_CHANNEL)}-event channel, with warnings (median of 10)`, value: `${fmt(bigMs, 1)} ms`, baseline: `${fmt(smallMs, 1)} ms on a ${n(SMALL_CHANNEL)}-event channel`, ratio: ratioText(bigMs, smallMs), target: `≤ ${MOVE_TARGET_MS} ms`, met: bigMs <= MOVE_TARGET_MS })
    report({ measure: `edit: PATCH move of a programme (${programmeMoves.segments} segments) on a ${n(BIG_CHANNEL)}-event channel (median of 10)`, value: `${fmt(programmeMs, 1)} ms`, baseline: `${fmt(bigMs, 1)} ms an event's move there`, ratio: ratioText(programmeMs, bigMs), target: `≤ ${MOVE_TARGET_MS} ms`, met: programmeMs <= MOVE_TARGET_MS })
    report({ measure: `edit: PATCH move on a ${n(SMALL_CHANNEL)}-event channel, with warnings (median of 10)`, value: `${fmt(smallMs, 1)} ms`, baseline: `${fmt(healthMs, 2)} ms GET /api/health`, ratio: ratioText(smallMs, healthMs), target: `≤ ${MOVE_TARGET_MS} ms`, met: smallMs <= MOVE_TARGET_MS })
    report({ measure: `edit: undo of a ${n(BULK)}-event bulk edit on a ${n(BIG_CHANNEL)}-event channel (median of 3)`, value: `${fmt(undoMs, 0)} ms`, baseline: `${fmt(bulkMs, 0)} ms the bulk edit itself`, ratio: ratioText(undoMs, bulkMs), target: `≤ ${UNDO_TARGET_MS} ms`, met: undoMs <= UNDO_TARGET_MS })
  } finally {
    await store.close()
  }
}
