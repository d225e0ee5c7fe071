import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp, waitFor } from './helpers.js'
import { importPlaylist, m3u } from './channel-fixtures.js'

// Coverage and alarms (SPEC §17, issue 25 item 2) through the real app: the service clock moved
// by PUT /api/_clock, the on-air tick run by POST /api/_tick (the timer is off), a real HTTP
// server as the alarm webhook.

const operator = bearer('operator')
const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const viewer = bearer('viewer')
const admin = bearer('admin')

const setClock = async (app: FastifyInstance, now: string): Promise<void> => {
  const res = await app.inject({ method: 'PUT', url: '/api/_clock', headers: admin, payload: { now } })
  if (res.statusCode !== 200) throw new Error(res.body)
}

/** One on-air tick: what the alarms step answered. */
async function tick (app: FastifyInstance): Promise<{ opened: number, cleared: number, sent: number }> {
  const res = await app.inject({ method: 'POST', url: '/api/_tick', headers: admin })
  const step = res.json().steps.find((s: { name: string }) => s.name === 'alarms')
  if (step?.ok !== true) throw new Error(`the alarms step failed: ${res.body}`)
  return step.result
}

const alarms = async (app: FastifyInstance, channel?: string): Promise<Array<Record<string, unknown>>> =>
  (await app.inject({ url: `/api/alarms${channel === undefined ? '' : `?channel=${channel}`}`, headers: viewer })).json().alarms

const kinds = async (app: FastifyInstance, channel?: string): Promise<string[]> => (await alarms(app, channel)).map((a) => String(a.kind)).sort()

async function build (app: FastifyInstance, id: string, from: string, to: string): Promise<Record<string, unknown>> {
  const res = await app.inject({ method: 'POST', url: `/api/channels/${id}/build`, headers: operator, payload: { from, to, seed: 's' } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json()
}

async function channelWith (app: FastifyInstance, number: string, name: string, blocks: unknown[]): Promise<string> {
  // No rolling build (test/rolling-builds.test.ts has its own): the test builds what it wants covered.
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number, name, timezone: 'UTC', build_ahead_days: 0 } })
  if (created.statusCode !== 201) throw new Error(created.body)
  const id = created.json().channel.id
  const put = await app.inject({ method: 'PUT', url: `/api/channels/${id}/template`, headers: operator, payload: { blocks } })
  if (put.statusCode !== 200) throw new Error(put.body)
  return id
}

/** A webhook that keeps every notice it is sent. */
async function webhook (t: Test): Promise<{ url: string, notices: Array<{ event: string, alarm: Record<string, unknown> }> }> {
  const notices: Array<{ event: string, alarm: Record<string, unknown> }> = []
  const server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => {
      notices.push(JSON.parse(body))
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, notices }
}

const replacePlaylist = async (app: FastifyInstance, id: string, body: string): Promise<void> => {
  const res = await app.inject({ method: 'PUT', url: `/api/playlists/${id}`, headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: body })
  if (res.statusCode !== 200) throw new Error(res.body)
}

