import t, { type Test } from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp, waitFor, type LogCapture } from './helpers.js'
import { DB_FILE_NAME } from '../workers/storage/sqlite.js'
import { onPostgres, storeQuery } from './test-database.js'

// Issue 8 item 5: auto-fill computes outside the write lock and takes it only to re-check
// and store; dry runs take none; one fill may produce at most 100,000 events; a lock not
// had in time is a 503 STORAGE_BUSY, never a 500. Real worker processes, a real SQLite file.

const operator = bearer('operator')
const HOUR = 3_600_000

/** 99,200 events of 27 s over 31 days: a fill that computes for a while, just under the cap. */
const bigFill = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  links: Array.from({ length: 2000 }, (_, i) => ({ url: `https://cdn.example/big${i}.mp4`, title: `Big ${i}`, duration: 27 })),
  start_time: '2025-01-01T00:00:00Z',
  duration_hours: 744,
  cooldown_hours: 1,
  seed: 'big',
  ...extra
})

const smallSchedule = (title: string): string => JSON.stringify({ schedule: [{ title, start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z' }] })

function openDb (dataDir: string): Database.Database {
  return new Database(join(dataDir, DB_FILE_NAME), { readonly: true })
}

/** The worker's log line `msg` of request `reqId` (relayed into the API's log), once it is written. */
async function workerLine (t: Test, logs: LogCapture, reqId: string, msg: string): Promise<Record<string, unknown>> {
  const find = (): Record<string, unknown> | undefined => logs.forRequest(reqId).find((l) => l.msg === msg && l.source === 'worker')
  t.ok(await waitFor(() => find() !== undefined, 60_000), `${reqId}: "${msg}" logged`)
  return find()!
}

const importSchedule = (app: FastifyInstance, title: string, reqId: string) =>
  app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json', 'x-request-id': reqId }, payload: smallSchedule(title) })

// SQLite's own: the commit order is read from rowid, and SQLite's single writer lock is what is shown free.
t.test('a large fill computes without the write lock', { skip: onPostgres && 'SQLite-only: reads the commit order from SQLite\'s rowid' }, async (t) => {
  // Warm workers, so an import is not held up by a process start.
  const { app, config, logs } = await buildTestApp(t, { SCHEDULEFLOW_TASK_TIMEOUT_MS: '120000', SCHEDULEFLOW_POOL_PRESPAWN: '4' })
  const db = openDb(config.dataDir)
  t.teardown(() => db.close())

  await t.test('an import started while the fill computes is stored before the fill', async (t) => {
    const fill = app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: { ...operator, 'x-request-id': 'big-fill' }, payload: bigFill() })
    await workerLine(t, logs, 'big-fill', 'auto-fill computing')
    const imported = await importSchedule(app, 'Imported meanwhile', 'meanwhile')
    t.equal(imported.statusCode, 201)
    const filled = await fill
    t.equal(filled.statusCode, 201, filled.statusCode === 201 ? 'the fill is stored' : filled.body)
    // Rows of one table are numbered in the order their transactions committed.
    const order = (db.prepare('SELECT id FROM schedules ORDER BY rowid').all() as { id: string }[]).map((r) => r.id)
    t.same(order, [imported.json().schedule_id, filled.json().schedule.id], 'the import committed first')
    t.equal((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n, 99_201, 'both are stored whole')
  })

  await t.test('a dry run takes no write lock and stores nothing', async (t) => {
    // Over the window just filled: 99,200 stored plays to count for the cooldown.
    const snapshot = (): unknown => db.prepare('SELECT (SELECT count(*) FROM schedules) AS schedules, (SELECT count(*) FROM events) AS events, (SELECT group_concat(id) FROM schedules) AS ids').get()
    const stored = snapshot()
    const dry = app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: { ...operator, 'x-request-id': 'dry-fill' }, payload: bigFill({ dry_run: true, seed: 'dry', cooldown_hours: 0 }) })
    await workerLine(t, logs, 'dry-fill', 'auto-fill computing')
    const meanwhile = await importSchedule(app, 'During the dry run', 'during-dry')
    t.equal(meanwhile.statusCode, 201)
    const preview = await dry
    t.equal(preview.statusCode, 200)
    t.match(preview.json(), { dry_run: true, schedule: { id: null, event_count: 99_200 } })
    const committed = await workerLine(t, logs, 'during-dry', 'schedule imported')
    const computed = await workerLine(t, logs, 'dry-fill', 'auto-fill done')
    t.ok((committed.worker_time as number) < (computed.worker_time as number), 'the import was stored while the dry run was still computing: it did not wait for it')

    t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${meanwhile.json().schedule_id as string}`, headers: bearer('admin') })).statusCode, 200)
    t.same(snapshot(), stored, 'the dry run left the database as it was')
  })
})

t.test('concurrent fills of one playlist over one window on several processes never air a video inside the cooldown', async (t) => {
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_POOL_SIZE: '4', SCHEDULEFLOW_POOL_PRESPAWN: '4' })
  const lines = ['#EXTM3U']
  for (let i = 0; i < 300; i++) lines.push(`#EXTINF:900,Clip ${i}`, `https://cdn.example/clip${i}.mp4`)
  const playlist = await app.inject({ method: 'POST', url: '/api/playlists/import', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: lines.join('\n') })
  t.equal(playlist.statusCode, 201)
  const playlistId = playlist.json().playlist.id as string

  const cooldownHours = 48
  for (const round of [1, 2, 3]) {
    const start = `2025-0${round}-10T00:00:00Z`
    const fills = await Promise.all([1, 2, 3, 4].map((n) =>
      app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: { playlist_id: playlistId, start_time: start, duration_hours: 72, cooldown_hours: cooldownHours, when_exhausted: 'gap', seed: `${round}-${n}` } })))
    t.same(fills.map((f) => f.statusCode), [201, 201, 201, 201], `round ${round}: four fills stored`)
  }

  // Read back what is stored, not what was answered.
  const plays = await storeQuery<{ video_url: string, start_ms: number }>(config, 'SELECT video_url, start_ms FROM events ORDER BY video_url, start_ms')
  let violations = 0
  for (let i = 1; i < plays.length; i++) {
    if (plays[i].video_url === plays[i - 1].video_url && plays[i].start_ms - plays[i - 1].start_ms < cooldownHours * HOUR) violations++
  }
  t.ok(plays.length > 300, `${plays.length} plays stored in twelve fills`)
  t.equal(violations, 0, 'no video airs twice within 48 h across the stored schedules')
})

t.test('a fill that could produce more than 100,000 events is a 400 before any event is built', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const window = { start_time: '2025-01-01T00:00:00Z', duration_hours: 744 }
  const tinyPlaylist = await app.inject({ method: 'POST', url: '/api/playlists/import', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: '#EXTM3U\n#EXTINF:1,One second\nhttps://cdn.example/1s.mp4\n#EXTINF:0.001,A blip\nhttps://cdn.example/blip.mp4\n' })
  t.equal(tinyPlaylist.statusCode, 201)
  const cases: [string, Record<string, unknown>, string][] = [
    ['links of 26 s over 31 days', { ...window, links: [{ url: 'a', duration: 26 }, { url: 'b', duration: 600 }] }, '103,016'],
    ['links of a millisecond', { ...window, links: [{ url: 'a', duration: 0.001 }] }, '2,678,400,000'],
    ['a playlist with a 1 ms item', { ...window, playlist_id: tinyPlaylist.json().playlist.id }, '2,678,400,000'],
    ['a dry run is refused as well', { ...window, links: [{ url: 'a', duration: 1 }], dry_run: true }, '2,678,400']
  ]
  for (const [what, body, requested] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: { ...operator, 'x-request-id': `cap-${cases.findIndex((c) => c[0] === what)}` }, payload: body })
    t.equal(res.statusCode, 400, `${what}: 400`)
    t.match(res.json(), { status: 'error', code: 'FILL_TOO_LARGE', errors: [{ field: 'duration_hours' }] }, `${what}: the field is named`)
    t.match(res.json().message, '100,000', `${what}: the cap is said`)
    t.match(res.json().message, requested, `${what}: the requested count is said (${requested})`)
  }
  for (let i = 0; i < cases.length; i++) {
    const refused = await workerLine(t, logs, `cap-${i}`, 'command refused')
    t.ok((refused.max_rss_mb as number) < 300, `case ${i}: the worker refused it at ${refused.max_rss_mb as number} MB, without building the events`)
  }
  t.match((await app.inject({ url: '/api/schedules', headers: operator })).json(), { count: 0 }, 'nothing stored')

  const atTheCap = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: { ...window, links: [{ url: 'a', duration: 27 }, { url: 'b', duration: 27 }], cooldown_hours: 0, dry_run: true } })
  t.equal(atTheCap.statusCode, 200, 'just under the cap (99,200 events of 27 s) is filled')
  t.equal(atTheCap.json().schedule.event_count, 99_200)
})

