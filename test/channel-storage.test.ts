import t, { type Test } from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import { SCHEMA_VERSION } from '../workers/storage/migrations/index.js'
import { LEGACY_SCHEMA_VERSION_TABLE, migrations } from './fixtures/legacy-migrations.js'
import { DB_FILE_NAME } from '../workers/storage/revisions.js'
import type { Store } from '../workers/storage/store.js'
import type { BuildRecord } from '../workers/storage/channels.js'
import type { BuiltEvent } from '../workers/channels/types.js'
import { videoKey } from '../workers/schedule/checks/cooldown.js'
import type { ScheduleEvent } from '../workers/schedule/model.js'
import { checkStoredSchedule } from '../workers/schedule/checks/stored-warnings.js'
import { onPostgres, storeQuery, testDatabaseUrl, type StoreLocation } from './test-database.js'
import { tempDir } from './helpers.js'

// The channels repository of issue 13 (SPEC §11) on the pass's database, opened directly:
// migration 7 over a database holding version 6 data, round trips, what deleting a channel
// keeps, what a rebuild keeps, and the reads of plays that must count built events.

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 2, 23) // a Monday

interface Opened { store: Store, where: StoreLocation, another: () => Promise<Store> }

/** The pass's database for this test: a store on it, where it is (for storeQuery), and a second connection. */
async function opened (t: Test): Promise<Opened> {
  const url = await testDatabaseUrl(t)
  const dataDir = join(tempDir(t), 'data')
  const open = async (): Promise<Store> => {
    const store = url === null ? await openSqliteStore(dataDir) : await openPostgresStore(url)
    t.teardown(() => store.close())
    return store
  }
  return { store: await open(), where: { dataDir, databaseUrl: url }, another: open }
}

const video = (name: string, at: number, hours = 1): ScheduleEvent => ({
  title: name, start: T0 + at * HOUR, end: T0 + (at + hours) * HOUR, video_url: `https://cdn.example/${name}.mp4`, category: null, description: null, tags: [], channel: null
})

const built = (name: string, at: number, extra: Partial<BuiltEvent> = {}): BuiltEvent => {
  const { title, start, end, video_url: url, category } = video(name, at)
  return {
    title,
    start,
    end,
    video_url: url,
    video_key: videoKey({ title, video_url: url }),
    category,
    icon: null,
    origin: { kind: 'item', block: 'films' },
    origin_source: 'playlist:p1',
    origin_position: 0,
    reason: 'shuffle: skipped 0 in cooldown',
    guide_id: `g-${name}`,
    guide_title: null,
    in_ms: 0,
    episode_num: null,
    build_id: 'b',
    programme_id: `p-${name}-${at}`,
    segment_role: 'part',
    guide_mode: null,
    ...extra
  }
}

const buildRecord = (id: string): BuildRecord => ({ id, from_date: '2026-03-23', to_date: '2026-03-23', seed: 's', freeze_hours: 0, stats: { events: 1 }, warnings: [] })

const schedule = (name: string, ...events: ScheduleEvent[]) => ({ name, source: 'json' as const, channels: [], events, warnings: { duplicates: [], notes: [] } })

const DAY = { from: T0, to: T0 + 24 * HOUR }

async function revisionOf (where: StoreLocation, scope: string): Promise<number | undefined> {
  const [row] = await storeQuery<{ revision: number }>(where, 'SELECT revision FROM revisions WHERE scope = ?', [scope])
  return row === undefined ? undefined : Number(row.revision)
}

