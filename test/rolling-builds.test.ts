import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp, KEYS, startServer, waitFor, type RunningServer } from './helpers.js'
import { importPlaylist, m3u } from './channel-fixtures.js'
import { onPostgres } from './test-database.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'

// The rolling build horizon (SPEC §17, issue 25 item 1) through the real app: the clock is the
// test's (PUT /api/_clock), the scheduler ticks when asked (POST /api/_tick), the builds run in
// real workers on SQLite, and on PostgreSQL on that pass, where three real servers on one
// database tick at once and each day is still built once.

t.setTimeout(300_000)

const operator = bearer('operator')
const viewer = bearer('viewer')
const HOUR = 3_600_000
/** A Monday noon, UTC: the channel's zone, so local days are UTC days. */
const NOON = Date.parse('2026-03-02T12:00:00Z')

interface Event { id: string, title: string, start: string, end: string, origin: { block?: string } }
interface Roll { channel_id: string, built: string[], rebuilt: string[], built_until: string | null, failed?: unknown }
interface Tick { leader: boolean, steps: Array<{ name: string, ok: boolean, result?: { channels: Roll[] } }> }

const day = (n: number): string => new Date(NOON + n * 24 * HOUR).toISOString().slice(0, 10)

async function setClock (app: FastifyInstance, ms: number): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: '/api/_clock', headers: operator, payload: { now: new Date(ms).toISOString() } })
  if (res.statusCode !== 200) throw new Error(res.body)
}

/** One tick; the rolling step's answer for `channelId` (undefined: not rolled). */
async function tick (app: FastifyInstance, channelId: string): Promise<Roll | undefined> {
  const res = await app.inject({ method: 'POST', url: '/api/_tick', headers: operator })
  if (res.statusCode !== 200) throw new Error(res.body)
  const step = (res.json() as Tick).steps.find((s) => s.name === 'rolling-builds')
  if (step?.ok !== true) throw new Error(`rolling-builds: ${JSON.stringify(step)}`)
  return step.result!.channels.find((c) => c.channel_id === channelId)
}

async function events (app: FastifyInstance, channelId: string, from: number, to: number): Promise<Event[]> {
  const res = await app.inject({ url: `/api/channels/${channelId}/events?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`, headers: viewer })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().events
}

const template = (films: string, news: string) => ({
  cooldown_hours: 48,
  blocks: [
    { id: 'morning', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '06:00', end: '08:00', title: news, source: { item: { url: 'https://cdn.example/news.mp4', title: news, duration: 1800 } } },
    { id: 'evening', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '18:00', end: '22:00', source: { playlist: films }, order: 'shuffle', fill: 'cut' }
  ]
})

async function channelWith (app: FastifyInstance, number: string, body: Record<string, unknown>, tpl: object): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number, name: `Rolling ${number}`, timezone: 'UTC', ...body } })
  if (created.statusCode !== 201) throw new Error(created.body)
  const id = created.json().channel.id as string
  const put = await app.inject({ method: 'PUT', url: `/api/channels/${id}/template`, headers: operator, payload: tpl })
  if (put.statusCode !== 200) throw new Error(put.body)
  return id
}

async function setUp (t: Test) {
  const { app, config } = await buildTestApp(t)
  await setClock(app, NOON)
  const films = await importPlaylist(app, m3u(40, 'film', 2700), 'films')
  const shows = await importPlaylist(app, m3u(40, 'show', 2700, 'Shows'), 'shows')
  return { app, config, films, shows }
}

/** Title, start and end of each event: what a viewer's guide shows. */
const aired = (list: Event[]): string[] => list.map((e) => `${e.start} ${e.end} ${e.title}`)

