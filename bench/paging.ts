import type { Config } from '../lib/config.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import { newId } from '../workers/ids.js'
import type { BuiltEvent } from '../workers/channels/types.js'
import { MAX_PAGE } from '../contract/limits.js'
import { fmt, median, summarize } from './measure.js'
import { BENCH_KEY, startBenchServer } from './server.js'
import { ratioText, report } from './summary.js'

// Issue 21: paged reads of a channel of 150,000 stored events through the API (SPEC §12): the
// largest page (5,000) and the default page (now → now + 7 days), and another key's
// GET /api/schedules while one key reads four largest pages at once, against the list alone.

const MINUTE_MS = 60_000

/**
 * Stores `count` built events of `minutes` each, back to back from `from`, on a channel, through
 * the worker's storage as a build stores them (one transaction): a large channel in seconds,
 * without a build's work. Tests reuse it (test/paging.test.ts).
 */
export async function storeBuiltEvents (config: Pick<Config, 'dataDir' | 'databaseUrl'>, channelId: string, count: number, from: number, minutes = 5): Promise<void> {
  const store = config.databaseUrl === null ? await openSqliteStore(config.dataDir) : await openPostgresStore(config.databaseUrl)
  try {
    const step = minutes * MINUTE_MS
    const events: BuiltEvent[] = Array.from({ length: count }, (_, i) => ({
      title: `Programme ${i % 500}`,
      start: from + i * step,
      end: from + (i + 1) * step,
      video_url: `https://cdn.example/programme-${i % 500}.mp4`,
      video_key: `https://cdn.example/programme-${i % 500}.mp4`,
      category: 'Film',
      icon: null,
      origin: { kind: 'item', block: 'all-day' },
      origin_source: 'playlist:bench',
      origin_position: i % 500,
      reason: 'shuffle: skipped 0 in cooldown',
      guide_id: `g-${i}`,
      guide_title: null,
      in_ms: 0,
      episode_num: null,
      build_id: 'stored',
      programme_id: `p-${i}`,
      segment_role: 'part',
      guide_mode: null
    }))
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
    const stored = await store.channels.replaceBuild(channelId, { from, to: from + count * step }, [], events, {
      id: newId(), from_date: day(from), to_date: day(from + count * step), seed: 'stored', freeze_hours: 0, stats: { events: count }, warnings: []
    })
    if (stored === null) throw new Error(`no channel ${channelId}`)
  } finally {
    await store.close()
  }
}

const EVENTS = 150_000
const SMALL_EVENTS = 10_000
const ITEM_MINUTES = 2 // 720 events a day: 150,000 is some 208 days
const DAY_MS = 86_400_000
const READERS = 4
const LISTS = 40
const OTHER_KEY = 'bench-viewer-key-0123456789'

