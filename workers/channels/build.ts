import { CommandError } from '../protocol.js'
import { wallClock, spokenLength } from '../autofill/clock.js'
import { videoKey } from '../schedule/checks/cooldown.js'
import { emptyStretches, freeIntervals, planObstacles, planSegments, type FreeInterval, type Segment } from './plan.js'
import { entriesOf, orderOf, PlayLog, pickerFor, type Entry, type Picker } from '../orders/index.js'
import { FillerSource, fillSegment, type FillContext } from './fill-segment.js'
import { daysBetween } from './wall-time.js'
import { MAX_BUILD_DAYS } from '../../contract/limits.js'

export { MAX_BUILD_DAYS }
import { DEFAULT_COOLDOWN_HOURS, type Block, type BlockSource, type BuildInput, type BuildResult, type BuildStats, type BuildWarning, type BuiltEvent, type Override, type SequentialState } from './types.js'

// A channel build (SPEC §11), pure: the same input gives the same events. It never reads a
// clock (`now` is an input) nor the store (the command gathers plays, kept events and the
// sequential state first). Order of work: plan the block instances and the obstacles, air the
// fixed events, then every block instance and every empty stretch in time order, so the
// cooldown and the sequential order flow forward through the window.

/** The most events one build may produce: it bounds its memory, its answer and the write that stores it. */
export const MAX_BUILD_EVENTS = 100_000
/** The most warnings an answer lists (warnings_total counts them all). */
export const MAX_WARNINGS = 200

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

/** Where a block's items come from, as one key: `playlist:<id>`, `playlist:<id>#<group>` or `item:<videoKey>`. */
export function sourceKey (source: BlockSource): string {
  if ('item' in source) return `item:${videoKey({ title: source.item.title, video_url: source.item.url })}`
  return source.group != null && source.group !== '' ? `playlist:${source.playlist}#${source.group}` : `playlist:${source.playlist}`
}

/** The sequential state after a build's events: per block, its last item (what the store reads from stored events). */
export function sequentialStateAfter (events: BuiltEvent[]): Map<string, SequentialState> {
  const state = new Map<string, SequentialState>()
  for (const e of events) {
    if (e.origin.kind !== 'item' || e.origin.block === undefined || e.origin_source === null || e.origin_position === null) continue
    state.set(e.origin.block, { key: e.video_key, position: e.origin_position, source: e.origin_source })
  }
  return state
}

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
  kept_placed: 0
})

const shortestOf = new WeakMap<Entry[], number>()
/** The shortest entry's length (Infinity for none), once per source. */
function shortest (entries: Entry[] | undefined): number {
  if (entries === undefined) return Infinity
  let known = shortestOf.get(entries)
  if (known === undefined) {
    known = Infinity
    for (const e of entries) known = Math.min(known, e.ms)
    shortestOf.set(entries, known)
  }
  return known
}

