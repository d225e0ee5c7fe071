import { randomBytes } from 'node:crypto'
import { CommandError } from '../../contract/command-error.js'
import type { ProblemDetail } from '../../contract/common.js'
import { isObject } from '../json.js'
import { textProblem } from '../text.js'
import { INSTANT_RANGE, isInstantInRange, isValidTimezone, parseInstant } from '../schedule/time.js'
import { mediaUrlMessage, mediaUrlProblem } from '../media-url.js'
import { DEFAULT_COOLDOWN_HOURS, MAX_FILL_HOURS } from '../../contract/limits.js'
export const DEFAULT_ITEM_SECONDS = 30 * 60

/** One video the fill may air. */
export interface FillLink {
  url: string
  title: string
  /** seconds, or null when unknown (it then runs DEFAULT_ITEM_SECONDS back to back) */
  duration: number | null
  category: string | null
}

export type WhenExhausted = 'gap' | 'least_recent'

/** A checked auto-fill request (SPEC §5), times in UTC epoch ms. */
export interface FillPlan {
  playlistId: string | null
  links: FillLink[] | null
  start: number
  end: number
  cooldownMs: number
  shuffle: boolean
  seed: string
  slotMs: number | null
  timezone: string
  whenExhausted: WhenExhausted
  dryRun: boolean
  name: string | null
  /** The first decision the answer carries. */
  decisionsOffset: number
}

/** Reads the request body, naming every field it refuses. */
export function readFillRequest (body: unknown): FillPlan {
  const problems: ProblemDetail[] = []
  const problem = (field: string, message: string): void => { problems.push({ field, message }) }
  if (!isObject(body)) throw new CommandError('BAD_REQUEST', 'the auto-fill request is a JSON object', [{ field: 'body', message: 'not an object' }])

  const text = (field: string): string | null => {
    const value = body[field]
    if (value === undefined || value === null) return null
    if (typeof value !== 'string' || value.trim() === '') { problem(field, `${field} must be non-empty text`); return null }
    const bad = textProblem(value)
    if (bad !== null) { problem(field, `${field} ${bad}`); return null }
    return value.trim()
  }
  const number = (field: string, fallback: number | null, check: (n: number) => boolean, rule: string): number | null => {
    const value = body[field]
    if (value === undefined || value === null) return fallback
    if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) { problem(field, `${field} must be ${rule}`); return fallback }
    return value
  }
  const flag = (field: string, fallback: boolean): boolean => {
    const value = body[field]
    if (value === undefined || value === null) return fallback
    if (typeof value !== 'boolean') { problem(field, `${field} must be true or false`); return fallback }
    return value
  }

  const timezone = text('timezone') ?? 'UTC'
  if (!isValidTimezone(timezone)) problem('timezone', `timezone "${timezone}" is not an IANA time zone (e.g. Europe/London)`)

  const startText = text('start_time')
  const start = startText === null ? null : parseInstant(startText, isValidTimezone(timezone) ? timezone : 'UTC')
  if (startText === null && !problems.some((p) => p.field === 'start_time')) problem('start_time', 'start_time is required (ISO 8601)')
  else if (startText !== null && start === null) problem('start_time', `start_time "${startText}" is not a valid date-time in ${INSTANT_RANGE} (ISO 8601)`)

  const hours = number('duration_hours', null, (n) => n > 0 && n <= MAX_FILL_HOURS, `more than 0 and at most ${MAX_FILL_HOURS} (31 days)`)
  if (body.duration_hours === undefined) problem('duration_hours', 'duration_hours is required')
  // The last slot must end in a year the schedule can store and answer.
  if (start !== null && hours !== null && !isInstantInRange(start + hours * 3_600_000)) problem('duration_hours', `start_time + duration_hours falls outside ${INSTANT_RANGE}`)
  const cooldown = number('cooldown_hours', DEFAULT_COOLDOWN_HOURS, (n) => n >= 0 && n <= 24 * 366, 'between 0 and 8784')!
  const slot = number('slot_minutes', null, (n) => n >= 1 && n <= 1440, 'between 1 and 1440')
  const decisionsOffset = number('decisions_offset', 0, (n) => Number.isSafeInteger(n) && n >= 0, 'a whole number ≥ 0')!
  const seedValue = body.seed
  if (seedValue !== undefined && seedValue !== null && typeof seedValue !== 'string' && typeof seedValue !== 'number') problem('seed', 'seed must be text or a number')
  else if (typeof seedValue === 'string' && textProblem(seedValue) !== null) problem('seed', `seed ${textProblem(seedValue)!}`) // answered in the report, written in logs

  const whenExhausted = body.when_exhausted ?? 'least_recent'
  if (whenExhausted !== 'gap' && whenExhausted !== 'least_recent') problem('when_exhausted', 'when_exhausted must be "gap" or "least_recent"')

  const playlistId = text('playlist_id')
  let links: FillLink[] | null = null
  if (body.links !== undefined && body.links !== null) {
    if (!Array.isArray(body.links) || body.links.length === 0) problem('links', 'links must be a non-empty list of {url, title?, duration?, category?}')
    else {
      links = []
      body.links.forEach((link: unknown, i) => {
        // As strict as the documented schema (routes/schedules.ts), which the API no longer applies itself.
        if (!isObject(link)) return problem(`links.${i}`, 'each link is an object {url, title?, duration?, category?}')
        const { url, duration, title, category } = link
        if (typeof url !== 'string' || url.trim() === '') return problem(`links.${i}.url`, 'each link needs a url')
        const urlProblem = mediaUrlProblem(url.trim())
        if (urlProblem !== null) return problem(`links.${i}.url`, mediaUrlMessage(`links.${i}.url`, url.trim(), urlProblem))
        if (duration !== undefined && duration !== null && (typeof duration !== 'number' || !(duration > 0))) return problem(`links.${i}.duration`, 'duration must be a number of seconds > 0')
        if (title !== undefined && title !== null && typeof title !== 'string') return problem(`links.${i}.title`, 'title must be text')
        if (category !== undefined && category !== null && typeof category !== 'string') return problem(`links.${i}.category`, 'category must be text')
        for (const [field, value] of [['title', title], ['category', category]] as const) {
          const bad = typeof value === 'string' ? textProblem(value) : null
          if (bad !== null) return problem(`links.${i}.${field}`, `${field} ${bad}`)
        }
        links!.push({
          url: url.trim(),
          title: typeof title === 'string' && title.trim() !== '' ? title.trim() : url.trim(),
          duration: typeof duration === 'number' ? duration : null,
          category: typeof category === 'string' && category.trim() !== '' ? category.trim() : null
        })
      })
    }
  }
  if (playlistId === null && body.links === undefined) problem('links', 'give playlist_id or links')
  if (playlistId !== null && links !== null) problem('playlist_id', 'give playlist_id or links, not both')

  const shuffle = flag('shuffle', true)
  const dryRun = flag('dry_run', false)
  const name = text('name')
  if (problems.length > 0) throw new CommandError('BAD_REQUEST', problems.map((p) => p.message).join('; '), problems)
  return {
    playlistId,
    links,
    start: start!,
    end: start! + hours! * 3_600_000,
    cooldownMs: cooldown * 3_600_000,
    shuffle,
    seed: seedValue === undefined || seedValue === null ? randomBytes(6).toString('hex') : String(seedValue),
    slotMs: slot === null ? null : slot * 60_000,
    timezone,
    whenExhausted: whenExhausted as WhenExhausted,
    dryRun,
    name,
    decisionsOffset
  }
}
