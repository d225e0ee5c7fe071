import type { ImportWarnings } from '../../../contract/api.js'
import type { Play, ScheduleRepository, StoredReport } from '../../storage/store.js'
import type { StoredEvent } from '../model.js'
import { findCooldownViolations, playsByVideo, videoKey } from './cooldown.js'
import { detectOverlaps, type TimedEvent } from './overlaps.js'

// A stored schedule's overlaps and cooldown replays, worked out when it is read (issue 11
// item 12): against the schedules stored at that moment, so deleting the schedule a replay
// was counted from takes the warning away. Reads stay indexed: the other schedules' plays
// are one range of events_by_start, their events on a named channel ranges of
// events_by_channel_start; the schedule's own events are sorted and swept once.

/** An event with what the read-time checks found about it: the rows of a schedule page and of its timeline. */
export interface CheckedEvent { event: StoredEvent, overlapping: boolean, replayed: boolean }

export interface StoredScheduleChecks {
  warnings: ImportWarnings
  /** Per event (the same order as the events given): in an overlap, replayed inside the cooldown. */
  overlapping: boolean[]
  replayed: boolean[]
}

type Source = Pick<ScheduleRepository, 'playsOutside' | 'channelEventsOutside' | 'placedEventsOutside'>

/** Which events overlap another on their channel: per channel, a sweep by start keeping the latest end seen. */
export function overlappingEvents (events: TimedEvent[]): Set<TimedEvent> {
  const marked = new Set<TimedEvent>()
  const byChannel = new Map<string, TimedEvent[]>()
  for (const e of events) {
    const key = e.channel ?? ''
    byChannel.get(key)?.push(e) ?? byChannel.set(key, [e])
  }
  for (const list of byChannel.values()) {
    list.sort((a, b) => a.start - b.start || a.end - b.end)
    // An event overlaps an earlier one iff the latest end before it is after its start; the
    // event holding that end is marked with it (any earlier one it overlaps was marked when it came).
    let latest: TimedEvent | undefined
    for (const e of list) {
      if (latest !== undefined && latest.end > e.start) {
        marked.add(e)
        marked.add(latest)
      }
      if (latest === undefined || e.end > latest.end) latest = e
    }
  }
  return marked
}

/** The plays of the given videos only: the schedule's replays are all the window's plays can tell. */
function * onlyOf (videos: Set<string>, plays: Iterable<Play>): Iterable<Play> {
  for (const play of plays) if (videos.has(play.video_key)) yield play
}

/** The events on a schedule's channel, as TimedEvents of that channel. */
async function placedOthers (source: Source, scheduleId: string, placedOn: string, events: StoredEvent[]): Promise<TimedEvent[]> {
  if (events.length === 0) return []
  let from = Infinity
  let to = -Infinity
  for (const e of events) {
    from = Math.min(from, e.start)
    to = Math.max(to, e.end)
  }
  return (await source.placedEventsOutside(scheduleId, placedOn, from, to)).map((e) => ({
    index: null,
    title: e.title,
    start: e.start,
    end: e.end,
    channel: placedOn,
    id: e.id,
    schedule_id: e.schedule_id ?? undefined
  }))
}

/**
 * `events`: the schedule's own, in air order; their index in it is the index the warnings name.
 * `placedOn`: the channel the schedule is placed on (SPEC §11): its events are one timeline
 * there, meeting what else airs on it, and replay the plays of that channel only (as its import counted them).
 */
export async function checkStoredSchedule (
  source: Source,
  scheduleId: string,
  events: StoredEvent[],
  cooldownHours: number,
  report: StoredReport,
  maxListed?: number,
  placedOn: string | null = null
): Promise<StoredScheduleChecks> {
  const own: TimedEvent[] = events.map((e, index) => ({ index, title: e.title, start: e.start, end: e.end, channel: placedOn ?? e.channel, id: e.id }))
  const channels = placedOn === null ? [...new Set(events.flatMap((e) => (e.channel === null ? [] : [e.channel])))] : []
  let others: TimedEvent[] = placedOn === null ? [] : await placedOthers(source, scheduleId, placedOn, events)
  if (channels.length > 0) {
    let from = Infinity
    let to = -Infinity
    for (const e of events) {
      if (e.channel === null) continue
      from = Math.min(from, e.start)
      to = Math.max(to, e.end)
    }
    others = (await source.channelEventsOutside(scheduleId, channels, from, to)).map((e) => ({
      index: null,
      title: e.title,
      start: e.start,
      end: e.end,
      channel: e.channel,
      id: e.id,
      schedule_id: e.schedule_id ?? undefined
    }))
  }
  const timed = [...own, ...others]
  const { overlaps, total: conflictsTotal } = detectOverlaps(timed, maxListed)
  const inOverlap = overlappingEvents(timed)

  let stored: Map<string, number[]> | undefined
  if (events.length > 0) {
    const windowMs = cooldownHours * 3_600_000
    let first = Infinity
    let last = -Infinity
    for (const e of events) {
      first = Math.min(first, e.start)
      last = Math.max(last, e.start)
    }
    const videos = new Set(events.map(videoKey))
    stored = playsByVideo(onlyOf(videos, await source.playsOutside(scheduleId, first - windowMs, last + 1, placedOn ?? undefined)))
  }
  const played = events.map((e, index) => ({ index, title: e.title, start: e.start, video_url: e.video_url }))
  // Every replay is marked; the answer lists the first ones, as on import.
  const replayed = events.map(() => false)
  const { violations, total: cooldownTotal } = findCooldownViolations(
    played,
    cooldownHours,
    { stored, maxListed, onViolation: (index) => { replayed[index] = true } }
  )

  return {
    warnings: {
      duplicates: report.duplicates,
      conflicts: overlaps,
      conflicts_total: conflictsTotal,
      cooldown: violations,
      cooldown_total: cooldownTotal,
      notes: report.notes
    },
    overlapping: own.map((e) => inOverlap.has(e)),
    replayed
  }
}