/** One GET with `key`: its time and its answer's size; throws unless 200. */
async function timedGet (url: string, key: string): Promise<{ ms: number, bytes: number, body: string }> {
  const t0 = performance.now()
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } })
  const body = await res.text()
  const ms = performance.now() - t0
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 300)}`)
  return { ms, bytes: body.length, body }
}

/** `n` lists by the other key one after another: their latencies. */
async function lists (url: string, n: number): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < n; i++) samples.push((await timedGet(`${url}/api/schedules`, OTHER_KEY)).ms)
  return samples
}

export async function benchPaging (): Promise<void> {
  const server = await startBenchServer({ LOG_LEVEL: 'warn', SCHEDULEFLOW_API_KEYS: `admin:${BENCH_KEY},viewer:${OTHER_KEY}` })
  try {
    const { channel } = await server.post<{ channel: { id: string } }>('/api/channels', JSON.stringify({ number: '150', name: 'Large', timezone: 'UTC' }), 'application/json')
    const from = Math.floor(Date.now() / DAY_MS) * DAY_MS - 100 * DAY_MS
    await storeBuiltEvents(server.config, channel.id, EVENTS, from, ITEM_MINUTES)
    const base = `${server.url}/api/channels/${channel.id}/events`
    const largestUrl = (round: number) => `${base}?from=${new Date(from + (10 + round * 15) * DAY_MS).toISOString()}&limit=${MAX_PAGE}`

    await timedGet(largestUrl(0), BENCH_KEY) // warm-up
    const largest: number[] = []
    const defaults: number[] = []
    let largestBytes = 0
    let defaultEvents = 0
    for (let round = 1; round <= 5; round++) {
      const page = await timedGet(largestUrl(round), BENCH_KEY)
      largest.push(page.ms)
      largestBytes = page.bytes
      const first = await timedGet(base, BENCH_KEY)
      defaults.push(first.ms)
      defaultEvents = (JSON.parse(first.body) as { events: unknown[] }).events.length
    }
    // The same largest page on a channel of 10,000 events: a page costs what it holds, not the channel.
    const small = (await server.post<{ channel: { id: string } }>('/api/channels', JSON.stringify({ number: '10', name: 'Small', timezone: 'UTC' }), 'application/json')).channel
    await storeBuiltEvents(server.config, small.id, SMALL_EVENTS, from, ITEM_MINUTES)
    const smallUrl = `${server.url}/api/channels/${small.id}/events?from=${new Date(from + DAY_MS).toISOString()}&limit=${MAX_PAGE}`
    await timedGet(smallUrl, BENCH_KEY)
    const smallPages: number[] = []
    for (let round = 1; round <= 5; round++) smallPages.push((await timedGet(smallUrl, BENCH_KEY)).ms)
    const alone = summarize(await lists(server.url, LISTS), 0)

    // One key keeps four largest pages in flight while the other key lists, one after another.
    const state = { reading: true }
    let pagesRead = 0
    const readers = Array.from({ length: READERS }, async (_, r) => {
      for (let round = 0; state.reading; round++) {
        await timedGet(largestUrl((r * 7 + round) % 12), BENCH_KEY)
        pagesRead++
      }
    })
    const during = summarize(await lists(server.url, LISTS), 0)
    state.reading = false
    await Promise.all(readers)

    const largestMs = median(largest)
    const defaultMs = median(defaults)
    const smallMs = median(smallPages)
    console.log(`\n## Paged reads (issue 21): a channel of ${EVENTS.toLocaleString('en')} stored events, through the API`)
    console.log(`largest page (${MAX_PAGE.toLocaleString('en')} events, ${fmt(largestBytes / 1e6, 1)} MB), median of 5: ${largest.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(largestMs, 0)} ms`)
    console.log(`the same largest page of a ${SMALL_EVENTS.toLocaleString('en')}-event channel, median of 5: ${smallPages.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(smallMs, 0)} ms`)
    console.log(`default page (now → now + 7 days: ${defaultEvents.toLocaleString('en')} events), median of 5: ${defaults.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(defaultMs, 0)} ms`)
    console.log(`another key's GET /api/schedules, ${LISTS} in turn: alone p50 ${fmt(alone.p50Ms, 1)} ms p95 ${fmt(alone.p95Ms, 1)} ms; while ${READERS} largest pages are read at once (${pagesRead} read meanwhile) p50 ${fmt(during.p50Ms, 1)} ms p95 ${fmt(during.p95Ms, 1)} ms`)
    report({ measure: `paging: largest page (${MAX_PAGE.toLocaleString('en')} events) of a ${EVENTS.toLocaleString('en')}-event channel (median of 5)`, value: `${fmt(largestMs, 0)} ms`, baseline: `${fmt(alone.p50Ms, 1)} ms GET /api/schedules`, ratio: ratioText(largestMs, alone.p50Ms), target: '—' })
    report({ measure: `paging: largest page of a ${EVENTS.toLocaleString('en')}-event channel against a ${SMALL_EVENTS.toLocaleString('en')}-event one`, value: `${fmt(largestMs, 0)} ms`, baseline: `${fmt(smallMs, 0)} ms on ${SMALL_EVENTS.toLocaleString('en')}`, ratio: ratioText(largestMs, smallMs), target: 'about 1× (a page costs what it holds)' })
    report({ measure: `paging: default page (now → now + 7 days, ${defaultEvents.toLocaleString('en')} events) of that channel (median of 5)`, value: `${fmt(defaultMs, 0)} ms`, baseline: `${fmt(largestMs, 0)} ms the largest page`, ratio: ratioText(defaultMs, largestMs), target: '—' })
    report({ measure: `paging: another key's GET /api/schedules p95 while one key reads ${READERS} largest pages at once`, value: `${fmt(during.p95Ms, 1)} ms`, baseline: `${fmt(alone.p95Ms, 1)} ms p95 alone`, ratio: ratioText(during.p95Ms, alone.p95Ms), target: '—' })
  } finally {
    await server.close()
  }
}
