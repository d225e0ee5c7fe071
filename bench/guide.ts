import type { Channel, Template } from '../contract/api.js'
import { EXPORT_FORMATS } from '../contract/formats.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import type { GuideEvent } from '../workers/storage/channels.js'
import { guideEntries } from '../workers/channels/guide.js'
import { channelsXmltv, xmltvDocument, type ChannelGuide, type XmltvProgramme } from '../workers/schedule/export/xmltv.js'
import { fmt, median } from './measure.js'
import { BENCH_KEY, send, startBenchServer } from './server.js'
import { ratioText, report } from './summary.js'

// Issue 23: the guide shows programmes. 20 channels × 7 days like the (Europe/London,
// the week of the spring clock change, films with breaks every 30 minutes and pad, promos under
// a minute in the breaks, a sequential series, idents as the default filler overnight): the
// first is the guide test's channel (4–5 minute idents, the Boat Race), the others air idents
// under a minute overnight as the channel did; built through the API; then the guide
// of the same stored rows written two ways in this process — before (one entry per guide_id,
// the grouping issue 23 replaced, kept here only as the baseline) and after (programmes and
// guide modes, channels/guide.ts) — for entries, bytes and time, and guide.xml through the API
// (first request after a write, 304) beside GET /api/health.

const CHANNELS = 20
const DAYS = 7

/** An M3U of `count` items titled `${prefix} 1…`, lengths (seconds) in turn. */
export function m3u (count: number, prefix: string, seconds: number[]): string {
  const lines = ['#EXTM3U']
  for (let i = 0; i < count; i++) lines.push(`#EXTINF:${seconds[i % seconds.length]},${prefix} ${i + 1}`, `https://cdn.example/${prefix.replace(/\W/g, '')}-${i}.mp4`)
  return lines.join('\n')
}

/** The guide test's template (test/guide-programmes.test.ts): films 12:00–19:00 with breaks and pad, a sequential series 19:00–21:00. */
function template (films: string, series: string, promos: string, trailers: string): Template {
  const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
  return {
    cooldown_hours: 24,
    blocks: [
      { id: 'films', days: [...every], start: '12:00', end: '19:00', source: { playlist: films }, order: 'shuffle', fill: 'pad', filler: trailers, breaks: { every_minutes: 30, max_seconds: 90, filler: promos } },
      { id: 'series', days: [...every], start: '19:00', end: '21:00', source: { playlist: series }, order: 'sequential', fill: 'pad', filler: promos }
    ]
  } as Template
}

// ── Before: one guide entry per guide_id (the grouping before issue 23), the baseline only ──

interface OldEntry { title: string, start: number, end: number, category: string | null, icon: string | null, episode_num: string | null, events: number[] }

function oldGuideEntries (events: GuideEvent[]): OldEntry[] {
  const entries: OldEntry[] = []
  const byId = new Map<string, OldEntry>()
  events.forEach((e, i) => {
    const id = e.guide_id ?? e.id
    const kind = e.origin?.kind ?? 'item'
    let entry = byId.get(id)
    if (entry === undefined) {
      entry = { title: e.guide_title ?? e.title, start: e.start, end: e.end, category: e.category, icon: e.icon, episode_num: e.episode_num, events: [] }
      byId.set(id, entry)
      entries.push(entry)
    } else if (e.guide_title === null && entry.events.every((j) => (events[j].origin?.kind ?? 'item') !== 'item') && kind === 'item') {
      Object.assign(entry, { title: e.title, category: e.category, icon: e.icon, episode_num: e.episode_num })
    }
    entry.start = Math.min(entry.start, e.start)
    entry.end = Math.max(entry.end, e.end)
    entry.events.push(i)
  })
  return entries
}

function oldXmltv (channels: ChannelGuide[]): string {
  const programmes: XmltvProgramme[] = []
  for (const { channel, events } of channels) {
    for (const entry of oldGuideEntries(events)) {
      const { start, end: stop, title, category, episode_num: episodeNum } = entry
      programmes.push({ start, stop, channel: channel.xmltv_id, title, desc: events[entry.events[0]].description, category, icon: null, episodeNum })
    }
  }
  return xmltvDocument(channels.map(({ channel: c }) => ({ id: c.xmltv_id, name: c.name, number: c.number, icon: c.logo })), programmes, 'guide.xml').body
}

