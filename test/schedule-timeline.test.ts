import t from 'tap'
import { bearer, buildTestApp } from './helpers.js'

// GET /api/schedules/:id?fields=timeline: the panel's compact shape (issue 10 item 5). Its
// columns must say the same as the full answer, event for event, with the warning marks.

const viewer = bearer('viewer')

const week = {
  metadata: { title: 'Timeline week' },
  schedule: [
    { title: 'Morning News', start: '2025-11-24T07:00:00Z', end: '2025-11-24T08:00:00Z', videoUrl: 'https://cdn.example/news.mp4', category: 'News', tags: ['live'], description: 'long text the timeline does not draw' },
    { title: 'Cartoons', start: '2025-11-24T08:00:00Z', end: '2025-11-24T09:00:00Z', videoUrl: 'https://cdn.example/toons.mp4' },
    { title: 'Clashing Film', start: '2025-11-24T08:30:00Z', end: '2025-11-24T10:00:00Z', videoUrl: 'https://cdn.example/film.mp4', category: 'Film' },
    { title: 'Replay News', start: '2025-11-25T07:00:00Z', end: '2025-11-25T08:00:00Z', videoUrl: 'https://cdn.example/news.mp4' }
  ]
}

interface FullEvent { id: string, title: string, start: string, end: string, category: string | null, video_url: string | null, channel: string | null }

t.test('fields=timeline answers the same events as columns, with their warning marks', async (t) => {
  const { app } = await buildTestApp(t)
  const imported = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...bearer('operator'), 'content-type': 'application/json' }, payload: JSON.stringify(week) })
  t.equal(imported.statusCode, 201)
  const id = imported.json().schedule_id as string

  for (const range of ['', '?from=2025-11-24T08:45:00Z&to=2025-11-25T07:30:00Z']) {
    const full = (await app.inject({ url: `/api/schedules/${id}${range}`, headers: viewer })).json()
    const res = await app.inject({ url: `/api/schedules/${id}${range}${range ? '&' : '?'}fields=timeline`, headers: viewer })
    t.equal(res.statusCode, 200)
    const { schedule, events } = res.json()
    t.same(schedule, full.schedule, `${range || 'whole'}: the schedule part is the full answer's (warnings included)`)
    t.same(Object.keys(events).sort(), ['category', 'channel', 'count', 'end_ms', 'id', 'marks', 'start_ms', 'title', 'video_url'], 'only what the timeline draws')
    t.equal(events.count, full.events.length)
    const rows = (full.events as FullEvent[]).map((_, i) => ({
      id: events.id[i],
      title: events.title[i],
      start: new Date(events.start_ms[i]).toISOString(),
      end: new Date(events.end_ms[i]).toISOString(),
      category: events.category[i],
      video_url: events.video_url[i],
      channel: events.channel[i]
    }))
    t.same(rows, (full.events as FullEvent[]).map(({ id, title, start, end, category, video_url: videoUrl, channel }) => ({ id, title, start, end, category, video_url: videoUrl, channel })), 'index i of every column is event i of the full answer')
  }

  const { events } = (await app.inject({ url: `/api/schedules/${id}?fields=timeline`, headers: viewer })).json()
  const marksOf = Object.fromEntries((events.title as string[]).map((title, i) => [title, events.marks[i] as number]))
  t.same(marksOf, { 'Morning News': 0, Cartoons: 1, 'Clashing Film': 1, 'Replay News': 2 }, 'bit 1: in an overlap the import reported; bit 2: a replay inside the cooldown')

  const etag = async (query: string): Promise<string> => String((await app.inject({ url: `/api/schedules/${id}${query}`, headers: viewer })).headers.etag)
  const timelineTag = await etag('?fields=timeline')
  t.not(timelineTag, await etag(''), 'the columns and the full answer never share an ETag (a cache would swap them)')
  t.not(timelineTag, await etag('?fields=full'))
  const revalidated = await app.inject({ url: `/api/schedules/${id}?fields=timeline`, headers: { ...viewer, 'if-none-match': timelineTag } })
  t.equal(revalidated.statusCode, 304, 'the panel revalidates its week with its own tag')
})

t.test('a fields value other than full or timeline is a 400 naming the field, whatever it is', async (t) => {
  const { app } = await buildTestApp(t)
  const imported = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...bearer('operator'), 'content-type': 'application/json' }, payload: JSON.stringify(week) })
  const id = imported.json().schedule_id as string
  for (const query of ['fields=', 'fields=TIMELINE', 'fields=timeline,full', 'fields=title', 'fields=timeline&fields=full', 'fields=%00', `fields=${'x'.repeat(500)}`]) {
    const res = await app.inject({ url: `/api/schedules/${id}?${query}`, headers: viewer })
    t.equal(res.statusCode, 400, query.slice(0, 40))
    t.match(res.json(), { status: 'error', code: String, message: /fields/, request_id: String }, `${query.slice(0, 40)}: the error shape names fields`)
  }
})
