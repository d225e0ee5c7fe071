import t, { type Test } from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { DB_FILE_NAME } from '../workers/storage/sqlite.js'

// Issue 8, items 1, 8 and 16, through the real API (real workers, a real SQLite file):
// every bad input is a 400 naming the event and field, nothing is stored after it, and a
// row an earlier version stored oddly never makes a read fail for everyone.

const operator = bearer('operator')
const viewer = bearer('viewer')
const ENV = { SCHEDULEFLOW_RATE_LIMIT_MAX: '100000' }

interface Problem { index?: number, field?: string, line?: number, message: string }

async function importDoc (app: FastifyInstance, body: string, query = ''): Promise<{ statusCode: number, json: () => any }> {
  return app.inject({ method: 'POST', url: `/api/schedules/import${query}`, headers: { ...operator, 'content-type': 'application/octet-stream' }, payload: body })
}
const scheduleCount = async (app: FastifyInstance): Promise<number> => (await app.inject({ url: '/api/schedules', headers: viewer })).json().count
const playlistCount = async (app: FastifyInstance): Promise<number> => (await app.inject({ url: '/api/playlists', headers: viewer })).json().count

const jsonDoc = (events: unknown[]): string => JSON.stringify({ metadata: { title: 'T' }, schedule: events })
const xmlDoc = (events: string[]): string => `<schedule><metadata><title>T</title></metadata><events>${events.join('')}</events></schedule>`
const xmlEvent = (fields: Record<string, string>): string => `<event>${Object.entries(fields).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</event>`
const xmltvDoc = (programmes: string[]): string => `<tv><channel id="c"><display-name>C</display-name></channel>${programmes.join('')}</tv>`

/** Asserts a 400 VALIDATION_FAILED in the contract's shape whose problems name exactly these (index, field) pairs, and that nothing was stored. */
async function refused (
  t: Test,
  app: FastifyInstance,
  res: { statusCode: number, json: () => any },
  expected: Array<[number, string]>,
  what: string
): Promise<Problem[]> {
  t.equal(res.statusCode, 400, `${what}: 400`)
  const body = res.json()
  t.match(body, { status: 'error', code: 'VALIDATION_FAILED', message: String, request_id: String }, `${what}: the contract's error shape`)
  const named = (body.errors ?? []).map((p: Problem) => [p.index, p.field])
  t.same(named.sort(), [...expected].sort(), `${what}: every problem named by event index and field`)
  t.equal(await scheduleCount(app), 0, `${what}: nothing stored`)
  return body.errors ?? []
}

t.test('an instant outside years 1–9999 is refused on input, in every format, naming the event and field', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const ok = { title: 'ok', start: '2025-01-01T00:00:00Z', end: '2025-01-01T01:00:00Z' }

  // JSON: a duration with no end that no date can hold, a year 0, an offset that moves year 1 into year 0.
  await refused(t, app, await importDoc(app, jsonDoc([
    ok,
    { title: 'huge duration', start: '2025-01-01T00:00:00Z', duration: 1e300 },
    { title: 'past 9999', start: '9999-12-31T23:00:00Z', duration: 7200 },
    { title: 'year 0', start: '0000-06-01T00:00:00Z', end: '0000-06-01T01:00:00Z' },
    { title: 'offset into year 0', start: '0001-01-01T00:30:00+01:00', end: '0001-01-01T02:00:00Z' }
  ])), [[1, 'duration'], [2, 'duration'], [3, 'start'], [3, 'end'], [4, 'start']], 'json')

  // Native XML: the same class.
  await refused(t, app, await importDoc(app, xmlDoc([
    xmlEvent({ title: 'huge', start: '2025-01-01T00:00:00Z', duration: '1e300' }),
    xmlEvent({ title: 'year 0', start: '0000-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' })
  ])), [[0, 'duration'], [1, 'start']], 'xml')

  // XMLTV: a <length> of that size, in every unit, and a stop in year 0.
  const errors = await refused(t, app, await importDoc(app, xmltvDoc([
    '<programme start="20250101000000 +0000" channel="c"><title>s</title><length units="seconds">1e300</length></programme>',
    '<programme start="20250101000000 +0000" channel="d"><title>h</title><length units="hours">1e306</length></programme>',
    '<programme start="20250101000000 +0000" channel="e"><title>big</title><length units="hours">99999999</length></programme>',
    '<programme start="00000101000000 +0000" stop="20250101000000 +0000" channel="f"><title>y0</title></programme>'
  ])), [[0, 'end'], [1, 'end'], [2, 'end'], [3, 'start']], 'xmltv')
  t.ok(errors[0].line !== undefined, 'the XMLTV problem points at a line')
})

