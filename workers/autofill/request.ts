import { randomBytes } from 'node:crypto'
import { CommandError } from '../../contract/command-error.js'
import type { ProblemDetail } from '../../contract/common.js'
import { isObject } from '../json.js'
import { INSTANT_RANGE, isInstantInRange, isValidTimezone, parseInstant } from '../schedule/time.js'
import { mediaUrlMessage, mediaUrlProblem } from '../media-url.js'
import { DEFAULT_ASSUME_SECONDS, DEFAULT_COOLDOWN_HOURS } from '../../contract/limits.js'
import { bodyProblems } from '../body-problems.js'
import { checkAutoFill } from '../generated/body-checks.js'
import type { AutoFillRequest } from '../../contract/api.js'

/** What an item with no known duration runs back to back when the request names no assume_seconds (SPEC §5). */
export const DEFAULT_ITEM_SECONDS = DEFAULT_ASSUME_SECONDS

/** One video the fill may air. */
export interface FillLink {
  url: string
  title: string
  /** seconds, or null when unknown (it then runs the plan's assumeMs back to back, counted) */
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
  /** back to back: how long an item with no known duration runs (assume_seconds, default DEFAULT_ITEM_SECONDS) */
  assumeMs: number
  timezone: string
  whenExhausted: WhenExhausted
  dryRun: boolean
  name: string | null
  /** The first decision the answer carries. */
  decisionsOffset: number
}

/** `value` with its null fields left out (at the top and in each link): in this body null means not given. */
function withoutNulls (value: Record<string, unknown>): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null))
  if (Array.isArray(kept.links)) kept.links = kept.links.map((link: unknown) => isObject(link) ? withoutNulls(link) : link)
  return kept
}

/**
 * Reads the request body, naming every field it refuses. Types and ranges are the contract's
 * AutoFillRequestSchema, compiled at build; what follows is what it cannot say: text that is
 * not blank, a real time zone and date-time, an end in the years stored, media URLs, and
 * playlist_id or links (one of them).
 */
export function readFillRequest (raw: unknown): FillPlan {
  if (!isObject(raw)) throw new CommandError('BAD_REQUEST', 'the auto-fill request is a JSON object', [{ field: 'body', message: 'not an object' }])
  const problems: ProblemDetail[] = bodyProblems(checkAutoFill, withoutNulls(raw)).map((p) => ({ field: p.field, message: `${p.field!}: ${p.message}` }))
  const refused = (field: string): boolean => problems.some((p) => p.field === field || p.field?.startsWith(`${field}.`) === true)
  const problem = (field: string, message: string): void => { if (!refused(field)) problems.push({ field, message }) }
  const body = withoutNulls(raw) as AutoFillRequest

  const text = (field: 'timezone' | 'start_time' | 'playlist_id' | 'name'): string | null => {
    const value = body[field]
    if (typeof value !== 'string' || refused(field)) return null
    if (value.trim() === '') { problem(field, `${field} must be non-empty text`); return null }
    return value.trim()
  }
  const timezone = text('timezone') ?? 'UTC'
  if (!isValidTimezone(timezone)) problem('timezone', `timezone "${timezone}" is not an IANA time zone (e.g. Europe/London)`)

  const startText = text('start_time')
  const start = startText === null ? null : parseInstant(startText, isValidTimezone(timezone) ? timezone : 'UTC')
  if (startText !== null && start === null) problem('start_time', `start_time "${startText}" is not a valid date-time in ${INSTANT_RANGE} (ISO 8601)`)
  const hours = refused('duration_hours') ? null : body.duration_hours
  // The last slot must end in a year the schedule can store and answer.
  if (start !== null && hours !== null && !isInstantInRange(start + hours * 3_600_000)) problem('duration_hours', `start_time + duration_hours falls outside ${INSTANT_RANGE}`)

  const playlistId = text('playlist_id')
  const links = body.links === undefined || problems.some((p) => p.field === 'links') ? null : readLinks(body.links, problem, refused)
  if (playlistId === null && body.links === undefined && !refused('playlist_id')) problem('links', 'give playlist_id or links')
  if (playlistId !== null && body.links !== undefined) problem('playlist_id', 'give playlist_id or links, not both')

  const name = text('name')
  if (problems.length > 0) throw new CommandError('BAD_REQUEST', problems.map((p) => p.message).join('; '), problems)
  return {
    playlistId,
    links,
    start: start!,
    end: start! + hours! * 3_600_000,
    cooldownMs: (body.cooldown_hours ?? DEFAULT_COOLDOWN_HOURS) * 3_600_000,
    shuffle: body.shuffle ?? true,
    seed: body.seed === undefined ? randomBytes(6).toString('hex') : String(body.seed),
    slotMs: body.slot_minutes === undefined ? null : body.slot_minutes * 60_000,
    assumeMs: (body.assume_seconds ?? DEFAULT_ITEM_SECONDS) * 1000,
    timezone,
    whenExhausted: body.when_exhausted ?? 'least_recent',
    dryRun: body.dry_run ?? false,
    name,
    decisionsOffset: body.decisions_offset ?? 0
  }
}

/** The links as the fill takes them: trimmed, a blank title the URL, a media URL each. */
function readLinks (links: NonNullable<AutoFillRequest['links']>, problem: (field: string, message: string) => void, refused: (field: string) => boolean): FillLink[] {
  return links.flatMap((link, i) => {
    // Checked before it is read: a link the body check refused may be anything, null included.
    if (refused(`links.${i}`)) return []
    const { url: given, title, duration, category } = link
    const url = given.trim()
    const urlProblem = mediaUrlProblem(url)
    if (urlProblem !== null) { problem(`links.${i}.url`, mediaUrlMessage(`links.${i}.url`, url, urlProblem)); return [] }
    return [{
      url,
      title: typeof title === 'string' && title.trim() !== '' ? title.trim() : url,
      duration: duration ?? null,
      category: typeof category === 'string' && category.trim() !== '' ? category.trim() : null
    }]
  })
}
