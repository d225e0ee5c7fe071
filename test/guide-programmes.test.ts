import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { parseXmltv, type XmltvProgramme } from '@iptv/xmltv'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist } from './channel-fixtures.js'
import { assertValidXmltv, xmltvValidator } from './xml-check.js'
import type { GuideMode } from '../contract/programmes.js'

// The guide shows programmes (SPEC §14, issue 23), read as an IPTV client reads it: guide.xml
// through the real API (real workers, SQLite, or PostgreSQL on that pass), parsed by a real
// XMLTV parser (@iptv/xmltv). A channel like the issue's: Europe/London over the week of the
// spring clock change, films with breaks every 30 minutes and pad, promos and idents as break
// filler, a sequential series, the default filler overnight and a live event inside the films.

t.teardown(() => xmltvValidator.dispose())

const operator = bearer('operator')
const viewer = bearer('viewer')
const MIN = 60_000
const FROM = '2026-03-23'
const TO = '2026-03-29' // Sunday: the clocks go forward at 01:00 UTC
const RANGE = 'from=2026-03-23T00:00:00Z&to=2026-03-30T00:00:00Z'
const BOAT_RACE = 'The Boat Race (live)'

interface Event {
  id: string,
  title: string,
  start: string,
  end: string,
  origin: { kind: string, block?: string } | null,
  programme_id: string | null,
  segment_role: string | null
}
interface Entry { title: string, start: number, stop: number }

/** An M3U of items titled `${prefix} 1…` with the lengths given (seconds), in turn. */
function playlist (count: number, prefix: string, seconds: number[]): string {
  const lines = ['#EXTM3U']
  for (let i = 0; i < count; i++) lines.push(`#EXTINF:${seconds[i % seconds.length]},${prefix} ${i + 1}`, `https://cdn.example/${prefix.replace(/\W/g, '')}${i}.mp4`)
  return lines.join('\n') + '\n'
}

