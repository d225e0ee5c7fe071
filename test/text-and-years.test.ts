import t, { type Test } from 'tap'
import { bearer, buildTestApp } from './helpers.js'
import { storeQuery } from './test-database.js'
import { m3u, setUpChannel } from './channel-fixtures.js'
import { assertValidXmltv, withDocument } from './xml-check.js'
import { parseM3u } from '../workers/playlist/m3u.js'

// Issue 21 findings 4, 5 and 8 through the real API and worker processes (SPEC §12): every
// stored instant lies in years 1–9999, end included, and edits, builds and day exports at the
// end of that range work or refuse with the field named; text written through the API holds no
// control characters, imports strip them with a note, and no export writes them, old rows
// included; the channel list's url-tvg never comes from the request's Host header.

const operator = bearer('operator')
const viewer = bearer('viewer')
const json = { ...operator, 'content-type': 'application/json' }
const MAX = '9999-12-31T23:59:59.999Z'
/** A control character (C0 but tab, DEL, U+2028/2029): what no answer, stored value or export may hold but a line end. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u2028\u2029]/

const { app, config } = await buildTestApp(t)

async function importJson (body: unknown, query = '', into = app): Promise<{ schedule_id: string, warnings: { notes: string[] } }> {
  const res = await into.inject({ method: 'POST', url: `/api/schedules/import${query}`, headers: json, payload: JSON.stringify(body) })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json()
}

interface ScheduleRead {
  schedule: { revision: number, event_count: number }
  events: Array<{ id: string, title: string, start: string, end: string, description: string | null }>
}

const scheduleRead = async (id: string): Promise<ScheduleRead> =>
  (await app.inject({ url: `/api/schedules/${id}`, headers: viewer })).json()

const storedOutOfRange = async (): Promise<number> => (await storeQuery<{ n: number }>(config, 'SELECT count(*) AS n FROM events WHERE start_ms < ? OR end_ms > ?', [Date.parse('0001-01-01T00:00:00Z'), Date.parse(MAX)]))[0].n

t.test('finding 4: a move that would end in year 10000 is refused, naming the start; nothing changes', async (t) => {
  const { schedule_id: id } = await importJson({ metadata: { title: 'Late' }, schedule: Array.from({ length: 5 }, (_, i) => ({ title: `Show ${i}`, start: `9999-12-31T1${i}:00:00Z`, end: `9999-12-31T1${i}:59:00Z` })) })
  const before = await scheduleRead(id)
  const event = before.events[0]
  const res = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${event.id}`, headers: json, payload: { start: '9999-12-31T23:30:00Z' } })
  t.equal(res.statusCode, 400, res.body)
  t.equal(res.json().code, 'VALIDATION_FAILED')
  t.match(res.json().errors, [{ field: 'ops.0.start', message: /10000-01-01T00:29:00\.000Z.*years 1–9999/ }])
  const after = await scheduleRead(id)
  t.same(after.events, before.events, 'the event is unchanged')
  t.equal(after.schedule.revision, before.schedule.revision, 'no new revision')
  t.equal(after.schedule.event_count, after.events.length, 'the count is what is listed')

  // The same through bulk and add, an end given past the range, and a ripple that would push a later event past it.
  const refused = async (url: string, method: 'POST' | 'PATCH', payload: unknown, field: string): Promise<void> => {
    const r = await app.inject({ method, url, headers: json, payload: payload as Record<string, unknown> })
    t.equal(r.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}: ${r.body}`)
    t.ok(r.json().errors.some((e: { field: string }) => e.field === field), `names ${field}: ${r.body}`)
  }
  await refused(`/api/schedules/${id}/events/bulk`, 'POST', { ops: [{ op: 'update', id: event.id, start: '9999-12-31T23:30:00Z' }] }, 'ops.0.start')
  await refused(`/api/schedules/${id}/events`, 'POST', { title: 'Late', start: '9999-12-31T23:00:00Z', end: '10000-01-01T00:00:00Z' }, 'ops.0.end')
  await refused(`/api/schedules/${id}/events`, 'POST', { title: 'Early', start: '0000-12-31T23:59:59Z', end: '0001-01-01T01:00:00Z' }, 'ops.0.start')
  await refused(`/api/schedules/${id}/events/${event.id}`, 'PATCH', { end: '9999-12-31T23:00:00-01:00' }, 'ops.0.end')
  await refused(`/api/schedules/${id}/events/${event.id}`, 'PATCH', { start: '9999-12-31T19:30:00Z', ripple: true }, 'ops.0.ripple')
  t.same((await scheduleRead(id)).events, before.events, 'still unchanged')

  // Up to the last instant is fine, and every export carries the event.
  const last = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${before.events[4].id}`, headers: json, payload: { start: '9999-12-31T23:00:59.999Z' } })
  t.equal(last.statusCode, 200, last.body)
  t.equal(last.json().event.end, MAX)
  for (const format of ['json', 'xmltv', 'm3u', 'casparcg']) {
    const exported = await app.inject({ url: `/api/schedules/${id}/export?format=${format}`, headers: viewer })
    t.equal(exported.statusCode, 200, `${format}: ${exported.body.slice(0, 200)}`)
    t.match(exported.body, 'Show 4', `${format} keeps the event that ends at the last instant`)
  }
  const day = await app.inject({ url: `/api/schedules/${id}/export?format=ffplayout&date=9999-12-31`, headers: viewer })
  t.equal(day.statusCode, 200, day.body)
  t.equal(day.json().date, '9999-12-31')
  t.equal(await storedOutOfRange(), 0)
})

t.test('finding 5: a build to 9999-12-31 and its day exports answer 2xx; nothing ends past the last instant', async (t) => {
  const fresh = await buildTestApp(t)
  const { channel } = await setUpChannel(fresh.app)
  const build = await fresh.app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: json, payload: { from: '9999-12-30', to: '9999-12-31', seed: 'end' } })
  t.equal(build.statusCode, 201, build.body)
  // The default filler (30-second idents) fills to midnight: the last one is cut at the last instant.
  const events = (await fresh.app.inject({ url: `/api/channels/${channel.id}/events?from=9999-12-31T00:00:00Z&to=${MAX}`, headers: viewer })).json().events as Array<{ end: string }>
  t.ok(events.length > 0)
  t.equal(events.at(-1)!.end, MAX, 'the last event ends at 9999-12-31T23:59:59.999Z')
  t.ok(events.every((e) => e.end <= MAX))
  t.equal((await storeQuery<{ n: number }>(fresh.config, 'SELECT count(*) AS n FROM events WHERE end_ms > ?', [Date.parse(MAX)]))[0].n, 0, 'none stored past it')

  for (const format of ['ffplayout', 'ersatztv']) {
    const day = await fresh.app.inject({ url: `/api/channels/${channel.id}/export?format=${format}&date=9999-12-31`, headers: viewer })
    t.equal(day.statusCode, 200, `${format}: ${day.body.slice(0, 300)}`)
  }
  const xmltv = await fresh.app.inject({ url: `/api/channels/${channel.id}/export?format=xmltv&from=9999-12-31&to=9999-12-31`, headers: viewer })
  t.equal(xmltv.statusCode, 200, xmltv.body.slice(0, 300))
  assertValidXmltv(t, xmltv.body)
  t.match(xmltv.body, 'stop="99991231235959 +0000"')

  // Dates outside years 1–9999 are refused, naming the field; a build from 0001-01-01 stays inside too.
  for (const [body, field] of [[{ from: '9999-12-31', to: '10000-01-01' }, 'to'], [{ from: '0000-12-31', to: '0001-01-01' }, 'from']] as const) {
    const res = await fresh.app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: json, payload: body })
    t.equal(res.statusCode, 400, res.body)
    t.ok(res.json().errors.some((e: { field: string }) => e.field === field), res.body)
  }
  const early = await fresh.app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: json, payload: { from: '0001-01-01', to: '0001-01-01', dry_run: true } })
  t.equal(early.statusCode, 200, early.body.slice(0, 300))
  t.ok(early.json().events.every((e: { start: string }) => e.start >= '0001-01-01T00:00:00.000Z'))
  const refusedDay = await fresh.app.inject({ url: `/api/channels/${channel.id}/export?format=ffplayout&date=0000-12-31`, headers: viewer })
  t.equal(refusedDay.statusCode, 400, refusedDay.body)
})

t.test('finding 8: text written through the API refuses control characters, naming the field', async (t) => {
  const countOf = async (table: string): Promise<number> => (await storeQuery<{ n: number }>(config, `SELECT count(*) AS n FROM ${table}`))[0].n
  const channels = await countOf('channels')
  for (const name of ['Bad\u0000TV', 'Bad\u0007TV', 'Bad\nTV', 'Bad\u2028TV', 'Bad\u007fTV']) {
    const res = await app.inject({ method: 'POST', url: '/api/channels', headers: json, payload: { number: '90', name, timezone: 'UTC' } })
    t.equal(res.statusCode, 400, res.body)
    t.equal(res.json().code, 'VALIDATION_FAILED')
    t.match(res.json().errors, [{ field: 'name', message: /control character|line break/ }])
  }
  t.equal(await countOf('channels'), channels, 'no channel stored')
  const tab = await app.inject({ method: 'POST', url: '/api/channels', headers: json, payload: { number: '91', name: 'Tab\tTV', timezone: 'UTC', group: 'G' } })
  t.equal(tab.statusCode, 201, 'a tab is allowed')
  const channelId = tab.json().channel.id
  const seeded = await app.inject({ method: 'POST', url: `/api/channels/${channelId}/build`, headers: json, payload: { from: '2026-01-01', to: '2026-01-01', seed: 's\u0000' } })
  t.match(seeded.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'seed' }] }, 'a build\'s seed is stored with it')
  const patch = await app.inject({ method: 'PATCH', url: `/api/channels/${channelId}`, headers: json, payload: { group: 'A\rB' } })
  t.match(patch.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'group' }] })
  const template = await app.inject({ method: 'PUT', url: `/api/channels/${channelId}/template`, headers: json, payload: { blocks: [{ id: 'a\u0001', days: ['mon'], start: '10:00', end: '11:00', title: 'T\u2029', source: { item: { url: 'https://x.example/a.mp4', title: 'I\u001b', duration: 60 } } }] } })
  t.same(template.json().errors.map((e: { field: string }) => e.field).sort(), ['blocks.0.id', 'blocks.0.source.item.title', 'blocks.0.title'])
  const override = await app.inject({ method: 'POST', url: `/api/channels/${channelId}/overrides`, headers: json, payload: { name: 'Hol\u0000', from: '2026-01-01', to: '2026-01-01', events: [{ title: 'Li\nve', start: '2026-01-01T10:00:00', end: '2026-01-01T11:00:00', description: 'two\nlines' }] } })
  t.same(override.json().errors.map((e: { field: string }) => e.field).sort(), ['events.0.title', 'name'], 'a description may hold lines')

  const { schedule_id: id } = await importJson({ schedule: [{ title: 'Plain', start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z' }] })
  const [event] = (await scheduleRead(id)).events
  const before = await scheduleRead(id)
  for (const [field, value] of [['title', 'A\u0000B'], ['category', 'News\u0085\u0007'], ['description', 'x\u0000'], ['title', 'one\ntwo']]) {
    const res = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${event.id}`, headers: json, payload: { [field]: value } })
    t.match(res.json(), { code: 'VALIDATION_FAILED', errors: [{ field: `ops.0.${field}` }] }, `${field} ${JSON.stringify(value)}`)
  }
  t.same(await scheduleRead(id), before, 'nothing changed')
  const lines = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${event.id}`, headers: json, payload: { description: 'line one\r\nline two' } })
  t.equal(lines.statusCode, 200, 'a description keeps its line breaks')
  t.equal(lines.json().event.description, 'line one\r\nline two')

  const playlist = await app.inject({ method: 'POST', url: `/api/playlists/import?name=${encodeURIComponent('Films\u0007')}`, headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: m3u(2, 'f', 60) })
  t.match(playlist.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'name' }] })
  const named = await app.inject({ method: 'POST', url: `/api/schedules/import?name=${encodeURIComponent('Week\u2028')}`, headers: json, payload: JSON.stringify({ schedule: [{ title: 'A', start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z' }] }) })
  t.match(named.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'name' }] })
  const fill = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: json, payload: { links: [{ url: 'https://x.example/a.mp4', title: 'A\u0000' }], start_time: '2026-01-01T00:00:00Z', duration_hours: 1, name: 'Fill' } })
  t.equal(fill.statusCode, 400, fill.body)
  t.match(fill.json().errors, [{ field: 'links.0.title' }])
})

t.test('finding 8: imports store text stripped of control characters, and say where', async (t) => {
  const { schedule_id: id, warnings } = await importJson({
    metadata: { title: 'Strip\u0007me' },
    schedule: [
      { title: 'News\u0000 at\u0007 ten', start: '2026-02-01T10:00:00Z', end: '2026-02-01T11:00:00Z', description: 'one\ntwo\u2028three\u0000' },
      { title: 'Line\u2028break', start: '2026-02-01T11:00:00Z', end: '2026-02-01T12:00:00Z', category: 'Cat\u001b', tags: ['a\u0007'] }
    ]
  })
  const { events } = await scheduleRead(id)
  t.same(events.map((e) => e.title), ['News at ten', 'Line break'])
  t.equal(events[0].description, 'one\ntwo\nthree', 'a description keeps its lines; U+2028 becomes one')
  t.match(warnings.notes.join('\n'), /event 1 \("News at ten"\) title: U\+0000, U\+0007 removed/)
  t.match(warnings.notes.join('\n'), /event 2 \("Line break"\) title: U\+2028 removed/)
  t.match(warnings.notes.join('\n'), /event 2 .* category: U\+001B removed/)
  t.match(warnings.notes.join('\n'), /document's title: U\+0007 removed/)
  const stored = await storeQuery<{ title: string, category: string | null, tags: string }>(config, 'SELECT title, category, tags FROM events WHERE schedule_id = ? ORDER BY start_ms', [id])
  t.notOk(stored.some((e) => CONTROL.test(e.title + (e.category ?? '') + e.tags)), 'none stored')

  const xmltv = '<tv><channel id="c\u2028one"><display-name>One\u2028TV</display-name></channel><programme start="20260201100000 +0000" stop="20260201110000 +0000" channel="c\u2028one"><title>Late\u2029show</title><desc>a\u2028b</desc></programme></tv>'
  const x = await app.inject({ method: 'POST', url: '/api/schedules/import?format=xmltv', headers: { ...operator, 'content-type': 'application/xml' }, payload: xmltv })
  t.equal(x.statusCode, 201, x.body)
  t.match(x.json().warnings.notes.join('\n'), /event 1 \("Late show"\) title: U\+2029 removed/)
  const xEvents = (await scheduleRead(x.json().schedule_id)).events
  t.same(xEvents.map((e) => [e.title, e.description]), [['Late show', 'a\nb']])

  // create_channels makes its channels from the cleaned display-names.
  const created = await app.inject({ method: 'POST', url: '/api/schedules/import?format=xmltv&create_channels=true', headers: { ...operator, 'content-type': 'application/xml' }, payload: '<tv><channel id="strip.tv"><display-name>Strip\u007f\u2028TV</display-name></channel><programme start="20260301100000 +0000" stop="20260301110000 +0000" channel="strip.tv"><title>A</title></programme></tv>' })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json().channels.created, [{ xmltv_id: 'strip.tv', name: 'Strip TV' }])

  const playlist = await app.inject({ method: 'POST', url: '/api/playlists/import?name=Strip', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: '#EXTM3U\n#EXTINF:60 group-title="G\u0007",Clip\u0000 one\u2028x\nhttps://x.example/1.mp4\n' })
  t.equal(playlist.statusCode, 201, playlist.body)
  t.match(playlist.json().warnings.join('\n'), /entry 1 title: U\+0000, U\+2028 removed/)
  t.match(playlist.json().warnings.join('\n'), /entry 1 group: U\+0007 removed/)
  const items = (await app.inject({ url: `/api/playlists/${playlist.json().playlist.id as string}`, headers: viewer })).json().items
  t.match(items, [{ title: 'Clip one x', group: 'G' }])
})

/** Every line of an M3U without control characters, and the entries a real reader finds. */
function checkM3u (t: Test, body: string, entries: number): ReturnType<typeof parseM3u> {
  t.notOk(CONTROL.test(body.replace(/\n/g, '')), 'no control character but the line ends')
  t.notOk(body.includes('\r'), 'no CR')
  const parsed = parseM3u(body)
  t.equal(parsed.items.length, entries, 'each entry is one #EXTINF and one URL')
  return parsed
}

