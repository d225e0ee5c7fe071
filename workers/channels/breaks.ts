import { DEFAULT_BREAK_MIN_GAP_MINUTES, DEFAULT_BREAK_PLACE, type BREAK_PLACES } from '../../contract/limits.js'
import type { Entry } from '../orders/index.js'
import type { Block } from './types.js'

// Breaks belong to programmes (SPEC §15). `within` (the default): inside a programme a break
// falls at every `every_minutes` of it, counted from its own start, never in its first or last
// `min_gap_minutes`; between programmes, a break follows once `every_minutes` of content ran
// since the last break (so a programme shorter than the interval gets its break after it,
// never inside). `between`: only the second rule. `chapters`: inside a programme at its
// media's chapter marks (SPEC §16) instead of at multiples of the interval, with
// `every_minutes` the least content between two breaks: a mark closer than that to the
// programme's start or to the mark taken before it is skipped, as is a mark in the first or
// last `min_gap_minutes`; between programmes as `within` (an item without chapter marks is
// never split, as with `between`).
// A break's clips: one bumper_in, its fillers, one bumper_out, all inside max_seconds; no clip
// twice in one break, none from the break before while the source has another that fits.

const MINUTE_MS = 60_000

export type BreakPlace = typeof BREAK_PLACES[number]

export interface BreakRule {
  /** content between breaks (chapters: the least) */
  everyMs: number
  /** no break this close to a programme's start or end */
  gapMs: number
  /** one break's most, bumpers included */
  maxMs: number
  /** where breaks fall inside programmes: every interval, at chapter marks, or nowhere (between) */
  at: BreakPlace
}

/** A block's break rule, or null when it has no breaks. */
export function breakRule (breaks: Block['breaks']): BreakRule | null {
  if (breaks == null) return null
  return {
    everyMs: breaks.every_minutes * MINUTE_MS,
    gapMs: (breaks.min_gap_minutes ?? DEFAULT_BREAK_MIN_GAP_MINUTES) * MINUTE_MS,
    maxMs: breaks.max_seconds * 1000,
    at: breaks.at ?? DEFAULT_BREAK_PLACE
  }
}

/** The first and last multiple of the interval where a programme of `lengthMs` may break (k·every, k ≥ 1, gap ≤ k·every ≤ length − gap, before its end). */
function insideRange (rule: BreakRule, lengthMs: number): [number, number] {
  const { everyMs, gapMs } = rule
  const first = Math.max(1, Math.ceil(gapMs / everyMs))
  const last = gapMs > 0 ? Math.floor((lengthMs - gapMs) / everyMs) : Math.ceil(lengthMs / everyMs) - 1
  return [first, last]
}

/**
 * Where an entry's chapter marks break it (ms into it, ascending): each whole-ms mark inside
 * it, outside its first and last `gapMs`, at least `everyMs` after its start or the mark taken
 * before it. None for an entry without marks.
 */
export function chapterBreaks (rule: BreakRule, entry: Entry): number[] {
  const marks = entry.item.chapters
  if (marks === undefined || marks.length === 0) return []
  const { everyMs, gapMs } = rule
  const length = entry.ms
  const points: number[] = []
  let last = 0
  for (const mark of marks.map(Math.round).sort((a, b) => a - b)) {
    if (!(mark > 0 && mark < length) || mark < gapMs || length - mark < gapMs || mark - last < everyMs) continue
    points.push(mark)
    last = mark
  }
  return points
}

/** How far into `entry` (a programme) its next break falls after `inMs` of it aired; null when no break is left inside it. */
export function nextBreakInside (rule: BreakRule | null, entry: Entry, inMs: number): number | null {
  if (rule === null || rule.at === 'between') return null
  if (rule.at === 'chapters') return chapterBreaks(rule, entry).find((at) => at > inMs) ?? null
  const [first, last] = insideRange(rule, entry.ms)
  const k = Math.max(first, Math.floor(inMs / rule.everyMs) + 1)
  return k <= last ? k * rule.everyMs : null
}

/** How many breaks `entry` (a programme) has inside it. */
export function breaksInside (rule: BreakRule | null, entry: Entry): number {
  if (rule === null || rule.at === 'between') return 0
  if (rule.at === 'chapters') return chapterBreaks(rule, entry).length
  const [first, last] = insideRange(rule, entry.ms)
  return Math.max(0, last - first + 1)
}

/** A break is due between programmes once the interval's content ran since the last one. */
export const breakDueAfter = (rule: BreakRule | null, sinceMs: number): boolean => rule !== null && sinceMs >= rule.everyMs

/** What a break's clips come from: its fillers, and the optional bumpers around them. */
export interface ClipSource {
  /** the least recent entry `fits` accepts, without airing it */
  peek: (t: number, fits: (e: Entry) => boolean) => Entry | null
  aired: (entry: Entry, t: number) => void
}

export interface BreakSources<S extends ClipSource = ClipSource> {
  clips: S
  bumperIn: S | null
  bumperOut: S | null
}

export type BreakClipRole = 'bumper_in' | 'clip' | 'bumper_out'
export interface BreakClip<S extends ClipSource = ClipSource> { entry: Entry, source: S, role: BreakClipRole }

/** The clips of each source's last break: the next one avoids them while others fit. */
const lastBreak = new WeakMap<ClipSource, ReadonlySet<string>>()

/**
 * The clips of a break at `t` of at most `budgetMs`, in airing order, marked aired: bumper_in,
 * fillers, bumper_out. Bumpers count in the budget; when they leave no room for a filler the
 * break airs its fillers alone; with no filler that fits there is no break (empty list).
 */
export function chooseBreak<S extends ClipSource> (sources: BreakSources<S>, t: number, budgetMs: number): Array<BreakClip<S>> {
  let clips = pickBreak(sources, t, budgetMs, true)
  if (!clips.some((c) => c.role === 'clip')) clips = pickBreak(sources, t, budgetMs, false)
  if (!clips.some((c) => c.role === 'clip')) return []
  let at = t
  for (const c of clips) { c.source.aired(c.entry, at); at += c.entry.ms }
  lastBreak.set(sources.clips, new Set(clips.filter((c) => c.role === 'clip').map((c) => c.entry.key)))
  return clips
}

function pickBreak<S extends ClipSource> ({ clips, bumperIn, bumperOut }: BreakSources<S>, t: number, budgetMs: number, bumpers: boolean): Array<BreakClip<S>> {
  let room = budgetMs
  const bumper = (source: S | null, role: BreakClipRole): BreakClip<S> | null => {
    const entry = bumpers && source !== null ? source.peek(t, (e) => e.ms <= room) : null
    if (entry === null) return null
    room -= entry.ms
    return { entry, source: source!, role }
  }
  const opening = bumper(bumperIn, 'bumper_in')
  const closing = bumper(bumperOut, 'bumper_out')
  // A bumper clip never airs again as a filler of the same break.
  const used = new Set([opening, closing].flatMap((b) => b === null ? [] : [b.entry.key]))
  const before = lastBreak.get(clips) ?? new Set<string>()
  const chosen: Array<BreakClip<S>> = []
  for (;;) {
    const fits = (e: Entry): boolean => e.ms <= room && !used.has(e.key)
    const entry = clips.peek(t, (e) => fits(e) && !before.has(e.key)) ?? clips.peek(t, fits)
    if (entry === null) break
    used.add(entry.key)
    room -= entry.ms
    chosen.push({ entry, source: clips, role: 'clip' })
  }
  return [...(opening === null ? [] : [opening]), ...chosen, ...(closing === null ? [] : [closing])]
}
