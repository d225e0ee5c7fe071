import { CommandError } from '../../contract/command-error.js'
import { wallClock, spokenLength } from '../autofill/clock.js'
import { videoKey } from '../schedule/checks/cooldown.js'
import { emptyStretches, freeIntervals, planObstacles, planSegments, type FixedPlacement, type FreeInterval, type Obstacle, type Segment } from './plan.js'
import { orderOf, PlayLog, pickerFor, type Entry, type Picker } from '../orders/index.js'
import type { SeriesHooks } from '../orders/types.js'
import { FillerSource, fillSegment, type FillContext } from './fill-segment.js'
import { SourceBook, shortest, sourceKey } from './sources.js'
import { fillerSource } from './source-kinds/index.js'
import { leftToFiller } from './left-to-filler.js'
import { BestFit } from './best-fit.js'
import { keptAirings } from './series.js'
import { daysBetween, type LocalDay } from './wall-time.js'
import { DEFAULT_AT_END, DEFAULT_BLOCK_FILL, MAX_BUILD_DAYS } from '../../contract/limits.js'
import { itemCooldownHours } from './cooldown-policy.js'
import type { Block, BuildInput, BuildResult, BuildStats, BuildWarning, BuiltEvent, Override, SequentialState } from './types.js'

// A channel build (SPEC §11), pure: the same input gives the same events. It never reads a
// clock (`now` is an input) nor the store (the command gathers plays, kept events and the
// sequential state first). Its phases, in buildChannel's order: the guards (the window's
// length, then the most events it could make, before any is built), the fixed events of the
// overrides, then every block instance (its segment) and every empty stretch in time order,
// so the cooldown and the sequential order flow forward through the window; last the checks
// and totals.

/** The most events one build may produce: it bounds its memory, its answer and the write that stores it. */
export const MAX_BUILD_EVENTS = 100_000
/** The most warnings an answer lists (warnings_total counts them all). */
export const MAX_WARNINGS = 200

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

/** The sequential state after a build's events: per block, its last item (what the store reads from stored events). */
export function sequentialStateAfter (events: BuiltEvent[]): Map<string, SequentialState> {
  const state = new Map<string, SequentialState>()
  for (const e of events) {
    if (e.origin.kind !== 'item' || e.origin.block === undefined || e.origin_source === null || e.origin_position === null) continue
    state.set(e.origin.block, { key: e.video_key, position: e.origin_position, source: e.origin_source })
  }
  return state
}

/**
 * Programme n of a build: the build's id (a UUID) with its last group replaced by n, so a
 * programme id is UUID-shaped like every record id, unique across builds, and the same
 * input still gives the same events.
 */
export const programmeId = (buildId: string, n: number): string => `${buildId.slice(0, 23)}-${n.toString(16).padStart(12, '0')}`

const emptyStats = (): BuildStats => ({
  events: 0,
  blocks: 0,
  minutes_filled: 0,
  minutes_padded: 0,
  minutes_breaks: 0,
  minutes_default: 0,
  minutes_empty: 0,
  cooldown_overrides: 0,
  items_cut: 0,
  items_pushed: 0,
  kept_frozen: 0,
  kept_pinned: 0,
  kept_placed: 0,
  items_assumed: 0
})

/** The warnings an answer lists (the first MAX_WARNINGS) and how many there were. */
interface Said { warnings: BuildWarning[], total: number }

/** What the phases of one build share: its input and plan, what it has made so far, and the pickers and fillers, made once each. */
interface Run {
  input: BuildInput
  days: LocalDay[]
  segments: Segment[]
  obstacles: Obstacle[]
  fixed: FixedPlacement[]
  /** the times no block instance, kept or fixed event covers */
  stretches: FreeInterval[]
  windowStart: number
  windowEnd: number
  events: BuiltEvent[]
  said: Said
  /** what fillSegment is given: the counters, emit, warn, the clock and the fillers */
  ctx: FillContext
  sources: SourceBook
  plays: PlayLog
  pickers: Map<string, Picker | null>
  /** before_fixed "best_fit" per block, made when first asked (null: the block never takes one) */
  bestFits: Map<string, BestFit | null>
  fillers: Map<string, FillerSource | null>
  defaultFiller: FillerSource | null
  /** the dates already warned of a stretch with no default filler */
  dayWarned: Set<string>
}

