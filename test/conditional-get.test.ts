import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { cliEntry } from '../workers/project.js'
import { bearer, buildTestApp, tempDir } from './helpers.js'
import { childEnv } from './helpers.js'

// Issue 10 item 3: what guide clients poll answers an ETag, and If-None-Match with the
// current one is a 304 that starts no worker; every write changes the ETag of exactly the
// answers it touches. Real server, real pool, real SQLite file, the real CLI by hand.

const viewer = bearer('viewer')
const operator = bearer('operator')
const admin = bearer('admin')

function week (title: string, day = 24): string {
  return JSON.stringify({
    metadata: { title },
    schedule: [
      { title: `${title} news`, start: `2025-11-${day}T07:00:00Z`, end: `2025-11-${day}T08:00:00Z`, videoUrl: 'https://cdn.example/news.mp4' },
      { title: `${title} film`, start: `2025-11-${day}T08:00:00Z`, end: `2025-11-${day}T10:00:00Z`, videoUrl: 'https://cdn.example/film.mp4' }
    ]
  })
}

const M3U = '#EXTM3U\n#EXTINF:1800,One\nhttps://cdn.example/1.mp4\n#EXTINF:1800,Two\nhttps://cdn.example/2.mp4\n'

async function importSchedule (app: FastifyInstance, title: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json' }, payload: week(title) })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().schedule_id
}

async function importPlaylist (app: FastifyInstance, name: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `/api/playlists/import?name=${name}`, headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: M3U })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().playlist.id
}

/** The ETag a client gets for `url` now (undefined when the answer is not a 200 or has none). */
async function tagOf (app: FastifyInstance, url: string): Promise<string | undefined> {
  const res = await app.inject({ url, headers: viewer })
  return res.statusCode === 200 ? res.headers.etag as string | undefined : undefined
}

/** Every URL's ETag now. */
async function tags (app: FastifyInstance, urls: Record<string, string>): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {}
  for (const [name, url] of Object.entries(urls)) out[name] = await tagOf(app, url)
  return out
}

/** The names whose ETag differs between two snapshots. */
const changed = (before: Record<string, string | undefined>, after: Record<string, string | undefined>): string[] =>
  Object.keys(before).filter((name) => before[name] !== after[name]).sort()

t.test('If-None-Match with the current ETag: 304, empty, and no worker runs', async (t) => {
  const { app } = await buildTestApp(t)
  const a = await importSchedule(app, 'A')
  const p = await importPlaylist(app, 'P')
  const urls = [
    '/api/schedules',
    `/api/schedules/${a}`,
    `/api/schedules/${a}?from=2025-11-24T07:30:00Z`,
    `/api/schedules/${a}/export?format=xmltv`,
    `/api/schedules/${a}/export`,
    '/api/schedules/export?format=xmltv',
    '/api/playlists',
    `/api/playlists/${p}`,
    `/api/playlists/${p}/export`
  ]
  for (const url of urls) {
    const first = await app.inject({ url, headers: viewer })
    t.equal(first.statusCode, 200, url)
    const etag = first.headers.etag as string
    t.match(etag, /^W\/"\d+-[A-Za-z0-9_-]+"$/, `${url}: a weak ETag`)
    const processed = app.pool.stats().totals.processed
    for (const ifNoneMatch of [etag, etag.slice(2), `"something-else", ${etag}`, '*']) {
      const again = await app.inject({ url, headers: { ...viewer, 'if-none-match': ifNoneMatch } })
      t.equal(again.statusCode, 304, `${url} with If-None-Match: ${ifNoneMatch}`)
      t.equal(again.body, '', 'no body')
      t.equal(again.headers.etag, etag, 'the same ETag')
    }
    t.equal(app.pool.stats().totals.processed, processed, `${url}: no worker ran for the 304s`)
    const stale = await app.inject({ url, headers: { ...viewer, 'if-none-match': 'W/"1-stale"' } })
    t.equal(stale.statusCode, 200, 'another tag: the whole answer')
    t.equal(stale.body, first.body, 'the same document')
    t.equal(stale.headers.etag, etag)
  }
  t.equal((await app.inject({ url: `/api/schedules/${a}/export`, headers: { 'if-none-match': '*' } })).statusCode, 401, 'a conditional request needs its key like any other')
})

t.test('different documents never share an ETag', async (t) => {
  const { app } = await buildTestApp(t)
  const a = await importSchedule(app, 'A')
  const b = await importSchedule(app, 'B')
  const p = await importPlaylist(app, 'P')
  const urls = [
    ...['xml', 'json', 'm3u', 'xmltv', 'ffplayout', 'casparcg'].map((f) => `/api/schedules/${a}/export?format=${f}`),
    `/api/schedules/${a}/export?format=xmltv&from=2025-11-24T07:30:00Z`,
    `/api/schedules/${a}/export?format=xmltv&to=2025-11-24T07:30:00Z`,
    `/api/schedules/${a}/export?format=xmltv&from=2025-11-24T07:30:00&timezone=Europe/Paris`,
    `/api/schedules/${a}/export?format=ffplayout&date=2025-11-24`,
    `/api/schedules/${a}/export?format=ffplayout&date=2025-11-24&timezone=Europe/Paris`,
    `/api/schedules/${b}/export?format=xmltv`,
    ...['xml', 'xmltv', 'm3u'].map((f) => `/api/schedules/export?format=${f}`),
    '/api/schedules',
    `/api/schedules/${a}`,
    `/api/schedules/${a}?from=2025-11-24T07:30:00Z`,
    `/api/schedules/${b}`,
    '/api/playlists',
    `/api/playlists/${p}`,
    `/api/playlists/${p}/export`
  ]
  const seen = new Map<string, string>()
  for (const url of urls) {
    const etag = await tagOf(app, url)
    if (etag === undefined) { t.fail(`${url}: no ETag`); continue }
    t.notOk(seen.has(etag), `${url} has its own ETag${seen.has(etag) ? ` (shared with ${seen.get(etag)})` : ''}`)
    seen.set(etag, url)
  }
})

