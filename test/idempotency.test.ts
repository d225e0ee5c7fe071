import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp, tempDir } from './helpers.js'
import { storeQuery, testDatabaseEnv } from './test-database.js'
import { CRASH_AFTER_COMMIT_FILE } from '../workers/storage/test-hooks.js'
import { cliEntry } from '../workers/project.js'
import { childEnv } from './helpers.js'

// Issue 8 item 13: a write with an Idempotency-Key is stored once; a repeat answers the first
// result. Real worker processes, a real SQLite file; the "ghost write" (stored, then the
// worker dies before answering) is made by the test-only crash-after-commit hook.

const operator = bearer('operator')
const admin = bearer('admin')

const scheduleDoc = (title: string): string => JSON.stringify({ schedule: [{ title, start: '2026-04-01T10:00:00Z', end: '2026-04-01T11:00:00Z' }] })

function importSchedule (app: FastifyInstance, title: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json', ...headers }, payload: scheduleDoc(title) })
}

const count = async (app: FastifyInstance): Promise<number> => (await app.inject({ url: '/api/schedules', headers: operator })).json().count

t.test('a repeat with the same key answers the first result without storing again', async (t) => {
  const { app } = await buildTestApp(t)
  const first = await importSchedule(app, 'News', { 'idempotency-key': 'import-1' })
  t.equal(first.statusCode, 201)
  t.notOk('idempotent-replayed' in first.headers, 'the first answer is not a replay')
  const again = await importSchedule(app, 'News', { 'idempotency-key': 'import-1' })
  t.equal(again.statusCode, 201, 'the first status')
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.same(again.json(), first.json(), 'the first answer, as it was')
  t.equal(await count(app), 1, 'stored once')

  const other = await importSchedule(app, 'Sport', { 'idempotency-key': 'import-1' })
  t.equal(other.statusCode, 422, 'the same key for another request')
  t.match(other.json(), { status: 'error', code: 'IDEMPOTENCY_KEY_REUSED', errors: [{ field: 'idempotency_key' }] })
  t.equal(await count(app), 1, 'nothing stored for it')

  const anotherCaller = await importSchedule(app, 'News', { ...admin, 'idempotency-key': 'import-1' })
  t.equal(anotherCaller.statusCode, 201, 'keys are per caller: another key id with the same Idempotency-Key is its own write')
  t.notOk('idempotent-replayed' in anotherCaller.headers)
  t.equal(await count(app), 2)

  const withoutKey = await importSchedule(app, 'News')
  t.equal(withoutKey.statusCode, 201, 'without a key every request writes')
  t.equal(await count(app), 3)
})

t.test('identical requests at once with one key store one copy', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_POOL_PRESPAWN: '4' })
  // Large enough that the four are parsed side by side, each before any has committed.
  const events = Array.from({ length: 5000 }, (_, i) => ({ title: `Twin ${i}`, start: new Date(Date.UTC(2026, 3, 1) + i * 3_600_000).toISOString(), end: new Date(Date.UTC(2026, 3, 1) + (i + 1) * 3_600_000).toISOString() }))
  const payload = JSON.stringify({ schedule: events })
  const all = await Promise.all([1, 2, 3, 4].map(() => app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json', 'idempotency-key': 'twin' }, payload })))
  t.same(all.map((r) => r.statusCode), [201, 201, 201, 201])
  t.equal(all.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 3, 'all but one are replays')
  t.equal(new Set(all.map((r) => r.json().schedule_id)).size, 1, 'all name the same schedule')
  t.equal(await count(app), 1, 'one copy stored')
})

