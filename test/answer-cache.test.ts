import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'

// Issue 22 item 5: an answer is kept by its ETag (plugins/answer-cache.ts), so a read of
// something unchanged is the same bytes without a worker, with or without If-None-Match,
// and every write is seen by the next read. Real app, real pool, real database (both passes).

const viewer = bearer('viewer')
const operator = bearer('operator')
const admin = bearer('admin')

function schedule (title: string, events = 2): string {
  const start = Date.UTC(2026, 0, 5, 6)
  return JSON.stringify({
    metadata: { title },
    schedule: Array.from({ length: events }, (_, i) => ({
      title: `${title} part ${i + 1}`,
      start: new Date(start + i * 1_800_000).toISOString(),
      end: new Date(start + (i + 1) * 1_800_000).toISOString(),
      videoUrl: `https://cdn.example/${encodeURIComponent(title)}/${i}.mp4`
    }))
  })
}

async function importSchedule (app: FastifyInstance, title: string, events = 2): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json' }, payload: schedule(title, events) })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().schedule_id
}

const processed = (app: FastifyInstance): number => app.pool.stats().totals.processed

t.test('an unchanged answer read again is the same bytes and headers, and starts no worker', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importSchedule(app, 'Morning')
  const urls = ['/api/schedules', `/api/schedules/${id}`, `/api/schedules/${id}/export?format=xmltv`, '/api/schedules/export?format=m3u']
  for (const url of urls) {
    const first = await app.inject({ url, headers: viewer })
    t.equal(first.statusCode, 200, url)
    const before = processed(app)
    const again = await app.inject({ url, headers: viewer })
    t.equal(again.statusCode, 200, `${url}: a 200, not a 304 (no If-None-Match)`)
    t.equal(again.body, first.body, `${url}: the same body`)
    for (const header of ['content-type', 'content-disposition', 'etag']) t.equal(again.headers[header], first.headers[header], `${url}: the same ${header}`)
    t.equal(processed(app), before, `${url}: no worker ran for the second read`)
  }
  t.ok(app.answerCache.stats().hits >= urls.length)
  const head = await app.inject({ method: 'HEAD', url: '/api/schedules', headers: viewer })
  t.equal(head.statusCode, 200)
  t.not((await app.inject({ url: '/api/schedules', headers: viewer })).body, '', 'a HEAD never leaves an empty body for a GET')
})

t.test('every write is seen by the next read: the list and the export of all follow imports and deletes', async (t) => {
  const { app } = await buildTestApp(t)
  const ids: string[] = []
  const read = async (): Promise<{ titles: string[], xmltv: string }> => {
    const list = (await app.inject({ url: '/api/schedules', headers: viewer })).json()
    const xmltv = (await app.inject({ url: '/api/schedules/export?format=xmltv', headers: viewer })).body
    return { titles: list.schedules.map((s: { name: string }) => s.name).sort(), xmltv }
  }
  const expected: string[] = []
  for (let i = 0; i < 6; i++) {
    await read() // kept at this revision, then made stale by the write below
    const title = `Show ${i}`
    ids.push(await importSchedule(app, title))
    expected.push(title)
    const seen = await read()
    t.same(seen.titles, [...expected].sort(), `after import ${i}: the list has it`)
    t.match(seen.xmltv, `${title} part 1`, `after import ${i}: the export has it`)
    if (i % 2 === 1) {
      const gone = ids.shift()!
      t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${gone}`, headers: admin })).statusCode, 200)
      const goneTitle = expected.shift()!
      const after = await read()
      t.same(after.titles, [...expected].sort(), `after deleting ${goneTitle}: the list lost it`)
      t.notMatch(after.xmltv, `${goneTitle} part 1`, `after deleting ${goneTitle}: the export lost it`)
    }
  }
})

t.test('SCHEDULEFLOW_ANSWER_CACHE_MB=0: every read runs a worker', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_ANSWER_CACHE_MB: '0' })
  await importSchedule(app, 'Evening')
  await app.inject({ url: '/api/schedules', headers: viewer })
  const before = processed(app)
  await app.inject({ url: '/api/schedules', headers: viewer })
  t.equal(processed(app), before + 1)
  t.equal(app.answerCache.stats().hits, 0)
})

t.test('an answer over an eighth of the cache streams as usual and is not kept', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_ANSWER_CACHE_MB: '1' })
  const id = await importSchedule(app, 'Marathon', 1500)
  const url = `/api/schedules/${id}/export?format=xmltv`
  const first = await app.inject({ url, headers: viewer })
  t.ok(first.body.length > (1 << 20) / 8, `the document is over 128 KiB (${first.body.length} bytes)`)
  const before = processed(app)
  const again = await app.inject({ url, headers: viewer })
  t.equal(again.body, first.body, 'whole both times')
  t.equal(processed(app), before + 1, 'read again by a worker')
})

t.test('a channel\'s events follow a playlist\'s cooldown_hours: their marks read it (SPEC §15)', async (t) => {
  const { app } = await buildTestApp(t)
  const imported = await app.inject({ method: 'POST', url: '/api/playlists/import?name=Shorts', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: '#EXTM3U\n#EXTINF:600,One\nhttps://cdn.example/1.mp4\n' })
  const playlist = imported.json().playlist.id
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '5', name: 'Five', timezone: 'UTC' } })
  const url = `/api/channels/${created.json().channel.id}/events?from=2026-01-05&to=2026-01-05`
  const before = await app.inject({ url, headers: viewer })
  t.equal(before.statusCode, 200)
  const patched = await app.inject({ method: 'PATCH', url: `/api/playlists/${playlist}`, headers: operator, payload: { cooldown_hours: 2 } })
  t.equal(patched.statusCode, 200)
  const after = await app.inject({ url, headers: viewer })
  t.not(after.headers.etag, before.headers.etag, 'another tag: neither a 304 nor a kept answer hides the change')
})
