import { DEFAULT_BLOCK_FILL } from '../../contract/limits.js'
import { Rotation } from '../orders/rotation.js'
import { seededShuffle } from '../orders/seeded.js'
import { spokenLength } from '../autofill/clock.js'
import type { Choice, Entry, Fits, Picker } from '../orders/index.js'
import type { FreeInterval, Segment } from './plan.js'
import type { BlockFill, BuildStats, BuildWarning, BuiltEvent } from './types.js'
import type { GuideMode, SegmentRole } from '../../contract/programmes.js'
import { breakDueAfter, breakRule, breaksInside as breaksIn, chapterBreaks, chooseBreak, nextBreakInside, type BreakRule, type BreakSources } from './breaks.js'

// One block instance, filled (SPEC §11): items from its picker back to back across its free
// stretches (the block minus kept and fixed events), breaks where breaks.ts puts them (SPEC §15),
// and the end per `fill`: `pad` with filler items (the last one cut), `gap` left
// empty and said, `cut` the last item cut at the block's end. Every event stays inside a free
// stretch, so nothing built ever overlaps a kept or fixed event or another block.
//
// Programmes (SPEC §14): an airing of an item is one programme, its parts and the breaks
// inside it; a break or pad joins the programme of the last item part aired in the same free
// interval (the pad before a fixed event is never the item's pushed after it); with none
// aired there yet (a block opening with pad, the interval after a kept or fixed event) they
// open a filler programme of their own.

const MINUTE_MS = 60_000

/** Filler items aired in turn (idents, trailers, a default playlist): no cooldown, seeded first order. */
export class FillerSource {
  private readonly rotation: Rotation<Entry>
  constructor (entries: Entry[], seed: string, readonly source: string, readonly guide: GuideMode | null = null) {
    const order = seededShuffle(entries, seed)
    this.rotation = new Rotation(order.map((e) => ({ item: e, key: e.key, category: null })), new Map(), -Infinity, 0)
  }

  /** The next filler that runs at most `fitsMs` (Infinity: any, cut by the caller), aired at `t`; null when none fits. */
  take (t: number, fitsMs = Infinity): Entry | null {
    const node = this.rotation.pick(t, { fits: (e) => e.ms <= fitsMs }).node
    if (node === null) return null
    this.rotation.aired(node, t)
    return node.item
  }

  /** The filler `take` would answer among those `fits` accepts, not yet aired (see `aired`). */
  peek (t: number, fits: (e: Entry) => boolean): Entry | null {
    return this.rotation.pick(t, { fits }).node?.item ?? null
  }

  /** A filler from `peek` aired at `t`. */
  aired (entry: Entry, t: number): void {
    this.rotation.aired(this.rotation.find(entry.key)!, t)
  }
}

export interface FillContext {
  buildId: string
  stats: BuildStats
  warn: (w: BuildWarning) => void
  emit: (e: BuiltEvent) => void
  newGuideId: () => string
  /** a programme id unique across builds */
  newProgrammeId: () => string
  /** the filler source of a playlist id, or null when it is missing or empty (warned by the caller) */
  filler: (playlistId: string | null | undefined, role: string, segment: Segment) => FillerSource | null
  /** wall-clock text for reasons */
  clock: (ms: number) => string
  /** the channel's default filler: what `pad` airs in a block without a filler of its own (SPEC §15) */
  defaultFiller: string | null
  /** before_fixed "best_fit": the longest item of the block's source out of cooldown that `fits` in `room` before the event `before` names, or null */
  bestFit: (segment: Segment, t: number, room: number, fits: Fits, before: string) => Choice | null
}

/** The item being aired: what is left of it after a break, a push or a cut. */
interface Airing { choice: Choice, inMs: number, guideId: string, programmeId: string, pushedBy: string | null }

/** One block instance being filled: what the steps of fillSegment share. */
interface SegmentFill {
  segment: Segment
  picker: Picker | null
  /** sourceKey of the block's source */
  source: string
  ctx: FillContext
  fill: BlockFill
  /** where breaks fall (null: no breaks) */
  breaks: BreakRule | null
  /** the current item reached a break inside it */
  breakInside: boolean
  /** one break's most */
  breakMs: number
  /** the block's one guide entry when it has a title */
  blockGuide: string | null
  lastGuide: string | null
  /** the programme breaks and pad join here: the last item aired in this free interval, or the filler programme they opened */
  lastProgramme: string | null
  /** content aired since the last break */
  since: number
  /** the item of the last part aired (a break's reason names it) */
  lastAired: Entry | null
  current: Airing | null
  /** made when first needed (undefined: not yet); null without break fillers */
  breakSources: BreakSources<FillerSource> | null | undefined
  padFiller: FillerSource | null | undefined
  reportedEmpty: boolean
}

