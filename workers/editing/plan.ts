import type { Selectable } from 'kysely'
import type { EventsTable } from '../storage/tables.js'
import type { EditedEvent, EditResult } from '../../contract/api.js'
import { airedEvent } from '../schedule/model.js'
import { videoKey } from '../schedule/checks/cooldown.js'
import { INSTANT_RANGE, isInstantInRange, luxon, MAX_INSTANT_MS } from '../schedule/time.js'
import { CommandError } from '../../contract/command-error.js'
import type { CheckedOp, EditedFields } from './request.js'
import { programmeOf, updateProgramme, type Span } from './programme.js'
import type { RippleMode } from '../../contract/programmes.js'
import { ripple } from './ripple.js'

// An edit worked out on the timeline's rows, in memory, before anything is written: ops run
// in order on a working copy, and what they changed is the difference between the rows
// before and after, as whole rows (EventChanges), which the store writes in one transaction
// and history keeps, so an undo (the inverse) restores the rows exactly.

export type EventRow = Selectable<EventsTable>

/** The fields of a row an edit by hand chooses; handRow() gives the rest. */
export type HandFields = Pick<EventRow, 'id' | 'schedule_id' | 'channel_id' | 'position' | 'title' | 'start_ms' | 'end_ms' | 'video_url' | 'category' | 'description' | 'channel' | 'reason' | 'pinned'>

/** A row added by hand: no build origin, no tags, its video key from its title and URL. */
export const handRow = (fields: HandFields): EventRow => ({
  ...fields,
  video_key: videoKey({ title: fields.title, video_url: fields.video_url }),
  tags: '[]',
  origin_kind: null,
  origin_block: null,
  origin_override: null,
  origin_source: null,
  origin_position: null,
  build_id: null,
  guide_id: null,
  guide_title: null,
  in_ms: 0,
  episode_num: null,
  icon: null,
  // A hand add on a channel is a programme of one segment (SPEC §14); a schedule's event is none.
  programme_id: fields.schedule_id === null ? fields.id : null,
  segment_role: fields.schedule_id === null ? 'part' : null,
  guide_mode: null
})

export interface EventChangeRows {
  added: EventRow[]
  removed: EventRow[]
  changed: Array<{ before: EventRow, after: EventRow }>
}

/** What is edited: a schedule's events, or the events a channel owns (built or added by hand). */
export interface EditTimeline {
  kind: 'schedule' | 'channel'
  id: string
  /** The zone of a ripple's local day: the request's for a schedule, the channel's own. */
  zone: string
  /** A new event's row with these fields, as this timeline stores one. */
  newRow(id: string, fields: Required<Pick<EditedFields, 'title' | 'start' | 'end'>> & EditedFields): EventRow
}

export const editedEvent = (row: EventRow): EditedEvent => ({
  ...airedEvent(
    row.id,
    { title: row.title, start: row.start_ms, end: row.end_ms, video_url: row.video_url, category: row.category, description: row.description }
  ),
  pinned: row.pinned === 1
})

export const inverseChanges = (changes: EventChangeRows): EventChangeRows => ({
  added: changes.removed,
  removed: changes.added,
  changed: changes.changed.map(({ before, after }) => ({ before: after, after: before }))
})

export const isEmptyChange = (c: EventChangeRows): boolean => c.added.length + c.removed.length + c.changed.length === 0

/** The instants [from, to) of the local day holding `ms` in `zone` (23 or 25 hours on a clock change). */
export function localDayOf (ms: number, zone: string): { from: number, to: number } {
  if (zone === 'UTC') {
    const from = Math.floor(ms / 86_400_000) * 86_400_000
    return { from, to: from + 86_400_000 }
  }
  const day = luxon().DateTime.fromMillis(ms, { zone }).startOf('day')
  return { from: day.toMillis(), to: day.plus({ days: 1 }).toMillis() }
}

/**
 * SPEC §12: every stored instant, end included, lies in years 1–9999. A start and an end as
 * given are read in range (request.ts); what an edit works out can leave it: a move keeps the
 * length (a start at 9999-12-31T23:30Z ends in year 10000) and a ripple shifts later events.
 */
function refuseOutOfRange (field: string, what: string, end: number): never {
  const message = `${what} would end at ${new Date(end).toISOString()}, after ${new Date(MAX_INSTANT_MS).toISOString()}: every instant lies in ${INSTANT_RANGE}`
  throw new CommandError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }])
}

