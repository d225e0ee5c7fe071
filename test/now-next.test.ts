import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist, m3u, setUpChannel } from './channel-fixtures.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'

// GET /api/now and GET /api/channels/:id/now (SPEC §17) through the real app (real workers,
// SQLite, or PostgreSQL on that pass), the service clock moved by PUT /api/_clock: the
// programme on air with its offset and what remains, the next three (as GET …/programmes
// answers them), null in a gap; a poll between programme changes is a 304 and the tag moves
// when the programme on air changes; an edit shows in the next read; reads between refreshes
// run no worker; an unknown channel is a 404.

const operator = bearer('operator')
const viewer = bearer('viewer')
const MIN = 60_000

interface Programme { id: string, kind: string, title: string, start: string, end: string, pinned: boolean }
interface OnAir extends Programme { offset_ms: number, remaining_ms: number }
interface ChannelNow {
  channel: { id: string, number: string, name: string }
  now: OnAir | null
  next: Programme[]
  built_until: string | null
  alarms: Array<{ id: string }>
  server_time: string
}

const ms = (iso: string): number => Date.parse(iso)
const at = (instant: number): string => new Date(instant).toISOString()
const SATURDAY = { from: '2026-03-28T00:00:00.000Z', to: '2026-03-29T00:00:00.000Z' } // GMT in London; BST starts the day after

/** The fixture's channel, ten-minute loops as its filler, built for Saturday; its programmes that day. */
async function builtSaturday (app: FastifyInstance) {
  const { channel } = await setUpChannel(app)
  const loops = await importPlaylist(app, m3u(20, 'loop', 600, 'Loops'), 'loops')
  t.equal((await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: operator, payload: { default_filler: loops, build_ahead_days: 0 } })).statusCode, 200)
  const built = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: { from: '2026-03-28', to: '2026-03-28', seed: 'now' } })
  t.equal(built.statusCode, 201, built.body)
  return { id: channel.id as string, programmes: await programmesOf(app, channel.id) }
}

async function programmesOf (app: FastifyInstance, id: string): Promise<Programme[]> {
  const res = await app.inject({ url: `/api/channels/${id}/programmes?from=${SATURDAY.from}&to=${SATURDAY.to}`, headers: viewer })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().programmes
}

async function setClock (app: FastifyInstance, instant: number): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: '/api/_clock', headers: operator, payload: { now: at(instant) } })
  if (res.statusCode !== 200) throw new Error(res.body)
}

async function nowOf (app: FastifyInstance, id: string): Promise<ChannelNow> {
  const res = await app.inject({ url: `/api/channels/${id}/now`, headers: viewer })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json()
}

const processed = async (app: FastifyInstance): Promise<number> => (await app.inject({ url: '/api/queue-stats' })).json().totals.processed

t.test('inside a programme: it is now, with its offset and what remains; the next three follow, as …/programmes answers them', async (t) => {
  const { app } = await buildTestApp(t)
  const { id, programmes } = await builtSaturday(app)
  const channel = (await app.inject({ url: `/api/channels/${id}`, headers: viewer })).json().channel
  const film = programmes.findIndex((p) => p.kind === 'item')
  t.ok(film > 0 && film + 3 < programmes.length, 'the series block aired an episode with three programmes after it')
  const current = programmes[film]
  const instant = ms(current.start) + 17 * MIN + 250
  await setClock(app, instant)

  const one = await nowOf(app, id)
  t.same(one.channel, { id, number: channel.number, name: channel.name })
  // The clock runs on from where it was set: offsets are given at server_time.
  const served = ms(one.server_time)
  t.ok(served >= instant && served < ms(current.end), 'answered at the service clock')
  const { offset_ms: offset, remaining_ms: remaining, ...onAir } = one.now!
  t.same(onAir, current, 'now is the programme …/programmes answers, whole')
  t.equal(offset, served - ms(current.start), 'offset from its start')
  t.ok(offset >= 17 * MIN + 250)
  t.equal(remaining, ms(current.end) - served, 'remaining to its end')
  t.same(one.next, programmes.slice(film + 1, film + 4), 'the next three, whole')
  t.equal(one.built_until, channel.built_until, 'built_until as the channel answers it')
  t.same(one.alarms, [])

  const all = await app.inject({ url: '/api/now', headers: viewer })
  t.equal(all.statusCode, 200)
  const { channels, server_time: serverTime } = all.json() as { channels: ChannelNow[], server_time: string }
  t.equal(channels.length, 1, 'one per channel')
  t.equal(channels[0].server_time, serverTime)
  t.equal(channels[0].now!.offset_ms, ms(serverTime) - ms(current.start))
  const still = (c: ChannelNow): unknown => ({ ...c, server_time: null, now: { ...c.now, offset_ms: null, remaining_ms: null } })
  t.same(still(channels[0]), still(one), 'GET /api/now: the same as the channel\'s answer')
})

