import { seededRandom, shuffleInPlace } from '../autofill/random.js'
import { Rotation } from '../autofill/rotation.js'
import { DEFAULT_ITEM_SECONDS } from '../autofill/request.js'
import { videoKey } from '../schedule/checks/cooldown.js'
import { lowerBound } from '../sorted.js'
import type { Block, SequentialState, SourceItem } from './types.js'

// The orders a block airs its source in (SPEC §11): shuffle (the auto-fill's least-recent
// rotation over a seeded shuffle, with the cooldown), sequential (episode after episode,
// carried across builds, no cooldown: the order is the point) and random (with replacement,
// weighted). Every choice says why, in the words the event's `reason` carries.

/** An item with what the pickers need of it. */
export interface Entry { item: SourceItem, key: string, position: number, ms: number }

export interface Choice {
  entry: Entry
  reason: string
  /** aired inside its cooldown: nothing else could */
  overridden: boolean
  /** xmltv_ns episode number (sequential) */
  episodeNum: string | null
}

export interface Picker {
  /** The next item for `t` whose length (ms) `fits` accepts, or null when none may (the choice is not yet aired). */
  choose: (t: number, fits: (ms: number) => boolean) => Choice | null
  aired: (choice: Choice, t: number) => void
}

/**
 * The plays every picker of one build shares, by videoKey (sorted starts): the channel's
 * stored plays plus this build's own, so a video in two blocks keeps its cooldown across both.
 */
export class PlayLog {
  private readonly starts = new Map<string, number[]>()
  constructor (private readonly stored: Map<string, number[]>) {}
  /** The sorted starts of `key` (one array per key, shared with the rotations that read it). */
  of (key: string): number[] {
    let starts = this.starts.get(key)
    if (starts === undefined) this.starts.set(key, starts = [...(this.stored.get(key) ?? [])])
    return starts
  }

  get map (): Map<string, number[]> { return this.starts }

  add (key: string, t: number): void {
    const starts = this.of(key)
    if (starts.length === 0 || starts[starts.length - 1] <= t) starts.push(t)
    else starts.splice(lowerBound(starts, t), 0, t)
  }

  /** The play of `key` nearest `t` within `cooldownMs` either side, or null. */
  conflict (key: string, t: number, cooldownMs: number): number | null {
    if (cooldownMs <= 0) return null
    const starts = this.of(key)
    const i = lowerBound(starts, t - cooldownMs + 1)
    return i < starts.length && starts[i] < t + cooldownMs ? starts[i] : null
  }

  /** The last play of `key` before `t`, or -Infinity. */
  lastBefore (key: string, t: number): number {
    const starts = this.of(key)
    return starts[lowerBound(starts, t) - 1] ?? -Infinity
  }
}

export const entryMs = (item: SourceItem): number => (item.duration != null && item.duration > 0 ? item.duration : DEFAULT_ITEM_SECONDS) * 1000

/** The source's items as entries, in source order. */
export const entriesOf = (items: SourceItem[]): Entry[] =>
  items.map((item, position) => ({ item, key: item.key ?? videoKey({ title: item.title, video_url: item.url }), position, ms: entryMs(item) }))

/** How many entries a random pick looks through when every draw failed. */
const RANDOM_SCAN = 256

const hoursAgo = (ms: number): string => `${Math.round(ms / 360_000) / 10} h`

/** shuffle: a seeded permutation, then the least-recent rotation with the block's cooldown. */
export function shufflePicker (entries: Entry[], seed: string, plays: PlayLog, start: number, cooldownMs: number): Picker {
  const order = shuffleInPlace([...entries], seededRandom(seed))
  for (const e of order) plays.of(e.key) // the rotation reads the shared arrays, so this build's plays count
  const rotation = new Rotation(order.map((e) => ({ item: e, key: e.key, category: e.item.category })), plays.map, start, cooldownMs)
  let previousCategory: string | null = null
  return {
    choose (t, fits) {
      const found = rotation.pick(t, { previousCategory, fits: (e) => fits(e.ms) })
      if (found.node !== null) {
        return { entry: found.node.item, reason: found.skipped > 0 ? `shuffle: skipped ${found.skipped} in cooldown` : 'shuffle: least recently aired', overridden: false, episodeNum: null }
      }
      const least = found.leastRecent
      // When an item out of cooldown is only too long for the time left, the block pads or leaves a gap: its cooldown does not give.
      if (least === null || rotation.pick(t).node !== null) return null
      const last = plays.lastBefore(least.key, t)
      return { entry: least.item, reason: `shuffle: every item in cooldown; least recent${Number.isFinite(last) ? ` (${hoursAgo(t - last)} ago)` : ''}`, overridden: true, episodeNum: null }
    },
    aired (choice, t) {
      const node = rotation.find(choice.entry.key)
      previousCategory = choice.entry.item.category
      plays.add(choice.entry.key, t)
      if (node !== undefined) rotation.aired(node, t)
    }
  }
}