t.test('channels: create, list by number, get, change, refuse a taken number or xmltv_id', async (t) => {
  const { store, where } = await opened(t)
  const campus = await store.channels.create({ number: '7.1', name: 'Campus TV', timezone: 'Europe/London', logo: 'https://cdn.example/ctv.png', group: 'Campus' })
  t.match(campus, { number: '7.1', name: 'Campus TV', timezone: 'Europe/London', xmltv_id: 'C7.1.8.scheduleflow', logo: 'https://cdn.example/ctv.png', group: 'Campus', stream_url: null, default_filler: null, revision: 1 })
  await store.channels.create({ number: '10', name: 'Ten', timezone: 'UTC' })
  await store.channels.create({ number: '7', name: 'Seven', timezone: 'UTC' })
  t.same((await store.channels.list()).map((c) => c.number), ['7', '7.1', '10'], 'by number, not as text')
  t.same(await store.channels.get(campus.id), campus, 'read back as created')
  t.equal(await store.channels.get('no-such-id'), null)
  t.equal((await store.counts()).channels, 3, 'counts() counts channels')

  const channelsBefore = await revisionOf(where, 'channels')
  t.equal(await revisionOf(where, `channel:${campus.id}`), 1, 'the channel\'s change counter starts with it')
  const renumbered = await store.channels.update(campus.id, { number: '8', name: 'Campus' })
  t.match(renumbered, { number: '8', name: 'Campus', xmltv_id: 'C7.1.8.scheduleflow', revision: 2 }, 'a new number keeps the xmltv_id guide clients know')
  t.equal(await revisionOf(where, `channel:${campus.id}`), 2, 'the change counter is raised')
  t.ok((await revisionOf(where, 'channels'))! > channelsBefore!, 'and the list\'s')
  t.equal(await store.channels.update('no-such-id', { name: 'x' }), null)

  await t.rejects(store.channels.create({ number: '7', name: 'Again', timezone: 'UTC' }), { code: 'CHANNEL_NUMBER_TAKEN', message: /7 is taken by "Seven"/ })
  await t.rejects(store.channels.update(campus.id, { number: '10' }), { code: 'CHANNEL_NUMBER_TAKEN' })
  await t.rejects(store.channels.create({ number: '99', name: 'Copy', timezone: 'UTC', xmltv_id: 'C7.1.8.scheduleflow' }), { code: 'CHANNEL_XMLTV_ID_TAKEN' })
  t.match(await store.channels.create({ number: '7.1', name: 'New 7.1', timezone: 'UTC' }), { xmltv_id: 'C7.1.8-2.scheduleflow' },
    'the number freed by a renumbering gets a default xmltv_id no other channel has')
  t.equal((await store.counts()).channels, 4, 'nothing stored by the refusals')
})

t.test('template and overrides round trip and raise the revision', async (t) => {
  const { store } = await opened(t)
  const c = await store.channels.create({ number: '1', name: 'One', timezone: 'Europe/London' })
  t.same(await store.channels.getTemplate(c.id), { template: { cooldown_hours: 48, blocks: [] }, revision: 1 }, 'an empty week to begin with')
  const template = {
    cooldown_hours: 24,
    blocks: [{ id: 'news', days: ['mon' as const, 'tue' as const], start: '08:00', end: '08:30', title: 'Morning News', source: { item: { url: 'https://cdn.example/news.mp4', title: 'News', duration: 1800 } } }]
  }
  t.same(await store.channels.putTemplate(c.id, template), { template, revision: 2 })
  t.same(await store.channels.getTemplate(c.id), { template, revision: 2 })
  t.equal(await store.channels.putTemplate('no-such-id', template), null)

  const christmas = await store.channels.addOverride(c.id, {
    name: 'Christmas',
    from: '2026-12-24',
    to: '2026-12-26',
    days: null,
    replace: 'blocks',
    blocks: [],
    events: [{ title: 'Carol Service (live)', start: Date.UTC(2026, 11, 24, 18), end: Date.UTC(2026, 11, 24, 19, 30), video_url: 'rtmp://live.example/carols', category: null, description: null }]
  })
  const newYear = await store.channels.addOverride(c.id, { name: 'New Year', from: '2026-12-31', to: '2027-01-01', days: ['thu', 'fri'], replace: 'blocks', blocks: template.blocks, events: [] })
  t.match(christmas, { seq: 1, name: 'Christmas' })
  t.match(newYear, { seq: 2, days: ['thu', 'fri'] }, 'a later override has a higher seq: it wins')
  t.equal((await store.channels.get(c.id))!.revision, 4, 'each override raised the revision')
  t.same(await store.channels.listOverrides(c.id), [christmas, newYear], 'read back whole, in seq order')
  t.same((await store.channels.listOverrides(c.id, { from: '2026-12-26', to: '2026-12-30' })).map((o) => o.name), ['Christmas'], 'by dates: the one covering a day of the range')
  t.same((await store.channels.listOverrides(c.id, { from: '2027-01-01', to: '2027-01-07' })).map((o) => o.name), ['New Year'])
  t.equal(await store.channels.addOverride('no-such-id', { name: 'x', from: '2026-01-01', to: '2026-01-01', days: null, replace: 'blocks', blocks: [], events: [] }), null)

  t.equal(await store.channels.deleteOverride(c.id, christmas!.id), true)
  t.equal(await store.channels.deleteOverride(c.id, christmas!.id), false, 'gone')
  t.same((await store.channels.listOverrides(c.id)).map((o) => o.name), ['New Year'])
  t.equal((await store.channels.get(c.id))!.revision, 5)
})

