import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist } from './channel-fixtures.js'
import { runM3upro } from './workers.js'
import { MAX_COOLDOWN_HOURS } from '../contract/limits.js'

// SPEC §15, issue 24 item 2: playlists are living sources. PUT /api/playlists/:id replaces a
// playlist's items in place (same id, guide, cooldown; name unless given) from the bodies the
// import takes, in one transaction; PATCH sets guide and cooldown_hours as a merge patch; the
// CLI does both; and a sequential block goes on with the episode added (E07 after E06), the
// build saying nothing about a restart.

// Real worker processes and the CLI by hand (each run opens the store): more than the default 120 s on a loaded machine.
t.setTimeout(300_000)

const operator = bearer('operator')
const viewer = bearer('viewer')
const M3U = { ...operator, 'content-type': 'audio/x-mpegurl' }
const MISSING = '00000000-0000-4000-8000-000000000000'

/** Episodes E01…E0n of "Harbour Lights", 25 minutes each, the same URLs whatever n is. */
function episodes (n: number, extra = ''): string {
  const lines = ['#EXTM3U x-tvg-url="https://guide.example/epg.xml"']
  for (let i = 1; i <= n; i++) lines.push(`#EXTINF:1500 group-title="Series",Harbour Lights E0${i}${extra}`, `https://cdn.example/harbour/e0${i}.mp4`)
  return lines.join('\n') + '\n'
}

const read = async (app: FastifyInstance, id: string) => (await app.inject({ url: `/api/playlists/${id}`, headers: viewer })).json()
const titles = (detail: { items: Array<{ title: string }> }): string[] => detail.items.map((i) => i.title)

t.test('PUT /api/playlists/:id replaces the items in place; a refused body or an unknown id changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importPlaylist(app, episodes(6), 'harbour')
  t.equal((await app.inject({ method: 'PATCH', url: `/api/playlists/${id}`, headers: operator, payload: { guide: 'own', cooldown_hours: 72 } })).statusCode, 200)
  const etag = (await app.inject({ url: `/api/playlists/${id}`, headers: viewer })).headers.etag as string

  const put = await app.inject({ method: 'PUT', url: `/api/playlists/${id}`, headers: M3U, payload: episodes(7) })
  t.equal(put.statusCode, 200, put.body)
  t.match(put.json(), { status: 'success', playlist: { id, name: 'harbour', item_count: 7, guide: 'own', cooldown_hours: 72 }, warnings: [] }, 'answered like the import: same id, name, guide and cooldown; the new count')
  const after = await read(app, id)
  t.same(titles(after), ['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07'].map((e) => `Harbour Lights ${e}`), 'the new items, in order')
  t.same(after.playlist.attributes, { 'x-tvg-url': 'https://guide.example/epg.xml' })
  t.equal((await app.inject({ url: '/api/playlists', headers: viewer })).json().count, 1, 'no second playlist')
  t.equal((await app.inject({ url: `/api/playlists/${id}`, headers: { ...viewer, 'if-none-match': etag } })).statusCode, 200, 'a reader\'s cached copy is stale')

  const renamed = await app.inject({ method: 'PUT', url: `/api/playlists/${id}?name=${encodeURIComponent('Harbour Lights S1')}`, headers: M3U, payload: episodes(7, ' (HD)') })
  t.match(renamed.json(), { playlist: { id, name: 'Harbour Lights S1', item_count: 7 } }, 'a name given renames it')
  // A multipart file, as the import takes.
  const form = `--b\r\nContent-Disposition: form-data; name="file"; filename="h.m3u"\r\nContent-Type: audio/x-mpegurl\r\n\r\n${episodes(5)}\r\n--b--\r\n`
  const multipart = await app.inject({ method: 'PUT', url: `/api/playlists/${id}`, headers: { ...operator, 'content-type': 'multipart/form-data; boundary=b' }, payload: form })
  t.match(multipart.json(), { playlist: { id, name: 'Harbour Lights S1', item_count: 5 } }, 'a multipart file')

  const before = await read(app, id)
  const refused: Array<[string, string, number, string]> = [
    ['empty', '', 400, 'EMPTY_PLAYLIST'],
    ['no entry', '#EXTM3U\n# nothing\n', 400, 'EMPTY_PLAYLIST'],
    ['JSON, not a playlist', '{"items":[1,2]}', 400, 'UNKNOWN_FORMAT']
  ]
  for (const [what, body, status, code] of refused) {
    const res = await app.inject({ method: 'PUT', url: `/api/playlists/${id}`, headers: M3U, payload: body })
    t.equal(res.statusCode, status, `${what}: ${res.body}`)
    t.match(res.json(), { status: 'error', code, message: String, request_id: String }, `${what}: the import's refusal`)
  }
  t.equal((await app.inject({ method: 'PUT', url: `/api/playlists/${id}?name=${encodeURIComponent('a\u0007b')}`, headers: M3U, payload: episodes(2) })).statusCode, 400, 'a name with a control character')
  t.equal((await app.inject({ method: 'PUT', url: `/api/playlists/${id}`, headers: { ...viewer, 'content-type': 'audio/x-mpegurl' }, payload: episodes(2) })).statusCode, 403, 'a viewer may not')
  t.same(await read(app, id), before, 'every refused body left the playlist as it was')

  for (const unknown of [MISSING, 'not-an-id']) {
    const res = await app.inject({ method: 'PUT', url: `/api/playlists/${unknown}`, headers: M3U, payload: episodes(2) })
    t.equal(res.statusCode, 404, unknown)
    t.match(res.json(), { status: 'error', code: 'NOT_FOUND' })
  }
  t.equal((await app.inject({ url: '/api/playlists', headers: viewer })).json().count, 1, 'an unknown id made no playlist')
})

