import t from 'tap'
import type { Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { setUpChannel } from './channel-fixtures.js'

// Issue 21 item 5 (SPEC §12): the ordinary HTTP flow works for a REST client. The ETag a GET
// of a schedule or channel answers is taken by If-Match on its writes: 200 while it is the
// current revision, 412 (nothing changed) once someone wrote since; If-None-Match with it is
// still a 304 while nothing changed; an If-Match that names no revision is still a 400.
// Real app, real workers, the real database (both passes).

const operator = bearer('operator')
const viewer = bearer('viewer')
const DAY = '2026-03-02'
const at = (hhmm: string): string => `${DAY}T${hhmm}:00.000Z`

async function importSchedule (app: FastifyInstance): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/schedules/import?name=Tags',
    headers: { ...operator, 'content-type': 'application/json' },
    payload: JSON.stringify({
      schedule: [
        { title: 'News', start: at('08:00'), end: at('08:30'), videoUrl: 'https://cdn.example/news.mp4' },
        { title: 'Film', start: at('09:00'), end: at('10:30'), videoUrl: 'https://cdn.example/film.mp4' }
      ]
    })
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().schedule_id
}

const etagOf = async (app: FastifyInstance, url: string): Promise<string> => {
  const res = await app.inject({ url, headers: viewer })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.headers.etag as string
}

function status (t: Test, res: LightMyRequestResponse, expected: number, what: string): void {
  t.equal(res.statusCode, expected, `${what}: ${res.statusCode}${res.statusCode === expected ? '' : ` ${res.body}`}`)
}

t.test('a schedule: GET\'s ETag → PATCH with it is 200, the same tag again is 412 and changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importSchedule(app)
  const schedule = (await app.inject({ url: `/api/schedules/${id}`, headers: viewer })).json()
  const film = schedule.events.find((e: { title: string }) => e.title === 'Film').id
  const tag = await etagOf(app, `/api/schedules/${id}`)
  t.match(tag, /^W\/"1-[A-Za-z0-9_-]+"$/, 'the GET\'s weak tag carries the schedule\'s revision, 1')

  const first = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'if-match': tag }, payload: { title: 'Film (restored)' } })
  status(t, first, 200, 'PATCH with the GET\'s ETag')
  t.equal(first.headers.etag, '"2"', 'the edit answers the new revision as its strong ETag')

  const again = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'if-match': tag }, payload: { title: 'Film (overwritten)' } })
  status(t, again, 412, 'the same ETag again, after a write')
  t.match(again.json(), { status: 'error', code: 'PRECONDITION_FAILED' })
  const after = (await app.inject({ url: `/api/schedules/${id}`, headers: viewer })).json()
  t.equal(after.events.find((e: { id: string }) => e.id === film).title, 'Film (restored)', 'the stale write changed nothing')

  // The tags of the schedule's other reads and the edit's own "<n>" work the same way.
  const exportTag = await etagOf(app, `/api/schedules/${id}/export?format=json`)
  status(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'if-match': exportTag }, payload: { category: 'Drama' } }), 200, 'PATCH with the export\'s ETag')
  status(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'if-match': '"3"' }, payload: { category: 'Film' } }), 200, 'PATCH with the edit answer\'s "3"')
  status(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'if-match': exportTag.slice(2) }, payload: { category: 'Old' } }), 412, 'the export\'s tag, made strong, is stale too')
})

t.test('a 304 revalidation still works, and a tag from before a write is not revalidated', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importSchedule(app)
  const { channel } = await setUpChannel(app)
  for (const url of [`/api/schedules/${id}`, `/api/channels/${channel.id}`, `/api/channels/${channel.id}/events?from=${at('00:00')}&to=${at('23:00')}`]) {
    const tag = await etagOf(app, url)
    status(t, await app.inject({ url, headers: { ...viewer, 'if-none-match': tag } }), 304, `${url} unchanged`)
  }
  const tag = await etagOf(app, `/api/schedules/${id}`)
  const film = (await app.inject({ url: `/api/schedules/${id}`, headers: viewer })).json().events[1].id
  status(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: operator, payload: { title: 'Changed' } }), 200, 'an edit')
  status(t, await app.inject({ url: `/api/schedules/${id}`, headers: { ...viewer, 'if-none-match': tag } }), 200, 'the old tag after the edit: the new body')
  // Another schedule's write changes this one's warnings: the revision stays, the tag moves.
  const unchanged = await etagOf(app, `/api/schedules/${id}`)
  await importSchedule(app)
  const moved = await etagOf(app, `/api/schedules/${id}`)
  t.not(moved, unchanged, 'a write to another schedule is not revalidated (what its warnings are read against changed)')
  t.equal(moved.split('-')[0], unchanged.split('-')[0], 'but the revision the tag carries is the same, so If-Match with either is taken')
  status(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'if-match': unchanged }, payload: { title: 'Again' } }), 200, 'If-Match with the tag from before the other schedule\'s write')
})

