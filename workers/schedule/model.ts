// The schedule domain (SPEC §1). Instants are UTC epoch milliseconds inside the
// domain and ISO 8601 with Z at its edges.

import type { ChannelInfo, ScheduleSummary } from '../../contract/api.js'

// A schedule and its channels as the API answers them (contract/api.ts).
export type { ChannelInfo, ScheduleSummary }

export type ScheduleSource = ScheduleSummary['source']

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

export interface ScheduleDocument {
  name: string
  source: ScheduleSource
  events: ScheduleEvent[]
  channels: ChannelInfo[]
}

export const iso = (ms: number): string => new Date(ms).toISOString()

/** Seconds between start and end: the `duration` of SPEC §1. */
export const durationSeconds = (e: Pick<ScheduleEvent, 'start' | 'end'>): number => Math.round((e.end - e.start) / 1000)