t.test('finding 8: rows an earlier version stored with control characters export without them', async (t) => {
  const fresh = await buildTestApp(t)
  const { channel } = await setUpChannel(fresh.app)
  const build = await fresh.app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: json, payload: { from: '2026-03-02', to: '2026-03-02', seed: 'old' } })
  t.equal(build.statusCode, 201, build.body)
  // What an earlier version let through (PostgreSQL text cannot hold NUL, so BEL, ESC, DEL and line breaks).
  const dirty = 'Old\u0007 "quoted"\nname\u2028\u001b\u007f, with comma'
  await storeQuery(fresh.config, 'UPDATE channels SET name = ?, group_title = ? WHERE id = ?', [dirty, 'Grp\r\n"x"', channel.id])
  await storeQuery(fresh.config, 'UPDATE events SET title = ?, category = ?, description = ? WHERE channel_id = ?', ['Film\n#EXTINF:0,evil\u0007', 'Cat\u2029', 'Desc\u0007\nline two', channel.id])
  const { schedule_id: scheduleId } = await importJson({ schedule: [{ title: 'Plain', start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z', videoUrl: 'https://x.example/p.mp4' }] }, '', fresh.app)
  await storeQuery(fresh.config, 'UPDATE events SET title = ? WHERE schedule_id = ?', ['Sched\nule\u0007', scheduleId])

  const films = await storeQuery<{ playlist_id: string }>(fresh.config, 'SELECT id AS playlist_id FROM playlists WHERE name = ?', ['films'])
  await storeQuery(fresh.config, 'UPDATE playlist_items SET title = ? WHERE playlist_id = ?', ['Old\nitem\u0007 #EXTINF:0,x', films[0].playlist_id])
  const playlist = await fresh.app.inject({ url: `/api/playlists/${films[0].playlist_id}/export`, headers: viewer })
  t.ok(checkM3u(t, playlist.body, 40).items.every((i) => i.title === 'Old item #EXTINF:0,x'), 'a playlist export: every title on its #EXTINF line')

  const list = await fresh.app.inject({ url: '/api/channels.m3u', headers: viewer })
  const parsed = checkM3u(t, list.body, 1)
  t.match(parsed.items[0], { title: 'Old "quoted" name , with comma', group: "Grp 'x'", tvg: { 'tvg-name': "Old 'quoted' name , with comma" } })

  const xmltv = await fresh.app.inject({ url: `/api/channels/${channel.id}/export?format=xmltv&from=2026-03-02&to=2026-03-02`, headers: viewer })
  t.notOk(CONTROL.test(xmltv.body), 'XMLTV: none')
  assertValidXmltv(t, xmltv.body)
  withDocument(t, xmltv.body, (doc) => {
    t.equal(doc.get('//channel/display-name')?.content, 'Old "quoted" name , with comma')
    const titles = doc.find('//programme/title').map((n) => n.content)
    t.ok(titles.includes('Film #EXTINF:0,evil') && titles.every((title) => !/[\r\n]/.test(title)), 'titles on one line')
    t.ok(doc.find('//programme/desc').every((n) => n.content === 'Desc\nline two'), 'a description keeps its line')
  })
  const guide = await fresh.app.inject({ url: '/api/guide.xml?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z', headers: viewer })
  t.notOk(CONTROL.test(guide.body), 'guide.xml: none')
  assertValidXmltv(t, guide.body)

  const channelM3u = await fresh.app.inject({ url: `/api/channels/${channel.id}/export?format=m3u&from=2026-03-02&to=2026-03-02`, headers: viewer })
  const entries = checkM3u(t, channelM3u.body, channelM3u.body.split('\n').filter((l) => l.startsWith('#EXTINF')).length)
  t.ok(entries.items.every((i) => i.title === 'Film #EXTINF:0,evil' && i.url.startsWith('https://')), 'a title cannot start a second entry')

  const ffplayout = await fresh.app.inject({ url: `/api/channels/${channel.id}/export?format=ffplayout&date=2026-03-02`, headers: viewer })
  t.equal(ffplayout.statusCode, 200)
  const program = ffplayout.json().program as Array<{ title: string, category: string }>
  t.notOk(program.some((p) => CONTROL.test(p.title + p.category) || /[\r\n]/.test(p.title + p.category)), 'ffplayout titles and categories: no control characters, one line')
  t.notOk(CONTROL.test(ffplayout.json().channel), 'ffplayout channel name: none')

  const caspar = await fresh.app.inject({ url: `/api/channels/${channel.id}/export?format=casparcg&from=2026-03-02&to=2026-03-02`, headers: viewer })
  t.notOk(CONTROL.test(caspar.body), 'CasparCG: none')
  withDocument(t, caspar.body, (doc) => {
    t.ok(doc.find('//item/label').every((n) => !/[\r\n]/.test(n.content)), 'labels on one line')
  })

  const scheduleM3u = await fresh.app.inject({ url: `/api/schedules/${scheduleId}/export?format=m3u`, headers: viewer })
  t.match(checkM3u(t, scheduleM3u.body, 1).items, [{ title: 'Sched ule' }])
  for (const format of ['json', 'xml', 'xmltv', 'casparcg']) {
    const doc = await fresh.app.inject({ url: `/api/schedules/${scheduleId}/export?format=${format}`, headers: viewer })
    t.notOk(CONTROL.test(doc.body.replace(/\\u[0-9a-f]{4}/gi, (e) => String.fromCharCode(parseInt(e.slice(2), 16)))), `${format}: none, escaped or not`)
    t.match(doc.body, 'Sched ule')
  }
})

t.test('channels.m3u: url-tvg never comes from the request\'s Host header', async (t) => {
  const res = await app.inject({ url: '/api/channels.m3u', headers: { ...viewer, host: 'evil.example' } })
  t.equal(res.statusCode, 200)
  t.notMatch(res.body, 'evil.example')
  t.equal(parseM3u(res.body).attributes['url-tvg'], `http://${config.host}:${config.port}/api/guide.xml`, 'the configured listening address')
  // Conditional GET still works.
  const again = await app.inject({ url: '/api/channels.m3u', headers: { ...viewer, host: 'other.example', 'if-none-match': res.headers.etag as string } })
  t.equal(again.statusCode, 304)
})

t.test('channels.m3u: a server listening on every address names 127.0.0.1 and its real port', async (t) => {
  const open = await buildTestApp(t, { HOST: '0.0.0.0', PORT: '0' })
  await open.app.listen({ host: '0.0.0.0', port: 0 })
  const port = (open.app.server.address() as { port: number }).port
  const res = await open.app.inject({ url: '/api/channels.m3u', headers: { ...viewer, host: 'evil.example:1' } })
  t.equal(parseM3u(res.body).attributes['url-tvg'], `http://127.0.0.1:${port}/api/guide.xml`)
})
