// The schedule domain (SPEC §1). Instants are UTC epoch milliseconds inside the
// domain and ISO 8601 with Z at its edges.

export type ScheduleSource = 'xml' | 'json' | 'xmltv' | 'auto-fill'

export interface ScheduleEvent {
  title: string
  /** UTC epoch ms */
  start: number
  /** UTC epoch ms, > start */
  end: number
  video_url: string | null
  category: string | null
  description: string | null
  tags: string[]
  /** XMLTV channel id; overlaps are only counted within one channel */
  channel: string | null
}

export interface StoredEvent extends ScheduleEvent {
  id: string
}

export interface ScheduleSummary {
  id: string
  name: string
  source: ScheduleSource
  created: string
  event_count: number
  first_start: string | null
  last_end: string | null
}

/** A channel as XMLTV names it; kept so an XMLTV export can name its channels. */
export interface ChannelInfo {
  id: string
  display_name: string
}

export interface ScheduleDocument {
  name: string
  source: ScheduleSource
  events: ScheduleEvent[]
  channels: ChannelInfo[]
}

export const iso = (ms: number): string => new Date(ms).toISOString()

/** Seconds between start and end: the `duration` of SPEC §1. */
export const durationSeconds = (e: Pick<ScheduleEvent, 'start' | 'end'>): number => Math.round((e.end - e.start) / 1000)
