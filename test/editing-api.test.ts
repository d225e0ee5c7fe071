import t from 'tap'
import type { Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildTestApp, KEYS as TEST_KEYS } from './helpers.js'
import { setUpChannel } from './channel-fixtures.js'
import type { EditAnswer, EventEditAnswer, History, ScheduleWithEvents, UndoAnswer } from '../contract/api.js'

// Editing by hand (SPEC §12) through the real app, real workers and the real database (both
// passes): each edit kind with the warnings it causes, ripple, revisions and If-Match (a
// stale one changes nothing; two editors racing: one wins), undo/redo/revert restoring the
// exact events, history naming the key's name, bad edits refused whole.

const KEYS = { alice: 'alice-operator-key-0123456789', bob: 'bob-operator-key-0123456789', viewer: 'viewer-key-0123456789abcdef' }
// The fixtures' operator key (test/helpers.ts) sets channels up; Alice and Bob edit by name.
const ENV = { SCHEDULEFLOW_API_KEYS: `Alice:operator:${KEYS.alice},Bob:operator:${KEYS.bob},viewer:${KEYS.viewer},operator:${TEST_KEYS.operator}` }
const as = (who: keyof typeof KEYS, extra: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${KEYS[who]}`, ...extra })

const DAY = '2026-03-02' // a Monday, UTC
const at = (hhmm: string, day = DAY): string => `${day}T${hhmm}:00.000Z`

async function importSchedule (app: FastifyInstance, events: Array<[string, string, string, string?]>): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/schedules/import?name=Edits',
    headers: as('alice', { 'content-type': 'application/json' }),
    payload: JSON.stringify({ schedule: events.map(([title, start, end, url]) => ({ title, start: at(start), end: at(end), videoUrl: url ?? `https://cdn.example/${title.toLowerCase().replace(/\W+/g, '-')}.mp4` })) })
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().schedule_id
}

const read = async (app: FastifyInstance, id: string): Promise<ScheduleWithEvents> => (await app.inject({ url: `/api/schedules/${id}`, headers: as('viewer') })).json()
/** The events as a person compares them: title and times, in air order. */
const shown = (s: ScheduleWithEvents): string[] => s.events.map((e) => `${e.title} ${e.start.slice(11, 16)}-${e.end.slice(11, 16)}`)
const idOf = (s: ScheduleWithEvents, title: string): string => s.events.find((e) => e.title === title)!.id

function ok<T> (t: Test, res: LightMyRequestResponse, status = 200): T {
  t.equal(res.statusCode, status, `${res.statusCode} ${res.statusCode === status ? '' : res.body}`)
  return res.json()
}

const BASE: Array<[string, string, string]> = [['News', '08:00', '08:30'], ['Film', '09:00', '10:30'], ['Series', '11:00', '11:45'], ['Late Show', '22:00', '23:00']]

