import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { ERROR_CODES, type ErrorCode } from './errors.js'
import { CHANNEL_NUMBER_PATTERN, EDIT_OPS, MAX_BLOCKS, MAX_BUILD_DAYS, MAX_COOLDOWN_HOURS, MAX_FILL_HOURS, MAX_FIXED_EVENTS, MAX_PAGE, WEEKDAYS } from './limits.js'

// The API's request and answer shapes, once (SPEC §6): routes validate, serialize and
// document with these schemas; worker commands annotate their results with the Static
// types, imported with `import type` only, so TypeBox never loads in a worker and a field
// renamed on either side fails to compile. Fields are snake_case as they cross every layer.
// `FooSchema` is a schema, `Foo` the type of what it describes.

/** `type: [T, 'null']` rather than anyOf: the serializer handles it far faster on large answers. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] })

const Success = Type.Literal('success')

// ── Errors ────────────────────────────────────────────────────────────────────────────

export const ProblemDetailSchema = Type.Object({
  index: Type.Optional(Type.Integer({ description: 'the event or item the problem is about, from 0 (the message of a schedule event names it from 1, by title and start)' })),
  field: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
  message: Type.String()
})
export type ProblemDetail = Static<typeof ProblemDetailSchema>

export const ErrorBodySchema = Type.Object({
  status: Type.Literal('error'),
  code: Type.Unsafe<ErrorCode>({ type: 'string', enum: ERROR_CODES }),
  message: Type.String(),
  request_id: Type.String(),
  errors: Type.Optional(Type.Array(ProblemDetailSchema)),
  may_be_stored: Type.Optional(Type.Literal(true, { description: 'a write whose process died, timed out or failed after it began its commit (SPEC §12): it may be stored; repeat it with the same Idempotency-Key to learn which' })),
  revision_before: Type.Optional(Nullable(Type.Integer({ description: 'with may_be_stored: the revision of the schedule or channel written before this write (a higher one now means something was stored since); null when the write names none' })))
}, { $id: 'ErrorBody', description: 'Every failure, whatever the route (SPEC §6)' })
export type ErrorBody = Static<typeof ErrorBodySchema>

// ── Schedules ─────────────────────────────────────────────────────────────────────────

const SCHEDULE_SOURCES = ['xml', 'json', 'xmltv', 'auto-fill'] as const
/** An enum, not a union of literals: the serializer writes it as a plain string (lists are long). */
export const ScheduleSourceSchema = Type.Unsafe<typeof SCHEDULE_SOURCES[number]>({ type: 'string', enum: SCHEDULE_SOURCES })

export const ScheduleSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  source: ScheduleSourceSchema,
  created: Type.String(),
  event_count: Type.Integer(),
  first_start: Nullable(Type.String()),
  last_end: Nullable(Type.String())
})
export type ScheduleSummary = Static<typeof ScheduleSummarySchema>

export const ScheduleListSchema = Type.Object({ schedules: Type.Array(ScheduleSummarySchema), count: Type.Integer() })
export type ScheduleList = Static<typeof ScheduleListSchema>

export const ChannelInfoSchema = Type.Object({ id: Type.String(), display_name: Type.String() }, { description: 'a channel as XMLTV names it' })
export type ChannelInfo = Static<typeof ChannelInfoSchema>

/** What every event answer opens with, a schedule's or a channel's: its instants as ISO, its length in seconds. */
const AiredEventFields = {
  id: Type.String(),
  title: Type.String(),
  start: Type.String(),
  end: Type.String(),
  duration: Type.Number({ description: 'seconds' }),
  video_url: Nullable(Type.String()),
  category: Nullable(Type.String()),
  description: Nullable(Type.String())
}
export const AiredEventSchema = Type.Object(AiredEventFields)
export type AiredEvent = Static<typeof AiredEventSchema>

export const EventSchema = Type.Object({
  ...AiredEventFields,
  tags: Type.Array(Type.String()),
  channel: Nullable(Type.String())
})
export type Event = Static<typeof EventSchema>

/** How a warning names an event: its title and ISO instants. */
const EventNamed = { title: Type.String(), start: Type.String(), end: Type.String() }

