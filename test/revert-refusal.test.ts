import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { setUpChannel } from './channel-fixtures.js'

// Issue 21 item 10: a revert that finds no edit after the revision asked for says what is
// true. Builds are not in the edit history: after builds it says a build changed the events
// since and a revert cannot cross one (never that the events are as they were); only when
// the writes since changed no event does it say so. Real app, workers, database (both passes).

const operator = bearer('operator')
const viewer = bearer('viewer')

const revisionOf = async (app: FastifyInstance, url: string, kind: 'channel' | 'schedule'): Promise<number> =>
  (await app.inject({ url, headers: viewer })).json()[kind].revision

t.test('a channel built twice: revert to the first build\'s revision is a 409 saying a build changed the events since', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUpChannel(app)
  const url = `/api/channels/${channel.id}`
  const build = async (day: string): Promise<number> => {
    const res = await app.inject({ method: 'POST', url: `${url}/build`, headers: operator, payload: { from: day, to: day, seed: day } })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json().revision
  }
  const first = await build('2026-03-02')
  const second = await build('2026-03-03')
  t.equal(second, first + 1, 'each build is one revision')
  const events = (await app.inject({ url: `${url}/events?from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z`, headers: viewer })).body

  const refused = await app.inject({ method: 'POST', url: `${url}/revert`, headers: operator, payload: { revision: first } })
  t.equal(refused.statusCode, 409, refused.body)
  const { code, message } = refused.json()
  t.equal(code, 'NOTHING_TO_UNDO')
  t.match(message, /a build changed this channel's events since then/, message)
  t.match(message, /a revert cannot cross one/)
  t.notMatch(message, /as they were/, 'it does not say the events are as they were')

  const before = await app.inject({ method: 'POST', url: `${url}/revert`, headers: operator, payload: { revision: first - 1 } })
  t.equal(before.statusCode, 409)
  t.match(before.json().message, /2 builds changed this channel's events since then/)
  t.equal(await revisionOf(app, url, 'channel'), second, 'nothing was written')
  t.equal((await app.inject({ url: `${url}/events?from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z`, headers: viewer })).body, events, 'the events are untouched')
})

t.test('a channel whose writes since an edit were settings: the refusal says its events are as they were', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUpChannel(app)
  const url = `/api/channels/${channel.id}`
  const added = await app.inject({ method: 'POST', url: `${url}/events`, headers: operator, payload: { title: 'Live', start: '2026-03-02T12:00:00Z', end: '2026-03-02T12:30:00Z' } })
  t.equal(added.statusCode, 201, added.body)
  const edited = added.json().revision
  t.equal((await app.inject({ method: 'PATCH', url, headers: operator, payload: { name: 'Renamed' } })).statusCode, 200)
  t.equal(await revisionOf(app, url, 'channel'), edited + 1, 'the rename is a revision')

  const refused = await app.inject({ method: 'POST', url: `${url}/revert`, headers: operator, payload: { revision: edited } })
  t.equal(refused.statusCode, 409, refused.body)
  t.match(refused.json().message, /no build ran since, so its events are as they were then/)
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
