import { lowerBound } from '../sorted.js'

// The least-recent rotation that the auto-fill (SPEC §5) and a channel build's shuffle
// blocks (SPEC §11) both air from: the items in a doubly linked list ordered by last play,
// least recent first. A pick looks at most SCAN_WINDOW items into it, so the work per pick is
// bounded by that, not by the number of items.

/** How far into the rotation one pick looks for an item out of cooldown. */
export const SCAN_WINDOW = 64

export interface RotationNode<T> {
  item: T
  key: string
  category: string | null
  /** starts of this video's stored plays, sorted */
  stored: number[]
  /** how long a play of it keeps it from airing again (ms) */
  cooldownMs: number
  lastPlay: number
  plays: number
  prev: RotationNode<T> | null
  next: RotationNode<T> | null
}

export interface PickOptions<T> {
  /** The previous event's category: an item of another one is preferred within the round. */
  previousCategory?: string | null
  /** Only items this accepts are considered (e.g. those that fit before a block's end). */
  fits?: (item: T) => boolean
  /** Told each item passed over for its cooldown, with how many were looked at before it, and its conflicting play. */
  onSkip?: (node: RotationNode<T>, looked: number, conflict: number) => void
}

export interface Pick<T> {
  /** The item to air, or null when none in the scan window is out of cooldown (and accepted). */
  node: RotationNode<T> | null
  /** The first accepted item in the rotation, in cooldown or not: what airs when the cooldown must give. */
  leastRecent: RotationNode<T> | null
  /** How many accepted items were passed over for their cooldown. */
  skipped: number
  /** When the first passed-over item leaves its cooldown (Infinity when none was passed over). */
  earliestFree: number
}

export class Rotation<T> {
  private head: RotationNode<T> | null = null
  private tail: RotationNode<T> | null = null
  private readonly byKey = new Map<string, RotationNode<T>>()
  readonly size: number

  /**
   * `ordered`: the items in their first order (already shuffled or not), one per key (a
   * later duplicate key is dropped). `storedPlays`: sorted starts by key; the play before
   * `start` is each item's last play, and the rotation starts least recent first (a stable
   * sort keeps the given order among equals). `cooldown`: one for every item, or each item's
   * own (SPEC §15: a channel's items resolve theirs by playlist and category).
   */
  constructor (
    ordered: Array<{ item: T, key: string, category: string | null }>,
    storedPlays: Map<string, number[]>,
    start: number,
    cooldown: number | ((item: T) => number)
  ) {
    const seen = new Set<string>()
    const nodes: Array<RotationNode<T>> = []
    for (const { item, key, category } of ordered) {
      if (seen.has(key)) continue
      seen.add(key)
      const stored = storedPlays.get(key) ?? []
      const before = stored[lowerBound(stored, start) - 1]
      const cooldownMs = typeof cooldown === 'number' ? cooldown : cooldown(item)
      nodes.push({ item, key, category, stored, cooldownMs, lastPlay: before ?? -Infinity, plays: 0, prev: null, next: null })
    }
    nodes.sort((a, b) => a.lastPlay === b.lastPlay ? 0 : a.lastPlay - b.lastPlay) // -Infinity - -Infinity is NaN
    for (const node of nodes) { this.append(node); this.byKey.set(node.key, node) }
    this.size = nodes.length
  }

  /** The node of a key. */
  find (key: string): RotationNode<T> | undefined { return this.byKey.get(key) }

  get front (): RotationNode<T> | null { return this.head }

  /** The play that keeps `node` in its cooldown at `t` (its last play, or a stored one before or after), or null. */
  inCooldown (node: RotationNode<T>, t: number): number | null {
    const cooldown = node.cooldownMs
    if (t - node.lastPlay < cooldown) return node.lastPlay
    const near = node.stored[lowerBound(node.stored, t - cooldown + 1)]
    return near !== undefined && near < t + cooldown ? near : null
  }

  /**
   * The least recently played item out of cooldown at `t` among the first SCAN_WINDOW,
   * preferring one whose category differs from the previous event's, but never one a round
   * ahead of the others (so every item airs at most once more than any other).
   */
  pick (t: number, { previousCategory = null, fits, onSkip }: PickOptions<T> = {}): Pick<T> {
    const front = this.head
    let pick: RotationNode<T> | null = null
    let sameRound: RotationNode<T> | null = null
    let anyFree: RotationNode<T> | null = null
    let leastRecent: RotationNode<T> | null = null
    let earliestFree = Infinity
    let skipped = 0
    let looked = 0
    for (let node = front; node !== null && looked < SCAN_WINDOW; node = node.next, looked++) {
      if (fits !== undefined && !fits(node.item)) continue
      leastRecent ??= node
      const conflict = this.inCooldown(node, t)
      if (conflict !== null) {
        earliestFree = Math.min(earliestFree, conflict + node.cooldownMs)
        onSkip?.(node, looked, conflict)
        skipped++
        continue
      }
      anyFree ??= node
      // An item a round ahead of the front is taken only when its whole round is in cooldown.
      if (node.plays !== front!.plays) break
      sameRound ??= node
      if (previousCategory === null || node.category !== previousCategory) { pick = node; break }
    }
    return { node: pick ?? sameRound ?? anyFree, leastRecent, skipped, earliestFree }
  }

  /** `node` aired at `t`: it goes to the back of the rotation. */
  aired (node: RotationNode<T>, t: number): void {
    node.lastPlay = t
    node.plays++
    this.remove(node)
    this.append(node)
  }

  private append (node: RotationNode<T>): void {
    node.prev = this.tail
    node.next = null
    if (this.tail !== null) this.tail.next = node
    else this.head = node
    this.tail = node
  }

  private remove (node: RotationNode<T>): void {
    if (node.prev !== null) node.prev.next = node.next
    else this.head = node.next
    if (node.next !== null) node.next.prev = node.prev
    else this.tail = node.prev
  }
}
