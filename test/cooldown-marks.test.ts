import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist, m3u } from './channel-fixtures.js'

// SPEC §15, issue 24 item 4: cooldown counts programmes, not pieces. Two weeks of a channel
// like the (films split by breaks, pad and default filler, a daily fixed news item, a
// fixed live event, a series, and a block of shorts too few for their cooldown) built through
// the API; every mark of GET …/events checked against the plays: the expected marks are worked
// out here from the events alone (which are airings, each one's cooldown as the template says),
// so no exempt piece is marked and every mark is a real replay naming the airing it follows.

const operator = bearer('operator')
const viewer = bearer('viewer')
const HOUR = 3_600_000

interface Event {
  id: string
  title: string
  start: string
  video_url: string | null
  category: string | null
  origin: { kind: string, block?: string, source?: string } | null
  segment_role: string | null
  in_ms: number
  programme_id: string | null
  marks: number
  replay_of?: { event_id: string, title: string, start: string, hours_since_previous: number }
}

/** Every event of the range, a page at a time. */
async function allEvents (app: FastifyInstance, channelId: string, from: string, to: string): Promise<Event[]> {
  const events: Event[] = []
  let url: string | undefined = `/api/channels/${channelId}/events?from=${from}&to=${to}&limit=2000`
  while (url !== undefined) {
    const res = await app.inject({ url: url.startsWith('/api') ? url : `/api${url}`, headers: viewer })
    if (res.statusCode !== 200) throw new Error(res.body)
    const page = res.json() as { events: Event[], next?: string }
    events.push(...page.events)
    url = page.next
  }
  return events
}

async function setUp (app: FastifyInstance) {
  const films = await importPlaylist(app, m3u(6, 'film', 150 * 60, 'Films'), 'films')
  const shorts = await importPlaylist(app, m3u(3, 'short', 30 * 60, 'Shorts'), 'shorts')
  const series = await importPlaylist(app, m3u(12, 'episode', 25 * 60, 'Series'), 'series')
  const idents = await importPlaylist(app, m3u(8, 'ident', 30, 'Idents'), 'idents')
  const trailers = await importPlaylist(app, m3u(10, 'trailer', 120, 'Trailers'), 'trailers')
  const promos = await importPlaylist(app, m3u(12, 'promo', 600, 'Promos'), 'promos')
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '12', name: 'Issue TV', timezone: 'UTC', default_filler: promos } })
  if (created.statusCode !== 201) throw new Error(created.body)
  const channel = created.json().channel as { id: string }
  const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  const template = {
    cooldown_hours: 48,
    cooldown_by_category: { Films: 96, Shorts: 20 },
    blocks: [
      { id: 'news', days: every, start: '08:00', end: '08:30', source: { item: { url: 'https://cdn.example/news.mp4', title: 'Daily News', duration: 1800 } } },
      { id: 'shorts', days: every, start: '12:00', end: '14:00', source: { playlist: shorts }, order: 'shuffle', fill: 'pad', filler: trailers },
      { id: 'series', days: every, start: '18:00', end: '19:00', source: { playlist: series }, order: 'sequential', fill: 'pad', filler: trailers },
      { id: 'films', days: every, start: '20:00', end: '23:00', source: { playlist: films }, order: 'shuffle', fill: 'pad', filler: trailers, breaks: { every_minutes: 30, max_seconds: 90, filler: idents } }
    ]
  }
  const put = await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: operator, payload: template })
  if (put.statusCode !== 200) throw new Error(put.body)
  const override = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/overrides`, headers: operator, payload: { name: 'Live match', from: '2026-03-05', to: '2026-03-05', events: [{ title: 'Live Match', start: '2026-03-05T20:30:00', end: '2026-03-05T21:30:00', video_url: 'rtmp://live.example/match' }] } })
  if (override.statusCode !== 201) throw new Error(override.body)
  const build = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: { from: '2026-03-02', to: '2026-03-15', seed: 'two-weeks' } })
  if (build.statusCode !== 201) throw new Error(build.body)
  return { channel, template }
}

/** The expected replays, from the events alone: which are airings and each one's cooldown, as the template above says. */
function expectedReplays (events: Event[], hoursOf: (e: Event) => number | null): Map<string, Event> {
  const last = new Map<string, Event>()
  const airedIn = new Set<string>()
  const replays = new Map<string, Event>()
  for (const e of [...events].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const hours = hoursOf(e)
    if (hours === null) continue
    const video = e.video_url ?? e.title
    // The same video again in its programme is the same airing.
    if (e.programme_id !== null && airedIn.has(`${e.programme_id} ${video}`)) continue
    if (e.programme_id !== null) airedIn.add(`${e.programme_id} ${video}`)
    const previous = last.get(video)
    if (previous !== undefined && Date.parse(e.start) - Date.parse(previous.start) < hours * HOUR) replays.set(e.id, previous)
    last.set(video, e)
  }
  return replays
}

t.test('two weeks built: no exempt piece is marked, every mark is a real replay naming the airing it follows', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, template } = await setUp(app)
  const events = await allEvents(app, channel.id, '2026-03-02', '2026-03-15')
  const blockHours = new Map<string, number | undefined>(template.blocks.map((b) => [b.id, (b as { cooldown_hours?: number }).cooldown_hours]))
  const exempt = (e: Event): string | null => {
    const kind = e.origin?.kind
    if (kind === 'filler' || kind === 'break' || kind === 'default') return kind
    if (e.segment_role === 'break' || e.segment_role === 'pad') return e.segment_role
    if (kind === 'fixed') return 'fixed event'
    if (e.in_ms > 0) return 'later part'
    if (e.origin?.source?.startsWith('item:') === true) return 'fixed item'
    return null
  }
  const byCategory = template.cooldown_by_category as Record<string, number>
  const hoursOf = (e: Event): number | null => exempt(e) !== null
    ? null
    : blockHours.get(e.origin?.block ?? '') ?? (e.category === null ? undefined : byCategory[e.category]) ?? template.cooldown_hours
  const expected = expectedReplays(events, hoursOf)

  const kinds = new Map<string, number>()
  for (const e of events) {
    const why = exempt(e)
    if (why !== null) kinds.set(why, (kinds.get(why) ?? 0) + 1)
  }
  t.ok(events.length > 500, `${events.length} events over two weeks`)
  for (const kind of ['break', 'filler', 'default', 'later part', 'fixed item', 'fixed event']) t.ok((kinds.get(kind) ?? 0) > 0, `the build has ${kind} pieces (${kinds.get(kind) ?? 0})`)

  const marked = events.filter((e) => (e.marks & 2) === 2)
  const wronglyMarked = marked.filter((e) => !expected.has(e.id)).map((e) => `${e.start} ${e.title} (${exempt(e) ?? 'an airing out of its cooldown'})`)
  const missed = events.filter((e) => expected.has(e.id) && (e.marks & 2) === 0).map((e) => `${e.start} ${e.title}`)
  t.same(wronglyMarked, [], 'no exempt piece is marked, nor an airing out of its cooldown')
  t.same(missed, [], 'every real replay is marked')
  t.ok(marked.length > 0 && marked.length < events.length / 20, `the marks are the shorts block's real replays: ${marked.length} of ${events.length}`)
  t.ok(marked.every((e) => e.origin?.block === 'shorts'), 'only the shorts, too few for their 20 h cooldown, are replayed inside it')
  for (const e of marked) {
    const previous = expected.get(e.id)!
    t.match(e.replay_of, { event_id: previous.id, title: previous.title, start: previous.start }, `${e.start} ${e.title} names the airing it replays`)
    if (e.replay_of?.event_id !== previous.id) break
  }
  t.ok(events.filter((e) => (e.marks & 2) === 0).every((e) => e.replay_of === undefined), 'an unmarked event names no replay')
})

