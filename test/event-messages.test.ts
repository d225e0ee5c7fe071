import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import type { ErrorBody, ImportAnswer, ScheduleWithEvents } from '../contract/api.js'

// Issue 11 item 19 (the API's part): messages name an event as a person finds it (1-based,
// by title and local start, with the zone), counts have their plurals, and a JSON document's
// metadata.channel and metadata.timezone are used, or the answer says they were not.

async function importJson (app: FastifyInstance, document: unknown, query = ''): Promise<{ status: number, body: ImportAnswer & Omit<ErrorBody, 'status'> }> {
  const res = await app.inject({ method: 'POST', url: `/api/schedules/import${query}`, headers: { ...bearer('operator'), 'content-type': 'application/json' }, payload: JSON.stringify(document) })
  return { status: res.statusCode, body: res.json() }
}

const BERLIN = '?timezone=Europe/Berlin'
const ok = { title: 'Fine', start: '2026-03-29T06:00:00', end: '2026-03-29T07:00:00' }

t.test('every validation problem names its event 1-based, by title and local start when they are readable', async (t) => {
  const { app } = await buildTestApp(t)
  const bad = [
    ok,
    { title: 'News', start: '2026-03-29T08:00:00', end: '2026-03-29T07:00:00' }, // end before start
    { start: '2026-03-29T09:30:00', end: '2026-03-29T10:00:00' }, // no title
    { title: 'Film', start: 'tomorrow', end: '2026-03-29T12:00:00' }, // start unreadable
    { title: 'Sport', start: '2026-03-29T12:00:00', end: '2026-03-29T13:00:00', duration: 60 }, // duration disagrees
    { title: 'Clip', start: '2026-03-29T13:00:00', end: '2026-03-29T13:05:00', videoUrl: 'javascript:alert(1)' }, // not a media URL
    'not an event'
  ]
  const { status, body } = await importJson(app, { schedule: bad }, BERLIN)
  t.equal(status, 400)
  t.equal(body.code, 'VALIDATION_FAILED')
  const expected: Record<number, RegExp> = {
    1: /^event 2 'News' at 2026-03-29 08:00 Europe\/Berlin: end is not after start$/,
    2: /^event 3 at 2026-03-29 09:30 Europe\/Berlin: title is required$/,
    3: /^event 4 'Film': start "tomorrow" is not a valid date-time/,
    4: /^event 5 'Sport' at 2026-03-29 12:00 Europe\/Berlin: duration 60 s disagrees/,
    5: /^event 6 'Clip' at 2026-03-29 13:00 Europe\/Berlin: video_url /,
    6: /^event 7: an event must be an object/
  }
  t.same([...new Set(body.errors!.map((e) => e.index))], [1, 2, 3, 4, 5, 6], 'the structured index stays 0-based')
  for (const problem of body.errors!) {
    t.match(problem.message, expected[problem.index!], `event ${problem.index! + 1}: ${problem.message}`)
    t.notMatch(problem.message, /events?\[\d+\]/, 'never a 0-based array index')
  }
  t.match(body.message, /^6 problems found, the first: event 2 'News' at 2026-03-29 08:00 Europe\/Berlin: end is not after start; nothing was imported$/)
})

t.test('one problem is "1 problem", and is quoted in the message itself', async (t) => {
  const { app } = await buildTestApp(t)
  const { status, body } = await importJson(app, { schedule: [ok, { title: 'News', start: '2026-03-29T08:00:00Z', end: '2026-03-29T08:00:00Z' }] })
  t.equal(status, 400)
  t.equal(body.message, '1 problem found: event 2 \'News\' at 2026-03-29 08:00 UTC: end is not after start; nothing was imported')
})

t.test('a duplicate names both events 1-based, by title and local start', async (t) => {
  const { app } = await buildTestApp(t)
  const news = { title: 'News', start: '2026-03-29T08:00:00', end: '2026-03-29T08:30:00' }
  const { status, body } = await importJson(app, { schedule: [news, ok, { ...news, title: ' news ' }] }, BERLIN)
  t.equal(status, 201)
  t.match(body.warnings.duplicates, [{ index: 2, duplicate_of: 0, message: 'event 3 \'news\' at 2026-03-29 08:00 Europe/Berlin repeats event 1: left out' }])
})

t.test('metadata.timezone reads the naive times when the request names no zone, and the answer says so', async (t) => {
  const { app } = await buildTestApp(t)
  const doc = { metadata: { title: 'Berlin week', timezone: 'Europe/Berlin' }, schedule: [{ title: 'News', start: '2026-03-30T08:00:00', end: '2026-03-30T08:30:00' }] }
  const used = await importJson(app, doc)
  t.equal(used.status, 201)
  t.match(used.body.warnings.notes, [/naive times were read in Europe\/Berlin, the document's metadata\.timezone/])
  const events = (await app.inject({ url: `/api/schedules/${used.body.schedule_id}`, headers: bearer('viewer') })).json<ScheduleWithEvents>().events
  t.equal(events[0].start, '2026-03-30T06:00:00.000Z', '08:00 in Berlin (summer time) is 06:00 UTC')

  const overridden = await importJson(app, doc, '?timezone=UTC')
  t.equal(overridden.status, 201)
  t.match(overridden.body.warnings.notes, [/metadata\.timezone "Europe\/Berlin" was not used: the request's timezone UTC was/])
  const read = (await app.inject({ url: `/api/schedules/${overridden.body.schedule_id}`, headers: bearer('viewer') })).json<ScheduleWithEvents>().events
  t.equal(read[0].start, '2026-03-30T08:00:00.000Z', 'the request\'s zone wins')

  for (const zone of ['Mars/Olympus', 42, '']) {
    const refused = await importJson(app, { metadata: { timezone: zone }, schedule: [ok] })
    t.equal(refused.status, 400, `metadata.timezone ${JSON.stringify(zone)} is refused`)
    t.match(refused.body, { code: 'BAD_JSON', errors: [{ field: 'metadata.timezone' }] })
  }
})

t.test('metadata.channel is the channel of every event that names none', async (t) => {
  const { app } = await buildTestApp(t)
  const { status, body } = await importJson(app, {
    metadata: { channel: 'campus.tv' },
    schedule: [ok, { title: 'Other', start: '2026-03-29T07:00:00Z', end: '2026-03-29T08:00:00Z', channel: 'other.tv' }]
  })
  t.equal(status, 201)
  const got = (await app.inject({ url: `/api/schedules/${body.schedule_id}`, headers: bearer('viewer') })).json<ScheduleWithEvents>()
  t.same(got.events.map((e) => e.channel), ['campus.tv', 'other.tv'])
  t.match(got.schedule.channels, [{ id: 'campus.tv' }])
  const refused = await importJson(app, { metadata: { channel: ['a'] }, schedule: [ok] })
  t.match(refused, { status: 400, body: { code: 'BAD_JSON', errors: [{ field: 'metadata.channel' }] } })
})

t.test('XMLTV notes name programmes 1-based', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({
    method: 'POST',
    url: '/api/schedules/import',
    headers: { ...bearer('operator'), 'content-type': 'application/xml' },
    payload: '<tv><programme start="20260329080000 +0000" stop="20260329080000 +0000" channel="c"><title>Marker</title></programme><programme start="20260329090000 +0000" stop="20260329100000 +0000" channel="c"><title>Show</title></programme></tv>'
  })
  t.equal(res.statusCode, 201)
  t.match(res.json<ImportAnswer>().warnings.notes, ['programme 1 ("Marker") has zero length: left out'])
})