t.test('a rebuild replaces the unpinned built events of its range and keeps pinned, frozen, placed and earlier ones', async (t) => {
  const { store, where } = await opened(t)
  const c = await store.channels.create({ number: '2', name: 'Two', timezone: 'UTC' })
  const before = await store.channels.replaceBuild(c.id, { from: T0 - 24 * HOUR, to: T0 }, [], [built('late-show', -1, { guide_id: 'g-late', end: T0 + 30 * 60_000 })], buildRecord('b0'))
  t.match(before, { deleted: 0, inserted: 1 })
  const first = await store.channels.replaceBuild(c.id, DAY, [], [
    built('film-a', 1, { guide_id: 'g-night', programme_id: 'p-night' }), // one programme over 01:00–03:00 …
    built('film-b', 2, { guide_id: 'g-night', programme_id: 'p-night' }),
    built('morning', 6),
    built('pinned', 10),
    built('evening', 20)
  ], buildRecord('b1'))
  t.match(first, { deleted: 0, inserted: 5 })
  t.equal(first!.revision, (await store.channels.get(c.id))!.revision, 'answers the revision it raised')
  t.equal(await storeQuery(where, 'SELECT count(*) AS n FROM channel_builds').then(([r]) => Number((r as { n: number }).n)), 2, 'one builds row each')

  const placed = await store.schedules.createSchedule(schedule('live match', video('match', 14, 2)))
  t.equal(await store.channels.placeSchedule(placed.id, c.id), 'placed')
  const events = await store.channels.channelEvents(c.id, DAY)
  t.same(events.map((e) => e.title), ['late-show', 'film-a', 'film-b', 'morning', 'pinned', 'match', 'evening'], 'built and placed events, in air order, including one on air at the start')
  t.match(events[1], { schedule_id: null, channel_id: c.id, origin: { kind: 'item', block: 'films', source: 'playlist:p1', position: 0 }, build_id: 'b1', guide_id: 'g-night', pinned: false, in_ms: 0 })
  t.match(events[5], { schedule_id: placed.id, origin: null, pinned: false })
  t.equal(await store.channels.setPinned(events[4].id, true), true)
  t.equal(await store.channels.setPinned('no-such-event', true), false)

  // now + freeze ends at 01:30: film-a starts before it, so its programme (film-b too) is frozen.
  const freezeEnd = T0 + 1.5 * HOUR
  const kept = await store.channels.keptEvents(c.id, DAY.from, DAY.to, freezeEnd)
  t.same(kept.map((e) => [e.title, e.kept]), [['late-show', 'before'], ['film-a', 'frozen'], ['film-b', 'frozen'], ['pinned', 'pinned'], ['match', 'placed']])

  const second = await store.channels.replaceBuild(c.id, DAY, kept.map((e) => e.id), [built('new-morning', 5), built('new-evening', 19, { origin: { kind: 'filler' }, origin_source: null, origin_position: null })], buildRecord('b2'))
  t.match(second, { deleted: 2, inserted: 2 }, 'morning and evening replaced')
  const after = await store.channels.channelEvents(c.id, DAY)
  t.same(after.map((e) => e.title), ['late-show', 'film-a', 'film-b', 'new-morning', 'pinned', 'match', 'new-evening'])
  t.same(after.filter((e) => kept.some((k) => k.id === e.id)).map((e) => e.id), kept.map((e) => e.id), 'the kept events keep their ids')
  t.match(after.find((e) => e.title === 'pinned'), { pinned: true, build_id: 'b1' })
  t.equal(await store.channels.replaceBuild('no-such-id', DAY, [], [built('x', 1)], buildRecord('b3')), null, 'no channel, nothing stored')
  t.equal((await store.channels.channelEvents(c.id)).length, 7, 'the whole timeline, no range')
})