t.test('a four-digit year below 100 is that year, not 19xx, in every format and in auto-fill', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const read = async (res: { statusCode: number, json: () => any }): Promise<Array<{ start: string, end: string }>> => {
    t.equal(res.statusCode, 201, res.statusCode === 201 ? 'imported' : JSON.stringify(res.json()))
    return (await app.inject({ url: `/api/schedules/${res.json().schedule.id}`, headers: viewer })).json().events
  }
  t.match(await read(await importDoc(app, jsonDoc([{ title: 'a', start: '0050-01-01T00:00:00Z', end: '0050-01-01T01:00:00Z' }]))),
    [{ start: '0050-01-01T00:00:00.000Z', end: '0050-01-01T01:00:00.000Z' }], 'json')
  t.match(await read(await importDoc(app, xmlDoc([xmlEvent({ title: 'a', start: '0099-12-31T23:00:00', duration: '3600' })]))),
    [{ start: '0099-12-31T23:00:00.000Z', end: '0100-01-01T00:00:00.000Z' }], 'xml, naive, across into year 100')
  t.match(await read(await importDoc(app, xmltvDoc(['<programme start="00500101000000 +0000" stop="00500101010000 +0000" channel="c"><title>a</title></programme>']))),
    [{ start: '0050-01-01T00:00:00.000Z', end: '0050-01-01T01:00:00.000Z' }], 'xmltv')
  t.match(await read(await importDoc(app, jsonDoc([{ title: 'a', start: '0001-01-01T00:00:00Z', end: '0001-01-01T02:00:00+01:00' }]))),
    [{ start: '0001-01-01T00:00:00.000Z', end: '0001-01-01T01:00:00.000Z' }], 'the first instant of year 1 is accepted')
  const fill = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: { links: [{ url: 'a.mp4', duration: 1800 }], start_time: '0050-06-01T00:00:00Z', duration_hours: 1 } })
  t.equal(fill.statusCode, 201)
  t.equal(fill.json().events[0].start, '0050-06-01T00:00:00.000Z', 'auto-fill')
  const late = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: { links: [{ url: 'a.mp4' }], start_time: '9999-12-31T23:00:00Z', duration_hours: 2 } })
  t.equal(late.statusCode, 400, 'a fill that would end after 9999 is refused')
  t.match(late.json().errors, [{ field: 'duration_hours' }])
})

t.test('a stored row no Date can hold leaves every read answering (list, one, export, export all)', async (t) => {
  const { app, config, logs } = await buildTestApp(t, ENV)
  const good = await importDoc(app, jsonDoc([
    { title: 'keeps', start: '2025-01-01T00:00:00Z', end: '2025-01-01T01:00:00Z', videoUrl: 'http://a/keeps.mp4' },
    { title: 'odd', start: '2025-01-01T01:00:00Z', end: '2025-01-01T02:00:00Z' }
  ]))
  t.equal(good.statusCode, 201)
  const id = good.json().schedule.id as string
  // What an earlier version could store: start + an enormous duration, and the summary's span with it.
  const db = new Database(join(config.dataDir, DB_FILE_NAME))
  db.prepare("UPDATE events SET end_ms = 1e300 WHERE title = 'odd'").run()
  db.prepare('UPDATE schedules SET last_end_ms = 1e300 WHERE id = ?').run(id)
  db.close()

  const list = await app.inject({ url: '/api/schedules', headers: viewer })
  t.equal(list.statusCode, 200, 'the list answers')
  t.match(list.json().schedules, [{ id, first_start: '2025-01-01T00:00:00.000Z', last_end: null }], 'an odd span reads as null')
  const one = await app.inject({ url: `/api/schedules/${id}`, headers: viewer })
  t.equal(one.statusCode, 200, 'the schedule answers')
  t.same(one.json().events.map((e: { title: string }) => e.title), ['keeps'], 'the odd event is left out')
  t.ok(logs.forRequest(one.headers['x-request-id'] as string).some((l) => l.level === 40 && /left out/.test(String(l.msg)) && l.left_out === 1), 'and a warning in the log names it')
  for (const format of ['xml', 'json', 'm3u', 'xmltv', 'ffplayout', 'casparcg']) {
    const single = await app.inject({ url: `/api/schedules/${id}/export?format=${format}`, headers: viewer })
    t.equal(single.statusCode, 200, `export ${format}`)
    t.notMatch(single.body, /\bodd\b/, `export ${format} leaves the odd event out`)
    t.equal((await app.inject({ url: `/api/schedules/export?format=${format}`, headers: viewer })).statusCode, 200, `export all ${format}`)
  }
})

