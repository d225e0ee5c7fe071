import { videoKey } from '../schedule/checks/cooldown.js'
import type { KeptAiring } from '../orders/types.js'
import type { KeptEvent } from './types.js'

// What a sequential block reads of the events a build keeps (SPEC §15): its series follows
// what airs, so a kept airing of it (frozen, pinned, hand-added, placed) moves it on.

/**
 * The kept events that are airings of a block's series, by start: the block's own items (its
 * id), and events of no block (a hand add, a placed schedule's event), counted by the series
 * only when their key is one of its items. Another block's items are its own series, even
 * from the same source (as the stored state is kept by block id).
 */
export function keptAirings (kept: readonly KeptEvent[], blockId: string): KeptAiring[] {
  const airings: KeptAiring[] = []
  for (const e of kept) {
    const origin = e.origin ?? null
    const own = origin !== null && origin.kind === 'item' && origin.block === blockId
    if (!own && origin !== null) continue
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