t.test('sequential state: the block\'s last item aired before the range', async (t) => {
  const { store } = await opened(t)
  const c = await store.channels.create({ number: '3', name: 'Three', timezone: 'UTC' })
  const episode = (n: number, at: number, kind: 'item' | 'break' = 'item'): BuiltEvent =>
    built(`ep${n}`, at, { origin: { kind, block: 'series' }, origin_source: 'playlist:s', origin_position: n - 1, episode_num: `.${n - 1}/12.` })
  await store.channels.replaceBuild(c.id, DAY, [], [episode(3, 1), episode(4, 2), episode(99, 3, 'break'), episode(5, 30), built('film', 4)], buildRecord('b1'))
  const state = await store.channels.sequentialState(c.id, ['series', 'films', 'news'], T0 + 24 * HOUR)
  t.same([...state.entries()], [
    ['series', { key: 'url:https://cdn.example/ep4.mp4', position: 3, source: 'playlist:s', title: 'ep4' }],
    ['films', { key: 'url:https://cdn.example/film.mp4', position: 0, source: 'playlist:p1', title: 'film' }]
  ], 'episode 4 (not the break after it, not episode 5 after the range); no state for a block never aired')
})

t.test('deleting a channel deletes its built events and overrides, and keeps the schedules placed on it', async (t) => {
  const { store, where } = await opened(t)
  const c = await store.channels.create({ number: '4', name: 'Four', timezone: 'UTC' })
  await store.channels.addOverride(c.id, { name: 'x', from: '2026-03-23', to: '2026-03-23', days: null, replace: 'blocks', blocks: [], events: [] })
  await store.channels.replaceBuild(c.id, DAY, [], [built('a', 1), built('b', 2)], buildRecord('b1'))
  const placed = await store.schedules.createSchedule(schedule('placed', video('m', 5), video('n', 6)))
  const revision = (await store.channels.get(c.id))!.revision
  t.equal(await store.channels.placeSchedule(placed.id, c.id), 'placed')
  t.equal((await store.channels.get(c.id))!.revision, revision + 1, 'placing a schedule raises the channel\'s revision (what it airs changed)')
  t.equal(await store.channels.placeSchedule('no-such-schedule', c.id), 'no-schedule')
  t.equal(await store.channels.placeSchedule(placed.id, 'no-such-channel'), 'no-channel')
  t.match(await store.counts(), { channels: 1, schedules: 1, events: 4 })

  t.equal(await store.channels.delete(c.id), true)
  t.equal(await store.channels.delete(c.id), false, 'gone')
  t.match(await store.counts(), { channels: 0, schedules: 1, events: 2 }, 'the built events went with it; the placed schedule\'s stayed')
  t.same((await store.schedules.listEvents(placed.id)).map((e) => e.title), ['m', 'n'])
  t.same(await storeQuery(where, 'SELECT channel_ref FROM schedules'), [{ channel_ref: null }], 'taken off the channel')
  t.same(await storeQuery(where, 'SELECT DISTINCT channel_id FROM events'), [{ channel_id: null }])
  t.same(await storeQuery(where, 'SELECT count(*) AS n FROM channel_overrides').then((rows) => rows.map((r) => Number((r as { n: number }).n))), [0])
  t.equal(await revisionOf(where, `channel:${c.id}`), undefined, 'its change counter is gone')
})

