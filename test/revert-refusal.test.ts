import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { setUpChannel } from './channel-fixtures.js'

// Issue 21 item 10: a revert that finds no edit after the revision asked for says what is
// true. Since issue 23 builds and settings changes are in the history, so a channel's revert
// crosses them (restoring the state right after the revision); a schedule's revision still
// moves outside its history when it is placed on a channel, which the refusal says. Real app,
// workers, database (both passes).

const operator = bearer('operator')
const viewer = bearer('viewer')

const revisionOf = async (app: FastifyInstance, url: string, kind: 'channel' | 'schedule'): Promise<number> =>
  (await app.inject({ url, headers: viewer })).json()[kind].revision

t.test('a channel built twice: revert to the first build\'s revision gives back the events right after it', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUpChannel(app)
  const url = `/api/channels/${channel.id}`
  const range = `${url}/events?from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z`
  const build = async (day: string): Promise<number> => {
    const res = await app.inject({ method: 'POST', url: `${url}/build`, headers: operator, payload: { from: day, to: day, seed: day } })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json().revision
  }
  const first = await build('2026-03-02')
  const afterFirst = (await app.inject({ url: range, headers: viewer })).json().events
  const second = await build('2026-03-03')
  t.equal(second, first + 1, 'each build is one revision')
  t.not((await app.inject({ url: range, headers: viewer })).json().events.length, afterFirst.length)

  const reverted = await app.inject({ method: 'POST', url: `${url}/revert`, headers: operator, payload: { revision: first } })
  t.equal(reverted.statusCode, 200, reverted.body)
  t.same(reverted.json().reverted, [second])
  t.same((await app.inject({ url: range, headers: viewer })).json().events, afterFirst, 'the events are as the first build left them')
  const again = await app.inject({ method: 'POST', url: `${url}/revert`, headers: operator, payload: { revision: second + 1 } })
  t.equal(again.statusCode, 400, 'the revision now is not an earlier one')
})

t.test('a channel whose writes since an edit were settings: the revert takes them back', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUpChannel(app)
  const url = `/api/channels/${channel.id}`
  const added = await app.inject({ method: 'POST', url: `${url}/events`, headers: operator, payload: { title: 'Live', start: '2026-03-02T12:00:00Z', end: '2026-03-02T12:30:00Z' } })
  t.equal(added.statusCode, 201, added.body)
  const edited = added.json().revision
  t.equal((await app.inject({ method: 'PATCH', url, headers: operator, payload: { name: 'Renamed' } })).statusCode, 200)
  t.equal(await revisionOf(app, url, 'channel'), edited + 1, 'the rename is a revision')

  const reverted = await app.inject({ method: 'POST', url: `${url}/revert`, headers: operator, payload: { revision: edited } })
  t.equal(reverted.statusCode, 200, reverted.body)
  t.match((await app.inject({ url, headers: viewer })).json().channel, { name: 'Campus TV', revision: edited + 2 })
})

t.test('a schedule placed on a channel after its last edit: its events are as they were', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUpChannel(app)
  const imported = await app.inject({
    method: 'POST',
    url: '/api/schedules/import?name=Placed',
    headers: { ...operator, 'content-type': 'application/json' },
    payload: JSON.stringify({ schedule: [{ title: 'News', start: '2026-03-02T08:00:00Z', end: '2026-03-02T08:30:00Z', videoUrl: 'https://cdn.example/news.mp4' }] })
  })
  const id = imported.json().schedule_id
  const event = (await app.inject({ url: `/api/schedules/${id}`, headers: viewer })).json().events[0].id
  const edit = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${event}`, headers: operator, payload: { title: 'Morning News' } })
  t.equal(edit.statusCode, 200, edit.body)
  t.equal((await app.inject({ method: 'PUT', url: `/api/schedules/${id}/channel`, headers: operator, payload: { channel_id: channel.id } })).statusCode, 200)
  const refused = await app.inject({ method: 'POST', url: `/api/schedules/${id}/revert`, headers: operator, payload: { revision: edit.json().revision } })
  t.equal(refused.statusCode, 409, refused.body)
  t.match(refused.json().message, /putting it on or taking it off a channel, which does not change its events: they are as they were then/)
})
