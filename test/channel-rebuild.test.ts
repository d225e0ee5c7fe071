import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist, m3u, setUpChannel } from './channel-fixtures.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import type { Store } from '../workers/storage/store.js'
import type { Config } from '../lib/config.js'
import { channelsXmltv } from '../workers/schedule/export/xmltv.js'
import type { BuiltEvent } from '../workers/channels/types.js'

// Rebuilding a channel through the real app (real workers, SQLite, or PostgreSQL on that
// pass), SPEC §11: what a rebuild keeps (the frozen next hours, byte for byte in the export;
// pinned events; schedules placed on the channel) and that the same inputs and seed give the
// same events. Ranges are taken from the real now, as an operator's rebuild is.

const operator = bearer('operator')
const viewer = bearer('viewer')
const admin = bearer('admin')

const HOUR = 3_600_000
const ZONE = 'Europe/London' // the fixture channel's

interface Event {
  id: string,
  title: string,
  start: string,
  end: string,
  video_url: string | null,
  pinned: boolean,
  schedule_id: string | null,
  origin: { kind: string, block?: string },
  programme_id: string | null
}
interface Range { from: string, to: string }

/** The channel's local day `days` after today's (YYYY-MM-DD). */
function localDay (days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
  const [y, m, d] = today.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** What a viewer sees of an event: what airs and when. */
const airs = (e: Event): string => `${e.start} ${e.end} ${e.title} ${e.video_url}`
const ms = (iso: string): number => Date.parse(iso)

async function build (app: FastifyInstance, channelId: string, body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: `/api/channels/${channelId}/build`, headers: operator, payload: body })
  if (res.statusCode !== (body.dry_run === true ? 200 : 201)) throw new Error(res.body)
  return res.json()
}

async function eventsOf (app: FastifyInstance, channelId: string, { from, to }: Range): Promise<Event[]> {
  const res = await app.inject({ url: `/api/channels/${channelId}/events?from=${from}&to=${to}`, headers: viewer })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().events
}

function noOverlap (t: Test, events: Event[]): void {
  const overlaps = events.filter((e, i) => i > 0 && ms(e.start) < ms(events[i - 1].end)).map((e) => e.start)
  t.same(overlaps, [], 'no two events overlap')
}

/** The app's own store, opened as a second connection (what a hand edit would write through). */
async function storeOf (t: Test, config: Config): Promise<Store> {
  const store = config.databaseUrl === null ? await openSqliteStore(config.dataDir) : await openPostgresStore(config.databaseUrl)
  t.teardown(() => store.close())
  return store
}

/**
 * The fixture channel with ten-minute loops as its default filler (the fixture's 30-second
 * idents would make thousands of events a day): these tests build days around the clock.
 */
async function setUp (app: FastifyInstance) {
  const fixture = await setUpChannel(app)
  const loops = await importPlaylist(app, m3u(20, 'loop', 600, 'Loops'), 'loops')
  const patched = await app.inject({ method: 'PATCH', url: `/api/channels/${fixture.channel.id}`, headers: operator, payload: { default_filler: loops } })
  if (patched.statusCode !== 200) throw new Error(patched.body)
  return fixture
}

