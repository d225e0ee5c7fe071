import { DEFAULT_FILLER_GUIDE_MINUTES, MIN_GUIDE_ENTRY_MS } from '../../contract/limits.js'
import type { GuideMode, SegmentRole } from '../../contract/programmes.js'
import type { OriginKind } from './types.js'

// What a guide (XMLTV, the panel's grid) shows (SPEC §14): programmes, not segments. Each
// source has a guide mode: `own` (an entry of its own), `meld` (joins the entry before it, else
// the one after) or `hide` (no entry: a hole). Defaults: a block's items are own (an item under
// a minute melds unless its block says own); breaks, pad and filler meld; a stretch of the
// channel's default filler longer than filler_guide_minutes is one entry titled filler_title
// (else the channel's name). A titled block is one entry per block instance. Melding goes by
// position, never by programme: the pad before a fixed event joins what aired before it, not the
// film pushed after it; a meld beside a hidden programme (its breaks, its pad) is hidden with it.
// Entries only grow over what airs, so where something airs and is not hidden the guide has no
// gap, and since events do not overlap, neither do entries.

/** What an event and a guide entry both have: the entry takes them from the event that names it. */
interface Listed {
  title: string
  start: number
  end: number
  category: string | null
  icon: string | null
  episode_num: string | null
}

export interface GuideSource extends Listed {
  /** with guide_title set: the titled block instance it belongs to */
  guide_id: string | null
  guide_title: string | null
  /** null: added by hand or of a placed schedule */
  origin: { kind: OriginKind } | null
  /** null or absent: its own programme (a placed schedule's event, a legacy row) */
  programme_id?: string | null
  segment_role?: SegmentRole | null
  /** its source's explicit mode; null or absent: the default rule */
  guide_mode?: GuideMode | null
}

/** What the guide reads of the channel: how its default filler shows. */
export interface GuideChannel {
  name: string
  default_filler_guide?: GuideMode | null
  filler_guide_minutes?: number
  filler_title?: string | null
}

export interface GuideEntry extends Listed {
  /** the event that names it (its description); null: a stretch of default filler, named after the channel */
  lead: number | null
  /** the events it covers: events[from] to events[to - 1] (an entry is a run of consecutive events) */
  from: number
  to: number
  /** a source asked for `own`: it may be shorter than MIN_GUIDE_ENTRY_MS */
  own: boolean
}

type Mode = GuideMode

/** A run of events with one mode: the unit the entries are made of. */
interface Piece {
  start: number
  end: number
  /** events[from] to events[to - 1] */
  from: number
  to: number
  mode: Mode
  /** its mode was asked for, not the default */
  asked: boolean
  /** parts of one programme continue one entry across melded breaks */
  programme: string | null
  /** the event naming it; null: the channel's filler title */
  lead: number | null
}

/** An entry being made: the programme whose parts continue it. */
type Open = GuideEntry & { programme: string | null }

const isFiller = (e: GuideSource): boolean => e.origin?.kind === 'break' || e.origin?.kind === 'filler' || e.segment_role === 'break' || e.segment_role === 'pad'
const isDefault = (e: GuideSource): boolean => e.origin?.kind === 'default'
const isTitled = (e: GuideSource): boolean => e.guide_title !== null && e.guide_id !== null
const programmeOf = (e: GuideSource, i: number): string => e.programme_id ?? `#${i}`

/** Each programme's aired item length (its parts, not its breaks or pad): an item under a minute melds. */
function itemLengths (events: GuideSource[]): Map<string, number> {
  const lengths = new Map<string, number>()
  events.forEach((e, i) => {
    if (isFiller(e) || isDefault(e)) return
    const key = programmeOf(e, i)
    lengths.set(key, (lengths.get(key) ?? 0) + e.end - e.start)
  })
  return lengths
}

function piece (events: GuideSource[], from: number, to: number, mode: Mode, asked: boolean, fields: Partial<Piece> = {}): Piece {
  let end = events[from].end
  for (let k = from + 1; k < to; k++) end = Math.max(end, events[k].end)
  return { start: events[from].start, end, from, to, mode, asked, programme: null, lead: from, ...fields }
}

/** Where a run of events like events[i] ends (exclusive): `same` holds for each next one, airing right after. */
function runEnd (events: GuideSource[], i: number, same: (e: GuideSource, prev: GuideSource) => boolean): number {
  let j = i + 1
  while (j < events.length && same(events[j], events[j - 1])) j++
  return j
}

/** A titled block instance's consecutive events: one entry (hidden when its block says hide). */
function titledPiece (events: GuideSource[], i: number): Piece {
  const e = events[i]
  const to = runEnd(events, i, (next) => next.guide_id === e.guide_id && next.guide_title !== null)
  let hidden = false
  for (let k = i; k < to; k++) hidden ||= !isFiller(events[k]) && events[k].guide_mode === 'hide'
  return piece(events, i, to, hidden ? 'hide' : 'own', false)
}

