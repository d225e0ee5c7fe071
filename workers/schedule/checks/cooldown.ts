import { iso } from '../model.js'
import { normalizeTitle } from './duplicates.js'
import { lowerBound } from '../../sorted.js'
import type { CooldownReport } from '../../../contract/api.js'
import { DEFAULT_COOLDOWN_HOURS } from '../../../contract/limits.js'

export const MAX_LISTED_COOLDOWN = 1000

export type { CooldownReport }

export interface PlayedEvent {
  index: number
  title: string
  start: number
  video_url: string | null
  /** its own cooldown (SPEC §15, a channel's items), else the one given for all */
  cooldownMs?: number
}

/** The same video is the same URL, or without one the same title (SPEC §4). */
export const videoKey = (e: { title: string, video_url: string | null }): string =>
  e.video_url !== null && e.video_url !== '' ? `url:${e.video_url}` : `title:${normalizeTitle(e.title)}`

/** Stored plays as the sorted starts of each video, by videoKey. */
export function playsByVideo (plays: Iterable<{ video_key: string, start: number }>): Map<string, number[]> {
  const byVideo = new Map<string, number[]>()
  for (const { video_key, start } of plays) byVideo.get(video_key)?.push(start) ?? byVideo.set(video_key, [start])
  for (const starts of byVideo.values()) starts.sort((a, b) => a - b)
  return byVideo
}

/**
 * Plays of one video that start less than `cooldownHours` after its previous start:
 * the previous play in the same events, or one already stored (`stored`: the sorted
 * starts of each video's stored plays, by videoKey).
 */
export function findCooldownViolations (
  events: PlayedEvent[],
  cooldownHours = DEFAULT_COOLDOWN_HOURS,
  { stored, maxListed = MAX_LISTED_COOLDOWN, onViolation }: {
    stored?: Map<string, number[]>
    maxListed?: number
    /** Told the index of every violating play, listed or not (a timeline marks them all), and its previous play's (null: a stored one). */
    onViolation?: (index: number, previous: number | null) => void
  } = {}
): { violations: CooldownReport[], total: number } {
  const windowMs = cooldownHours * 3_600_000
  const byVideo = new Map<string, PlayedEvent[]>()
  for (const e of events) {
    const key = videoKey(e)
    byVideo.get(key)?.push(e) ?? byVideo.set(key, [e])
  }
  const violations: CooldownReport[] = []
  let total = 0
  for (const [key, plays] of byVideo) {
    plays.sort((a, b) => a.start - b.start)
    const storedStarts = stored?.get(key) ?? []
    for (let i = 0; i < plays.length; i++) {
      const play = plays[i]
      const inDocument = i > 0 ? plays[i - 1] : undefined
      const storedBefore = storedStarts[lowerBound(storedStarts, play.start + 1) - 1]
      const fromStore = storedBefore !== undefined && (inDocument === undefined || storedBefore > inDocument.start)
      const previous = fromStore ? storedBefore : inDocument?.start
      if (previous === undefined || play.start - previous >= (play.cooldownMs ?? windowMs)) continue
      total++
      onViolation?.(play.index, fromStore ? null : inDocument!.index)
      if (violations.length < maxListed) {
        violations.push({
          index: play.index,
          title: play.title,
          video: play.video_url ?? play.title,
          start: iso(play.start),
          previous_index: fromStore ? null : inDocument!.index,
          previous_start: iso(previous),
          hours_since_previous: Math.round(((play.start - previous) / 3_600_000) * 100) / 100
        })
      }
    }
  }
  violations.sort((a, b) => a.index - b.index)
  return { violations, total }
}
