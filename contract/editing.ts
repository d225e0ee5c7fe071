import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { AiredEventFields, Nullable, Success } from './common.js'
import { CooldownReportSchema, OverlapReportSchema } from './schedules.js'
import { EDIT_OPS } from './limits.js'
import { ItemCutSchema, ProgrammePatchSchema, ProgrammeSchema, RippleSchema } from './programmes.js'

// ── Editing (SPEC §12) ────────────────────────────────────────────────────────────────
// The same shapes under /api/schedules/:id/… and /api/channels/:id/…. The worker checks every
// field (workers/editing/request.ts names each problem as `ops.2.start`); these document them.

// A union, not Nullable: request bodies are checked by TypeBox's compiler, which Nullable's `type` list does not guard.
const OrNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])
/** What an added event must give. */
const NewEventFields = {
  title: Type.String({ minLength: 1, maxLength: 500 }),
  start: Type.String({ maxLength: 64, description: 'ISO 8601; a naive time is read in the schedule\'s `timezone` query parameter (default UTC) or the channel\'s zone' }),
  end: Type.String({ maxLength: 64, description: 'ISO 8601, after start' })
}
const EditedFields = {
  title: Type.Optional(NewEventFields.title),
  start: Type.Optional(NewEventFields.start),
  end: Type.Optional(NewEventFields.end),
  video_url: Type.Optional(OrNull(Type.String({ maxLength: 2000 }))),
  category: Type.Optional(OrNull(Type.String({ maxLength: 500 }))),
  description: Type.Optional(OrNull(Type.String({ maxLength: 5000 })))
}
export const NewEventSchema = Type.Object({ ...EditedFields, ...NewEventFields })
export type NewEvent = Static<typeof NewEventSchema>
export const EventPatchSchema = Type.Object({
  ...EditedFields,
  ripple: Type.Optional(RippleSchema)
})
export const EditOpSchema = Type.Object({
  op: Type.Union(EDIT_OPS.map((op) => Type.Literal(op))),
  id: Type.Optional(Type.String({ description: 'the event (update, delete)' })),
  programme: Type.Optional(Type.String({ description: 'in place of `id` (channels): the op acts on the whole programme (update: the fields of a programme PATCH; delete: every segment)' })),
  ...EventPatchSchema.properties,
  pinned: ProgrammePatchSchema.properties.pinned
})
export type EditOp = Static<typeof EditOpSchema>
export const BulkEditSchema = Type.Object({ ops: Type.Array(EditOpSchema, { description: 'applied in order, all or none' }) })

/** The overlaps and cooldown replays an edit causes: those naming an event it added, moved or changed, worked out on the whole timeline. */
export const EditWarningsSchema = Type.Object({
  conflicts: Type.Array(OverlapReportSchema),
  conflicts_total: Type.Integer(),
  cooldown: Type.Array(CooldownReportSchema),
  cooldown_total: Type.Integer()
})
export type EditWarnings = Static<typeof EditWarningsSchema>

export const EditedEventSchema = Type.Object({ ...AiredEventFields, pinned: Type.Boolean() })
export type EditedEvent = Static<typeof EditedEventSchema>

export const EditResultSchema = Type.Object({
  op: Type.Unsafe<typeof EDIT_OPS[number]>({ type: 'string', enum: EDIT_OPS }),
  id: Type.String(),
  event: Type.Optional(EditedEventSchema),
  programme: Type.Optional(ProgrammeSchema),
  moved: Type.Optional(Type.Array(Type.String(), { description: 'the events a ripple shifted' })),
  item_cut: Type.Optional(ItemCutSchema)
})
export type EditResult = Static<typeof EditResultSchema>

export const EditAnswerSchema = Type.Object({
  status: Success,
  revision: Type.Integer(),
  results: Type.Array(EditResultSchema),
  warnings: EditWarningsSchema
})
export type EditAnswer = Static<typeof EditAnswerSchema>

/** POST …/events and PATCH …/events/:eid answer the one event; DELETE leaves `event` out. */
export const EventEditAnswerSchema = Type.Object({
  status: Success,
  revision: Type.Integer(),
  event: Type.Optional(EditedEventSchema),
  moved: Type.Optional(Type.Array(Type.String(), { description: 'the events a ripple shifted' })),
  warnings: EditWarningsSchema
})
export type EventEditAnswer = Static<typeof EventEditAnswerSchema>

/**
 * PATCH and DELETE …/programmes/:pid (SPEC §14): as an event's edit, with the programme as it
 * is after (left out by DELETE), and `item_cut` when a resize cut into the item itself.
 * (Here, not in programmes.ts: it carries the edit's warnings, and programmes.ts is below this file.)
 */
export const ProgrammeEditAnswerSchema = Type.Object({
  status: Success,
  revision: Type.Integer(),
  programme: Type.Optional(ProgrammeSchema),
  moved: Type.Optional(Type.Array(Type.String(), { description: 'the events a ripple shifted' })),
  item_cut: Type.Optional(ItemCutSchema),
  warnings: EditWarningsSchema
})
export type ProgrammeEditAnswer = Static<typeof ProgrammeEditAnswerSchema>

export const EventChangesSchema = Type.Object({
  added: Type.Array(EditedEventSchema),
  removed: Type.Array(EditedEventSchema),
  changed: Type.Array(Type.Object({ before: EditedEventSchema, after: EditedEventSchema }))
})
export type EventChanges = Static<typeof EventChangesSchema>

export const HistoryEntrySchema = Type.Object({
  revision: Type.Integer({ description: 'the revision this write made' }),
  at: Type.String(),
  by: Type.Object({ name: Type.String({ description: 'the key\'s name, never the key' }), role: Type.String() }),
  request_id: Type.String(),
  summary: Type.String(),
  undoes: Nullable(Type.Integer({ description: 'set on an undo: the revision it reverted' })),
  changes: EventChangesSchema
})
export type HistoryEntry = Static<typeof HistoryEntrySchema>
export const HistorySchema = Type.Object({ revision: Type.Integer(), history: Type.Array(HistoryEntrySchema, { description: 'newest first' }) })
export type History = Static<typeof HistorySchema>

export const RevertRequestSchema = Type.Object({ revision: Type.Integer({ minimum: 1, description: 'the revision to go back to' }) })
export const UndoQuerySchema = Type.Object({ redo: Type.Optional(Type.Boolean({ description: 'take back the last undo instead (redo)' })) })
export const UndoAnswerSchema = Type.Object({
  status: Success,
  revision: Type.Integer(),
  reverted: Type.Array(Type.Integer(), { description: 'the revisions undone, newest first' }),
  warnings: EditWarningsSchema
})
export type UndoAnswer = Static<typeof UndoAnswerSchema>