t.test('PUT with an Idempotency-Key: a repeat answers the first replacement, another body under the key is refused', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importPlaylist(app, episodes(3), 'harbour')
  const put = (body: string) => app.inject({ method: 'PUT', url: `/api/playlists/${id}`, headers: { ...M3U, 'idempotency-key': 'replace-1' }, payload: body })
  const first = await put(episodes(4))
  const again = await put(episodes(4))
  t.same(again.json(), first.json())
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal((await put(episodes(5))).statusCode, 422, 'the key reused for another document')
  t.equal((await read(app, id)).items.length, 4)
})

t.test('PATCH /api/playlists/:id: guide and cooldown_hours, each optional, a field left out stays', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await importPlaylist(app, episodes(2), 'harbour')
  const patch = (body: unknown) => app.inject({ method: 'PATCH', url: `/api/playlists/${id}`, headers: operator, payload: body as Record<string, unknown> })
  const summary = async () => (await read(app, id)).playlist
  t.match(await summary(), { guide: null, cooldown_hours: null }, 'a new playlist: the default rules')
  t.match((await patch({ guide: 'hide' })).json(), { playlist: { guide: 'hide', cooldown_hours: null } })
  t.match((await patch({ cooldown_hours: 12.5 })).json(), { playlist: { id, guide: 'hide', cooldown_hours: 12.5 } }, 'a cooldown-only patch keeps the guide')
  t.match((await patch({ guide: null })).json(), { playlist: { guide: null, cooldown_hours: 12.5 } }, 'a guide-only patch keeps the cooldown')
  t.match((await patch({ cooldown_hours: 0, guide: 'meld' })).json(), { playlist: { guide: 'meld', cooldown_hours: 0 } }, 'both at once; 0 is a cooldown')
  t.match((await app.inject({ url: '/api/playlists', headers: viewer })).json(), { playlists: [{ id, guide: 'meld', cooldown_hours: 0 }] }, 'the list answers it')
  t.match((await patch({ cooldown_hours: null })).json(), { playlist: { guide: 'meld', cooldown_hours: null } }, 'null: back to the template\'s rule')
  for (const bad of [{}, { cooldown_hours: -1 }, { cooldown_hours: MAX_COOLDOWN_HOURS + 1 }, { cooldown_hours: '12' }, { cooldown_hours: 5, name: 'x' }]) {
    const res = await patch(bad)
    t.equal(res.statusCode, 400, JSON.stringify(bad))
    t.match(res.json(), { status: 'error', code: String, request_id: String, errors: [{ field: String }] }, `${JSON.stringify(bad)}: the field named`)
  }
  t.equal((await app.inject({ method: 'PATCH', url: `/api/playlists/${MISSING}`, headers: operator, payload: { cooldown_hours: 4 } })).statusCode, 404)
  t.match(await summary(), { guide: 'meld', cooldown_hours: null }, 'unchanged by the refused requests')
})