export function buildChannel (input: BuildInput): BuildResult {
  const zone = input.channel.timezone
  const span = daysBetween(input.from, input.to)
  if (span < 0 || span >= MAX_BUILD_DAYS) {
    throw new CommandError('VALIDATION_FAILED', `a build covers 1 to ${MAX_BUILD_DAYS} days; ${input.from}…${input.to} is ${span + 1}`, [{ field: span < 0 ? 'to' : 'from', message: `from ${input.from} to ${input.to} is ${span + 1} days` }])
  }
  const { days, segments } = planSegments(input.template.blocks, input.overrides, input.from, input.to, zone)
  const windowStart = days[0].start
  const windowEnd = days[days.length - 1].end
  const { obstacles, fixed, warnings: planWarnings } = planObstacles(input.kept, input.overrides, windowStart, windowEnd)

  const stats = emptyStats()
  const warnings: BuildWarning[] = []
  let warningsTotal = 0
  const warn = (w: BuildWarning): void => { if (warningsTotal++ < MAX_WARNINGS) warnings.push(w) }
  planWarnings.forEach(warn)
  const fullClock = wallClock(zone)
  const clock = (ms: number): string => fullClock(ms).slice(11, 16)

  // Each source's entries, read once; a missing or empty one is said once.
  const entries = new Map<string, Entry[] | null>()
  const entriesFor = (key: string, source: BlockSource | null, owner: string): Entry[] | null => {
    if (entries.has(key)) return entries.get(key)!
    let found: Entry[] | null
    if (source !== null && 'item' in source) found = entriesOf([{ url: source.item.url, title: source.item.title, duration: source.item.duration, category: null }])
    else {
      const items = input.sources.get(key)
      if (items === undefined) warn({ code: 'SOURCE_MISSING', block: owner, message: `${key} of ${owner} does not exist (any more): nothing airs from it` })
      else if (items.length === 0) warn({ code: 'EMPTY_SOURCE', block: owner, message: `${key} of ${owner} has no items` })
      found = items === undefined || items.length === 0 ? null : entriesOf(items)
    }
    entries.set(key, found)
    return found
  }
  const playlistEntries = (playlistId: string | null | undefined, owner: string): Entry[] | null =>
    playlistId == null || playlistId === '' ? null : entriesFor(`playlist:${playlistId}`, null, owner)

  // The size guard, before any event is built: each stretch holds at most its length over its shortest item, plus the breaks.
  let most = 0
  const pickerKey = (s: Segment): string => s.override === null ? s.block.id : `${s.override.id}/${s.block.id}`
  for (const s of segments) {
    const len = s.end - s.start
    const content = Math.min(shortest(entriesFor(sourceKey(s.block.source), s.block.source, `block "${s.block.id}"`) ?? undefined),
      (s.block.fill ?? 'pad') === 'pad' ? shortest(playlistEntries(s.block.filler, `block "${s.block.id}"`) ?? undefined) : Infinity)
    most += Number.isFinite(content) ? Math.ceil(len / content) : 0
    const breaks = s.block.breaks
    if (breaks != null) {
      const perBreak = Math.floor(breaks.max_seconds * 1000 / shortest(playlistEntries(breaks.filler, `block "${s.block.id}"`) ?? undefined))
      most += (Math.floor(len / (breaks.every_minutes * MINUTE_MS)) + 1) * (perBreak + 1)
    }
  }
  const defaultEntries = playlistEntries(input.channel.default_filler, 'the channel\'s default_filler')
  const stretches = emptyStretches(windowStart, windowEnd, segments, obstacles)
  const defaultShortest = shortest(defaultEntries ?? undefined)
  if (Number.isFinite(defaultShortest)) for (const s of stretches) most += Math.ceil((s.end - s.start) / defaultShortest)
  if (most > MAX_BUILD_EVENTS) {
    throw new CommandError('BUILD_TOO_LARGE', `this build could produce ${most.toLocaleString('en-US')} events; one build may produce at most ${MAX_BUILD_EVENTS.toLocaleString('en-US')}: build fewer days, or use longer items or breaks`,
      [{ field: 'to', message: `${span + 1} days could produce ${most.toLocaleString('en-US')} events, over the limit of ${MAX_BUILD_EVENTS.toLocaleString('en-US')}` }])
  }

  const events: BuiltEvent[] = []
  let guideCount = 0
  const newGuideId = (): string => `${input.buildId}:${guideCount++}`
  const emit = (e: BuiltEvent): void => {
    if (events.length >= MAX_BUILD_EVENTS) throw new CommandError('BUILD_TOO_LARGE', `this build produces more than ${MAX_BUILD_EVENTS.toLocaleString('en-US')} events: build fewer days`, [{ field: 'to', message: 'too many events' }])
    events.push(e)
  }

  for (const { event, override } of fixed) {
    emit({
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
      guide_id: newGuideId(),
      guide_title: null,
      in_ms: 0,
      episode_num: null,
      build_id: input.buildId
    })
  }

  const plays = new PlayLog(input.plays)
  const pickers = new Map<string, Picker | null>()
  const fillers = new Map<string, FillerSource | null>()
  const ctx: FillContext = {
    buildId: input.buildId,
    stats,
    warn,
    emit,
    newGuideId,
    clock,
    filler: (playlistId, role, segment) => {
      const key = `${pickerKey(segment)}:${role}`
      if (fillers.has(key)) return fillers.get(key)!
      const found = playlistEntries(playlistId, `block "${segment.block.id}" ${role}`)
      if (found === null && role === 'breaks.filler') warn({ code: 'BREAK_FILLER_EMPTY', block: segment.block.id, message: `block "${segment.block.id}" has no break fillers: its breaks stay empty` })
      const source = found === null ? null : new FillerSource(found, `${input.seed}:${key}`, `playlist:${playlistId!}`)
      fillers.set(key, source)
      return source
    }
  }
  const pickerOf = (s: Segment): Picker | null => {
    const key = pickerKey(s)
    if (pickers.has(key)) return pickers.get(key)!
    const block = s.block
    const found = entriesFor(sourceKey(block.source), block.source, `block "${block.id}"`)
    const cooldownMs = (block.cooldown_hours ?? input.template.cooldown_hours ?? DEFAULT_COOLDOWN_HOURS) * HOUR_MS
    const picker = found === null
      ? null
      : pickerFor(block, found, {
        seed: `${input.seed}:${key}`,
        plays,
        start: windowStart,
        cooldownMs,
        source: sourceKey(block.source),
        state: input.sequential.get(block.id),
        onRestart: () => warn({ code: 'SEQUENTIAL_RESTARTED', block: block.id, message: `block "${block.id}" starts its source again from the first item: its source changed since it last aired` })
      })
    if (found !== null) sourceTooSmall(block, s.override, found, cooldownMs)
    pickers.set(key, picker)
    return picker
  }
  /** Said up front: a source whose items, once each, run shorter than the block's airtime inside one cooldown. */
  const sourceTooSmall = (block: Block, override: Override | null, found: Entry[], cooldownMs: number): void => {
    if ('item' in block.source || !orderOf(block).keepsCooldown || cooldownMs <= 0) return
    const horizon = Math.min(windowEnd, windowStart + cooldownMs)
    let airtime = 0
    for (const s of segments) if (s.block === block && s.override === override) airtime += Math.max(0, Math.min(s.end, horizon) - Math.max(s.start, windowStart))
    const total = found.reduce((sum, e) => sum + e.ms, 0)
    if (total < airtime) {
      warn({ code: 'SOURCE_TOO_SMALL', block: block.id, message: `block "${block.id}" airs ${spokenLength(airtime)} within its ${spokenLength(cooldownMs)} cooldown, but its ${found.length} items run ${spokenLength(total)} in all: some will air inside their cooldown` })
    }
  }

  // Block instances and empty stretches in time order.
  type Work = { at: number, segment: Segment, free: FreeInterval[] } | { at: number, stretch: FreeInterval }
  const work: Work[] = []
  for (const segment of segments) {
    const free = freeIntervals(segment.start, segment.end, obstacles).filter((f) => f.start < windowEnd)
    if (free.length > 0) work.push({ at: free[0].start, segment, free })
    stats.blocks++
  }
  for (const stretch of stretches) work.push({ at: stretch.start, stretch })
  work.sort((a, b) => a.at - b.at)

  let defaultFiller: FillerSource | null = null
  const dayWarned = new Set<string>()
  for (const w of work) {
    if ('segment' in w) {
      fillSegment(w.segment, w.free, pickerOf(w.segment), sourceKey(w.segment.block.source), ctx)
      continue
    }
    const { start, end } = w.stretch
    if (defaultEntries === null) {
      stats.minutes_empty += (end - start) / MINUTE_MS
      const date = days.find((d) => d.start <= start && start < d.end)!.date
      if (!dayWarned.has(date)) {
        dayWarned.add(date)
        warn({ code: 'NO_DEFAULT_FILLER', date, message: `${date}: ${spokenLength(end - start)} from ${clock(start)} is in no block and the channel has no default_filler: nothing airs` })
      }
      continue
    }
    defaultFiller ??= new FillerSource(defaultEntries, `${input.seed}:default`, `playlist:${input.channel.default_filler!}`)
    for (let t = start; t < end;) {
      const entry = defaultFiller.take(t)!
      const stop = Math.min(end, t + entry.ms)
      emit({
        title: entry.item.title,
        start: t,
        end: stop,
        video_url: entry.item.url,
        video_key: entry.key,
        category: entry.item.category,
        icon: entry.item.icon ?? null,
        origin: { kind: 'default' },
        origin_source: defaultFiller.source,
        origin_position: entry.position,
        reason: stop < t + entry.ms ? 'default filler: no block here, cut to fit' : 'default filler: no block here',
        guide_id: newGuideId(),
        guide_title: null,
        in_ms: 0,
        episode_num: null,
        build_id: input.buildId
      })
      stats.minutes_default += (stop - t) / MINUTE_MS
      t = stop
    }
  }

  events.sort((a, b) => a.start - b.start || a.end - b.end)
  for (let i = 1; i < events.length; i++) {
    // A builder bug, never stored: every event is placed inside a free stretch.
    if (events[i].start < events[i - 1].end) throw new Error(`channel build overlap: "${events[i - 1].title}" and "${events[i].title}" at ${new Date(events[i].start).toISOString()}`)
  }
  for (const k of input.kept) if (k.kept !== 'before') stats[`kept_${k.kept}`]++
  stats.events = events.length
  for (const field of ['minutes_filled', 'minutes_padded', 'minutes_breaks', 'minutes_default', 'minutes_empty'] as const) stats[field] = Math.round(stats[field] * 1000) / 1000
  return { events, stats, warnings, warnings_total: warningsTotal }
}