export function fillSegment (segment: Segment, free: FreeInterval[], picker: Picker | null, source: string, ctx: FillContext): void {
  const { block } = segment
  const breaks = block.breaks ?? null
  const f: SegmentFill = {
    segment,
    picker,
    source,
    ctx,
    fill: block.fill ?? DEFAULT_BLOCK_FILL,
    breaks: breakRule(breaks),
    breakInside: false,
    breakMs: breaks === null ? 0 : breaks.max_seconds * 1000,
    blockGuide: block.title != null && block.title !== '' ? ctx.newGuideId() : null,
    lastGuide: null,
    lastProgramme: null,
    since: 0,
    lastAired: null,
    current: null,
    breakSources: undefined,
    padFiller: undefined,
    reportedEmpty: false
  }
  f.lastGuide = f.blockGuide
  for (let i = 0; i < free.length; i++) fillInterval(f, free[i], free[i + 1]?.start ?? null)
}

/**
 * One free interval of the block: breaks when due, items while they fit, then the end per `fill`. `next`: where the following interval starts (null:
 * this one ends the block).
 */
function fillInterval (f: SegmentFill, interval: FreeInterval, next: number | null): void {
  let t = interval.start
  // A kept or fixed event before this interval is a programme of its own: nothing here joins the one before it.
  f.lastProgramme = null
  while (t < interval.end) {
    if (f.breakInside || (betweenProgrammes(f) && breakDueAfter(f.breaks, f.since))) {
      t = placeBreak(f, t, interval.end)
      f.since = 0
      f.breakInside = false
      continue
    }
    if (f.current === null && !startItem(f, t, interval, next)) return
    t = airPiece(f, t, interval, next === null)
  }
}

/** How many breaks an entry would have inside it. */
const breaksInside = (f: SegmentFill, entry: Entry): number => breaksIn(f.breaks, entry)

/** No item is under way: the last one ended (or was cut), or the current one has not started (pushed here). */
const betweenProgrammes = (f: SegmentFill): boolean => f.current === null || f.current.inMs === 0

/**
 * The next item at `t`, made current; false when the rest of the interval is padded or left
 * empty instead: no item may air, or the one chosen is pushed after the obstacle ending the interval.
 */
function startItem (f: SegmentFill, t: number, { end: b, endsAt }: FreeInterval, next: number | null): boolean {
  const { ctx, segment: { block, date } } = f
  const last = next === null
  // pad and gap air only what fits before the block's end, with room for the breaks inside it;
  // before a fixed event an item that does not fit is pushed after it.
  const room = b - t
  const fitsRoom: Fits = (ms, entry) => ms + breaksInside(f, entry) * f.breakMs <= room
  const fits = f.fill === 'cut' || !last ? () => true : fitsRoom
  // Where an item would start: here, or after the obstacle ending the interval when it is
  // pushed (a sequential block waits rather than air one across a kept episode of its series).
  const landsAt = (ms: number): number => !last && f.fill !== 'cut' && t + ms > b ? next : t
  const chosen = f.picker?.choose(t, fits, { blockEnd: f.segment.end, landsAt }) ?? null
  // before_fixed "best_fit" (SPEC §15, best-fit.ts): an item that fits before the event airs instead of the one it would push
  const choice = chosen !== null && !last && f.fill !== 'cut' && t + chosen.entry.ms > b && block.before_fixed === 'best_fit'
    ? ctx.bestFit(f.segment, t, room, fitsRoom, `${endsAt!.kind} "${endsAt!.title}" (${ctx.clock(endsAt!.start)})`) ?? chosen
    : chosen
  if (choice === null) {
    finishInterval(f, t, b, last ? 'block end' : `"${endsAt!.title}"`)
    return false
  }
  if (choice.overridden) ctx.stats.cooldown_overrides++
  const guideId = f.blockGuide ?? ctx.newGuideId()
  f.lastGuide = guideId
  if (!last && f.fill !== 'cut' && t + choice.entry.ms > b) {
    const obstacle = endsAt!
    const words = `pushed after ${obstacle.kind} "${obstacle.title}" (${ctx.clock(obstacle.start)}–${ctx.clock(obstacle.end)})`
    ctx.stats.items_pushed++
    ctx.warn({ code: 'ITEM_PUSHED', block: block.id, date, message: `"${choice.entry.item.title}" of block "${block.id}" ${words}: it would have run ${ctx.clock(t)}–${ctx.clock(t + choice.entry.ms)}` })
    finishInterval(f, t, b, `"${obstacle.title}"`)
    f.picker!.aired(choice, next)
    f.current = { choice, inMs: 0, guideId, programmeId: ctx.newProgrammeId(), pushedBy: words }
    return false
  }
  f.picker!.aired(choice, t)
  f.current = { choice, inMs: 0, guideId, programmeId: ctx.newProgrammeId(), pushedBy: null }
  return true
}