t.test('time fields given as every wrong JSON type are a 400 naming each (index, field), never a 500', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const base = { title: 'x', start: '2025-01-01T00:00:00Z', end: '2025-01-01T01:00:00Z' }
  const wrong: Record<string, unknown[]> = {
    title: [true, false, [], ['a'], {}, { a: 1 }, '', '   ', null],
    start: [true, false, [], ['2025-01-01T00:00:00Z'], {}, { a: 1 }, '', '   ', null, 0, 1735689600000, 1.5],
    end: [true, false, [], ['2025-01-01T01:00:00Z'], {}, '', '   ', null, 0, 1735693200000],
    duration: [true, false, [], [3600], {}, { s: 1 }, 'abc', -1, '1e400'],
    video_url: [true, false, [], ['a'], {}, { a: 1 }],
    category: [true, false, [], {}],
    description: [true, [], {}],
    channel: [false, [], {}],
    tags: [true, 5, {}, [1], [[]], [null]]
  }
  const events: unknown[] = []
  const expected: Array<[number, string]> = []
  for (const [field, values] of Object.entries(wrong)) {
    for (const value of values) {
      expected.push([events.length, field])
      events.push({ ...base, [field]: value })
    }
  }
  // end given wrongly, duration absent: the event also has no usable end; a start given wrongly leaves the event no start.
  t.ok(events.length <= 100, 'all listed in one answer')
  await refused(t, app, await importDoc(app, jsonDoc(events)), expected, 'json, every field')

  // The aliases the earlier ScheduleFlow wrote go through the same checks.
  await refused(t, app, await importDoc(app, jsonDoc([
    { name: 'x', start_time: true, end_time: '2025-01-01T01:00:00Z' },
    { name: 'x', startTime: '2025-01-01T00:00:00Z', stop: [] },
    { name: [], start_time: '2025-01-01T00:00:00Z', end_time: '2025-01-01T01:00:00Z', url: {} }
  ])), [[0, 'start'], [1, 'end'], [2, 'title'], [2, 'video_url']], 'json aliases')

  // XML has only text: blanks are its wrong values.
  await refused(t, app, await importDoc(app, xmlDoc([
    xmlEvent({ title: 'x', start: '  ', end: '2025-01-01T01:00:00Z' }),
    xmlEvent({ title: 'x', start: '2025-01-01T00:00:00Z', end: ' ' }),
    xmlEvent({ title: ' ', start: '2025-01-01T00:00:00Z', end: '2025-01-01T01:00:00Z', duration: 'true' })
  ])), [[0, 'start'], [1, 'end'], [2, 'title'], [2, 'duration']], 'xml blanks')
  await refused(t, app, await importDoc(app, xmltvDoc(['<programme start=" " stop="20250101010000" channel="c"><title>x</title></programme>', '<programme start="20250101000000" stop="true" channel="c"><title>x</title></programme>'])),
    [[0, 'start'], [1, 'end']], 'xmltv blanks and words')

  // The auto-fill body: its time field given every wrong type.
  for (const value of [true, [], {}, '', '  ', 0, null, 'not a date']) {
    const res = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: { links: [{ url: 'a.mp4' }], start_time: value, duration_hours: 1 } })
    t.equal(res.statusCode, 400, `auto-fill start_time ${JSON.stringify(value)}`)
    t.match(res.json(), { status: 'error', code: String, request_id: String })
  }
  t.equal(await scheduleCount(app), 0)
})

