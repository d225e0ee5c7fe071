import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { ScheduleListSchema } from '../contract/api.js'
import { bearer, buildTestApp } from './helpers.js'

const operator = bearer('operator')
const admin = bearer('admin')

const week = {
  metadata: { title: 'Week 48' },
  schedule: [
    { title: 'Morning News', start: '2025-11-24T07:00:00Z', end: '2025-11-24T08:00:00Z', videoUrl: 'https://cdn.example/news.mp4', category: 'News', tags: ['live'] },
    { title: 'Cartoons & Co', start: '2025-11-24T08:00:00Z', end: '2025-11-24T09:00:00Z', videoUrl: 'https://cdn.example/toons.mp4', category: 'Kids' },
    { title: 'Overlapping Film', start: '2025-11-24T08:30:00Z', end: '2025-11-24T10:30:00Z', videoUrl: 'https://cdn.example/film.mp4', category: 'Film', description: 'A "classic" <film>' },
    { title: 'Late Show', start: '2025-11-24T23:30:00Z', end: '2025-11-25T00:30:00Z', videoUrl: 'https://cdn.example/late.mp4' }
  ]
}

async function importDoc (app: FastifyInstance, body: string, query = '', contentType = 'application/json') {
  return app.inject({ method: 'POST', url: `/api/schedules/import${query}`, headers: { ...operator, 'content-type': contentType }, payload: body })
}

/** What a user can see of the store: the list and the counts. */
async function storeSnapshot (app: FastifyInstance): Promise<unknown> {
  const list = (await app.inject({ url: '/api/schedules', headers: operator })).json()
  const info = (await app.inject('/api/system-info')).json()
  return { list, counts: info.counts }
}

t.test('import, list, read a range, export and delete through the API', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await importDoc(app, JSON.stringify(week))
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.match(body, {
    status: 'success',
    schedule_id: String,
    events_imported: 4,
    duplicates_removed: 0,
    conflicts_detected: 1,
    schedule: { name: 'Week 48', source: 'json', event_count: 4 },
    metadata: { total_imported: 4, unique_events: 4, duplicates_removed: 0, conflicts_detected: 1, cooldown_violations: 0 },
    warnings: { conflicts: [{ type: 'overlap', event1: { title: 'Cartoons & Co' }, event2: { title: 'Overlapping Film' } }], conflicts_total: 1 }
  })
  const id = body.schedule_id as string

  const list = (await app.inject({ url: '/api/schedules', headers: bearer('viewer') })).json()
  t.match(list, { count: 1, schedules: [{ id, name: 'Week 48', event_count: 4, first_start: '2025-11-24T07:00:00.000Z', last_end: '2025-11-25T00:30:00.000Z' }] })

  const range = (await app.inject({ url: `/api/schedules/${id}?from=2025-11-24T08:45:00Z&to=2025-11-24T23:45:00Z`, headers: bearer('viewer') })).json()
  t.same(range.events.map((e: { title: string }) => e.title), ['Cartoons & Co', 'Overlapping Film', 'Late Show'], 'events on air in [from, to)')
  t.match(range.events[1], { duration: 7200, video_url: 'https://cdn.example/film.mp4', category: 'Film', description: 'A "classic" <film>' })
  t.match(range.schedule, { warnings: { conflicts_total: 1 } }, 'the warnings are kept with the schedule')

  const naive = (await app.inject({ url: `/api/schedules/${id}?from=2025-11-24T09:30:00&timezone=Europe/Paris`, headers: bearer('viewer') })).json()
  t.equal(naive.events.length, 3, 'a naive from is read in the given zone (08:30Z)')

  for (const [format, type, ext] of [['xml', 'application/xml', '.xml'], ['json', 'application/json', '.json'], ['m3u', 'audio/x-mpegurl', '.m3u'], ['xmltv', 'application/xml', '.xml'], ['ffplayout', 'application/json', '.json'], ['casparcg', 'application/xml', '.xml']]) {
    const exported = await app.inject({ url: `/api/schedules/${id}/export?format=${format}`, headers: bearer('viewer') })
    t.equal(exported.statusCode, 200, `${format} exports`)
    t.match(exported.headers['content-type'], type)
    t.match(exported.headers['content-disposition'], new RegExp(`^attachment; filename=".+\\${ext}"$`))
  }
  const m3u = (await app.inject({ url: `/api/schedules/${id}/export?format=m3u`, headers: bearer('viewer') })).body
  t.match(m3u, /^#EXTM3U/)
  t.equal((m3u.match(/#EXTINF/g) ?? []).length, 4)

  t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${id}`, headers: operator })).statusCode, 403, 'deleting needs admin')
  t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${id}`, headers: admin })).statusCode, 200)
  const gone = await app.inject({ method: 'DELETE', url: `/api/schedules/${id}`, headers: admin })
  t.equal(gone.statusCode, 404)
  t.match(gone.json(), { status: 'error', code: 'NOT_FOUND' })
  t.equal((await app.inject({ url: `/api/schedules/${id}`, headers: admin })).statusCode, 404)
  t.equal((await app.inject({ url: `/api/schedules/${id}/export?format=xml`, headers: admin })).statusCode, 404)
})

