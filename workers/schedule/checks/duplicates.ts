import { iso } from '../model.js'
import type { ValidEvent } from '../validate.js'
import type { DuplicateReport } from '../../../contract/api.js'
import { eventLabel } from '../event-label.js'

export type { DuplicateReport }

/** Titles compare trimmed, case-insensitive, with runs of spaces as one. */
export const normalizeTitle = (title: string): string => title.trim().replace(/\s+/g, ' ').toLowerCase()

/** Same title, start, end and video URL: the first is kept, the rest reported (SPEC §4). */
export function removeDuplicates (events: ValidEvent[], zone = 'UTC'): { unique: ValidEvent[], duplicates: DuplicateReport[] } {
  const firstByKey = new Map<string, ValidEvent>()
  const unique: ValidEvent[] = []
  const duplicates: DuplicateReport[] = []
  for (const event of events) {
    const key = `${normalizeTitle(event.title)}\u0000${event.start}\u0000${event.end}\u0000${event.video_url ?? ''}`
    const first = firstByKey.get(key)
    if (first === undefined) {
      firstByKey.set(key, event)
      unique.push(event)
    } else {
      duplicates.push({
        index: event.index,
        duplicate_of: first.index,
        title: event.title,
        start: iso(event.start),
        end: iso(event.end),
        message: `${eventLabel(event.index, event.title, event.start, zone)} repeats event ${first.index + 1}: left out`
      })
    }
  }
  return { unique, duplicates }
}
