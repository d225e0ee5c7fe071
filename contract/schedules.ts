import { Type, type Static } from '@sinclair/typebox'
import { AiredEventFields, NextPageSchema, Nullable, Success } from './common.js'
import { ChannelSchema } from './channels.js'
import { MAX_COOLDOWN_HOURS } from './limits.js'
import { ImportFormatSchema, ScheduleSourceSchema } from './format-schemas.js'

// Schedules (SPEC §4, §6): their lists, reads, warnings and imports.

// A schedule's source is an import format (contract/formats.ts) or auto-fill; an enum, not a union
// of literals, so the serializer writes it as a plain string (lists are long).
export { ScheduleSourceSchema }

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
  previous_title: Type.Optional(Type.String({ description: 'the previous airing\'s title, when it is known (a channel\'s edits name both airings, SPEC §15)' })),
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

// ── Schedule import (its answer names the channels it creates) ──────────────────────────

export const ImportQuerySchema = Type.Object({
  format: Type.Optional(ImportFormatSchema),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  timezone: Type.Optional(Type.String({ description: 'IANA zone for naive times, e.g. Europe/London (default UTC); with create_channels, the zone of the channels it creates', maxLength: 64 })),
  cooldown_hours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_COOLDOWN_HOURS })),
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