t.test('a description-only PATCH answers no cooldown warning about the programme\'s own continuation; a real replay is warned naming both airings', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const events = await allEvents(app, channel.id, '2026-03-03', '2026-03-04')
  const patch = async (e: Event) => {
    const res = await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/events/${e.id}`, headers: operator, payload: { description: 'Edited by hand.' } })
    t.equal(res.statusCode, 200, res.statusCode === 200 ? `PATCH ${e.title}` : res.body)
    return res.json() as { warnings: { cooldown: Array<Record<string, unknown>>, cooldown_total: number } }
  }
  const film = events.find((e) => e.origin?.block === 'films' && e.in_ms === 0 && e.segment_role === 'part' && (e.marks & 2) === 0 &&
    events.some((later) => later.programme_id === e.programme_id && later.in_ms > 0))!
  t.ok(film !== undefined, 'a film split by breaks')
  t.match(await patch(film), { warnings: { cooldown: [], cooldown_total: 0 } }, 'the film\'s first part: its later parts are no replay of it')
  const episode = events.find((e) => e.origin?.block === 'series' && e.segment_role === 'part' && (e.marks & 2) === 0)!
  t.match(await patch(episode), { warnings: { cooldown: [], cooldown_total: 0 } }, 'an episode')
  const news = events.find((e) => e.origin?.block === 'news')!
  t.match(await patch(news), { warnings: { cooldown: [], cooldown_total: 0 } }, 'the daily fixed news item, 24 h after yesterday\'s')
  const part = events.find((e) => e.origin?.block === 'films' && e.in_ms > 0)!
  t.match(await patch(part), { warnings: { cooldown: [], cooldown_total: 0 } }, 'a film\'s part after a break')
  const replay = events.find((e) => (e.marks & 2) === 2)!
  t.ok(replay !== undefined, 'a short replayed inside its cooldown')
  const warned = await patch(replay)
  t.equal(warned.warnings.cooldown_total, 1, 'a real replay is still warned')
  t.match(warned.warnings.cooldown[0], { title: replay.title, start: replay.start, previous_title: replay.replay_of!.title, previous_start: replay.replay_of!.start }, 'naming both airings')
})
