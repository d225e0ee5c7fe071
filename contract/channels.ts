import { Type, type Static } from '@sinclair/typebox'
import { AiredEventFields, NextPageSchema, Nullable, Success } from './common.js'
import { GuideModeOrNullSchema, GuideModeSchema, ProgrammeBriefSchema, SegmentRoleSchema, type SegmentRole } from './programmes.js'
import {
  AT_END_MODES, BEFORE_FIXED_MODES, BLOCK_FILLS, BREAK_PLACES, DEFAULT_AT_END, DEFAULT_BEFORE_FIXED, DEFAULT_BLOCK_FILL, DEFAULT_BREAK_MIN_GAP_MINUTES,
  DEFAULT_BREAK_PLACE, DEFAULT_OVERRIDE_REPLACE, OVERRIDE_REPLACES, LEFT_TO_FILLER_MINUTES,
  BLOCK_ORDERS, BREAK_EVERY_MAX_MINUTES, BREAK_MAX_SECONDS, CHANNEL_NUMBER_PATTERN, DEFAULT_BLOCK_ORDER, DEFAULT_COOLDOWN_HOURS,
  DEFAULT_FILLER_GUIDE_MINUTES, MAX_BLOCKS, MAX_COOLDOWN_HOURS, MAX_FILLER_GUIDE_MINUTES, MAX_FIXED_EVENTS, MAX_FREEZE_HOURS, MAX_PAGE, NOT_BLANK,
  MAX_PREVIEW_PROGRAMMES, SEGMENT_ROLES, WEEKDAYS, DEFAULT_BUILD_AHEAD_DAYS, MAX_BUILD_AHEAD_DAYS, DEFAULT_REBUILD_FREEZE_HOURS, DEFAULT_ALARM_HOURS,
  MAX_ALARM_HOURS,
  MAX_ASSUME_SECONDS
} from './limits.js'
import { CoverageFields } from './on-air.js'

// Channels (SPEC §11): the channel, its template of blocks, its overrides, its builds and
// events, and the placing of a schedule on it.

/** What a filler field names (SPEC §16): a collection id always has ':', a playlist id (a UUID) never. */
const FILLER_ID = 'a playlist id, or a media library collection\'s id (<library>:<show|folder|genre>:<name>, it has \':\'; read at each build)'

export const WeekdaySchema = Type.Unsafe<typeof WEEKDAYS[number]>({ type: 'string', enum: WEEKDAYS })
export type Weekday = Static<typeof WeekdaySchema>

// A patterned string's description says what it takes: the worker answers it when a value does not match.
export const WallTimeSchema = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'a local wall time HH:MM (00:00–23:59) in the channel\'s zone' })
export const LocalDateSchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a local date of the channel, YYYY-MM-DD' })
export const ChannelNumberSchema = Type.String({ pattern: CHANNEL_NUMBER_PATTERN, description: 'a channel number such as 7 or 7.1; unique' })
const XmltvIdSchema = Type.String({ maxLength: 200, pattern: '^[\\w.\\-@]+$', description: 'letters, digits, . - _ @ only' })

export const ChannelSchema = Type.Object({
  id: Type.String(),
  number: Type.String(),
  name: Type.String(),
  timezone: Type.String({ description: 'IANA; the template\'s wall-clock times are read in it' }),
  xmltv_id: Type.String({ description: 'stable: set at create (default C{number}.{sum of its digits}.scheduleflow), kept when the number changes' }),
  logo: Nullable(Type.String()),
  group: Nullable(Type.String()),
  stream_url: Nullable(Type.String({ description: 'the playout engine\'s output: what the channel-list M3U and the HDHomeRun lineup point players at' })),
  default_filler: Nullable(Type.String({ description: `${FILLER_ID}: airs the stretches no block covers` })),
  default_filler_guide: { ...GuideModeOrNullSchema, description: 'how the default filler shows in the guide (SPEC §14); null: meld, a long stretch one entry' },
  filler_guide_minutes: Type.Integer({ description: 'a stretch of default filler longer than this is one guide entry titled filler_title' }),
  filler_title: Nullable(Type.String({ description: 'the title of a long stretch of default filler in the guide; null: the channel\'s name' })),
  build_ahead_days: Type.Integer({ description: 'the service keeps this many local days built ahead (SPEC §17); 0: no rolling build' }),
  rebuild_freeze_hours: Type.Number({ description: 'a rolling rebuild after a template, override or source change keeps what starts before now + this' }),
  alarm_hours: Type.Number({ description: 'less than this many hours built ahead of now raises a coverage alarm' }),
  ...CoverageFields,
  revision: Type.Integer({ description: 'raised by every write to the channel, its template, overrides and events (SPEC §12)' }),
  created: Type.String(),
  updated: Type.String()
})
export type Channel = Static<typeof ChannelSchema>

const ChannelFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timezone: Type.String({ maxLength: 64, description: 'IANA zone name' }),
  logo: Type.Optional(Nullable(Type.String({ maxLength: 2000, pattern: '^https?://', description: 'an http(s) URL' }))),
  group: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  stream_url: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  default_filler: Type.Optional(Nullable(Type.String({ maxLength: 1200, description: `${FILLER_ID}: airs the stretches no block covers` }))),
  default_filler_guide: Type.Optional(GuideModeOrNullSchema),
  filler_guide_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_FILLER_GUIDE_MINUTES, description: `default ${DEFAULT_FILLER_GUIDE_MINUTES}` })),
  filler_title: Type.Optional(Nullable(Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength: 200 }))),
  build_ahead_days: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_BUILD_AHEAD_DAYS, description: `default ${DEFAULT_BUILD_AHEAD_DAYS}; 0: no rolling build` })),
  rebuild_freeze_hours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_FREEZE_HOURS, description: `default ${DEFAULT_REBUILD_FREEZE_HOURS}` })),
  alarm_hours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_ALARM_HOURS, description: `default ${DEFAULT_ALARM_HOURS}; 0: no coverage alarm` }))
}
export const ChannelCreateSchema = Type.Object({
  number: ChannelNumberSchema,
  ...ChannelFields,
  xmltv_id: Type.Optional({ ...XmltvIdSchema, description: 'letters, digits, . - _ @ only; default C{number}.{sum of its digits}.scheduleflow' })
}, { additionalProperties: false })
export type ChannelCreate = Static<typeof ChannelCreateSchema>

export const ChannelPatchSchema = Type.Partial(Type.Object({ number: ChannelNumberSchema, ...ChannelFields, xmltv_id: XmltvIdSchema }), {
  description: 'the fields to change; changing the number keeps the xmltv_id unless one is given',
  additionalProperties: false,
  minProperties: 1
})
export type ChannelPatch = Static<typeof ChannelPatchSchema>

export const ChannelListSchema = Type.Object({ channels: Type.Array(ChannelSchema), count: Type.Integer() })
export type ChannelList = Static<typeof ChannelListSchema>

export const ChannelAnswerSchema = Type.Object({ channel: ChannelSchema })
export type ChannelAnswer = Static<typeof ChannelAnswerSchema>

// ── Templates, overrides and builds ─────────────────────────────────────────────────────

export const BlockSourceSchema = Type.Union([
  Type.Object({ playlist: Type.String({ minLength: 1, pattern: NOT_BLANK, description: 'a playlist id' }), group: Type.Optional(Type.String({ minLength: 1, pattern: NOT_BLANK, description: 'only the items of this group-title' })) }, { additionalProperties: false }),
  Type.Object({
    item: Type.Object({
      url: Type.String({ minLength: 1, maxLength: 2000 }),
      title: Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength: 500 }),
      duration: Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'seconds' })
    }, { additionalProperties: false })
  }, { additionalProperties: false }),
  Type.Object({ collection: Type.String({ minLength: 1, maxLength: 1200, pattern: NOT_BLANK, description: 'a media library collection\'s id (SPEC §16, GET /api/libraries/:id/collections): read at each build, so files added since air' }) }, { additionalProperties: false })
])
export type BlockSource = Static<typeof BlockSourceSchema>