async function send (app: FastifyInstance, method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown, status = method === 'POST' ? 201 : 200): Promise<any> {
  const res = await app.inject({ method, url, headers: operator, payload: payload as Record<string, unknown> })
  if (res.statusCode !== status) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** Riverside TV: films 12:00–19:00 (breaks, pad), a sequential series 19:00–21:00, default filler overnight, the Boat Race on Saturday. */
async function riverside (app: FastifyInstance, { number = '12', promos: promosGuide, films: filmsGuide }: { number?: string, promos?: GuideMode, films?: GuideMode } = {}) {
  const films = await importPlaylist(app, playlist(30, 'Film', [5400, 6000, 6600, 7080, 5820]), 'films')
  const series = await importPlaylist(app, playlist(20, 'Harbour Lights S02E', [1500]), 'series')
  const promos = await importPlaylist(app, playlist(12, 'Promo', [20, 30, 15]), 'promos')
  const trailers = await importPlaylist(app, playlist(10, 'Trailer', [90, 150, 120]), 'trailers')
  const night = await importPlaylist(app, playlist(12, 'Station ident - Night', [300, 240]), 'night')
  if (promosGuide !== undefined) await send(app, 'PATCH', `/api/playlists/${promos}`, { guide: promosGuide })
  const { channel } = await send(app, 'POST', '/api/channels', { number, name: 'Riverside TV', timezone: 'Europe/London', default_filler: night, filler_title: 'Riverside TV — overnight' })
  const template = {
    cooldown_hours: 24,
    blocks: [
      {
        id: 'films',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        start: '12:00',
        end: '19:00',
        source: { playlist: films },
        order: 'shuffle',
        fill: 'pad',
        filler: trailers,
        breaks: { every_minutes: 30, max_seconds: 90, filler: promos },
        ...(filmsGuide !== undefined && { guide: filmsGuide })
      },
      { id: 'series', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '19:00', end: '21:00', source: { playlist: series }, order: 'sequential', fill: 'pad', filler: promos }
    ]
  }
  await send(app, 'PUT', `/api/channels/${channel.id}/template`, template)
  await send(app, 'POST', `/api/channels/${channel.id}/overrides`, { name: 'Boat Race', from: '2026-03-28', to: '2026-03-28', events: [{ title: BOAT_RACE, start: '2026-03-28T15:30:00', end: '2026-03-28T17:15:00', category: 'Sport' }] })
  await send(app, 'POST', `/api/channels/${channel.id}/build`, { from: FROM, to: TO, seed: 'riverside' })
  return { channel }
}

/** Every event of the channel in the range, page after page. */
async function eventsOf (app: FastifyInstance, channelId: string): Promise<Event[]> {
  const events: Event[] = []
  for (let url: string | undefined = `/api/channels/${channelId}/events?${RANGE}`; url !== undefined;) {
    const res = await app.inject({ url, headers: viewer })
    if (res.statusCode !== 200) throw new Error(res.body)
    const page: { events: Event[], next?: string } = res.json()
    events.push(...page.events)
    url = page.next
  }
  return events
}

/** guide.xml as a client parses it: the channel's programmes, by start. */
async function guideOf (t: Test, app: FastifyInstance, xmltvId: string): Promise<Entry[]> {
  const res = await app.inject({ url: `/api/guide.xml?${RANGE}`, headers: viewer })
  t.equal(res.statusCode, 200)
  assertValidXmltv(t, res.body)
  const programmes: XmltvProgramme[] = parseXmltv(res.body).programmes ?? []
  return programmes.filter((p) => p.channel === xmltvId)
    .map((p) => ({ title: p.title[0]._value, start: p.start.getTime(), stop: p.stop!.getTime() }))
    .sort((a, b) => a.start - b.start)
}

const ms = (iso: string): number => Date.parse(iso)
const hhmm = (at: number): string => new Date(at).toISOString().slice(0, 16)

/** The overlaps between neighbouring entries, and the aired events no entry covers (the guide's gaps). */
function overlapsAndGaps (entries: Entry[], events: Event[]): { overlaps: string[], gaps: string[] } {
  const overlaps = entries.filter((e, i) => i > 0 && e.start < entries[i - 1].stop).map((e) => `${e.title} ${hhmm(e.start)}`)
  const covered = (e: Event): boolean => entries.some((g) => g.start <= ms(e.start) && ms(e.end) <= g.stop)
  const gaps = events.filter((e) => !covered(e)).map((e) => `${e.title} ${e.start}`)
  return { overlaps, gaps }
}

/** How many film programmes aired. */
const filmsOf = (events: Event[]): number => new Set(events.filter((e) => e.origin?.block === 'films' && e.origin.kind === 'item').map((e) => e.programme_id)).size

/** Entries a day (UTC dates), for the record. */
function perDay (spans: Array<{ start: number }>): Record<string, number> {
  const days: Record<string, number> = {}
  for (const s of spans) days[hhmm(s.start).slice(0, 10)] = (days[hhmm(s.start).slice(0, 10)] ?? 0) + 1
  return days
}

t.test('a week over the clock change with a live event: no overlap, no gap, no entry under a minute, one entry per film', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await riverside(app)
  const events = await eventsOf(app, channel.id)
  const entries = await guideOf(t, app, channel.xmltv_id)
  t.comment(`events a day ${JSON.stringify(perDay(events.map((e) => ({ start: ms(e.start) }))))}; guide entries a day ${JSON.stringify(perDay(entries))}`)

  const { overlaps, gaps } = overlapsAndGaps(entries, events)
  t.same(overlaps, [], '0 overlaps')
  t.same(gaps, [], '0 gaps where something airs')
  t.same(entries.filter((e) => e.stop - e.start < MIN).map((e) => `${e.title} ${hhmm(e.start)}`), [], 'no entry under a minute')
  t.ok(entries.length < events.length / 5, `${entries.length} entries for ${events.length} events`)

  // One entry per film, however many breaks: the built programmes of the films block's items.
  const filmParts = events.filter((e) => e.origin?.block === 'films' && e.origin.kind === 'item')
  const filmProgrammes = new Map<string, Event[]>()
  for (const e of filmParts) filmProgrammes.set(e.programme_id!, [...filmProgrammes.get(e.programme_id!) ?? [], e])
  t.ok([...filmProgrammes.values()].some((parts) => parts.length >= 3), 'films are split by breaks')
  t.equal(entries.filter((e) => e.title.startsWith('Film ')).length, filmProgrammes.size, `${filmProgrammes.size} films, one entry each`)
  for (const parts of filmProgrammes.values()) {
    const holding = entries.filter((g) => g.start <= ms(parts[0].start) && ms(parts.at(-1)!.end) <= g.stop)
    if (holding.length !== 1 || holding[0].title !== parts[0].title) t.fail(`${parts[0].title} at ${parts[0].start}: one entry with its title holds every part`)
  }
  t.ok(events.some((e) => e.origin?.kind === 'break' && e.title.startsWith('Promo')), 'promos air as breaks')
  t.notOk(entries.some((e) => e.title.startsWith('Promo') || e.title.startsWith('Station ident')), 'no promo or ident has an entry')

  // The live event: its own entry, exactly its time; the pad before it joins the film before it, and the film pushed after it starts at 17:15.
  const race = entries.findIndex((e) => e.title === BOAT_RACE)
  t.match(entries[race], { start: ms('2026-03-28T15:30:00Z'), stop: ms('2026-03-28T17:15:00Z') }, 'the Boat Race, 15:30–17:15 (GMT)')
  t.equal(entries[race - 1].stop, entries[race].start, 'the entry before it ends as it starts')
  t.ok(entries[race - 1].title.startsWith('Film '), `before it: ${entries[race - 1].title}`)
  t.ok(entries[race + 1].title.startsWith('Film ') && entries[race + 1].start === entries[race].stop, `after it: ${entries[race + 1].title} from 17:15`)
  t.not(entries[race - 1].title, entries[race + 1].title, 'the pad before it is not the pushed film\'s')

  // Overnight: one entry titled by the channel, across the clock change (01:00 GMT → 02:00 BST).
  const change = ms('2026-03-29T01:00:00Z')
  t.match(entries.find((e) => e.start < change && change < e.stop), { title: 'Riverside TV — overnight' }, 'the night of the clock change is one entry')
  t.equal(entries.filter((e) => e.title === 'Riverside TV — overnight').length, 8, 'one a night (and the nights at the ends of the range)')
  // A sequential series: one entry per episode.
  const episodes = entries.filter((e) => e.title.startsWith('Harbour Lights'))
  t.ok(episodes.length >= 7 * 4, `${episodes.length} episode entries`)
})

