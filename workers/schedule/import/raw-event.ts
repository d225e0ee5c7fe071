import type { ChannelInfo, ScheduleSource } from '../model.js'

export interface Position { line: number, column: number }

/**
 * One event as a reader found it, fields under their canonical names (aliases already
 * mapped), values not yet checked. `start`/`end` are strings to parse, or epoch ms
 * when the format's own time syntax was already read (XMLTV).
 */
export interface RawEvent {
  index: number
  position?: Position
  fieldPositions: Partial<Record<string, Position>>
  fields: Partial<Record<'title' | 'start' | 'end' | 'duration' | 'video_url' | 'category' | 'description' | 'tags' | 'channel', unknown>>
}

/** An XMLTV `<channel>` as written: what an import that creates channels makes them from. */
export interface XmltvChannel {
  id: string
  /** trimmed, empty ones left out, in document order */
  display_names: string[]
  /** the first `<icon src>` */
  icon?: string
  /** every `<display-name>` and `<lcn>` text in document order: where a channel number is looked for */
  number_candidates: string[]
}

export interface RawDocument {
  source: Exclude<ScheduleSource, 'auto-fill'>
  name?: string
  events: RawEvent[]
  channels: ChannelInfo[]
  /** XMLTV only: each `<channel>` in full, the first of an id kept. */
  xmltvChannels?: XmltvChannel[]
  /** Things left out on purpose (an XMLTV programme with no end, say). */
  notes: string[]
  /** The zone the document says its naive times are in (JSON `metadata.timezone`); the request's `timezone` wins. */
  timezone?: string
}

/** The field names the earlier ScheduleFlow and other tools wrote, mapped to ours (SPEC §3). */
export const FIELD_ALIASES: Record<string, keyof RawEvent['fields']> = {
  title: 'title',
  name: 'title',
  start: 'start',
  start_time: 'start',
  startTime: 'start',
  end: 'end',
  end_time: 'end',
  endTime: 'end',
  stop: 'end',
  duration: 'duration',
  videoUrl: 'video_url',
  video_url: 'video_url',
  url: 'video_url',
  uri: 'video_url',
  category: 'category',
  description: 'description',
  desc: 'description',
  tags: 'tags',
  channel: 'channel'
}
