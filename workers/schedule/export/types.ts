import type { ChannelInfo, ScheduleSource, StoredEvent } from '../model.js'
import type { Channel } from '../../../contract/api.js'
import type { ExportedDocument } from '../../../contract/formats.js'
import type { StoredChannelEvent } from '../../storage/channels.js'
import type { LocalDay } from '../../channels/wall-time.js'

export type { ExportFormat, ScheduleExportFormat, ChannelExportFormat } from '../../../contract/formats.js'

/** An event as the exporters read it: a channel's built events also say where in their media they play. */
export interface ExportEvent extends StoredEvent {
  /** ms into its media where the event starts (a part after a break, an item cut at the front); absent: 0 */
  in_ms?: number
  /** its media's length as far as known, ms; absent: in_ms + the event's length (it plays to the end) */
  media_ms?: number
}

export interface ExportSchedule {
  id: string
  name: string
  source: ScheduleSource
  created: string
  /** The stable channel id of its events that carry none: M3U tvg-id and XMLTV channel id alike. */
  channel_id: string
  channels: ChannelInfo[]
  /** sorted by start */
  events: ExportEvent[]
}

export interface ExportOptions {
  /** An export of every schedule: the several-schedules form even when there is only one */
  all?: boolean
  /** YYYY-MM-DD; ffplayout only: the day its daily playlist covers */
  date?: string
  /** IANA zone of the ffplayout day boundaries; default UTC */
  timezone?: string
}

export type { ExportedDocument }

/** One format's schedule export: the schedules to export (one, or all for "export all") in, the document out. */
export type Exporter = (schedules: ExportSchedule[], options: ExportOptions) => ExportedDocument

/** A channel and its events over the range (or day) read for the export. */
export interface ChannelWithEvents {
  channel: Channel
  events: StoredChannelEvent[]
  /** ms, by video_url: the probed length of the media library items the events air (workers/media/library-urls.ts); others are not in it */
  probed?: ReadonlyMap<string, number>
}

export interface ChannelExportOptions {
  /** A day format's local day of the channel (its events are read to a day past its end). */
  day?: LocalDay
}

/** One format's channel export. */
export type ChannelExporter = (data: ChannelWithEvents, options: ChannelExportOptions) => ExportedDocument
