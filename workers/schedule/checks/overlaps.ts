import { iso } from '../model.js'
import type { OverlapReport, OverlapSide } from '../../../contract/api.js'

export const MAX_LISTED_OVERLAPS = 1000

export type { OverlapReport, OverlapSide }

export interface TimedEvent {
  /** In its schedule's events; null for an event of another schedule (then `schedule_id` names it). */
  index: number | null
  title: string
  start: number
  end: number
  channel: string | null
  /** Set when read from storage, so a warning can name the event. */
  id?: string
  /** Set for an event of another schedule: it is only reported beside one of the schedule's own. */
  schedule_id?: string
}

/** A binary min-heap of events by end: the sweep's set of events still on air. */
class EndHeap<T extends { end: number }> {
  readonly items: T[] = []
  get size (): number { return this.items.length }
  peek (): T | undefined { return this.items[0] }
  push (item: T): void {
    const a = this.items
    a.push(item)
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1
      if (a[parent].end <= a[i].end) break;
      [a[parent], a[i]] = [a[i], a[parent]]
      i = parent
    }
  }

  pop (): T | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last !== undefined) {
      a[0] = last
      for (let i = 0; ;) {
        const l = 2 * i + 1
        const r = l + 1
        let least = i
        if (l < a.length && a[l].end < a[least].end) least = l
        if (r < a.length && a[r].end < a[least].end) least = r
        if (least === i) break;
        [a[least], a[i]] = [a[i], a[least]]
        i = least
      }
    }
    return top
  }
}

const side = (e: TimedEvent): OverlapSide => ({
  index: e.index,
  title: e.title,
  start: iso(e.start),
  end: iso(e.end),
  ...(e.id !== undefined && { event_id: e.id }),
  ...(e.schedule_id !== undefined && { schedule_id: e.schedule_id })
})
/** Stored, not one of the events checked: of another schedule, or built on a channel (no schedule). */
const isOther = (e: TimedEvent): boolean => e.index === null

/**
 * Every pair of events on one channel whose half-open intervals [start, end) intersect;
 * back-to-back events do not overlap. Sort and sweep: O(n log n + pairs listed), the
 * total counted from the heap size without listing every pair. Stored events (index null: of
 * other schedules, or built on a channel) count only in pairs with one of the schedule's own events.
 */
export function detectOverlaps (events: TimedEvent[], maxListed = MAX_LISTED_OVERLAPS): { overlaps: OverlapReport[], total: number } {
  const overlaps: OverlapReport[] = []
  let total = 0
  const byChannel = new Map<string, TimedEvent[]>()
  for (const e of events) {
    const key = e.channel ?? ''
    byChannel.get(key)?.push(e) ?? byChannel.set(key, [e])
  }
  for (const list of byChannel.values()) {
    list.sort((a, b) => a.start - b.start || a.end - b.end || (a.index ?? -1) - (b.index ?? -1))
    const onAir = new EndHeap<TimedEvent>()
    let ownOnAir = 0
    for (const event of list) {
      while (onAir.size > 0 && onAir.peek()!.end <= event.start) if (!isOther(onAir.pop()!)) ownOnAir--
      const own = !isOther(event)
      total += own ? onAir.size : ownOnAir
      for (let i = 0; i < onAir.size && overlaps.length < maxListed; i++) {
        if (own || !isOther(onAir.items[i])) overlaps.push({ type: 'overlap', event1: side(onAir.items[i]), event2: side(event) })
      }
      onAir.push(event)
      if (own) ownOnAir++
    }
  }
  return { overlaps, total }
}
