import t, { type Test } from 'tap'
import { existsSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp, tempDir } from './helpers.js'
import { setUpChannel } from './channel-fixtures.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import type { Config } from '../lib/config.js'
import type { Store } from '../workers/storage/store.js'
import type { PublishAnswer } from '../contract/on-air.js'

// Publish targets (issue 25 item 5, SPEC §17) through the real app, its worker processes and a
// real temp dir as the publish root: files appear with the engines' names and parse, a reader
// never sees half a file, old files go, a dir that cannot be written raises the alarm without
// failing the build, and a tick republishes once the obstacle is gone.

t.setTimeout(300_000) // a dozen builds through real worker processes, on a shared machine

const admin = bearer('admin')
const operator = bearer('operator')
const DAY = 86_400_000
/** Europe/London is on UTC until 28 March 2027: a local day is the UTC day. */
const dayStart = (date: string): number => Date.parse(`${date}T00:00:00Z`)
const ersatzName = (date: string): string => `${dayStart(date)}_${dayStart(date) + DAY}.json`
const ffplayoutName = (date: string): string => join(date.slice(0, 4), date.slice(5, 7), `${date}.json`)

async function setClock (app: FastifyInstance, now: string): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: '/api/_clock', payload: { now } })
  if (res.statusCode !== 200) throw new Error(res.body)
}