t.test('a gap answers now null and the next three after it; past the last built programme, nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const { id, programmes } = await builtSaturday(app)
  // The Saturday series block leaves what its episodes do not fill empty (fill: "gap").
  const before = programmes.findIndex((p, i) => i + 1 < programmes.length && ms(p.end) < ms(programmes[i + 1].start))
  t.ok(before >= 0, 'the day has a gap')
  const gapStart = ms(programmes[before].end)
  await setClock(app, gapStart + 1_000)
  const inGap = await nowOf(app, id)
  t.equal(inGap.now, null, 'nothing on air in the gap')
  t.same(inGap.next.map((p) => p.id), programmes.slice(before + 1, before + 4).map((p) => p.id), 'the three after the gap')

  // The last programme: fewer than three follow it, none at all after it.
  const last = programmes.at(-1)!
  await setClock(app, ms(last.start) + 1_000)
  const lastNow = await nowOf(app, id)
  t.equal(lastNow.now?.id, last.id)
  t.ok(lastNow.next.length < 3, 'fewer than three only where nothing more is built')
  await setClock(app, ms(last.end) + 1_000)
  const after = await nowOf(app, id)
  t.same([after.now, after.next], [null, []], 'after the last built programme: nothing now, nothing next')
})

t.test('ETag: a poll between programme changes is a 304; the tag changes with the programme on air and with an edit', async (t) => {
  const { app } = await buildTestApp(t)
  const { id, programmes } = await builtSaturday(app)
  const film = programmes.findIndex((p) => p.kind === 'item')
  const current = programmes[film]
  await setClock(app, ms(current.start) + MIN)
  const first = await app.inject({ url: '/api/now', headers: viewer })
  const tag = first.headers.etag as string
  t.match(tag, /^W\/"/, 'a weak tag')
  const one = await app.inject({ url: `/api/channels/${id}/now`, headers: viewer })
  t.ok(one.headers.etag !== undefined && one.headers.etag !== tag, 'the channel\'s answer has a tag of its own')

  await setClock(app, ms(current.start) + 5 * MIN)
  const again = await app.inject({ url: '/api/now', headers: { ...viewer, 'if-none-match': tag } })
  t.equal(again.statusCode, 304, 'later in the same programme: not modified')
  t.equal(again.body, '')
  t.equal((await app.inject({ url: `/api/channels/${id}/now`, headers: { ...viewer, 'if-none-match': one.headers.etag as string } })).statusCode, 304)
  t.ok((await app.inject({ url: '/api/now', headers: viewer })).json().channels[0].now.offset_ms >= 5 * MIN, 'while the offsets move')

  await setClock(app, ms(current.end) + MIN)
  const moved = await app.inject({ url: '/api/now', headers: { ...viewer, 'if-none-match': tag } })
  t.equal(moved.statusCode, 200, 'the programme on air changed: a new answer')
  t.not(moved.headers.etag, tag)
  t.equal(moved.json().channels[0].now.id, programmes[film + 1].id)

  // An edit by hand: the next programme pinned shows at once, under a new tag.
  const next = moved.json().channels[0].next[0] as Programme
  t.equal(next.pinned, false)
  const pinned = await app.inject({ method: 'PATCH', url: `/api/channels/${id}/programmes/${next.id}`, headers: operator, payload: { pinned: true } })
  t.equal(pinned.statusCode, 200, pinned.body)
  const edited = await app.inject({ url: '/api/now', headers: { ...viewer, 'if-none-match': moved.headers.etag as string } })
  t.equal(edited.statusCode, 200, 'the edit changed the plan')
  t.equal(edited.json().channels[0].next[0].pinned, true, 'the edit shows in the next read')
  t.equal((await nowOf(app, id)).next[0].pinned, true)
})

t.test('reads between refreshes run no worker; a tick refreshes the plan through the pool', async (t) => {
  const { app } = await buildTestApp(t)
  const { id, programmes } = await builtSaturday(app)
  await setClock(app, ms(programmes[2].start) + MIN)
  t.equal((await app.inject({ url: '/api/now', headers: viewer })).statusCode, 200)
  t.equal((await app.inject({ url: `/api/channels/${id}/now`, headers: viewer })).statusCode, 200)
  const before = await processed(app)
  for (let i = 0; i < 25; i++) {
    t.equal((await app.inject({ url: '/api/now', headers: viewer })).statusCode, 200)
    t.equal((await app.inject({ url: `/api/channels/${id}/now`, headers: viewer })).statusCode, 200)
  }
  t.equal(await processed(app), before, '50 reads, no worker operation')

  const tick = (await app.inject({ method: 'POST', url: '/api/_tick', headers: operator })).json()
  const step = tick.steps.find((s: { name: string }) => s.name === 'now-plan')
  t.match(step, { ok: true, result: { channels: 1 } }, 'the tick\'s now-plan step read the plan again')
  // The tick's other steps (rolling builds, alarms) run operations of their own.
  t.ok(await processed(app) > before, 'through the pool')
})

t.test('an unknown channel is a 404 in the error shape; a channel created shows in /api/now', async (t) => {
  const { app } = await buildTestApp(t)
  t.same((await app.inject({ url: '/api/now', headers: viewer })).json().channels, [], 'no channels: none')
  for (const id of ['6f1c1c3e-8d1e-4c59-9a55-7c9d2f1b2a10', 'not-an-id']) {
    const res = await app.inject({ url: `/api/channels/${id}/now`, headers: viewer })
    t.equal(res.statusCode, 404)
    t.match(res.json(), { status: 'error', code: 'NOT_FOUND', message: String, request_id: String })
  }
  t.equal((await app.inject({ url: '/api/now' })).statusCode, 401, 'a key is needed, as for any read')

  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '12', name: 'Empty', timezone: 'UTC' } })
  t.equal(created.statusCode, 201)
  const all = (await app.inject({ url: '/api/now', headers: viewer })).json()
  t.same(all.channels.map((c: ChannelNow) => [c.channel.name, c.now, c.next]), [['Empty', null, []]], 'the new channel, nothing built')
  const deleted = await app.inject({ method: 'DELETE', url: `/api/channels/${created.json().channel.id}`, headers: bearer('admin') })
  t.equal(deleted.statusCode, 200)
  t.same((await app.inject({ url: '/api/now', headers: viewer })).json().channels, [], 'deleted: gone')
  t.equal((await app.inject({ url: `/api/channels/${created.json().channel.id}/now`, headers: viewer })).statusCode, 404)
})