t.test('the channel\'s default filler guide: own gives an entry per clip, hide a hole', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await riverside(app)
  const events = await eventsOf(app, channel.id)
  const night = events.filter((e) => e.origin?.kind === 'default')
  const nightEntries = (entries: Entry[]): Entry[] => entries.filter((g) => night.some((e) => g.start <= ms(e.start) && ms(e.end) <= g.stop))

  await send(app, 'PATCH', `/api/channels/${channel.id}`, { default_filler_guide: 'own' })
  const own = await guideOf(t, app, channel.xmltv_id)
  t.equal(nightEntries(own).length, night.length, 'default filler own: an entry per clip')
  t.ok(nightEntries(own).every((e) => e.title.startsWith('Station ident')))

  await send(app, 'PATCH', `/api/channels/${channel.id}`, { default_filler_guide: 'hide' })
  const hidden = await guideOf(t, app, channel.xmltv_id)
  t.same(nightEntries(hidden), [], 'default filler hide: no entry over the night')
  const { overlaps, gaps } = overlapsAndGaps(hidden, events.filter((e) => e.origin?.kind !== 'default'))
  t.same([overlaps, gaps], [[], []], 'the rest still without overlap or gap')
})

// A build stores each source's mode on the events it airs (events before now are kept as they are): one channel per mode, built after it is set.
t.test('guide modes of a filler playlist and a block: own gives an entry per clip, hide a hole', async (t) => {
  const { app } = await buildTestApp(t)
  const built = async (number: string, modes: { promos?: GuideMode, films?: GuideMode }) => {
    const { channel } = await riverside(app, { number, ...modes })
    return { events: await eventsOf(app, channel.id), entries: await guideOf(t, app, channel.xmltv_id) }
  }
  const own = await built('21', { promos: 'own' })
  const breaks = own.events.filter((e) => e.origin?.kind === 'break')
  const promoEntries = own.entries.filter((g) => g.title.startsWith('Promo'))
  t.ok(breaks.length > 0, `${breaks.length} break clips`)
  // The promos are the films' breaks and the series' pad: an entry for every one aired.
  t.equal(promoEntries.length, own.events.filter((e) => e.title.startsWith('Promo')).length, 'the promos\' playlist own: an entry per promo aired')
  t.ok(promoEntries.some((g) => g.stop - g.start < MIN), 'shorter than a minute, as the source asked')
  t.same(overlapsAndGaps(own.entries, own.events), { overlaps: [], gaps: [] }, 'still no overlap or gap')

  const hidden = await built('22', { promos: 'hide' })
  const hiddenBreaks = hidden.events.filter((e) => e.origin?.kind === 'break')
  t.ok(hiddenBreaks.length > 0 && hiddenBreaks.every((e) => !hidden.entries.some((g) => g.start < ms(e.end) && ms(e.start) < g.stop)), 'break filler hide: no entry over any break')
  t.ok(hidden.entries.filter((g) => g.title.startsWith('Film ')).length > filmsOf(hidden.events), 'a film is cut by its hidden breaks into entries of its parts')

  const noFilms = await built('23', { films: 'hide' })
  t.notOk(noFilms.entries.some((g) => g.title.startsWith('Film ')), 'block hide: no film entry')
  t.notOk(noFilms.entries.some((g) => g.title.startsWith('Promo') || g.title.startsWith('Trailer')), 'nor of its breaks or pad')
  t.ok(noFilms.entries.some((g) => g.title === BOAT_RACE), 'the live event stays')
  t.ok(noFilms.entries.some((g) => g.title.startsWith('Harbour Lights')), 'the series stays')
})

