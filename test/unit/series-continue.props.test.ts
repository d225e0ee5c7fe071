import t from 'tap'
import fc from 'fast-check'
import { buildChannel } from '../../workers/channels/build.js'
import { addDays, WEEKDAYS } from '../../workers/channels/wall-time.js'
import type { AtEnd, Block, BuildInput, BuildResult, BuiltEvent, KeptEvent, Override, SequentialState, SourceItem } from '../../workers/channels/types.js'

// SPEC §15, on the pure builder: a sequential block's series follows what airs. A channel is
// built, then rebuilt over the same range with another seed, keeping what an operator keeps
// (the events before a freeze horizon, pinned programmes, some moved by hand, an episode added
// by hand) and with overrides added (a block replacing the series on a day, a fixed event).
// In every build, each episode the builder airs is the one after the airing of the series
// before it, kept or built, in time order (wrapping, stopping or repeating per at_end); it
// never restarts. With nothing pinned or added by hand the whole series as aired is
// consecutive. FUZZ_RUNS runs (default small: `npm test` stays fast).

const RUNS = Number(process.env.FUZZ_RUNS ?? 40)
const MIN = 60_000
const HOUR = 60 * MIN
const ZONE = 'Europe/London'
const FROM = '2026-10-19' // a week with the clock change in it

const wall = (minuteOfDay: number): string => `${String(Math.floor(minuteOfDay / 60) % 24).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`

const episodes = (lengths: number[]): SourceItem[] =>
  lengths.map((minutes, i) => ({ url: `https://cdn.example/ep/${i + 1}.mp4`, title: `Harbour Lights E${i + 1}`, duration: minutes * 60, category: 'Series' }))
const clips = (prefix: string, seconds: number[]): SourceItem[] =>
  seconds.map((s, i) => ({ url: `https://cdn.example/${prefix}/${i}.mp4`, title: `${prefix} ${i}`, duration: s, category: null }))

const caseArbitrary = fc.record({
  lengths: fc.array(fc.integer({ min: 10, max: 70 }), { minLength: 1, maxLength: 8 }),
  days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
  start: fc.integer({ min: 16 * 4, max: 20 * 4 }).map((q) => q * 15),
  length: fc.integer({ min: 4, max: 12 }).map((q) => q * 15),
  fill: fc.constantFrom('pad', 'gap', 'cut') as fc.Arbitrary<NonNullable<Block['fill']>>,
  atEnd: fc.constantFrom(undefined, 'loop', 'stop', 'repeat_last') as fc.Arbitrary<AtEnd | undefined>,
  breaks: fc.boolean(),
  span: fc.integer({ min: 2, max: 10 }),
  /** the last episode aired before the window (its index), or none */
  before: fc.option(fc.nat(7), { nil: null }),
  /** hours after the window's start */
  freeze: fc.option(fc.integer({ min: 0, max: 10 * 24 }), { nil: null }),
  /** which airings of the first build are pinned (indices into them, modulo), each moved by some minutes or not */
  pins: fc.array(fc.tuple(fc.nat(100), fc.constantFrom(0, 0, 5, 10, -5)), { maxLength: 4 }),
  /** an episode added by hand: [index, hours after the window's start] */
  handAdd: fc.option(fc.tuple(fc.nat(7), fc.integer({ min: 0, max: 10 * 24 })), { nil: null }),
  /** an override on day n of the range replacing the series' block with films */
  overrideDay: fc.option(fc.nat(9), { nil: null }),
  /** a fixed event: [hours after the window's start, minutes] */
  fixed: fc.option(fc.tuple(fc.integer({ min: 0, max: 10 * 24 }), fc.integer({ min: 10, max: 90 })), { nil: null })
})

type Case = typeof caseArbitrary extends fc.Arbitrary<infer C> ? C : never

function blocksOf (c: Case): Block[] {
  return [
    {
      id: 'series',
      days: c.days,
      start: wall(c.start),
      end: wall(c.start + c.length),
      source: { playlist: 'series' },
      order: 'sequential',
      fill: c.fill,
      filler: 'pad',
      ...(c.atEnd !== undefined && { at_end: c.atEnd }),
      ...(c.breaks && { breaks: { every_minutes: 20, max_seconds: 60, filler: 'idents' } })
    },
    { id: 'films', days: [...WEEKDAYS], start: '12:00', end: '14:00', source: { playlist: 'films' }, order: 'shuffle', fill: 'pad', filler: 'pad' }
  ]
}