export function buildChannel (input: BuildInput): BuildResult {
  checkSpan(input)
  const run = plan(input)
  checkSize(run)
  for (const placement of run.fixed) airFixed(run, placement)
  for (const w of workInTimeOrder(run)) {
    if ('segment' in w) fillSegment(w.segment, w.free, pickerOf(run, w.segment), sourceKey(w.segment.block.source), run.ctx)
    else airStretch(run, w.stretch)
  }
  return finish(run)
}

/** Guard: a build covers 1 to MAX_BUILD_DAYS local days. */
function checkSpan ({ from, to }: BuildInput): void {
  const span = daysBetween(from, to)
  if (span < 0 || span >= MAX_BUILD_DAYS) {
    throw new CommandError('VALIDATION_FAILED', `a build covers 1 to ${MAX_BUILD_DAYS} days; ${from}…${to} is ${span + 1}`, [{ field: span < 0 ? 'to' : 'from', message: `from ${from} to ${to} is ${span + 1} days` }])
  }
}

/** The block instances and obstacles of the window, and the run every later phase shares. */
function plan (input: BuildInput): Run {
  const zone = input.channel.timezone
  const { days, segments, displaced } = planSegments(input.template.blocks, input.overrides, input.from, input.to, zone)
  const windowStart = days[0].start
  const windowEnd = days[days.length - 1].end
  const { obstacles, fixed, warnings: planWarnings } = planObstacles(input.kept, input.overrides, windowStart, windowEnd)
  const fullClock = wallClock(zone)
  const events: BuiltEvent[] = []
  const said: Said = { warnings: [], total: 0 }
  const warn = (w: BuildWarning): void => { if (said.total++ < MAX_WARNINGS) said.warnings.push(w) }
  let guideCount = 0
  let programmeCount = 0
  const ctx: FillContext = {
    buildId: input.buildId,
    stats: emptyStats(),
    warn,
    emit: (e) => { emit(events, e); if (isAssumed(run, e)) ctx.stats.items_assumed++ },
    newGuideId: () => `${input.buildId}:${guideCount++}`,
    newProgrammeId: () => programmeId(input.buildId, programmeCount++),
    clock: (ms) => fullClock(ms).slice(11, 16),
    filler: (playlistId, role, segment) => fillerOf(run, playlistId, role, segment),
    defaultFiller: input.channel.default_filler,
    bestFit: (segment, t, room, fits, before) => bestFitOf(run, segment)?.choose(t, room, fits, before) ?? null
  }
  const run: Run = {
    input,
    days,
    segments,
    obstacles,
    fixed,
    stretches: emptyStretches(windowStart, windowEnd, segments, obstacles),
    windowStart,
    windowEnd,
    events,
    said,
    ctx,
    sources: new SourceBook(input.sources, warn),
    plays: new PlayLog(input.plays),
    pickers: new Map(),
    bestFits: new Map(),
    fillers: new Map(),
    defaultFiller: null,
    dayWarned: new Set()
  }
  planWarnings.forEach(warn)
  leftToFiller(run.stretches, displaced, days, ctx.clock, input.channel.default_filler !== null).forEach(warn)
  return run
}

/**
 * Guard, before any event is built: each segment holds at most its length over its shortest
 * item (or filler), plus its breaks; each empty stretch its length over the default filler's shortest.
 */
