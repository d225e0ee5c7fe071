import t, { type Test } from 'tap'
import { join } from 'node:path'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import type { Store } from '../workers/storage/store.js'
import { tempDir } from './helpers.js'

// The asynchronous store's write transactions (issue 12): one connection per process, held by
// exclusive() for its work, which writes through the store it is handed.

const schedule = (name: string) => ({
  name,
  source: 'json' as const,
  channels: [],
  events: [{ title: 'News', start: Date.UTC(2026, 0, 5, 7), end: Date.UTC(2026, 0, 5, 8), video_url: 'https://cdn.example/news.mp4', category: null, description: null, tags: [], channel: null }],
  warnings: { duplicates: [], notes: [] }
})

async function store (t: Test): Promise<Store> {
  const opened = await openSqliteStore(join(tempDir(t), 'data'))
  t.teardown(() => opened.close())
  return opened
}

t.test('a throw inside exclusive() keeps none of its writes', async (t) => {
  const db = await store(t)
  await t.rejects(db.exclusive(async (tx) => {
    await tx.schedules.createSchedule(schedule('kept?'))
    await tx.playlists.createPlaylist({ name: 'p', attributes: {}, items: [{ title: 'a', url: 'https://cdn.example/a.mp4', duration: 60, group: null, tvg: {}, directives: [], season: null, episode: null }] })
    throw new Error('changed my mind')
  }), /changed my mind/)
  t.match(await db.counts(), { schedules: 0, events: 0, playlists: 0, playlist_items: 0 }, 'nothing stored')
  await db.exclusive(async (tx) => { await tx.schedules.createSchedule(schedule('stored')) })
  t.match(await db.counts(), { schedules: 1, events: 1 }, 'the next transaction commits')
})

t.test('the outer store refuses queries while exclusive() holds the connection, rather than wait for ever', async (t) => {
  const db = await store(t)
  await t.rejects(db.exclusive(async () => db.schedules.listSchedules()), /use the store exclusive\(\) gives/)
  await t.rejects(db.exclusive(async () => db.exclusive(async () => 1)), /use the store exclusive\(\) gives/)
  t.same(await db.schedules.listSchedules(), [], 'usable again once the transaction ended')
  t.equal(await db.exclusive(async (tx) => tx.exclusive(async () => 2)), 2, 'exclusive() on the transaction\'s store joins it')
})