// ── Measuring ─────────────────────────────────────────────────────────────────────────

const count = (xml: string): number => xml.split('<programme ').length - 1

function timedSync<T> (call: () => T): { ms: number, value: T } {
  const t0 = performance.now()
  const value = call()
  return { ms: performance.now() - t0, value }
}

/** Entries a day (UTC) of one channel's guide, before → after. */
function perDay (before: OldEntry[], after: Array<{ start: number }>): string {
  const days = new Map<string, [number, number]>()
  const add = (start: number, k: 0 | 1): void => {
    const day = new Date(start).toISOString().slice(0, 10)
    const counts = days.get(day) ?? [0, 0]
    counts[k]++
    days.set(day, counts)
  }
  for (const e of before) add(e.start, 0)
  for (const e of after) add(e.start, 1)
  return [...days].sort().map(([day, [b, a]]) => `${day}: ${b} → ${a}`).join(', ')
}

export async function benchGuide (): Promise<void> {
  const server = await startBenchServer({ LOG_LEVEL: 'warn' })
  try {
    const ids: Record<string, string> = {}
    const lists = {
      films: m3u(30, 'Film', [5400, 6000, 6600, 7080, 5820]),
      series: m3u(20, 'Harbour Lights S02E', [1500]),
      promos: m3u(12, 'Promo', [20, 30, 15]),
      trailers: m3u(10, 'Trailer', [90, 150, 120]),
      night: m3u(12, 'Station ident - Night', [300, 240]),
      shortNight: m3u(30, 'Station ident - Night', [30, 45, 60])
    }
    for (const [name, text] of Object.entries(lists)) ids[name] = (await server.post<{ playlist: { id: string } }>(`/api/playlists/import?name=${name}`, text, 'audio/x-mpegurl')).playlist.id
    const week = { from: '2026-03-23', to: '2026-03-29', seed: 'riverside' }
    const channels: Channel[] = []
    let events = 0
    for (let n = 1; n <= CHANNELS; n++) {
      const night = n === 1 ? ids.night : ids.shortNight
      const { channel } = await send<{ channel: Channel }>(server, 'POST', '/api/channels', { number: String(200 + n), name: `Riverside ${n}`, timezone: 'Europe/London', default_filler: night, filler_title: `Riverside ${n} — overnight` })
      await send(server, 'PUT', `/api/channels/${channel.id}/template`, template(ids.films, ids.series, ids.promos, ids.trailers))
      if (n === 1) await send(server, 'POST', `/api/channels/${channel.id}/overrides`, { name: 'Boat Race', from: '2026-03-28', to: '2026-03-28', events: [{ title: 'The Boat Race (live)', start: '2026-03-28T15:30:00', end: '2026-03-28T17:15:00' }] })
      events += (await send<{ stats: { events: number } }>(server, 'POST', `/api/channels/${channel.id}/build`, week)).stats.events
      channels.push(channel)
    }

    // The same stored rows, written before and after, in this process.
    const range = { from: Date.parse('2026-03-23T00:00:00Z'), to: Date.parse('2026-03-30T00:00:00Z') }
    const store = server.config.databaseUrl === null ? await openSqliteStore(server.config.dataDir) : await openPostgresStore(server.config.databaseUrl)
    const guides: ChannelGuide[] = []
    try {
      for (const channel of await store.channels.list()) guides.push({ channel, events: await store.channels.guideEvents(channel.id, range) })
    } finally {
      await store.close()
    }
    const write = (which: 'before' | 'after'): string => which === 'before' ? oldXmltv(guides) : channelsXmltv(guides, 'guide.xml').body
    write('before')
    write('after')
    const runs = { before: [] as number[], after: [] as number[] }
    let xml = { before: '', after: '' }
    for (let i = 0; i < 5; i++) {
      for (const which of ['before', 'after'] as const) {
        const { ms, value } = timedSync(() => write(which))
        runs[which].push(ms)
        xml = { ...xml, [which]: value }
      }
    }
    const entries = { before: count(xml.before), after: count(xml.after) }
    const bytes = { before: Buffer.byteLength(xml.before), after: Buffer.byteLength(xml.after) }
    const docMs = { before: median(runs.before), after: median(runs.after) }

    // guide.xml through the API: the first request after a write, then 304s.
    const guideUrl = `${server.url}/api/guide.xml?from=${new Date(range.from).toISOString()}&to=${new Date(range.to).toISOString()}`
    const authorization = `Bearer ${BENCH_KEY}`
    const firsts: number[] = []
    let etag = ''
    let apiBytes = 0
    for (let round = 0; round < 3; round++) {
      await send(server, 'PATCH', `/api/channels/${channels[round].id}`, { name: `Riverside ${round + 1}` })
      const t0 = performance.now()
      const res = await fetch(guideUrl, { headers: { authorization } })
      if (res.status !== 200) throw new Error(`guide.xml answered ${res.status}`)
      etag = res.headers.get('etag') ?? ''
      apiBytes = (await res.arrayBuffer()).byteLength
      firsts.push(performance.now() - t0)
    }
    const revalidations: number[] = []
    const health: number[] = []
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now()
      const res = await fetch(guideUrl, { headers: { authorization, 'if-none-match': etag } })
      if (res.status !== 304) throw new Error(`guide.xml revalidation answered ${res.status}`)
      await res.arrayBuffer()
      revalidations.push(performance.now() - t0)
      const t1 = performance.now()
      await (await fetch(`${server.url}/api/health`)).arrayBuffer()
      health.push(performance.now() - t1)
    }
    const firstMs = median(firsts)
    const revalidateMs = median(revalidations)
    const healthMs = median(health)

    const one = guides[0]
    const oneAfter = guideEntries(one.events, one.channel)
    console.log(`\n## Guide of programmes (issue 23): ${CHANNELS} channels × ${DAYS} days, ${events.toLocaleString('en')} events (${EXPORT_FORMATS.xmltv.media_type})`)
    console.log(`entries: before (one per guide_id) ${entries.before.toLocaleString('en')}, after (programmes, guide modes) ${entries.after.toLocaleString('en')}`)
    console.log(`bytes: before ${fmt(bytes.before / 1e6, 2)} MB, after ${fmt(bytes.after / 1e6, 2)} MB (guide.xml through the API: ${fmt(apiBytes / 1e6, 2)} MB)`)
    console.log(`document from the same rows in process (median of 5): before ${fmt(docMs.before, 1)} ms, after ${fmt(docMs.after, 1)} ms`)
    console.log(`guide.xml first request after a write (median of 3): ${firsts.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(firstMs, 0)} ms; 304 (median of 20): ${fmt(revalidateMs, 2)} ms; GET /api/health: ${fmt(healthMs, 2)} ms`)
    console.log(`channel 1 (the guide test's), entries a day (UTC) before → after: ${perDay(oldGuideEntries(one.events), oneAfter)}`)
    report({ measure: `guide entries, ${CHANNELS} channels × ${DAYS} d (after: programmes)`, value: entries.after.toLocaleString('en'), baseline: `${entries.before.toLocaleString('en')} one per guide_id (before)`, ratio: ratioText(entries.after, entries.before, 'percent'), target: '—' })
    report({ measure: `guide bytes, ${CHANNELS} channels × ${DAYS} d (after)`, value: `${fmt(bytes.after / 1e6, 2)} MB`, baseline: `${fmt(bytes.before / 1e6, 2)} MB before`, ratio: ratioText(bytes.after, bytes.before, 'percent'), target: '—' })
    report({ measure: 'guide document from the same rows, in process (after)', value: `${fmt(docMs.after, 1)} ms`, baseline: `${fmt(docMs.before, 1)} ms before`, ratio: ratioText(docMs.after, docMs.before, 'percent'), target: '—' })
    report({ measure: 'guide.xml first request after a write (after)', value: `${fmt(firstMs, 0)} ms`, baseline: `${fmt(docMs.before, 1)} ms the before document in process`, ratio: ratioText(firstMs, docMs.before), target: '≤ 500 ms', met: firstMs <= 500 })
    report({ measure: 'guide.xml 304 revalidation (the guide code does not run: the same before and after)', value: `${fmt(revalidateMs, 2)} ms`, baseline: `${fmt(healthMs, 2)} ms GET /api/health`, ratio: ratioText(revalidateMs, healthMs), target: '≤ 10 ms', met: revalidateMs <= 10 })
  } finally {
    await server.close()
  }
}
