import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { assertValidXmltv } from './xml-check.js'

// Imports that place schedules on channels (SPEC §11 "Import"), through the real app (real
// workers, SQLite, or PostgreSQL on that pass): channel_id on import, and an XMLTV import that
// creates its channels. Each answer is checked against what the channel then airs.

const operator = bearer('operator')
const viewer = bearer('viewer')
const admin = bearer('admin')
const MISSING = '00000000-0000-4000-8000-000000000000'

interface Imported { statusCode: number, body: string, json: () => any, headers: Record<string, unknown> }

async function importDocument (app: FastifyInstance, query: string, body: string, type = 'application/json', headers: Record<string, string> = {}): Promise<Imported> {
  return app.inject({ method: 'POST', url: `/api/schedules/import?${query}`, headers: { ...operator, 'content-type': type, ...headers }, payload: body })
}

async function createChannel (app: FastifyInstance, body: Record<string, unknown>): Promise<any> {
  const res = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: body })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().channel
}

const scheduleCount = async (app: FastifyInstance): Promise<number> => (await app.inject({ url: '/api/schedules', headers: viewer })).json().count
const channelList = async (app: FastifyInstance): Promise<any[]> => (await app.inject({ url: '/api/channels', headers: viewer })).json().channels
const eventsOf = async (app: FastifyInstance, id: string, range = 'from=2026-03-23&to=2026-03-24'): Promise<any[]> =>
  (await app.inject({ url: `/api/channels/${id}/events?${range}`, headers: viewer })).json().events

const jsonSchedule = (events: Array<{ title: string, start: string, end: string, videoUrl?: string }>): string =>
  JSON.stringify({ metadata: { title: 'Live' }, schedule: events })

/** A channel airing a fixed 30-minute news item at 08:00 UTC every day, built for Monday 23 March 2026. */
async function builtChannel (t: Test, app: FastifyInstance): Promise<any> {
  const channel = await createChannel(app, { number: '5', name: 'Newsroom', timezone: 'UTC' })
  const news = { url: 'https://cdn.example/news.mp4', title: 'Morning News', duration: 1800 }
  const put = await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: operator, payload: { blocks: [{ id: 'news', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '08:00', end: '08:30', source: { item: news } }] } })
  t.equal(put.statusCode, 200, put.body)
  const built = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: { from: '2026-03-23', to: '2026-03-23', seed: 's' } })
  t.equal(built.statusCode, 201, built.body)
  return channel
}

t.test('channel_id on import: the schedule is stored on the channel, its overlaps counted there', async (t) => {
  const { app } = await buildTestApp(t)
  const channel = await builtChannel(t, app)
  const live = jsonSchedule([
    { title: 'Match (live)', start: '2026-03-23T08:15:00Z', end: '2026-03-23T09:15:00Z', videoUrl: 'https://live.example/match.m3u8' },
    { title: 'Match analysis', start: '2026-03-23T09:15:00Z', end: '2026-03-23T09:45:00Z', videoUrl: 'https://live.example/analysis.m3u8' }
  ])

  const unplaced = await importDocument(app, 'name=Unplaced', live)
  t.equal(unplaced.statusCode, 201, unplaced.body)
  t.equal(unplaced.json().conflicts_detected, 0, 'on no channel, the document alone: no overlap')
  t.notOk('placed_on' in unplaced.json(), 'an unplaced import names no channel')

  const placed = await importDocument(app, `name=Placed&channel_id=${channel.id}`, live)
  t.equal(placed.statusCode, 201, placed.body)
  const answer = placed.json()
  t.equal(answer.placed_on, channel.id, 'the answer names the channel')
  t.equal(answer.conflicts_detected, 1, 'the match overlaps the news already built on the channel')
  t.match(answer.warnings.conflicts, [{ type: 'overlap', event1: { index: null, title: 'Morning News', start: '2026-03-23T08:00:00.000Z', event_id: String }, event2: { index: 0, title: 'Match (live)' } }])
  t.notOk('schedule_id' in answer.warnings.conflicts[0].event1, 'a built event belongs to no schedule')

  const aired = await eventsOf(app, channel.id)
  t.same(aired.map((e) => [e.title, e.schedule_id, e.start]), [
    ['Morning News', null, '2026-03-23T08:00:00.000Z'],
    ['Match (live)', answer.schedule_id, '2026-03-23T08:15:00.000Z'],
    ['Match analysis', answer.schedule_id, '2026-03-23T09:15:00.000Z']
  ], 'the channel airs the imported events beside its built one; the unplaced copy is not on it')
  t.match((await app.inject({ url: `/api/schedules/${answer.schedule_id}`, headers: viewer })).json(), { schedule: { placed_on: channel.id } }, 'the schedule says where it is placed')
  t.match((await app.inject({ url: `/api/schedules/${unplaced.json().schedule_id}`, headers: viewer })).json(), { schedule: { placed_on: null, warnings: { conflicts_total: 0 } } })
  const read = (await app.inject({ url: `/api/schedules/${answer.schedule_id}`, headers: viewer })).json().schedule.warnings
  t.equal(read.conflicts_total, 1, 'read later, the schedule counts the same overlap as its import answer')
  t.match(read.conflicts, [{ event1: { index: null, title: 'Morning News' }, event2: { index: 0, title: 'Match (live)' } }])
  // Placed later, the other copy meets the news and the placed copy: counted on the channel too.
  t.equal((await app.inject({ method: 'PUT', url: `/api/schedules/${unplaced.json().schedule_id}/channel`, headers: operator, payload: { channel_id: channel.id } })).statusCode, 200)
  t.equal((await app.inject({ url: `/api/schedules/${unplaced.json().schedule_id}`, headers: viewer })).json().schedule.warnings.conflicts_total, 3, 'assigned later: the news, and both events of the placed copy')

  // A second schedule on the channel overlaps the first one's events: named by their schedule.
  const again = await importDocument(app, `name=Again&channel_id=${channel.id}`, jsonSchedule([{ title: 'Replay', start: '2026-03-23T09:30:00Z', end: '2026-03-23T10:00:00Z' }]))
  t.equal(again.statusCode, 201, again.body)
  t.equal(again.json().conflicts_detected, 2, 'the analysis of both copies, now both on the channel')
  t.same(again.json().warnings.conflicts.map((c: any) => [c.event1.title, c.event1.schedule_id, c.event2.index]).sort(),
    [['Match analysis', answer.schedule_id, 0], ['Match analysis', unplaced.json().schedule_id, 0]].sort(), 'each named by its schedule')
})

