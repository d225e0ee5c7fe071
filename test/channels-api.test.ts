import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { assertValidXmltv } from './xml-check.js'
import { parseM3u } from '../workers/playlist/m3u.js'
import { setUpChannel as setUp } from './channel-fixtures.js'

// Channels through the real app (real workers, SQLite, or PostgreSQL on that pass): CRUD and
// roles, every class of bad body refused whole, a build stored and previewed, the series
// going on across builds, the exports read back, ETag/304 on the guide.

const operator = bearer('operator')
const viewer = bearer('viewer')
const admin = bearer('admin')

const counts = async (app: FastifyInstance): Promise<unknown> => (await app.inject({ url: '/api/system/info', headers: viewer })).json().counts

t.test('channels: CRUD and roles', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app)
  t.match(channel, { number: '7', name: 'Campus TV', xmltv_id: 'C7.7.scheduleflow', revision: Number })
  t.equal((await app.inject({ method: 'POST', url: '/api/channels', headers: viewer, payload: { number: '8', name: 'x', timezone: 'UTC' } })).statusCode, 403, 'a viewer cannot create')
  const taken = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '7', name: 'Again', timezone: 'UTC' } })
  t.match(taken, { statusCode: 409 })
  t.match(taken.json(), { status: 'error', code: 'CHANNEL_NUMBER_TAKEN', errors: [{ field: 'number' }] })
  t.match((await app.inject({ url: '/api/channels', headers: viewer })).json(), { count: 1, channels: [{ id: channel.id }] })
  const patched = await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: operator, payload: { name: 'Campus TV HD', number: '7.1' } })
  t.match(patched.json(), { channel: { name: 'Campus TV HD', number: '7.1', xmltv_id: 'C7.7.scheduleflow' } }, 'the xmltv_id stays when the number changes')
  t.match((await app.inject({ url: `/api/channels/${channel.id}/template`, headers: viewer })).json(), { template: { blocks: [{ id: 'news' }, { id: 'films' }, { id: 'series' }] } })
  const override = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/overrides`, headers: operator, payload: { name: 'Christmas', from: '2026-12-24', to: '2026-12-26', events: [{ title: 'Carol Service (live)', start: '2026-12-24T18:00:00', end: '2026-12-24T19:30:00', video_url: 'rtmp://live.example/carols' }] } })
  t.equal(override.statusCode, 201, override.body)
  t.match(override.json(), { override: { name: 'Christmas', seq: 1, events: [{ start: '2026-12-24T18:00:00.000Z' }] } }, 'naive times read in the channel\'s zone (GMT in December)')
  t.match((await app.inject({ url: `/api/channels/${channel.id}/overrides`, headers: viewer })).json(), { count: 1 })
  t.equal((await app.inject({ method: 'DELETE', url: `/api/channels/${channel.id}/overrides/${override.json().override.id}`, headers: operator })).statusCode, 200)
  t.equal((await app.inject({ method: 'DELETE', url: `/api/channels/${channel.id}`, headers: operator })).statusCode, 403, 'deletion needs an admin')
  t.equal((await app.inject({ method: 'DELETE', url: `/api/channels/${channel.id}`, headers: admin })).statusCode, 200)
  t.equal((await app.inject({ url: `/api/channels/${channel.id}`, headers: viewer })).statusCode, 404)
})

t.test('channels: every class of bad body answers 400 naming the field, and stores nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, films, fillers } = await setUp(app)
  const block = (more: Record<string, unknown> = {}) => ({ id: 'b', days: ['mon'], start: '10:00', end: '11:00', source: { playlist: films }, ...more })
  const missing = '00000000-0000-4000-8000-000000000000'
  const cases: Array<[string, string, string, unknown, string[]]> = [
    ['POST', '/api/channels', 'unknown zone', { number: '9', name: 'n', timezone: 'Mars/Olympus' }, ['timezone']],
    ['POST', '/api/channels', 'bad number, no name', { number: 'seven', timezone: 'UTC' }, ['number', 'name']],
    ['POST', '/api/channels', 'unknown default filler', { number: '9', name: 'n', timezone: 'UTC', default_filler: missing }, ['default_filler']],
    ['POST', '/api/channels', 'not an object', [1, 2], ['body']],
    ['PATCH', `/api/channels/${channel.id}`, 'empty patch', {}, ['body']],
    ['PUT', `/api/channels/${channel.id}/template`, 'overlapping blocks', { blocks: [block({ id: 'a' }), block({ id: 'b', start: '10:30', end: '12:00' })] }, ['blocks.1']],
    ['PUT', `/api/channels/${channel.id}/template`, 'overlap across the week\'s end', { blocks: [block({ id: 'late', days: ['sun'], start: '23:00', end: '01:00' }), block({ id: 'early', days: ['mon'], start: '00:30', end: '02:00' })] }, ['blocks.1']],
    ['PUT', `/api/channels/${channel.id}/template`, 'end equal to start', { blocks: [block({ end: '10:00' })] }, ['blocks.0.end']],
    ['PUT', `/api/channels/${channel.id}/template`, 'bad wall time and day', { blocks: [block({ start: '25:00', days: ['someday'] })] }, ['blocks.0.days.0', 'blocks.0.start']],
    ['PUT', `/api/channels/${channel.id}/template`, 'source playlist that does not exist', { blocks: [block({ source: { playlist: missing } })] }, ['blocks.0.source.playlist']],
    ['PUT', `/api/channels/${channel.id}/template`, 'group with no items', { blocks: [block({ source: { playlist: films, group: 'Cartoons' } })] }, ['blocks.0.source.playlist']],
    // fill "pad" without a filler is no longer refused (SPEC §15: it pads with the channel's default filler; test/channel-overrides-api.test.ts)
    ['PUT', `/api/channels/${channel.id}/template`, 'duplicate ids, a break every 0 minutes', { blocks: [block({ id: 'x', fill: 'pad' }), block({ id: 'x', start: '12:00', end: '13:00', breaks: { every_minutes: 0, max_seconds: 60, filler: fillers } })] }, ['blocks.1.id', 'blocks.1.breaks.every_minutes']],
    ['POST', `/api/channels/${channel.id}/overrides`, 'reversed dates', { name: 'x', from: '2026-12-26', to: '2026-12-24', blocks: [block()] }, ['to']],
    ['POST', `/api/channels/${channel.id}/overrides`, 'fixed event ending before it starts', { name: 'x', from: '2026-12-24', to: '2026-12-24', events: [{ title: 'e', start: '2026-12-24T18:00:00', end: '2026-12-24T17:00:00' }] }, ['events.0.end']],
    ['POST', `/api/channels/${channel.id}/build`, 'range over 93 days', { from: '2026-01-01', to: '2026-04-30' }, ['to']],
    ['POST', `/api/channels/${channel.id}/build`, 'reversed range, bad freeze', { from: '2026-03-10', to: '2026-03-01', freeze_hours: -1 }, ['to', 'freeze_hours']],
    ['POST', `/api/channels/${channel.id}/build`, 'not dates', { from: 'tomorrow', to: 7 }, ['from', 'to']]
  ]
  const before = await counts(app)
  const template = (await app.inject({ url: `/api/channels/${channel.id}/template`, headers: viewer })).body
  for (const [method, url, what, payload, fields] of cases) {
    const res = await app.inject({ method: method as 'POST', url, headers: operator, payload: payload as object })
    t.equal(res.statusCode, 400, `${what}: 400`)
    const body = res.json()
    t.match(body, { status: 'error', code: 'VALIDATION_FAILED', message: String, request_id: String }, `${what}: the error shape`)
    const named = (body.errors ?? []).map((e: { field: string }) => e.field)
    for (const f of fields) t.ok(named.includes(f), `${what}: names ${f} (named ${named.join(', ')})`)
  }
  const pair = await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: operator, payload: { blocks: [block({ id: 'a' }), block({ id: 'b', start: '10:30', end: '12:00' })] } })
  t.match(pair.json().errors[0].message, /"b".*overlaps block "a"/, 'the overlapping pair is named')
  t.same(await counts(app), before, 'nothing stored')
  t.equal((await app.inject({ url: `/api/channels/${channel.id}/template`, headers: viewer })).body, template, 'the template unchanged')
})

/** The events of every page of a paged read (SPEC §12: a week of 30-second idents is 18,000 events). */
async function everyPage (app: FastifyInstance, url: string): Promise<any[]> {
  const events = []
  for (let next: string | undefined = url; next !== undefined;) {
    const page = (await app.inject({ url: next, headers: viewer })).json() as { events: unknown[], next?: string }
    events.push(...page.events)
    next = page.next
  }
  return events
}

t.test('channels: build stored and previewed, the series going on, exports valid, ETag/304', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const week = { from: '2026-03-23', to: '2026-03-29', seed: 'abc' }

  const before = await counts(app)
  const dry = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: { ...week, dry_run: true } })
  t.equal(dry.statusCode, 200, dry.body)
  const preview = dry.json()
  t.match(preview, { status: 'success', dry_run: true, seed: 'abc', stats: { events: Number, kept_frozen: 0 } })
  t.ok(preview.events.length > 100, 'the preview lists the events')
  t.equal(preview.events_total, preview.stats.events, 'events_total counts every event of the build')
  t.equal(preview.events.length, Math.min(preview.events_total, 5000), 'and it lists the first 5,000 (SPEC §12)')
  t.same(await counts(app), before, 'a dry run stores nothing')

  const built = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: week })
  t.equal(built.statusCode, 201, built.body)
  t.match(built.json(), { dry_run: false, build_id: String, stats: { events: preview.stats.events } })
  t.ok(built.json().revision > channel.revision)

  // The events stored: sorted, no overlap, the news at 08:00 London on the weekdays (GMT, then BST after the 29th).
  const events = await everyPage(app, `/api/channels/${channel.id}/events?from=2026-03-23T00:00:00&to=2026-03-30T00:00:00`)
  t.equal(events.length, preview.stats.events)
  for (let i = 1; i < events.length; i++) if (Date.parse(events[i].start) < Date.parse(events[i - 1].end)) t.fail(`overlap at ${events[i].start}`)
  t.same(events.filter((e: { origin: { block?: string } }) => e.origin?.block === 'news').map((e: { start: string }) => e.start),
    ['2026-03-23T08:00:00.000Z', '2026-03-24T08:00:00.000Z', '2026-03-25T08:00:00.000Z', '2026-03-26T08:00:00.000Z', '2026-03-27T08:00:00.000Z'])
  const episodes = (list: Array<{ origin: { block?: string, kind: string }, title: string }>): string[] => list.filter((e) => e.origin?.block === 'series' && e.origin.kind === 'item').map((e) => e.title)
  t.same(episodes(events), ['episode 1', 'episode 2'], 'Saturday 18:00–19:00 airs two 25-minute episodes')

  const next = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: { from: '2026-03-30', to: '2026-04-05', seed: 'abc' } })
  t.equal(next.statusCode, 201, next.body)
  const later = await everyPage(app, `/api/channels/${channel.id}/events?from=2026-03-30T00:00:00&to=2026-04-06T00:00:00`)
  t.same(episodes(later), ['episode 3', 'episode 4'], 'the next build goes on with episode 3')

  // Exports: XMLTV valid by the DTD with the number, icon and episode numbers; ErsatzTV one day; ffplayout 23 h on the spring-forward day.
  const xmltv = await app.inject({ url: `/api/channels/${channel.id}/export?format=xmltv&from=2026-03-23T00:00:00&to=2026-04-06T00:00:00`, headers: viewer })
  t.equal(xmltv.statusCode, 200)
  assertValidXmltv(t, xmltv.body)
  t.match(xmltv.body, '<display-name>7</display-name>')
  t.match(xmltv.body, '<icon src="https://cdn.example/ctv.png" />')
  t.match(xmltv.body, '<episode-num system="xmltv_ns">.2.</episode-num>', '"episode 3" is episode 3 (SPEC §15: read from the title at import), no season: no onscreen form')
  t.match(xmltv.body, '<title>Morning News</title>')
  const ffplayout = await app.inject({ url: `/api/channels/${channel.id}/export?format=ffplayout&date=2026-03-29`, headers: viewer })
  t.equal(ffplayout.statusCode, 200, ffplayout.body)
  const program: Array<{ in: number, out: number }> = ffplayout.json().program
  t.equal(Math.round(program.reduce((sum, p) => sum + p.out - p.in, 0)), 23 * 3600, 'the spring-forward day is 23 h')
  // The 90-minute films are split by breaks every 15 minutes: each part plays on from where
  // the one before stopped, and each says the film is longer than what it plays.
  const filmParts = new Map<string, Array<{ in: number, out: number, duration: number }>>()
  for (const p of program as Array<{ in: number, out: number, duration: number, source: string }>) {
    if (/\/film\d+\.mp4$/.test(p.source)) filmParts.set(p.source, [...(filmParts.get(p.source) ?? []), p])
  }
  const split = [...filmParts.values()].filter((parts) => parts.length > 1)
  t.ok(split.length > 0, 'a film airs in parts')
  for (const parts of split) {
    t.same(parts.map((p) => p.in), [0, ...parts.slice(0, -1).map((p) => p.out)], 'each part starts where the one before stopped')
    t.ok(parts.every((p) => p.out - p.in < 5400 && p.duration > p.out - p.in && p.duration >= p.out), 'and is a part of a longer clip')
  }
  t.equal(split[0].at(-1)!.out, 5400, 'a whole film\'s last part ends at the film\'s end')
  const ersatz = await app.inject({ url: `/api/channels/${channel.id}/export?format=ersatztv&date=2026-03-29`, headers: viewer })
  t.equal(ersatz.statusCode, 200, ersatz.body)
  const doc = ersatz.json()
  t.equal(doc.version, 'https://ersatztv.org/playout/version/0.0.3')
  t.ok(doc.items.length > 0)
  for (const item of doc.items) {
    t.match(item, { id: String, start: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/, finish: /[+-]\d\d:\d\d$|Z$/, source: { source_type: 'http', uri: /^https:/ } })
  }
  t.match(doc.items.at(-1).finish, /\+01:00$/, 'after the change, BST')

  // The channel list, read back by our own parser.
  const list = await app.inject({ url: '/api/channels.m3u', headers: viewer })
  const parsed = parseM3u(list.body)
  t.match(parsed.attributes, { 'url-tvg': /\/api\/guide\.xml$/ })
  t.match(parsed.items, [{ title: 'Campus TV', url: 'https://live.example/ctv.m3u8', group: 'Campus', tvg: { 'tvg-id': 'C7.7.scheduleflow', 'tvg-chno': '7', 'tvg-name': 'Campus TV', 'tvg-logo': 'https://cdn.example/ctv.png' } }])

  // guide.xml: ETag, 304 without a worker, a new tag after a PATCH.
  const guideUrl = '/api/guide.xml?from=2026-03-23T00:00:00Z&to=2026-03-24T00:00:00Z'
  const guide = await app.inject({ url: guideUrl, headers: viewer })
  t.equal(guide.statusCode, 200)
  assertValidXmltv(t, guide.body)
  const etag = guide.headers.etag as string
  t.ok(etag)
  t.equal((await app.inject({ url: guideUrl, headers: { ...viewer, 'if-none-match': etag } })).statusCode, 304)
  t.not((await app.inject({ url: '/api/guide.xml?from=2026-03-24T00:00:00Z&to=2026-03-25T00:00:00Z', headers: viewer })).headers.etag, etag, 'another range, another tag')
  await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: operator, payload: { name: 'Renamed' } })
  const after = await app.inject({ url: guideUrl, headers: { ...viewer, 'if-none-match': etag } })
  t.equal(after.statusCode, 200, 'changed by a PATCH')
  t.match(after.body, '<display-name>Renamed</display-name>')
})

t.test('guide.xml and channels.m3u: anonymous only when configured', async (t) => {
  const closed = await buildTestApp(t)
  t.equal((await closed.app.inject({ url: '/api/channels.m3u' })).statusCode, 401)
  const open = await buildTestApp(t, { SCHEDULEFLOW_ANONYMOUS_READ: 'true' })
  t.equal((await open.app.inject({ url: '/api/channels.m3u' })).statusCode, 200)
  t.equal((await open.app.inject({ url: '/api/guide.xml' })).statusCode, 200)
})

t.test('channels.m3u: url-tvg on SCHEDULEFLOW_PUBLIC_URL when set, else on the listening address, never the request\'s host', async (t) => {
  // Behind nginx the request reaches the instance as http://<internal address>: players
  // given that guide URL cannot load it.
  const internal = { ...viewer, host: '172.28.0.11:5000' }
  const direct = await buildTestApp(t)
  t.equal(parseM3u((await direct.app.inject({ url: '/api/channels.m3u', headers: internal })).body).attributes['url-tvg'], `http://${direct.config.host}:${direct.config.port}/api/guide.xml`, 'unset: the address the service listens on (issue 21: a request\'s Host header is the client\'s to choose)')
  for (const [setting, guide] of [['https://tv.example.org', 'https://tv.example.org/api/guide.xml'], ['https://example.org/tv/', 'https://example.org/tv/api/guide.xml']]) {
    const proxied = await buildTestApp(t, { SCHEDULEFLOW_PUBLIC_URL: setting })
    const list = await proxied.app.inject({ url: '/api/channels.m3u', headers: internal })
    t.equal(list.statusCode, 200, list.body)
    t.equal(parseM3u(list.body).attributes['url-tvg'], guide, `${setting}: the public address, whatever host the request named`)
  }
})