t.test('a write that cannot get the lock in time answers 503 STORAGE_BUSY with retry-after, not a 500', { skip: onPostgres && 'SQLite-only: holds SQLite\'s write lock from outside (BEGIN IMMEDIATE)' }, async (t) => {
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_TASK_TIMEOUT_MS: '60000' })
  t.equal((await importSchedule(app, 'First', 'first')).statusCode, 201)
  // Another writer holds the lock past the workers' busy timeout (15 s).
  const holder = new Database(join(config.dataDir, DB_FILE_NAME))
  t.teardown(() => holder.close())
  holder.pragma('busy_timeout = 1000')
  holder.prepare('BEGIN IMMEDIATE').run()
  const blocked = await importSchedule(app, 'Blocked', 'blocked')
  holder.prepare('ROLLBACK').run()
  t.equal(blocked.statusCode, 503)
  t.equal(blocked.headers['retry-after'], '1')
  t.match(blocked.json(), { status: 'error', code: 'STORAGE_BUSY', message: /busy.*nothing was stored/ })
  t.notMatch(blocked.body, /SQLITE|database is locked/i, 'no raw database message')
  t.equal((await app.inject({ url: '/api/schedules', headers: operator })).json().count, 1, 'nothing of it was stored')
  t.equal((await importSchedule(app, 'Later', 'later')).statusCode, 201, 'a retry once the lock is free is stored')
})
