import type { ImportWarnings, TimelineEvents } from '../../contract/api.js'
import type { StoredEvent } from '../schedule/model.js'

// The `fields=timeline` shape of get-schedule: the columns the panel's timeline draws, with
// each event's warning marks worked out here rather than in the browser.

/** The bits of `marks` (contract/api.ts TimelineEventsSchema; public/js/views/schedule.js reads them). */
const TIMELINE_MARKS = { overlap: 1, cooldown: 2 } as const

/** Warnings name events by title and start instant (ISO); events are matched the same way. */
const eventKey = (title: string, startMs: number): string => `${title}\u0000${startMs}`

function markIndex (warnings: ImportWarnings | null): Map<string, number> {
  const marks = new Map<string, number>()
  const add = (title: string, start: string, bit: number): void => {
    const key = eventKey(title, Date.parse(start))
    marks.set(key, (marks.get(key) ?? 0) | bit)
  }
  for (const c of warnings?.conflicts ?? []) {
    add(c.event1.title, c.event1.start, TIMELINE_MARKS.overlap)
    add(c.event2.title, c.event2.start, TIMELINE_MARKS.overlap)
  }
  for (const c of warnings?.cooldown ?? []) add(c.title, c.start, TIMELINE_MARKS.cooldown)
  return marks
}

export function timelineEvents (events: StoredEvent[], warnings: ImportWarnings | null): TimelineEvents {
  const marks = markIndex(warnings)
  const columns: TimelineEvents = { count: events.length, id: [], title: [], start_ms: [], end_ms: [], category: [], video_url: [], channel: [], marks: [] }
  for (const e of events) {
    columns.id.push(e.id)
    columns.title.push(e.title)
    columns.start_ms.push(e.start)
    columns.end_ms.push(e.end)
    columns.category.push(e.category)
    columns.video_url.push(e.video_url)
    columns.channel.push(e.channel)
    columns.marks.push(marks.get(eventKey(e.title, e.start)) ?? 0)
  }
  return columns
}