t.test('a channel built 7 days ahead stays so as days pass; the days built stay as they were', async (t) => {
  const { app, films } = await setUp(t)
  const id = await channelWith(app, '41', {}, template(films, 'News'))

  const first = await tick(app, id)
  t.same(first?.built, [0, 1, 2, 3, 4, 5, 6].map(day), 'today and the next six local days are built')
  t.equal(first?.built_until, `${day(7)}T00:00:00.000Z`, 'built until the end of the seventh day')
  const weekEnd = NOON + (6 * 24 + 12) * HOUR // the end of the seventh day
  const week = await events(app, id, NOON - 12 * HOUR, weekEnd)
  t.equal(new Set(week.filter((e) => e.origin.block === 'morning').map((e) => e.start.slice(0, 10))).size, 7, 'a morning block each day')
  t.ok(week.filter((e) => e.origin.block === 'evening').length >= 7 * 5, 'four hours of 45-minute films each evening')

  const again = await tick(app, id)
  t.same([again?.built, again?.rebuilt], [[], []], 'a tick with nothing missing builds nothing')

  await setClock(app, NOON + 24 * HOUR)
  const next = await tick(app, id)
  t.same(next?.built, [day(7)], 'a day later, the one new day is built')
  t.same(next?.rebuilt, [], 'nothing is rebuilt')
  t.equal(next?.built_until, `${day(8)}T00:00:00.000Z`, 'built_until moved a day')
  t.same(aired(await events(app, id, NOON - 12 * HOUR, weekEnd)), aired(week), 'the days already built are unchanged')
  const added = await events(app, id, weekEnd, weekEnd + 24 * HOUR)
  t.ok(added.some((e) => e.start.startsWith(day(7))), 'the new day has its events')

  const history = (await app.inject({ url: `/api/channels/${id}/history`, headers: viewer })).json().history as Array<{ kind: string, by: { name: string, role: string }, build?: { from: string } }>
  const rolled = history.filter((h) => h.kind === 'rolling_build')
  t.equal(rolled.length, 8, 'one rolling_build entry per day built')
  t.ok(rolled.every((h) => h.by.name === 'scheduler' && h.by.role === 'system'), 'each names the scheduler as who built it')
  t.same(rolled.map((h) => h.build?.from).sort(), [0, 1, 2, 3, 4, 5, 6, 7].map(day), 'one per local day')
})

t.test('a template change rebuilds only the unfrozen days; a hand edit rebuilds nothing', async (t) => {
  const { app, films, shows } = await setUp(t)
  const id = await channelWith(app, '42', {}, template(films, 'News'))
  await tick(app, id)
  const freezeEnd = NOON + 24 * HOUR // rebuild_freeze_hours: 24 (the default)
  const before = await events(app, id, NOON - 12 * HOUR, NOON + 7 * 24 * HOUR)

  // A hand edit of one event: the inputs are the same, nothing is rebuilt.
  const edited = before.find((e) => Date.parse(e.start) > freezeEnd)!
  const patch = await app.inject({ method: 'PATCH', url: `/api/channels/${id}/events/${edited.id}`, headers: operator, payload: { title: 'Edited by hand' } })
  t.equal(patch.statusCode, 200, patch.body)
  const handEdit = await tick(app, id)
  t.same([handEdit?.built, handEdit?.rebuilt], [[], []], 'a hand edit triggers no rebuild')

  const put = await app.inject({ method: 'PUT', url: `/api/channels/${id}/template`, headers: operator, payload: template(shows, 'Bulletin') })
  t.equal(put.statusCode, 200, put.body)
  const roll = await tick(app, id)
  t.same(roll?.rebuilt, [1, 2, 3, 4, 5, 6].map(day), 'the days ending after now + 24 h are rebuilt, today is not')
  t.same(roll?.built, [], 'nothing was missing')

  const after = await events(app, id, NOON - 12 * HOUR, NOON + 7 * 24 * HOUR)
  const frozen = (list: Event[]) => aired(list.filter((e) => Date.parse(e.start) < freezeEnd))
  t.same(frozen(after), frozen(before), 'every event starting before now + rebuild_freeze_hours is unchanged (tomorrow\'s morning block too)')
  const later = after.filter((e) => Date.parse(e.start) >= freezeEnd && e.id !== edited.id)
  t.ok(later.length > 0 && later.every((e) => /^(show \d+|Bulletin)$/.test(e.title)), 'every later event comes from the new template')
  t.ok(after.some((e) => e.id === edited.id && e.title === 'Edited by hand'), 'the event edited by hand (pinned by the edit) stays as it was')

  const quiet = await tick(app, id)
  t.same([quiet?.built, quiet?.rebuilt], [[], []], 'the change is rebuilt once')
})