async function build (app: FastifyInstance, id: string, from: string, to: string, seed: string | number = 1) {
  const res = await app.inject({ method: 'POST', url: `/api/channels/${id}/build`, headers: operator, payload: { from, to, seed } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json()
}

const putTargets = (app: FastifyInstance, id: string, targets: unknown[], headers = admin) =>
  app.inject({ method: 'PUT', url: `/api/channels/${id}/publish`, headers, payload: { targets } })

const getTargets = async (app: FastifyInstance, id: string): Promise<PublishAnswer> =>
  (await app.inject({ method: 'GET', url: `/api/channels/${id}/publish`, headers: bearer('viewer') })).json()

/** Every day file under `dir` (ours are *.json; temp files start with a dot). */
async function dayFiles (dir: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  return (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.json') && !f.split('/').at(-1)!.startsWith('.')).sort()
}

async function openStore (config: Config, t: Test): Promise<Store> {
  const store = config.databaseUrl !== null && config.databaseUrl !== undefined && config.databaseUrl !== ''
    ? await openPostgresStore(config.databaseUrl)
    : await openSqliteStore(config.dataDir)
  t.teardown(() => store.close())
  return store
}

const ffplayoutSeconds = (doc: { program: Array<{ in: number, out: number }> }): number => Math.round(doc.program.reduce((s, p) => s + p.out - p.in, 0))

t.test('a channel published to ErsatzTV Next and ffplayout dirs', async (t) => {
  const root = tempDir(t)
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_PUBLISH_ROOTS: root, SCHEDULEFLOW_PUBLISH_RETENTION_DAYS: '2' })
  await setClock(app, '2027-03-01T10:00:00Z') // a Monday
  const { channel } = await setUpChannel(app)
  const etv = join(root, 'etv')
  const ffp = join(root, 'ffp')

  await t.test('a dir outside the roots is refused, naming it, and nothing is stored', async (t) => {
    const elsewhere = tempDir(t)
    symlinkSync(elsewhere, join(root, 'link-out'))
    const res = await putTargets(app, channel.id, [
      { kind: 'ersatztv', dir: etv },
      { kind: 'ffplayout', dir: elsewhere },
      { kind: 'ffplayout', dir: `${root}/../escape` },
      { kind: 'ersatztv', dir: 'relative/dir' },
      { kind: 'ersatztv', dir: join(root, 'link-out', 'sub') }
    ])
    t.equal(res.statusCode, 400)
    const body = res.json()
    t.equal(body.code, 'VALIDATION_FAILED')
    t.same(body.errors.map((e: { field: string }) => e.field), ['targets.1.dir', 'targets.2.dir', 'targets.3.dir', 'targets.4.dir'])
    t.match(body.errors[0].message, 'SCHEDULEFLOW_PUBLISH_ROOTS')
    t.same((await getTargets(app, channel.id)).targets, [])
    t.notOk(existsSync(etv), 'nothing was written either')
    t.equal((await putTargets(app, channel.id, [{ kind: 'ersatztv', dir: etv }], operator)).statusCode, 403, 'setting targets is an admin\'s')
  })

  await t.test('set, then a build writes each day of the window in the engines\' names and formats', async (t) => {
    const set = await putTargets(app, channel.id, [{ kind: 'ersatztv', dir: etv, days_ahead: 3 }, { kind: 'ffplayout', dir: ffp, days_ahead: 3 }])
    t.equal(set.statusCode, 200)
    t.match(set.json().targets, [
      { kind: 'ersatztv', dir: etv, days_ahead: 3, last_published: /^2027-03-01T10:00/, files: 0, last_error: null },
      { kind: 'ffplayout', dir: ffp, days_ahead: 3, files: 0, last_error: null }
    ], 'published at once: nothing built yet, so no file')

    await build(app, channel.id, '2027-03-01', '2027-03-04')
    const days = ['2027-03-01', '2027-03-02', '2027-03-03']
    t.same(await dayFiles(etv), days.map(ersatzName).sort(), 'today and the next two days, nothing further ahead')
    t.same(await dayFiles(ffp), days.map(ffplayoutName))
    for (const date of days) {
      const playout = JSON.parse(await readFile(join(etv, ersatzName(date)), 'utf8'))
      t.match(playout, { version: /ersatztv\.org\/playout/ })
      t.ok(playout.items.length > 0)
      t.ok(playout.items.every((i: { start: string }) => Date.parse(i.start) >= dayStart(date) && Date.parse(i.start) < dayStart(date) + DAY), 'each item starts in its day')
      const playlist = JSON.parse(await readFile(join(ffp, ffplayoutName(date)), 'utf8'))
      t.equal(playlist.date, date)
      t.equal(ffplayoutSeconds(playlist), 86_400, 'an ffplayout day adds up to 24 hours')
    }
    t.match((await getTargets(app, channel.id)).targets, [{ files: 3, last_error: null }, { files: 3, last_error: null }])
  })

  await t.test('a reader polling the dirs during repeated publishes never opens a partial file', async (t) => {
    const stop = { now: false }
    const failures: string[] = []
    let reads = 0
    const reader = (async () => {
      while (!stop.now) {
        for (const dir of [etv, ffp]) {
          for (const file of await dayFiles(dir)) {
            try {
              JSON.parse(await readFile(join(dir, file), 'utf8'))
              reads++
            } catch (err) { failures.push(`${file}: ${(err as Error).message}`) }
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 5)) // a poller, not a busy loop: the builds share the machine
      }
    })()
    for (let seed = 2; seed <= 3; seed++) await build(app, channel.id, '2027-03-01', '2027-03-03', seed)
    stop.now = true
    await reader
    t.same(failures, [])
    t.ok(reads > 0, `the reader opened ${reads} files`)
  })

  await t.test('an edit rewrites only its day\'s files', async (t) => {
    const inodes = async () => Object.fromEntries([
      ...(await dayFiles(etv)).map((f) => [`etv/${f}`, statSync(join(etv, f)).ino]),
      ...(await dayFiles(ffp)).map((f) => [`ffp/${f}`, statSync(join(ffp, f)).ino])
    ])
    const before = await inodes()
    const page = (await app.inject({ method: 'GET', url: `/api/channels/${channel.id}/programmes?from=2027-03-02T12:00:00Z&to=2027-03-02T23:00:00Z`, headers: operator })).json()
    const programme = page.programmes.find((p: { start: string, end: string }) => p.start >= '2027-03-02T12:00' && p.end <= '2027-03-02T23:59')
    t.ok(programme, 'a programme on Tuesday')
    const res = await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/programmes/${programme.id}`, headers: operator, payload: { pinned: true } })
    t.equal(res.statusCode, 200)
    const after = await inodes()
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]).sort()
    t.same(changed, [`etv/${ersatzName('2027-03-02')}`, `ffp/${ffplayoutName('2027-03-02')}`])
  })

  await t.test('a dir that cannot be written raises the alarm, the build still stores, a tick republishes once it can', async (t) => {
    const store = await openStore(config, t)
    writeFileSync(join(root, 'file-not-dir'), 'a regular file where a folder should be\n')
    const blocked = join(root, 'file-not-dir', 'sub')
    const set = await putTargets(app, channel.id, [{ kind: 'ersatztv', dir: etv, days_ahead: 3 }, { kind: 'ffplayout', dir: blocked, days_ahead: 3 }])
    t.equal(set.statusCode, 200, 'a dir not writable yet is not refused: it is a failure to report')
    t.match(set.json().targets, [{ kind: 'ersatztv', last_error: null }, { kind: 'ffplayout', dir: blocked, last_error: /not a directory|ENOTDIR/ }])

    const built = await build(app, channel.id, '2027-03-01', '2027-03-03', 7)
    t.ok(built.stats.events > 0)
    const events = (await app.inject({ method: 'GET', url: `/api/channels/${channel.id}/events?from=2027-03-01T00:00:00Z&to=2027-03-02T00:00:00Z`, headers: operator })).json()
    t.ok(events.events.length > 0, 'the build is stored')
    t.match((await getTargets(app, channel.id)).targets, [{ last_error: null, files: 3 }, { last_error: /not a directory|ENOTDIR/ }])
    const alarms = (await store.alarms.list(channel.id)).filter((a) => a.kind === 'publish_failed')
    t.match(alarms, [{ kind: 'publish_failed', channel_id: channel.id, details: { dir: blocked, kind: 'ffplayout' } }])
    const metrics = (await app.inject('/metrics')).body
    t.match(metrics, new RegExp(`scheduleflow_publish_failing\\{channel="${channel.id}",kind="ffplayout",dir="${blocked}"[^}]*\\} 1`), 'the metrics say which target fails')
    t.match(metrics, new RegExp(`scheduleflow_publish_last_success_timestamp_seconds\\{channel="${channel.id}",kind="ersatztv",dir="${etv}"[^}]*\\} \\d+`))

    rmSync(join(root, 'file-not-dir'))
    const tick = (await app.inject({ method: 'POST', url: '/api/_tick' })).json()
    t.match(tick.steps.find((s: { name: string }) => s.name === 'publish-retry'), { ok: true, result: { published: 1, failed: 0 } })
    t.same(await dayFiles(blocked), ['2027-03-01', '2027-03-02', '2027-03-03'].map(ffplayoutName))
    t.match((await getTargets(app, channel.id)).targets, [{ last_error: null }, { last_error: null, files: 3 }])
    t.same((await store.alarms.list(channel.id)).filter((a) => a.kind === 'publish_failed'), [], 'the alarm is cleared')
  })

  await t.test('days ended longer ago than the retention are pruned; days coming into the window are published by the tick', async (t) => {
    const blocked = join(root, 'file-not-dir', 'sub')
    writeFileSync(join(etv, 'notes.json'), '{}') // not a name this service writes: left alone
    await setClock(app, '2027-03-08T10:00:00Z')
    await build(app, channel.id, '2027-03-08', '2027-03-11')
    // Retention 2 days: a day that ended before 6 March 10:00 goes; the window is 8–10 March.
    t.same(await dayFiles(etv), [...['2027-03-08', '2027-03-09', '2027-03-10'].map(ersatzName), 'notes.json'].sort())
    t.same(await dayFiles(blocked), ['2027-03-08', '2027-03-09', '2027-03-10'].map(ffplayoutName))

    await setClock(app, '2027-03-09T10:00:00Z')
    const tick = (await app.inject({ method: 'POST', url: '/api/_tick' })).json()
    t.match(tick.steps.find((s: { name: string }) => s.name === 'publish-retry'), { ok: true, result: { published: 2, failed: 0 } })
    t.ok(existsSync(join(etv, ersatzName('2027-03-11'))), 'the day newly inside the window')
    t.ok(existsSync(join(blocked, ffplayoutName('2027-03-11'))))
    const again = (await app.inject({ method: 'POST', url: '/api/_tick' })).json()
    t.match(again.steps.find((s: { name: string }) => s.name === 'publish-retry'), { result: { published: 0 } }, 'nothing due twice')
  })
})

t.test('without SCHEDULEFLOW_PUBLISH_ROOTS every dir is refused, saying to set it', async (t) => {
  const { app } = await buildTestApp(t)
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '9', name: 'Nine', timezone: 'UTC' } })
  const res = await putTargets(app, created.json().channel.id, [{ kind: 'ffplayout', dir: tempDir(t) }])
  t.equal(res.statusCode, 400)
  t.match(res.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'targets.0.dir', message: /set SCHEDULEFLOW_PUBLISH_ROOTS/ }] })
})