t.test('by hand: replace-playlist and set-playlist (set-playlist-guide still works)', async (t) => {
  const { app, config } = await buildTestApp(t)
  const id = await importPlaylist(app, episodes(2), 'harbour')
  const env: Record<string, string> = config.databaseUrl === null ? {} : { DATABASE_URL: config.databaseUrl }
  const cli = (args: string[], input = '') => runM3upro(config.dataDir, args, input, env)
  const replaced = cli(['replace-playlist', `--playlist=${id}`, '--name=By hand'], episodes(3))
  t.equal(replaced.code, 0, replaced.stderr)
  t.match(JSON.parse(replaced.stdout).result, { status: 'success', playlist: { id, name: 'By hand', item_count: 3 } })
  const refused = cli(['replace-playlist', `--playlist=${id}`], '#EXTM3U\n')
  t.equal(refused.code, 2, 'a refused document exits 2')
  t.match(JSON.parse(refused.stdout).error, { code: 'EMPTY_PLAYLIST' })
  t.equal((await read(app, id)).items.length, 3, 'it did not change it')
  t.match(JSON.parse(cli(['set-playlist', '--cooldown-hours=24', '--', id]).stdout).result, { playlist: { cooldown_hours: 24, guide: null } })
  t.match(JSON.parse(cli(['set-playlist-guide', '--guide=own', '--', id]).stdout).result, { playlist: { cooldown_hours: 24, guide: 'own' } }, 'the first name, still working')
  t.match(JSON.parse(cli(['set-playlist', '--cooldown-hours=default', '--', id]).stdout).result, { playlist: { cooldown_hours: null, guide: 'own' } })
  t.equal(cli(['set-playlist', '--cooldown-hours=lots', '--', id]).code, 2, 'not a number')
})

t.test('a sequential block goes on with the episode added to its playlist: E07 after E06, no restart', async (t) => {
  const { app } = await buildTestApp(t)
  const series = await importPlaylist(app, episodes(6), 'harbour')
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '24', name: 'Harbour TV', timezone: 'Europe/London' } })
  t.equal(created.statusCode, 201, created.body)
  const channel = created.json().channel.id as string
  // One episode a day at 18:00.
  const template = { blocks: [{ id: 'series', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '18:00', end: '18:25', source: { playlist: series }, order: 'sequential', fill: 'gap' }] }
  t.equal((await app.inject({ method: 'PUT', url: `/api/channels/${channel}/template`, headers: operator, payload: template })).statusCode, 200)
  const build = async (from: string, to: string) => {
    const res = await app.inject({ method: 'POST', url: `/api/channels/${channel}/build`, headers: operator, payload: { from, to } })
    t.equal(res.statusCode, 201, res.body)
    return res.json() as { warnings: Array<{ code: string }> }
  }
  const aired = async (from: string, to: string): Promise<string[]> =>
    (await app.inject({ url: `/api/channels/${channel}/events?from=${from}T00:00:00&to=${to}T00:00:00`, headers: viewer })).json().events.map((e: { title: string }) => e.title)

  await build('2026-05-04', '2026-05-09')
  t.same(await aired('2026-05-04', '2026-05-10'), [1, 2, 3, 4, 5, 6].map((n) => `Harbour Lights E0${n}`), 'six days, E01 to E06')

  const put = await app.inject({ method: 'PUT', url: `/api/playlists/${series}`, headers: M3U, payload: episodes(7) })
  t.equal(put.statusCode, 200, put.body)
  const next = await build('2026-05-10', '2026-05-10')
  t.same(await aired('2026-05-10', '2026-05-11'), ['Harbour Lights E07'], 'the new episode airs next, not E01')
  t.notOk(next.warnings.some((w) => w.code === 'SEQUENTIAL_RESTARTED'), 'and the build says nothing of a restart')
})
