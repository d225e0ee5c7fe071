import t, { type Test } from 'tap'
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Library, MediaItem, Scan } from '../contract/media.js'
import { ffprobePath } from '../workers/media/probe.js'
import { bearer, buildTestApp, tempDir, waitFor } from './helpers.js'
import { makeClip, makeClips } from './media-fixtures.js'
import { runM3upro } from './workers.js'
import { testDatabaseEnv } from './test-database.js'

// The media library's libraries and scans (SPEC §16), through the real API: real clips made
// by ffmpeg, probed by the npm ffprobe in real worker processes, scans run as the service's
// background job; the CLI's scan-library by hand.

t.setTimeout(240_000)

const admin = bearer('admin')
const operator = bearer('operator')

/** The clips of the main library and their lengths (s): spaces, non-Latin letters, sub-folders. */
const CLIPS: Record<string, number> = {
  'Show A/Season 01/Show A - S01E01 - Pilot.mkv': 1.0,
  'Show A/Season 01/Show A - S01E02.mkv': 1.5,
  'films/Été à Paris (2001).mp4': 2.0,
  'films/東京 物語.mkv': 1.2,
  'with space.mkv': 0.8,
  'deep/er/still/clip.mkv': 0.6
}

interface Call { statusCode: number, json: () => any }

async function call (app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = admin): Promise<Call> {
  return app.inject({ method, url, headers, ...(payload !== undefined && { payload: payload as Record<string, unknown> }) })
}

/** Polls the scan until it is no longer running. */
async function finished (t: Test, app: FastifyInstance, library: string, scan: string): Promise<Scan> {
  let last: Scan | undefined
  const ended = await waitFor(async () => {
    last = (await call(app, 'GET', `/api/libraries/${library}/scans/${scan}`)).json().scan as Scan
    return last.state !== 'running'
  }, 120_000, 100)
  t.ok(ended, 'the scan ended')
  return last!
}

async function allItems (app: FastifyInstance, library: string): Promise<MediaItem[]> {
  const items: MediaItem[] = []
  let url: string | undefined = `/api/libraries/${library}/items?limit=3`
  while (url !== undefined) {
    const page = (await call(app, 'GET', url)).json() as { items: MediaItem[], next?: string }
    items.push(...page.items)
    url = page.next
  }
  return items
}

/** A folder under the media root with the clips, a corrupt and an empty file, and entries a scan skips. */
async function mediaFolder (t: Test, mediaRoot: string): Promise<string> {
  const root = join(mediaRoot, 'tv')
  await makeClips(root, CLIPS)
  writeFileSync(join(root, 'corrupt.mkv'), 'this is not a matroska file at all'.repeat(20))
  writeFileSync(join(root, 'empty.mp4'), '')
  writeFileSync(join(root, 'notes.txt'), 'not media')
  const outside = tempDir(t)
  writeFileSync(join(outside, 'secret.mkv'), 'outside')
  symlinkSync(join(outside, 'secret.mkv'), join(root, 'escape.mkv'))
  symlinkSync(join(root, 'no-such-file.mkv'), join(root, 'broken.mkv'))
  execFileSync('mkfifo', [join(root, 'pipe.mkv')])
  return root
}