t.test('channel_id on import: the whole document is one timeline, and cooldown replays count the channel\'s plays only', async (t) => {
  const { app } = await buildTestApp(t)
  const one = await createChannel(app, { number: '1', name: 'One', timezone: 'UTC' })
  const two = await createChannel(app, { number: '2', name: 'Two', timezone: 'UTC' })
  const film = (start: string, end: string, channel?: string) => ({ title: 'Film', start, end, videoUrl: 'https://cdn.example/film.mp4', ...(channel !== undefined && { channel }) })
  const first = await importDocument(app, `channel_id=${one.id}`, jsonSchedule([film('2026-03-23T20:00:00Z', '2026-03-23T22:00:00Z')]))
  t.equal(first.statusCode, 201, first.body)

  const replay = jsonSchedule([film('2026-03-24T20:00:00Z', '2026-03-24T22:00:00Z')])
  const onOther = await importDocument(app, `channel_id=${two.id}`, replay)
  t.equal(onOther.json().metadata.cooldown_violations, 0, 'a replay on another channel is no replay of this one')
  const onSame = await importDocument(app, `channel_id=${one.id}`, replay)
  t.equal(onSame.json().metadata.cooldown_violations, 1, 'a replay on the same channel inside 48 h is')
  t.match(onSame.json().warnings.cooldown, [{ index: 0, previous_index: null, previous_start: '2026-03-23T20:00:00.000Z', hours_since_previous: 24 }])
  const readBack = async (res: Imported): Promise<number> => (await app.inject({ url: `/api/schedules/${res.json().schedule_id}`, headers: viewer })).json().schedule.warnings.cooldown_total
  t.equal(await readBack(onOther), 0, 'read later: still none on the other channel')
  t.equal(await readBack(onSame), 1, 'read later: the replay on the same channel')

  // Two events naming different XMLTV channels at once: apart on no channel, together on one.
  const twoChannels = JSON.stringify({ schedule: [{ title: 'A', start: '2026-04-01T10:00:00Z', end: '2026-04-01T11:00:00Z', channel: 'a' }, { title: 'B', start: '2026-04-01T10:30:00Z', end: '2026-04-01T11:30:00Z', channel: 'b' }] })
  t.equal((await importDocument(app, '', twoChannels)).json().conflicts_detected, 0, 'unplaced: per XMLTV channel')
  t.equal((await importDocument(app, `channel_id=${two.id}`, twoChannels)).json().conflicts_detected, 1, 'placed: both air on the one channel')
})