/** The events an edit must read: those its ops name, and the day of each ripple (by the rows named). */
export const namedIds = (ops: readonly CheckedOp[]): string[] => [...new Set(ops.flatMap((op) => (op.op === 'update' || op.op === 'delete' ? [op.id] : [])))]

/** The programmes an edit's ops name: their segments are read whole. */
export const namedProgrammes = (ops: readonly CheckedOp[]): string[] =>
  [...new Set(ops.flatMap((op) => (op.op === 'update-programme' || op.op === 'delete-programme' ? [op.id] : [])))]

function applyFields (row: EventRow, f: EditedFields, start: number, end: number, pin: boolean): EventRow {
  const after: EventRow = {
    ...row,
    title: f.title ?? row.title,
    start_ms: start,
    end_ms: end,
    video_url: f.video_url !== undefined ? f.video_url : row.video_url,
    category: f.category !== undefined ? f.category : row.category,
    description: f.description !== undefined ? f.description : row.description,
    // An event an editor touched on a channel is the editor's: builds leave it (SPEC §11).
    pinned: pin ? 1 : row.pinned
  }
  after.video_key = videoKey({ title: after.title, video_url: after.video_url })
  return after
}

/**
 * Every column of an events row (a record, so a new column fails to compile until named here): rows are compared column by column, as the two
 * databases order them differently.
 */
export const ROW_COLUMNS = Object.keys({
  id: 1,
  schedule_id: 1,
  channel_id: 1,
  position: 1,
  title: 1,
  start_ms: 1,
  end_ms: 1,
  video_url: 1,
  video_key: 1,
  category: 1,
  description: 1,
  tags: 1,
  channel: 1,
  origin_kind: 1,
  origin_block: 1,
  origin_override: 1,
  origin_source: 1,
  origin_position: 1,
  reason: 1,
  pinned: 1,
  build_id: 1,
  guide_id: 1,
  guide_title: 1,
  in_ms: 1,
  episode_num: 1,
  icon: 1,
  programme_id: 1,
  segment_role: 1,
  guide_mode: 1
} satisfies Record<keyof EventRow, 1>) as Array<keyof EventRow>

export const sameRow = (a: EventRow | undefined, b: EventRow | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && ROW_COLUMNS.every((column) => a[column] === b[column]))

/** The columns whose values differ between two versions of a row. */
export const columnsChanged = (before: EventRow, after: EventRow): Array<keyof EventRow> =>
  ROW_COLUMNS.filter((column) => before[column] !== after[column])

/**
 * The ops applied in order to `rows` (the timeline's events the ops name, and each ripple's
 * day: what is not among them is not touched). Throws NOT_FOUND for an id that
 * is not an event of the timeline, EVENT_NOT_EDITABLE for a channel event of a placed schedule,
 * VALIDATION_FAILED for an end not after its start: then nothing is applied.
 */