export const BreaksSchema = Type.Object({
  every_minutes: Type.Integer({ minimum: 1, maximum: BREAK_EVERY_MAX_MINUTES, description: 'a break after every N minutes of a programme (the count restarts at each programme\'s start); with at "between", after the programme once N minutes of content ran since the last break' }),
  max_seconds: Type.Integer({ minimum: 1, maximum: BREAK_MAX_SECONDS }),
  filler: Type.String({ minLength: 1, pattern: NOT_BLANK, description: `${FILLER_ID}: idents, trailers, adverts` }),
  at: Type.Optional(Type.Unsafe<typeof BREAK_PLACES[number]>({ type: 'string', enum: BREAK_PLACES, default: DEFAULT_BREAK_PLACE, description: 'within: inside programmes; between: only between programmes; chapters: at the media\'s chapter marks, every_minutes apart at least, none in the first or last min_gap_minutes (an item without marks airs whole)' })),
  min_gap_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: BREAK_EVERY_MAX_MINUTES, default: DEFAULT_BREAK_MIN_GAP_MINUTES, description: 'no break this close to a programme\'s start or end' })),
  bumper_in: Type.Optional(Nullable(Type.String({ minLength: 1, pattern: NOT_BLANK, description: `${FILLER_ID}: one clip before each break` }))),
  bumper_out: Type.Optional(Nullable(Type.String({ minLength: 1, pattern: NOT_BLANK, description: `${FILLER_ID}: one clip after each break` })))
}, { additionalProperties: false })
export type Breaks = Static<typeof BreaksSchema>

export const BlockSchema = Type.Object({
  id: Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength: 100, description: 'unique in the template; the sequential order is carried by it across builds' }),
  days: Type.Array(WeekdaySchema, { minItems: 1, uniqueItems: true }),
  start: WallTimeSchema,
  end: WallTimeSchema,
  title: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'one guide entry for the whole block, else one per item' }))),
  guide: Type.Optional({ ...GuideModeSchema, description: 'how the block\'s items show in the guide (SPEC §14); default own (an item under a minute melds)' }),
  source: BlockSourceSchema,
  order: Type.Optional(Type.Unsafe<typeof BLOCK_ORDERS[number]>({ type: 'string', enum: BLOCK_ORDERS, default: DEFAULT_BLOCK_ORDER })),
  cooldown_hours: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: MAX_COOLDOWN_HOURS, description: 'default (or null) the template\'s' }))),
  fill: Type.Optional(Type.Unsafe<typeof BLOCK_FILLS[number]>({ type: 'string', enum: BLOCK_FILLS, default: DEFAULT_BLOCK_FILL, description: 'pad: the time after the last item that fits airs filler (the block\'s filler, else the channel\'s default filler); gap: left empty; cut: the last item is cut at the block\'s end' })),
  filler: Type.Optional(Nullable(Type.String({ minLength: 1, pattern: NOT_BLANK, description: `${FILLER_ID}: what \`pad\` fills the end with; default the channel's default filler` }))),
  breaks: Type.Optional(Nullable(BreaksSchema)),
  at_end: Type.Optional(Type.Unsafe<typeof AT_END_MODES[number]>({ type: 'string', enum: AT_END_MODES, default: DEFAULT_AT_END, description: 'sequential: after the last item, loop (warned SERIES_WRAPPED), stop (the rest of the block takes the fill rule) or repeat_last' })),
  before_fixed: Type.Optional(Type.Unsafe<typeof BEFORE_FIXED_MODES[number]>({ type: 'string', enum: BEFORE_FIXED_MODES, default: DEFAULT_BEFORE_FIXED, description: 'the time before a fixed event that cuts into the block: pad with filler, or best_fit items of the source' })),
  assume_seconds: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: MAX_ASSUME_SECONDS, description: 'an item of the source with no known duration airs as this long; without it such an item is skipped, warned UNKNOWN_DURATION (SPEC §16)' })))
}, { additionalProperties: false })
export type Block = Static<typeof BlockSchema>

export const TemplateSchema = Type.Object({
  cooldown_hours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_COOLDOWN_HOURS, default: DEFAULT_COOLDOWN_HOURS })),
  cooldown_by_category: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 500 }), Type.Number({ minimum: 0, maximum: MAX_COOLDOWN_HOURS }), {
    description: 'hours by item category; an item\'s cooldown is its block\'s cooldown_hours, else its playlist\'s, else its category\'s here, else cooldown_hours (SPEC §15)'
  })),
  blocks: Type.Array(BlockSchema, { maxItems: MAX_BLOCKS })
}, { additionalProperties: false })
export type Template = Static<typeof TemplateSchema>

export const TemplateAnswerSchema = Type.Object({ template: TemplateSchema, revision: Type.Integer() })
export type TemplateAnswer = Static<typeof TemplateAnswerSchema>

export const OverrideEventSchema = Type.Object({
  title: Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength: 500 }),
  start: Type.String({ description: 'ISO 8601; naive times are read in the channel\'s zone' }),
  end: Type.String(),
  video_url: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  category: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 5000 })))
}, { additionalProperties: false })
export type OverrideEvent = Static<typeof OverrideEventSchema>

