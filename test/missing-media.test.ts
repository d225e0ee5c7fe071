import { appendFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { XMLParser } from 'fast-xml-parser'
import { bearer, buildTestApp, tempDir } from './helpers.js'
import { importPlaylist } from './channel-fixtures.js'
import { makeClip } from './media-fixtures.js'
import { createLibrary, scanInto, storeOf } from './media-library.js'

// The missing-media alarm and the playout exports' probed lengths (SPEC §16, issue 26 items 6
// and 8) through the real app: real clips in a library root, the library's items stored as a scan
// stores them (on the test's own database), a channel airing those files, the service clock
// moved by PUT /api/_clock and the on-air tick run by POST /api/_tick.

const operator = bearer('operator')
const viewer = bearer('viewer')
const admin = bearer('admin')
const CHECK_MINUTES = 6 // past MISSING_MEDIA_CHECK_MINUTES: each tick below checks

const setClock = async (app: FastifyInstance, now: string): Promise<void> => {
  const res = await app.inject({ method: 'PUT', url: '/api/_clock', headers: admin, payload: { now } })
  if (res.statusCode !== 200) throw new Error(res.body)
}

/** Moves the clock on past the check interval and ticks: what the missing-media step answered. */
async function checkAt (app: FastifyInstance, now: string): Promise<Record<string, number>> {
  await setClock(app, now)
  const res = await app.inject({ method: 'POST', url: '/api/_tick', headers: admin })
  const step = res.json().steps.find((s: { name: string }) => s.name === 'missing-media')
  if (step?.ok !== true) throw new Error(`the missing-media step failed: ${res.body}`)
  return step.result
}

const missing = async (app: FastifyInstance): Promise<Array<Record<string, any>>> =>
  (await app.inject({ url: '/api/alarms', headers: viewer })).json().alarms.filter((a: { kind: string }) => a.kind === 'missing_media')

const gauge = async (app: FastifyInstance): Promise<number> => {
  const text = (await app.inject({ url: '/metrics' })).body
  return Number(/^scheduleflow_missing_media\{[^}]*\} (\d+)/m.exec(text)?.[1])
}

const at = (minutes: number): string => new Date(Date.parse('2026-12-14T00:00:00Z') + minutes * 60_000).toISOString()

