import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'

const operator = bearer('operator')
const HOUR = 3_600_000

function m3u (count: number, { prefix = 'v', seconds = 1800 }: { prefix?: string, seconds?: number } = {}): string {
  const lines = ['#EXTM3U']
  for (let i = 0; i < count; i++) lines.push(`#EXTINF:${seconds} tvg-id="${prefix}${i}" group-title="${['News', 'Film', 'Kids'][i % 3]}",${prefix.toUpperCase()} ${i}`, `https://cdn.example/${prefix}${i}.mp4`)
  return lines.join('\r\n') + '\r\n'
}

async function importPlaylist (app: FastifyInstance, body: string, name?: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `/api/playlists/import${name !== undefined ? `?name=${encodeURIComponent(name)}` : ''}`, headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: body })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().playlist.id
}

async function autoFill (app: FastifyInstance, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: body })
}

type FillEvent = { start: string, end: string, video_url: string }
const ms = (iso: string): number => Date.parse(iso)

t.test('playlists: import, list, browse, export, delete', async (t) => {
  const { app } = await buildTestApp(t)
  const body = '\uFEFF#EXTM3U url-tvg="http://epg.example/g.xml"\r\n#EXTINF:-1 tvg-id="a" tvg-logo="http://l/a.png" group-title="News, Live",A, the "first"\r\n#EXTVLCOPT:network-caching=1000\r\nhttp://x/a.m3u8\r\n#EXTINF:600,B\r\n#EXTGRP:Films\r\nrel/b.mp4\r\n'
  const res = await app.inject({ method: 'POST', url: '/api/playlists/import?name=Mixed', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: body })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { status: 'success', playlist: { name: 'Mixed', item_count: 2 }, warnings: [] })
  const id = res.json().playlist.id

  t.match((await app.inject({ url: '/api/playlists', headers: bearer('viewer') })).json(), { count: 1, playlists: [{ id, name: 'Mixed', item_count: 2 }] })
  const one = (await app.inject({ url: `/api/playlists/${id}`, headers: bearer('viewer') })).json()
  t.same(one.items, [
    { title: 'A, the "first"', url: 'http://x/a.m3u8', duration: null, group: 'News, Live', tvg: { 'tvg-id': 'a', 'tvg-logo': 'http://l/a.png' }, season: null, episode: null },
    { title: 'B', url: 'rel/b.mp4', duration: 600, group: 'Films', tvg: {}, season: null, episode: null }
  ])
  const exported = await app.inject({ url: `/api/playlists/${id}/export`, headers: bearer('viewer') })
  t.match(exported.headers['content-type'], 'audio/x-mpegurl')
  t.match(exported.headers['content-disposition'], 'filename="mixed.m3u"')
  t.match(exported.body, /#EXTVLCOPT:network-caching=1000/)
  const again = await importPlaylist(app, exported.body)
  t.same((await app.inject({ url: `/api/playlists/${again}`, headers: operator })).json().items, one.items, 'the export re-imports to the same items')

  const empty = await app.inject({ method: 'POST', url: '/api/playlists/import', headers: { ...operator, 'content-type': 'text/plain' }, payload: '#EXTM3U\n# nothing here\n' })
  t.equal(empty.statusCode, 400)
  t.match(empty.json(), { code: 'EMPTY_PLAYLIST' })
  t.equal((await app.inject({ method: 'DELETE', url: `/api/playlists/${id}`, headers: bearer('admin') })).statusCode, 200)
  t.equal((await app.inject({ url: `/api/playlists/${id}`, headers: operator })).statusCode, 404)
})

t.test('auto-fill: 1 link, 10 links into 48 slots, 1,000 links into 500 slots', async (t) => {
  const { app } = await buildTestApp(t)
  const single = await autoFill(app, { links: [{ url: 'https://cdn.example/only.mp4', title: 'Only' }], start_time: '2025-06-01T00:00:00Z', duration_hours: 4, slot_minutes: 30, when_exhausted: 'gap' })
  t.equal(single.statusCode, 201)
  t.match(single.json().stats, { slots_total: 8, slots_filled: 1, gaps: 7, unique_items_used: 1, cooldown_overrides: 0 })

  const ten = await importPlaylist(app, m3u(10))
  const gap = (await autoFill(app, { playlist_id: ten, start_time: '2025-06-02T00:00:00Z', duration_hours: 24, slot_minutes: 30, when_exhausted: 'gap', seed: 1 })).json()
  t.match(gap.stats, { slots_total: 48, slots_filled: 10, gaps: 38, unique_items_used: 10, cooldown_overrides: 0 })
  t.ok(gap.decisions.length > 0 && gap.decisions.some((d: string) => /skipped: played/.test(d)), 'the decisions say why')
  const least = (await autoFill(app, { playlist_id: ten, start_time: '2025-07-02T00:00:00Z', duration_hours: 24, slot_minutes: 30, seed: 1 })).json()
  t.match(least.stats, { slots_total: 48, slots_filled: 48, gaps: 0, unique_items_used: 10, cooldown_overrides: 38 })
  t.ok(least.decisions.some((d: string) => /least recently played/.test(d)))

  const thousand = await importPlaylist(app, m3u(1000, { prefix: 'k' }))
  const big = await autoFill(app, { playlist_id: thousand, start_time: '2025-08-01T00:00:00Z', duration_hours: 250, slot_minutes: 30 })
  t.match(big.json().stats, { slots_total: 500, slots_filled: 500, gaps: 0, unique_items_used: 500, cooldown_overrides: 0 })
  t.match(big.json().schedule, { source: 'auto-fill', event_count: 500 })
  const listed = (await app.inject({ url: `/api/schedules/${big.json().schedule.id}`, headers: operator })).json()
  t.equal(listed.events.length, 500, 'stored as a schedule like an imported one')
  t.equal((await app.inject({ url: `/api/schedules/${big.json().schedule.id}/export?format=xmltv`, headers: operator })).statusCode, 200)
})