export const OverrideCreateSchema = Type.Object({
  name: Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength: 200 }),
  from: LocalDateSchema,
  to: LocalDateSchema,
  days: Type.Optional(Nullable(Type.Array(WeekdaySchema, { minItems: 1 }))),
  replace: Type.Optional(Type.Unsafe<typeof OVERRIDE_REPLACES[number]>({ type: 'string', enum: OVERRIDE_REPLACES, default: DEFAULT_OVERRIDE_REPLACE, description: 'blocks: a template block its blocks touch is replaced whole; hours: only the hours they cover' })),
  blocks: Type.Optional(Type.Array(BlockSchema, { maxItems: MAX_BLOCKS })),
  events: Type.Optional(Type.Array(OverrideEventSchema, { maxItems: MAX_FIXED_EVENTS }))
}, { additionalProperties: false })
export type OverrideCreate = Static<typeof OverrideCreateSchema>

/** PATCH …/overrides/:oid (SPEC §14): a JSON merge patch of the create's fields; `blocks` and `events` are replaced whole, `days: null` means every day. */
export const OverridePatchSchema = Type.Partial(OverrideCreateSchema, {
  description: 'the fields to change (a JSON merge patch); blocks and events replace the stored ones whole',
  additionalProperties: false,
  minProperties: 1
})
export type OverridePatch = Static<typeof OverridePatchSchema>

export const OverrideSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  from: Type.String(),
  to: Type.String(),
  days: Nullable(Type.Array(WeekdaySchema)),
  replace: Type.Unsafe<typeof OVERRIDE_REPLACES[number]>({ type: 'string', enum: OVERRIDE_REPLACES }),
  blocks: Type.Array(BlockSchema),
  events: Type.Array(Type.Composite([OverrideEventSchema, Type.Object({ start: Type.String({ description: 'UTC' }), end: Type.String({ description: 'UTC' }) })])),
  seq: Type.Integer({ description: 'the later override (higher) wins where two cover the same time' }),
  created: Type.String()
})
export type Override = Static<typeof OverrideSchema>

export const OverrideListSchema = Type.Object({ overrides: Type.Array(OverrideSchema), count: Type.Integer() })
export type OverrideList = Static<typeof OverrideListSchema>
export const OverrideAnswerSchema = Type.Object({ override: OverrideSchema })
export type OverrideAnswer = Static<typeof OverrideAnswerSchema>

export const BuildRequestSchema = Type.Object({
  from: LocalDateSchema,
  to: LocalDateSchema,
  seed: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Number()], { description: 'same inputs and seed, same events; answered in the build when not given' })),
  dry_run: Type.Optional(Type.Boolean({ default: false })),
  programmes: Type.Optional(Type.Boolean({ default: false, description: 'dry run only: also answer the build\'s programmes in brief, for a preview' })),
  freeze_hours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_FREEZE_HOURS, default: 0, description: 'stored events starting before now + this are kept as they are' }))
}, { additionalProperties: false })
export type BuildRequest = Static<typeof BuildRequestSchema>

export const BuildStatsSchema = Type.Object({
  events: Type.Integer(),
  blocks: Type.Integer({ description: 'block instances built' }),
  minutes_filled: Type.Number(),
  minutes_padded: Type.Number(),
  minutes_breaks: Type.Number(),
  minutes_default: Type.Number(),
  minutes_empty: Type.Number(),
  cooldown_overrides: Type.Integer(),
  items_cut: Type.Integer(),
  items_pushed: Type.Integer(),
  kept_frozen: Type.Integer(),
  kept_pinned: Type.Integer(),
  kept_placed: Type.Integer(),
  items_assumed: Type.Integer({ description: 'SPEC §16: airings whose length is their block\'s assume_seconds, their duration being unknown' })
})
export type BuildStats = Static<typeof BuildStatsSchema>

export const BuildWarningSchema = Type.Object({
  code: Type.String({ description: `EMPTY_SOURCE, SOURCE_MISSING, SOURCE_TOO_SMALL, BLOCK_NOT_FILLED, NO_DEFAULT_FILLER, ITEM_PUSHED, ITEM_CUT, FIXED_OVERLAP, SEQUENTIAL_RESTARTED, BREAK_FILLER_EMPTY, SERIES_WRAPPED, UNKNOWN_DURATION (SPEC §16: an item with no known duration, skipped), MEDIA_UNAVAILABLE (SPEC §16: an item whose file cannot air, skipped), LEFT_TO_FILLER (SPEC §15: an override left more than ${LEFT_TO_FILLER_MINUTES} minutes to the default filler)` }),
  message: Type.String(),
  block: Type.Optional(Type.String()),
  date: Type.Optional(Type.String())
})
export type BuildWarning = Static<typeof BuildWarningSchema>