t.test('rebuild with freeze_hours 24: the next 24 h unchanged byte for byte, the rest from the new seed', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const range = { from: localDay(0), to: localDay(2) }
  t.match(await build(app, channel.id, { ...range, seed: 'one' }), { stats: { kept_frozen: 0 } }, 'a range with no stored events is built whole')
  const before = await eventsOf(app, channel.id, range)

  const now = Date.now()
  const frozenEnd = now + 24 * HOUR
  const xmltv = async (): Promise<string> => {
    const res = await app.inject({ url: `/api/channels/${channel.id}/export?format=xmltv&from=${new Date(now).toISOString()}&to=${new Date(frozenEnd).toISOString()}`, headers: viewer })
    t.equal(res.statusCode, 200)
    return res.body
  }
  const guideBefore = await xmltv()
  // The guide melds a long stretch of default filler into one entry (SPEC §14): how many entries
  // the next 24 h hold depends on the hour the test runs; the events they are made of do not.
  t.ok((guideBefore.match(/<programme /g) ?? []).length > 0, 'the next 24 h have programmes')
  t.ok(before.filter((e) => ms(e.start) < frozenEnd && ms(e.end) > now).length > 3, 'and many events')

  const rebuilt = await build(app, channel.id, { ...range, seed: 'two', freeze_hours: 24 })
  const after = await eventsOf(app, channel.id, range)
  t.equal(await xmltv(), guideBefore, 'the XMLTV export of the next 24 h is byte-identical')

  // Kept events keep their ids (rebuilt ones get new ids): the answer counts exactly those.
  const beforeIds = new Set(before.map((e) => e.id))
  const kept = after.filter((e) => beforeIds.has(e.id))
  t.equal(rebuilt.stats.kept_frozen, kept.length, 'kept_frozen counts the events kept')
  const startingSoon = before.filter((e) => ms(e.start) < frozenEnd)
  t.same(kept.slice(0, startingSoon.length), startingSoon, 'every event starting in the next 24 h kept as it was')
  const rebuiltEvents = after.filter((e) => !beforeIds.has(e.id))
  t.ok(rebuiltEvents.length > 0, 'the rest of the range is rebuilt')
  t.same(rebuiltEvents.filter((e) => ms(e.start) < frozenEnd).map(airs), [], 'no new event starts within the frozen 24 h')
  const later = (events: Event[]): string[] => events.filter((e) => !kept.some((k) => k.id === e.id)).map(airs)
  t.notSame(later(after), later(before), 'later events differ: the new seed took effect')
  noOverlap(t, after)
})

t.test('a pinned event survives a rebuild with another seed: same id, same times, counted with its programme', async (t) => {
  const { app, config } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const range = { from: localDay(7), to: localDay(7) }
  await build(app, channel.id, { ...range, seed: 'one' })
  const before = await eventsOf(app, channel.id, range)
  const film = before.find((e) => e.origin.kind === 'item' && e.origin.block === 'films')!
  t.ok(film, 'the build aired a film')
  t.equal(await (await storeOf(t, config)).channels.setPinned(film.id, true), true)

  const rebuilt = await build(app, channel.id, { ...range, seed: 'two' })
  // SPEC §14: a rebuild keeps a pinned event's programme whole (the film's parts, breaks and pad).
  const programme = before.filter((e) => e.programme_id === film.programme_id)
  t.ok(programme.length > 1, 'the film is a programme of several segments')
  t.match(rebuilt.stats, { kept_pinned: programme.length, kept_frozen: 0 }, 'kept_pinned counts its programme\'s segments')
  const after = await eventsOf(app, channel.id, range)
  t.same(after.find((e) => e.id === film.id), { ...film, pinned: true }, 'the pinned event is there, same id, same times')
  const others = (events: Event[]): string[] => events.filter((e) => e.id !== film.id).map(airs)
  t.notSame(others(after), others(before), 'the rest was rebuilt from the new seed')
  noOverlap(t, after)
})