export const DuplicateReportSchema = Type.Object({
  index: Type.Integer({ description: 'in the document, from 0' }),
  duplicate_of: Type.Integer({ description: 'the event kept, from 0' }),
  ...EventNamed,
  message: Type.Optional(Type.String({ description: 'names both events as a person finds them: 1-based, by title and local start (absent in reports stored by earlier versions)' }))
})
export type DuplicateReport = Static<typeof DuplicateReportSchema>

export const OverlapSideSchema = Type.Object({
  index: Nullable(Type.Integer({ description: 'the event in its schedule (in the document, on import); null for an event of another schedule' })),
  ...EventNamed,
  event_id: Type.Optional(Type.String({ description: 'the stored event, when the schedule is read' })),
  schedule_id: Type.Optional(Type.String({ description: 'set when the event is in another schedule on the same channel' }))
})
export type OverlapSide = Static<typeof OverlapSideSchema>
export const OverlapReportSchema = Type.Object({ type: Type.Literal('overlap'), event1: OverlapSideSchema, event2: OverlapSideSchema })
export type OverlapReport = Static<typeof OverlapReportSchema>

export const CooldownReportSchema = Type.Object({
  index: Type.Integer(),
  title: Type.String(),
  video: Type.String(),
  start: Type.String(),
  previous_index: Nullable(Type.Integer({ description: 'null when the previous play is one already stored in another schedule' })),
  previous_start: Type.String(),
  hours_since_previous: Type.Number()
})
export type CooldownReport = Static<typeof CooldownReportSchema>

export const ImportWarningsSchema = Type.Object({
  duplicates: Type.Array(DuplicateReportSchema),
  conflicts: Type.Array(OverlapReportSchema),
  conflicts_total: Type.Integer(),
  cooldown: Type.Array(CooldownReportSchema),
  cooldown_total: Type.Integer(),
  notes: Type.Array(Type.String(), { description: 'what the reader left out or changed on purpose, e.g. an XMLTV programme with no end, control characters removed from a title' })
})
export type ImportWarnings = Static<typeof ImportWarningsSchema>

export const ImportReportSchema = Type.Object({
  total_imported: Type.Integer(),
  unique_events: Type.Integer(),
  duplicates_removed: Type.Integer(),
  conflicts_detected: Type.Integer(),
  cooldown_violations: Type.Integer()
})
export type ImportReport = Static<typeof ImportReportSchema>

// ImportAnswerSchema names the channels an import creates: it follows ChannelSchema, below.

export const ScheduleDetailSchema = Type.Composite([ScheduleSummarySchema, Type.Object({
  channel_id: Type.String({ description: 'the stable channel id of the schedule\'s own events: `tvg-id` in its M3U export and the channel id in its XMLTV export; set once when the schedule is stored, kept when it is renamed (letters, digits, dots and hyphens)' }),
  placed_on: Nullable(Type.String({ description: 'the id of the channel (SPEC §11) the schedule is placed on: its events air there (channel_id on import, or PUT /api/schedules/{id}/channel); null when it is on none, or when its events air on their own channels (an XMLTV import with create_channels)' })),
  channels: Type.Array(ChannelInfoSchema),
  cooldown_hours: Type.Number({ description: 'the cooldown its replays are counted against (the import\'s cooldown_hours)' }),
  revision: Type.Integer({ description: 'raised by each write to the schedule (SPEC §12): what an edit\'s If-Match names' }),
  warnings: Type.Union([ImportWarningsSchema, Type.Null()], {
    description: 'overlaps and cooldown replays worked out when read, against every schedule stored then (indices are of the events in air order); a schedule placed on a channel counts them on that channel: overlaps with everything that airs there, replays of its plays; duplicates and notes as the import reported them'
  })
})])
export type ScheduleDetail = Static<typeof ScheduleDetailSchema>

/** A paged read's link to the page after it (SPEC §12). */
export const NextPageSchema = Type.Optional(Type.String({ description: 'the relative URL of the next page (same range, a cursor past this page\'s last event); absent on the last page' }))