t.test('a channel: the ETags of GET /api/channels/:id and of its events are taken by its edits and its settings writes', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUpChannel(app)
  const built = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: { from: DAY, to: DAY, seed: 'tags' } })
  status(t, built, 201, 'a build')
  const eventsUrl = `/api/channels/${channel.id}/events?from=${DAY}T00:00:00Z&to=${DAY}T23:59:59Z`
  const event = (await app.inject({ url: eventsUrl, headers: viewer })).json().events[0]

  const eventsTag = await etagOf(app, eventsUrl)
  status(t, await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/events/${event.id}`, headers: { ...operator, 'if-match': eventsTag }, payload: { title: 'Edited' } }), 200, 'PATCH an event with the events\' ETag')
  status(t, await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/events/${event.id}`, headers: { ...operator, 'if-match': eventsTag }, payload: { title: 'Overwritten' } }), 412, 'the same ETag again')

  const channelTag = await etagOf(app, `/api/channels/${channel.id}`)
  status(t, await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/events`, headers: { ...operator, 'if-match': channelTag }, payload: { title: 'Live', start: at('12:00'), end: at('12:30') } }), 201, 'add an event with the channel\'s ETag')
  status(t, await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/events`, headers: { ...operator, 'if-match': channelTag }, payload: { title: 'Live twice', start: at('13:00'), end: at('13:30') } }), 412, 'the same ETag again')

  // The channel's own writes (SPEC §12: every write of a channel) take the same tags.
  const settingsTag = await etagOf(app, `/api/channels/${channel.id}`)
  status(t, await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: { ...operator, 'if-match': settingsTag }, payload: { name: 'Campus TV One' } }), 200, 'PATCH the channel with its ETag')
  const stale = await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: { ...operator, 'if-match': settingsTag }, payload: { name: 'Overwritten' } })
  status(t, stale, 412, 'PATCH the channel again with the same ETag')
  t.match(stale.json(), { status: 'error', code: 'PRECONDITION_FAILED' })
  const templateTag = await etagOf(app, `/api/channels/${channel.id}/template`)
  const template = (await app.inject({ url: `/api/channels/${channel.id}/template`, headers: viewer })).json().template
  status(t, await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: { ...operator, 'if-match': settingsTag }, payload: template }), 412, 'PUT the template with a stale ETag')
  status(t, await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: { ...operator, 'if-match': settingsTag }, payload: { from: DAY, to: DAY, seed: 'stale' } }), 412, 'a build with a stale ETag')
  status(t, await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: { ...operator, 'if-match': templateTag }, payload: template }), 200, 'PUT the template with the template\'s ETag')
  const now = (await app.inject({ url: `/api/channels/${channel.id}`, headers: viewer })).json().channel
  t.equal(now.name, 'Campus TV One', 'the stale PATCH changed nothing')
  t.equal((await app.inject({ url: eventsUrl, headers: viewer })).json().events.find((e: { id: string }) => e.id === event.id).title, 'Edited', 'nor did the stale event edit')
})

t.test('a schedule whose channel was deleted: its GET\'s tag still names the revision its edits check', async (t) => {
  // Deleting the channel changes the schedule's row (channel_ref) without a new revision: a
  // tag made from the row's change counter would be refused for ever after.
  const { app } = await buildTestApp(t)
  const id = await importSchedule(app)
  const { channel } = await setUpChannel(app)
  status(t, await app.inject({ method: 'PUT', url: `/api/schedules/${id}/channel`, headers: operator, payload: { channel_id: channel.id } }), 200, 'placed on the channel')
  status(t, await app.inject({ method: 'DELETE', url: `/api/channels/${channel.id}`, headers: bearer('admin') }), 200, 'the channel deleted')
  const tag = await etagOf(app, `/api/schedules/${id}/export?format=json`)
  const film = (await app.inject({ url: `/api/schedules/${id}`, headers: viewer })).json().events[1].id
  status(t, await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'if-match': tag }, payload: { title: 'Kept' } }), 200, 'PATCH with the export\'s ETag')
})

t.test('an If-Match that names no revision is a 400 naming the header, and nothing changes', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importSchedule(app)
  const { channel } = await setUpChannel(app)
  const film = (await app.inject({ url: `/api/schedules/${id}`, headers: viewer })).json().events[1].id
  for (const bad of ['seven', 'W/"x-abc"', '"1", "2"', '"1-"', '"-1"']) {
    const res = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'if-match': bad }, payload: { title: 'Bad' } })
    status(t, res, 400, `If-Match: ${bad}`)
    t.match(res.json(), { status: 'error', code: 'BAD_REQUEST', errors: [{ field: 'If-Match' }] })
    status(t, await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: { ...operator, 'if-match': bad }, payload: { name: 'Bad' } }), 400, `channel PATCH, If-Match: ${bad}`)
  }
  t.equal((await app.inject({ url: `/api/schedules/${id}`, headers: viewer })).json().schedule.revision, 1, 'nothing was written')
  t.equal((await app.inject({ url: `/api/channels/${channel.id}`, headers: viewer })).json().channel.name, 'Campus TV', 'nor to the channel')
})