function checkSize (run: Run): void {
  const { sources, input } = run
  let most = 0
  for (const s of run.segments) {
    const len = s.end - s.start
    const owner = `block "${s.block.id}"`
    const content = Math.min(shortest(sources.of(s.block, owner)), (s.block.fill ?? DEFAULT_BLOCK_FILL) === 'pad' ? shortest(sources.filler(s.block.filler ?? input.channel.default_filler, owner)) : Infinity)
    most += Number.isFinite(content) ? Math.ceil(len / content) : 0
    const breaks = s.block.breaks
    if (breaks != null) {
      // Every break follows at least every_minutes of content (breaks.ts); each is its fillers and up to two bumpers.
      const bumpers = [breaks.bumper_in, breaks.bumper_out].filter((id) => id != null).length
      const perBreak = Math.floor(breaks.max_seconds * 1000 / shortest(sources.filler(breaks.filler, owner))) + bumpers
      most += (Math.floor(len / (breaks.every_minutes * MINUTE_MS)) + 1) * (perBreak + 1)
    }
  }
  const defaultShortest = shortest(sources.filler(input.channel.default_filler, 'the channel\'s default_filler'))
  if (Number.isFinite(defaultShortest)) for (const s of run.stretches) most += Math.ceil((s.end - s.start) / defaultShortest)
  if (most > MAX_BUILD_EVENTS) {
    const days = daysBetween(input.from, input.to) + 1
    throw new CommandError('BUILD_TOO_LARGE', `this build could produce ${most.toLocaleString('en-US')} events; one build may produce at most ${MAX_BUILD_EVENTS.toLocaleString('en-US')}: build fewer days, or use longer items or breaks`,
      [{ field: 'to', message: `${days} days could produce ${most.toLocaleString('en-US')} events, over the limit of ${MAX_BUILD_EVENTS.toLocaleString('en-US')}` }])
  }
}

/** Every event goes out through here: the size guard's estimate is checked as it is reached. */
function emit (events: BuiltEvent[], e: BuiltEvent): void {
  if (events.length >= MAX_BUILD_EVENTS) throw new CommandError('BUILD_TOO_LARGE', `this build produces more than ${MAX_BUILD_EVENTS.toLocaleString('en-US')} events: build fewer days`, [{ field: 'to', message: 'too many events' }])
  events.push(e)
}

/** An item's airing (its first part) whose length is its block's assume_seconds (SPEC §16). */
const isAssumed = (run: Run, e: BuiltEvent): boolean =>
  e.origin.kind === 'item' && e.in_ms === 0 && run.sources.assumed.has(`${e.origin_source ?? ''}\n${e.video_key}`)

/** An override's fixed event, as it is: it wins over any block (planObstacles made room). */
function airFixed (run: Run, { event, override }: FixedPlacement): void {
  run.ctx.emit({
    title: event.title,
    start: event.start,
    end: event.end,
    video_url: event.video_url,
    video_key: videoKey(event),
    category: event.category,
    description: event.description,
    icon: null,
    origin: { kind: 'fixed', override: override.id },
    origin_source: null,
    origin_position: null,
    reason: `fixed: override "${override.name}"`,
    guide_id: run.ctx.newGuideId(),
    guide_title: null,
    in_ms: 0,
    episode_num: null,
    build_id: run.input.buildId,
    programme_id: run.ctx.newProgrammeId(),
    segment_role: 'part',
    guide_mode: null
  })
}

/** A block's picker and fillers are one per block of the template, and per override for an override's blocks. */
const blockKey = (s: Segment): string => s.override === null ? s.block.id : `${s.override.id}/${s.block.id}`

/** The filler source of a block's `role` (its pad filler, its breaks), made once per block; null when it has none. */
function fillerOf (run: Run, playlistId: string | null | undefined, role: string, segment: Segment): FillerSource | null {
  const key = `${blockKey(segment)}:${role}`
  if (run.fillers.has(key)) return run.fillers.get(key)!
  const found = run.sources.filler(playlistId, `block "${segment.block.id}" ${role}`)
  if (found === null && role === 'breaks.filler') run.ctx.warn({ code: 'BREAK_FILLER_EMPTY', block: segment.block.id, message: `block "${segment.block.id}" has no break fillers: its breaks stay empty` })
  const source = found === null ? null : new FillerSource(found, `${run.input.seed}:${key}`, sourceKey(fillerSource(playlistId!)), run.input.playlistGuides?.get(playlistId!) ?? null)
  run.fillers.set(key, source)
  return source
}

/**
 * The key of a block's picker: its blockKey; a sequential block's series is one per block id
 * and source, so an override's block of that id and source goes on with the template's.
 */