export const ScheduleWithEventsSchema = Type.Object({ schedule: ScheduleDetailSchema, events: Type.Array(EventSchema), next: NextPageSchema })
export type ScheduleWithEvents = Static<typeof ScheduleWithEventsSchema>

/**
 * `fields=timeline`: only what the panel's timeline draws, one array per field (index i of
 * every array is event i). A dense week is 10,000 events: named fields per event, ISO
 * strings, descriptions and tags would be most of the bytes and of the parsing.
 */
export const TimelineEventsSchema = Type.Object({
  count: Type.Integer(),
  id: Type.Array(Type.String()),
  title: Type.Array(Type.String()),
  start_ms: Type.Array(Type.Number({ description: 'UTC epoch milliseconds' })),
  end_ms: Type.Array(Type.Number({ description: 'UTC epoch milliseconds' })),
  category: Type.Array(Nullable(Type.String())),
  video_url: Type.Array(Nullable(Type.String())),
  channel: Type.Array(Nullable(Type.String({ description: 'the XMLTV channel id (schedule.channels names it); null when the document names none' }))),
  marks: Type.Array(Type.Integer({ description: 'bits: 1 overlap, 2 cooldown replay (worked out when read, as the warnings are)' }))
}, { description: 'columnar events: index i of every array is one event' })
export type TimelineEvents = Static<typeof TimelineEventsSchema>

export const ScheduleTimelineSchema = Type.Object({ schedule: ScheduleDetailSchema, events: TimelineEventsSchema, next: NextPageSchema })
export type ScheduleTimeline = Static<typeof ScheduleTimelineSchema>

/** delete-schedule, delete-playlist: the id deleted. */
export const DeleteAnswerSchema = Type.Object({ status: Success, deleted: Type.String({ description: 'the id deleted' }) })
export type DeleteAnswer = Static<typeof DeleteAnswerSchema>

export const DeleteAllAnswerSchema = Type.Object({ status: Success, deleted: Type.Integer({ description: 'how many schedules were deleted' }) })
export type DeleteAllAnswer = Static<typeof DeleteAllAnswerSchema>

// ── Auto-fill (SPEC §5) ───────────────────────────────────────────────────────────────

export const AutoFillRequestSchema = Type.Object({
  playlist_id: Type.Optional(Type.String({ description: 'fill from this playlist, or give links' })),
  links: Type.Optional(Type.Array(Type.Object({
    url: Type.String({ minLength: 1 }),
    title: Type.Optional(Type.String()),
    duration: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'seconds; unknown runs 30 minutes' })),
    category: Type.Optional(Type.String())
  }), { minItems: 1 })),
  start_time: Type.String({ description: 'ISO 8601; naive times are read in timezone' }),
  duration_hours: Type.Number({ exclusiveMinimum: 0, maximum: MAX_FILL_HOURS, description: `up to ${MAX_FILL_HOURS} (31 days)` }),
  cooldown_hours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_COOLDOWN_HOURS, default: 48 })),
  shuffle: Type.Optional(Type.Boolean({ default: true })),
  seed: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'same seed, same schedule; answered in stats.seed when not given' })),
  slot_minutes: Type.Optional(Type.Number({ minimum: 1, maximum: 1440, description: 'fixed slots; omitted: back to back, each item for its own duration' })),
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
  padded_seconds: Type.Number({ description: 'fixed slots: how much of those slots the items leave over, in all' })
})
export type FillStats = Static<typeof FillStatsSchema>

export const FillEventSchema = Type.Object({
  title: Type.String(),
  start: Type.String(),
  end: Type.String(),
  duration: Type.Number({ description: 'seconds' }),
  video_url: Nullable(Type.String()),
  category: Nullable(Type.String()),
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
  decisions_omitted: Type.Integer({ description: 'how many decisions this answer leaves out (at most 500 are answered at once)' }),
  events: Type.Array(FillEventSchema)
})
export type FillFigures = Static<typeof FillFiguresSchema>

export const AutoFillStoredSchema = Type.Object({ status: Success, dry_run: Type.Literal(false), schedule: ScheduleSummarySchema, ...FillFiguresSchema.properties })
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