t.test('each edit kind answers the new revision (as ETag) and the warnings it causes', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const id = await importSchedule(app, BASE)
  const before = await read(app, id)
  t.equal(before.schedule.revision, 1, 'a new schedule is at revision 1')

  const addRes = await app.inject({ method: 'POST', url: `/api/schedules/${id}/events`, headers: as('alice', { 'if-match': '"1"' }), payload: { title: 'Live Talk', start: at('08:15'), end: at('08:45') } })
  const added = ok<EventEditAnswer>(t, addRes, 201)
  t.equal(addRes.headers.etag, '"2"')
  t.match(added, { revision: 2, event: { title: 'Live Talk', start: at('08:15'), end: at('08:45'), pinned: false } })
  t.equal(added.warnings.conflicts_total, 1, 'adding over the news causes one overlap')
  t.match(added.warnings.conflicts[0], { event1: { title: 'News' }, event2: { title: 'Live Talk' } })

  const talk = added.event!.id
  const moved = ok<EventEditAnswer>(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${talk}`, headers: as('alice'), payload: { start: at('08:30') } }))
  t.match(moved, { revision: 3, event: { start: at('08:30'), end: at('09:00') } }, 'a move keeps the length')
  t.equal(moved.warnings.conflicts_total, 0, 'moved clear of the news: no overlap')

  const resized = ok<EventEditAnswer>(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${talk}`, headers: as('alice'), payload: { end: at('09:15') } }))
  t.match(resized, { revision: 4, event: { start: at('08:30'), end: at('09:15'), duration: 2700 } })
  t.match(resized.warnings.conflicts, [{ event1: { title: 'Live Talk' }, event2: { title: 'Film' } }], 'resized into the film')

  // The same video as the film, an hour after it: a replay inside the 48 h cooldown.
  const retitled = ok<EventEditAnswer>(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${idOf(before, 'Late Show')}`, headers: as('alice'), payload: { title: 'Film again', video_url: 'https://cdn.example/film.mp4' } }))
  t.match(retitled.event, { title: 'Film again', video_url: 'https://cdn.example/film.mp4' })
  t.equal(retitled.warnings.cooldown_total, 1, 'the change makes a replay inside the cooldown')
  t.match(retitled.warnings.cooldown[0], { title: 'Film again', video: 'https://cdn.example/film.mp4' })

  const deleted = ok<EventEditAnswer>(t, await app.inject({ method: 'DELETE', url: `/api/schedules/${id}/events/${talk}`, headers: as('alice') }))
  t.match(deleted, { revision: 6, warnings: { conflicts_total: 0, cooldown_total: 0 } })
  t.notOk('event' in deleted)
  t.same(shown(await read(app, id)), ['News 08:00-08:30', 'Film 09:00-10:30', 'Series 11:00-11:45', 'Film again 22:00-23:00'])
  t.match((await read(app, id)).schedule, { revision: 6, event_count: 4 })
})

t.test('ripple shifts every later event of that day, and only that day', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const id = await importSchedule(app, [...BASE, ['Tomorrow', '08:00', '09:00']].map(([title, start, end]) => [title, start, end]) as Array<[string, string, string]>)
  // The fifth event on the next day: re-import with it there.
  const s = await read(app, id)
  const tomorrow = idOf(s, 'Tomorrow')
  ok(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${tomorrow}`, headers: as('alice'), payload: { start: at('08:00', '2026-03-03') } }))
  const answer = ok<EventEditAnswer>(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${idOf(s, 'Film')}`, headers: as('alice'), payload: { start: at('09:10'), ripple: true } }))
  t.same(answer.moved?.sort(), [idOf(s, 'Series'), idOf(s, 'Late Show')].sort(), 'the later events of the day moved')
  t.same(shown(await read(app, id)), ['News 08:00-08:30', 'Film 09:10-10:40', 'Series 11:10-11:55', 'Late Show 22:10-23:10', 'Tomorrow 08:00-09:00'])

  // In a zone: the day is the local day. 23:30 UTC on 2 March is 00:30 on 3 March in Helsinki.
  const zoned = await importSchedule(app, [['A', '21:00', '21:30'], ['B', '21:45', '22:00'], ['C', '23:30', '23:45']])
  const z = await read(app, zoned)
  const rippled = ok<EventEditAnswer>(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${zoned}/events/${idOf(z, 'A')}?timezone=Europe/Helsinki`, headers: as('alice'), payload: { start: '2026-03-02T23:05:00', ripple: true } }))
  t.same(rippled.moved, [idOf(z, 'B')], 'C airs on the next local day: not moved')
})