t.test('an empty source raises the coverage alarm, sent once to the webhook; filled and rebuilt, it clears, sent once', async (t) => {
  const hook = await webhook(t)
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_ON_AIR_TICK_MS: '0', SCHEDULEFLOW_ALARM_WEBHOOK: hook.url })
  const films = await importPlaylist(app, m3u(60, 'film', 3600), 'films')
  const id = await channelWith(app, '7', 'Campus TV', [
    { id: 'day', days: every, start: '00:00', end: '12:00', source: { playlist: films, group: 'Films' }, order: 'sequential', fill: 'cut' },
    { id: 'night', days: every, start: '12:00', end: '00:00', source: { playlist: films, group: 'Films' }, order: 'sequential', fill: 'cut' }
  ])
  // The source empties: the playlist's items are all in another group now.
  await replacePlaylist(app, films, m3u(60, 'trailer', 120, 'Trailers'))
  await setClock(app, '2026-12-14T00:00:00Z')
  await build(app, id, '2026-12-14', '2026-12-16')

  const empty = (await app.inject({ url: `/api/channels/${id}`, headers: viewer })).json().channel
  t.match(empty, { built_until: null, gaps: [{ start: '2026-12-14T00:00:00.000Z', end: '2026-12-16T00:00:00.000Z', on_purpose: false }] }, 'nothing built: the whole 48 h is one gap')

  t.match(await tick(app), { opened: 2 })
  t.same(await kinds(app), ['coverage', 'dead_air'], 'nothing built: coverage, and nothing on air now')
  const [coverage] = (await alarms(app)).filter((a) => a.kind === 'coverage')
  t.match(coverage, { channel_id: id, since: '2026-12-14T00:00', message: 'Campus TV has nothing built (alarm below 24 h)', details: { built_until: null, alarm_hours: 24 } })
  t.ok(await waitFor(async () => (await app.inject('/api/health')).json().alarms === 2, 30_000), 'health counts the two alarms')
  const health = await app.inject('/api/health')
  t.match(health, { statusCode: 200 }, 'an alarm never makes health unhealthy')
  t.equal(health.json().status, 'healthy')
  t.match(await tick(app), { opened: 0, cleared: 0, sent: 0 }, 'a second tick opens and sends nothing again')

  // The items are put back: rebuilt, the channel is built three days ahead.
  await replacePlaylist(app, films, m3u(60, 'film', 3600))
  const built = await build(app, id, '2026-12-14', '2026-12-16')
  t.match(built, { channel: { built_until: '2026-12-17T00:00:00.000Z', gaps: [] } }, 'the build answers the channel with its coverage')
  t.match(await tick(app), { cleared: 2 })
  t.same(await alarms(app), [], 'both cleared')
  t.ok(await waitFor(async () => (await app.inject('/api/health')).json().alarms === 0, 30_000), 'health counts none')
  await tick(app)
  await tick(app)
  const sent = hook.notices.map((n) => `${n.event} ${String(n.alarm.kind)}`).sort()
  t.same(sent, ['cleared coverage', 'cleared dead_air', 'opened coverage', 'opened dead_air'], 'the webhook got each alarm once when it opened and once when it cleared')
  t.match(hook.notices.find((n) => n.event === 'opened' && n.alarm.kind === 'coverage'), { alarm: { id: coverage.id, message: coverage.message, channel_id: id } })

  const metrics = (await app.inject('/metrics')).body
  const ahead = new RegExp(`scheduleflow_channel_built_seconds_ahead\\{[^}]*channel="${id}"[^}]*\\} (\\d+)`).exec(metrics)
  t.ok(ahead !== null, 'the gauge names the channel')
  // Three days ahead of a clock set a moment ago (it runs on from there).
  t.ok(Number(ahead?.[1]) <= 72 * 3600 && Number(ahead?.[1]) > 71 * 3600, `seconds ahead: ${ahead?.[1]}`)

  // Two days on, 24 h are left: under alarm_hours 25 the coverage alarm opens again, in words.
  await setClock(app, '2026-12-16T00:00:00Z')
  t.equal((await app.inject({ method: 'PATCH', url: `/api/channels/${id}`, headers: operator, payload: { alarm_hours: 25 } })).statusCode, 200)
  await tick(app)
  t.match(await alarms(app, id), [{ kind: 'coverage', message: 'Campus TV is built only until Thu 17 Dec 00:00 (24 h ahead; alarm below 25 h)', details: { hours_ahead: 24 } }])
  t.equal((await app.inject({ method: 'PATCH', url: `/api/channels/${id}`, headers: operator, payload: { alarm_hours: 0 } })).statusCode, 200)
  await tick(app)
  t.same(await alarms(app, id), [], 'alarm_hours 0: never a coverage alarm')
})

