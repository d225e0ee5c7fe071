import type { Store } from '../storage/store.js'
import { libraryUrls } from '../media/library-urls.js'
import { remoteDurations, type RemoteLength } from '../media/remote.js'
import type { PlaylistItem } from './model.js'

// SPEC §16: a playlist imported (or replaced) takes the probed length of every item whose path
// lies inside a declared media library: the probe is the truth, whatever #EXTINF said; a remote
// http(s) item with no length is probed (workers/media/remote.ts: short timeouts, a budget,
// answers kept by URL). The import then says how many items still have no known duration (a
// channel build skips those, UNKNOWN_DURATION, unless the block sets assume_seconds).

export interface DurationFacts {
  /** items whose duration is now the library's probed one */
  library_durations: number
  /** items with no known duration still */
  without_duration: number
}

/** The items with each one inside a library, or remote without a length, given its probed duration (in place), and the counts the answer carries. */
export async function withLibraryDurations (db: Store, items: PlaylistItem[], atMs: number): Promise<DurationFacts> {
  const library = await libraryUrls(db, items.map((i) => i.url))
  let probed = 0
  for (const i of items) {
    const item = library.get(i.url)?.item
    if (item?.duration_ms == null || item.problem !== null) continue
    i.duration = Math.round(item.duration_ms) / 1000
    probed++
  }
  const unknown = (i: PlaylistItem): boolean => i.duration === null || !(i.duration > 0)
  // SCHEDULEFLOW_PROBE_REMOTE=false (the service's config, handed to its workers): remote items keep what the M3U said.
  const remote = process.env.SCHEDULEFLOW_PROBE_REMOTE === 'false' ? new Map<string, RemoteLength>() : await remoteDurations(db, items.filter(unknown).map((i) => i.url), atMs)
  for (const i of items) {
    const length = remote.get(i.url)?.durationMs
    if (unknown(i) && length != null && length > 0) i.duration = length / 1000
  }
  return { library_durations: probed, without_duration: items.filter(unknown).length }
}

/** The import's warning when items have no known duration (null when all have one). */
export const noDurationWarning = (count: number): string | null => count === 0
  ? null
  : `${count} ${count === 1 ? 'item has' : 'items have'} no known duration: a channel build skips ${count === 1 ? 'it' : 'them'} (UNKNOWN_DURATION) unless the block sets assume_seconds`
