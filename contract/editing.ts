import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { AiredEventFields, Nullable, Success } from './common.js'
import { CooldownReportSchema, OverlapReportSchema } from './schedules.js'
import { CHANNEL_SETTING_FIELDS, EDIT_OPS, HISTORY_KINDS, LAST_BUILD } from './limits.js'
import { ItemCutSchema, ProgrammePatchSchema, ProgrammeSchema, RippleSchema } from './programmes.js'
import { ChannelSchema, OverrideSchema, TemplateSchema } from './channels.js'

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

export type ChannelSetting = typeof CHANNEL_SETTING_FIELDS[number]
const ChannelSettingsSchema = Type.Partial(Type.Pick(ChannelSchema, [...CHANNEL_SETTING_FIELDS]))
export type ChannelSettings = Static<typeof ChannelSettingsSchema>

/**
 * A channel's settings on one side of a write (SPEC §14): only what the write touched. `template`
 * whole; `channel` the fields changed; `overrides` by id, null where that override did not exist
 * (before an add, after a delete). An undo or revert of several writes gives their net change.
 */
export const SettingsStateSchema = Type.Object({
  template: Type.Optional(TemplateSchema),
  channel: Type.Optional(ChannelSettingsSchema),
  overrides: Type.Optional(Type.Record(Type.String(), Nullable(OverrideSchema)))
})
export type SettingsState = Static<typeof SettingsStateSchema>
export const SettingsChangeSchema = Type.Object({ before: SettingsStateSchema, after: SettingsStateSchema }, {
  description: 'a template, override or channel write (or an undo of one): the settings before and after it, what an undo restores'
})
export type SettingsChange = Static<typeof SettingsChangeSchema>

/** What a build entry did (its rows are not listed: a 14-day build is thousands). */
export const BuildFactsSchema = Type.Object({
  id: Type.String({ description: 'the build: its events carry this build_id' }),
  from: Type.String({ description: 'local date, included' }),
  to: Type.String({ description: 'local date, included' }),
  seed: Type.String(),
  events: Type.Integer({ description: 'events it stored' }),
  replaced: Type.Integer({ description: 'stored events it replaced (kept, pinned and frozen ones stay)' })
})
export type BuildFacts = Static<typeof BuildFactsSchema>

export const HistoryKindSchema = Type.Unsafe<typeof HISTORY_KINDS[number]>({ type: 'string', enum: HISTORY_KINDS })
export type HistoryKind = Static<typeof HistoryKindSchema>

export const HistoryEntrySchema = Type.Object({
  revision: Type.Integer({ description: 'the revision this write made' }),
  kind: HistoryKindSchema,
  at: Type.String(),
  by: Type.Object({ name: Type.String({ description: 'the key\'s name, never the key' }), role: Type.String() }),
  request_id: Type.String(),
  summary: Type.String({ description: 'what changed, in words ("Harbour Lights S02E04 moved 20:00 → 20:10", times in the channel\'s zone)' }),
  undoes: Nullable(Type.Integer({ description: 'set on an undo: the revision it reverted' })),
  counts: Type.Object({ added: Type.Integer(), removed: Type.Integer(), changed: Type.Integer() }, { description: 'events added, removed and changed' }),
  changes: { ...EventChangesSchema, description: 'the events before and after; left empty for a build, and when there are more than HISTORY_LISTED_ROWS (an undo of a build): `counts` says how many' },
  settings: Type.Optional(SettingsChangeSchema),
  build: Type.Optional(BuildFactsSchema)
})
export type HistoryEntry = Static<typeof HistoryEntrySchema>
export const HistorySchema = Type.Object({ revision: Type.Integer(), history: Type.Array(HistoryEntrySchema, { description: 'newest first' }) })
export type History = Static<typeof HistorySchema>

/** What the newest build names: revert to the state right after it (SPEC §14). */
export const RevertRequestSchema = Type.Union([
  Type.Object({ revision: Type.Integer({ minimum: 1, description: 'restore the state right after this revision' }) }),
  Type.Object({ to: Type.Literal(LAST_BUILD, { description: 'restore the state right after the newest build' }) })
])
export const UndoQuerySchema = Type.Object({ redo: Type.Optional(Type.Boolean({ description: 'take back the last undo instead (redo)' })) })
export const UndoAnswerSchema = Type.Object({
  status: Success,
  revision: Type.Integer(),
  reverted: Type.Array(Type.Integer(), { description: 'the revisions undone, newest first' }),
  warnings: EditWarningsSchema
})
export type UndoAnswer = Static<typeof UndoAnswerSchema>