export function planEdits (
  timeline: EditTimeline,
  rows: readonly EventRow[],
  ops: readonly CheckedOp[],
  newId: () => string
): { changes: EventChangeRows, results: EditResult[] } {
  const original = new Map(rows.map((r) => [r.id, r]))
  const current = new Map(original)
  const touched = new Set<string>()
  const results: EditResult[] = []
  const pin = timeline.kind === 'channel'
  const existing = (id: string, i: number): EventRow => {
    const row = current.get(id)
    if (row === undefined) throw new CommandError('NOT_FOUND', `ops.${i}.id: no event ${id} in this ${timeline.kind}`, [{ field: `ops.${i}.id`, message: `no event ${id} in this ${timeline.kind}` }])
    if (timeline.kind === 'channel' && row.schedule_id !== null) {
      throw new CommandError('EVENT_NOT_EDITABLE', `ops.${i}.id: event ${id} belongs to schedule ${row.schedule_id}, placed on this channel: edit it in that schedule`, [{ field: `ops.${i}.id`, message: `edit it in schedule ${row.schedule_id}` }])
    }
    return row
  }
  /** The programme's segments as the working copy has them: NOT_FOUND when it has none. */
  const segmentsOf = (id: string, i: number): EventRow[] => {
    const field = `ops.${i}.programme`
    if (timeline.kind !== 'channel') throw new CommandError('VALIDATION_FAILED', `${field}: programmes are a channel's (SPEC §14): edit a schedule's events by id`, [{ field, message: 'programmes are a channel\'s' }])
    const segments = [...current.values()].filter((r) => r.programme_id === id && r.schedule_id === null && r.channel_id === timeline.id)
    if (segments.length === 0) throw new CommandError('NOT_FOUND', `${field}: no programme ${id} on this channel`, [{ field, message: `no programme ${id} on this channel` }])
    return segments
  }
  /** The later events a ripple shifts, shifted in the working copy: their ids. */
  const shiftLater = (mode: RippleMode, movedIds: ReadonlySet<string>, before: Span, after: Span, i: number): string[] =>
    ripple(current.values(), { mode, movedIds, before, after, zone: timeline.zone, channel: pin, field: `ops.${i}.ripple` }).map(({ row, start, end }) => {
      if (!isInstantInRange(end)) refuseOutOfRange(`ops.${i}.ripple`, `shifted by the ripple, event ${row.id}`, end)
      current.set(row.id, applyFields(row, {}, start, end, pin))
      touched.add(row.id)
      return row.id
    })
  const programmes = new Set<string>()

  ops.forEach((op, i) => {
    if (op.op === 'add') {
      const row = timeline.newRow(newId(), op.fields)
      current.set(row.id, row)
      touched.add(row.id)
      results.push({ op: 'add', id: row.id })
    } else if (op.op === 'delete') {
      existing(op.id, i)
      current.delete(op.id)
      touched.add(op.id)
      results.push({ op: 'delete', id: op.id })
    } else if (op.op === 'update') {
      const row = existing(op.id, i)
      const f = op.fields
      // A new start alone moves the event (same length); an end resizes it.
      const start = f.start ?? row.start_ms
      const end = f.end ?? (f.start !== undefined ? f.start + (row.end_ms - row.start_ms) : row.end_ms)
      if (end <= start) throw new CommandError('VALIDATION_FAILED', `ops.${i}.end: must be after start`, [{ field: `ops.${i}.end`, message: 'must be after start' }])
      if (!isInstantInRange(end)) refuseOutOfRange(f.end === undefined ? `ops.${i}.start` : `ops.${i}.end`, f.end === undefined ? 'moved with its length, the event' : 'the event', end)
      const moved = op.ripple === null ? [] : shiftLater(op.ripple, new Set([row.id]), { start: row.start_ms, end: row.end_ms }, { start, end }, i)
      current.set(row.id, applyFields(row, f, start, end, pin))
      touched.add(row.id)
      results.push({ op: 'update', id: row.id, ...(op.ripple !== null && { moved }) })
    } else if (op.op === 'delete-programme') {
      for (const segment of segmentsOf(op.id, i)) { current.delete(segment.id); touched.add(segment.id) }
      results.push({ op: 'delete', id: op.id })
    } else {
      const update = updateProgramme(op.id, segmentsOf(op.id, i), op.fields, `ops.${i}.`, timeline.zone)
      if (!isInstantInRange(update.after.end)) refuseOutOfRange(`ops.${i}.${op.fields.end === undefined ? 'start' : 'end'}`, 'the programme', update.after.end)
      const moved = op.ripple === null ? [] : shiftLater(op.ripple, new Set(update.rows.map((r) => r.before.id)), update.before, update.after, i)
      for (const { before, after } of update.rows) {
        if (after === null) current.delete(before.id)
        else current.set(before.id, after)
        touched.add(before.id)
      }
      programmes.add(op.id)
      results.push({ op: 'update', id: op.id, ...(op.ripple !== null && { moved }), ...(update.itemCut !== null && { item_cut: update.itemCut }) })
    }
  })

  for (const result of results) {
    const segments = programmes.has(result.id) ? [...current.values()].filter((r) => r.programme_id === result.id && r.schedule_id === null) : []
    if (segments.length > 0) result.programme = programmeOf(result.id, segments)
    else if (current.has(result.id)) result.event = editedEvent(current.get(result.id)!)
  }
  return { changes: changesBetween(original, current, touched), results }
}

/** The rows an edit touched, as whole rows before and after, in air order (as history lists them). */
function changesBetween (original: ReadonlyMap<string, EventRow>, current: ReadonlyMap<string, EventRow>, touched: Iterable<string>): EventChangeRows {
  const changes: EventChangeRows = { added: [], removed: [], changed: [] }
  for (const id of touched) {
    const before = original.get(id)
    const after = current.get(id)
    if (before === undefined && after !== undefined) changes.added.push(after)
    else if (before !== undefined && after === undefined) changes.removed.push(before)
    else if (before !== undefined && after !== undefined && !sameRow(before, after)) changes.changed.push({ before, after })
  }
  changes.added.sort((a, b) => a.start_ms - b.start_ms)
  changes.removed.sort((a, b) => a.start_ms - b.start_ms)
  changes.changed.sort((a, b) => a.before.start_ms - b.before.start_ms)
  return changes
}