/** A stretch of default filler (consecutive, with no time between, of one mode): own per clip, melded, hidden, or one entry when long. */
function defaultFillerPieces (events: GuideSource[], i: number, channel: GuideChannel): Piece[] {
  const modeOf = (e: GuideSource): Mode | null => e.guide_mode ?? channel.default_filler_guide ?? null
  const mode = modeOf(events[i])
  const to = runEnd(events, i, (next, prev) => isDefault(next) && next.start === prev.end && modeOf(next) === mode)
  if (mode === 'own') return Array.from({ length: to - i }, (_, k) => piece(events, i + k, i + k + 1, 'own', true))
  if (mode !== null) return [piece(events, i, to, mode, true)]
  const stretch = piece(events, i, to, 'meld', false)
  const longer = (channel.filler_guide_minutes ?? DEFAULT_FILLER_GUIDE_MINUTES) * 60_000
  return stretch.end - stretch.start > longer && stretch.end - stretch.start >= MIN_GUIDE_ENTRY_MS ? [{ ...stretch, mode: 'own', lead: null }] : [stretch]
}

/** One event of a block, a fixed event or one added by hand: its source's mode, else own for an item of a minute or more. */
function eventPiece (events: GuideSource[], i: number, lengths: Map<string, number>): Piece {
  const e = events[i]
  if (isFiller(e)) return piece(events, i, i + 1, e.guide_mode ?? 'meld', e.guide_mode != null)
  const programme = programmeOf(e, i)
  const mode = e.guide_mode ?? (lengths.get(programme)! < MIN_GUIDE_ENTRY_MS ? 'meld' : 'own')
  return piece(events, i, i + 1, mode, e.guide_mode != null, { programme })
}

/** The events (sorted by start) as pieces of one mode each. */
function pieces (events: GuideSource[], channel: GuideChannel): Piece[] {
  const lengths = itemLengths(events)
  const out: Piece[] = []
  for (let i = 0; i < events.length;) {
    const e = events[i]
    const made = isTitled(e) ? [titledPiece(events, i)] : isDefault(e) ? defaultFillerPieces(events, i, channel) : [eventPiece(events, i, lengths)]
    for (const p of made) out.push(p)
    i = made.at(-1)!.to
  }
  return out
}

/** The entry a piece opens, named after its lead event (or the channel's filler title). */
function open (p: Piece, events: GuideSource[], channel: GuideChannel): Open {
  const lead = p.lead === null ? null : events[p.lead]
  return {
    title: lead === null ? channel.filler_title ?? channel.name : lead.guide_title ?? lead.title,
    start: p.start,
    end: p.end,
    category: lead?.category ?? null,
    icon: lead?.icon ?? null,
    episode_num: lead?.episode_num ?? null,
    lead: p.lead,
    from: p.from,
    to: p.to,
    own: p.asked && p.mode === 'own',
    programme: p.programme
  }
}

/** `other` (just before or after it) joins `entry`, which keeps its name. */
function absorb (entry: GuideEntry, other: Pick<GuideEntry, 'start' | 'end' | 'from' | 'to'>): void {
  entry.start = Math.min(entry.start, other.start)
  entry.end = Math.max(entry.end, other.end)
  entry.from = Math.min(entry.from, other.from)
  entry.to = Math.max(entry.to, other.to)
}

/**
 * Pieces as entries: own opens one (a programme's next part continues it), meld joins the entry
 * before it or else the next one, hide writes none. A meld next to a hidden piece is hidden
 * with it (the breaks and pad of a hidden film); melds with nothing airing on either side are
 * an entry of their own rather than a gap.
 */
function assemble (list: Piece[], events: GuideSource[], channel: GuideChannel): GuideEntry[] {
  const entries: Open[] = []
  let current: Open | 'hidden' | null = null
  let waiting: Piece[] = []
  const flush = (): void => {
    if (waiting.length === 0) return
    const entry = open({ ...waiting[0], lead: isDefault(events[waiting[0].from]) ? null : waiting[0].lead }, events, channel)
    for (const p of waiting.slice(1)) absorb(entry, p)
    entries.push({ ...entry, own: false })
    waiting = []
  }
  let end = -Infinity
  for (const p of list) {
    if (p.start > end) {
      current = null
      flush()
    }
    end = Math.max(end, p.end)
    if (p.mode === 'hide') {
      current = 'hidden'
      waiting = []
    } else if (p.mode === 'meld') {
      if (current === null) waiting.push(p)
      else if (current !== 'hidden') absorb(current, p)
    } else if (current !== null && current !== 'hidden' && !p.asked && !current.own && p.programme !== null && p.programme === current.programme) {
      absorb(current, p)
    } else {
      current = open(p, events, channel)
      for (const w of waiting) absorb(current, w)
      waiting = []
      entries.push(current)
    }
  }
  flush()
  return entries.map(({ programme: _programme, ...entry }) => entry)
}

const isShort = (e: GuideEntry): boolean => !e.own && e.end - e.start < MIN_GUIDE_ENTRY_MS

/** No entry under a minute unless a source asked for own: a short one joins the entry it touches (the one before first). */
function joinShort (entries: GuideEntry[]): GuideEntry[] {
  const out: GuideEntry[] = []
  for (const entry of entries) {
    const prev = out.at(-1)
    if (prev !== undefined && prev.end === entry.start) {
      if (isShort(entry)) {
        absorb(prev, entry)
        continue
      }
      if (isShort(prev)) absorb(entry, out.pop()!)
    }
    out.push(entry)
  }
  return out
}

/** The guide entries of a channel's events, sorted by start (SPEC §14). */
export function guideEntries (events: GuideSource[], channel: GuideChannel): GuideEntry[] {
  return joinShort(assemble(pieces(events, channel), events, channel))
}