const pickerKey = (s: Segment): string => s.block.order === 'sequential' && !('item' in s.block.source) ? `series:${s.block.id}:${sourceKey(s.block.source)}` : blockKey(s)

/** A block's picker, made by its order once for the whole build; null when its source has no items. */
function pickerOf (run: Run, s: Segment): Picker | null {
  const key = pickerKey(s)
  if (run.pickers.has(key)) return run.pickers.get(key)!
  const { block } = s
  const { input } = run
  const found = run.sources.of(block, `block "${block.id}"`)
  const cooldownOf = blockCooldowns(input, block)
  const cooldownMs = strictestCooldownMs(cooldownOf, found)
  const source = sourceKey(block.source)
  const picker = found === null
    ? null
    : pickerFor(block, found, {
      seed: `${input.seed}:${blockKey(s)}`,
      plays: run.plays,
      start: run.windowStart,
      cooldownMs,
      cooldownOf,
      source,
      state: input.sequential.get(block.id),
      kept: block.order === 'sequential' ? keptAirings(input.kept, block.id) : [],
      atEnd: block.at_end ?? DEFAULT_AT_END,
      series: seriesHooks(run, block)
    })
  if (found !== null) sourceTooSmall(run, block, s.override, found, cooldownMs)
  run.pickers.set(key, picker)
  return picker
}

/** A block's best fit before fixed events (best-fit.ts): none for a sequential block or one of a fixed item, whose order is the point. */
function bestFitOf (run: Run, s: Segment): BestFit | null {
  const key = blockKey(s)
  if (run.bestFits.has(key)) return run.bestFits.get(key)!
  const { block } = s
  const found = 'item' in block.source || !orderOf(block).keepsCooldown ? null : run.sources.of(block, `block "${block.id}"`)
  const fit = found === null ? null : new BestFit(found, run.plays, strictestCooldownMs(blockCooldowns(run.input, block), found))
  run.bestFits.set(key, fit)
  return fit
}

/** Each item's cooldown in a block (ms), resolved as SPEC §15 says: block > playlist > template by category > template. */
function blockCooldowns (input: BuildInput, block: Block): (entry: Entry | null) => number {
  const facts = { template: input.template, playlists: input.playlistCooldowns ?? new Map<string, number>() }
  const playlist = 'playlist' in block.source ? block.source.playlist : null
  return (entry) => itemCooldownHours(facts, block, playlist, entry?.item.category ?? null) * HOUR_MS
}

/** The strictest of the block's items: what its warnings and one-cooldown orders go by. */
const strictestCooldownMs = (cooldownOf: (entry: Entry | null) => number, found: Entry[] | null): number =>
  found === null || found.length === 0 ? cooldownOf(null) : found.reduce((most, e) => Math.max(most, cooldownOf(e)), 0)

/** What a sequential block says: its series starts again (its last aired item is gone), or wraps, once per build. */
function seriesHooks (run: Run, block: Block): SeriesHooks {
  const { ctx } = run
  return {
    restarted: (last) => ctx.warn({ code: 'SEQUENTIAL_RESTARTED', block: block.id, message: `block "${block.id}" starts its series again from the first item: its last aired item "${last}" is no longer in the playlist` }),
    wrapped: (last, t) => {
      const date = run.days.find((d) => d.start <= t && t < d.end)?.date
      ctx.warn({ code: 'SERIES_WRAPPED', block: block.id, ...(date !== undefined && { date }), message: `block "${block.id}" airs its series again from the first item after its last, "${last}", at ${ctx.clock(t)}${date === undefined ? '' : ` on ${date}`} (at_end loop; "stop" or "repeat_last" to do otherwise)` })
    }
  }
}

/** Said up front: a source whose items, once each, run shorter than the block's airtime inside one cooldown. */
function sourceTooSmall (run: Run, block: Block, override: Override | null, found: Entry[], cooldownMs: number): void {
  if ('item' in block.source || !orderOf(block).keepsCooldown || cooldownMs <= 0) return
  const horizon = Math.min(run.windowEnd, run.windowStart + cooldownMs)
  let airtime = 0
  for (const s of run.segments) {
    if (s.block === block && s.override === override) airtime += Math.max(0, Math.min(s.end, horizon) - Math.max(s.start, run.windowStart))
  }
  const total = found.reduce((sum, e) => sum + e.ms, 0)
  if (total < airtime) {
    run.ctx.warn({ code: 'SOURCE_TOO_SMALL', block: block.id, message: `block "${block.id}" airs ${spokenLength(airtime)} within its ${spokenLength(cooldownMs)} cooldown, but its ${found.length} items run ${spokenLength(total)} in all: some will air inside their cooldown` })
  }
}