function inputOf (c: Case, more: Partial<BuildInput>): BuildInput {
  const series = episodes(c.lengths)
  const sequential = new Map<string, SequentialState>()
  if (c.before !== null) {
    const i = c.before % series.length
    sequential.set('series', { key: `url:${series[i].url!}`, position: i, source: 'playlist:series', title: series[i].title })
  }
  return {
    channel: { id: 'ch', timezone: ZONE, default_filler: 'pad' },
    template: { cooldown_hours: 24, blocks: blocksOf(c) },
    overrides: [],
    from: FROM,
    to: addDays(FROM, c.span - 1),
    seed: 'one',
    now: 0,
    freezeMs: 0,
    buildId: '00000000-0000-4000-8000-000000000001',
    sources: new Map([
      ['playlist:series', series],
      ['playlist:films', clips('Film', [5400, 4800, 6000, 5100])],
      ['playlist:pad', clips('Promo', [300, 420, 600])],
      ['playlist:idents', clips('Ident', [20, 30, 45])]
    ]),
    kept: [],
    plays: new Map(),
    sequential,
    ...more
  }
}

const windowStart = (): number => Date.parse(`${FROM}T00:00:00+01:00`)

/** A built event as the store hands it back to the next build, kept. */
const keptOf = (e: BuiltEvent, kept: KeptEvent['kept'], shift = 0): KeptEvent & { in_ms: number, programme_id: string } => ({
  id: `${e.programme_id}@${e.start}`,
  title: e.title,
  start: e.start + shift,
  end: e.end + shift,
  video_url: e.video_url,
  kept,
  origin: {
    kind: e.origin.kind,
    ...(e.origin.block !== undefined && { block: e.origin.block }),
    ...(e.origin_source !== null && { source: e.origin_source }),
    ...(e.origin_position !== null && { position: e.origin_position })
  },
  video_key: e.video_key,
  in_ms: e.in_ms,
  programme_id: e.programme_id
})

const overlapsAny = (span: { start: number, end: number }, others: KeptEvent[]): boolean => others.some((o) => o.start < span.end && span.start < o.end)

/** What the rebuild keeps of the first build: the programmes before the freeze, pinned ones (moved or not), an episode added by hand. */
function keptFor (c: Case, first: BuiltEvent[]): { kept: Array<KeptEvent & { in_ms: number }>, pinnedOrAdded: boolean } {
  const byProgramme = new Map<string, BuiltEvent[]>()
  for (const e of first) byProgramme.get(e.programme_id)?.push(e) ?? byProgramme.set(e.programme_id, [e])
  const kept: Array<KeptEvent & { in_ms: number }> = []
  const taken = new Set<string>()
  if (c.freeze !== null) {
    const freezeEnd = windowStart() + c.freeze * HOUR
    for (const [id, list] of byProgramme) if (list.some((e) => e.start < freezeEnd)) { taken.add(id); kept.push(...list.map((e) => keptOf(e, 'frozen'))) }
  }
  const airings = first.filter((e) => e.origin.block === 'series' && e.origin.kind === 'item' && e.in_ms === 0)
  let pinnedOrAdded = false
  for (const [n, minutes] of c.pins) {
    if (airings.length === 0) break
    const id = airings[n % airings.length].programme_id
    if (taken.has(id)) continue
    const list = byProgramme.get(id)!
    const shift = list.every((e) => !overlapsAny({ start: e.start + minutes * MIN, end: e.end + minutes * MIN }, kept)) ? minutes * MIN : 0
    if (list.some((e) => overlapsAny({ start: e.start + shift, end: e.end + shift }, kept))) continue
    taken.add(id)
    pinnedOrAdded = true
    kept.push(...list.map((e) => keptOf(e, 'pinned', shift)))
  }
  if (c.handAdd !== null) {
    const [i, hours] = c.handAdd
    const item = episodes(c.lengths)[i % c.lengths.length]
    const start = windowStart() + hours * HOUR
    const span = { start, end: start + item.duration! * 1000 }
    if (!overlapsAny(span, kept)) {
      pinnedOrAdded = true
      kept.push({ id: 'hand', title: item.title, ...span, video_url: item.url, kept: 'pinned', origin: null, in_ms: 0 })
    }
  }
  return { kept: kept.sort((a, b) => a.start - b.start), pinnedOrAdded }
}

