import { isObject } from '../json.js'
import { INSTANT_RANGE, parseInstant, skippedLocalTime } from '../schedule/time.js'
import { Problems, text, unknownFields, urlField } from '../channels/request.js'
import { EDIT_OPS, MAX_EDIT_OPS } from '../../contract/limits.js'

// An edit body (SPEC §12) read and checked in one pass: every problem named by its field
// (`ops.2.start`), the whole edit refused with all of them, so nothing is half-applied.
// Instants are read here; whether an end falls after its start is known only against the
// stored event (a move keeps its length), so plan.ts checks that.

/** The fields an edit may set; undefined: left as it is. */
export interface EditedFields {
  title?: string
  start?: number
  end?: number
  video_url?: string | null
  category?: string | null
  description?: string | null
}

export type CheckedOp =
  | { op: 'add', fields: Required<Pick<EditedFields, 'title' | 'start' | 'end'>> & EditedFields }
  | { op: 'update', id: string, fields: EditedFields, ripple: boolean }
  | { op: 'delete', id: string }

const FIELDS = ['title', 'start', 'end', 'video_url', 'category', 'description'] as const

function instant (p: Problems, body: Record<string, unknown>, field: 'start' | 'end', path: string, zone: string, required: boolean): number | undefined {
  const value = text(p, body, field, path, { required, max: 64 })
  if (typeof value !== 'string') return undefined
  // A naive time the clocks skip names no instant: refused, not moved to the gap's end as on
  // import, since a person dragging an event there meant a time that does not exist.
  const skipped = skippedLocalTime(value, zone)
  if (skipped !== null) { p.add(path, skipped.replace(/, so it is read as.*$/, '')); return undefined }
  const ms = parseInstant(value, zone)
  if (ms === null) { p.add(path, `an ISO 8601 date and time in ${INSTANT_RANGE} (with an offset, Z, or naive in the zone)`); return undefined }
  return ms
}

function fields (p: Problems, body: Record<string, unknown>, prefix: string, zone: string, add: boolean): EditedFields {
  const out: EditedFields = {}
  const title = text(p, body, 'title', `${prefix}title`, { required: add })
  if (typeof title === 'string') {
    if (title.trim() === '') p.add(`${prefix}title`, 'must not be empty')
    else out.title = title.trim()
  }
  const start = instant(p, body, 'start', `${prefix}start`, zone, add)
  if (start !== undefined) out.start = start
  const end = instant(p, body, 'end', `${prefix}end`, zone, add)
  if (end !== undefined) out.end = end
  const url = text(p, body, 'video_url', `${prefix}video_url`, { nullable: true, max: 2000 })
  urlField(p, url, `${prefix}video_url`)
  if (url !== undefined) out.video_url = url === null || url.trim() === '' ? null : url.trim()
  const category = text(p, body, 'category', `${prefix}category`, { nullable: true })
  if (category !== undefined) out.category = category
  const description = text(p, body, 'description', `${prefix}description`, { nullable: true, max: 5000, multiline: true })
  if (description !== undefined) out.description = description
  return out
}

function eventId (p: Problems, body: Record<string, unknown>, path: string): string {
  const id = body.id
  if (typeof id !== 'string' || id === '' || id.length > 100) { p.add(path, 'the id of an event of this timeline'); return '' }
  return id
}

/** One op of a bulk body, `index` its place (for the field names). */
function readOp (p: Problems, body: unknown, prefix: string, zone: string): CheckedOp | null {
  if (!isObject(body)) { p.add(prefix.slice(0, -1), 'an object'); return null }
  const op = body.op
  if (typeof op !== 'string' || !(EDIT_OPS as readonly string[]).includes(op)) { p.add(`${prefix}op`, `one of ${EDIT_OPS.join(', ')}`); return null }
  if (op === 'delete') {
    unknownFields(p, body, ['op', 'id'], prefix)
    return { op, id: eventId(p, body, `${prefix}id`) }
  }
  if (op === 'add') {
    unknownFields(p, body, ['op', ...FIELDS], prefix)
    const f = fields(p, body, prefix, zone, true)
    if (f.start !== undefined && f.end !== undefined && f.end <= f.start) p.add(`${prefix}end`, 'must be after start')
    return { op, fields: f as Extract<CheckedOp, { op: 'add' }>['fields'] }
  }
  unknownFields(p, body, ['op', 'id', 'ripple', ...FIELDS], prefix)
  const id = eventId(p, body, `${prefix}id`)
  if (body.ripple !== undefined && typeof body.ripple !== 'boolean') p.add(`${prefix}ripple`, 'true or false')
  const f = fields(p, body, prefix, zone, false)
  if (Object.keys(f).length === 0 && !p.list.some((problem) => problem.field?.startsWith(prefix) === true)) p.add(prefix.slice(0, -1), 'give at least one field to change')
  if (body.ripple === true && f.start === undefined) p.add(`${prefix}ripple`, 'a ripple follows a new start')
  return { op: 'update', id, fields: f, ripple: body.ripple === true }
}

/** `{ ops: [...] }` read in the timeline's zone; throws VALIDATION_FAILED naming every problem. */
export function readEditOps (body: unknown, zone: string): CheckedOp[] {
  const p = new Problems()
  const ops: CheckedOp[] = []
  if (!isObject(body) || !Array.isArray(body.ops)) p.add('ops', 'a list of edits')
  else {
    unknownFields(p, body, ['ops'], '')
    if (body.ops.length === 0) p.add('ops', 'give at least one edit')
    if (body.ops.length > MAX_EDIT_OPS) p.add('ops', `at most ${MAX_EDIT_OPS} edits at once`)
    else body.ops.forEach((op, i) => { const checked = readOp(p, op, `ops.${i}.`, zone); if (checked !== null) ops.push(checked) })
  }
  p.refuse('the edit')
  return ops
}
