import { videoKey } from '../schedule/checks/cooldown.js'
import type { KeptAiring } from '../orders/series-cursor.js'
import type { KeptEvent } from './types.js'

// What a sequential block reads of the events a build keeps (SPEC §15): its series follows
// what airs, so a kept airing of it (frozen, pinned, hand-added, placed) moves it on.

/**
 * The kept events that are airings of a block's series, by start: the block's own items (its
 * id), items built from its source by another block, and events with no origin (a hand add, a
 * placed schedule's event), the last two counted by the series only when their key is one of
 * its items.
 */
export function keptAirings (kept: readonly KeptEvent[], blockId: string, source: string): KeptAiring[] {
  const airings: KeptAiring[] = []
  for (const e of kept) {
    const origin = e.origin ?? null
    if (origin !== null && origin.kind !== 'item') continue
    const own = origin !== null && origin.block === blockId
    if (origin !== null && !own && origin.source !== source) continue
    airings.push({
      start: e.start,
      key: e.video_key ?? videoKey(e),
      title: e.title,
      position: origin?.position ?? null,
      source: origin?.source ?? null,
      own
    })
  }
  return airings.sort((a, b) => a.start - b.start)
}
