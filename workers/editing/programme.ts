import type { ItemCut, Programme, ProgrammeKind, SegmentRole } from '../../contract/programmes.js'
import { CommandError } from '../../contract/command-error.js'
import { iso } from '../schedule/model.js'
import { spokenLength, wallClock } from '../autofill/clock.js'
import type { ProgrammeFields } from './request.js'
import type { EventRow } from './plan.js'

// A programme edited whole (SPEC §14): the event rows of its segments (parts, the breaks
// between them, the pad after), worked out as the rows they become, so the edit is written,
// kept in history and undone exactly as the same changes made event by event would be.
//   move:   every segment shifts by as much as the start (breaks stay where they are inside it);
//   resize: a new end trims the tail, its pad first, then the item (said as `item_cut`), or
//           extends it: the pad when it ends with one; a programme that ends with its item's
//           media (a built item without pad) is not stretched past it (refused: the length of
//           the media is the item's, not the editor's); a hand-added, fixed or filler
//           programme's last segment is lengthened as an event's resize is;
//   pin:    every segment pinned (or unpinned) at once; any other change pins them.

/** The span of a programme or event before and after an edit: what a ripple follows. */
export interface Span { start: number, end: number }

/** A programme's segments in air order (start, then end). */
export const inAirOrder = (rows: Iterable<EventRow>): EventRow[] =>
  [...rows].sort((a, b) => a.start_ms - b.start_ms || a.end_ms - b.end_ms || (a.id < b.id ? -1 : 1))

export const spanOf = (segments: readonly EventRow[]): Span =>
  ({ start: Math.min(...segments.map((s) => s.start_ms)), end: Math.max(...segments.map((s) => s.end_ms)) })

const roleOf = (row: EventRow): SegmentRole => row.segment_role ?? 'part'

/** The item's own segments (its parts): what the programme is named by. */
const partsOf = (segments: readonly EventRow[]): EventRow[] => {
  const parts = segments.filter((s) => roleOf(s) === 'part')
  return parts.length > 0 ? parts : [...segments]
}

function kindOf (first: EventRow): ProgrammeKind {
  if (first.origin_kind === 'fixed') return 'fixed'
  if (first.origin_kind === 'default' || first.origin_kind === 'filler') return 'filler'
  return 'item'
}

/** Season and episode from an xmltv_ns number (`1.4/12.` is season 2, episode 5; zero-based). */
function seasonEpisode (episodeNum: string | null): { season?: number, episode?: number } {
  if (episodeNum === null) return {}
  const [season, episode] = episodeNum.split('.').map((part) => /^\d+/.exec(part.trim())?.[0])
  return {
    ...(season !== undefined && { season: Number(season) + 1 }),
    ...(episode !== undefined && { episode: Number(episode) + 1 })
  }
}

/** The programme as the API answers it, from its segments' rows. */
export function programmeOf (id: string, rows: Iterable<EventRow>): Programme {
  const segments = inAirOrder(rows)
  const [first] = partsOf(segments)
  const span = spanOf(segments)
  return {
    id,
    kind: kindOf(first),
    title: first.title,
    start: iso(span.start),
    end: iso(span.end),
    ...seasonEpisode(first.episode_num),
    category: first.category,
    pinned: segments.every((s) => s.pinned === 1),
    segments: segments.map((s) => ({
      event_id: s.id,
      start: iso(s.start_ms),
      end: iso(s.end_ms),
      role: roleOf(s),
      in_ms: s.in_ms,
      out_ms: s.in_ms + (s.end_ms - s.start_ms)
    }))
  }
}

/** What a programme's update leaves: its rows as they become (null: removed), its span before and after, and the cut said. */
export interface ProgrammeUpdate {
  rows: Array<{ before: EventRow, after: EventRow | null }>
  before: Span
  after: Span
  itemCut: ItemCut | null
}

const refuse = (field: string, message: string): never => {
  throw new CommandError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }])
}

/**
 * `segments`: the programme's rows (at least one). `field`: the op's place (`ops.0.`), for
 * the problems named. `zone`: the channel's, for the times a refusal or a cut names.
 */
export function updateProgramme (id: string, segments: readonly EventRow[], f: ProgrammeFields, field: string, zone: string): ProgrammeUpdate {
  const ordered = inAirOrder(segments)
  const before = spanOf(ordered)
  const delta = f.start === undefined ? 0 : f.start - before.start
  const start = before.start + delta
  const end = f.end ?? before.end + delta
  if (end <= start) refuse(`${field}end`, 'must be after start')
  const pinned = f.pinned === false ? 0 : 1
  const moved: ProgrammeUpdate['rows'] = ordered.map((row) => ({ before: row, after: { ...row, start_ms: row.start_ms + delta, end_ms: row.end_ms + delta, pinned } }))
  const tail = before.end + delta
  let cutMs = 0
  if (end < tail) {
    // The tail is trimmed back to `end`: what starts after it goes, what runs over it is cut.
    for (const segment of moved) {
      const row = segment.after!
      if (row.end_ms <= end) continue
      const lost = row.start_ms >= end ? row.end_ms - row.start_ms : row.end_ms - end
      if (roleOf(row) === 'part') cutMs += lost
      segment.after = row.start_ms >= end ? null : { ...row, end_ms: end }
    }
  } else if (end > tail) {
    const last = moved.reduce((a, b) => (b.after!.end_ms >= a.after!.end_ms ? b : a))
    const row = last.after!
    if (roleOf(row) !== 'pad' && row.origin_kind === 'item') {
      const clock = wallClock(zone)
      refuse(`${field}end`, `"${row.title}" ends with its item at ${clock(tail)} and has no pad to extend: an item is not stretched past its media` +
        ` (move it, or edit that segment alone with …/events/${row.id})`)
    }
    last.after = { ...row, end_ms: end }
  }
  const kept = moved.flatMap((s) => (s.after === null ? [] : [s.after]))
  const title = partsOf(ordered)[0].title
  const itemCut: ItemCut | null = cutMs === 0
    ? null
    : { code: 'ITEM_CUT', programme: id, cut_ms: cutMs, message: `"${title}" cut at ${wallClock(zone)(end)}: ${spokenLength(cutMs)} of the item no longer airs` }
  return { rows: moved, before, after: spanOf(kept), itemCut }
}
