import t from 'tap'
import { bearer, buildTestApp } from './helpers.js'
import { EXPORT_FORMATS, IMPORT_FORMATS } from '../contract/formats.js'
import type { Meta } from '../contract/format-schemas.js'

// The format registry end to end (contract/formats.ts): what GET /api/meta tells the panel is
// what the export routes take, each answering the media type and file ending it describes.

const viewer = bearer('viewer')
const operator = bearer('operator')

const week = {
  metadata: { title: 'Campus Week' },
  schedule: [
    { title: 'Morning News', start: '2025-11-24T07:00:00Z', end: '2025-11-24T08:00:00Z', videoUrl: 'https://cdn.example/news.mp4', category: 'News' },
    { title: 'Film', start: '2025-11-24T08:00:00Z', end: '2025-11-24T10:00:00Z', videoUrl: 'https://cdn.example/film.mp4', category: 'Film' }
  ]
}

t.test('every format GET /api/meta describes is exported by the routes of its targets, as described', async (t) => {
  const { app } = await buildTestApp(t)
  const metaAnswer = await app.inject('/api/meta')
  t.equal(metaAnswer.statusCode, 200, 'no key needed')
  const meta = metaAnswer.json<Meta>()
  t.same(meta.export_formats.map((f) => f.id), Object.keys(EXPORT_FORMATS), 'every export format, in order')
  t.same(meta.import_formats.map((f) => f.id), Object.keys(IMPORT_FORMATS), 'every import format')

  const imported = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json' }, payload: JSON.stringify(week) })
  t.equal(imported.statusCode, 201)
  const scheduleId = imported.json().schedule_id as string
  const channel = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '7', name: 'Campus TV', timezone: 'UTC' } })
  t.equal(channel.statusCode, 201)
  const channelId = channel.json().channel.id as string
  const placed = await app.inject({ method: 'PUT', url: `/api/schedules/${scheduleId}/channel`, headers: operator, payload: { channel_id: channelId } })
  t.equal(placed.statusCode, 200)

  const base = { schedule: `/api/schedules/${scheduleId}/export`, channel: `/api/channels/${channelId}/export` }
  for (const format of meta.export_formats) {
    const range = format.span === 'day' ? 'date=2025-11-24' : 'from=2025-11-24T00:00:00Z&to=2025-11-25T00:00:00Z'
    for (const target of ['schedule', 'channel'] as const) {
      const res = await app.inject({ url: `${base[target]}?format=${format.id}&${range}`, headers: viewer })
      if (!format.targets.includes(target)) {
        t.equal(res.statusCode, 400, `${target} ${format.id}: not one of its targets, refused`)
        t.match(res.json(), { errors: [{ field: 'format' }] })
        continue
      }
      t.equal(res.statusCode, 200, `${target} ${format.id}`)
      t.equal(res.headers['content-type'], format.media_type, `${target} ${format.id}: its media type`)
      t.match(res.headers['content-disposition'], new RegExp(`filename="[^"]*${format.extension.replace('.', '\\.')}"$`), `${target} ${format.id}: its file ending`)
      t.match(res.body, format.id === 'ersatztv' ? /news\.mp4/ : /Morning News/, `${target} ${format.id}: the events are in it`)
    }
  }
})