t.test('PATCH /api/playlists/:id { guide }: answered and read back; a bad body or an unknown playlist changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importPlaylist(app, playlist(3, 'Promo', [20]), 'promos')
  const patch = async (body: unknown, headers: Record<string, string> = operator) => app.inject({ method: 'PATCH', url: `/api/playlists/${id}`, headers, payload: body as Record<string, unknown> })
  const read = async (): Promise<unknown> => (await app.inject({ url: `/api/playlists/${id}`, headers: viewer })).json().playlist.guide
  t.equal(await read(), null, 'a new playlist: the default rule')
  const answer = await patch({ guide: 'own' })
  t.equal(answer.statusCode, 200)
  t.match(answer.json(), { playlist: { id, guide: 'own', item_count: 3 } })
  t.equal(await read(), 'own')
  for (const bad of [{ guide: 'loud' }, {}, { guide: 'hide', name: 'x' }]) {
    const res = await patch(bad)
    t.equal(res.statusCode, 400, JSON.stringify(bad))
    t.match(res.json(), { status: 'error', code: String, message: String, request_id: String })
  }
  t.equal((await patch({ guide: 'hide' }, viewer)).statusCode, 403, 'a viewer may not')
  t.equal((await app.inject({ method: 'PATCH', url: '/api/playlists/00000000-0000-4000-8000-000000000000', headers: operator, payload: { guide: 'hide' } })).statusCode, 404)
  t.equal(await read(), 'own', 'unchanged by the refused requests')
  t.equal((await patch({ guide: null })).json().playlist.guide, null, 'null: back to the default rule')
  t.match((await app.inject({ url: '/api/playlists', headers: viewer })).json(), { playlists: [{ id, guide: null }] })
})
