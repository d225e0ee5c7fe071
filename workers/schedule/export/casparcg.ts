import { CommandError } from '../../../contract/command-error.js'
import { iso } from '../model.js'
import { eventChannel } from './event-channel.js'
import { documentFileName } from './naming.js'
import type { ExportEvent, ExportSchedule, Exporter } from './types.js'
import { XML_DECLARATION, xmlElement } from './xml-escape.js'

// A rundown the CasparCG Client opens (File → Open rundown), in the XML the client
// 2.2 / 2.3 saves: `<items>` of `<item>`s, each `type`, `devicename`, `label`, `name`, then
// the command's properties (AbstractCommand: channel, videolayer, delay, duration, …;
// MovieCommand: transition, …, autoplay), GROUP items holding their own `<items>`.
//
// Each schedule (each channel of it, when its events carry several XMLTV channels) is one
// GROUP of MOVIE items, one per event. Playing the group starts every clip after its
// `delay`: the event's offset from the group's first event, in milliseconds — the client's
// default delay unit (Settings → DelayType "Milliseconds"). So the operator plays the
// group at the time written in its notes and the clips air at their scheduled times, one
// after another on channel 1, layer 10 (each PLAY replaces the clip before it).
// - `duration` (ms; the client sends STOP after delay + duration) is set only where the
//   layer must go empty: before a gap and after the last clip, or where a clip's media (a
//   library item's probed length) ends before the next clip starts. A STOP timed at the same
//   instant as the next PLAY could land after it and cut the next clip.
// - `name` is the event's video URL (CasparCG Server 2.2+ plays URLs and paths through its
//   ffmpeg producer), else its title, for a clip named after it in the server's media folder.
// - `devicename` is left empty: it is the name the operator gave the server in the client,
//   which the client asks for (and flags) until it is set.
// - `seek` (frames) is where in its media a clip starts: a channel's film continued after a
//   break plays on from there. Frames at 25 per second, the rate of CasparCG's default
//   channel (1080i5000); the group's notes say so, for a channel at another rate.
// - The client keeps delays in a 32-bit int: a group may span at most 24.8 days.

const CASPAR_CHANNEL = 1
const VIDEO_LAYER = 10
const MAX_DELAY_MS = 2 ** 31 - 1
const SEEK_FRAMES_PER_SECOND = 25

interface Group { label: string, events: ExportEvent[] }

/** One group per schedule, or per channel of a schedule whose events name several. */
function groups (schedules: ExportSchedule[]): Group[] {
  return schedules.flatMap((schedule) => {
    const byChannel = new Map<string | null, ExportEvent[]>()
    for (const event of schedule.events) {
      const key = eventChannel(event)
      const list = byChannel.get(key)
      if (list === undefined) byChannel.set(key, [event])
      else list.push(event)
    }
    if (byChannel.size <= 1) return [{ label: schedule.name, events: schedule.events }]
    return [...byChannel].map(([channel, events]) => {
      const name = channel === null ? null : schedule.channels.find((c) => c.id === channel)?.display_name ?? channel
      return { label: name === null ? schedule.name : `${schedule.name} – ${name}`, events }
    })
  })
}

function commandFields (delay: number, duration: number, storyId: string): string[] {
  return [
    xmlElement('channel', CASPAR_CHANNEL), xmlElement('videolayer', VIDEO_LAYER),
    xmlElement('delay', delay), xmlElement('duration', duration),
    xmlElement('allowgpi', false), xmlElement('allowremotetriggering', false),
    xmlElement('remotetriggerid', ''), xmlElement('storyid', storyId)
  ]
}

/** Opens an `<item>` with its fields, indented by `pad`; lines go to one array, as a rundown can hold 100,000s. */
function openItem (out: string[], pad: string, fields: string[]): void {
  out.push(`${pad}<item>`)
  for (const field of fields) out.push(`${pad}  ${field}`)
}

function writeMovie (out: string[], event: ExportEvent, delay: number, duration: number): void {
  openItem(out, '      ', [
    xmlElement('type', 'MOVIE'), xmlElement('devicename', ''),
    xmlElement('label', event.title), xmlElement('name', event.video_url ?? event.title),
    ...commandFields(delay, duration, event.id),
    xmlElement('transition', 'CUT'), xmlElement('transitionDuration', 0),
    xmlElement('tween', 'Linear'), xmlElement('direction', 'RIGHT'),
    xmlElement('seek', Math.round((event.in_ms ?? 0) * SEEK_FRAMES_PER_SECOND / 1000)), xmlElement('length', 0), xmlElement('loop', false),
    xmlElement('freezeonload', false), xmlElement('triggeronnext', false), xmlElement('autoplay', false)
  ])
  out.push('      </item>')
}

/**
 * A clip's `duration`: where the layer must go empty, the event's length, or less when its media
 * (a library item's probed length, SPEC §16) ends sooner; a clip whose media ends before the
 * next clip starts stops there; else 0, and the next PLAY replaces it (a STOP timed at the next
 * PLAY's instant could land after it and cut the next clip).
 */
function clipDuration (event: ExportEvent, next: ExportEvent | undefined): number {
  const slot = event.end - event.start
  const plays = event.media_ms === undefined ? Infinity : event.media_ms - (event.in_ms ?? 0)
  if (next === undefined || next.start > event.end) return Math.max(0, Math.min(slot, plays))
  return plays < next.start - event.start ? Math.max(0, plays) : 0
}

function writeGroup (out: string[], { label, events }: Group): void {
  const first = events[0].start
  const span = events.reduce((last, e) => Math.max(last, e.end), first) - first
  if (span > MAX_DELAY_MS) {
    throw new CommandError('BAD_REQUEST', `"${label}" spans more than the 24.8 days a CasparCG rundown can time; export a shorter range`)
  }
  openItem(out, '  ', [
    xmlElement('type', 'GROUP'), xmlElement('label', label), xmlElement('expanded', true),
    ...commandFields(0, span, ''),
    xmlElement('notes', `Play at ${iso(first)} (UTC); each clip starts after its delay in milliseconds; seek is in frames at ${SEEK_FRAMES_PER_SECOND} per second.`),
    xmlElement('autostep', false), xmlElement('autoplay', false)
  ])
  out.push('    <items>')
  events.forEach((event, i) => {
    const next = events[i + 1]
    writeMovie(out, event, event.start - first, clipDuration(event, next))
  })
  out.push('    </items>', '  </item>')
}

export const exportCasparcg: Exporter = (schedules, options) => {
  const out = [XML_DECLARATION, '<items>']
  for (const group of groups(schedules)) if (group.events.length > 0) writeGroup(out, group)
  out.push('</items>')
  return {
    content_type: 'application/xml; charset=utf-8',
    filename: documentFileName(schedules, 'casparcg.xml', options),
    body: out.join('\n') + '\n'
  }
}
