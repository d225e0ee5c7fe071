import { Type, type Static } from '@sinclair/typebox'
import { NextPageSchema, Nullable } from './common.js'
import { GUIDE_MODES, PROGRAMME_KINDS, SEGMENT_ROLES } from './limits.js'

// Programmes (SPEC §14): a channel's timeline as units an operator and a guide think in. A
// programme is one airing of an item (its parts between breaks, the breaks inside it, the pad
// after it), a fixed or live event, or a stretch of default filler. Events stay readable as
// before; each built one names its programme (`programme_id`) and its role in it.

export type ProgrammeKind = typeof PROGRAMME_KINDS[number]
export type SegmentRole = typeof SEGMENT_ROLES[number]
export type GuideMode = typeof GUIDE_MODES[number]

export const ProgrammeKindSchema = Type.Unsafe<ProgrammeKind>({ type: 'string', enum: PROGRAMME_KINDS })
export const SegmentRoleSchema = Type.Unsafe<SegmentRole>({ type: 'string', enum: SEGMENT_ROLES })
export const GuideModeSchema = Type.Unsafe<GuideMode>({
  type: 'string',
  enum: GUIDE_MODES,
  description: 'own: an entry per clip; meld: joins the programme before it (else the one after); hide: no entry (a hole in the guide)'
})

/** A guide mode or null (the default rule): its enum names null, which Nullable's does not. */
export const GuideModeOrNullSchema = Type.Unsafe<GuideMode | null>({ ...GuideModeSchema, type: ['string', 'null'], enum: [...GUIDE_MODES, null] })

export const SegmentSchema = Type.Object({
  event_id: Type.String(),
  start: Type.String(),
  end: Type.String(),
  role: SegmentRoleSchema,
  in_ms: Type.Integer({ description: 'where in the media it starts' }),
  out_ms: Type.Integer({ description: 'where in the media it stops' })
})
export type Segment = Static<typeof SegmentSchema>

/**
 * A programme in brief: what a build's preview draws (a dry run with `programmes: true`). Its
 * breaks and pad as bands, each [offset from its start in ms, length in ms, role], back-to-back
 * segments of one role one band; `segments`, how many events it is (a filler run's clips).
 */
export const ProgrammeBriefSchema = Type.Object({
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  kind: ProgrammeKindSchema,
  title: Type.String(),
  category: Type.Optional(Nullable(Type.String())),
  segments: Type.Integer({ minimum: 1 }),
  bands: Type.Optional(Type.Array(Type.Tuple([Type.Integer(), Type.Integer(), SegmentRoleSchema])))
})
export type ProgrammeBrief = Static<typeof ProgrammeBriefSchema>

export const ProgrammeSchema = Type.Object({
  id: Type.String(),
  kind: ProgrammeKindSchema,
  title: Type.String(),
  start: Type.String(),
  end: Type.String(),
  season: Type.Optional(Type.Integer()),
  episode: Type.Optional(Type.Integer()),
  category: Type.Optional(Nullable(Type.String())),
  description: Type.Optional(Type.String({ description: 'an item\'s (its media file\'s tags or .nfo, SPEC §16) or a fixed or hand-added event\'s; absent when it has none; XMLTV writes it as <desc>' })),
  year: Type.Optional(Type.Integer({ description: 'an item\'s year, when known (a media file\'s date tag, SPEC §16); XMLTV writes it as <date>' })),
  pinned: Type.Boolean({ description: 'every segment pinned: a rebuild keeps the programme whole' }),
  segments: Type.Array(SegmentSchema)
})
export type Programme = Static<typeof ProgrammeSchema>

export const ProgrammesPageSchema = Type.Object({ programmes: Type.Array(ProgrammeSchema), next: NextPageSchema })
export type ProgrammesPage = Static<typeof ProgrammesPageSchema>

// ── Editing a programme (SPEC §14, with §12's ripple) ─────────────────────────────────────
// Here, not in editing.ts, because editing.ts reaches this file through schedules.ts and
// channels.ts: the shapes an edit of a programme takes live with the programme, the answer
// (which carries the edit's warnings) in editing.ts.

export const RIPPLE_MODES = ['day', 'gap'] as const
export type RippleMode = typeof RIPPLE_MODES[number]
export const RippleSchema = Type.Union([Type.Boolean(), ...RIPPLE_MODES.map((mode) => Type.Literal(mode))], {
  description: 'after a new start, shift the later events of the local day: true or "day" by as much as the start moved (gaps before the day\'s next event absorb what would not fit), "gap" only as far as the next gap absorbs it; a ripple never makes an overlap (refused when the day has no room)'
})

export const ProgrammePatchSchema = Type.Object({
  start: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601 (naive: the channel\'s zone): every segment moves by as much, breaks kept where they are in the programme' })),
  end: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601: trims the tail (its pad first, then the item: item_cut says so) or extends its pad' })),
  pinned: Type.Optional(Type.Boolean({ description: 'pin (or unpin) every segment; any other change pins them' })),
  ripple: Type.Optional(RippleSchema)
}, { additionalProperties: false })
export type ProgrammePatch = Static<typeof ProgrammePatchSchema>

/** Said when a resize cuts the item itself (its pad was not enough): how much of it no longer airs. */
export const ItemCutSchema = Type.Object({
  code: Type.Literal('ITEM_CUT'),
  message: Type.String(),
  programme: Type.String({ description: 'the programme cut' }),
  cut_ms: Type.Integer({ description: 'how much of the item no longer airs, in ms' })
})
export type ItemCut = Static<typeof ItemCutSchema>