// ── Playlists ─────────────────────────────────────────────────────────────────────────

export const PlaylistSummarySchema = Type.Object({ id: Type.String(), name: Type.String(), created: Type.String(), item_count: Type.Integer() })
export type PlaylistSummary = Static<typeof PlaylistSummarySchema>

export const PlaylistListSchema = Type.Object({ playlists: Type.Array(PlaylistSummarySchema), count: Type.Integer() })
export type PlaylistList = Static<typeof PlaylistListSchema>

export const PlaylistItemSchema = Type.Object({
  title: Type.String(),
  url: Type.String({ description: 'as written in the playlist' }),
  duration: Nullable(Type.Number({ description: 'seconds; null when unknown' })),
  group: Nullable(Type.String()),
  tvg: Type.Record(Type.String(), Type.String(), { description: 'the #EXTINF attributes but group-title' })
})
export type PlaylistItem = Static<typeof PlaylistItemSchema>

export const PlaylistWithItemsSchema = Type.Object({
  playlist: Type.Composite([PlaylistSummarySchema, Type.Object({ attributes: Type.Record(Type.String(), Type.String()) })]),
  items: Type.Array(PlaylistItemSchema)
})
export type PlaylistWithItems = Static<typeof PlaylistWithItemsSchema>

export const PlaylistImportAnswerSchema = Type.Object({ status: Success, playlist: PlaylistSummarySchema, warnings: Type.Array(Type.String()) })
export type PlaylistImportAnswer = Static<typeof PlaylistImportAnswerSchema>

// ── Channels (SPEC §11) ───────────────────────────────────────────────────────────────

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
  stream_url: Nullable(Type.String({ description: 'what the channel-list M3U points players at' })),
  default_filler: Nullable(Type.String({ description: 'a playlist id: airs the stretches no block covers' })),
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
  default_filler: Type.Optional(Nullable(Type.String({ maxLength: 100 })))
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

// ── Schedule import (its answer names the channels it creates) ──────────────────────────

export const ImportQuerySchema = Type.Object({
  format: Type.Optional(Type.Union(['xml', 'json', 'xmltv'].map((f) => Type.Literal(f)))),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  timezone: Type.Optional(Type.String({ description: 'IANA zone for naive times, e.g. Europe/London (default UTC); with create_channels, the zone of the channels it creates', maxLength: 64 })),
  cooldown_hours: Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 366 })),
  allow_empty: Type.Optional(Type.Boolean({ default: false, description: 'Store the schedule even when the document gives no event (none in it, or every programme left out). Without it such an import is refused: 400 EMPTY_DOCUMENT, saying how many were read and why each was left out.' })),
  channel_id: Type.Optional(Type.String({
    maxLength: 100,
    description: 'Place the schedule on this channel (SPEC §11) in the same transaction as the import, as PUT /api/schedules/{id}/channel does later: every event airs there. Overlaps are then counted against the events already on that channel (built, or of schedules placed there) and across the whole document, whatever XMLTV channel an event names; cooldown replays against the plays on that channel only. An unknown channel is 400 VALIDATION_FAILED (field channel_id) and nothing is stored. Not with create_channels.'
  })),
  create_channels: Type.Optional(Type.Boolean({
    default: false,
    description: 'XMLTV only (another format is 400 naming create_channels). Each `<channel id>` of the document becomes a channel in the same transaction as the import: the stored channel whose xmltv_id is that id is reused as it is; otherwise one is created with xmltv_id = the id, name = its first display-name (else the id), logo = its first icon src when an http(s) URL (else none, said in the notes), timezone = this request\'s timezone (default UTC), and number = the first display-name or `<lcn>` that is a channel number (7, 7.1) no channel has, else the next whole number above the highest any channel has. Each programme airs on its channel; one whose channel has no `<channel>` element airs on none. Overlaps and cooldown replays are counted per channel, with what is already stored on a reused one. A channel that cannot be created as written (an id with a space, a name over 200 characters) refuses the import, naming it. The answer lists the channels created and reused.'
  }))
})
export type ImportQuery = Static<typeof ImportQuerySchema>