t.test('a library scanned: items with probed durations, a second scan probes nothing, a deleted file goes', async (t) => {
  const mediaRoot = tempDir(t)
  const root = await mediaFolder(t, mediaRoot)
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_MEDIA_ROOTS: mediaRoot })

  const created = await call(app, 'POST', '/api/libraries', { name: 'TV', root })
  t.equal(created.statusCode, 201, created.json().message)
  const library = created.json().library as Library
  t.match(library, { name: 'TV', root, rescan_minutes: null, items: 0, last_scan: null })

  // Two scans asked for at once never run at once: the later POST answers the running scan, or
  // (when the pool ran the first to its end before it took the second: a loaded machine) starts
  // one after it ended.
  const [first, second] = await Promise.all([call(app, 'POST', `/api/libraries/${library.id}/scan`, undefined, operator), call(app, 'POST', `/api/libraries/${library.id}/scan`, undefined, operator)])
  t.equal(first.statusCode, 202)
  t.equal(second.statusCode, 202)
  const [earlier, later] = [first.json().scan as Scan, second.json().scan as Scan].sort((a, b) => a.started.localeCompare(b.started))
  t.match(earlier, { state: 'running', library_id: library.id })
  const scan = await finished(t, app, library.id, earlier.id)
  if (later.id !== earlier.id) t.ok(scan.finished !== null && scan.finished <= later.started, `a second scan started only after the first ended (${scan.finished ?? 'running'} ≤ ${later.started})`)
  else t.pass('the second POST answered the running scan')
  await finished(t, app, library.id, later.id)
  t.match(scan, { state: 'done', files_seen: 8, probed: 8, cached: 0, failed: 5, removed: 0, error: null })
  const reasons = Object.fromEntries(scan.skipped.map((s) => [s.path, s.reason]))
  t.match(reasons, {
    'escape.mkv': /out of the library's root/,
    'broken.mkv': /broken/,
    'pipe.mkv': /not a regular file \(a FIFO\)/,
    'corrupt.mkv': /.+/,
    'empty.mp4': /.+/
  })
  t.notOk(JSON.stringify(scan).includes(mediaRoot), 'no server path in the answer')

  const items = await allItems(app, library.id)
  t.same(items.map((i) => i.path).sort(), Object.keys(CLIPS).concat('corrupt.mkv', 'empty.mp4').sort(), 'every media file once (pages of 3)')
  for (const [path, seconds] of Object.entries(CLIPS)) {
    const item = items.find((i) => i.path === path)!
    t.ok(item.duration !== null && Math.abs(item.duration - seconds) <= 0.05, `${path}: ${String(item.duration)} s, made ${seconds} s`)
    t.equal(item.problem, undefined)
  }
  t.match(items.find((i) => i.path === 'corrupt.mkv'), { duration: null, problem: /.+/ })
  t.equal((await call(app, 'GET', `/api/libraries/${library.id}`)).json().library.items, 8)

  const collections = (await call(app, 'GET', `/api/libraries/${library.id}/collections`)).json().collections as Array<{ id: string, kind: string, name: string, items: number }>
  const films = collections.find((c) => c.kind === 'folder' && c.name === 'films')!
  t.equal(films.items, 2)
  const filmItems = (await call(app, 'GET', `/api/libraries/${library.id}/items?collection=${encodeURIComponent(films.id)}`)).json().items as MediaItem[]
  t.same(filmItems.map((i) => i.path).sort(), ['films/Été à Paris (2001).mp4', 'films/東京 物語.mkv'])

  // Unchanged files are not probed again.
  const again = (await call(app, 'POST', `/api/libraries/${library.id}/scan`, undefined, operator)).json().scan as Scan
  t.not(again.id, scan.id)
  t.match(await finished(t, app, library.id, again.id), { state: 'done', files_seen: 8, probed: 0, cached: 8, removed: 0 })

  // A file deleted, one changed: the next scan removes the one, probes the other.
  rmSync(join(root, 'with space.mkv'))
  await makeClip(join(root, 'films/東京 物語.mkv'), 2.5)
  const third = (await call(app, 'POST', `/api/libraries/${library.id}/scan`, undefined, operator)).json().scan as Scan
  t.match(await finished(t, app, library.id, third.id), { state: 'done', files_seen: 7, probed: 1, cached: 6, removed: 1 })
  const after = await allItems(app, library.id)
  t.notOk(after.some((i) => i.path === 'with space.mkv'), 'the deleted file is gone')
  t.ok(Math.abs(after.find((i) => i.path === 'films/東京 物語.mkv')!.duration! - 2.5) <= 0.05, 'the changed file probed again')

  t.test('an empty library scans to done with nothing, and rescans on the service timer', async (t) => {
    mkdirSync(join(mediaRoot, 'empty'))
    const made = (await call(app, 'POST', '/api/libraries', { name: 'Empty', root: join(mediaRoot, 'empty'), rescan_minutes: 60 })).json().library as Library
    const start = (await call(app, 'POST', `/api/libraries/${made.id}/scan`, undefined, operator)).json().scan as Scan
    t.match(await finished(t, app, made.id, start.id), { state: 'done', files_seen: 0, probed: 0, skipped: [] })
    t.same((await call(app, 'GET', `/api/libraries/${made.id}/items`)).json(), { items: [] })

    const tick = async (at: number): Promise<any> => {
      t.equal((await call(app, 'PUT', '/api/_clock', { now: new Date(at).toISOString() }, operator)).statusCode, 200)
      const report = (await call(app, 'POST', '/api/_tick', undefined, operator)).json()
      return report.steps.find((s: { name: string }) => s.name === 'media-rescans')
    }
    const began = Date.parse(start.started)
    t.same((await tick(began + 30 * 60_000)).result.started, [], 'not due after 30 min')
    const due = await tick(began + 61 * 60_000)
    t.equal(due.result.started.length, 1, 'due after 60 min: one scan started (the TV library has no timer)')
    t.match(await finished(t, app, made.id, due.result.started[0]), { state: 'done', library_id: made.id })
    t.equal((await call(app, 'GET', `/api/libraries/${made.id}`)).json().library.last_scan, due.result.started[0])
  })

  t.test('bad roots and bodies: 400 naming the field, nothing stored', async (t) => {
    const outside = tempDir(t)
    symlinkSync(outside, join(mediaRoot, 'link-out'))
    const before = (await call(app, 'GET', '/api/libraries')).json().libraries.length
    const bad: Array<[unknown, string]> = [
      [{ name: 'x', root: 'tv' }, 'root'],
      [{ name: 'x', root: `${root}/../tv` }, 'root'],
      [{ name: 'x', root: `${root}/./films` }, 'root'],
      [{ name: 'x', root: outside }, 'root'],
      [{ name: 'x', root: '/' }, 'root'],
      [{ name: 'x', root: join(root, 'films', '東京 物語.mkv') }, 'root'],
      [{ name: 'x', root: join(mediaRoot, 'link-out') }, 'root'],
      [{ name: 'x', root: join(mediaRoot, 'no-such-folder') }, 'root'],
      [{ name: 'x', root: '' }, 'root'],
      [{ name: 'x', root: `/${'a'.repeat(1000)}` }, 'root'],
      [{ name: 'x', root: `${root}/films\u0000` }, 'root'],
      [{ name: '', root: join(root, 'films') }, 'name'],
      [{ name: '   ', root: join(root, 'films') }, 'name'],
      [{ name: 'x', root: join(root, 'films'), rescan_minutes: -1 }, 'rescan_minutes'],
      [{ name: 'x', root: join(root, 'films'), rescan_minutes: 1.5 }, 'rescan_minutes'],
      [{ name: 'x', root: join(root, 'films'), extra: true }, ''],
      [{ name: 'x' }, 'root']
    ]
    for (const [body, field] of bad) {
      const res = await call(app, 'POST', '/api/libraries', body)
      t.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 80))
      t.match(res.json(), { status: 'error', code: String, message: String, request_id: String })
      if (field !== '') t.ok((res.json().errors as Array<{ field: string }>).some((e) => e.field === field), `${JSON.stringify(body).slice(0, 60)} names ${field}`)
    }
    const taken = await call(app, 'POST', '/api/libraries', { name: 'Again', root: `${root}/` })
    t.match({ status: taken.statusCode, body: taken.json() }, { status: 409, body: { code: 'LIBRARY_ROOT_TAKEN' } })
    t.equal((await call(app, 'POST', '/api/libraries', { name: 'x', root: join(root, 'films') }, operator)).statusCode, 403, 'an operator may not declare one')
    t.equal((await call(app, 'GET', '/api/libraries')).json().libraries.length, before, 'nothing stored')
    t.equal((await call(app, 'GET', '/api/libraries/00000000-0000-4000-8000-000000000000')).statusCode, 404)
    t.equal((await call(app, 'POST', '/api/libraries/nope/scan', undefined, operator)).statusCode, 404)
    t.equal((await call(app, 'GET', `/api/libraries/${library.id}/scans/00000000-0000-4000-8000-000000000000`)).statusCode, 404)
    t.equal((await call(app, 'GET', `/api/libraries/${library.id}/items?cursor=%21%21`)).statusCode, 400)
  })

  t.test('a library deleted takes its items; its files stay', async (t) => {
    const res = await call(app, 'DELETE', `/api/libraries/${library.id}`)
    t.match(res.json(), { status: 'success', deleted: library.id })
    t.equal((await call(app, 'GET', `/api/libraries/${library.id}/items`)).statusCode, 404)
    t.equal((await call(app, 'DELETE', `/api/libraries/${library.id}`)).statusCode, 404)
  })
})

