import type { Config } from '../lib/config.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import { newId } from '../workers/ids.js'
import type { BuiltEvent } from '../workers/channels/types.js'

// Issue 21: paged reads of a channel of 150,000 stored events through the API (SPEC §12): the
// largest page (5,000) and the default page (now → now + 7 days), and another key's
// GET /api/schedules while one key reads four largest pages at once, against the list alone.

const MINUTE_MS = 60_000

/**
 * Stores `count` built events of `minutes` each, back to back from `from`, on a channel, through
 * the worker's storage as a build stores them (one transaction): a large channel in seconds,
 * without a build's work. Tests reuse it (test/paging.test.ts).
 */
export async function storeBuiltEvents (config: Pick<Config, 'dataDir' | 'databaseUrl'>, channelId: string, count: number, from: number, minutes = 5): Promise<void> {
  const store = config.databaseUrl === null ? await openSqliteStore(config.dataDir) : await openPostgresStore(config.databaseUrl)
  try {
    const step = minutes * MINUTE_MS
    const events: BuiltEvent[] = Array.from({ length: count }, (_, i) => ({
      title: `Programme ${i % 500}`,
      start: from + i * step,
      end: from + (i + 1) * step,
      video_url: `https://cdn.example/programme-${i % 500}.mp4`,
      video_key: `https://cdn.example/programme-${i % 500}.mp4`,
      category: 'Film',
      icon: null,
      origin: { kind: 'item', block: 'all-day' },
      origin_source: 'playlist:bench',
      origin_position: i % 500,
      reason: 'shuffle: skipped 0 in cooldown',
      guide_id: `g-${i}`,
      guide_title: null,
      in_ms: 0,
      episode_num: null,
      build_id: 'stored'
    }))
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
    const stored = await store.channels.replaceBuild(channelId, { from, to: from + count * step }, [], events, {
      id: newId(), from_date: day(from), to_date: day(from + count * step), seed: 'stored', freeze_hours: 0, stats: { events: count }, warnings: []
    })
    if (stored === null) throw new Error(`no channel ${channelId}`)
  } finally {
    await store.close()
  }
}
