import type { ProblemDetail } from '../../contract/common.js'
import type { ScheduleEvent } from './model.js'
import type { Position, RawEvent } from './import/raw-event.js'
import { mediaUrlMessage, mediaUrlProblem } from '../media-url.js'
import { INSTANT_RANGE, isInstantInRange, parseInstant, skippedLocalTime } from './time.js'
import { eventLabel } from './event-label.js'

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

/** A JSON value's kind, for a message that names what was given instead of text. */
export const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value === 'boolean' ? `a boolean (${String(value)})` : `a ${typeof value}`

/** One event's reading: its raw fields, how to read its times, and where its problems go. */
interface EventCheck {
  f: RawEvent['fields']
  timezone: string
  timeSyntax: string
  problem: (field: string, message: string) => void
}

/** An instant in ms; null when the field is absent or blank; undefined when it is wrong (a problem is recorded). */
function readInstant ({ f, timezone, timeSyntax, problem }: EventCheck, field: 'start' | 'end'): number | null | undefined {
  const value = f[field]
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null
  if (typeof value === 'number') {
    // Epoch ms a reader computed (XMLTV: start + length), checked like a parsed one.
    if (isInstantInRange(value)) return value
    problem(field, `${field} falls outside ${INSTANT_RANGE} (a length or duration too large?)`)
    return undefined
  }
  if (typeof value !== 'string') {
    problem(field, `${field} must be a date-time as text (${timeSyntax}), not ${typeName(value)}`)
    return undefined
  }
  const ms = parseInstant(value, timezone)
  if (ms === null) problem(field, `${field} "${value.slice(0, 60)}" is not a valid date-time in ${INSTANT_RANGE} (${timeSyntax})`)
  return ms ?? undefined
}

/** The given duration in seconds; undefined when absent, blank or wrong (a problem is recorded). */
function readDuration ({ f, problem }: EventCheck): number | undefined {
  let duration: number | undefined
  const givenDuration = f.duration
  if (givenDuration !== undefined && givenDuration !== null && !(typeof givenDuration === 'string' && givenDuration.trim() === '')) {
    const seconds = typeof givenDuration === 'number' ? givenDuration : typeof givenDuration === 'string' ? Number(givenDuration.trim()) : NaN
    if (Number.isFinite(seconds) && seconds >= 0) duration = seconds
    else if (typeof givenDuration === 'number' || typeof givenDuration === 'string') problem('duration', `duration "${String(givenDuration).slice(0, 30)}" is not a number of seconds`)
    else problem('duration', `duration must be a number of seconds, not ${typeName(givenDuration)}`)
  }
  return duration
}

/** The end as given, else as the start plus the duration. */
function readEnd (c: EventCheck, start: number | null | undefined, duration: number | undefined): number | null | undefined {
  const { problem } = c
  let end = readInstant(c, 'end')
  if (end === null) {
    // No end but a duration: the end follows from it.
    if (duration === undefined) problem('end', 'end is required (or a duration in seconds)')
    else if (typeof start === 'number') {
      end = start + duration * 1000
      if (!isInstantInRange(end)) {
        problem('duration', `duration ${String(duration).slice(0, 30)} s puts the end outside ${INSTANT_RANGE}`)
        end = undefined
      }
    }
  }
  return end
}

/** The end after the start, and a given duration that agrees with them. */
function checkSpan (
  { f, timezone, problem }: EventCheck,
  start: number | null | undefined,
  end: number | null | undefined,
  duration: number | undefined
): void {
  // A naive time in a spring-forward gap is read as the gap's end: when that is why, say so.
  const endNotAfterStart = (): void => {
    const skippedStart = skippedLocalTime(f.start, timezone)
    const skippedEnd = skippedLocalTime(f.end, timezone)
    if (skippedStart !== null) problem('start', `start ${skippedStart}, which is not before the end`)
    else if (skippedEnd !== null) problem('end', `end ${skippedEnd}, which is not after the start`)
    else problem('end', 'end is not after start')
  }
  if (typeof start === 'number' && typeof end === 'number') {
    if (end <= start) endNotAfterStart()
    else if (duration !== undefined && Math.abs(duration - (end - start) / 1000) > DURATION_TOLERANCE_S) {
      problem('duration', `duration ${duration} s disagrees with end − start = ${(end - start) / 1000} s`)
    }
  }
}

/** An optional text field; null when absent or blank, or when not text (a problem is recorded). */
function readText ({ f, problem }: EventCheck, field: 'video_url' | 'category' | 'description' | 'channel'): string | null {
  const value = optionalText(f[field])
  if (value === undefined) problem(field, `${field} must be text, not ${typeName(f[field])}`)
  return value ?? null
}

/** Tags as a list or comma-separated text, trimmed, blanks dropped. */
function readTags ({ f, problem }: EventCheck): string[] {
  let tags: string[] = []
  if (typeof f.tags === 'string') tags = f.tags.split(',')
  else if (Array.isArray(f.tags) && f.tags.every((t) => typeof t === 'string')) tags = f.tags as string[]
  else if (f.tags !== undefined && f.tags !== null) problem('tags', 'tags must be a list of text')
  return tags.map((t) => t.trim()).filter(Boolean)
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
    const listedBefore = problems.length
    // Each message names its event as a person finds it (1-based, title, local start), once both are read.
    const nameProblems = (title: string | null | undefined, start: number | null | undefined): void => {
      const label = eventLabel(raw.index, title, start, timezone)
      for (let i = listedBefore; i < problems.length; i++) problems[i].message = `${label}: ${problems[i].message}`
    }
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
      nameProblems(null, null)
      continue
    }
    const c: EventCheck = { f, timezone, timeSyntax, problem }

    const title = optionalText(f.title)
    if (title === null) problem('title', 'title is required')
    else if (title === undefined) problem('title', `title must be text, not ${typeName(f.title)}`)

    const start = readInstant(c, 'start')
    if (start === null) problem('start', 'start is required')
    const duration = readDuration(c)
    const end = readEnd(c, start, duration)
    checkSpan(c, start, end, duration)

    const video_url = readText(c, 'video_url')
    const urlProblem = video_url === null ? null : mediaUrlProblem(video_url)
    if (urlProblem !== null) problem('video_url', mediaUrlMessage('video_url', video_url!, urlProblem))
    const category = readText(c, 'category')
    const description = readText(c, 'description')
    const channel = readText(c, 'channel')
    const tags = readTags(c)

    nameProblems(title, start)
    if (ok) events.push({ index: raw.index, title: title!, start: start as number, end: end as number, video_url, category, description, tags, channel })
  }
  return { events, problems, problemCount }
}