export const ImportAnswerSchema = Type.Object({
  status: Success,
  schedule_id: Type.String(),
  events_imported: Type.Integer(),
  duplicates_removed: Type.Integer(),
  conflicts_detected: Type.Integer(),
  schedule: Type.Pick(ScheduleSummarySchema, ['id', 'name', 'source', 'event_count', 'created']),
  metadata: ImportReportSchema,
  warnings: ImportWarningsSchema,
  placed_on: Type.Optional(Type.String({ description: 'with channel_id: the channel the schedule was placed on' })),
  channels: Type.Optional(Type.Object({
    created: Type.Array(ChannelSchema),
    reused: Type.Array(ChannelSchema)
  }, { description: 'with create_channels: the document\'s channels, those created and those reused (by xmltv_id), in document order' }))
})
export type ImportAnswer = Static<typeof ImportAnswerSchema>

export const BlockSourceSchema = Type.Union([
  Type.Object({ playlist: Type.String({ minLength: 1, description: 'a playlist id' }), group: Type.Optional(Type.String({ minLength: 1, description: 'only the items of this group-title' })) }, { additionalProperties: false }),
  Type.Object({
    item: Type.Object({
      url: Type.String({ minLength: 1, maxLength: 2000 }),
      title: Type.String({ minLength: 1, maxLength: 500 }),
      duration: Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'seconds' })
    }, { additionalProperties: false })
  }, { additionalProperties: false })
])
export type BlockSource = Static<typeof BlockSourceSchema>

export const BreaksSchema = Type.Object({
  every_minutes: Type.Integer({ minimum: 1, maximum: 720, description: 'a break after every N minutes of content' }),
  max_seconds: Type.Integer({ minimum: 1, maximum: 3600 }),
  filler: Type.String({ minLength: 1, description: 'a playlist id: idents, trailers, adverts' })
}, { additionalProperties: false })
export type Breaks = Static<typeof BreaksSchema>

const BLOCK_ORDERS = ['shuffle', 'sequential', 'random'] as const
const BLOCK_FILLS = ['pad', 'gap', 'cut'] as const

export const BlockSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'unique in the template; the sequential order is carried by it across builds' }),
  days: Type.Array(WeekdaySchema, { minItems: 1, uniqueItems: true }),
  start: WallTimeSchema,
  end: WallTimeSchema,
  title: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'one guide entry for the whole block, else one per item' }))),
  source: BlockSourceSchema,
  order: Type.Optional(Type.Unsafe<typeof BLOCK_ORDERS[number]>({ type: 'string', enum: BLOCK_ORDERS, default: 'shuffle' })),
  cooldown_hours: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: MAX_COOLDOWN_HOURS, description: 'default (or null) the template\'s' }))),
  fill: Type.Optional(Type.Unsafe<typeof BLOCK_FILLS[number]>({ type: 'string', enum: BLOCK_FILLS, default: 'gap' })),
  filler: Type.Optional(Nullable(Type.String({ minLength: 1, description: 'a playlist id: what `pad` fills the end with' }))),
  breaks: Type.Optional(Nullable(BreaksSchema))
}, { additionalProperties: false })
export type Block = Static<typeof BlockSchema>

export const TemplateSchema = Type.Object({
  cooldown_hours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_COOLDOWN_HOURS, default: 48 })),
  blocks: Type.Array(BlockSchema, { maxItems: MAX_BLOCKS })
}, { additionalProperties: false })
export type Template = Static<typeof TemplateSchema>

export const TemplateAnswerSchema = Type.Object({ template: TemplateSchema, revision: Type.Integer() })
export type TemplateAnswer = Static<typeof TemplateAnswerSchema>

export const OverrideEventSchema = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 500 }),
  start: Type.String({ description: 'ISO 8601; naive times are read in the channel\'s zone' }),
  end: Type.String(),
  video_url: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  category: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 5000 })))
}, { additionalProperties: false })
export type OverrideEvent = Static<typeof OverrideEventSchema>