t.test('"revert to the last build" counts the scheduler\'s rolling builds', async (t) => {
  const { app, films } = await setUp(t)
  const id = await channelWith(app, '47', {}, template(films, 'News'))
  await tick(app, id)
  const built = await events(app, id, NOON - 12 * HOUR, NOON + 7 * 24 * HOUR)
  const edited = built.find((e) => Date.parse(e.start) > NOON)!
  const patch = await app.inject({ method: 'PATCH', url: `/api/channels/${id}/events/${edited.id}`, headers: operator, payload: { title: 'Edited by hand' } })
  t.equal(patch.statusCode, 200, patch.body)
  const revert = await app.inject({ method: 'POST', url: `/api/channels/${id}/revert`, headers: operator, payload: { to: 'last_build' } })
  t.equal(revert.statusCode, 200, revert.body)
  t.same(aired(await events(app, id, NOON - 12 * HOUR, NOON + 7 * 24 * HOUR)), aired(built), 'the hand edit is gone: the days are as the last rolling build left them')
})

t.test('the same inputs give the same days', async (t) => {
  const { app, films, shows } = await setUp(t)
  const id = await channelWith(app, '43', {}, template(films, 'News'))
  await tick(app, id)
  const unfrozen = NOON + 36 * HOUR // from the first day with nothing frozen
  const first = await events(app, id, unfrozen, NOON + 7 * 24 * HOUR)

  for (const tpl of [template(shows, 'Bulletin'), template(films, 'News')]) {
    const put = await app.inject({ method: 'PUT', url: `/api/channels/${id}/template`, headers: operator, payload: tpl })
    t.equal(put.statusCode, 200, put.body)
    t.equal((await tick(app, id))?.rebuilt.length, 6, 'the unfrozen days are rebuilt')
  }
  const back = await events(app, id, unfrozen, NOON + 7 * 24 * HOUR)
  t.same(aired(back), aired(first), 'the template put back gives the same days as before: each day\'s seed is the channel\'s and the date\'s')
  t.notSame(back.map((e) => e.id), first.map((e) => e.id), 'rebuilt, not left in place')
})

t.test('build_ahead_days 0 builds nothing', async (t) => {
  const { app, films } = await setUp(t)
  const off = await channelWith(app, '44', { build_ahead_days: 0 }, template(films, 'News'))
  t.equal(await tick(app, off), undefined, 'the channel is not rolled')
  t.same(await events(app, off, NOON - 24 * HOUR, NOON + 10 * 24 * HOUR), [], 'no event is built')
  const history = (await app.inject({ url: `/api/channels/${off}/history`, headers: viewer })).json().history as Array<{ kind: string }>
  t.notOk(history.some((h) => h.kind === 'rolling_build'), 'no rolling build in its history')

  const patch = await app.inject({ method: 'PATCH', url: `/api/channels/${off}`, headers: operator, payload: { build_ahead_days: 2 } })
  t.equal(patch.statusCode, 200, patch.body)
  t.same((await tick(app, off))?.built, [day(0), day(1)], 'turned on, it is built that far ahead')
})

t.test('a failed rolling build opens a build_failed alarm; the next roll that succeeds clears it', async (t) => {
  const { app, config, films } = await setUp(t)
  const blips = await importPlaylist(app, m3u(10, 'blip', 1, 'Blips'), 'blips')
  // A break of up to ten minutes of one-second blips after every minute, all day: more events than one build may make.
  const tooLarge = { blocks: [{ id: 'all', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '23:00', source: { playlist: films }, order: 'shuffle', breaks: { every_minutes: 1, max_seconds: 600, filler: blips } }] }
  const id = await channelWith(app, '45', {}, tooLarge)
  const store = config.databaseUrl === null ? await openSqliteStore(config.dataDir) : await openPostgresStore(config.databaseUrl)
  t.teardown(() => store.close())

  const failed = await tick(app, id)
  t.match(failed, { built: [], built_until: null, failed: { date: day(0), message: new RegExp(`${day(0)}.*events`) } }, 'the roll says which day failed and why')
  // The alarms step (after this one in a tick) may open a dead_air alarm of its own: only build_failed is this step's.
  const buildFailed = async (): Promise<unknown[]> => (await store.alarms.list(id)).filter((a) => a.kind === 'build_failed')
  const alarms = await buildFailed()
  t.match(alarms, [{ kind: 'build_failed', channel_id: id, message: new RegExp(`${day(0)}.*BUILD_TOO_LARGE|${day(0)}.*events`) }], 'a build_failed alarm names the day and the reason')

  const put = await app.inject({ method: 'PUT', url: `/api/channels/${id}/template`, headers: operator, payload: template(films, 'News') })
  t.equal(put.statusCode, 200, put.body)
  const mended = await tick(app, id)
  t.same(mended?.built, [0, 1, 2, 3, 4, 5, 6].map(day), 'with a template that builds, the days are built')
  t.same(await buildFailed(), [], 'and the alarm is cleared')
})