t.test('revisions: a stale If-Match is a 412 naming who changed it, and nothing changes; two editors racing, one wins', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const id = await importSchedule(app, BASE)
  const s = await read(app, id)
  const film = idOf(s, 'Film')
  ok(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: as('alice', { 'if-match': '"1"' }), payload: { title: 'Film (restored)' } }))
  const stale = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: as('bob', { 'if-match': '"1"' }), payload: { start: at('09:30') } })
  t.equal(stale.statusCode, 412)
  t.match(stale.json(), { status: 'error', code: 'PRECONDITION_FAILED', message: /changed by Alice \(operator\) at \d{4}-\d\d-\d\dT.*revision 2, not 1/ })
  t.same(shown(await read(app, id)), shown({ ...s, events: s.events.map((e) => e.id === film ? { ...e, title: 'Film (restored)' } : e) }), 'the stale edit changed nothing')
  t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${id}/events/${film}`, headers: as('bob', { 'if-match': 'seven' }) })).statusCode, 400, 'an If-Match that names no revision is a 400')

  for (let round = 0; round < 3; round++) {
    const { schedule: { revision } } = await read(app, id)
    const race = await Promise.all(['alice', 'bob'].map((who, i) => app.inject({
      method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: as(who as 'alice', { 'if-match': `"${revision}"` }), payload: { start: at(`09:${i === 0 ? 1 : 3}${round}`) } // a new time for both: each is a real change
    })))
    t.same(race.map((r) => r.statusCode).sort(), [200, 412], `round ${round + 1}: exactly one of two racing editors wins`)
    const winner = race.find((r) => r.statusCode === 200)!.json<EventEditAnswer>()
    t.equal((await read(app, id)).events.find((e) => e.id === film)?.start, winner.event?.start, 'and what is stored is the winner\'s edit')
  }
})

t.test('undo of every edit kind restores the exact events; redo; revert; history names the key\'s name', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const id = await importSchedule(app, BASE)
  const start = await read(app, id)
  const snapshots = [start.events]
  const edits = [
    { op: 'add', title: 'Promo', start: at('08:30'), end: at('08:35'), category: 'promo' },
    { op: 'update', id: idOf(start, 'Film'), start: at('09:15'), ripple: true },
    { op: 'update', id: idOf(start, 'News'), end: at('08:20') },
    { op: 'update', id: idOf(start, 'Series'), title: 'Series (S2)', description: 'new season', video_url: null },
    { op: 'delete', id: idOf(start, 'Late Show') }
  ]
  for (const [i, op] of edits.entries()) {
    ok(t, await app.inject({ method: 'POST', url: `/api/schedules/${id}/events/bulk`, headers: as(i % 2 === 0 ? 'alice' : 'bob'), payload: { ops: [op] } }))
    snapshots.push((await read(app, id)).events)
  }
  // Back through every edit, one undo each.
  for (let i = edits.length; i > 0; i--) {
    const undone = ok<UndoAnswer>(t, await app.inject({ method: 'POST', url: `/api/schedules/${id}/undo`, headers: as('alice') }))
    t.same(undone.reverted, [i + 1], `undo takes back revision ${i + 1}`)
    t.same((await read(app, id)).events, snapshots[i - 1], `after undoing ${edits[i - 1].op} ${i}: the exact events before it`)
  }
  t.match(await app.inject({ method: 'POST', url: `/api/schedules/${id}/undo`, headers: as('alice') }), { statusCode: 409 }, 'nothing left to undo')
  ok(t, await app.inject({ method: 'POST', url: `/api/schedules/${id}/undo?redo=true`, headers: as('alice') }))
  t.same((await read(app, id)).events, snapshots[1], 'redo puts the first edit back')

  const history = ok<History>(t, await app.inject({ url: `/api/schedules/${id}/history`, headers: as('viewer') }))
  t.equal(history.history.length, 11, 'five edits, five undos, one redo')
  t.match(history.history.at(-1), { revision: 2, by: { name: 'Alice', role: 'operator' }, changes: { added: [{ title: 'Promo', category: 'promo' }], removed: [], changed: [] } })
  t.match(history.history.at(-2), { by: { name: 'Bob' }, changes: { changed: [{ before: { title: 'Film', start: at('09:00') }, after: { start: at('09:15') } }, {}, {}] } })
  t.match(history.history[0], { undoes: Number, summary: /^redo of r\d+: / })
  const newest = ok<History>(t, await app.inject({ url: `/api/schedules/${id}/history?limit=2`, headers: as('viewer') }))
  t.same(newest.history.map((e) => e.revision), history.history.slice(0, 2).map((e) => e.revision), '?limit answers the newest entries')
  t.equal((await app.inject({ url: `/api/schedules/${id}/history?limit=0`, headers: as('viewer') })).statusCode, 400)
  const text = JSON.stringify(history)
  t.notOk(Object.values(KEYS).some((key) => text.includes(key)), 'no key appears in the history')

  // Revert to revision 4 (after the ripple and the resize): one new revision.
  const reverted = ok<UndoAnswer>(t, await app.inject({ method: 'POST', url: `/api/schedules/${id}/revert`, headers: as('bob'), payload: { revision: 4 } }))
  t.equal(reverted.revision, 13)
  t.same((await read(app, id)).events, snapshots[3], 'revert gives the events of that revision exactly')
  t.equal((await app.inject({ method: 'POST', url: `/api/schedules/${id}/revert`, headers: as('bob'), payload: { revision: 99 } })).statusCode, 400, 'a revision not yet made')
})

t.test('bad edits answer 4xx and change nothing', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const id = await importSchedule(app, BASE)
  const s = await read(app, id)
  const film = idOf(s, 'Film')
  const refused = async (method: 'POST' | 'PATCH', url: string, payload: unknown, status: number, field: RegExp | string): Promise<void> => {
    const res = await app.inject({ method, url, headers: as('alice'), payload: payload as Record<string, unknown> })
    t.equal(res.statusCode, status, `${JSON.stringify(payload).slice(0, 80)} → ${status}`)
    t.match(res.json(), { status: 'error', errors: [{ field }] })
  }
  await refused('PATCH', `/api/schedules/${id}/events/${film}`, { end: at('08:59') }, 400, 'ops.0.end')
  await refused('POST', `/api/schedules/${id}/events`, { title: 'Backwards', start: at('10:00'), end: at('09:00') }, 400, 'ops.0.end')
  await refused('POST', `/api/schedules/${id}/events?timezone=Europe/London`, { title: 'Gap', start: '2026-03-29T01:30:00', end: '2026-03-29T02:30:00' }, 400, 'ops.0.start')
  const gap = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}?timezone=Europe/London`, headers: as('alice'), payload: { start: '2026-03-29T01:30:00' } })
  t.match(gap, { statusCode: 400 })
  t.match(gap.json().message, /does not exist in Europe\/London/, 'moving onto a time the clocks skip is refused, saying so')
  await refused('PATCH', `/api/schedules/${id}/events/00000000-0000-4000-8000-000000000000`, { title: 'x' }, 404, 'ops.0.id')
  await refused('POST', `/api/schedules/${id}/events/bulk`, { ops: [{ op: 'update', id: film, title: 'Fine' }, { op: 'add', title: 'No end', start: at('12:00') }, { op: 'delete', id: idOf(s, 'News') }] }, 400, 'ops.1.end')
  await refused('POST', `/api/schedules/${id}/events/bulk`, { ops: [{ op: 'update', id: film, title: 'Fine' }, { op: 'delete', id: 'not-an-event' }] }, 404, 'ops.1.id')
  await refused('POST', `/api/schedules/${id}/events/bulk`, { ops: [{ op: 'update', id: film, colour: 'red' }] }, 400, 'ops.0.colour')
  await refused('POST', `/api/schedules/${id}/events/bulk`, { ops: [{ op: 'update', id: film, video_url: 'javascript:alert(1)' }] }, 400, 'ops.0.video_url')
  const after = await read(app, id)
  t.same(after.events, s.events, 'none of the refused edits changed an event')
  t.equal(after.schedule.revision, 1, 'nor the revision')
  t.equal((await app.inject({ method: 'POST', url: `/api/schedules/${id}/events`, headers: as('viewer'), payload: { title: 'x', start: at('12:00'), end: at('13:00') } })).statusCode, 403, 'a viewer cannot edit')
})