t.test('gaps: a fill:gap block\'s empty end is on purpose and raises no alarm; a real gap does; dead air when now is in one', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_ON_AIR_TICK_MS: '0' })
  const shows = await importPlaylist(app, m3u(100, 'show', 1500, 'Shows'), 'shows')
  // 00:00–12:00: 28 shows of 25 min end at 11:40, the rest left empty on purpose; 12:00–20:00
  // cut to fit; 20:00–24:00 nothing at all (no block, no default filler): a real gap.
  const id = await channelWith(app, '8', 'Gap TV', [
    { id: 'morning', days: every, start: '00:00', end: '12:00', source: { playlist: shows }, order: 'sequential', fill: 'gap' },
    { id: 'afternoon', days: every, start: '12:00', end: '20:00', source: { playlist: shows }, order: 'sequential', fill: 'cut' }
  ])
  await setClock(app, '2026-12-14T06:00:00Z')
  await build(app, id, '2026-12-14', '2026-12-17')

  const { channels } = (await app.inject({ url: '/api/channels', headers: viewer })).json()
  t.match(channels, [{ id, built_until: '2026-12-17T20:00:00.000Z' }])
  t.same(channels[0].gaps, [
    { start: '2026-12-14T11:40:00.000Z', end: '2026-12-14T12:00:00.000Z', on_purpose: true },
    { start: '2026-12-14T20:00:00.000Z', end: '2026-12-15T00:00:00.000Z', on_purpose: false },
    { start: '2026-12-15T11:40:00.000Z', end: '2026-12-15T12:00:00.000Z', on_purpose: true },
    { start: '2026-12-15T20:00:00.000Z', end: '2026-12-16T00:00:00.000Z', on_purpose: false }
  ], 'the next 48 h: the fill:gap ends on purpose, the evenings not')

  await tick(app)
  const [gap] = await alarms(app, id)
  t.match(gap, { kind: 'gap', message: 'Gap TV has nothing to air Mon 14 Dec 20:00–Tue 15 Dec 00:00 (4 h, in 14 h)', details: { start: '2026-12-14T20:00:00.000Z', end: '2026-12-15T00:00:00.000Z', gaps: 1 } })
  t.same(await kinds(app, id), ['gap'], 'the evening\'s gap only: the morning\'s empty end is on purpose')

  // Now inside the empty end of a fill:gap block: no dead air.
  await setClock(app, '2026-12-14T11:50:00Z')
  await tick(app)
  t.same(await kinds(app, id), ['gap'], 'time left empty on purpose is no dead air')

  // Now inside the real gap: dead air; the next evening's gap (23 h ahead) keeps the gap alarm.
  await setClock(app, '2026-12-14T21:00:00Z')
  await tick(app)
  t.same(await kinds(app, id), ['dead_air', 'gap'])
  t.match((await alarms(app, id)).find((a) => a.kind === 'dead_air'), { message: 'Gap TV is off air: nothing airs until Tue 15 Dec 00:00', details: { end: '2026-12-15T00:00:00.000Z' } })
  t.match((await alarms(app, id)).find((a) => a.kind === 'gap'), { details: { start: '2026-12-15T20:00:00.000Z' } })

  // Back on air with no hole in the next 24 h: both clear.
  await setClock(app, '2026-12-15T21:00:00Z')
  t.equal((await app.inject({ method: 'PATCH', url: `/api/channels/${id}`, headers: operator, payload: { alarm_hours: 1 } })).statusCode, 200)
  await tick(app)
  t.same(await kinds(app, id), ['dead_air', 'gap'], 'the next evening is another gap, the one after too')
  await setClock(app, '2026-12-17T13:00:00Z')
  await tick(app)
  t.same(await kinds(app, id), [], 'afternoon of the last day built: no hole ahead inside the built time, 7 h built (alarm below 1 h)')

  t.match(await app.inject({ url: '/api/alarms?channel=not-an-id', headers: viewer }), { statusCode: 400 })
  t.match(await app.inject({ url: '/api/alarms' }), { statusCode: 401 }, 'alarms need a key')
})

t.test('a deleted channel\'s alarms clear', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_ON_AIR_TICK_MS: '0' })
  const id = await channelWith(app, '9', 'Gone TV', [])
  await tick(app)
  t.same(await kinds(app, id), ['coverage', 'dead_air'])
  t.equal((await app.inject({ method: 'DELETE', url: `/api/channels/${id}`, headers: admin })).statusCode, 200)
  t.match(await tick(app), { cleared: 2 })
  t.same(await alarms(app), [])
})