t.test('channel_id on import: an unknown channel is refused as the assign route refuses it, and nothing is stored', async (t) => {
  const { app } = await buildTestApp(t)
  const channel = await createChannel(app, { number: '1', name: 'One', timezone: 'UTC' })
  const doc = jsonSchedule([{ title: 'News', start: '2026-03-23T08:00:00Z', end: '2026-03-23T08:30:00Z' }])
  const stored = await importDocument(app, '', doc)
  const assign = await app.inject({ method: 'PUT', url: `/api/schedules/${stored.json().schedule_id}/channel`, headers: operator, payload: { channel_id: MISSING } })
  const before = await scheduleCount(app)
  for (const id of [MISSING, 'not-a-uuid', '', `${channel.id}x`]) {
    const res = await importDocument(app, `channel_id=${encodeURIComponent(id)}`, doc)
    t.equal(res.statusCode, assign.statusCode, `"${id}": the assign route's status`)
    t.match(res.json(), { status: 'error', code: assign.json().code, request_id: String, errors: [{ field: 'channel_id', message: 'unknown channel' }] })
  }
  const both = await importDocument(app, `channel_id=${channel.id}&create_channels=true`, doc)
  t.equal(both.statusCode, 400)
  t.same(both.json().errors.map((e: { field: string }) => e.field), ['channel_id', 'create_channels'], 'channel_id with create_channels: both named')
  t.equal(await scheduleCount(app), before, 'no schedule stored')
  t.same(await eventsOf(app, channel.id, 'from=2026-03-01&to=2026-04-01'), [], 'nothing on the channel')
})

t.test('channel_id on import: Idempotency-Key requests are the same only with the same channel', async (t) => {
  const { app } = await buildTestApp(t)
  const one = await createChannel(app, { number: '1', name: 'One', timezone: 'UTC' })
  const two = await createChannel(app, { number: '2', name: 'Two', timezone: 'UTC' })
  const doc = jsonSchedule([{ title: 'News', start: '2026-03-23T08:00:00Z', end: '2026-03-23T08:30:00Z' }])
  const key = { 'idempotency-key': 'import-on-one' }
  const first = await importDocument(app, `channel_id=${one.id}`, doc, 'application/json', key)
  t.equal(first.statusCode, 201, first.body)
  const repeat = await importDocument(app, `channel_id=${one.id}`, doc, 'application/json', key)
  t.equal(repeat.headers['idempotent-replayed'], 'true')
  t.equal(repeat.json().schedule_id, first.json().schedule_id, 'the same request: the first answer')
  const other = await importDocument(app, `channel_id=${two.id}`, doc, 'application/json', key)
  t.equal(other.statusCode, 422, 'the same key and document on another channel is another request')
  t.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED')
  t.equal(await scheduleCount(app), 1, 'one schedule stored')
  t.equal((await eventsOf(app, two.id)).length, 0, 'nothing on the other channel')
})

const XMLTV = `<?xml version="1.0" encoding="UTF-8"?>
<tv generator-info-name="test">
  <channel id="campus.example"><display-name>Campus TV</display-name><display-name>7</display-name></channel>
  <channel id="news.example"><display-name>News 24</display-name><display-name>7</display-name><icon src="logos/news.png"/><lcn>12</lcn></channel>
  <channel id="films.example"><display-name>Films</display-name><display-name>Films HD</display-name><icon src="https://cdn.example/films.png"/></channel>
  <programme start="20260323080000 +0000" stop="20260323083000 +0000" channel="campus.example"><title>Campus News</title></programme>
  <programme start="20260323080000 +0000" stop="20260323090000 +0000" channel="news.example"><title>Headlines</title></programme>
  <programme start="20260323200000 +0000" stop="20260323220000 +0000" channel="films.example"><title>The Film</title><category>Films</category></programme>
  <programme start="20260323220000 +0000" stop="20260323233000 +0000" channel="films.example"><title>Late Film</title></programme>
</tv>`