t.test('each write changes the ETag of exactly the answers it touches; the CLI by hand too', async (t) => {
  const { app, config } = await buildTestApp(t)
  const a = await importSchedule(app, 'A')
  const b = await importSchedule(app, 'B')
  const p = await importPlaylist(app, 'P')
  const urls = {
    list: '/api/schedules',
    all: '/api/schedules/export?format=xmltv',
    a: `/api/schedules/${a}`,
    aXmltv: `/api/schedules/${a}/export?format=xmltv`,
    aM3u: `/api/schedules/${a}/export?format=m3u`,
    bXmltv: `/api/schedules/${b}/export?format=xmltv`,
    playlists: '/api/playlists',
    p: `/api/playlists/${p}`,
    pExport: `/api/playlists/${p}/export`
  }
  let before = await tags(app, urls)
  t.notOk(Object.values(before).includes(undefined), 'every answer has an ETag')

  const step = async (what: string, write: () => Promise<void>, expected: string[]): Promise<void> => {
    await write()
    const after = await tags(app, urls)
    t.same(changed(before, after), expected.sort(), expected.length === 0 ? `${what} changes no ETag` : `${what} changes the ETags of ${expected.join(', ')} and no other`)
    // The new ETag is current: revalidating with it is a 304 again.
    for (const name of expected) {
      if (after[name] === undefined) continue
      t.equal((await app.inject({ url: urls[name as keyof typeof urls], headers: { ...viewer, 'if-none-match': after[name] } })).statusCode, 304, `${name}: the new ETag revalidates`)
    }
    before = after
  }

  // A schedule's own answer carries warnings worked out against every schedule (issue 11 item 12):
  // any schedule write changes its ETag; its exports change only with it.
  await step('an import', async () => { await importSchedule(app, 'C') }, ['list', 'all', 'a'])
  await step('an auto-fill', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: { playlist_id: p, start_time: '2025-12-01T00:00:00Z', duration_hours: 2, seed: 1 } })
    t.equal(res.statusCode, 201, 'the fill is stored')
  }, ['list', 'all', 'a'])
  await step('a dry-run auto-fill (stores nothing)', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: { playlist_id: p, start_time: '2025-12-01T00:00:00Z', duration_hours: 2, dry_run: true } })
    t.equal(res.statusCode, 200, 'the dry run answers')
  }, [])
  await step('a refused import (nothing stored)', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json' }, payload: '{"schedule":[{"title":"x"}]}' })
    t.equal(res.statusCode, 400, 'the import is refused')
  }, [])
  await step('a playlist import', async () => { await importPlaylist(app, 'Q') }, ['playlists'])
  await step('an import by hand with the CLI, same data dir', async () => {
    const file = join(tempDir(t), 'week.json')
    writeFileSync(file, week('By hand', 26))
    const run = spawnSync(process.execPath, [cliEntry, 'import-schedule', file], { env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: config.dataDir, ...(config.databaseUrl === null ? {} : { DATABASE_URL: config.databaseUrl }) }, encoding: 'utf8' })
    t.equal(run.status, 0, 'the CLI imports')
  }, ['list', 'all', 'a'])
  await step('a delete of another schedule', async () => {
    t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${b}`, headers: admin })).statusCode, 200)
  }, ['list', 'all', 'a', 'bXmltv'])
  t.equal(before.bXmltv, undefined, 'the deleted schedule answers no ETag (it is a 404)')
  const gone = await app.inject({ url: urls.bXmltv, headers: { ...viewer, 'if-none-match': '*' } })
  t.equal(gone.statusCode, 404, 'If-None-Match: * on a deleted schedule is its 404, not a 304')
  t.equal(gone.headers.etag, undefined, 'an error answer has no ETag')
  await step('a playlist delete', async () => {
    t.equal((await app.inject({ method: 'DELETE', url: `/api/playlists/${p}`, headers: admin })).statusCode, 200)
  }, ['playlists', 'p', 'pExport'])
  await step('a delete of every schedule', async () => {
    t.equal((await app.inject({ method: 'DELETE', url: '/api/schedules', headers: admin, payload: { confirm: 'DELETE_ALL_SCHEDULES' } })).statusCode, 200)
  }, ['list', 'all', 'a', 'aXmltv', 'aM3u'])
})

t.test('a refused query answers its 400 without an ETag', async (t) => {
  const { app } = await buildTestApp(t)
  const a = await importSchedule(app, 'A')
  const bad = await app.inject({ url: `/api/schedules/${a}/export?format=xmltv&from=not-a-time`, headers: viewer })
  t.equal(bad.statusCode, 400)
  t.equal(bad.headers.etag, undefined)
  t.equal((await app.inject({ url: '/api/schedules/00000000-0000-4000-8000-000000000000/export', headers: { ...viewer, 'if-none-match': '*' } })).statusCode, 404, 'an unknown schedule is a 404 whatever the If-None-Match')
})
