import t, { type Test } from 'tap'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { parseXmltv, type XmltvProgramme } from '@iptv/xmltv'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import type { Store } from '../workers/storage/store.js'
import { buildChannel } from '../workers/channels/build.js'
import { localDays } from '../workers/channels/wall-time.js'
import type { Block, SourceItem } from '../workers/channels/types.js'
import { channelsXmltv } from '../workers/schedule/export/xmltv.js'
import { exportChannel } from '../workers/schedule/export/index.js'
import { programmeAnswer } from '../workers/channels/programme-answer.js'
import { buildInput } from './unit/build-input.js'
import { testDatabaseUrl } from './test-database.js'
import { bearer, buildTestApp, tempDir } from './helpers.js'
import { importPlaylist } from './channel-fixtures.js'
import { assertValidXmltv, xmltvValidator } from './xml-check.js'

// A library item's metadata reaches the guide (SPEC §16, issue 26 item 3): a channel built from
// items with a description, season and episode, category and year writes XMLTV's desc,
// episode-num (xmltv_ns and onscreen), category and date, read back by a real XMLTV parser
// (@iptv/xmltv) and checked against the XMLTV DTD. In process: the builder, a real store (SQLite,
// or PostgreSQL on that pass), the guide's read and both XMLTV writers (guide.xml's, one
// channel's export). Through the API: what a playlist carries (season, episode, group).

t.teardown(() => xmltvValidator.dispose())

