import t from 'tap'
import { bearer, buildTestApp } from './helpers.js'

// The auto-fill body goes to the worker as bytes (up to the upload cap), unparsed by
// the API: the worker parses it and names what it refuses.

const json = { ...bearer('operator'), 'content-type': 'application/json' }
const valid = { links: [{ url: 'http://media.example/1.mp4' }], start_time: '2030-06-01T00:00:00Z', duration_hours: 4 }

t.test('a 5 MB body of 12,000 links fills, dry run (200) and stored (201)', async (t) => {
  const { app } = await buildTestApp(t)
  const links = Array.from({ length: 12_000 }, (_, i) => ({ url: `http://media.example/films/${i}/${'p'.repeat(300)}.mp4`, title: `Film ${i}`, duration: 1800 }))
  const body = JSON.stringify({ links, start_time: '2030-06-01T00:00:00Z', duration_hours: 24 })
  t.ok(body.length > 4.5e6, `the body is ${(body.length / 1e6).toFixed(1)} MB`)
  const dry = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: json, payload: body.replace(/}$/, ',"dry_run":true}') })
  t.equal(dry.statusCode, 200, 'a dry run answers 200')
  t.match(dry.json(), { status: 'success', dry_run: true, schedule: { id: null, event_count: 48 } })
  const stored = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: json, payload: body })
  t.equal(stored.statusCode, 201)
  t.match(stored.json(), { status: 'success', dry_run: false, schedule: { id: String, event_count: 48 } })
})

t.test('malformed JSON is a 400 from the worker (BAD_JSON), not parsed by the API', async (t) => {
  const { app } = await buildTestApp(t)
  for (const payload of ['{"links": [', '{"start_time": "2030-06-01T00:00:00Z",\n  "duration_hours": 4,,}', '{\'single\': 1}']) {
    const res = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: json, payload })
    t.equal(res.statusCode, 400)
    t.match(res.json(), { status: 'error', code: 'BAD_JSON', message: /^malformed JSON/, request_id: String })
  }
})

t.test('everything the documented schema refuses is a 400 naming the field', async (t) => {
  const { app } = await buildTestApp(t)
  const cases: Array<[string, unknown, string]> = [
    ['a list body', [valid], 'body'],
    ['a text body', 'fill please', 'body'],
    ['a null body', null, 'body'],
    ['a link as text', { ...valid, links: ['http://media.example/1.mp4'] }, 'links.0'],
    ['a link without url', { ...valid, links: [{ title: 'x' }] }, 'links.0.url'],
    ['a numeric url', { ...valid, links: [{ url: 5 }] }, 'links.0.url'],
    ['a numeric title', { ...valid, links: [{ url: 'u', title: 7 }] }, 'links.0.title'],
    ['a list category', { ...valid, links: [{ url: 'u', category: ['a'] }] }, 'links.0.category'],
    ['a text duration', { ...valid, links: [{ url: 'u', duration: '60' }] }, 'links.0.duration'],
    ['links not a list', { ...valid, links: { url: 'u' } }, 'links'],
    ['a numeric playlist id', { ...valid, links: undefined, playlist_id: 5 }, 'playlist_id'],
    ['a numeric start', { ...valid, start_time: 1_900_000_000 }, 'start_time'],
    ['a text duration_hours', { ...valid, duration_hours: '4' }, 'duration_hours'],
    ['a text cooldown', { ...valid, cooldown_hours: '48' }, 'cooldown_hours'],
    ['a text shuffle', { ...valid, shuffle: 'yes' }, 'shuffle'],
    ['a numeric seed object', { ...valid, seed: { a: 1 } }, 'seed'],
    ['a text slot', { ...valid, slot_minutes: '30' }, 'slot_minutes'],
    ['a numeric timezone', { ...valid, timezone: 1 }, 'timezone'],
    ['an unknown exhausted mode', { ...valid, when_exhausted: 'repeat' }, 'when_exhausted'],
    ['a numeric dry_run', { ...valid, dry_run: 1 }, 'dry_run'],
    ['a numeric name', { ...valid, name: 5 }, 'name']
  ]
  for (const [what, body, field] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: json, payload: JSON.stringify(body) })
    t.equal(res.statusCode, 400, `${what}: 400`)
    t.ok((res.json().errors ?? []).some((e: { field?: string }) => e.field === field), `${what}: names ${field} (${res.json().message})`)
  }
  t.match((await app.inject({ url: '/api/schedules', headers: bearer('viewer') })).json(), { count: 0 }, 'nothing stored')
})

t.test('the OpenAPI document still describes the auto-fill body', async (t) => {
  const { app } = await buildTestApp(t)
  const spec = (await app.inject({ url: '/docs/json' })).json()
  const body = spec.paths['/api/schedules/auto-fill'].post.requestBody.content['application/json'].schema
  t.match(body, { type: 'object', required: ['start_time', 'duration_hours'], properties: { links: { type: 'array' }, dry_run: { type: 'boolean' } } })
})