type Work = { at: number, segment: Segment, free: FreeInterval[] } | { at: number, stretch: FreeInterval }

/** Block instances (each with its free intervals: the block minus kept and fixed events) and empty stretches, in time order. */
function workInTimeOrder (run: Run): Work[] {
  const work: Work[] = []
  for (const segment of run.segments) {
    const free = freeIntervals(segment.start, segment.end, run.obstacles).filter((f) => f.start < run.windowEnd)
    if (free.length > 0) work.push({ at: free[0].start, segment, free })
    run.ctx.stats.blocks++
  }
  for (const stretch of run.stretches) work.push({ at: stretch.start, stretch })
  return work.sort((a, b) => a.at - b.at)
}

/**
 * A stretch in no block: the channel's default filler, the last item cut; with none it stays
 * empty, said once a day. The stretch is one filler programme, its clips its parts.
 */
function airStretch (run: Run, { start, end }: FreeInterval): void {
  const { ctx, input } = run
  const entries = run.sources.filler(input.channel.default_filler, 'the channel\'s default_filler')
  if (entries === null) {
    ctx.stats.minutes_empty += (end - start) / MINUTE_MS
    const date = run.days.find((d) => d.start <= start && start < d.end)!.date
    if (!run.dayWarned.has(date)) {
      run.dayWarned.add(date)
      ctx.warn({ code: 'NO_DEFAULT_FILLER', date, message: `${date}: ${spokenLength(end - start)} from ${ctx.clock(start)} is in no block and the channel has no default_filler: nothing airs` })
    }
    return
  }
  const filler = run.defaultFiller ??= new FillerSource(entries, `${input.seed}:default`, sourceKey(fillerSource(input.channel.default_filler!)), input.channel.default_filler_guide ?? null)
  const programme = ctx.newProgrammeId()
  for (let t = start; t < end;) {
    const entry = filler.take(t)!
    const stop = Math.min(end, t + entry.ms)
    ctx.emit({
      title: entry.item.title,
      start: t,
      end: stop,
      video_url: entry.item.url,
      video_key: entry.key,
      category: entry.item.category,
      icon: entry.item.icon ?? null,
      origin: { kind: 'default' },
      origin_source: filler.source,
      origin_position: entry.position,
      reason: stop < t + entry.ms ? 'default filler: no block here, cut to fit' : 'default filler: no block here',
      guide_id: ctx.newGuideId(),
      guide_title: null,
      in_ms: 0,
      episode_num: null,
      build_id: input.buildId,
      programme_id: programme,
      segment_role: 'part',
      guide_mode: filler.guide
    })
    ctx.stats.minutes_default += (stop - t) / MINUTE_MS
    t = stop
  }
}

/** The events in time order, checked never to overlap, and the totals. */
function finish (run: Run): BuildResult {
  const { events } = run
  const { stats } = run.ctx
  events.sort((a, b) => a.start - b.start || a.end - b.end)
  for (let i = 1; i < events.length; i++) {
    // A builder bug, never stored: every event is placed inside a free stretch.
    if (events[i].start < events[i - 1].end) throw new Error(`channel build overlap: "${events[i - 1].title}" and "${events[i].title}" at ${new Date(events[i].start).toISOString()}`)
  }
  for (const k of run.input.kept) if (k.kept !== 'before') stats[`kept_${k.kept}`]++
  stats.events = events.length
  for (const field of ['minutes_filled', 'minutes_padded', 'minutes_breaks', 'minutes_default', 'minutes_empty'] as const) stats[field] = Math.round(stats[field] * 1000) / 1000
  return { events, stats, warnings: run.said.warnings, warnings_total: run.said.total }
}
