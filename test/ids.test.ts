import t from 'tap'
import { bearer, buildTestApp } from './helpers.js'

// Ids and names are values, never CLI options: a malformed id is a 404 answered before
// any worker runs, and a name that looks like an option is stored as given.

// Each as it appears in the URL path; '' only where a segment follows it.
const MALFORMED_IDS = ['--all', '-h', '--help', '--format=x', '..%2Fx', '%2e%2e', '..', 'x'.repeat(65), 'x'.repeat(100), 'x'.repeat(1000), '00000000-0000-0000-0000-00000000000g', '%20', '-']

const ROUTES: Array<{ method: 'GET' | 'DELETE', path: (id: string) => string, role: 'viewer' | 'admin', tail: boolean }> = [
  { method: 'GET', path: (id) => `/api/schedules/${id}`, role: 'viewer', tail: false },
  { method: 'GET', path: (id) => `/api/schedules/${id}/export?format=json`, role: 'viewer', tail: true },
  { method: 'DELETE', path: (id) => `/api/schedules/${id}`, role: 'admin', tail: false },
  { method: 'GET', path: (id) => `/api/playlists/${id}`, role: 'viewer', tail: false },
  { method: 'GET', path: (id) => `/api/playlists/${id}/export`, role: 'viewer', tail: true },
  { method: 'DELETE', path: (id) => `/api/playlists/${id}`, role: 'admin', tail: false }
]

const SCHEDULE = JSON.stringify({ name: 'Morning', events: [{ title: 'News', start: '2030-01-01T06:00:00Z', end: '2030-01-01T07:00:00Z' }] })

t.test('every route with :id answers a malformed id 404 NOT_FOUND, before any worker runs', async (t) => {
  const { app } = await buildTestApp(t)
  // Something an `--all` export or a `-h` help would have shown.
  t.equal((await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...bearer('operator'), 'content-type': 'application/json' }, payload: SCHEDULE })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/api/playlists/import', headers: { ...bearer('operator'), 'content-type': 'audio/x-mpegurl' }, payload: '#EXTM3U\n#EXTINF:60,One\nhttp://media.example/1.mp4\n' })).statusCode, 201)
  const processedBefore = app.pool.stats().totals.processed
  for (const route of ROUTES) {
    for (const id of [...MALFORMED_IDS, ...(route.tail ? [''] : [])]) {
      const res = await app.inject({ method: route.method, url: route.path(id), headers: bearer(route.role) })
      t.equal(res.statusCode, 404, `${route.method} ${route.path(id)}: 404`)
      t.match(res.json(), { status: 'error', code: 'NOT_FOUND', request_id: String }, `${route.method} ${route.path(id)}: the error shape`)
      t.notMatch(res.body, /usage: m3upro|"Morning"|#EXTM3U/, 'no help text and no document')
    }
  }
  t.equal(app.pool.stats().totals.processed, processedBefore, 'no worker ran for any of them')
})

t.test('an id of the right form that names nothing is a 404 from the worker', async (t) => {
  const { app } = await buildTestApp(t)
  for (const route of ROUTES) {
    const res = await app.inject({ method: route.method, url: route.path('0b7c3b8e-6a8f-4d47-9a51-9d1f1c2c5a11'), headers: bearer(route.role) })
    t.equal(res.statusCode, 404, `${route.method} ${route.path('…')}`)
    t.match(res.json(), { code: 'NOT_FOUND', message: /no (schedule|playlist) with id 0b7c3b8e/ })
  }
})

t.test('names and other query values that look like options are stored as given', async (t) => {
  const { app } = await buildTestApp(t)
  for (const name of ['--all', '-h', '--name=x', '--', '-']) {
    const playlist = await app.inject({ method: 'POST', url: `/api/playlists/import?name=${encodeURIComponent(name)}`, headers: { ...bearer('operator'), 'content-type': 'audio/x-mpegurl' }, payload: '#EXTM3U\n#EXTINF:60,One\nhttp://media.example/1.mp4\n' })
    t.equal(playlist.statusCode, 201, `playlist named ${name}`)
    t.equal(playlist.json().playlist.name, name)
    const schedule = await app.inject({ method: 'POST', url: `/api/schedules/import?format=json&name=${encodeURIComponent(name)}`, headers: { ...bearer('operator'), 'content-type': 'application/json' }, payload: SCHEDULE })
    t.equal(schedule.statusCode, 201, `schedule named ${name}`)
    t.equal(schedule.json().schedule.name, name)
  }
  const zone = await app.inject({ method: 'GET', url: `/api/schedules/export?format=${encodeURIComponent('--all')}`, headers: bearer('viewer') })
  t.equal(zone.statusCode, 400, 'a format that looks like an option is a bad format')
})
