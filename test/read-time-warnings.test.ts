import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import type { ScheduleTimeline, ScheduleWithEvents } from '../contract/api.js'

// Issue 11 item 12: overlaps and cooldown replays are worked out from the stored events when
// a schedule is read, against the schedules stored then, not kept from the import.

const HOUR = 3_600_000
const at = (hours: number): string => new Date(Date.UTC(2026, 2, 2) + hours * HOUR).toISOString()

/** A JSON schedule of one-hour plays: [title, video, start hour]. */
const json = (name: string, plays: [string, string, number][]): string => JSON.stringify({
  metadata: { title: name },
  schedule: plays.map(([title, video, h]) => ({ title, start: at(h), end: at(h + 1), videoUrl: `https://cdn.example/${video}.mp4` }))
})

const xmltvTime = (hours: number): string => at(hours).replace(/[-:T]/g, '').slice(0, 14) + ' +0000'
/** An XMLTV guide of one channel: [title, start hour, end hour]. */
const xmltv = (channel: string, programmes: [string, number, number][]): string => `<tv><channel id="${channel}"><display-name>${channel}</display-name></channel>${
  programmes.map(([title, start, stop]) => `<programme start="${xmltvTime(start)}" stop="${xmltvTime(stop)}" channel="${channel}"><title>${title}</title></programme>`).join('')}</tv>`

async function importDoc (app: FastifyInstance, body: string, type: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...bearer('operator'), 'content-type': type }, payload: body })
  if (res.statusCode !== 201) throw new Error(`import: ${res.statusCode} ${res.body}`)
  return res.json<{ schedule_id: string }>().schedule_id
}
const read = async (app: FastifyInstance, id: string, query = ''): Promise<ScheduleWithEvents> =>
  (await app.inject({ url: `/api/schedules/${id}${query}`, headers: bearer('viewer') })).json<ScheduleWithEvents>()
const timeline = async (app: FastifyInstance, id: string, query = ''): Promise<ScheduleTimeline> =>
  (await app.inject({ url: `/api/schedules/${id}?fields=timeline${query}`, headers: bearer('viewer') })).json<ScheduleTimeline>()
const remove = async (app: FastifyInstance, id: string): Promise<void> => {
  const res = await app.inject({ method: 'DELETE', url: `/api/schedules/${id}`, headers: bearer('admin') })
  if (res.statusCode !== 200) throw new Error(`delete: ${res.statusCode}`)
}

t.test('a replay of another schedule\'s video is a cooldown warning while that schedule exists, and none once it is deleted', async (t) => {
  const { app } = await buildTestApp(t)
  const a = await importDoc(app, json('A', [['Film', 'film', 8], ['News', 'news', 9]]), 'application/json')
  const b = await importDoc(app, json('B', [['Film again', 'film', 20], ['Cartoons', 'toons', 21]]), 'application/json')

  const before = await read(app, b)
  t.equal(before.schedule.warnings?.cooldown_total, 1, 'B replays A\'s film 12 h after it')
  t.match(before.schedule.warnings?.cooldown, [{ index: 0, title: 'Film again', previous_index: null, previous_start: at(8), hours_since_previous: 12 }])
  t.same((await timeline(app, b)).events.marks, [2, 0], 'the timeline marks the replay')

  await remove(app, a)
  const after = await read(app, b)
  t.equal(after.schedule.warnings?.cooldown_total, 0, 'with A deleted, B replays nothing')
  t.same(after.schedule.warnings?.cooldown, [])
  t.same((await timeline(app, b)).events.marks, [0, 0], 'and the timeline marks nothing')
})

t.test('the order of imports does not matter: an earlier play stored later still counts', async (t) => {
  const { app } = await buildTestApp(t)
  const later = await importDoc(app, json('Later', [['Film', 'film', 30]]), 'application/json')
  const earlier = await importDoc(app, json('Earlier', [['Film', 'film', 10]]), 'application/json')
  t.equal((await read(app, earlier)).schedule.warnings?.cooldown_total, 0, 'the first play replays nothing')
  t.match((await read(app, later)).schedule.warnings?.cooldown, [{ index: 0, previous_index: null, previous_start: at(10), hours_since_previous: 20 }],
    'the schedule imported first shows the replay of the play stored after it')
})

t.test('the schedule\'s own cooldown hours are kept and read against', async (t) => {
  const { app } = await buildTestApp(t)
  await importDoc(app, json('A', [['Film', 'film', 0]]), 'application/json')
  const res = await app.inject({ method: 'POST', url: '/api/schedules/import?cooldown_hours=6', headers: { ...bearer('operator'), 'content-type': 'application/json' }, payload: json('B', [['Film', 'film', 12]]) })
  const b = res.json<{ schedule_id: string }>().schedule_id
  const got = await read(app, b)
  t.equal(got.schedule.cooldown_hours, 6)
  t.equal(got.schedule.warnings?.cooldown_total, 0, '12 h is outside a 6 h cooldown')
})