export const OverrideCreateSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  from: LocalDateSchema,
  to: LocalDateSchema,
  days: Type.Optional(Nullable(Type.Array(WeekdaySchema, { minItems: 1 }))),
  blocks: Type.Optional(Type.Array(BlockSchema, { maxItems: MAX_BLOCKS })),
  events: Type.Optional(Type.Array(OverrideEventSchema, { maxItems: MAX_FIXED_EVENTS }))
}, { additionalProperties: false })
export type OverrideCreate = Static<typeof OverrideCreateSchema>

export const OverrideSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  from: Type.String(),
  to: Type.String(),
  days: Nullable(Type.Array(WeekdaySchema)),
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

/** A build's range may hold at most this many local days. */

export const BuildRequestSchema = Type.Object({
  from: LocalDateSchema,
  to: LocalDateSchema,
  seed: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Number()], { description: 'same inputs and seed, same events; answered in the build when not given' })),
  dry_run: Type.Optional(Type.Boolean({ default: false })),
  freeze_hours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_BUILD_DAYS * 24, default: 0, description: 'stored events starting before now + this are kept as they are' }))
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
  kept_placed: Type.Integer()
})
export type BuildStats = Static<typeof BuildStatsSchema>

export const BuildWarningSchema = Type.Object({
  code: Type.String({ description: 'EMPTY_SOURCE, SOURCE_MISSING, SOURCE_TOO_SMALL, BLOCK_NOT_FILLED, NO_DEFAULT_FILLER, ITEM_PUSHED, ITEM_CUT, FIXED_OVERLAP, SEQUENTIAL_RESTARTED, BREAK_FILLER_EMPTY' }),
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
  source: Type.Optional(Type.String({ description: 'playlist:<id>[#group] or item:<video>' })),
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
  in_ms: Type.Integer({ description: 'where in the media it starts (a part after a break)' }),
  episode_num: Nullable(Type.String({ description: 'xmltv_ns' })),
  marks: Type.Optional(Type.Integer({ description: 'GET …/events only: bits as in fields=timeline, 1 = in an overlap on the channel, 2 = replayed inside the cooldown' }))
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
  events_total: Type.Integer({ description: 'how many events the build would store' })
})
export type BuildDryRun = Static<typeof BuildDryRunSchema>
export type BuildAnswer = BuildStored | BuildDryRun

export const ChannelEventsSchema = Type.Object({ channel: ChannelSchema, events: Type.Array(ChannelEventSchema), next: NextPageSchema })
export type ChannelEvents = Static<typeof ChannelEventsSchema>

