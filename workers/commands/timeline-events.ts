import type { ScheduleTimeline, TimelineEvents } from '../../contract/api.js'
import type { DocumentAnswer } from '../document-stream.js'
import type { CommandDefinition } from './command.js'
import type { CheckedEvent } from '../schedule/checks/stored-warnings.js'
import { RANGE_OPTIONS, RANGE_USAGE, readCheckedSchedule, scheduleNext } from './get-schedule.js'

// `GET /api/schedules/:id?fields=timeline`: the columns the panel's timeline draws, with each
// event's warning marks worked out here rather than in the browser. The answer is a JSON
// document, so the API streams the worker's text to the browser as it is (no parse, no
// second serialization of 10,000 events in the API's process).

/**
 * Warnings listed per kind beside the timeline (the panel shows 300 in all; the totals count
 * every one, and every event's marks carry them on the timeline). A week packed with 10,000
 * events has 2,000 listed otherwise: half a megabyte of JSON nobody reads on the first open.
 */
export const TIMELINE_LISTED_WARNINGS = 150

/** The bits of `marks` (contract/api.ts TimelineEventsSchema; public/js/views/schedule.js reads them). */
export const TIMELINE_MARKS = { overlap: 1, cooldown: 2 } as const

export function timelineEvents (events: CheckedEvent[]): TimelineEvents {
  const columns: TimelineEvents = { count: events.length, id: [], title: [], start_ms: [], end_ms: [], category: [], video_url: [], channel: [], marks: [] }
  for (const { event: e, overlapping, replayed } of events) {
    columns.id.push(e.id)
    columns.title.push(e.title)
    columns.start_ms.push(e.start)
    columns.end_ms.push(e.end)
    columns.category.push(e.category)
    columns.video_url.push(e.video_url)
    columns.channel.push(e.channel)
    columns.marks.push((overlapping ? TIMELINE_MARKS.overlap : 0) | (replayed ? TIMELINE_MARKS.cooldown : 0))
  }
  return columns
}

const getTimeline: CommandDefinition<DocumentAnswer> = {
  summary: 'one schedule with a page of its events as columns for drawing (JSON), optionally those on air between --from and --to',
  usage: RANGE_USAGE,
  options: RANGE_OPTIONS,
  async run (context) {
    const page = await readCheckedSchedule(context, TIMELINE_LISTED_WARNINGS)
    const answer: ScheduleTimeline = { schedule: page.schedule, events: timelineEvents(page.inRange), ...scheduleNext(page, { fields: 'timeline' }) }
    return { content_type: 'application/json; charset=utf-8', filename: `${page.schedule.id}.timeline.json`, body: JSON.stringify(answer) }
  }
}
export default getTimeline
