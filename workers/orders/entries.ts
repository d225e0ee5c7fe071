import { videoKey } from '../schedule/checks/cooldown.js'
import type { SourceItem } from '../channels/types.js'
import type { Entry } from './types.js'

/**
 * An item's length in ms. A build gives the orders only items with a known length (or the
 * block's assume_seconds): channels/sources.ts skips the others, said (SPEC §16). One without
 * is a caller's bug, thrown, never a guessed length.
 */
export function entryMs (item: SourceItem): number {
  if (item.duration == null || !(item.duration > 0)) throw new Error(`an item with no known length reached a build's orders: "${item.title}"`)
  return item.duration * 1000
}

/** The source's items as entries, in source order. */
export const entriesOf = (items: SourceItem[]): Entry[] =>
  items.map((item, position) => ({ item, key: item.key ?? videoKey({ title: item.title, video_url: item.url }), position, ms: entryMs(item) }))
