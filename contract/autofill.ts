import { Type, type Static } from '@sinclair/typebox'
import { AiredEventFields, Success } from './common.js'
import { ScheduleSummarySchema } from './schedules.js'
import { DEFAULT_ASSUME_SECONDS, DEFAULT_COOLDOWN_HOURS, MAX_ASSUME_SECONDS, MAX_COOLDOWN_HOURS, MAX_DECISIONS, MAX_FILL_HOURS, MAX_SLOT_MINUTES } from './limits.js'

// Auto-fill (SPEC §5): a schedule filled from a playlist or links, stored or a dry run.

export const AutoFillRequestSchema = Type.Object({
  playlist_id: Type.Optional(Type.String({ description: 'fill from this playlist, or give links' })),
  links: Type.Optional(Type.Array(Type.Object({
    url: Type.String({ minLength: 1 }),
    title: Type.Optional(Type.String()),
    duration: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'seconds; unknown runs assume_seconds back to back (counted in stats.assumed_durations)' })),
    category: Type.Optional(Type.String())
  }), { minItems: 1 })),
  start_time: Type.String({ description: 'ISO 8601; naive times are read in timezone' }),
  duration_hours: Type.Number({ exclusiveMinimum: 0, maximum: MAX_FILL_HOURS, description: `up to ${MAX_FILL_HOURS} (31 days)` }),
  cooldown_hours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_COOLDOWN_HOURS, default: DEFAULT_COOLDOWN_HOURS })),
  shuffle: Type.Optional(Type.Boolean({ default: true })),
  seed: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'same seed, same schedule; answered in stats.seed when not given' })),
  assume_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_ASSUME_SECONDS, default: DEFAULT_ASSUME_SECONDS, description: 'back to back: how long an item with no known duration runs (each such event counted in stats.assumed_durations); fixed slots run their own length' })),
  slot_minutes: Type.Optional(Type.Number({ minimum: 1, maximum: MAX_SLOT_MINUTES, description: 'fixed slots; omitted: back to back, each item for its own duration' })),
  timezone: Type.Optional(Type.String({ default: 'UTC' })),
  when_exhausted: Type.Optional(Type.Union([Type.Literal('gap'), Type.Literal('least_recent')], { default: 'least_recent' })),
  dry_run: Type.Optional(Type.Boolean({ default: false, description: 'answer the schedule it would store, store nothing' })),
  name: Type.Optional(Type.String({ description: 'default: "Auto-fill <start in timezone> <timezone>, <hours> h"' })),
  decisions_offset: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'the answer\'s decisions start at this one (a dry run repeated with its seed pages through its log; a stored fill\'s log is also at GET /api/schedules/:id/decisions)' }))
})
export type AutoFillRequest = Static<typeof AutoFillRequestSchema>

export const FillStatsSchema = Type.Object({
  slots_total: Type.Integer(),
  slots_filled: Type.Integer(),
  gaps: Type.Integer(),
  unique_items_used: Type.Integer(),
  cooldown_overrides: Type.Integer(),
  links: Type.Integer(),
  seed: Type.String(),
  items_cut: Type.Integer({ description: 'fixed slots: items longer than their slot, cut at its end' }),
  cut_seconds: Type.Number({ description: 'fixed slots: how much of those items is not aired, in all' }),
  items_padded: Type.Integer({ description: 'fixed slots: items shorter than their slot' }),
  padded_seconds: Type.Number({ description: 'fixed slots: how much of those slots the items leave over, in all' }),
  assumed_durations: Type.Integer({ description: 'back to back: events that run assume_seconds because their item\'s duration is unknown (SPEC §5, §16: never silent)' })
})
export type FillStats = Static<typeof FillStatsSchema>

// A filled event is an aired event before it is stored: no id yet, and no description.
const { id: _id, description: _description, ...FillEventFields } = AiredEventFields
export const FillEventSchema = Type.Object({
  ...FillEventFields,
  cooldown_override: Type.Boolean({ description: 'aired inside its cooldown: no link was out of it (when_exhausted least_recent)' })
})

const FILL_WARNING_KINDS = ['cooldown_forced', 'items_cut', 'items_padded'] as const
export const FillWarningSchema = Type.Object({
  kind: Type.Unsafe<typeof FILL_WARNING_KINDS[number]>({ type: 'string', enum: FILL_WARNING_KINDS }),
  message: Type.String(),
  share: Type.Optional(Type.Number({ description: 'cooldown_forced: the least share (0–1) of the slots (fixed slots) or airtime (back to back) that must air inside the cooldown, or be gaps; known from the request alone' })),
  count: Type.Optional(Type.Integer({ description: 'cooldown_forced with fixed slots: at least this many slots; items_cut / items_padded: this many items' }))
}, { description: 'said before anything is stored, in a dry run and a real one' })
export type FillWarning = Static<typeof FillWarningSchema>

/** The fill itself, stored or not. */
export const FillFiguresSchema = Type.Object({
  stats: FillStatsSchema,
  warnings: Type.Array(FillWarningSchema),
  decisions: Type.Array(Type.String({ description: 'times in the request\'s timezone, named' })),
  decisions_total: Type.Integer({ description: 'every decision the fill made' }),
  decisions_offset: Type.Integer({ description: 'the index of the first decision in `decisions`' }),
  decisions_omitted: Type.Integer({ description: `how many decisions this answer leaves out (at most ${MAX_DECISIONS} are answered at once)` }),
  events: Type.Array(FillEventSchema)
})
export type FillFigures = Static<typeof FillFiguresSchema>

export const AutoFillStoredSchema = Type.Object({
  status: Success,
  dry_run: Type.Literal(false),
  schedule: ScheduleSummarySchema,
  ...FillFiguresSchema.properties
})
export type AutoFillStored = Static<typeof AutoFillStoredSchema>

export const AutoFillDryRunSchema = Type.Object({
  status: Success,
  dry_run: Type.Literal(true),
  schedule: Type.Object({ id: Type.Null(), name: Type.String(), source: Type.Literal('auto-fill'), event_count: Type.Integer(), created: Type.Null() }),
  ...FillFiguresSchema.properties
})
export type AutoFillDryRun = Static<typeof AutoFillDryRunSchema>

export type AutoFillAnswer = AutoFillStored | AutoFillDryRun

export const FillDecisionsPageSchema = Type.Object({
  schedule_id: Type.String(),
  offset: Type.Integer(),
  limit: Type.Integer(),
  total: Type.Integer({ description: 'every decision stored with the fill (0 for a schedule not made by an auto-fill, or one stored before decisions were kept)' }),
  decisions: Type.Array(Type.String())
})
export type FillDecisionsPage = Static<typeof FillDecisionsPageSchema>