t.test('an overlap with another schedule on the same channel is reported while it exists, and none once it is deleted', async (t) => {
  const { app } = await buildTestApp(t)
  const a = await importDoc(app, xmltv('campus.tv', [['Morning', 10, 12]]), 'application/xml')
  const b = await importDoc(app, xmltv('campus.tv', [['Late start', 11, 13], ['After', 13, 14]]), 'application/xml')
  // Another channel, and events with no channel, at the same hours: other timelines, no conflict.
  const c = await importDoc(app, xmltv('other.tv', [['Elsewhere', 10, 13]]), 'application/xml')
  await importDoc(app, json('No channel', [['Plain', 'plain', 10]]), 'application/json')

  const before = await read(app, b)
  t.equal(before.schedule.warnings?.conflicts_total, 1, 'B\'s first programme overlaps A\'s')
  t.match(before.schedule.warnings?.conflicts, [{ type: 'overlap', event1: { index: null, title: 'Morning', schedule_id: a }, event2: { index: 0, title: 'Late start' } }])
  t.same((await timeline(app, b)).events.marks, [1, 0], 'the overlapping block is marked, the one after it is not')
  t.equal((await read(app, a)).schedule.warnings?.conflicts_total, 1, 'A sees the same overlap from its side')
  t.equal((await read(app, c)).schedule.warnings?.conflicts_total, 0, 'another channel overlaps nothing')

  await remove(app, a)
  const after = await read(app, b)
  t.equal(after.schedule.warnings?.conflicts_total, 0, 'with A deleted, B overlaps nothing')
  t.same(after.schedule.warnings?.conflicts, [])
  t.same((await timeline(app, b)).events.marks, [0, 0])
})

t.test('overlaps within one schedule, and a read of part of it: the warnings are the whole schedule\'s, the marks the events\'', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importDoc(app, JSON.stringify({
    schedule: [
      { title: 'One', start: at(0), end: at(2), videoUrl: 'https://cdn.example/1.mp4' },
      { title: 'Two', start: at(1), end: at(3), videoUrl: 'https://cdn.example/2.mp4' },
      { title: 'Three', start: at(5), end: at(6), videoUrl: 'https://cdn.example/1.mp4' }
    ]
  }), 'application/json')
  const whole = await read(app, id)
  t.match(whole.schedule.warnings, { conflicts_total: 1, conflicts: [{ event1: { index: 0, title: 'One' }, event2: { index: 1, title: 'Two' } }], cooldown_total: 1, cooldown: [{ index: 2, previous_index: 0 }] })
  t.same(whole.events.map((e) => e.title), ['One', 'Two', 'Three'])
  const part = await timeline(app, id, `&from=${at(1.5)}&to=${at(10)}`)
  t.same(part.events.title, ['One', 'Two', 'Three'], 'every event on air in the range')
  t.same(part.events.marks, [1, 1, 2])
  const later = await timeline(app, id, `&from=${at(4)}`)
  t.same(later.events.title, ['Three'])
  t.same(later.events.marks, [2], 'a replay of a play outside the range is still marked')
  t.equal(later.schedule.warnings?.conflicts_total, 1, 'the warnings are the whole schedule\'s')
})

t.test('a schedule\'s ETag changes when another schedule it is compared against is deleted', async (t) => {
  const { app } = await buildTestApp(t)
  const a = await importDoc(app, json('A', [['Film', 'film', 8]]), 'application/json')
  const b = await importDoc(app, json('B', [['Film', 'film', 20]]), 'application/json')
  const first = await app.inject({ url: `/api/schedules/${b}`, headers: bearer('viewer') })
  await remove(app, a)
  const again = await app.inject({ url: `/api/schedules/${b}`, headers: { ...bearer('viewer'), 'if-none-match': String(first.headers.etag) } })
  t.equal(again.statusCode, 200, 'not a 304 with the stale warnings')
  t.equal(again.json<ScheduleWithEvents>().schedule.warnings?.cooldown_total, 0)
  const gone = await app.inject({ url: `/api/schedules/${a}`, headers: { ...bearer('viewer'), 'if-none-match': '*' } })
  t.equal(gone.statusCode, 404, 'a deleted schedule is its 404, not a 304')
})

t.test('past 1,000 replays the answer lists the first 1,000, counts them all, and the timeline marks them all', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importDoc(app, json('Loop', Array.from({ length: 1101 }, (_, i): [string, string, number] => [`Loop ${i}`, 'loop', i])), 'application/json')
  const full = await read(app, id)
  t.equal(full.schedule.warnings?.cooldown_total, 1100)
  t.equal(full.schedule.warnings?.cooldown.length, 1000)
  // The timeline's answer lists only what the panel shows beside it, counting and marking all.
  // One page of up to 5,000 (without a range a schedule answers its first 1,000 events, SPEC §12).
  const got = await timeline(app, id, '&limit=5000')
  t.equal(got.events.count, 1101, 'every event on the one page')
  t.equal(got.schedule.warnings?.cooldown_total, 1100)
  t.equal(got.schedule.warnings?.cooldown.length, 150)
  t.same(got.schedule.warnings?.cooldown, full.schedule.warnings?.cooldown.slice(0, 150), 'the first 150 of the same list')
  t.equal(got.events.marks.filter((m) => m === 2).length, 1100, 'every replay is marked, listed or not')
})
