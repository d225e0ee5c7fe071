import { normalizeTitle } from '../schedule/checks/duplicates.js'
import type { AtEnd, SequentialState } from '../channels/types.js'
import type { Entry, KeptAiring, PickRoom, SeriesHooks } from './types.js'

// Where a sequential block is in its series (SPEC §15): after the last item it aired, read
// from everything that airs before the point being built: the stored plays before the build
// (its SequentialState) and the airings the build keeps inside its range (frozen, pinned,
// hand-added, placed), passed in time order as the build goes. An item is found by identity
// (its key: URL or path; then its title), so a playlist replaced in place, or a block pointed
// at a re-import of it, goes on; a series whose last aired item is gone starts again, said.

export class SeriesCursor {
  /** the index in the entries of the next item to air; null: the series stopped (at_end stop) */
  private next: number | null = 0
  /** the item the series wrapped from to reach `next` (said when the wrapped item airs) */
  private wrappedFrom: Entry | null = null
  private wrapSaid = false
  private passed = 0
  private readonly restartSaid = new Set<string>()
  /** the indices of each key, in order */
  private readonly byKey = new Map<string, number[]>()

  constructor (
    private readonly entries: Entry[],
    state: SequentialState | undefined,
    /** sorted by start */
    private readonly kept: readonly KeptAiring[],
    private readonly atEnd: AtEnd,
    private readonly hooks: SeriesHooks
  ) {
    entries.forEach((e, i) => { this.byKey.get(e.key)?.push(i) ?? this.byKey.set(e.key, [i]) })
    if (state !== undefined) this.after(state, true)
  }

  /**
   * The index of the item to air at `t`, or null: the series stopped, or it waits for a kept
   * airing of it inside this block instance (`room`) rather than air that item twice or air
   * one across it (pushed after it, out of order).
   */
  at (t: number, room?: PickRoom): number | null {
    this.pass(t)
    const next = this.next
    if (next === null) return null
    const ahead = this.kept[this.passed]
    if (ahead !== undefined && room !== undefined && ahead.start < room.blockEnd) {
      const ms = this.entries[next].ms
      if (this.find(ahead, ahead.own) === next || room.landsAt(ms) + ms > ahead.start) return null
    }
    return next
  }

  /** The item at `index` airs at `t`: the series goes on after it. */
  aired (index: number, t: number): void {
    if (this.wrappedFrom !== null && !this.wrapSaid && index === this.next) {
      this.wrapSaid = true
      this.hooks.wrapped(this.wrappedFrom.item.title, t)
    }
    this.moveAfter(index)
  }

  /** Moves past the kept airings that start before `t`. */
  private pass (t: number): void {
    for (; this.passed < this.kept.length && this.kept[this.passed].start < t; this.passed++) this.after(this.kept[this.passed], this.kept[this.passed].own)
  }

  /** The series goes on after `state`'s item; when it is not in the source, an own airing starts it again (said), another is ignored. */
  private after (state: SequentialState, own: boolean): void {
    const at = this.find(state, own)
    if (at !== null) { this.moveAfter(at); return }
    if (!own) return
    const last = state.title ?? state.key
    if (!this.restartSaid.has(last)) { this.restartSaid.add(last); this.hooks.restarted(last) }
    this.next = 0
    this.wrappedFrom = null
  }

  private moveAfter (index: number): void {
    this.wrappedFrom = null
    if (index + 1 < this.entries.length) { this.next = index + 1; return }
    if (this.atEnd === 'stop') this.next = null
    else if (this.atEnd === 'repeat_last') this.next = index
    else { this.next = 0; this.wrappedFrom = this.entries[index] }
  }

  /**
   * The index of `state`'s item: by key (the one at its recorded position when the key is
   * there twice), then, for an own airing, by title; null when it is not in the source.
   */
  private find (state: SequentialState, own: boolean): number | null {
    const byKey = this.byKey.get(state.key)
    if (byKey !== undefined) return byKey.find((i) => this.entries[i].position === state.position) ?? byKey[0]
    if (!own || state.title === undefined) return null
    const title = normalizeTitle(state.title)
    const byTitle = this.entries.findIndex((e) => normalizeTitle(e.item.title) === title)
    return byTitle >= 0 ? byTitle : null
  }
}