t.test('built events count: in the cooldown an auto-fill reads, in a schedule\'s replays, in its channel\'s overlaps', async (t) => {
  const { store } = await opened(t)
  const c = await store.channels.create({ number: '5', name: 'Five', timezone: 'UTC', xmltv_id: 'campus.tv' })
  await store.channels.replaceBuild(c.id, DAY, [], [built('hit', 1)], buildRecord('b1'))

  const plays = [...await store.playsBetween(T0, T0 + 24 * HOUR)]
  t.same(plays, [{ video_key: 'url:https://cdn.example/hit.mp4', start: T0 + HOUR }], 'an auto-fill\'s window holds the built play')
  t.same([...await store.playsBetween(T0, T0 + 24 * HOUR, { channelId: c.id })].length, 1, 'a build\'s own channel, filtered')
  t.same([...await store.playsBetween(T0, T0 + 24 * HOUR, { channelId: 'another' })], [], 'another channel\'s: none')

  // A schedule imported later airs the same video 5 h after the built play, inside 48 h.
  const imported = await store.schedules.createSchedule({ ...schedule('replay', { ...video('hit', 6), channel: 'campus.tv' }), cooldown_hours: 48 })
  const stored = await store.schedules.listEvents(imported.id)
  const checks = await checkStoredSchedule(store.schedules, imported.id, stored, 48, { duplicates: [], notes: [] })
  t.equal(checks.warnings.cooldown_total, 1, 'the schedule\'s replay of the built play is reported')
  t.match(checks.warnings.cooldown[0], { title: 'hit', previous_index: null, hours_since_previous: 5 })
  t.same(checks.replayed, [true])
  const clash = await store.schedules.createSchedule(schedule('clash', { ...video('other', 1), channel: 'campus.tv' }))
  t.same((await store.schedules.channelEventsOutside(clash.id, ['campus.tv'], T0, T0 + 24 * HOUR)).map((e) => [e.title, e.schedule_id]),
    [['hit', null], ['hit', imported.id]], 'a built event on the named channel is among the events a schedule overlaps')
})

t.test('a build committed on another connection changes the plays an auto-fill re-checks', async (t) => {
  const { store, another } = await opened(t)
  const other = await another()
  const c = await other.channels.create({ number: '6', name: 'Six', timezone: 'UTC' })
  const reading = await store.readPlays(T0, T0 + 24 * HOUR)
  for (const _play of reading.plays);
  await other.channels.replaceBuild(c.id, DAY, [], [built('new', 3)], buildRecord('b1'))
  t.equal(await store.exclusive((tx) => tx.playsUnchanged(reading)), false, 'the fill computes again')
  const channelReading = await store.readPlays(T0, T0 + 24 * HOUR, { channelId: c.id })
  t.same([...channelReading.plays].map((p) => p.video_key), ['url:https://cdn.example/new.mp4'])
  await other.schedules.createSchedule(schedule('elsewhere', video('x', 4)))
  t.equal(await store.exclusive((tx) => tx.playsUnchanged(channelReading)), true, 'a play on no channel leaves a channel\'s reading as it was')
})

// ── Migration 7 over version 6 data ──────────────────────────────────────────────────

const V6_EVENTS = 300

/** Runs the SQL of migrations 1–6 of `dialect` through `exec` and stores some schedules and events as version 6 would. */
function v6Inserts (): string[] {
  const statements = [
    "INSERT INTO schedules (id, name, source, created, event_count, channel_id) VALUES ('s1', 'Week', 'json', '2026-01-01T00:00:00.000Z', 200, 'week.scheduleflow')",
    "INSERT INTO schedules (id, name, source, created, event_count, channel_id) VALUES ('s2', 'Guide', 'xmltv', '2026-01-02T00:00:00.000Z', 100, 'guide.scheduleflow')"
  ]
  for (let i = 0; i < V6_EVENTS; i++) {
    const owner = i < 200 ? 's1' : 's2'
    const channel = owner === 's2' ? "'bbc1.uk'" : 'NULL'
    statements.push(`INSERT INTO events (id, schedule_id, position, title, start_ms, end_ms, video_url, video_key, tags, channel) VALUES ('e${i}', '${owner}', ${i}, 'Title ${i}', ${T0 + i * HOUR}, ${T0 + (i + 1) * HOUR}, 'https://cdn.example/${i % 40}.mp4', 'url:https://cdn.example/${i % 40}.mp4', '["t"]', ${channel})`)
  }
  return statements
}

const EVENT_INDEXES = ['events_by_schedule_start', 'events_by_video_start', 'events_by_start', 'events_by_channel_start', 'events_by_channel_length',
  'events_by_channel_id_start', 'events_by_channel_id_length', 'events_by_channel_block',
  // migration 9's, made after 7 on the table it made again (an edit's warnings seek them)
  'events_by_schedule_video_start', 'events_by_channel_id_video_start', 'events_by_schedule_length',
  // migration 11's: a channel's programmes by id
  'events_by_channel_programme',
  // migration 12's: a build's own events, which its history entry finds by build_id
  'events_by_build']