t.test('every write takes a key: playlist import, auto-fill, deletes', async (t) => {
  const { app } = await buildTestApp(t)
  const m3u = '#EXTM3U\n#EXTINF:1800,A\nhttps://cdn.example/a.mp4\n#EXTINF:1800,B\nhttps://cdn.example/b.mp4\n'
  const importPlaylist = () => app.inject({ method: 'POST', url: '/api/playlists/import', headers: { ...operator, 'content-type': 'audio/x-mpegurl', 'idempotency-key': 'pl' }, payload: m3u })
  const playlist = await importPlaylist()
  const playlistAgain = await importPlaylist()
  t.equal(playlistAgain.headers['idempotent-replayed'], 'true')
  t.same(playlistAgain.json(), playlist.json())
  t.equal((await app.inject({ url: '/api/playlists', headers: operator })).json().count, 1)
  const playlistId = playlist.json().playlist.id as string

  // No seed: a second run would draw another one, so only a replay gives the same answer.
  const fill = () => app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: { ...operator, 'idempotency-key': 'fill:2026-05' }, payload: { playlist_id: playlistId, start_time: '2026-05-01T00:00:00Z', duration_hours: 6 } })
  const filled = await fill()
  t.equal(filled.statusCode, 201)
  const filledAgain = await fill()
  t.equal(filledAgain.statusCode, 201)
  t.equal(filledAgain.headers['idempotent-replayed'], 'true')
  t.same(filledAgain.json(), filled.json())
  t.equal(await count(app), 1)

  const dryRun = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: { ...operator, 'idempotency-key': 'dry' }, payload: { playlist_id: playlistId, start_time: '2026-05-01T00:00:00Z', duration_hours: 6, dry_run: true } })
  t.equal(dryRun.statusCode, 200, 'a dry run stores nothing, not even its key')
  const dryAgain = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: { ...operator, 'idempotency-key': 'dry' }, payload: { playlist_id: playlistId, start_time: '2026-05-01T00:00:00Z', duration_hours: 6, dry_run: true } })
  t.notOk('idempotent-replayed' in dryAgain.headers)

  const scheduleId = filled.json().schedule.id as string
  const deleteSchedule = (key: string) => app.inject({ method: 'DELETE', url: `/api/schedules/${scheduleId}`, headers: { ...admin, 'idempotency-key': key } })
  t.equal((await deleteSchedule('del-1')).statusCode, 200)
  const deletedAgain = await deleteSchedule('del-1')
  t.equal(deletedAgain.statusCode, 200, 'a repeated delete answers its first 200, not a 404')
  t.equal(deletedAgain.headers['idempotent-replayed'], 'true')
  t.equal((await deleteSchedule('del-2')).statusCode, 404, 'a new key sees that it is gone')
  t.equal((await deleteSchedule('del-2')).statusCode, 404, 'a 404 is not kept: nothing was written')

  const deletePlaylist = () => app.inject({ method: 'DELETE', url: `/api/playlists/${playlistId}`, headers: { ...admin, 'idempotency-key': 'del-pl' } })
  t.equal((await deletePlaylist()).statusCode, 200)
  t.equal((await deletePlaylist()).headers['idempotent-replayed'], 'true')

  await importSchedule(app, 'To clear')
  const clear = () => app.inject({ method: 'DELETE', url: '/api/schedules', headers: { ...admin, 'idempotency-key': 'clear' }, payload: { confirm: 'DELETE_ALL_SCHEDULES' } })
  t.match((await clear()).json(), { deleted: 1 })
  const cleared = await clear()
  t.equal(cleared.headers['idempotent-replayed'], 'true')
  t.match(cleared.json(), { deleted: 1 }, 'the first answer again')
})

t.test('a malformed Idempotency-Key is a 400 naming the header, and nothing is written', async (t) => {
  const { app } = await buildTestApp(t)
  const bad: [string, string | string[]][] = [
    ['empty', ''],
    ['129 characters', 'k'.repeat(129)],
    ['a space', 'two words'],
    ['a slash', 'a/b'],
    ['a comma', 'a,b'],
    ['non-ASCII', 'clé'],
    ['given twice', ['a', 'b']]
  ]
  for (const [what, key] of bad) {
    for (const res of [
      await importSchedule(app, 'Refused', { 'idempotency-key': key as string }),
      await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: { ...operator, 'idempotency-key': key }, payload: { links: [{ url: 'u' }], start_time: '2026-06-01T00:00:00Z', duration_hours: 1 } }),
      await app.inject({ method: 'POST', url: '/api/playlists/import', headers: { ...operator, 'content-type': 'audio/x-mpegurl', 'idempotency-key': key }, payload: '#EXTM3U\nhttps://cdn.example/x.mp4\n' })
    ]) {
      t.equal(res.statusCode, 400, `${what}: 400`)
      t.match(res.json(), { status: 'error', code: 'BAD_REQUEST', errors: [{ field: 'Idempotency-Key' }] }, `${what}: the header is named`)
    }
  }
  t.equal(await count(app), 0, 'no schedule stored')
  t.equal((await app.inject({ url: '/api/playlists', headers: operator })).json().count, 0, 'no playlist stored')
  const longest = await importSchedule(app, 'Longest key', { 'idempotency-key': 'A-z_0.9:'.repeat(16) })
  t.equal(longest.statusCode, 201, '128 characters of the allowed set are a key')
})