t.test('a second fill continues the first, and an earlier week respects a later one', async (t) => {
  const { app } = await buildTestApp(t)
  const playlist = await importPlaylist(app, m3u(80))
  const fills = []
  for (const start of ['2025-09-08T00:00:00Z', '2025-09-09T00:00:00Z', '2025-09-07T00:00:00Z']) {
    const res = await autoFill(app, { playlist_id: playlist, start_time: start, duration_hours: 24, slot_minutes: 30, when_exhausted: 'gap', cooldown_hours: 48 })
    t.equal(res.statusCode, 201)
    fills.push(res.json())
  }
  const starts = new Map<string, number[]>()
  for (const e of fills.flatMap((f) => f.events as FillEvent[])) starts.get(e.video_url)?.push(ms(e.start)) ?? starts.set(e.video_url, [ms(e.start)])
  let violations = 0
  for (const list of starts.values()) {
    list.sort((a, b) => a - b)
    for (let i = 1; i < list.length; i++) if (list[i] - list[i - 1] < 48 * HOUR) violations++
  }
  t.equal(violations, 0, 'no video within 48 h of another play, across the three fills')
  t.equal(fills[1].stats.slots_filled, 32, 'the second day airs what the first left unplayed')
  t.ok(fills[2].stats.gaps > 0 && fills[2].stats.slots_filled > 0, 'a day before both airs only videos 48 h clear of their later plays')
  t.ok(fills[2].decisions.some((d: string) => /airs again in/.test(d)), 'and says which later play held a video back')
})

t.test('a fill across the Europe/London spring-forward night has no gap and no overlap in UTC', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await autoFill(app, { links: Array.from({ length: 30 }, (_, i) => ({ url: `u${i}`, duration: 1500 + i * 60 })), start_time: '2025-03-29T22:00:00', timezone: 'Europe/London', duration_hours: 8, dry_run: true })
  t.equal(res.statusCode, 200)
  const { events, stats, schedule } = res.json()
  t.equal(events[0].start, '2025-03-29T22:00:00.000Z', '22:00 GMT')
  for (let i = 1; i < events.length; i++) t.equal(events[i].start, events[i - 1].end, `event ${i} starts where ${i - 1} ends`)
  t.ok(ms(events.at(-1).end) >= ms('2025-03-30T06:00:00Z'), 'eight real hours are covered (07:00 BST)')
  t.equal(stats.gaps, 0)
  t.equal(schedule.id, null, 'a dry run stores nothing')
  t.match((await app.inject({ url: '/api/schedules', headers: operator })).json(), { count: 0 })
})

t.test('bad auto-fill requests: 400 with the field named', async (t) => {
  const { app } = await buildTestApp(t)
  const valid = { links: [{ url: 'u' }], start_time: '2025-06-01T00:00:00Z', duration_hours: 4 }
  const cases: [string, Record<string, unknown>, string][] = [
    ['no links', { ...valid, links: [] }, 'links'],
    ['neither links nor playlist', { start_time: valid.start_time, duration_hours: 4 }, 'links'],
    ['unknown playlist', { ...valid, links: undefined, playlist_id: 'no-such-playlist' }, 'playlist_id'],
    ['unknown time zone', { ...valid, timezone: 'Europe/Atlantis' }, 'timezone'],
    ['zero duration', { ...valid, duration_hours: 0 }, 'duration_hours'],
    ['over 31 days', { ...valid, duration_hours: 745 }, 'duration_hours'],
    ['bad start', { ...valid, start_time: '2025-02-30T00:00:00Z' }, 'start_time'],
    ['missing start', { ...valid, start_time: undefined }, 'start_time'],
    ['bad exhausted mode', { ...valid, when_exhausted: 'repeat' }, 'when_exhausted'],
    ['a link without url', { ...valid, links: [{ title: 'x' }] }, 'links'],
    ['wrong type', { ...valid, duration_hours: '4' }, 'duration_hours']
  ]
  for (const [what, body, field] of cases) {
    const res = await autoFill(app, body)
    t.equal(res.statusCode, 400, `${what}: 400`)
    t.ok((res.json().errors ?? []).some((e: { field: string }) => e.field.startsWith(field)), `${what}: names ${field} (${res.json().message})`)
  }
  t.equal((await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: bearer('viewer'), payload: valid })).statusCode, 403, 'viewers cannot fill')
})
