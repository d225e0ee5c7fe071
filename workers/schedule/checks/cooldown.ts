import { iso } from '../model.js'
import { normalizeTitle } from './duplicates.js'

export const DEFAULT_COOLDOWN_HOURS = 48
export const MAX_LISTED_COOLDOWN = 1000

export interface CooldownReport {
  index: number
  title: string
  video: string
  start: string
  previous_index: number
  previous_start: string
  hours_since_previous: number
}

export interface PlayedEvent { index: number, title: string, start: number, video_url: string | null }

/** The same video is the same URL, or without one the same title (SPEC §4). */
export const videoKey = (e: { title: string, video_url: string | null }): string =>
  e.video_url !== null && e.video_url !== '' ? `url:${e.video_url}` : `title:${normalizeTitle(e.title)}`

/** Plays of one video that start less than `cooldownHours` after its previous start. */
export function findCooldownViolations (events: PlayedEvent[], cooldownHours = DEFAULT_COOLDOWN_HOURS, maxListed = MAX_LISTED_COOLDOWN): { violations: CooldownReport[], total: number } {
  const windowMs = cooldownHours * 3_600_000
  const byVideo = new Map<string, PlayedEvent[]>()
  for (const e of events) {
    const key = videoKey(e)
    byVideo.get(key)?.push(e) ?? byVideo.set(key, [e])
  }
  const violations: CooldownReport[] = []
  let total = 0
  for (const plays of byVideo.values()) {
    plays.sort((a, b) => a.start - b.start)
    for (let i = 1; i < plays.length; i++) {
      const gap = plays[i].start - plays[i - 1].start
      if (gap >= windowMs) continue
      total++
      if (violations.length < maxListed) {
        violations.push({
          index: plays[i].index,
          title: plays[i].title,
          video: plays[i].video_url ?? plays[i].title,
          start: iso(plays[i].start),
          previous_index: plays[i - 1].index,
          previous_start: iso(plays[i - 1].start),
          hours_since_previous: Math.round((gap / 3_600_000) * 100) / 100
        })
      }
    }
  }
  violations.sort((a, b) => a.index - b.index)
  return { violations, total }
}
