import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { storeQuery } from './test-database.js'

// Issue 11 item 2: one stable channel id per schedule, the same in the M3U export's tvg-id and
// the XMLTV export's channel id, so an IPTV client links the guide to the channel; it is stored
// with the schedule, so neither a rename nor another schedule of the same name changes it.

const operator = bearer('operator')
const PLEX_SAFE = /^[A-Za-z0-9.-]+$/

const week = (title: string): string => JSON.stringify({
  metadata: { title },
  schedule: [{ title: 'Morning News', start: '2025-11-24T07:00:00Z', end: '2025-11-24T07:30:00Z', videoUrl: 'https://cdn.example/news.mp4' }]
})

async function importWeek (app: FastifyInstance, title: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json' }, payload: week(title) })
  return res.json().schedule_id
}

async function exportedIds (app: FastifyInstance, url: string): Promise<{ tvgIds: string[], channelIds: string[], programmeChannels: string[] }> {
  const m3u = (await app.inject({ url: `${url}?format=m3u`, headers: operator })).body
  const xmltv = (await app.inject({ url: `${url}?format=xmltv`, headers: operator })).body
  return {
    tvgIds: [...m3u.matchAll(/tvg-id="([^"]*)"/g)].map((m) => m[1]),
    channelIds: [...xmltv.matchAll(/<channel id="([^"]*)"/g)].map((m) => m[1]),
    programmeChannels: [...xmltv.matchAll(/<programme [^>]*channel="([^"]*)"/g)].map((m) => m[1])
  }
}

t.test('the M3U tvg-id and the XMLTV channel id are one stable, Plex-safe id', async (t) => {
  const { app, config } = await buildTestApp(t)
  const first = await importWeek(app, 'Campus TV')
  const second = await importWeek(app, 'Campus TV')

  const one = await exportedIds(app, `/api/schedules/${first}/export`)
  t.same(one.tvgIds, ['campus-tv.scheduleflow'], 'M3U: a readable id from the name')
  t.same(one.channelIds, one.tvgIds, 'XMLTV: the same id')
  t.same(one.programmeChannels, one.tvgIds)
  const two = await exportedIds(app, `/api/schedules/${second}/export`)
  t.same(two.tvgIds, ['campus-tv-2.scheduleflow'], 'a second schedule of the same name gets its own id')
  t.same(two.channelIds, two.tvgIds)
  t.match((await app.inject({ url: `/api/schedules/${second}`, headers: operator })).json(), { schedule: { channel_id: 'campus-tv-2.scheduleflow' } }, 'the API names it')

  const all = await exportedIds(app, '/api/schedules/export')
  t.same(new Set(all.tvgIds), new Set(['campus-tv.scheduleflow', 'campus-tv-2.scheduleflow']), 'the export of all uses the same ids')
  t.same(new Set(all.channelIds), new Set(all.tvgIds))
  t.ok([...all.tvgIds, ...all.channelIds].every((id) => PLEX_SAFE.test(id)), 'letters, digits, dots and hyphens only')

  // A rename (as an edit of the schedule row does it) keeps the id; the guide shows the new name.
  await storeQuery(config, 'UPDATE schedules SET name = ? WHERE id = ?', ['Campus Television (HD)', first])
  const renamed = await exportedIds(app, `/api/schedules/${first}/export`)
  t.same(renamed.tvgIds, ['campus-tv.scheduleflow'], 'renamed: the M3U tvg-id is unchanged')
  t.same(renamed.channelIds, ['campus-tv.scheduleflow'], 'renamed: the XMLTV channel id is unchanged')
  t.match((await app.inject({ url: `/api/schedules/${first}/export?format=xmltv`, headers: operator })).body, '<display-name>Campus Television (HD)</display-name>')
  t.same((await exportedIds(app, `/api/schedules/${second}/export`)).tvgIds, ['campus-tv-2.scheduleflow'], 'and the other schedule keeps its own')
})

t.test('a name with nothing Plex-safe in it still gets a safe id', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importWeek(app, 'ニュース 24')
  const ids = await exportedIds(app, `/api/schedules/${id}/export`)
  t.same(ids.tvgIds, ['24.scheduleflow'])
  t.same(ids.channelIds, ids.tvgIds)
  const kana = await importWeek(app, 'ニュース')
  t.same((await exportedIds(app, `/api/schedules/${kana}/export`)).tvgIds, ['schedule.scheduleflow'])
})