t.test('channels: an edited event is pinned, a rebuild keeps it; a placed schedule\'s events are edited in their schedule', async (t) => {
  const { app } = await buildTestApp(t, ENV)
  const { channel } = await setUpChannel(app)
  const build = (seed: string): Promise<LightMyRequestResponse> => app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: as('alice'), payload: { from: '2026-03-02', to: '2026-03-03', seed } })
  t.equal((await build('one')).statusCode, 201)
  const events = (await app.inject({ url: `/api/channels/${channel.id}/events?from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z`, headers: as('viewer') })).json().events as Array<{ id: string, title: string, start: string, end: string, pinned: boolean }>
  const target = events.find((e) => e.start.startsWith('2026-03-02T20:'))!
  const edited = ok<EditAnswer>(t, await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/events/bulk`, headers: as('alice'), payload: { ops: [{ op: 'update', id: target.id, title: 'Director\'s Cut' }] } }))
  t.match(edited.results[0].event, { title: 'Director\'s Cut', pinned: true }, 'the edited event is pinned')
  t.equal((await build('two')).statusCode, 201)
  const rebuilt = (await app.inject({ url: `/api/channels/${channel.id}/events?from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z`, headers: as('viewer') })).json().events as typeof events
  t.match(rebuilt.find((e) => e.id === target.id), { title: 'Director\'s Cut', start: target.start, end: target.end, pinned: true }, 'a rebuild with another seed keeps it')

  // An event added over a built one: both are marked as overlapping in the channel's events (bit 1).
  const added = ok<EventEditAnswer>(t, await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/events`, headers: as('alice'), payload: { title: 'Breaking News', start: target.start, end: target.end, video_url: 'https://cdn.example/breaking.mp4' } }), 201)
  t.equal(added.warnings.conflicts_total, 1, 'the answer names the overlap it causes')
  const marked = (await app.inject({ url: `/api/channels/${channel.id}/events?from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z`, headers: as('viewer') })).json().events as Array<{ id: string, marks: number }>
  t.same(marked.filter((e) => (e.marks & 1) === 1).map((e) => e.id).sort(), [target.id, added.event!.id].sort(), 'the channel\'s events mark both, and only them')

  const scheduleId = await importSchedule(app, [['Placed', '06:00', '06:30']])
  t.equal((await app.inject({ method: 'PUT', url: `/api/schedules/${scheduleId}/channel`, headers: as('alice'), payload: { channel_id: channel.id } })).statusCode, 200)
  const placedSchedule = await read(app, scheduleId)
  t.equal(placedSchedule.schedule.revision, 2, 'placing a schedule on a channel is a write to it: its revision moves')
  const placed = placedSchedule.events[0]
  const refused = await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/events/${placed.id}`, headers: as('alice'), payload: { title: 'x' } })
  t.equal(refused.statusCode, 409)
  t.match(refused.json(), { code: 'EVENT_NOT_EDITABLE', message: new RegExp(scheduleId) })

  // Edited in its schedule, the placed event changes what the channel airs: its ETag moves.
  const eventsUrl = `/api/channels/${channel.id}/events?from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z`
  const etag = (await app.inject({ url: eventsUrl, headers: as('viewer') })).headers.etag as string
  t.equal((await app.inject({ url: eventsUrl, headers: as('viewer', { 'if-none-match': etag }) })).statusCode, 304)
  ok(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${scheduleId}/events/${placed.id}`, headers: as('alice'), payload: { start: at('06:10') } }))
  const after = await app.inject({ url: eventsUrl, headers: as('viewer', { 'if-none-match': etag }) })
  t.equal(after.statusCode, 200, 'the channel\'s events are not answered 304 after the edit')
  t.ok(after.json().events.some((e: { id: string, start: string }) => e.id === placed.id && e.start === at('06:10')))
})
