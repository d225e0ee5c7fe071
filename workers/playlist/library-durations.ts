import { posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Store } from '../storage/store.js'
import type { PlaylistItem } from './model.js'

// SPEC §16: a playlist imported (or replaced) takes the probed length of every item whose path
// lies inside a declared media library: the probe is the truth, whatever #EXTINF said. The
// import then says how many items still have no known duration (a channel build skips those,
// UNKNOWN_DURATION, unless the block sets assume_seconds).

/** An item's absolute local path (`/abs/path` or `file:///abs/path`), normalized; null for anything else. */
export function localPath (url: string): string | null {
  let path: string
  if (url.startsWith('file://')) {
    try { path = fileURLToPath(url) } catch { return null }
  } else if (url.startsWith('/')) path = url
  else return null
  return posix.normalize(path)
}

/** The library holding `path` (the longest root it lies under) and the path relative to that root. */
function placeIn (libraries: Array<{ id: string, root: string }>, path: string): { library: string, rel: string } | null {
  let best: { library: string, rel: string, depth: number } | null = null
  for (const { id, root } of libraries) {
    const base = root.endsWith('/') ? root : `${root}/`
    const deeper = best === null || base.length > best.depth
    if (path.startsWith(base) && path.length > base.length && deeper) best = { library: id, rel: path.slice(base.length), depth: base.length }
  }
  return best === null ? null : { library: best.library, rel: best.rel }
}

export interface DurationFacts {
  /** items whose duration is now the library's probed one */
  library_durations: number
  /** items with no known duration still */
  without_duration: number
}

/** The items with each one inside a library given its probed duration (in place), and the counts the answer carries. */
export async function withLibraryDurations (db: Store, items: PlaylistItem[]): Promise<DurationFacts> {
  const libraries = await db.media.roots()
  const wanted = new Map<string, Array<{ item: PlaylistItem, rel: string }>>()
  if (libraries.length > 0) {
    for (const item of items) {
      const path = localPath(item.url)
      const place = path === null ? null : placeIn(libraries, path)
      if (place !== null) wanted.get(place.library)?.push({ item, rel: place.rel }) ?? wanted.set(place.library, [{ item, rel: place.rel }])
    }
  }
  let probed = 0
  for (const [library, found] of wanted) {
    const rows = await db.media.itemsAt(library, [...new Set(found.map((f) => f.rel))])
    for (const { item, rel } of found) {
      const row = rows.get(rel)
      if (row?.duration_ms == null || row.problem !== null) continue
      item.duration = Math.round(Number(row.duration_ms)) / 1000
      probed++
    }
  }
  // TODO(issue 26, helper A): remote http(s) items with no duration take workers/media/remote.ts's
  // remoteDurations(store, urls) here once it is on main.
  return { library_durations: probed, without_duration: items.filter((i) => i.duration === null || !(i.duration > 0)).length }
}

/** The import's warning when items have no known duration (null when all have one). */
export const noDurationWarning = (count: number): string | null => count === 0
  ? null
  : `${count} ${count === 1 ? 'item has' : 'items have'} no known duration: a channel build skips ${count === 1 ? 'it' : 'them'} (UNKNOWN_DURATION) unless the block sets assume_seconds`
