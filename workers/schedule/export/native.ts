import { durationSeconds, iso, type ScheduleSource, type StoredEvent } from '../model.js'
import type { ExportSchedule } from './types.js'

// The record the native XML and JSON formats share. Its field names are the ones the
// native importers read (SPEC §3), so an exported document re-imports to the same events.

export interface NativeEvent {
  title: string
  start: string
  end: string
  duration: number
  videoUrl: string | null
  category: string | null
  description: string | null
  tags: string[]
  channel: string | null
}

export interface NativeDocument {
  metadata: { title: string, id: string, source: ScheduleSource, created: string, event_count: number }
  schedule: NativeEvent[]
}

function nativeEvent (e: StoredEvent): NativeEvent {
  return {
    title: e.title,
    start: iso(e.start),
    end: iso(e.end),
    duration: durationSeconds(e),
    videoUrl: e.video_url,
    category: e.category,
    description: e.description,
    tags: e.tags,
    channel: e.channel
  }
}

export function nativeDocument (s: ExportSchedule): NativeDocument {
  return {
    metadata: { title: s.name, id: s.id, source: s.source, created: s.created, event_count: s.events.length },
    schedule: s.events.map(nativeEvent)
  }
}