/** What migration 7 must leave of version 6's data, read through the migrated store. */
async function assertV6DataKept (t: Test, store: Store): Promise<void> {
  t.equal(await store.schemaVersion(), SCHEMA_VERSION)
  t.match(await store.counts(), { schedules: 2, events: V6_EVENTS, channels: 0 })
  const week = await store.schedules.listEvents('s1')
  t.equal(week.length, 200)
  t.same(week.slice(0, 2).map((e) => [e.id, e.title, e.start, e.tags]), [['e0', 'Title 0', T0, ['t']], ['e1', 'Title 1', T0 + HOUR, ['t']]], 'ids, fields and order intact')
  t.same((await store.schedules.channelEventsOutside('s1', ['bbc1.uk'], T0, T0 + 400 * HOUR)).length, 100, 'the channel indexes read as before')
  t.equal([...await store.playsBetween(T0, T0 + 400 * HOUR)].length, V6_EVENTS)
  // The store works on the new schema: a channel, a build next to the old events, a placement.
  const c = await store.channels.create({ number: '1', name: 'One', timezone: 'UTC' })
  await store.channels.replaceBuild(c.id, { from: T0 + 1000 * HOUR, to: T0 + 1024 * HOUR }, [], [built('new', 1000)], buildRecord('b1'))
  t.equal(await store.channels.placeSchedule('s2', c.id), 'placed')
  t.equal((await store.channels.channelEvents(c.id)).length, 101)
  t.equal(await store.schedules.deleteSchedule('s1'), true, 'a v6 schedule deletes with its events')
  t.match(await store.counts(), { schedules: 1, events: 101 })
}

t.test('migration 7 on a SQLite file holding version 6 data', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  const { mkdirSync } = await import('node:fs')
  mkdirSync(dataDir, { recursive: true })
  const raw = new Database(join(dataDir, DB_FILE_NAME))
  raw.pragma('foreign_keys = ON')
  for (let v = 0; v < 6; v++) raw.exec(migrations[v].sqlite)
  raw.pragma('user_version = 6')
  raw.transaction(() => { for (const s of v6Inserts()) raw.exec(s) })()
  raw.close()

  const store = await openSqliteStore(dataDir)
  t.teardown(() => store.close())
  const check = new Database(join(dataDir, DB_FILE_NAME), { readonly: true })
  t.teardown(() => check.close())
  const indexes = (check.prepare("SELECT name FROM pragma_index_list('events') WHERE origin = 'c'").all() as Array<{ name: string }>).map((r) => r.name).sort()
  t.same(indexes, [...EVENT_INDEXES].sort(), 'every index of events, by the same names')
  t.same(check.prepare('PRAGMA foreign_key_check').all(), [], 'no foreign key broken')
  t.same(check.prepare('PRAGMA integrity_check').all(), [{ integrity_check: 'ok' }])
  const schema = (check.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").get() as { sql: string }).sql
  t.match(schema, /CREATE TABLE "?events"? \(/, 'the table is named events again')
  await assertV6DataKept(t, store)
})

t.test('migration 7 on a PostgreSQL schema holding version 6 data', { skip: onPostgres ? false : 'the PostgreSQL pass runs it (npm test, or node scripts/test-both-databases.mjs test/channel-storage.test.ts)' }, async (t) => {
  const url = (await testDatabaseUrl(t))!
  // A schema of its own in the test's database (which is already at the newest version).
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('CREATE SCHEMA v6; SET search_path = v6')
    await client.query(LEGACY_SCHEMA_VERSION_TABLE)
    for (let v = 0; v < 6; v++) {
      await client.query(migrations[v].postgres)
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [v + 1])
    }
    await client.query(`BEGIN; ${v6Inserts().join(';\n')}; COMMIT`)
  } finally {
    await client.end()
  }
  const v6Url = new URL(url)
  v6Url.searchParams.set('options', '-c search_path=v6')
  const store = await openPostgresStore(v6Url.toString())
  t.teardown(() => store.close())
  const indexes = await storeQuery<{ name: string }>({ dataDir: '', databaseUrl: url }, "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'v6' AND tablename = 'events' AND indexname <> 'events_pkey' ORDER BY indexname")
  t.same(indexes.map((r) => r.name), [...EVENT_INDEXES].sort(), 'every index of events')
  await assertV6DataKept(t, store)
})