/**
 * The current item from `t`: up to its next break (only an item at least as long as the interval is split), or cut at the interval's end. Answers
 * where it stops.
 */
function airPiece (f: SegmentFill, t: number, { end: b, endsAt }: FreeInterval, last: boolean): number {
  const { ctx, segment: { block, date } } = f
  const current = f.current!
  const remaining: number = current.choice.entry.ms - current.inMs
  let piece: number = remaining
  // Up to the next break inside this programme, if it has one left (a shorter one gets its break after it).
  const breakAt = nextBreakInside(f.breaks, current.choice.entry, current.inMs)
  if (breakAt !== null) piece = breakAt - current.inMs
  let cutWhy: string | null = null
  // A break point exactly at the stretch's end cuts the item there too (said): nothing of it is left behind unsaid.
  if (t + piece > b || (t + piece === b && piece < remaining)) {
    piece = b - t
    cutWhy = last ? 'cut at block end' : `cut at ${endsAt!.kind} "${endsAt!.title}"`
    ctx.stats.items_cut++
    ctx.warn({ code: 'ITEM_CUT', block: block.id, date, message: `"${current.choice.entry.item.title}" of block "${block.id}" ${cutWhy} at ${ctx.clock(b)}: ${spokenLength(remaining - piece)} not aired` })
  }
  emitPart(f, current, t, t + piece, cutWhy)
  f.since += piece
  f.breakInside = breakAt !== null && cutWhy === null
  f.current = cutWhy !== null || piece >= remaining ? null : { ...current, inMs: breakAt ?? current.inMs + piece, pushedBy: null }
  return t + piece
}

/** A block's event's role in its programme, by its origin. */
const ROLE_OF: Record<'item' | 'break' | 'filler', SegmentRole> = { item: 'part', break: 'break', filler: 'pad' }

/** The programme a break or pad joins: the last item aired in this interval, else a filler programme opened here. */
function joinedProgramme (f: SegmentFill): string {
  f.lastProgramme ??= f.ctx.newProgrammeId()
  return f.lastProgramme
}

/** An event of the block: an item (or part of one), a filler or a break. */
function push (
  f: SegmentFill,
  kind: keyof typeof ROLE_OF,
  entry: Entry,
  span: { start: number, end: number, guideId: string, inMs?: number, programmeId: string },
  reason: string,
  guideMode: GuideMode | null,
  extra: Partial<BuiltEvent> = {}
): void {
  const { block, override } = f.segment
  f.ctx.emit({
    title: entry.item.title,
    start: span.start,
    end: span.end,
    video_url: entry.item.url,
    video_key: entry.key,
    category: entry.item.category,
    description: entry.item.description ?? null,
    year: entry.item.year ?? null,
    icon: entry.item.icon ?? null,
    origin: override === null ? { kind, block: block.id } : { kind, block: block.id, override: override.id },
    origin_source: kind === 'item' ? f.source : null,
    origin_position: kind === 'item' ? entry.position : null,
    reason,
    guide_id: span.guideId,
    guide_title: f.blockGuide !== null ? block.title! : null,
    in_ms: span.inMs ?? 0,
    episode_num: null,
    build_id: f.ctx.buildId,
    programme_id: span.programmeId,
    segment_role: ROLE_OF[kind],
    guide_mode: guideMode,
    ...extra
  })
}

/** [t, end) without content: padded, or left empty and said (once per block instance). */
function finishInterval (f: SegmentFill, t: number, end: number, why: string): void {
  if (t >= end) return
  const { ctx, segment } = f
  if (f.fill === 'pad') {
    t = pad(f, t, end, why)
    if (t >= end) return
  }
  ctx.stats.minutes_empty += (end - t) / MINUTE_MS
  if (!f.reportedEmpty) {
    f.reportedEmpty = true
    ctx.warn({ code: 'BLOCK_NOT_FILLED', block: segment.block.id, date: segment.date, message: `block "${segment.block.id}" on ${segment.date}: ${spokenLength(end - t)} left empty from ${ctx.clock(t)} (${f.fill === 'pad' ? 'no filler to pad with' : `fill ${f.fill}`})` })
  }
}