t.test('a write whose worker dies right after the commit: the 502 says to repeat with the key, and the repeat finds it stored once', async (t) => {
  const { app, config } = await buildTestApp(t)
  // The data dir exists only once SQLite made its file: on PostgreSQL it holds nothing but the hook.
  const arm = (): void => { mkdirSync(config.dataDir, { recursive: true }); writeFileSync(join(config.dataDir, CRASH_AFTER_COMMIT_FILE), '') }

  arm()
  const lost = await importSchedule(app, 'Ghost', { 'idempotency-key': 'ghost-1' })
  t.equal(lost.statusCode, 502, 'the worker died before it answered')
  t.match(lost.json().message, /may have been stored: repeat the request with the same Idempotency-Key/)
  t.match(lost.json(), { may_be_stored: true, revision_before: null }, 'the body says so too (a new schedule had no revision before it)')
  t.equal(await count(app), 1, 'yet the write was committed')
  const repeat = await importSchedule(app, 'Ghost', { 'idempotency-key': 'ghost-1' })
  t.equal(repeat.statusCode, 201, 'the repeat answers the stored write')
  t.equal(repeat.headers['idempotent-replayed'], 'true')
  const stored = (await app.inject({ url: '/api/schedules', headers: operator })).json().schedules
  t.equal(stored.length, 1, 'one copy in the database')
  t.equal(repeat.json().schedule_id, stored[0].id, 'and the answer names it')

  arm()
  const lostDelete = await app.inject({ method: 'DELETE', url: `/api/schedules/${stored[0].id as string}`, headers: { ...admin, 'idempotency-key': 'ghost-2' } })
  t.equal(lostDelete.statusCode, 502)
  const repeatDelete = await app.inject({ method: 'DELETE', url: `/api/schedules/${stored[0].id as string}`, headers: { ...admin, 'idempotency-key': 'ghost-2' } })
  t.equal(repeatDelete.statusCode, 200, 'the repeated delete learns it was done (not a 404)')
  t.equal(repeatDelete.headers['idempotent-replayed'], 'true')

  arm()
  const unkeyed = await importSchedule(app, 'Unkeyed ghost')
  t.equal(unkeyed.statusCode, 502)
  t.match(unkeyed.json().message, /may have been stored: check before repeating it, or send an Idempotency-Key/, 'without a key the client is told the write may be stored')
})

t.test('keys are kept 24 hours and pruned by later writes', async (t) => {
  const { app, config } = await buildTestApp(t)
  t.equal((await importSchedule(app, 'Old', { 'idempotency-key': 'old' })).statusCode, 201)
  t.equal((await importSchedule(app, 'Other', { 'idempotency-key': 'other' })).statusCode, 201)
  const age = (key: string, ms: number) => storeQuery(config, 'UPDATE idempotency_keys SET created_ms = ? WHERE key = ?', [Date.now() - ms, key])
  await age('old', 24 * 3_600_000 + 60_000)

  const reused = await importSchedule(app, 'New use of an expired key', { 'idempotency-key': 'old' })
  t.equal(reused.statusCode, 201, 'an expired key is free again: not a replay, not a 422')
  t.notOk('idempotent-replayed' in reused.headers)
  await age('other', 25 * 3_600_000)
  t.equal((await importSchedule(app, 'Any write')).statusCode, 201)
  t.same(await storeQuery(config, 'SELECT key FROM idempotency_keys ORDER BY key'), [{ key: 'old' }], 'the expired record was pruned by the next write')
})

t.test('by hand: m3upro takes --idempotency-key too', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'week.json')
  writeFileSync(file, scheduleDoc('By hand'))
  const database = await testDatabaseEnv(t)
  const env = { ...childEnv, SCHEDULEFLOW_DATA_DIR: join(dir, 'data'), ...database }
  const run = async (...args: string[]) => JSON.parse((await promisify(execFile)(process.execPath, [cliEntry, 'import-schedule', file, ...args], { env })).stdout)
  const first = await run('--idempotency-key', 'week-1')
  const again = await run('--idempotency-key', 'week-1')
  t.equal(again.result.idempotent_replayed, true, 'the repeat says it is a replay')
  t.equal(again.result.schedule_id, first.result.schedule_id)
  const stored = await storeQuery<{ n: number }>({ dataDir: join(dir, 'data'), databaseUrl: database.DATABASE_URL ?? null }, 'SELECT count(*) AS n FROM schedules')
  t.equal(stored[0].n, 1)
  await t.rejects(run('--idempotency-key', 'bad key'), 'a malformed key is refused by hand as well')
})
