// The schedule domain (SPEC §1). Instants are UTC epoch milliseconds inside the
// domain and ISO 8601 with Z at its edges.

import type { AiredEvent, ChannelInfo, ScheduleSummary } from '../../contract/api.js'

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

/** An event's times and media as every answer writes them (an auto-fill's events have no id or description). */
export const airedFields = (e: Pick<ScheduleEvent, 'title' | 'start' | 'end' | 'video_url' | 'category'>): Omit<AiredEvent, 'id' | 'description'> => ({
  title: e.title,
  start: iso(e.start),
  end: iso(e.end),
  duration: durationSeconds(e),
  video_url: e.video_url,
  category: e.category
})

/** The fields every event answer opens with (contract AiredEvent), from an event in ms. */
export const airedEvent = (id: string, e: Pick<ScheduleEvent, 'title' | 'start' | 'end' | 'video_url' | 'category'> & { description?: string | null }): AiredEvent => ({
  id,
  ...airedFields(e),
  description: e.description ?? null
})