function overridesOf (c: Case): Override[] {
  const overrides: Override[] = []
  if (c.overrideDay !== null) {
    const date = addDays(FROM, c.overrideDay % c.span)
    overrides.push({
      id: 'o1',
      seq: 1,
      name: 'Film day',
      from: date,
      to: date,
      days: null,
      replace: 'blocks',
      blocks: [{ id: 'marathon', days: [...WEEKDAYS], start: '15:00', end: '23:30', source: { playlist: 'films' }, order: 'shuffle', fill: 'pad', filler: 'pad' }],
      events: []
    })
  }
  if (c.fixed !== null) {
    const start = windowStart() + c.fixed[0] * HOUR + 20 * MIN
    overrides.push({
      id: 'o2',
      seq: 2,
      name: 'Live',
      from: FROM,
      to: addDays(FROM, c.span - 1),
      days: null,
      replace: 'blocks',
      blocks: [],
      events: [{ title: 'Live match', start, end: start + c.fixed[1] * MIN, video_url: 'rtmp://live.example/match', category: null, description: null }]
    })
  }
  return overrides
}

/** The next episode after index `i` per at_end (null: the series stopped), and whether that wrapped. */
function successor (i: number | null, n: number, atEnd: AtEnd): { next: number | null, wrapped: boolean } {
  if (i === null) return { next: 0, wrapped: false }
  if (i + 1 < n) return { next: i + 1, wrapped: false }
  if (atEnd === 'stop') return { next: null, wrapped: false }
  if (atEnd === 'repeat_last') return { next: i, wrapped: false }
  return { next: 0, wrapped: true }
}

interface Airing { start: number, index: number, built: boolean }

/** The series as it airs: the kept airings (the block's, and hand adds of its episodes) and the built ones, first parts only, in time order. */
function seriesAiring (c: Case, kept: Array<KeptEvent & { in_ms: number }>, result: BuildResult): Airing[] {
  const indexOf = (url: string | null): number => episodes(c.lengths).findIndex((e) => e.url === url)
  const keptAirings = kept.filter((k) => k.in_ms === 0 && (k.origin === null ? indexOf(k.video_url) >= 0 : k.origin?.block === 'series' && k.origin.kind === 'item'))
  const built = result.events.filter((e) => e.origin.block === 'series' && e.origin.kind === 'item' && e.in_ms === 0)
  return [
    ...keptAirings.map((k) => ({ start: k.start, index: indexOf(k.video_url), built: false })),
    ...built.map((e) => ({ start: e.start, index: indexOf(e.video_url), built: true }))
  ].sort((a, b) => a.start - b.start)
}

/** Each built airing is the one after the airing before it; with `whole`, every airing is. Answers whether one wrapped. */
function checkSeries (c: Case, airings: Airing[], whole: boolean): boolean {
  const n = c.lengths.length
  const atEnd = c.atEnd ?? 'loop'
  let previous: number | null = c.before === null ? null : c.before % n
  let wrapped = false
  for (const a of airings) {
    const { next, wrapped: wraps } = successor(previous, n, atEnd)
    if (a.built || whole) {
      if (a.index !== next) throw new Error(`${a.built ? 'built' : 'kept'} E${a.index + 1} at ${new Date(a.start).toISOString()} after E${previous === null ? '–' : previous + 1}: expected ${next === null ? 'nothing (stopped)' : `E${next + 1}`}`)
      if (a.built && wraps) wrapped = true
    }
    previous = a.index
  }
  return wrapped
}

function checkBuild (c: Case, kept: Array<KeptEvent & { in_ms: number }>, result: BuildResult, whole: boolean): void {
  const events = result.events
  for (let i = 1; i < events.length; i++) if (events[i].start < events[i - 1].end) throw new Error(`overlap at ${new Date(events[i].start).toISOString()}`)
  const warnings = result.warnings.filter((w) => w.block === 'series')
  if (warnings.some((w) => w.code === 'SEQUENTIAL_RESTARTED')) throw new Error(`restarted: ${JSON.stringify(warnings)}`)
  const wrapped = checkSeries(c, seriesAiring(c, kept, result), whole)
  const said = warnings.filter((w) => w.code === 'SERIES_WRAPPED').length
  if (said !== (wrapped ? 1 : 0)) throw new Error(`the series ${wrapped ? 'wrapped' : 'did not wrap'}, SERIES_WRAPPED said ${said} times`)
}

t.test('the series as aired follows each airing, kept or built, across a rebuild with freeze, pinned and hand-added episodes and overrides', async (t) => {
  let checked = 0
  fc.assert(fc.property(caseArbitrary, (c) => {
    const first = buildChannel(inputOf(c, {}))
    checkBuild(c, [], first, true)
    const { kept, pinnedOrAdded } = keptFor(c, first.events)
    const second = buildChannel(inputOf(c, { seed: 'two', buildId: '00000000-0000-4000-8000-000000000002', kept, overrides: overridesOf(c) }))
    checkBuild(c, kept, second, !pinnedOrAdded)
    checked++
  }), { numRuns: RUNS })
  t.equal(checked, RUNS, `${RUNS} cases built twice and checked`)
})
