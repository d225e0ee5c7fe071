import type { CooldownReport, OverlapReport } from '../../../contract/api.js'
import type { Play } from '../../storage/store.js'
import type { ValidEvent } from '../validate.js'
import { findCooldownViolations, MAX_LISTED_COOLDOWN, playsByVideo } from './cooldown.js'
import { detectOverlaps, type TimedEvent } from './overlaps.js'

// The overlaps and cooldown replays an import reports. An import on no channel counts them as
// it always did: overlaps per XMLTV channel within the document, replays of every stored play.
// One whose events air on channels (SPEC §11: `channel_id` on import, or an XMLTV import that
// creates its channels) counts both per channel, as a channel's build does: an event meets the
// events already on its channel (built, or of a schedule placed there) and replays the plays
// of that channel only.

/**
 * Where an event airs once stored: the channel's timeline (`key`) and the stored channel
 * whose events and plays it meets (`stored`; null for a channel the import creates).
 * null: on no channel, checked as an import always was (its XMLTV channel, every stored play).
 */
export interface Airing { key: string, stored: string | null }
export type AiringOf = (e: ValidEvent) => Airing | null

/** An event stored on a channel, as an overlap names it. */
export interface OnChannel { id: string, schedule_id: string | null, title: string, start: number, end: number }

export interface PlacedSources {
  /** Stored plays starting in [from, to): every channel's without `channelId`. */
  storedPlays?: (from: number, to: number, channelId?: string) => Promise<Iterable<Play>>
  /** The stored events on the channel on air at some instant of [from, to); needed when an event airs on a stored channel. */
  channelEvents?: (channelId: string, from: number, to: number) => Promise<OnChannel[]>
}

/** The events of each airing key (null: on no channel), and the stored channel of each key. */
function byAiring (events: ValidEvent[], airingOf: AiringOf): Map<string | null, { stored: string | null, events: ValidEvent[] }> {
  const groups = new Map<string | null, { stored: string | null, events: ValidEvent[] }>()
  for (const e of events) {
    const airing = airingOf(e)
    const key = airing?.key ?? null
    const group = groups.get(key)
    if (group === undefined) groups.set(key, { stored: airing?.stored ?? null, events: [e] })
    else group.events.push(e)
  }
  return groups
}

function span (events: ValidEvent[], end: 'start' | 'end'): { first: number, last: number } {
  let first = Infinity
  let last = -Infinity
  for (const e of events) {
    first = Math.min(first, e.start)
    last = Math.max(last, e[end])
  }
  return { first, last }
}

/** Overlaps per channel: within the document, and with what each stored channel already airs. */
export async function placedOverlaps (events: ValidEvent[], airingOf: AiringOf, sources: PlacedSources): Promise<{ overlaps: OverlapReport[], total: number }> {
  const timed: TimedEvent[] = []
  for (const [key, group] of byAiring(events, airingOf)) {
    // A channel's events are one timeline whatever XMLTV channel they name; others by theirs.
    for (const e of group.events) timed.push({ index: e.index, title: e.title, start: e.start, end: e.end, channel: key === null ? (e.channel === null ? null : `xmltv:${e.channel}`) : `channel:${key}` })
    if (key === null || group.stored === null || sources.channelEvents === undefined) continue
    const { first, last } = span(group.events, 'end')
    for (const other of await sources.channelEvents(group.stored, first, last)) {
      timed.push({ index: null, title: other.title, start: other.start, end: other.end, channel: `channel:${key}`, id: other.id, ...(other.schedule_id !== null && { schedule_id: other.schedule_id }) })
    }
  }
  return detectOverlaps(timed)
}

/** Cooldown replays per channel: within the channel's events, and of the stored plays on it. */
export async function placedCooldown (
  events: ValidEvent[],
  airingOf: AiringOf,
  cooldownHours: number,
  sources: PlacedSources
): Promise<{ violations: CooldownReport[], total: number }> {
  const violations: CooldownReport[] = []
  let total = 0
  for (const [key, group] of byAiring(events, airingOf)) {
    let stored: Map<string, number[]> | undefined
    // A channel this import creates has no plays yet.
    if (sources.storedPlays !== undefined && (key === null || group.stored !== null)) {
      const { first, last } = span(group.events, 'start')
      stored = playsByVideo(await sources.storedPlays(first - cooldownHours * 3_600_000, last + 1, group.stored ?? undefined))
    }
    const found = findCooldownViolations(group.events, cooldownHours, { stored })
    violations.push(...found.violations)
    total += found.total
  }
  violations.sort((a, b) => a.index - b.index)
  return { violations: violations.slice(0, MAX_LISTED_COOLDOWN), total }
}
