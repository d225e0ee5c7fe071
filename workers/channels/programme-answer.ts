import type { Programme, ProgrammeBrief, ProgrammeKind, SegmentRole } from '../../contract/programmes.js'
import type { Channel } from '../../contract/channels.js'
import { iso } from '../schedule/model.js'
import { yearOf } from './event-tags.js'
import type { StoredChannelEvent } from '../storage/channels.js'
import type { StoredProgramme } from '../storage/programmes.js'

// A programme as the API answers it (SPEC §14), from its stored segments: the one shape
// GET …/programmes (commands/channel-programmes.ts) and a programme's edit
// (commands/edit-events.ts) answer; and in brief, from a dry run's events, for a build's preview.

/** What a programme's kind, title and category are read from: a stored event's fields, or a built one's. */
type Segment = Pick<StoredChannelEvent, 'title' | 'start' | 'end' | 'category' | 'segment_role'> & { origin: { kind: string } | null }

/** A programme's kind from its segments: a fixed event's; an item's (built, or added by hand or placed: no origin); else filler. */
function kindOf (segments: Segment[]): ProgrammeKind {
  if (segments.some((e) => e.origin?.kind === 'fixed')) return 'fixed'
  return segments.some((e) => e.origin === null || e.origin.kind === 'item') ? 'item' : 'filler'
}

/** Season and episode (1-based) of an xmltv_ns episode number, "s.e.p" counted from 0, each part maybe "n/total". */
export function seasonEpisode (episodeNum: string | null): { season?: number, episode?: number } {
  const [s, e] = (episodeNum ?? '').split('.').map((part) => part.split('/')[0].trim())
  const number = (text: string | undefined): number | undefined => text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) + 1 : undefined
  const season = number(s)
  const episode = number(e)
  return { ...(season !== undefined && { season }), ...(episode !== undefined && { episode }) }
}

/** A programme's kind, the segment it is titled by (its first part), and its title; a filler programme's is the channel's filler_title (else its name). */
function named<S extends Segment> (segments: S[], channel: Pick<Channel, 'name' | 'filler_title'>): { kind: ProgrammeKind, part: S, title: string } {
  const kind = kindOf(segments)
  const part = segments.find((e) => e.segment_role === 'part' || e.segment_role === null) ?? segments[0]
  return { kind, part, title: kind === 'filler' ? channel.filler_title ?? channel.name : part.title }
}

/** A programme's breaks and pad as bands [offset ms, length ms, role], back-to-back segments of one role one band. */
function bandsOf (segments: Segment[], start: number): Array<[number, number, SegmentRole]> {
  const bands: Array<[number, number, SegmentRole]> = []
  for (const e of segments) {
    const role = e.segment_role ?? 'part'
    if (role === 'part') continue
    const last = bands.at(-1)
    if (last !== undefined && last[2] === role && start + last[0] + last[1] === e.start) last[1] += e.end - e.start
    else bands.push([e.start - start, e.end - e.start, role])
  }
  return bands
}

/**
 * A build's events (in air order) as programmes in brief: grouped by programme id as GET
 * …/programmes groups stored events (an event without one its own programme), ordered by start
 * then id, the first `limit` answered; `total`, how many there are.
 */
export function programmeBriefs (events: Array<Segment & { programme_id: string | null }>, channel: Pick<Channel, 'name' | 'filler_title'>, limit: number): { programmes: ProgrammeBrief[], total: number } {
  const byId = new Map<string, Segment[]>()
  events.forEach((e, i) => {
    const id = e.programme_id ?? `event-${i}`
    const segments = byId.get(id)
    if (segments === undefined) byId.set(id, [e])
    else segments.push(e)
  })
  const grouped = [...byId].map(([id, segments]) => ({ id, segments, start: Math.min(...segments.map((e) => e.start)) }))
    .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const programmes = grouped.slice(0, limit).map(({ segments, start }): ProgrammeBrief => {
    const { kind, part, title } = named(segments, channel)
    const bands = bandsOf(segments, start)
    return {
      start: iso(start),
      end: iso(segments.reduce((end, e) => Math.max(end, e.end), -Infinity)),
      kind,
      title,
      ...(kind !== 'filler' && { category: part.category }),
      segments: segments.length,
      ...(bands.length > 0 && { bands })
    }
  })
  return { programmes, total: grouped.length }
}

/** A programme's description and year, each only when it has one (the guide's <desc> and <date>). */
function described ({ description, tags }: Pick<StoredChannelEvent, 'description' | 'tags'>): { description?: string, year?: number } {
  const year = yearOf(tags)
  return { ...(description !== null && description !== '' && { description }), ...(year !== null && { year }) }
}

/** A stored programme as the API answers it; a filler programme is titled by the channel's filler_title (else its name). */
export function programmeAnswer ({ id, segments }: StoredProgramme, channel: Pick<Channel, 'name' | 'filler_title'>): Programme {
  const { kind, part, title } = named(segments, channel)
  return {
    id,
    kind,
    title,
    start: iso(segments[0].start),
    end: iso(segments.reduce((end, e) => Math.max(end, e.end), -Infinity)),
    ...(kind === 'item' && seasonEpisode(part.episode_num)),
    ...(kind !== 'filler' && { category: part.category }),
    ...(kind !== 'filler' && described(part)),
    pinned: segments.every((e) => e.pinned),
    segments: segments.map((e) => ({
      event_id: e.id,
      start: iso(e.start),
      end: iso(e.end),
      role: e.segment_role ?? 'part',
      in_ms: e.in_ms,
      out_ms: e.in_ms + (e.end - e.start)
    }))
  }
}