export const ORIGIN_KINDS = ['item', 'filler', 'break', 'fixed', 'default'] as const
export const EventOriginSchema = Type.Object({
  kind: Type.Unsafe<typeof ORIGIN_KINDS[number]>({ type: 'string', enum: ORIGIN_KINDS }),
  block: Type.Optional(Type.String()),
  override: Type.Optional(Type.String()),
  source: Type.Optional(Type.String({ description: 'playlist:<id>[#group], item:<video> or collection:<id>' })),
  position: Type.Optional(Type.Integer({ description: 'the index in the source\'s order' }))
})
export type EventOrigin = Static<typeof EventOriginSchema>

export const ChannelEventSchema = Type.Object({
  ...AiredEventFields,
  origin: Nullable(EventOriginSchema),
  reason: Nullable(Type.String()),
  pinned: Type.Boolean(),
  schedule_id: Nullable(Type.String({ description: 'set for an event of a schedule placed on the channel' })),
  guide_id: Nullable(Type.String({ description: 'events with one guide_id are one guide entry' })),
  programme_id: Nullable(Type.String({ description: 'the programme the event is a segment of (SPEC §14); null for an event of a placed schedule' })),
  segment_role: Type.Unsafe<SegmentRole | null>({ ...SegmentRoleSchema, type: ['string', 'null'], enum: [...SEGMENT_ROLES, null] }),
  in_ms: Type.Integer({ description: 'where in the media it starts (a part after a break)' }),
  episode_num: Nullable(Type.String({ description: 'xmltv_ns' })),
  marks: Type.Optional(Type.Integer({ description: 'GET …/events only: bits as in fields=timeline, 1 = in an overlap on the channel, 2 = replayed inside the cooldown' })),
  replay_of: Type.Optional(Type.Object({
    event_id: Type.String(),
    title: Type.String(),
    start: Type.String(),
    hours_since_previous: Type.Number()
  }, { description: 'GET …/events only, with mark 2: the airing it replays inside its cooldown (SPEC §15: a mark names both airings)' }))
})
export type ChannelEvent = Static<typeof ChannelEventSchema>

const BuildFigures = {
  status: Success,
  channel: ChannelSchema,
  revision: Type.Integer(),
  seed: Type.String(),
  stats: BuildStatsSchema,
  warnings: Type.Array(BuildWarningSchema),
  warnings_total: Type.Integer()
}
export const BuildStoredSchema = Type.Object({ ...BuildFigures, dry_run: Type.Literal(false), build_id: Type.String() })
export type BuildStored = Static<typeof BuildStoredSchema>
export const BuildDryRunSchema = Type.Object({
  ...BuildFigures,
  dry_run: Type.Literal(true),
  events: Type.Array(ChannelEventSchema, { description: `the first ${MAX_PAGE} events the build would store (all of them when there are no more)` }),
  events_total: Type.Integer({ description: 'how many events the build would store' }),
  programmes: Type.Optional(Type.Array(ProgrammeBriefSchema, { description: `with \`programmes: true\`: the first ${MAX_PREVIEW_PROGRAMMES} programmes the build would store, in brief, grouped as GET …/programmes groups stored events` })),
  programmes_total: Type.Optional(Type.Integer({ description: 'with `programmes: true`: how many programmes the build would store' }))
})
export type BuildDryRun = Static<typeof BuildDryRunSchema>
export type BuildAnswer = BuildStored | BuildDryRun

export const ChannelEventsSchema = Type.Object({ channel: ChannelSchema, events: Type.Array(ChannelEventSchema), next: NextPageSchema })
export type ChannelEvents = Static<typeof ChannelEventsSchema>

export const PlaceScheduleRequestSchema = Type.Object({ channel_id: Nullable(Type.String({ description: 'the channel the schedule airs on; null takes it off' })) })
export const PlaceScheduleAnswerSchema = Type.Object({ status: Success, schedule_id: Type.String(), channel_id: Nullable(Type.String()) })
export type PlaceScheduleAnswer = Static<typeof PlaceScheduleAnswerSchema>
