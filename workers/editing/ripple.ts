import { CommandError } from '../../contract/command-error.js'
import { spokenLength, wallClock } from '../autofill/clock.js'
import type { RippleMode } from '../../contract/programmes.js'
import type { Span } from './programme.js'
import { localDayOf, type EventRow } from './plan.js'

// A ripple (SPEC §12): after an event or a programme moves, the later events of its local day
// (the channel's zone, or the schedule request's) follow it. It never makes an overlap:
//   day (and `true`): every later event of the day shifts by as much as the start moved. Moving
//     later, the day's end is a wall — the next event the ripple does not shift (the next day's
//     first event, or on a channel an event of a placed schedule) — and the gaps before the wall
//     absorb what does not fit: the last events shift less, by as much as there is room, never
//     onto the wall. When the gaps are not enough the edit is refused (nothing changes).
//     Moving earlier, they all shift earlier by as much (a gap is left at the day's end).
//   gap: later events are pushed only as far as needed for the moved one's new end: each event
//     that would overlap the one before it starts where that one now ends, and the first gap
//     wide enough stops the push (moving earlier, nothing is pushed). A push that reaches the
//     wall is refused.
// Only events starting after the moved one's old start, in its local day, are shifted; on a
// channel the first event of a placed schedule stops the ripple (it is edited in its schedule).

/** An event a ripple shifts, and where to. */
export interface Shift { row: EventRow, start: number, end: number }

interface RippleOf {
  mode: RippleMode
  /** The moved event's id, or the programme's segments: they are not shifted. */
  movedIds: ReadonlySet<string>
  before: Span
  after: Span
  zone: string
  /** On a channel: its events of placed schedules are not shifted. */
  channel: boolean
  /** The op's ripple field (`ops.0.ripple`), for a refusal. */
  field: string
}

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end

/** The shifts a ripple makes on the rows read (`current`: each touched day and the first event after it). */
export function ripple (current: Iterable<EventRow>, r: RippleOf): Shift[] {
  const day = localDayOf(r.before.start, r.zone)
  const later = [...current].filter((row) => !r.movedIds.has(row.id) && row.start_ms > r.before.start)
    .sort((a, b) => a.start_ms - b.start_ms || a.end_ms - b.end_ms || a.position - b.position || (a.id < b.id ? -1 : 1))
  const stop = later.findIndex((row) => row.start_ms >= day.to || (r.channel && row.schedule_id !== null))
  const candidates = stop === -1 ? later : later.slice(0, stop)
  const wall = stop === -1 ? null : later[stop]
  const spans = r.mode === 'gap' ? pushed(candidates, r.after.end) : shiftedInDay(candidates, r.after.start - r.before.start, wall?.start_ms ?? Infinity)
  refuseOverlaps(candidates, spans, wall, r)
  return candidates.flatMap((row, i) => (spans[i].start === row.start_ms ? [] : [{ row, ...spans[i] }]))
}

/** day: each shifted by `delta`; moving later, the last ones by less, so none reaches `wall`. */
function shiftedInDay (rows: readonly EventRow[], delta: number, wall: number): Span[] {
  const spans = rows.map((row) => ({ start: row.start_ms + delta, end: row.end_ms + delta }))
  if (delta <= 0) return spans
  let limit = wall
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]
    const start = Math.max(row.start_ms, Math.min(row.start_ms + delta, limit - (row.end_ms - row.start_ms)))
    spans[i] = { start, end: start + row.end_ms - row.start_ms }
    limit = Math.min(limit, start)
  }
  return spans
}

/** gap: each that would overlap the one before it starts where that one ends; the first gap stops it. */
function pushed (rows: readonly EventRow[], from: number): Span[] {
  let cursor = from
  let pushing = true
  return rows.map((row) => {
    if (!pushing || row.start_ms >= cursor) { pushing = false; return { start: row.start_ms, end: row.end_ms } }
    const span = { start: cursor, end: cursor + row.end_ms - row.start_ms }
    cursor = span.end
    return span
  })
}

/**
 * Refused when the shifted events would overlap the moved one, each other or the wall where
 * they did not before: the day has not room for the ripple.
 */
function refuseOverlaps (rows: readonly EventRow[], spans: readonly Span[], wall: EventRow | null, r: RippleOf): void {
  const chain = rows.map((row, i) => ({ row, before: { start: row.start_ms, end: row.end_ms }, after: spans[i] }))
  if (wall !== null) chain.push({ row: wall, before: { start: wall.start_ms, end: wall.end_ms }, after: { start: wall.start_ms, end: wall.end_ms } })
  const clock = wallClock(r.zone)
  const refuse = (what: string): never => {
    const message = `the day has no room for this ripple: ${what}; nothing was changed (move without a ripple, or make room first)`
    throw new CommandError('VALIDATION_FAILED', `${r.field}: ${message}`, [{ field: r.field, message }])
  }
  const first = chain[0]
  // The moved one against the first shifted: an overlap only the day's room made (a shift cut short), not one its own resize made.
  const cutShort = first !== undefined && first.row !== wall && first.after.start !== first.before.start + (r.after.start - r.before.start)
  if (cutShort && overlaps(r.after, first.after) && !overlaps(r.before, first.before)) {
    refuse(`"${first.row.title}" would start at ${clock(first.after.start)}, before the moved one ends at ${clock(r.after.end)}`)
  }
  for (let i = 1; i < chain.length; i++) {
    const [a, b] = [chain[i - 1], chain[i]]
    if (overlaps(a.after, b.after) && !overlaps(a.before, b.before)) {
      refuse(`"${a.row.title}" would run ${spokenLength(a.after.end - b.after.start)} into "${b.row.title}" at ${clock(b.after.start)}`)
    }
  }
}