t.test('a scan cancelled mid-way ends cancelled, with what its finished tasks stored and nothing of the task running', async (t) => {
  const mediaRoot = tempDir(t)
  const root = join(mediaRoot, 'many')
  await makeClips(root, Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`clip ${String(i).padStart(2, '0')}.mkv`, 0.4])))
  // The npm ffprobe, slowed: a task (a third of the 9 s task timeout) takes a few files, so the scan runs as several tasks.
  const slow = join(tempDir(t), 'slow-ffprobe')
  writeFileSync(slow, `#!/bin/sh\nsleep 1\nexec '${ffprobePath({})}' "$@"\n`)
  chmodSync(slow, 0o755)
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_MEDIA_ROOTS: mediaRoot, SCHEDULEFLOW_FFPROBE: slow, SCHEDULEFLOW_TASK_TIMEOUT_MS: '9000' })
  const library = (await call(app, 'POST', '/api/libraries', { name: 'Many', root })).json().library as Library
  const scan = (await call(app, 'POST', `/api/libraries/${library.id}/scan`, undefined, operator)).json().scan as Scan
  t.ok(await waitFor(async () => (await call(app, 'GET', `/api/libraries/${library.id}/scans/${scan.id}`)).json().scan.files_seen > 0, 60_000, 50), 'a first task stored')
  const cancelled = await call(app, 'DELETE', `/api/libraries/${library.id}/scans/${scan.id}`, undefined, operator)
  t.equal(cancelled.statusCode, 200)
  t.match(cancelled.json().scan, { state: 'cancelled', finished: String })
  // The task running when it was cancelled ends (its store refused): then nothing runs.
  t.ok(await waitFor(() => app.pool.load().active === 0, 60_000, 50), 'the running task ended')
  const final = (await call(app, 'GET', `/api/libraries/${library.id}/scans/${scan.id}`)).json().scan as Scan
  t.equal(final.state, 'cancelled')
  t.equal(final.files_seen, cancelled.json().scan.files_seen, 'no task stored after the cancel')
  const items = await allItems(app, library.id)
  t.equal(items.length, final.probed, 'the items are exactly what the stored tasks probed')
  t.ok(items.length > 0 && items.length < 10, `mid-way: ${items.length} of 10`)
  t.ok(items.every((i) => i.duration !== null), 'each stored item whole')
  t.equal((await call(app, 'DELETE', `/api/libraries/${library.id}/scans/${scan.id}`, undefined, operator)).json().scan.state, 'cancelled', 'cancelling again answers it as it is')
})

