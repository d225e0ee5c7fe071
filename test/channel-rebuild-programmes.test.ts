import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist, m3u, setUpChannel } from './channel-fixtures.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'

// SPEC §14 through the real app (real workers, SQLite, or PostgreSQL on that pass): a rebuild
// keeps a pinned or frozen programme whole (every part, break and pad of the airing, past the
// freeze too), builds nothing over it and does not air that film again.

const operator = bearer('operator')
const viewer = bearer('viewer')
const HOUR = 3_600_000
const ZONE = 'Europe/London' // the fixture channel's

interface Event {
  id: string,
  title: string,
  start: string,
  end: string,
  video_url: string | null
  programme_id: string | null,
  segment_role: string | null,
  origin: { kind: string, block?: string }
}

function localDay (days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
  const [y, m, d] = today.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}
const ms = (iso: string): number => Date.parse(iso)

async function build (app: FastifyInstance, channelId: string, body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: `/api/channels/${channelId}/build`, headers: operator, payload: body })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json()
}

async function eventsOf (app: FastifyInstance, channelId: string, from: string, to: string): Promise<Event[]> {
  const res = await app.inject({ url: `/api/channels/${channelId}/events?from=${from}&to=${to}&limit=5000`, headers: viewer })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().events
}

async function setUp (app: FastifyInstance) {
  const fixture = await setUpChannel(app)
  const loops = await importPlaylist(app, m3u(20, 'loop', 600, 'Loops'), 'loops')
  const patched = await app.inject({ method: 'PATCH', url: `/api/channels/${fixture.channel.id}`, headers: operator, payload: { default_filler: loops } })
  if (patched.statusCode !== 200) throw new Error(patched.body)
  return fixture
}

/** The programme's segments are all there after the rebuild, as they were; nothing else airs in its span; its film airs nowhere else in `after`. */
function keptWhole (t: Test, programme: Event[], after: Event[]): void {
  const ids = new Set(programme.map((e) => e.id))
  t.same(after.filter((e) => ids.has(e.id)).map((e) => ({ ...e, pinned: undefined })), programme.map((e) => ({ ...e, pinned: undefined })), 'every segment of the programme kept: same ids, same times')
  const [start, end] = [ms(programme[0].start), ms(programme.at(-1)!.end)]
  t.same(after.filter((e) => !ids.has(e.id) && ms(e.start) < end && start < ms(e.end)).map((e) => e.title), [], 'nothing else airs inside it')
  const film = programme.find((e) => e.segment_role === 'part')!
  t.same(after.filter((e) => e.video_url === film.video_url && !ids.has(e.id)).map((e) => e.start), [], 'its film is not aired again')
  t.same(after.filter((e, i) => i > 0 && ms(e.start) < ms(after[i - 1].end)).map((e) => e.start), [], 'no overlap')
}

t.test('one pinned break keeps its whole film programme through a rebuild with another seed', async (t) => {
  const { app, config } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const range = { from: localDay(7), to: localDay(7) }
  await build(app, channel.id, { ...range, seed: 'one' })
  const [from, to] = [`${localDay(6)}T12:00:00Z`, `${localDay(8)}T12:00:00Z`]
  const before = await eventsOf(app, channel.id, from, to)
  const firstFilm = before.find((e) => e.origin.kind === 'item' && e.origin.block === 'films')!
  const programme = before.filter((e) => e.programme_id === firstFilm.programme_id)
  t.ok(programme.some((e) => e.segment_role === 'break') && programme.filter((e) => e.segment_role === 'part').length > 1, 'the film is parts and breaks')
  const store = config.databaseUrl === null ? await openSqliteStore(config.dataDir) : await openPostgresStore(config.databaseUrl)
  t.teardown(() => store.close())
  t.equal(await store.channels.setPinned(programme.find((e) => e.segment_role === 'break')!.id, true), true, 'one of its breaks pinned')

  const rebuilt = await build(app, channel.id, { ...range, seed: 'two' })
  t.equal(rebuilt.stats.kept_pinned, programme.length, 'kept_pinned counts the programme\'s segments')
  keptWhole(t, programme, await eventsOf(app, channel.id, from, to))
})

t.test('a programme frozen by its first minute is kept whole, past the freeze', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const range = { from: localDay(1), to: localDay(2) }
  await build(app, channel.id, { ...range, seed: 'one' })
  const [from, to] = [`${localDay(0)}T12:00:00Z`, `${localDay(3)}T12:00:00Z`]
  const before = await eventsOf(app, channel.id, from, to)
  const film = before.find((e) => e.origin.kind === 'item' && e.origin.block === 'films')!
  const programme = before.filter((e) => e.programme_id === film.programme_id)
  // The freeze ends a minute into the film: its other parts, breaks and pad start after it.
  const freezeHours = (ms(programme[0].start) + 60_000 - Date.now()) / HOUR
  t.ok(programme.filter((e) => ms(e.start) > ms(programme[0].start) + 60_000).length > 3, 'most of the programme starts after the freeze')

  const rebuilt = await build(app, channel.id, { ...range, seed: 'two', freeze_hours: freezeHours })
  const after = await eventsOf(app, channel.id, from, to)
  t.ok(rebuilt.stats.kept_frozen >= programme.length, 'kept_frozen counts the programme\'s segments')
  keptWhole(t, programme, after)
  const later = (events: Event[]): string[] => events.filter((e) => ms(e.start) >= ms(programme.at(-1)!.end)).map((e) => `${e.start} ${e.title}`)
  t.notSame(later(after), later(before), 'what follows it was rebuilt from the new seed')
})

t.test('a rebuild freezing a Saturday\'s first episodes goes on with the next ones: none aired twice', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const range = { from: localDay(0), to: localDay(14) }
  await build(app, channel.id, { ...range, seed: 'one' })
  const [from, to] = [`${localDay(-1)}T12:00:00Z`, `${localDay(15)}T12:00:00Z`]
  const series = (events: Event[]): Event[] => events.filter((e) => e.origin.block === 'series' && ms(e.start) > Date.now() + HOUR)
  const before = series(await eventsOf(app, channel.id, from, to))
  t.ok(before.length >= 4, 'two Saturdays of episodes ahead')
  // The freeze ends a minute into the first Saturday's second episode: the two are kept.
  const freezeHours = (ms(before[1].start) + 60_000 - Date.now()) / HOUR
  await build(app, channel.id, { ...range, seed: 'two', freeze_hours: freezeHours })
  const after = series(await eventsOf(app, channel.id, from, to))
  t.same(after.slice(0, 2).map((e) => e.id), before.slice(0, 2).map((e) => e.id), 'the frozen episodes kept')
  t.same(after.map((e) => e.title), before.map((e) => e.title), 'the next Saturday goes on where the kept ones stopped')
  t.equal(new Set(after.map((e) => e.title)).size, after.length, 'no episode twice')
})