t.test('the list is the worker\'s JSON handed on as it is: byte for byte what its response schema serializes', async (t) => {
  const { app } = await buildTestApp(t)
  await importDoc(app, JSON.stringify(week))
  await importDoc(app, JSON.stringify({ schedule: week.schedule.slice(0, 1) }), '?name=Second')
  const res = await app.inject({ url: '/api/schedules', headers: bearer('viewer') })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.json().count, 2)
  // The same answer through Fastify's serializer for the route's schema: no field outside the
  // schema, none missing, no number written as a string, each key in the schema's order.
  const serializer = Fastify()
  serializer.get('/', { schema: { response: { 200: ScheduleListSchema } } }, async () => res.json())
  t.equal(res.body, (await serializer.inject('/')).body)
})

t.test('a replay of a video stored in another schedule is a cooldown warning on import', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await importDoc(app, JSON.stringify(week))).json().metadata.cooldown_violations, 0)
  const nextDay = { metadata: { title: 'Next day' }, schedule: [{ title: 'Morning News again', start: '2025-11-25T07:00:00Z', end: '2025-11-25T08:00:00Z', videoUrl: 'https://cdn.example/news.mp4' }, { title: 'New one', start: '2025-11-25T08:00:00Z', end: '2025-11-25T09:00:00Z', videoUrl: 'https://cdn.example/new.mp4' }] }
  const res = (await importDoc(app, JSON.stringify(nextDay))).json()
  t.equal(res.metadata.cooldown_violations, 1)
  t.match(res.warnings.cooldown, [{ index: 0, previous_index: null, previous_start: '2025-11-24T07:00:00.000Z', hours_since_previous: 24 }])
  const dayAfter = { schedule: [{ title: 'News, day three', start: '2025-11-26T07:00:00Z', end: '2025-11-26T08:00:00Z', videoUrl: 'https://cdn.example/news.mp4' }] }
  t.equal((await importDoc(app, JSON.stringify(dayAfter), '?cooldown_hours=12')).json().metadata.cooldown_violations, 0, '24 h after its last play is no replay in a 12 h cooldown')
  t.equal((await importDoc(app, JSON.stringify(dayAfter))).json().metadata.cooldown_violations, 1, 'but is in the default 48 h one')
})

