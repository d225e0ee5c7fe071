import { videoKey } from '../schedule/checks/cooldown.js'
import { entriesOf, type Entry } from '../orders/index.js'
import type { BlockSource, BuildWarning, SourceItem } from './types.js'

// What a build airs from: each source's entries, read once, a missing or empty one said once
// (by the first block that names it).

/** Where a block's items come from, as one key: `playlist:<id>`, `playlist:<id>#<group>` or `item:<videoKey>`. */
export function sourceKey (source: BlockSource): string {
  if ('item' in source) return `item:${videoKey({ title: source.item.title, video_url: source.item.url })}`
  if ('collection' in source) return `collection:${source.collection}`
  return source.group != null && source.group !== '' ? `playlist:${source.playlist}#${source.group}` : `playlist:${source.playlist}`
}

export class SourceBook {
  private readonly entries = new Map<string, Entry[] | null>()
  constructor (private readonly items: Map<string, SourceItem[]>, private readonly warn: (w: BuildWarning) => void) {}

  /** A block's source as entries, or null when it has none (said to `owner`'s name). */
  of (source: BlockSource, owner: string): Entry[] | null {
    return this.read(sourceKey(source), source, owner)
  }

  /** A filler playlist as entries, or null when none is named or it has none. */
  playlist (playlistId: string | null | undefined, owner: string): Entry[] | null {
    return playlistId == null || playlistId === '' ? null : this.read(`playlist:${playlistId}`, null, owner)
  }

  private read (key: string, source: BlockSource | null, owner: string): Entry[] | null {
    if (this.entries.has(key)) return this.entries.get(key)!
    let found: Entry[] | null
    if (source !== null && 'item' in source) found = entriesOf([{ url: source.item.url, title: source.item.title, duration: source.item.duration, category: null }])
    else {
      const items = this.items.get(key)
      if (items === undefined) this.warn({ code: 'SOURCE_MISSING', block: owner, message: `${key} of ${owner} does not exist (any more): nothing airs from it` })
      else if (items.length === 0) this.warn({ code: 'EMPTY_SOURCE', block: owner, message: `${key} of ${owner} has no items` })
      found = items === undefined || items.length === 0 ? null : entriesOf(items)
    }
    this.entries.set(key, found)
    return found
  }
}

const shortestOf = new WeakMap<Entry[], number>()
/** The shortest entry's length (Infinity for none), once per source. */
export function shortest (entries: Entry[] | null): number {
  if (entries === null) return Infinity
  let known = shortestOf.get(entries)
  if (known === undefined) {
    known = Infinity
    for (const e of entries) known = Math.min(known, e.ms)
    shortestOf.set(entries, known)
  }
  return known
}
