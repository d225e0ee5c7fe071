import { stat } from 'node:fs/promises'
import { join, posix } from 'node:path'
import { openPostgresStore } from '../workers/storage/postgres.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import type { Store } from '../workers/storage/store.js'
import type { MediaItemInput } from '../workers/storage/media.js'
import { probe } from '../workers/media/probe.js'
import type { Config } from '../lib/config.js'

// A media library seeded the way a scan leaves it (SPEC §16), for tests that need library items
// before (or without) the scan API: each file really probed with the npm ffprobe, stored
// through store.media's own scan steps (startScan, then one storeScanTask that ends it done) on the test
// app's database. What the file name would say (show, season, episode) is given here, so a
// test does not depend on the scan's name parsing.

/** What a test says of a file beside its probe; `duration: null` or `problem` plant what a probe could answer. */
export interface SeededFile {
  title?: string
  show?: string
  season?: number
  episode?: number
  category?: string
  /** override the probe: null plants an item of unknown duration */
  duration?: null
  problem?: string
}

/** The app's store, opened in this process on its database (SQLite file or PostgreSQL). */
export async function storeOf (config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  return config.databaseUrl === null ? await openSqliteStore(config.dataDir) : await openPostgresStore(config.databaseUrl)
}

/** A new library over `root` (absolute); its id. */
export async function createLibrary (store: Store, name: string, root: string): Promise<string> {
  const library = await store.media.createLibrary({ name, root }, Date.now())
  if (library === null) throw new Error(`a library has the root ${root} already`)
  return library.id
}

/** One scan of the library that sees exactly `files` (relative path → what to store beside the probe): others are removed. */
export async function scanInto (store: Store, libraryId: string, root: string, files: Record<string, SeededFile>): Promise<void> {
  const { scan } = await store.media.startScan(libraryId, Date.now())
  const items: MediaItemInput[] = []
  for (const [path, given] of Object.entries(files)) {
    const file = join(root, path)
    const [facts, probed] = await Promise.all([stat(file), probe(file)])
    const folder = posix.dirname(path) === '.' ? '' : posix.dirname(path)
    items.push({
      library_id: libraryId,
      path,
      folder,
      size: facts.size,
      mtime_ms: Math.floor(facts.mtimeMs), // whole ms, as a scan's walk stores it
      duration_ms: given.duration === null ? null : probed.durationMs,
      chapters: JSON.stringify(probed.chapters),
      container: probed.container,
      video: probed.video,
      audio: probed.audio,
      title: given.title ?? posix.basename(path).replace(/\.[^.]+$/, ''),
      show: given.show ?? null,
      season: given.season ?? null,
      episode: given.episode ?? null,
      year: null,
      description: null,
      category: given.category ?? null,
      problem: given.problem ?? probed.problem,
      probed_ms: Date.now(),
      seen_scan_id: scan.id
    })
  }
  const progress = { files_seen: items.length, probed: items.length, cached: 0, failed: 0, removed: 0, skipped: [], cursor: null }
  await store.media.storeScanTask(scan.id, null, [], items, progress, Date.now())
}
