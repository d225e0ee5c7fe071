import type { ProblemDetail } from '../protocol.js'
import type { ScheduleEvent } from './model.js'
import type { Position, RawEvent } from './import/raw-event.js'
import { parseInstant } from './time.js'

export const MAX_LISTED_PROBLEMS = 100
/** end − start may differ from a given duration by this much (SPEC §4). */
const DURATION_TOLERANCE_S = 1

export const ISO_HINT = 'ISO 8601, e.g. 2025-11-24T08:30:00Z or 2025-11-24T08:30:00+01:00'
export const XMLTV_TIME_HINT = 'XMLTV, e.g. 20251124083000 +0100'

/** An event that passed validation, with its index in the document it came from. */
export interface ValidEvent extends ScheduleEvent {
  index: number
}

export interface ValidationResult {
  events: ValidEvent[]
  problems: ProblemDetail[]
  problemCount: number
}

const optionalText = (value: unknown): string | null | undefined => {
  if (value === undefined || value === null) return null
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim()
  if (typeof value === 'number') return String(value)
  return undefined // present but not text
}

/**
 * Checks and converts every event, collecting every problem rather than stopping at
 * the first: an import is all or nothing, so the user should fix everything in one go.
 */
export function validateEvents (raws: RawEvent[], timezone: string, timeSyntax = ISO_HINT): ValidationResult {
  const events: ValidEvent[] = []
  const problems: ProblemDetail[] = []
  let problemCount = 0

  for (const raw of raws) {
    let ok = true
    const problem = (field: string, message: string): void => {
      ok = false
      problemCount++
      if (problems.length >= MAX_LISTED_PROBLEMS) return
      const at: Position | undefined = raw.fieldPositions[field] ?? raw.position
      problems.push({ index: raw.index, field, ...(at !== undefined && { line: at.line, column: at.column }), message })
    }
    const f = raw.fields
    if (Object.keys(f).length === 0 && raw.position === undefined) {
      problem('event', 'an event must be an object with title, start and end')
      continue
    }

    const title = optionalText(f.title)
    if (title === null || title === undefined) problem('title', 'title is required')

    const instant = (field: 'start' | 'end'): number | null => {
      const value = f[field]
      if (typeof value === 'number') return value
      if (typeof value !== 'string' || value.trim() === '') return null
      const ms = parseInstant(value, timezone)
      if (ms === null) problem(field, `${field} "${value.slice(0, 60)}" is not a valid date-time (${timeSyntax})`)
      return ms
    }
    const start = instant('start')
    if (start === null && (f.start === undefined || f.start === '')) problem('start', 'start is required')

    let duration: number | undefined
    if (f.duration !== undefined && f.duration !== null && f.duration !== '') {
      duration = Number(f.duration)
      if (!Number.isFinite(duration) || duration < 0) {
        problem('duration', `duration "${String(f.duration).slice(0, 30)}" is not a number of seconds`)
        duration = undefined
      }
    }
    let end = instant('end')
    if (end === null && (f.end === undefined || f.end === '')) {
      // No end but a duration: the end follows from it.
      if (start !== null && duration !== undefined) end = start + duration * 1000
      else problem('end', 'end is required (or a duration in seconds)')
    }
    if (start !== null && end !== null) {
      if (end <= start) problem('end', 'end is not after start')
      else if (duration !== undefined && Math.abs(duration - (end - start) / 1000) > DURATION_TOLERANCE_S) {
        problem('duration', `duration ${duration} s disagrees with end − start = ${(end - start) / 1000} s`)
      }
    }

    const text = (field: 'video_url' | 'category' | 'description' | 'channel'): string | null => {
      const value = optionalText(f[field])
      if (value === undefined) problem(field, `${field} must be text`)
      return value ?? null
    }
    const video_url = text('video_url')
    const category = text('category')
    const description = text('description')
    const channel = text('channel')

    let tags: string[] = []
    if (typeof f.tags === 'string') tags = f.tags.split(',')
    else if (Array.isArray(f.tags) && f.tags.every((t) => typeof t === 'string')) tags = f.tags as string[]
    else if (f.tags !== undefined && f.tags !== null) problem('tags', 'tags must be a list of text')
    tags = tags.map((t) => t.trim()).filter(Boolean)

    if (ok) events.push({ index: raw.index, title: title!, start: start!, end: end!, video_url, category, description, tags, channel })
  }
  return { events, problems, problemCount }
}
