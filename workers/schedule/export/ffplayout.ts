import { CommandError } from '../../../contract/command-error.js'
import { isValidTimezone, luxon } from '../time.js'
import { inAirOrder, type AiredEvent } from './air-order.js'
import { eventChannel } from './event-channel.js'
import type { ExportOptions, Exporter } from './types.js'

// ffplayout's daily JSON playlist, in the form the ffplayout engine v0.24 / v0.25 (Rust)
// reads it (its `JsonPlaylist` and `Media` structs):
//
//   { "channel": "…", "date": "YYYY-MM-DD",
//     "program": [ { "in": 0, "out": 1800, "duration": 1800, "source": "…", "title": "…", "category": "…" } ] }
//
// - `duration` is the clip's full length and `in` / `out` the points played inside it, in
//   seconds; the engine plays `out − in` of each item back to back from the day's start.
// - One document is one day, 00:00 to the next 00:00 in `options.timezone` (default UTC):
//   ffplayout's `day_start` must be 00:00:00 in that zone. The day is `options.date`, else
//   the day of the first event. A daylight-saving day is 23 or 25 hours long.
// - A channel's event that starts inside its media (`in_ms`: a film continued after a break)
//   plays from there: `in` is that point and `out` = in + the event's length. `duration` is
//   the media's length as far as the export knows it (`media_ms`): the engine cuts a clip
//   (ffmpeg `-t`) only when `duration` exceeds `out`, so a film's first part must not claim
//   to be the whole clip.
// - An event crossing midnight is cut with `in` / `out`: the part before midnight ends this
//   day's playlist, the part after starts the next one. Where events overlap, the later one
//   starts where the earlier ends (its `in` moves), so the air stays one line.
// - Every gap (day start to the first event, between events, the last event to day end)
//   becomes an explicit filler item with an empty `source`, title "Filler", category
//   "filler". ffplayout replaces an item whose source it cannot open with the channel's
//   configured filler (storage → filler: a clip, a folder of clips or a still image), or a
//   generated colour clip when none is set, and logs "Source not found" for it; naming a
//   file here would name a path on the playout host this export cannot know. A still image,
//   or a filler clip longer than the longest gap, covers the whole gap: the engine does not
//   loop a shorter filler clip, and it skips items under one second. An event without a
//   video URL gets the same empty source. So the items always add up to the day.
// - A playlist is one channel: the day's events must share one channel (their XMLTV
//   channel id, or their schedule when they have none).

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

interface ProgramItem { in: number, out: number, duration: number, source: string, title: string, category: string }

const seconds = (ms: number): number => Math.round(ms) / 1000

const filler = (ms: number): ProgramItem => ({ in: 0, out: seconds(ms), duration: seconds(ms), source: '', title: 'Filler', category: 'filler' })

/** The channel an event airs on: its XMLTV channel id, else its schedule. */
function channelKey ({ schedule, event }: AiredEvent): string {
  const channel = eventChannel(event)
  return channel === null ? `schedule "${schedule.name}" (${schedule.id})` : `channel ${channel}`
}

function channelName ({ schedule, event }: AiredEvent): string {
  const channel = eventChannel(event)
  if (channel === null) return schedule.name
  return schedule.channels.find((c) => c.id === channel)?.display_name ?? channel
}

function dayBounds (aired: AiredEvent[], options: ExportOptions): { date: string, from: number, to: number, zone: string } {
  const zone = options.timezone ?? 'UTC'
  if (!isValidTimezone(zone)) throw new CommandError('BAD_REQUEST', `unknown time zone "${zone}" (an IANA name such as Europe/Paris)`)
  const { DateTime } = luxon()
  const date = options.date ?? DateTime.fromMillis(aired[0].event.start, { zone }).toFormat('yyyy-MM-dd')
  const day = DateTime.fromISO(date, { zone })
  if (!ISO_DATE.test(date) || !day.isValid) throw new CommandError('BAD_REQUEST', `date must be a calendar day as YYYY-MM-DD, got "${date}"`)
  const start = day.startOf('day')
  return { date, from: start.toMillis(), to: start.plus({ days: 1 }).toMillis(), zone }
}

function program (aired: AiredEvent[], from: number, to: number): ProgramItem[] {
  const items: ProgramItem[] = []
  let cursor = from
  for (const { event } of aired) {
    const start = Math.max(event.start, cursor)
    const end = Math.min(event.end, to)
    if (end <= start) continue // wholly under an earlier, overlapping event
    if (start > cursor) items.push(filler(start - cursor))
    const inMs = event.in_ms ?? 0
    items.push({
      in: seconds(inMs + start - event.start),
      out: seconds(inMs + end - event.start),
      duration: seconds(Math.max(event.media_ms ?? 0, inMs + event.end - event.start)),
      source: event.video_url ?? '',
      title: event.title,
      category: event.category ?? ''
    })
    cursor = end
  }
  if (cursor < to) items.push(filler(to - cursor))
  return items
}

export const exportFfplayout: Exporter = (schedules, options) => {
  const aired = inAirOrder(schedules)
  if (aired.length === 0) throw new CommandError('BAD_REQUEST', 'nothing to export to ffplayout: the schedule has no events')
  const { date, from, to, zone } = dayBounds(aired, options)
  const onDay = aired.filter(({ event }) => event.end > from && event.start < to)
  if (onDay.length === 0) throw new CommandError('BAD_REQUEST', `no events on ${date} (${zone}) to export to ffplayout`)
  const channels = new Set(onDay.map(channelKey))
  if (channels.size > 1) {
    throw new CommandError('BAD_REQUEST', `an ffplayout playlist is one channel, but the events on ${date} are on ${channels.size}: ${[...channels].join(', ')}`)
  }
  const playlist = { channel: channelName(onDay[0]), date, program: program(onDay, from, to) }
  return {
    content_type: 'application/json; charset=utf-8',
    filename: `${date}.json`,
    body: JSON.stringify(playlist, null, 2) + '\n'
  }
}