t.test('an alarm opened shows at the next tick under a new tag', async (t) => {
  const { app, config } = await buildTestApp(t)
  const { id, programmes } = await builtSaturday(app)
  await setClock(app, ms(programmes[1].start) + MIN)
  const first = await app.inject({ url: '/api/now', headers: viewer })
  t.same(first.json().channels[0].alarms, [])
  // Opened as a failed rolling build would: through the alarm repository (the channel rolls no
  // build, so no tick clears it; the alarms step may open its own coverage alarm beside it).
  const store = config.databaseUrl === null ? await openSqliteStore(config.dataDir) : await openPostgresStore(config.databaseUrl)
  t.teardown(() => store.close())
  await store.alarms.open({ key: `build_failed:${id}`, kind: 'build_failed', channel_id: id, message: 'the build of 2026-03-29 failed', details: {} }, ms(programmes[1].start))
  t.equal((await app.inject({ method: 'POST', url: '/api/_tick', headers: operator })).statusCode, 200)
  const after = await app.inject({ url: '/api/now', headers: { ...viewer, 'if-none-match': first.headers.etag as string } })
  t.equal(after.statusCode, 200, 'the alarm changed the plan')
  t.ok(after.json().channels[0].alarms.some((a: { kind: string }) => a.kind === 'build_failed'), 'the opened alarm is in the answer')
})
