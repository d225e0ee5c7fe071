import { isObject } from '../json.js'
import { INSTANT_RANGE, parseInstant, skippedLocalTime } from '../schedule/time.js'
import { Problems, urlField } from '../channels/request.js'
import { bodyProblems, type BodyCheck } from '../body-problems.js'
import { checkAddOp, checkDeleteOp, checkProgrammeDeleteOp, checkProgrammeUpdateOp, checkUpdateOp } from '../generated/body-checks.js'
import { EDIT_OPS, MAX_EDIT_OPS, type EditOpKind } from '../../contract/limits.js'
import type { NewEvent } from '../../contract/api.js'
import type { RippleMode } from '../../contract/programmes.js'

// An edit body (SPEC §12) read and checked in one pass: every problem named by its field
// (`ops.2.start`), the whole edit refused with all of them, so nothing is half-applied. Each
// op's shape is the contract's (NewEventSchema, EventPatchSchema, with `op` and `id`: compiled
// at build); read here is what a schema cannot say: instants in the zone (a time the clocks
// skip names none), an add's end after its start, an update that changes something, a ripple
// that follows a new start. Whether an update's end falls after its start is known only
// against the stored event (a move keeps its length), so plan.ts checks that.

/** The fields an edit may set; undefined: left as it is. */
export interface EditedFields {
  title?: string
  start?: number
  end?: number
  video_url?: string | null
  category?: string | null
  description?: string | null
}

/** How a ripple shifts the later events (`true` is `day`); null: no ripple. */
export type Ripple = RippleMode | null

/** An op on a whole programme (`programme` in place of `id`): its start and end, its pin. */
export interface ProgrammeFields { start?: number, end?: number, pinned?: boolean }

export type CheckedOp =
  | { op: 'add', fields: Required<Pick<EditedFields, 'title' | 'start' | 'end'>> & EditedFields }
  | { op: 'update', id: string, fields: EditedFields, ripple: Ripple }
  | { op: 'delete', id: string }
  | { op: 'update-programme', id: string, fields: ProgrammeFields, ripple: Ripple }
  | { op: 'delete-programme', id: string }

const CHECKS: Record<EditOpKind, BodyCheck> = { add: checkAddOp, update: checkUpdateOp, delete: checkDeleteOp }
const PROGRAMME_CHECKS: Record<Exclude<EditOpKind, 'add'>, BodyCheck> = { update: checkProgrammeUpdateOp, delete: checkProgrammeDeleteOp }

const rippleOf = (value: unknown): Ripple => value === true || value === 'day' ? 'day' : value === 'gap' ? 'gap' : null

function instant (p: Problems, value: string | undefined, path: string, zone: string): number | undefined {
  if (value === undefined) return undefined
  // A naive time the clocks skip names no instant: refused, not moved to the gap's end as on
  // import, since a person dragging an event there meant a time that does not exist.
  const skipped = skippedLocalTime(value, zone)
  if (skipped !== null) { p.add(path, skipped.replace(/, so it is read as.*$/, '')); return undefined }
  const ms = parseInstant(value, zone)
  if (ms === null) { p.add(path, `an ISO 8601 date and time in ${INSTANT_RANGE} (with an offset, Z, or naive in the zone)`); return undefined }
  return ms
}

/** The fields an op sets, read; the schema passed their types. */
function fields (p: Problems, body: Partial<NewEvent>, prefix: string, zone: string): EditedFields {
  const out: EditedFields = {}
  // A field the schema refused is left out: its problem is said already.
  const given = <K extends keyof NewEvent>(field: K): NewEvent[K] | undefined => p.at(`${prefix}${field}`) ? undefined : body[field]
  const title = given('title')
  if (title !== undefined) {
    if (title.trim() === '') p.add(`${prefix}title`, 'must not be empty')
    else out.title = title.trim()
  }
  const start = instant(p, given('start'), `${prefix}start`, zone)
  if (start !== undefined) out.start = start
  const end = instant(p, given('end'), `${prefix}end`, zone)
  if (end !== undefined) out.end = end
  const url = given('video_url')
  urlField(p, url, `${prefix}video_url`)
  if (url !== undefined) out.video_url = url === null || url.trim() === '' ? null : url.trim()
  const category = given('category')
  if (category !== undefined) out.category = category
  const description = given('description')
  if (description !== undefined) out.description = description
  return out
}