t.test('XML nested deeper than the guard, and JSON nested deeper than 64, are 400s', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const deep = (n: number): string => '<a>'.repeat(n) + '</a>'.repeat(n)
  for (const [what, doc] of [
    ['native xml', `<schedule><events><event><title>x</title><start>2025-01-01T00:00:00Z</start><end>2025-01-01T01:00:00Z</end></event>${deep(100)}</events></schedule>`],
    ['native xml inside an event', `<schedule><events><event>${deep(70)}</event></events></schedule>`],
    ['xmltv', `<tv>${deep(200)}<programme start="20250101000000" stop="20250101010000"><title>x</title></programme></tv>`]
  ]) {
    const res = await importDoc(app, doc)
    t.equal(res.statusCode, 400, what)
    t.match(res.json(), { status: 'error', code: 'BAD_XML', message: /nested deeper than 64/ }, what)
  }
  // Written as text: JSON.stringify itself recurses, and would overflow before the request is sent.
  const deepJson = (n: number): string => '['.repeat(n) + '1' + ']'.repeat(n)
  const imported = await importDoc(app, `{"schedule": [{"title": "x", "start": "2025-01-01T00:00:00Z", "end": "2025-01-01T01:00:00Z", "tags": ${deepJson(5000)}}]}`)
  t.equal(imported.statusCode, 400, 'json import')
  t.match(imported.json(), { code: 'BAD_JSON', message: /nested deeper than 64/ })
  const body = `{"links": [{"url": "a.mp4"}], "start_time": "2025-01-01T00:00:00Z", "duration_hours": 1, "extra": ${deepJson(100)}}`
  const fill = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: { ...operator, 'content-type': 'application/json' }, payload: body })
  t.equal(fill.statusCode, 400, 'auto-fill body')
  t.match(fill.json(), { status: 'error', code: String, request_id: String })
  t.equal(await scheduleCount(app), 0)
})

const BAD_URLS = [
  '#EXTINF:0,injected', '#EXTM3U', 'javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox', 'about:blank', 'http://a/b\u0000c', 'http://a/b\u000bc', 'a\u2028b.mp4', 'http://a/\u0085x', 'http://a/x\u007f'
]
const GOOD_URLS = ['http://cdn.example/a.mp4', 'HTTPS://cdn.example/a.mp4', 'rtmp://live/x', 'rtsp://cam/1', 'udp://239.0.0.1:1234', 'srt://h:9000',
  'file:///media/a.mp4', 'clips/a b.mp4', '../up/a.ts', '/srv/media/a.mp4', 'C:\\media\\a.mp4', 'a.mp4?x=1#t=10']

