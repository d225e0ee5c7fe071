import t, { type Test } from 'tap'
import { join } from 'node:path'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import type { Store } from '../workers/storage/store.js'
import type { ScheduleEvent } from '../workers/schedule/model.js'
import { tempDir } from './helpers.js'

// The re-check an auto-fill makes under the write lock before storing what it computed
// without it: two stores on one SQLite file are two connections, as two workers are.

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 0, 5)
const event = (video: string, at: number): ScheduleEvent => ({ title: video, start: T0 + at * HOUR, end: T0 + (at + 1) * HOUR, video_url: `https://cdn.example/${video}.mp4`, category: null, description: null, tags: [], channel: null })
const schedule = (...events: ScheduleEvent[]) => ({ name: 'other worker', source: 'json' as const, channels: [], events, warnings: { duplicates: [], conflicts: [], conflicts_total: 0, cooldown: [], cooldown_total: 0, notes: [] } })

async function stores (t: Test): Promise<{ filler: Store, other: Store }> {
  const dir = join(tempDir(t), 'data')
  const filler = await openSqliteStore(dir)
  const other = await openSqliteStore(dir)
  t.teardown(async () => { await filler.close(); await other.close() })
  return { filler, other }
}

/** Reads the window [0 h, 48 h) as a fill does, then lets `change` happen on another connection, and asks the re-check. */
async function recheckAfter (
  t: Test,
  change: (other: Store) => Promise<unknown>,
  setup: (other: Store) => Promise<unknown> = async () => {}
): Promise<boolean> {
  const { filler, other } = await stores(t)
  await setup(other)
  const reading = await filler.readPlays(T0, T0 + 48 * HOUR)
  for (const _play of reading.plays);
  await change(other)
  return filler.exclusive((tx) => tx.playsUnchanged(reading))
}

t.test('the window is unchanged when nothing, or only something outside it, was written', async (t) => {
  t.equal(await recheckAfter(t, async () => {}), true, 'no write at all')
  t.equal(await recheckAfter(t, (o) => o.schedules.createSchedule(schedule(event('later', 100)))), true, 'a schedule outside the window')
  t.equal(await recheckAfter(t, (o) => o.playlists.createPlaylist({ name: 'p', attributes: {}, items: [] })), true, 'a playlist')
})

t.test('the window has changed when a play in it was added or removed', async (t) => {
  t.equal(await recheckAfter(t, (o) => o.schedules.createSchedule(schedule(event('a', 10)))), false, 'a play added')
  let id = ''
  t.equal(await recheckAfter(t, (o) => o.schedules.deleteSchedule(id), async (o) => { id = (await o.schedules.createSchedule(schedule(event('a', 10), event('b', 70)))).id }), false, 'a play removed')
  t.equal(await recheckAfter(t, async (o) => {
    await o.schedules.deleteSchedule(id)
    await o.schedules.createSchedule(schedule(event('c', 10)))
  }, async (o) => { id = (await o.schedules.createSchedule(schedule(event('a', 10)))).id }), false, 'one play replaced by another: same count, other video')
  t.equal(await recheckAfter(t, async (o) => {
    await o.schedules.deleteSchedule(id)
    await o.schedules.createSchedule(schedule(event('a', 11)))
  }, async (o) => { id = (await o.schedules.createSchedule(schedule(event('a', 10)))).id }), false, 'the same video moved within the window')
})

t.test('asking before the plays were read is a programming error', async (t) => {
  const { filler } = await stores(t)
  const reading = await filler.readPlays(T0, T0 + HOUR)
  await t.rejects(filler.exclusive((tx) => tx.playsUnchanged(reading)), /before the plays were read/)
})