export const PlaceScheduleRequestSchema = Type.Object({ channel_id: Nullable(Type.String({ description: 'the channel the schedule airs on; null takes it off' })) })
export const PlaceScheduleAnswerSchema = Type.Object({ status: Success, schedule_id: Type.String(), channel_id: Nullable(Type.String()) })
export type PlaceScheduleAnswer = Static<typeof PlaceScheduleAnswerSchema>

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
  ripple: Type.Optional(Type.Boolean({ description: 'shift every later event of the same local day by as much as the start moved' }))
})
export const EditOpSchema = Type.Object({
  op: Type.Union(EDIT_OPS.map((op) => Type.Literal(op))),
  id: Type.Optional(Type.String({ description: 'the event (update, delete)' })),
  ...EditedFields,
  ripple: Type.Optional(Type.Boolean())
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
  moved: Type.Optional(Type.Array(Type.String(), { description: 'the events a ripple shifted' }))
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

// ── Documents (exports) ───────────────────────────────────────────────────────────────

/** The media types of exported documents; the route answers the body as it is, with this type. */
export const DOCUMENT_TYPES = ['application/xml; charset=utf-8', 'application/json; charset=utf-8', 'audio/x-mpegurl; charset=utf-8'] as const

/** A worker's exported document: sent as `body` with `content_type`, named `filename` (not JSON to the client). */
export interface ExportedDocument {
  content_type: typeof DOCUMENT_TYPES[number]
  filename: string
  body: string
}

// ── Status ────────────────────────────────────────────────────────────────────────────

export const StoreCountsSchema = Type.Object({ schedules: Type.Integer(), events: Type.Integer(), playlists: Type.Integer(), playlist_items: Type.Integer(), channels: Type.Integer() })
export type StoreCounts = Static<typeof StoreCountsSchema>

/** Where schedules are kept: SQLite in the data dir, or the PostgreSQL of DATABASE_URL. */
export const StorageKindSchema = Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')])
export type StorageKind = Static<typeof StorageKindSchema>

export const SystemInfoSchema = Type.Object({
  version: Type.String(),
  node: Type.String(),
  storage: Type.Object({ kind: StorageKindSchema, schema_version: Type.Integer() }),
  counts: StoreCountsSchema
})
export type SystemInfo = Static<typeof SystemInfoSchema>

export interface MigrateAnswer { schema_version: number }

const PoolLoadSchema = Type.Object({
  active: Type.Integer(),
  max: Type.Integer(),
  queued: Type.Integer(),
  max_queue: Type.Integer(),
  utilization_percent: Type.Number()
})

export const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded')]),
  uptime_ms: Type.Integer(),
  process_pool: PoolLoadSchema,
  storage: Type.Object({ kind: StorageKindSchema, ok: Type.Boolean() }),
  rate_limits: Type.Object({
    counted: Type.Union([Type.Literal('shared'), Type.Literal('per-instance')], {
      description: 'shared: in Redis, across instances; per-instance: by this instance alone (no REDIS_URL, or Redis not answering)'
    }),
    redis: Nullable(Type.Object({ ok: Type.Boolean({ description: 'Redis answered the last command' }) }, { description: 'null without REDIS_URL' }))
  }),
  instance: Type.String({ description: 'SCHEDULEFLOW_INSTANCE_ID: which instance answered' }),
  reasons: Type.Optional(Type.Array(Type.String()))
})

export const QueueStatsSchema = Type.Object({
  instance: Type.String({ description: 'SCHEDULEFLOW_INSTANCE_ID: these figures are this instance\'s alone' }),
  active: Type.Integer(),
  idle: Type.Integer(),
  queued: Type.Integer(),
  max_concurrency: Type.Integer(),
  max_queue: Type.Integer(),
  draining: Type.Boolean(),
  totals: Type.Record(Type.String(), Type.Integer()),
  peaks: Type.Object({ active: Type.Integer(), queued: Type.Integer() }),
  latency_ms: Type.Object({
    samples: Type.Integer(),
    p50: Nullable(Type.Number()),
    p95: Nullable(Type.Number()),
    p99: Nullable(Type.Number())
  }),
  recent_errors: Type.Array(Type.Object({
    time: Type.String(),
    command: Type.String(),
    status: Type.Integer({ description: 'the status answered: 4xx refused (the input), 5xx failed' }),
    code: Type.String(),
    message: Type.String(),
    request_id: Type.String()
  }), { description: 'the last 20 operations refused or failed, newest first: what totals.errors counts (= refused + failed)' })
})

export const AuthAnswerSchema = Type.Object({
  role: Type.String({ description: 'viewer, operator, admin, or anonymous' }),
  key_id: Nullable(Type.String({ description: 'a digest of the key, safe to quote' }))
})

// ── Test commands (reachable only with SCHEDULEFLOW_TEST_COMMANDS=true) ──────────────

export const TestSleepAnswerSchema = Type.Object({ pid: Type.Integer(), started: Type.Number(), ended: Type.Number() })
export type TestSleepAnswer = Static<typeof TestSleepAnswerSchema>
export const TestEchoAnswerSchema = Type.Object({ bytes: Type.Integer(), word: Nullable(Type.String()), env_keys: Type.Array(Type.String()) })
export type TestEchoAnswer = Static<typeof TestEchoAnswerSchema>
export const TestAllocateAnswerSchema = Type.Object({ pid: Type.Integer(), rss_mb: Type.Integer() })
export type TestAllocateAnswer = Static<typeof TestAllocateAnswerSchema>
export const TestRoleAnswerSchema = Type.Object({ identity: Type.Union([Type.Object({ id: Type.String(), role: Type.String() }), Type.Null()]) })