/** sequential: the item after the last one this block aired, wrapping; restarts when the source changed. */
export function sequentialPicker (entries: Entry[], state: SequentialState | undefined, source: string, plays: PlayLog, onRestart: () => void): Picker {
  let cursor = 0
  if (state !== undefined && entries.length > 0) {
    if (state.source !== source) onRestart()
    else {
      const at = entries.findIndex((e) => e.key === state.key)
      cursor = (at >= 0 ? at + 1 : (state.position ?? -1) + 1) % entries.length
    }
  }
  const n = entries.length
  return {
    choose (_t, fits) {
      if (n === 0) return null
      const entry = entries[cursor]
      // An episode that does not fit waits for the next time: one is never skipped.
      if (!fits(entry.ms)) return null
      return { entry, reason: `sequential: episode ${cursor + 1} of ${n}`, overridden: false, episodeNum: `.${cursor}/${n}.` }
    },
    aired (choice, t) {
      plays.add(choice.entry.key, t)
      cursor = (choice.entry.position + 1) % n
    }
  }
}

/** random: with replacement, weighted by `weight` (default 1); an item in cooldown is drawn again, up to 16 times. */
export function randomPicker (entries: Entry[], seed: string, plays: PlayLog, cooldownMs: number): Picker {
  const weights = entries.map((e) => (typeof e.item.weight === 'number' && e.item.weight > 0 && Number.isFinite(e.item.weight) ? e.item.weight : 1))
  const cumulative: number[] = []
  let total = 0
  for (const w of weights) cumulative.push(total += w)
  const random = seededRandom(seed)
  const draw = (): number => Math.min(entries.length - 1, lowerBound(cumulative, random() * total + Number.EPSILON))
  const spoken = (i: number): string => `random: weight ${weights[i]} of ${total}`
  return {
    choose (t, fits) {
      if (entries.length === 0) return null
      let redrawn = 0
      for (let attempt = 0; attempt < 16; attempt++) {
        const i = draw()
        const e = entries[i]
        if (!fits(e.ms) || plays.conflict(e.key, t, cooldownMs) !== null) { redrawn++; continue }
        return { entry: e, reason: redrawn > 0 ? `${spoken(i)} (drawn again ${redrawn}×: cooldown or length)` : spoken(i), overridden: false, episodeNum: null }
      }
      // Every draw was in cooldown or too long: the least recently aired item that fits, among
      // the RANDOM_SCAN entries after one more draw (bounded work, as the rotation's SCAN_WINDOW).
      let best: Entry | null = null
      let bestLast = Infinity
      let free = false
      let tooLongFree = false
      const from = draw()
      for (let k = 0; k < Math.min(entries.length, RANDOM_SCAN); k++) {
        const e = entries[(from + k) % entries.length]
        const isFree = plays.conflict(e.key, t, cooldownMs) === null
        if (!fits(e.ms)) { tooLongFree ||= isFree; continue }
        const last = plays.lastBefore(e.key, t)
        if ((isFree && !free) || (isFree === free && last < bestLast)) { best = e; bestLast = last; free = isFree }
      }
      // As for shuffle: an item out of cooldown but too long for the time left means pad or gap, not a broken cooldown.
      if (best === null || (!free && tooLongFree)) return null
      return { entry: best, reason: free ? 'random: least recently aired out of cooldown after 16 draws' : 'random: every item in cooldown; least recent', overridden: !free, episodeNum: null }
    },
    aired (choice, t) { plays.add(choice.entry.key, t) }
  }
}

/** A block of one fixed item: that item every time (its cooldown does not apply). */
export function itemPicker (entry: Entry, plays: PlayLog): Picker {
  return {
    choose: (_t, fits) => fits(entry.ms) ? { entry, reason: 'fixed item of the block', overridden: false, episodeNum: null } : null,
    aired: (choice, t) => { plays.add(choice.entry.key, t) }
  }
}

/** The picker of a block over its source's entries. */
export function pickerFor (block: Block, entries: Entry[], o: { seed: string, plays: PlayLog, start: number, cooldownMs: number, source: string, state: SequentialState | undefined, onRestart: () => void }): Picker {
  if ('item' in block.source) return itemPicker(entries[0], o.plays)
  switch (block.order ?? 'shuffle') {
    case 'sequential': return sequentialPicker(entries, o.state, o.source, o.plays, o.onRestart)
    case 'random': return randomPicker(entries, o.seed, o.plays, o.cooldownMs)
    default: return shufflePicker(entries, o.seed, o.plays, o.start, o.cooldownMs)
  }
}