t.test('create_channels: an XMLTV import creates the channels it names, reuses those stored, and airs each programme on its channel', async (t) => {
  const { app } = await buildTestApp(t)
  const campus = await createChannel(app, { number: '7', name: 'Campus', timezone: 'Europe/London', xmltv_id: 'campus.example' })
  const guideUrl = '/api/guide.xml?from=2026-03-23T00:00:00Z&to=2026-03-24T00:00:00Z'
  const firstGuide = await app.inject({ url: guideUrl, headers: viewer })
  const res = await importDocument(app, 'create_channels=true&timezone=Europe/Paris', XMLTV, 'application/xml')
  t.equal(res.statusCode, 201, res.body)
  const answer = res.json()
  t.same(answer.channels.reused.map((c: any) => [c.id, c.number, c.name]), [[campus.id, '7', 'Campus']], 'the stored channel is reused as it is')
  t.same(answer.channels.created.map((c: any) => [c.xmltv_id, c.number, c.name, c.logo, c.timezone]), [
    ['news.example', '12', 'News 24', null, 'Europe/Paris'], // 7 is taken: its <lcn>
    ['films.example', '13', 'Films', 'https://cdn.example/films.png', 'Europe/Paris'] // no number: the next above 12
  ], 'created from the <channel> elements, numbered by the rules')
  t.match(answer.warnings.notes, [/news\.example.*logos\/news\.png.*not an http\(s\) URL/], 'an icon that is no URL is said, not kept')

  const [news, films] = answer.channels.created
  const titles = async (id: string): Promise<string[]> => (await eventsOf(app, id)).map((e) => `${e.title}@${e.schedule_id === answer.schedule_id ? 'import' : 'other'}`)
  t.same(await titles(campus.id), ['Campus News@import'])
  t.same(await titles(news.id), ['Headlines@import'])
  t.same(await titles(films.id), ['The Film@import', 'Late Film@import'])
  t.match((await app.inject({ url: `/api/schedules/${answer.schedule_id}`, headers: viewer })).json(), { schedule: { placed_on: null } }, 'the schedule itself is on no one channel')

  const guide = await app.inject({ url: guideUrl, headers: viewer })
  t.equal(guide.statusCode, 200)
  t.not(guide.headers.etag, firstGuide.headers.etag, 'the guide changed')
  assertValidXmltv(t, guide.body)
  for (const id of ['campus.example', 'news.example', 'films.example']) t.match(guide.body, new RegExp(`<channel id="${id.replace('.', '\\.')}"`), `the guide lists ${id}`)
  t.match(guide.body, /<programme[^>]*channel="news\.example"[^>]*>\s*<title[^>]*>Headlines<\/title>/, 'and its programmes')
  t.match(guide.body, /<programme[^>]*channel="films\.example"[^>]*>\s*<title[^>]*>Late Film<\/title>/)

  // The same document again: every channel is stored now, so all three are reused.
  const again = await importDocument(app, 'create_channels=true', XMLTV, 'application/xml')
  t.equal(again.statusCode, 201, again.body)
  t.same(again.json().channels.created, [])
  t.same(again.json().channels.reused.map((c: any) => c.id), [campus.id, news.id, films.id])
  t.equal((await channelList(app)).length, 3, 'no channel created twice')
  t.equal(again.json().conflicts_detected, 4, 'each programme overlaps its copy already on the reused channel')
  const reGuide = await app.inject({ url: guideUrl, headers: { ...viewer, 'if-none-match': guide.headers.etag as string } })
  t.equal(reGuide.statusCode, 200, 'reused channels got events: the guide is not answered 304')

  // Deleting the first schedule takes its programmes off the channels, and the guide says so.
  t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${again.json().schedule_id}`, headers: admin })).statusCode, 200)
  t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${answer.schedule_id}`, headers: admin })).statusCode, 200)
  const afterDelete = await app.inject({ url: guideUrl, headers: { ...viewer, 'if-none-match': reGuide.headers.etag as string } })
  t.equal(afterDelete.statusCode, 200, 'not 304 after the schedules are deleted')
  t.notMatch(afterDelete.body, /Headlines/, 'their programmes are gone from the guide')
  t.same(await titles(films.id), [])
})

t.test('create_channels: only with XMLTV, and a channel that cannot be created refuses the import whole', async (t) => {
  const { app } = await buildTestApp(t)
  const doc = jsonSchedule([{ title: 'News', start: '2026-03-23T08:00:00Z', end: '2026-03-23T08:30:00Z' }])
  for (const query of ['create_channels=true&format=json', 'create_channels=true']) {
    const res = await importDocument(app, query, doc)
    t.equal(res.statusCode, 400, `${query}: 400`)
    t.match(res.json(), { status: 'error', code: 'BAD_REQUEST', message: /create_channels.*XMLTV.*json/, errors: [{ field: 'create_channels' }] })
  }
  const nativeXml = '<schedule><events><event><title>A</title><start>2026-03-23T08:00:00Z</start><end>2026-03-23T09:00:00Z</end></event></events></schedule>'
  t.match((await importDocument(app, 'create_channels=true', nativeXml, 'application/xml')).json(), { code: 'BAD_REQUEST', errors: [{ field: 'create_channels' }] }, 'native XML too')

  const badId = XMLTV.replaceAll('films.example', 'films example')
  const refused = await importDocument(app, 'create_channels=true', badId, 'application/xml')
  t.equal(refused.statusCode, 400, refused.body)
  t.match(refused.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'channel.2.xmltv_id', message: /films example/ }] })
  t.equal(await scheduleCount(app), 0, 'no schedule stored')
  t.same(await channelList(app), [], 'no channel created, not even the valid ones')
})