t.test('a library file due to air that goes missing or changes is an alarm with channel, time, path and the rebuild; back, it clears', async (t) => {
  const root = tempDir(t)
  const away = tempDir(t)
  await Promise.all([makeClip(join(root, 'a.mkv'), 5), makeClip(join(root, 'b.mkv'), 5), makeClip(join(root, 'late', 'c.mkv'), 2)])
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_ON_AIR_TICK_MS: '0', SCHEDULEFLOW_MEDIA_ROOTS: root, SCHEDULEFLOW_MISSING_MEDIA_HOURS: '24' })
  const store = await storeOf(config)
  t.teardown(() => store.close())
  const library = await createLibrary(store, 'Films', root)
  await scanInto(store, library, root, { 'a.mkv': {}, 'b.mkv': {}, 'late/c.mkv': {} })

  // a claims 3 s (it is 5), b claims 8 s (it is 5): the exports below write the probed 5.
  const films = await importPlaylist(app, `#EXTM3U\n#EXTINF:3,A\n${join(root, 'a.mkv')}\n#EXTINF:8,B\n${join(root, 'b.mkv')}\n`, 'films')
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '7', name: 'Campus TV', timezone: 'UTC', build_ahead_days: 0 } })
  const id = created.json().channel.id
  const put = await app.inject({
    method: 'PUT',
    url: `/api/channels/${id}/template`,
    headers: operator,
    payload: {
      blocks: [
        { id: 'films', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '00:01', source: { playlist: films }, order: 'sequential', fill: 'cut', cooldown_hours: 0 },
        // c airs only on Wednesday: beyond the 24 h window of the checks below.
        { id: 'late', days: ['wed'], start: '12:00', end: '12:10', source: { item: { url: `file://${join(root, 'late', 'c.mkv')}`, title: 'C', duration: 2 } }, fill: 'gap' }
      ]
    }
  })
  t.equal(put.statusCode, 200)
  await setClock(app, at(0))
  const built = await app.inject({ method: 'POST', url: `/api/channels/${id}/build`, headers: operator, payload: { from: '2026-12-14', to: '2026-12-16', seed: 's' } })
  t.equal(built.statusCode, 201)

  t.match(await checkAt(app, at(0)), { open: 0, missing: 0 }, 'every file is there as probed')
  t.same(await missing(app), [])

  // Monday's airings are over by the check: a is due next on Tuesday, inside the 24 h window.
  await rename(join(root, 'a.mkv'), join(away, 'a.mkv'))
  await rm(join(root, 'late', 'c.mkv'))
  t.match(await checkAt(app, at(CHECK_MINUTES)), { opened: 1, open: 1 })
  const [alarm, ...others] = await missing(app)
  t.same(others, [], 'one alarm: c is gone too, but due only beyond the window')
  const events = (await app.inject({ url: `/api/channels/${id}/events?from=${at(CHECK_MINUTES)}&to=${at(24 * 60 + CHECK_MINUTES)}`, headers: viewer })).json().events
  const aired = events.filter((e: { video_url: string }) => e.video_url === join(root, 'a.mkv'))
  t.match(alarm, {
    kind: 'missing_media',
    channel_id: id,
    since: new RegExp(`^${at(CHECK_MINUTES).slice(0, 17)}`),
    message: /^Campus TV: a\.mkv \(library Films\) is missing; due Tue 15 Dec 00:00; \d+ airings in the next 24 h/,
    details: {
      state: 'missing',
      library_id: library,
      library: 'Films',
      path: 'a.mkv',
      due: aired[0].start,
      airings: aired.length,
      rebuild: { method: 'POST', path: `/api/channels/${id}/build`, body: { from: '2026-12-15', to: '2026-12-15' } }
    }
  }, 'channel, the first time it is due, the path in its library, and the build that replaces it')
  t.equal(await gauge(app), 1, 'scheduleflow_missing_media counts it')
  const [a] = await store.media.libraryFiles([{ library_id: library, path: 'a.mkv' }])
  t.match(a.problem, new RegExp(`^missing since ${at(CHECK_MINUTES).slice(0, 17)}`), 'the item is marked: a build skips it')

  await rename(join(away, 'a.mkv'), join(root, 'a.mkv'))
  t.match(await checkAt(app, at(2 * CHECK_MINUTES)), { cleared: 1, open: 0 })
  t.same(await missing(app), [], 'back as probed: cleared')
  t.equal(await gauge(app), 0)
  t.equal((await store.media.libraryFiles([{ library_id: library, path: 'a.mkv' }]))[0].problem, null, 'and unmarked')

  await appendFile(join(root, 'b.mkv'), Buffer.alloc(100))
  t.match(await checkAt(app, at(3 * CHECK_MINUTES)), { opened: 1, changed: 1 })
  const [changed] = await missing(app)
  t.match(changed, { message: /b\.mkv \(library Films\) has changed since it was probed/, details: { state: 'changed', path: 'b.mkv', found: { size: (await stat(join(root, 'b.mkv'))).size } } })

  await t.test('the playout exports carry the probed length of a library file', async (t) => {
    const probed = (await store.media.libraryFiles([{ library_id: library, path: 'a.mkv' }]))[0].duration_ms! / 1000
    t.ok(Math.abs(probed - 5) < 0.05, `a probes as 5 s (${probed})`)
    const ffplayout = await app.inject({ url: `/api/channels/${id}/export?format=ffplayout&date=2026-12-14`, headers: viewer })
    t.equal(ffplayout.statusCode, 200)
    const clips = JSON.parse(ffplayout.body).program.filter((p: { source: string }) => p.source === join(root, 'a.mkv'))
    t.ok(clips.length > 0)
    t.same(clips.map((c: { duration: number }) => c.duration), clips.map(() => probed), 'ffplayout duration: the probed length')
    t.ok(clips.every((c: { out: number, duration: number }) => c.out <= c.duration), 'in/out keep the aired part')

    // The range's last clip: the layer goes empty where its media ends (5 s), not at its 8 s slot.
    const caspar = await app.inject({ url: `/api/channels/${id}/export?format=casparcg&from=2026-12-14T00:00:00Z&to=2026-12-14T00:00:11Z`, headers: viewer })
    t.equal(caspar.statusCode, 200)
    const rundown = new XMLParser().parse(caspar.body)
    const movies = [rundown.items.item.items.item].flat()
    const last = movies.at(-1)
    t.ok(Math.abs(last.duration - 5000) <= 50, `CasparCG duration of the last clip is its media's length (${last.duration} ms)`)
  })

  await t.test('a file still marked when it is back as probed (its alarm cleared by a rebuild) is unmarked by the next scan', async (t) => {
    const [a] = await store.media.libraryFiles([{ library_id: library, path: 'a.mkv' }])
    await store.media.setProblems([{ id: a.id, problem: 'missing since 2026-12-14T00:06:00.000Z' }])
    const started = await app.inject({ method: 'POST', url: `/api/libraries/${library}/scan`, headers: operator })
    t.equal(started.statusCode, 202, started.body)
    let scan = started.json().scan
    for (let i = 0; i < 200 && scan.state === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      scan = (await app.inject({ url: `/api/libraries/${library}/scans/${scan.id as string}`, headers: viewer })).json().scan
    }
    t.equal(scan.state, 'done')
    t.equal((await store.media.libraryFiles([{ library_id: library, path: 'a.mkv' }]))[0].problem, null, 'probed again: the mark is gone, builds air it again')
  })
})