t.test('a schedule placed on the channel is built around; deleted, its stretch is filled by the next build', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const range = { from: localDay(14), to: localDay(14) }
  await build(app, channel.id, { ...range, seed: 'one' })
  const dayStart = ms((await eventsOf(app, channel.id, range))[0].start) // the day's first instant: the default filler airs from 00:00
  const at = (hours: number): string => new Date(dayStart + hours * HOUR).toISOString()
  // 20:30–22:00 of that day: inside the film block, across its items and breaks.
  const stretch = { start: dayStart + 20.5 * HOUR, end: dayStart + 22 * HOUR }
  const imported = await app.inject({
    method: 'POST',
    url: '/api/schedules/import',
    headers: { ...operator, 'content-type': 'application/json' },
    payload: JSON.stringify({
      metadata: { title: 'Live match' },
      schedule: [
        { title: 'Match (live)', start: at(20.5), end: at(21.5), videoUrl: 'https://live.example/match.m3u8' },
        { title: 'Match analysis', start: at(21.5), end: at(22), videoUrl: 'https://live.example/analysis.m3u8' }
      ]
    })
  })
  t.equal(imported.statusCode, 201, imported.body)
  const scheduleId = imported.json().schedule_id
  const placed = await app.inject({ method: 'PUT', url: `/api/schedules/${scheduleId}/channel`, headers: operator, payload: { channel_id: channel.id } })
  t.equal(placed.statusCode, 200, placed.body)

  const inStretch = (e: Event): boolean => ms(e.start) < stretch.end && ms(e.end) > stretch.start
  const rebuilt = await build(app, channel.id, { ...range, seed: 'one' })
  t.equal(rebuilt.stats.kept_placed, 2, 'kept_placed counts the schedule\'s events')
  const around = await eventsOf(app, channel.id, range)
  t.same(around.filter(inStretch).map((e) => [e.title, e.schedule_id, e.start, e.end]),
    [['Match (live)', scheduleId, at(20.5), at(21.5)], ['Match analysis', scheduleId, at(21.5), at(22)]], 'only the schedule airs in its stretch')
  t.ok(around.some((e) => e.origin?.block === 'films'), 'the film block airs around it')
  noOverlap(t, around)

  t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${scheduleId}`, headers: admin })).statusCode, 200)
  t.same((await eventsOf(app, channel.id, range)).filter(inStretch), [], 'deleted, its stretch is empty until the next build')
  await build(app, channel.id, { ...range, seed: 'one' })
  const filled = (await eventsOf(app, channel.id, range)).filter(inStretch)
  t.ok(filled.length > 0 && filled.every((e) => e.schedule_id === null && e.origin.block === 'films'), 'the film block fills the stretch')
  const covered = filled.reduce((sum, e) => sum + Math.min(ms(e.end), stretch.end) - Math.max(ms(e.start), stretch.start), 0)
  t.equal(covered, stretch.end - stretch.start, 'the whole stretch airs')
  noOverlap(t, filled)
})

t.test('the same inputs and seed give the same events through the API; another seed, others', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const range = { from: localDay(21), to: localDay(21) }
  const preview = async (seed: string): Promise<string[]> => (await build(app, channel.id, { ...range, seed, dry_run: true })).events.map(airs)
  const first = await preview('same')
  t.ok(first.length > 50, 'a day of events')
  t.same(await preview('same'), first, 'two dry runs with one seed: the same events')
  t.notSame(await preview('other'), first, 'another seed: other events')
})

t.test('guide.xml of built channels and a placed schedule: byte for byte what their whole stored rows write', async (t) => {
  // The guide reads only the columns it writes (guideEvents); the channel's own export and the
  // events API read whole rows (channelEvents). Both must give one guide.
  const { app, config } = await buildTestApp(t)
  const { channel, template } = await setUp(app)
  const second = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '8', name: 'Campus 2 & <Friends>', timezone: 'America/New_York' } })
  t.equal(second.statusCode, 201, second.body)
  const other = second.json().channel
  t.equal((await app.inject({ method: 'PUT', url: `/api/channels/${other.id}/template`, headers: operator, payload: template })).statusCode, 200)
  const range = { from: localDay(28), to: localDay(29) }
  await build(app, channel.id, { ...range, seed: 'one' })
  const dayStart = ms((await eventsOf(app, channel.id, range))[0].start)
  // A placed schedule's events have no origin, guide_id or icon; these have a description,
  // a category over two lines, characters to escape.
  const xmltvTime = (hours: number): string => new Date(dayStart + hours * HOUR).toISOString().replace(/[-:T]/g, '').slice(0, 14) + ' +0000'
  const programmes = [0, 1, 2].map((i) => `<programme start="${xmltvTime(12 + i / 2)}" stop="${xmltvTime(12.5 + i / 2)}" channel="live"><title>Caf&#233; &amp; talk ${i} &lt;live&gt;</title>` +
    '<desc>  first line\nsecond &amp; last  </desc><category>News\nLate</category></programme>').join('')
  const imported = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/xml' }, payload: `<?xml version="1.0"?><tv><channel id="live"><display-name>Live</display-name></channel>${programmes}</tv>` })
  t.equal(imported.statusCode, 201, imported.body)
  t.equal((await app.inject({ method: 'PUT', url: `/api/schedules/${imported.json().schedule_id}/channel`, headers: operator, payload: { channel_id: channel.id } })).statusCode, 200)
  await build(app, channel.id, { ...range, seed: 'one' })
  await build(app, other.id, { ...range, seed: 'two' })

  const store = await storeOf(t, config)
  // By hand after the build (as a build stores them): an entry a filler opens, named after the
  // item in it, with the item's icon and episode; columns the builds above leave empty.
  const hand = (title: string, kind: 'filler' | 'item', hours: number, extra: Partial<BuiltEvent> = {}): BuiltEvent => ({
    title, start: dayStart + hours * HOUR, end: dayStart + (hours + 0.5) * HOUR, video_url: null, video_key: title, category: null, icon: null, origin: { kind }, origin_source: null, origin_position: null, reason: 'by hand', guide_id: 'hand-entry', guide_title: null, in_ms: 0, episode_num: null, build_id: 'hand', programme_id: `hand-${title}`, segment_role: kind === 'item' ? 'part' : 'pad', guide_mode: null, ...extra
  })
  const stored = await store.channels.replaceBuild(other.id, { from: dayStart + 72 * HOUR, to: dayStart + 73 * HOUR }, [], [
    hand('Ident', 'filler', 72),
    hand('Documentary', 'item', 72.5, { icon: 'https://cdn.example/doc.png', episode_num: '1.4/12.', category: 'Factual', description: 'About <it>' })
  ], { id: 'hand', from_date: localDay(31), to_date: localDay(31), seed: 'hand', freeze_hours: 0, stats: {}, warnings: [] })
  t.match(stored, { inserted: 2 })
  const wholeRows = async (from: number, to: number): Promise<string> => {
    const channels = []
    for (const c of await store.channels.list()) channels.push({ channel: c, events: await store.channels.channelEvents(c.id, { from, to }) })
    return channelsXmltv(channels, 'guide.xml').body
  }
  // The whole build, and ranges cutting programmes (a film with breaks, the placed talk) at either end.
  for (const [from, to] of [[-24, 96], [12.25, 12.75], [20.6, 22.1], [47.99, 48.01], [72.75, 80]]) {
    const [fromIso, toIso] = [from, to].map((hours) => new Date(dayStart + hours * HOUR).toISOString())
    const guide = await app.inject({ url: `/api/guide.xml?from=${fromIso}&to=${toIso}`, headers: viewer })
    t.equal(guide.statusCode, 200)
    t.ok(guide.body.includes('<programme '), `${fromIso}–${toIso} has programmes`)
    t.equal(guide.body, await wholeRows(ms(fromIso), ms(toIso)), `${fromIso}–${toIso}: the same guide`)
  }
  const whole = (await app.inject({ url: `/api/guide.xml?from=${new Date(dayStart - 24 * HOUR).toISOString()}&to=${new Date(dayStart + 96 * HOUR).toISOString()}`, headers: viewer })).body
  t.match(whole, '<title>Café &amp; talk 1 &lt;live&gt;</title>\n    <desc>first line\nsecond &amp; last</desc>\n    <category>News Late</category>', 'the placed schedule\'s programmes, escaped, in one line where the DTD wants one')
  t.match(whole, '<title>Documentary</title>\n    <desc>About &lt;it&gt;</desc>\n    <category>Factual</category>\n    <icon src="https://cdn.example/doc.png" />\n    <episode-num system="xmltv_ns">1.4/12.</episode-num>', 'the item\'s entry is named after it, with its description (the filler before it melds)')
  t.match(whole, /<programme start="\d{14} \+0000" stop="\d{14} \+0000" channel="C8\.8\.scheduleflow">/, 'the second channel\'s programmes')
})