/** Filler items from `t` to `end`, the last one cut; answers where they stop (before `end` only when there is no filler). */
function pad (f: SegmentFill, t: number, end: number, why: string): number {
  const pads = f.padFiller ??= f.ctx.filler(f.segment.block.filler ?? f.ctx.defaultFiller, 'filler', f.segment)
  let at = t
  while (pads !== null && at < end) { // eslint-disable-line no-unmodified-loop-condition -- pads.take() always answers or breaks
    const entry = pads.take(at)
    if (entry === null) break
    const stop = Math.min(end, at + entry.ms)
    push(f, 'filler', entry, { start: at, end: stop, guideId: f.lastGuide ??= f.ctx.newGuideId(), programmeId: joinedProgramme(f) },
      stop < at + entry.ms ? `pad: filler to ${why}, cut to fit` : `pad: filler to ${why}`, pads.guide)
    f.ctx.stats.minutes_padded += (stop - at) / MINUTE_MS
    at = stop
  }
  return at
}

/**
 * A break at `t` (SPEC §15): bumper_in, fillers, bumper_out (breaks.ts chooses them), summing
 * to at most max_seconds and to what is left of the stretch; none is cut. Each joins the
 * programme it breaks (or follows).
 */
function placeBreak (f: SegmentFill, t: number, end: number): number {
  const { ctx } = f
  const sources = f.breakSources ??= breakSourcesOf(f)
  if (sources === null) return t
  const guideId = f.current?.guideId ?? f.lastGuide ?? (f.lastGuide = ctx.newGuideId())
  const why = breakWhy(f)
  // A break inside a programme ends before the stretch does: the programme goes on after it
  // (or is cut at the end, said), never silently dropped behind a clip that fills the rest.
  const inside = f.current !== null && f.current.inMs > 0
  let at = t
  for (const { entry, source, role } of chooseBreak(sources, t, Math.min(end - t - (inside ? 1 : 0), f.breaks!.maxMs))) {
    const reason = role === 'clip' ? why : `${role === 'bumper_in' ? 'bumper before' : 'bumper after'} the ${why}`
    push(f, 'break', entry, { start: at, end: at + entry.ms, guideId, programmeId: joinedProgramme(f) }, reason, source.guide)
    ctx.stats.minutes_breaks += entry.ms / MINUTE_MS
    at += entry.ms
  }
  return at
}

/** The block's break fillers and bumpers; null without fillers (warned by the caller); a missing bumper source is left out (warned). */
function breakSourcesOf ({ ctx, segment }: SegmentFill): BreakSources<FillerSource> | null {
  const breaks = segment.block.breaks!
  const clips = ctx.filler(breaks.filler, 'breaks.filler', segment)
  if (clips === null) return null
  const bumper = (id: string | null | undefined, role: string): FillerSource | null => id == null ? null : ctx.filler(id, role, segment)
  return { clips, bumperIn: bumper(breaks.bumper_in, 'breaks.bumper_in'), bumperOut: bumper(breaks.bumper_out, 'breaks.bumper_out') }
}

/** Why a break is here: inside the current programme, or after content between programmes. */
function breakWhy (f: SegmentFill): string {
  const current = f.current
  const chapters = f.breaks!.at === 'chapters'
  if (current !== null && current.inMs > 0) return `break ${spokenLength(current.inMs)} into "${current.choice.entry.item.title}"${chapters ? ' at a chapter mark' : ''}`
  // Said where chapters were asked for and the programme before had none to break at: why it aired whole.
  const last = f.lastAired
  const unsplit = chapters && last !== null && chapterBreaks(f.breaks!, last).length === 0 ? ` ("${last.item.title}" has no chapter mark to break at)` : ''
  return `break between programmes after ${spokenLength(f.since)} of content${unsplit}`
}

/** A part of the current item, its reason saying why it was chosen, pushed, continued or cut. */
function emitPart (f: SegmentFill, airing: Airing, start: number, end: number, cutWhy: string | null): void {
  const { choice } = airing
  const reasons = [choice.reason]
  if (airing.pushedBy !== null) reasons.push(airing.pushedBy)
  if (airing.inMs > 0) reasons.push(`continued after a break at ${spokenLength(airing.inMs)}`)
  if (cutWhy !== null) reasons.push(cutWhy)
  f.lastProgramme = airing.programmeId
  f.lastAired = choice.entry
  push(f, 'item', choice.entry, { start, end, guideId: airing.guideId, inMs: airing.inMs, programmeId: airing.programmeId }, reasons.join('; '), f.segment.block.guide ?? null, { episode_num: choice.episodeNum })
  f.ctx.stats.minutes_filled += (end - start) / MINUTE_MS
}