t.test('only media URLs are accepted: schedule events (JSON, XML), M3U items and auto-fill links', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const event = (i: number, url: string): Record<string, string> => ({ title: `e${i}`, start: `2025-01-01T${String(i).padStart(2, '0')}:00:00Z`, end: `2025-01-01T${String(i).padStart(2, '0')}:30:00Z`, videoUrl: url })
  const jsonProblems = await refused(t, app, await importDoc(app, jsonDoc(BAD_URLS.map((u, i) => event(i, u)))), BAD_URLS.map((_, i) => [i, 'video_url']), 'json')
  t.match(jsonProblems[2].message, /video_url "javascript:alert\(1\)" has the scheme "javascript:".*http, https/, 'the message says what is wrong and what is accepted')
  // In XML text a control character other than tab/LF/CR cannot be written at all; the rest can.
  const xmlBad = ['#EXTINF:0,x', 'javascript:alert(1)', 'data:,x', 'http://a/\nb', 'a\u2028b']
  await refused(t, app, await importDoc(app, xmlDoc(xmlBad.map((u, i) => xmlEvent(event(i, u.replace(/</g, '&lt;')))))), xmlBad.map((_, i) => [i, 'video_url']), 'xml')

  const good = await importDoc(app, jsonDoc(GOOD_URLS.map((u, i) => event(i, u))))
  t.equal(good.statusCode, 201, 'every media scheme, relative and Windows paths are accepted')

  const m3uBad = ['javascript:alert(1)', 'data:,x', 'http://a/b\u000bc', 'a\u2028b', 'http://a/\u0000']
  const m3u = await app.inject({ method: 'POST', url: '/api/playlists/import', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: ['#EXTM3U', '#EXTINF:10,ok', 'http://a/ok.mp4', ...m3uBad.flatMap((u, i) => [`#EXTINF:10,bad ${i}`, u])].join('\n') })
  t.equal(m3u.statusCode, 400, 'm3u')
  t.match(m3u.json(), { status: 'error', code: 'VALIDATION_FAILED', request_id: String })
  t.same(m3u.json().errors.map((p: Problem) => [p.index, p.field, p.line]), m3uBad.map((_, i) => [i + 1, 'url', 5 + 2 * i]), 'each entry named by index and line')
  t.equal(await playlistCount(app), 0, 'no playlist stored')
  const m3uGood = await app.inject({ method: 'POST', url: '/api/playlists/import', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: GOOD_URLS.join('\n') })
  t.equal(m3uGood.statusCode, 201)

  const fill = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: { links: [{ url: 'ok.mp4' }, ...BAD_URLS.map((url) => ({ url }))], start_time: '2025-01-01T00:00:00Z', duration_hours: 1 } })
  t.equal(fill.statusCode, 400, 'auto-fill links')
  t.same(fill.json().errors.map((p: Problem) => p.field), BAD_URLS.map((_, i) => `links.${i + 1}.url`))
  t.equal(await scheduleCount(app), 1, 'only the good import is stored')
})

t.test('exports stay safe for a bad URL an earlier version stored', async (t) => {
  const { app, config } = await buildTestApp(t, ENV)
  const imported = await importDoc(app, jsonDoc([
    { title: 'directive', start: '2025-01-01T00:00:00Z', end: '2025-01-01T01:00:00Z', videoUrl: 'http://a/1.mp4' },
    { title: 'script', start: '2025-01-01T01:00:00Z', end: '2025-01-01T02:00:00Z', videoUrl: 'http://a/2.mp4' },
    { title: 'fine', start: '2025-01-01T02:00:00Z', end: '2025-01-01T03:00:00Z', videoUrl: 'http://a/3.mp4' }
  ]))
  const playlist = await app.inject({ method: 'POST', url: '/api/playlists/import', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: '#EXTINF:5,one\nhttp://a/1.mp4\n#EXTINF:5,two\nhttp://a/2.mp4\n' })
  const db = new Database(join(config.dataDir, DB_FILE_NAME))
  db.prepare("UPDATE events SET video_url = '#EXTINF:1,evil' || char(10) || 'http://evil/x' WHERE title = 'directive'").run()
  db.prepare("UPDATE events SET video_url = 'javascript:alert(1)' WHERE title = 'script'").run()
  db.prepare("UPDATE playlist_items SET url = '#EXT-X-EVIL' || char(10) || 'javascript:alert(1)' WHERE title = 'one'").run()
  db.close()

  const id = imported.json().schedule.id as string
  for (const format of ['m3u', 'xml', 'json', 'ffplayout', 'casparcg']) {
    const res = await app.inject({ url: `/api/schedules/${id}/export?format=${format}`, headers: viewer })
    t.equal(res.statusCode, 200, format)
    t.notMatch(res.body, /evil|javascript:/, `${format}: the stored bad URLs are not exported`)
    t.match(res.body, /http:\/\/a\/3\.mp4/, `${format}: the good one is`)
  }
  const m3u = (await app.inject({ url: `/api/schedules/${id}/export?format=m3u`, headers: viewer })).body
  t.notOk(m3u.split('\n').some((line) => line.startsWith('#EXTINF:1')), 'no injected directive')
  const exported = (await app.inject({ url: `/api/playlists/${playlist.json().playlist.id}/export`, headers: viewer })).body
  t.notMatch(exported, /EVIL|javascript:/, 'the playlist export leaves the bad URL out')
  t.match(exported, /^# not a media URL, left out: one$/m, 'and says so in a comment')
  t.match(exported, /#EXTINF:5[^\n]*,two\nhttp:\/\/a\/2\.mp4/, 'the good entry stays')
})
