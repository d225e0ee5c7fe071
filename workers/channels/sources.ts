import { videoKey } from '../schedule/checks/cooldown.js'
import { isLiveUrl } from '../media/probe.js'
import { entriesOf, type Entry } from '../orders/index.js'
import { fillerSource, kindOf, sourceKey } from './source-kinds/index.js'
import type { Block, BlockSource, BuildWarning, SourceItem } from './types.js'

// What a build airs from: each source's entries, read once, a missing or empty one said once
// (by the first block that names it). No silent guesses (SPEC §16): an item whose duration is
// unknown is skipped, UNKNOWN_DURATION, unless the block sets assume_seconds (it then airs that
// long, counted in stats.items_assumed); an item whose file cannot air (its library's probe
// says why) is skipped, MEDIA_UNAVAILABLE. Each said once per item per build.

export { sourceKey }

export class SourceBook {
  private readonly entries = new Map<string, Entry[] | null>()
  private readonly said = new Set<string>()
  /** `<source key>\n<video key>` of the items a block airs for its assume_seconds: what stats.items_assumed counts */
  readonly assumed = new Set<string>()
  constructor (private readonly items: Map<string, SourceItem[]>, private readonly warn: (w: BuildWarning) => void) {}

  /** A block's source as entries, or null when it has none (said to `owner`'s name). */
  of (block: Pick<Block, 'source' | 'assume_seconds'>, owner: string): Entry[] | null {
    return this.read(block.source, owner, block.assume_seconds ?? null)
  }

  /** A filler (a playlist id or a collection id) as entries, or null when none is named or it has none. */
  filler (id: string | null | undefined, owner: string): Entry[] | null {
    return id == null || id === '' ? null : this.read(fillerSource(id), owner, null)
  }

  private read (source: BlockSource, owner: string, assume: number | null): Entry[] | null {
    const key = sourceKey(source)
    const memo = assume === null ? key : `${key}@${assume}`
    if (this.entries.has(memo)) return this.entries.get(memo)!
    const items = kindOf(source).inline?.(source) ?? this.items.get(key)
    let found: Entry[] | null = null
    if (items === undefined) this.warn({ code: 'SOURCE_MISSING', block: owner, message: `${key} of ${owner} does not exist (any more): nothing airs from it` })
    else if (items.length === 0) this.warn({ code: 'EMPTY_SOURCE', block: owner, message: `${key} of ${owner} has no items` })
    else {
      const airable = this.airable(items, key, owner, assume)
      found = airable.length === 0 ? null : entriesOf(airable)
    }
    this.entries.set(memo, found)
    return found
  }

  /** The items that can air, in source order: a known length (or the block's assumed one) and no media problem. */
  private airable (items: SourceItem[], key: string, owner: string, assume: number | null): SourceItem[] {
    const kept: SourceItem[] = []
    for (const item of items) {
      const named = `"${item.title}"${item.url === null ? '' : ` (${item.url})`}`
      if (item.problem != null) {
        this.once('MEDIA_UNAVAILABLE', item, owner, `${named} of ${key} cannot air: ${item.problem}; skipped`)
      } else if (item.url !== null && isLiveUrl(item.url)) {
        // A live source has no end: it airs as a fixed event (an override's), never as a block's item of an assumed length.
        this.once('MEDIA_UNAVAILABLE', item, owner, `${named} of ${key} is a live source: it airs only as a fixed event; skipped`)
      } else if (item.duration != null && item.duration > 0) {
        kept.push(item)
      } else if (assume !== null) {
        const itemKey = item.key ?? videoKey({ title: item.title, video_url: item.url })
        this.assumed.add(`${key}\n${itemKey}`)
        kept.push({ ...item, duration: assume, key: itemKey })
      } else {
        this.once('UNKNOWN_DURATION', item, owner, `${named} of ${key} has no known duration: skipped (the block's assume_seconds would air it as that long)`)
      }
    }
    return kept
  }

  private once (code: 'UNKNOWN_DURATION' | 'MEDIA_UNAVAILABLE', item: SourceItem, owner: string, message: string): void {
    const id = `${code}\n${item.key ?? videoKey({ title: item.title, video_url: item.url })}`
    if (this.said.has(id)) return
    this.said.add(id)
    this.warn({ code, block: owner, message })
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
