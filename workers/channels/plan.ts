import type { Block, KeptEvent, Override, FixedEvent, BuildWarning } from './types.js'
import { addDays, localDays, wallInstant, weekdayOf, withinInstantRange, type LocalDay } from './wall-time.js'

// Template + overrides → dated block instances ("segments") in UTC, and the obstacles they
// are built around (SPEC §11): stored events kept as they are, and overrides' fixed one-off
// events. Nothing here picks an item.

/** One instance of a block on one local date: [start, end) in UTC ms. */
export interface Segment {
  block: Block
  override: Override | null
  /** the local date the instance starts on (it belongs to it) */
  date: string
  start: number
  end: number
}

/** Time the blocks cannot use. */
export interface Obstacle {
  start: number
  end: number
  title: string
  kind: 'fixed' | KeptEvent['kept']
}

export interface FixedPlacement { event: FixedEvent, override: Override }

const overlaps = (a: { start: number, end: number }, b: { start: number, end: number }): boolean => a.start < b.end && b.start < a.end

/** The instances of `block` on `days`: a start in the block's weekdays; an end at or before the start is the next day's. */
export function blockInstances (block: Block, days: Array<{ date: string }>, zone: string, override: Override | null = null): Segment[] {
  const segments: Segment[] = []
  for (const { date } of days) {
    if (!block.days.includes(weekdayOf(date))) continue
    if (override !== null && !coversDate(override, date)) continue
    // Cut to years 1–9999: a block of 9999-12-31 running past midnight ends at the last instant stored.
    const start = withinInstantRange(wallInstant(date, block.start, zone))
    const end = withinInstantRange(wallInstant(date, block.end, zone, block.end <= block.start ? 1 : 0))
    // A block inside a skipped hour (01:00–01:30 on a spring-forward day in London) has no time that day.
    if (end > start) segments.push({ block, override, date, start, end })
  }
  return segments
}

/** Whether an override applies on a local date (its dates, both included, and its weekdays if given). */
export const coversDate = (o: Override, date: string): boolean =>
  o.from <= date && date <= o.to && (o.days === null || o.days.length === 0 || o.days.includes(weekdayOf(date)))

/** A block instance an override replaced or cut (SPEC §15), whole: where LEFT_TO_FILLER looks for time it left empty. */
export interface Displaced { start: number, end: number, segment: Segment, by: Override }

/** [start, end) minus `cuts` (sorted by start): the spans left, in order. */
function minus (start: number, end: number, cuts: Array<{ start: number, end: number }>): Array<{ start: number, end: number }> {
  const left: Array<{ start: number, end: number }> = []
  let t = start
  for (const c of cuts) {
    if (c.end <= t) continue
    if (c.start >= end) break
    if (c.start > t) left.push({ start: t, end: c.start })
    t = Math.max(t, c.end)
  }
  if (t < end) left.push({ start: t, end })
  return left
}

/**
 * The block instances of the local days `from`…`to` in `zone`. The day before `from` is
 * planned too, so a block running past its midnight into the window is there (clipped to
 * the window's start). Each override, in seq order, replaces every instance that one of its
 * blocks overlaps, so the latest override wins: whole (`replace: "blocks"`), or only the hours
 * its blocks cover (`"hours"`: the instance airs the rest, each piece an instance of its own).
 */
export function planSegments (
  blocks: Block[], overrides: Override[], from: string, to: string, zone: string
): { days: LocalDay[], segments: Segment[], displaced: Displaced[] } {
  const days = localDays(from, to, zone)
  const windowStart = days[0].start
  const planned = [{ date: addDays(from, -1) }, ...days]
  let segments = blocks.flatMap((block) => blockInstances(block, planned, zone))
  const displaced: Displaced[] = []
  for (const override of [...overrides].sort((a, b) => a.seq - b.seq)) {
    const own = override.blocks.flatMap((block) => blockInstances(block, planned, zone, override))
    if (own.length === 0) continue
    own.sort((a, b) => a.start - b.start)
    const next: Segment[] = []
    for (const s of segments) {
      if (!own.some((o) => overlaps(s, o))) { next.push(s); continue }
      displaced.push({ start: s.start, end: s.end, segment: s, by: override })
      if (override.replace === 'hours') next.push(...minus(s.start, s.end, own).map((piece) => ({ ...s, ...piece })))
    }
    segments = [...next, ...own]
  }
  segments.sort((a, b) => a.start - b.start || a.end - b.end)
  const kept: Segment[] = []
  for (const s of segments) {
    // Clipped to the window; a checked template never overlaps itself, but the plan says so itself.
    const start = Math.max(s.start, windowStart, kept.at(-1)?.end ?? -Infinity)
    if (start < s.end) kept.push(start === s.start ? s : { ...s, start })
  }
  return { days, segments: kept, displaced }
}

/**
 * Obstacles: the kept events, then the override's fixed events that start in the window; a
 * fixed event that collides with a kept one or with a later override's fixed event is left out
 * and said.
 */
export function planObstacles (
  kept: KeptEvent[],
  overrides: Override[],
  windowStart: number,
  windowEnd: number
): { obstacles: Obstacle[], fixed: FixedPlacement[], warnings: BuildWarning[] } {
  const obstacles: Obstacle[] = kept.map((e) => ({ start: e.start, end: e.end, title: e.title, kind: e.kept }))
  const fixed: FixedPlacement[] = []
  const warnings: BuildWarning[] = []
  const latestFirst = [...overrides].sort((a, b) => b.seq - a.seq)
  for (const override of latestFirst) {
    for (const event of [...override.events].sort((a, b) => a.start - b.start)) {
      if (event.start < windowStart || event.start >= windowEnd || event.end <= event.start) continue
      const hit = obstacles.find((o) => overlaps(o, event))
      if (hit !== undefined) {
        warnings.push({ code: 'FIXED_OVERLAP', message: `fixed event "${event.title}" of override "${override.name}" left out: it collides with ${hit.kind === 'fixed' ? 'the later override\'s fixed event' : `the ${hit.kind} event`} "${hit.title}"` })
        continue
      }
      obstacles.push({ start: event.start, end: event.end, title: event.title, kind: 'fixed' })
      fixed.push({ event, override })
    }
  }
  obstacles.sort((a, b) => a.start - b.start || a.end - b.end)
  fixed.sort((a, b) => a.event.start - b.event.start)
  return { obstacles, fixed, warnings }
}

/** A free stretch, with the obstacle that ends it (null when it ends at the span's own end). */
export interface FreeInterval { start: number, end: number, endsAt: Obstacle | null }

/** [start, end) minus the obstacles (sorted by start), in order. */
export function freeIntervals (start: number, end: number, obstacles: Obstacle[]): FreeInterval[] {
  const free: FreeInterval[] = []
  let t = start
  for (const o of obstacles) {
    if (o.end <= t) continue
    if (o.start >= end) break
    if (o.start > t) free.push({ start: t, end: o.start, endsAt: o })
    t = Math.max(t, o.end)
    if (t >= end) return free
  }
  if (t < end) free.push({ start: t, end, endsAt: null })
  return free
}

/** The window's stretches that no segment and no obstacle covers: what the default filler airs. */
export function emptyStretches (windowStart: number, windowEnd: number, segments: Segment[], obstacles: Obstacle[]): FreeInterval[] {
  const taken = [...segments.map((s) => ({ start: s.start, end: s.end, title: s.block.id, kind: 'fixed' as const })), ...obstacles]
    .sort((a, b) => a.start - b.start)
  return freeIntervals(windowStart, windowEnd, taken).map((f) => ({ ...f, endsAt: null }))
}