t.test('a scan task whose process dies fails the scan with why', async (t) => {
  const mediaRoot = tempDir(t)
  await makeClip(join(mediaRoot, 'one.mkv'), 0.4)
  // An "ffprobe" that kills the worker process running it (its parent): the task dies mid-way.
  const killer = join(tempDir(t), 'killing-ffprobe')
  writeFileSync(killer, '#!/bin/sh\nkill -9 $PPID\nsleep 5\n')
  chmodSync(killer, 0o755)
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_MEDIA_ROOTS: mediaRoot, SCHEDULEFLOW_FFPROBE: killer })
  const library = (await call(app, 'POST', '/api/libraries', { name: 'Dies', root: mediaRoot })).json().library as Library
  const scan = (await call(app, 'POST', `/api/libraries/${library.id}/scan`, undefined, operator)).json().scan as Scan
  const ended = await finished(t, app, library.id, scan.id)
  t.match(ended, { state: 'failed', error: /scan task failed/, finished: String })
  t.same((await call(app, 'GET', `/api/libraries/${library.id}/items`)).json().items, [], 'nothing stored')
  t.equal((await call(app, 'GET', '/api/libraries')).statusCode, 200, 'the service answers on')
})

t.test('by hand: create-library and scan-library run the scan to its end in tasks, a progress line each', async (t) => {
  const mediaRoot = tempDir(t)
  const root = join(mediaRoot, 'hand')
  await makeClips(root, { 'a.mkv': 0.5, 'b/c.mkv': 0.5, 'b/d.mkv': 0.5, 'e.mkv': 0.5, 'f.mkv': 0.5 })
  const dataDir = join(tempDir(t), 'data')
  const env = { ...await testDatabaseEnv(t), SCHEDULEFLOW_MEDIA_ROOTS: mediaRoot }
  t.equal(runM3upro(dataDir, ['migrate'], '', env).code, 0)
  const refused = runM3upro(dataDir, ['create-library', '--name', 'Hand', '--root', '/etc'], '', env)
  t.equal(refused.code, 2)
  t.match(JSON.parse(refused.stdout), { ok: false, error: { code: 'VALIDATION_FAILED', errors: [{ field: 'root' }] } })
  const created = runM3upro(dataDir, ['create-library', '--name', 'Hand', '--root', root], '', env)
  t.equal(created.code, 0, created.stderr)
  const id = JSON.parse(created.stdout).result.library.id as string
  // A budget of 0: each task takes one round of probes, so the scan resumes from its cursor task after task.
  const scanned = runM3upro(dataDir, ['scan-library', '--budget-ms', '0', id], '', env)
  t.equal(scanned.code, 0, scanned.stderr)
  t.match(JSON.parse(scanned.stdout).result.scan, { state: 'done', files_seen: 5, probed: 5, cached: 0, failed: 0 })
  const lines = scanned.stderr.split('\n').filter((l) => l.startsWith('scan '))
  t.ok(lines.length >= 3, `several tasks: ${lines.length}`)
  t.match(lines.at(-1), /done, 5 files seen, 5 probed/)
  const items = JSON.parse(runM3upro(dataDir, ['list-media-items', id], '', env).stdout).result.items as MediaItem[]
  t.same(items.map((i) => i.path).sort(), ['a.mkv', 'b/c.mkv', 'b/d.mkv', 'e.mkv', 'f.mkv'])
})