const DAY = '2026-05-04'
const EVERY_DAY: Block['days'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const MIN = 60_000

async function openStore (t: Test): Promise<Store> {
  const url = await testDatabaseUrl(t)
  const store = url === null ? await openSqliteStore(join(tempDir(t), 'data')) : await openPostgresStore(url)
  t.teardown(() => store.close())
  return store
}

const film: SourceItem = {
  url: 'file:///srv/media/Films/Iron Meadow (1982).mkv',
  title: 'Iron Meadow',
  duration: 100 * 60,
  category: 'Films',
  description: 'A drover & his daughter cross the high plains.\nShot on location.',
  year: 1982,
  chapters: [20 * MIN, 47 * MIN, 80 * MIN]
}
const episodes: SourceItem[] = [5, 6].map((episode) => ({
  url: `file:///srv/media/Harbour Lights/Season 02/Harbour Lights - S02E0${episode}.mkv`,
  title: `Harbour Lights S02E0${episode}`,
  duration: 25 * 60,
  category: 'Drama',
  season: 2,
  episode,
  year: 2024,
  description: `Episode ${episode}: the harbour master's secret.`
}))
const idents: SourceItem[] = [20, 25, 30].map((seconds, i) => ({ url: `https://cdn.example/ident${i}.mp4`, title: `Ident ${i + 1}`, duration: seconds, category: null }))

/** guide entries as a client parses them, by start. */
function programmesOf (t: Test, body: string): XmltvProgramme[] {
  assertValidXmltv(t, body)
  return (parseXmltv(body).programmes ?? []).sort((a, b) => a.start.getTime() - b.start.getTime())
}

// @iptv/xmltv leaves XML's predefined entities as written: decoded here, as an XML reader would.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const decoded = (value: string): string => value.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name])
const text = (values: Array<{ _value: string }> | undefined): string[] => (values ?? []).map((v) => decoded(v._value))
const episodeNums = (p: XmltvProgramme): Record<string, string | undefined> => Object.fromEntries((p.episodeNum ?? []).map((e) => [e.system ?? '', e._value]))

t.test('built from items with metadata: the guide writes desc, episode-num in both systems, category and date', async (t) => {
  const store = await openStore(t)
  const channel = await store.channels.create({ number: '21', name: 'Meadow TV', timezone: 'UTC', xmltv_id: 'meadow.tv' })
  const template = {
    cooldown_hours: 0,
    blocks: [
      { id: 'series', days: EVERY_DAY, start: '19:00', end: '20:00', source: { playlist: 'series' }, order: 'sequential' as const, fill: 'pad' as const, filler: 'idents' },
      { id: 'films', days: EVERY_DAY, start: '20:00', end: '22:00', source: { playlist: 'films' }, order: 'shuffle' as const, fill: 'pad' as const, filler: 'idents', breaks: { every_minutes: 15, max_seconds: 60, filler: 'idents', at: 'chapters' as const } }
    ]
  }
  const buildId = randomUUID()
  const result = buildChannel(buildInput({
    channel: { id: channel.id, timezone: 'UTC', default_filler: 'idents' },
    template,
    overrides: [],
    from: DAY,
    to: DAY,
    seed: 'meadow',
    sources: new Map([['playlist:series', episodes], ['playlist:films', [film]], ['playlist:idents', idents]])
  }, { buildId }))
  const day = localDays(DAY, DAY, 'UTC')[0]
  const stored = await store.channels.replaceBuild(channel.id, { from: day.start, to: day.end }, [], result.events, { id: buildId, from_date: DAY, to_date: DAY, seed: 'meadow', freeze_hours: 0, stats: result.stats, warnings: result.warnings })
  t.ok(stored !== null && stored.inserted === result.events.length, `${result.events.length} events stored`)
  const range = { from: day.start, to: day.end }

  const guide = channelsXmltv([{ channel, events: await store.channels.guideEvents(channel.id, range) }], 'guide.xml')
  const single = exportChannel('xmltv', { channel, events: await store.channels.channelEvents(channel.id, range) }, {})
  t.equal(single.body, guide.body, 'one channel\'s XMLTV export writes the same programmes as guide.xml')
  const programmes = programmesOf(t, guide.body)

  const s02e05 = programmes.find((p) => text(p.title)[0] === 'Harbour Lights S02E05')!
  t.ok(s02e05 !== undefined, 'the episode has an entry')
  t.same(text(s02e05.desc), ['Episode 5: the harbour master\'s secret.'], 'desc: the item\'s description')
  t.same(episodeNums(s02e05), { xmltv_ns: '1.4.', onscreen: 'S02E05' }, 'episode-num: xmltv_ns 1.4. and onscreen S02E05')
  t.same(text(s02e05.category), ['Drama'], 'category')
  t.equal(s02e05.date?.getUTCFullYear(), 2024, 'date: the item\'s year')
  t.match(guide.body, /<date>2024<\/date>\n {4}<category>Drama<\/category>/, 'written as the year, in the DTD\'s place (after desc, before category)')

  const films = programmes.filter((p) => text(p.title)[0] === 'Iron Meadow')
  t.equal(films.length, 1, 'the film with its three chapter breaks is one entry')
  t.same(result.events.filter((e) => e.title === 'Iron Meadow').map((e) => e.in_ms / MIN), [0, 20, 47, 80], 'its parts start at its chapter marks')
  t.same(text(films[0].desc), ['A drover & his daughter cross the high plains.\nShot on location.'], 'desc keeps its line break and its ampersand')
  t.equal(films[0].date?.getUTCFullYear(), 1982, 'date 1982')
  t.same(text(films[0].category), ['Films'], 'category Films')
  t.equal(films[0].episodeNum, undefined, 'a film has no episode-num')
  t.ok(programmes.filter((p) => text(p.title)[0].startsWith('Ident')).every((p) => p.date === undefined && p.desc === undefined), 'idents without metadata get none')

  // GET …/programmes answers the same description and year as the guide writes.
  const answered = (await store.programmes.programmesPage(channel.id, range, { limit: 500 })).programmes.map((p) => programmeAnswer(p, channel))
  t.match(answered.find((p) => p.title === 'Harbour Lights S02E05'), { season: 2, episode: 5, description: 'Episode 5: the harbour master\'s secret.', year: 2024 }, 'the episode\'s programme: its description and year')
  t.match(answered.find((p) => p.title === 'Iron Meadow'), { description: 'A drover & his daughter cross the high plains.\nShot on location.', year: 1982 }, 'the film\'s, across its breaks')
  t.ok(answered.filter((p) => p.kind !== 'item' || p.title.startsWith('Ident')).every((p) => !('description' in p) && !('year' in p)), 'none for idents and filler')
})

t.test('through the API: a playlist\'s season, episode and group reach guide.xml as episode-num and category; no date is made up', async (t) => {
  const { app } = await buildTestApp(t)
  const operator = bearer('operator')
  const lines = ['#EXTM3U']
  for (const episode of [5, 6, 7]) lines.push(`#EXTINF:1500 tvg-season="2" tvg-episode="${episode}" group-title="Drama",Harbour Lights - Night Tide`, `https://cdn.example/harbour-${episode}.mp4`)
  const series = await importPlaylist(app, lines.join('\n') + '\n', 'harbour')
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '22', name: 'Harbour TV', timezone: 'UTC', xmltv_id: 'harbour.tv' } })
  t.equal(created.statusCode, 201)
  const id = created.json().channel.id
  const template = { cooldown_hours: 0, blocks: [{ id: 'series', days: EVERY_DAY, start: '19:00', end: '20:15', source: { playlist: series }, order: 'sequential', fill: 'gap' }] }
  t.equal((await app.inject({ method: 'PUT', url: `/api/channels/${id}/template`, headers: operator, payload: template })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: `/api/channels/${id}/build`, headers: operator, payload: { from: DAY, to: DAY, seed: 's' } })).statusCode, 201)
  const res = await app.inject({ url: `/api/guide.xml?from=${DAY}T00:00:00Z&to=2026-05-05T00:00:00Z`, headers: bearer('viewer') })
  t.equal(res.statusCode, 200)
  const programmes = programmesOf(t, res.body).filter((p) => p.channel === 'harbour.tv')
  t.same(programmes.map((p) => [p.start.toISOString().slice(11, 16), episodeNums(p)]), [
    ['19:00', { xmltv_ns: '1.4.', onscreen: 'S02E05' }],
    ['19:25', { xmltv_ns: '1.5.', onscreen: 'S02E06' }],
    ['19:50', { xmltv_ns: '1.6.', onscreen: 'S02E07' }]
  ], 'each episode: xmltv_ns and onscreen from the playlist\'s numbers')
  t.ok(programmes.every((p) => text(p.category)[0] === 'Drama'), 'category: the group')
  t.ok(programmes.every((p) => p.date === undefined && p.desc === undefined), 'a playlist names no year or plot: none is written')
})