t.test('XML and multipart uploads; format and name from the query', async (t) => {
  const { app } = await buildTestApp(t)
  const xml = '<schedule><events><event><title>Only</title><start>2025-11-24T08:00:00</start><end>2025-11-24T09:00:00</end></event></events></schedule>'
  const res = await importDoc(app, xml, '?name=Named%20here&timezone=America/New_York', 'application/xml')
  t.equal(res.statusCode, 201)
  t.match(res.json(), { schedule: { name: 'Named here', source: 'xml' } })
  const events = (await app.inject({ url: `/api/schedules/${res.json().schedule_id}`, headers: operator })).json().events
  t.equal(events[0].start, '2025-11-24T13:00:00.000Z', 'naive times in the given zone')

  const boundary = '----scheduleflow'
  const multipart = [`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="guide.xml"', 'Content-Type: text/xml', '',
    '<tv><programme start="20251124080000 +0000" stop="20251124090000 +0000" channel="c1"><title>From a file</title></programme></tv>', `--${boundary}--`, ''].join('\r\n')
  const uploaded = await importDoc(app, multipart, '', `multipart/form-data; boundary=${boundary}`)
  t.equal(uploaded.statusCode, 201)
  t.match(uploaded.json(), { schedule: { source: 'xmltv', event_count: 1 } })

  const wrongFormat = await importDoc(app, xml, '?format=json', 'application/xml')
  t.equal(wrongFormat.statusCode, 400)
  t.match(wrongFormat.json(), { code: 'BAD_JSON' })
  const badQuery = await importDoc(app, xml, '?format=csv', 'application/xml')
  t.equal(badQuery.statusCode, 400)
  t.match(badQuery.json(), { code: 'BAD_REQUEST', errors: [{ field: 'format' }] })
  const badZone = await importDoc(app, xml, '?timezone=Mars/Olympus', 'application/xml')
  t.equal(badZone.statusCode, 400)
  t.match(badZone.json(), { errors: [{ field: 'timezone' }] })
})

t.test('every rejected import leaves the store exactly as it was', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_MAX_UPLOAD_BYTES: String(64 * 1024) })
  t.equal((await importDoc(app, JSON.stringify(week))).statusCode, 201)
  const before = await storeSnapshot(app)
  const bad: [string, string, number, string][] = [
    ['malformed XML', '<schedule><events><event><title>x</events>', 400, 'BAD_XML'],
    ['wrong JSON', '{"schedule": [', 400, 'BAD_JSON'],
    ['end before start', JSON.stringify({ schedule: [{ title: 'ok', start: '2025-01-01T10:00:00Z', end: '2025-01-01T11:00:00Z' }, { title: 'x', start: '2025-01-01T10:00:00Z', end: '2025-01-01T09:00:00Z' }] }), 400, 'VALIDATION_FAILED'],
    ['invalid date', JSON.stringify({ schedule: [{ title: 'x', start: '2025-02-30T10:00:00Z', end: '2025-03-01T09:00:00Z' }] }), 400, 'VALIDATION_FAILED'],
    ['entity bomb', '<!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><schedule>&b;</schedule>', 400, 'BAD_XML'],
    ['garbage bytes', '\u0000\u0001\u0002 garbage', 400, 'UNKNOWN_FORMAT'],
    ['huge body', JSON.stringify({ schedule: [{ title: 'x'.repeat(70 * 1024), start: '2025-01-01T10:00:00Z', end: '2025-01-01T11:00:00Z' }] }), 413, 'PAYLOAD_TOO_LARGE'],
    ['empty body', '', 400, 'EMPTY_DOCUMENT']
  ]
  for (const [what, body, status, code] of bad) {
    const res = await importDoc(app, body)
    t.equal(res.statusCode, status, `${what}: ${status}`)
    t.match(res.json(), { status: 'error', code, request_id: String }, `${what}: ${code}`)
  }
  const invalidUtf8 = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/octet-stream' }, payload: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) })
  t.match(invalidUtf8.json(), { code: 'BAD_ENCODING' })
  t.same(await storeSnapshot(app), before, 'nothing was stored or changed')
  t.equal((await importDoc(app, JSON.stringify(week), '', 'application/json')).statusCode, 201, 'and the next good import works')
})

t.test('deleting every schedule needs admin and the confirmation', async (t) => {
  const { app } = await buildTestApp(t)
  await importDoc(app, JSON.stringify(week))
  await importDoc(app, JSON.stringify(week))
  const unconfirmed = await app.inject({ method: 'DELETE', url: '/api/schedules', headers: admin, payload: { confirm: 'yes' } })
  t.equal(unconfirmed.statusCode, 400)
  t.match(unconfirmed.json(), { code: 'CONFIRMATION_REQUIRED' })
  const missing = await app.inject({ method: 'DELETE', url: '/api/schedules', headers: admin, payload: {} })
  t.equal(missing.statusCode, 400)
  t.equal((await app.inject({ method: 'DELETE', url: '/api/schedules', headers: operator, payload: { confirm: 'DELETE_ALL_SCHEDULES' } })).statusCode, 403)
  const done = await app.inject({ method: 'DELETE', url: '/api/schedules', headers: admin, payload: { confirm: 'DELETE_ALL_SCHEDULES' } })
  t.match(done.json(), { status: 'success', deleted: 2 })
  t.match((await app.inject({ url: '/api/schedules', headers: admin })).json(), { count: 0 })
})

t.test('native XML and JSON exports re-import to the same events', async (t) => {
  const { app } = await buildTestApp(t)
  const tricky = {
    metadata: { title: 'Round trip' },
    schedule: [
      ...week.schedule,
      { title: 'Ünïcødé ☺ & <tags>', start: '2025-11-25T01:00:00Z', end: '2025-11-25T01:00:30Z', tags: ['a', 'b,c'], description: 'line one\nline two' },
      { title: 'No URL', start: '2025-11-25T02:00:00+05:30', end: '2025-11-25T03:00:00+05:30' }
    ]
  }
  const first = (await importDoc(app, JSON.stringify(tricky))).json().schedule_id
  const original = (await app.inject({ url: `/api/schedules/${first}`, headers: operator })).json()
  const strip = (events: Record<string, unknown>[]) => events.map(({ id: _id, ...rest }) => rest)
  for (const format of ['xml', 'json']) {
    const exported = await app.inject({ url: `/api/schedules/${first}/export?format=${format}`, headers: operator })
    const again = await importDoc(app, exported.body, '', exported.headers['content-type'] as string)
    t.equal(again.statusCode, 201, `${format} re-imports`)
    const copy = (await app.inject({ url: `/api/schedules/${again.json().schedule_id}`, headers: operator })).json()
    t.same(strip(copy.events), strip(original.events), `${format}: the same events`)
    t.equal(copy.schedule.name, 'Round trip')
  }
})

t.test('30 concurrent imports through the API are all stored', async (t) => {
  // One key sends all 30: its queue of heavy operations is allowed that deep here.
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_MAX_QUEUED_PER_KEY: '30' })
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
    importDoc(app, JSON.stringify({ ...week, metadata: { title: `Concurrent ${i}` } }))))
  t.same(results.map((r) => r.statusCode), Array(30).fill(201))
  const list = (await app.inject({ url: '/api/schedules', headers: operator })).json()
  t.equal(list.count, 30)
  t.same(new Set(list.schedules.map((s: { name: string }) => s.name)).size, 30)
  const info = (await app.inject('/api/system-info')).json()
  t.equal(info.counts.events, 30 * week.schedule.length)
})