/** One op of a bulk body, `prefix` its place (`ops.2.`, for the field names). */
function readOp (p: Problems, body: unknown, prefix: string, zone: string): CheckedOp | null {
  if (!isObject(body)) { p.add(prefix.slice(0, -1), 'an object'); return null }
  const op = body.op
  if (typeof op !== 'string' || !(EDIT_OPS as readonly string[]).includes(op)) { p.add(`${prefix}op`, `one of ${EDIT_OPS.join(', ')}`); return null }
  if (op !== 'add' && 'programme' in body) return readProgrammeOp(p, body, op as 'update' | 'delete', prefix, zone)
  p.list.push(...bodyProblems(CHECKS[op as EditOpKind], body, prefix))
  const id = typeof body.id === 'string' ? body.id : ''
  if (op === 'delete') return { op, id }
  const f = fields(p, body, prefix, zone)
  if (op === 'add') {
    if (f.start !== undefined && f.end !== undefined && f.end <= f.start) p.add(`${prefix}end`, 'must be after start')
    return { op, fields: f as Extract<CheckedOp, { op: 'add' }>['fields'] }
  }
  if (Object.keys(f).length === 0 && !p.at(prefix.slice(0, -1))) p.add(prefix.slice(0, -1), 'give at least one field to change')
  const ripple = p.at(`${prefix}ripple`) ? null : rippleOf(body.ripple)
  if (ripple !== null && f.start === undefined) p.add(`${prefix}ripple`, 'a ripple follows a new start')
  return { op: 'update', id, fields: f, ripple }
}

/** An op on a whole programme: `{ op, programme, start?, end?, pinned?, ripple? }` (SPEC §14). */
function readProgrammeOp (p: Problems, body: Record<string, unknown>, op: 'update' | 'delete', prefix: string, zone: string): CheckedOp {
  p.list.push(...bodyProblems(PROGRAMME_CHECKS[op], body, prefix))
  const id = typeof body.programme === 'string' ? body.programme : ''
  if (op === 'delete') return { op: 'delete-programme', id }
  const given = (field: string): string | undefined => p.at(`${prefix}${field}`) || typeof body[field] !== 'string' ? undefined : body[field] as string
  const fields: ProgrammeFields = {}
  const start = instant(p, given('start'), `${prefix}start`, zone)
  if (start !== undefined) fields.start = start
  const end = instant(p, given('end'), `${prefix}end`, zone)
  if (end !== undefined) fields.end = end
  if (typeof body.pinned === 'boolean') fields.pinned = body.pinned
  if (start !== undefined && end !== undefined && end <= start) p.add(`${prefix}end`, 'must be after start')
  if (Object.keys(fields).length === 0 && !p.at(prefix.slice(0, -1))) p.add(prefix.slice(0, -1), 'give at least one of start, end, pinned')
  const ripple = p.at(`${prefix}ripple`) ? null : rippleOf(body.ripple)
  if (ripple !== null && fields.start === undefined) p.add(`${prefix}ripple`, 'a ripple follows a new start')
  return { op: 'update-programme', id, fields, ripple }
}

/** `{ ops: [...] }` read in the timeline's zone; throws VALIDATION_FAILED naming every problem. */
export function readEditOps (body: unknown, zone: string): CheckedOp[] {
  const p = new Problems()
  const ops: CheckedOp[] = []
  if (!isObject(body) || !Array.isArray(body.ops)) p.add('ops', 'a list of edits')
  else {
    for (const key of Object.keys(body)) if (key !== 'ops') p.add(key, 'not a field of this body')
    if (body.ops.length === 0) p.add('ops', 'give at least one edit')
    if (body.ops.length > MAX_EDIT_OPS) p.add('ops', `at most ${MAX_EDIT_OPS} edits at once`)
    else body.ops.forEach((op, i) => { const checked = readOp(p, op, `ops.${i}.`, zone); if (checked !== null) ops.push(checked) })
  }
  p.refuse('the edit')
  return ops
}