t.test('with the timer on, a template write is rolled soon after, without waiting for the timer', async (t) => {
  // An hour between timer ticks: only the write can have asked for this one.
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_ON_AIR_TICK_MS: '3600000' })
  await setClock(app, NOON)
  const films = await importPlaylist(app, m3u(40, 'film', 2700), 'films')
  const id = await channelWith(app, '46', { build_ahead_days: 2 }, template(films, 'News'))
  t.ok(await waitFor(async () => (await events(app, id, NOON - 12 * HOUR, NOON + 36 * HOUR)).length > 0, 60_000, 250), 'the days are built after the write')
  const history = (await app.inject({ url: `/api/channels/${id}/history`, headers: viewer })).json().history as Array<{ kind: string }>
  t.ok(history.some((h) => h.kind === 'rolling_build'), 'by a rolling build')
})

t.test('three instances on one PostgreSQL database tick at once: each day is built once', { skip: onPostgres ? false : 'PostgreSQL only: SQLite serves one instance (the lease is the instance itself)' }, async (t) => {
  const keys = `operator:${KEYS.operator},viewer:${KEYS.viewer}`
  const first = await startServer(t, { SCHEDULEFLOW_API_KEYS: keys })
  const servers: RunningServer[] = [first]
  for (let i = 0; i < 2; i++) servers.push(await startServer(t, { SCHEDULEFLOW_API_KEYS: keys, DATABASE_URL: first.databaseUrl! }))
  const call = async (server: RunningServer, method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${KEYS.operator}`, ...(body !== undefined && { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return JSON.parse(text)
  }
  const setAll = async (ms: number) => Promise.all(servers.map((s) => call(s, 'PUT', '/api/_clock', { now: new Date(ms).toISOString() })))

  await setAll(NOON)
  const imported = await fetch(`${first.url}/api/playlists/import?name=films`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.operator}`, 'content-type': 'audio/x-mpegurl' }, body: m3u(40, 'film', 2700) })
  const films = (await imported.json()).playlist.id as string
  const ids: string[] = []
  for (const n of ['51', '52']) {
    const created = await call(first, 'POST', '/api/channels', { number: n, name: `Shared ${n}`, timezone: 'UTC', build_ahead_days: 3 })
    await call(first, 'PUT', `/api/channels/${created.channel.id}/template`, template(films, 'News'))
    ids.push(created.channel.id)
  }

  let leaders = 0
  for (let round = 0; round < 3; round++) {
    if (round > 0) await setAll(NOON + round * 24 * HOUR)
    const ticks = await Promise.all(servers.map((s) => call(s, 'POST', '/api/_tick') as Promise<Tick>))
    leaders = Math.max(leaders, ticks.filter((r) => r.leader).length)
    t.equal(ticks.filter((r) => r.leader).length, 1, `round ${round + 1}: one instance leads`)
  }
  t.equal(leaders, 1, 'never more than one leader')

  for (const id of ids) {
    const history = (await call(first, 'GET', `/api/channels/${id}/history`)).history as Array<{ kind: string, build?: { from: string } }>
    const days = history.filter((h) => h.kind === 'rolling_build').map((h) => h.build!.from).sort()
    t.same(days, [0, 1, 2, 3, 4].map(day), `channel ${id}: each day of the moving horizon built exactly once`)
  }
})
