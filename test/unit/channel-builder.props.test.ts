import t from 'tap'
import fc from 'fast-check'
import { buildChannel } from '../../workers/channels/build.js'
import { planSegments } from '../../workers/channels/plan.js'
import { WEEKDAYS, addDays } from '../../workers/channels/wall-time.js'
import type { Block, BuildInput, BuiltEvent, KeptEvent, SourceItem } from '../../workers/channels/types.js'

// For random templates and ranges (SPEC §11): no overlap; every block's events inside the
// block instance (a cut only at its end, pad's last filler ending exactly there, never
// beyond); breaks no longer than asked; the same input gives the same events. FUZZ_RUNS runs
// per property (default small: `npm test` stays fast).

const RUNS = Number(process.env.FUZZ_RUNS ?? 15)
const ZONES = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'UTC']
const WEEK_MIN = 7 * 24 * 60

const wall = (minuteOfDay: number): string => `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`

const sourceArbitrary = (prefix: string, min: number, max: number): fc.Arbitrary<SourceItem[]> =>
  fc.array(fc.integer({ min, max }), { minLength: 1, maxLength: 12 }).map((lengths) => lengths.map((duration, i) => ({
    url: `https://cdn.example/${prefix}/${i}.mp4`, title: `${prefix} ${i}`, duration, category: null, weight: 1 + (i % 3)
  })))

// Non-overlapping weekly blocks: sorted cut points on the circular week (minutes from Monday 00:00), every other gap a block.
const blocksArbitrary = fc.uniqueArray(fc.integer({ min: 0, max: WEEK_MIN / 15 - 1 }), { minLength: 2, maxLength: 12 })
  .chain((cuts) => {
    const sorted = cuts.map((c) => c * 15).sort((a, b) => a - b)
    const spans: Array<[number, number]> = []
    for (let i = 0; i + 1 < sorted.length; i += 2) spans.push([sorted[i], sorted[i + 1]])
    // A block is under 24 h and lives on one weekday (its start's).
    const usable = spans.map(([s, e]): [number, number] => [s, Math.min(e, s + 24 * 60 - 15)])
    return fc.tuple(...usable.map(([s, e]) => fc.record({
      order: fc.constantFrom('shuffle', 'sequential', 'random') as fc.Arbitrary<Block['order']>,
      fill: fc.constantFrom('pad', 'gap', 'cut') as fc.Arbitrary<Block['fill']>,
      breaks: fc.option(fc.record({ every_minutes: fc.integer({ min: 5, max: 60 }), max_seconds: fc.integer({ min: 10, max: 300 }), filler: fc.constant('breaks') }), { nil: null }),
      cooldown_hours: fc.integer({ min: 0, max: 72 })
    }).map((r): Block => ({
      id: `b${s}`,
      days: [WEEKDAYS[Math.floor(s / 1440)]],
      start: wall(s % 1440),
      end: wall(e % 1440),
      source: { playlist: 'main' },
      filler: 'pad',
      ...r
    }))))
  })

const caseArbitrary = fc.record({
  zone: fc.constantFrom(...ZONES),
  blocks: blocksArbitrary,
  main: sourceArbitrary('Item', 30, 3 * 3600).map((items) => items.map((item, i) => i === 0 ? { ...item, duration: Math.max(item.duration!, 600) } : item)),
  pad: sourceArbitrary('Pad', 30, 600),
  breaks: sourceArbitrary('Ident', 5, 120),
  // Weeks around the clock changes of the zones above.
  from: fc.constantFrom('2026-03-05', '2026-03-26', '2026-04-01', '2026-09-03', '2026-10-01', '2026-10-22', '2026-11-01'),
  days: fc.integer({ min: 1, max: 14 }),
  // Stored events kept as they are (pinned, frozen): minutes from the window's first UTC midnight, and lengths.
  kept: fc.array(fc.tuple(fc.integer({ min: 0, max: 14 * 1440 }), fc.integer({ min: 1, max: 180 })), { maxLength: 4 }),
  seed: fc.string({ maxLength: 6 })
})

type Case = typeof caseArbitrary extends fc.Arbitrary<infer C> ? C : never

/** The kept events, made not to overlap each other. */
function keptOf (c: Case): KeptEvent[] {
  const base = Date.parse(`${c.from}T00:00:00Z`)
  const kept: KeptEvent[] = []
  for (const [at, minutes] of [...c.kept].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(base + at * 60_000, kept.at(-1)?.end ?? -Infinity)
    kept.push({ id: `k${kept.length}`, title: `Kept ${kept.length}`, start, end: start + minutes * 60_000, video_url: null, kept: 'pinned' })
  }
  return kept
}

function inputOf (c: Case): BuildInput {
  return {
    channel: { id: 'ch', timezone: c.zone, default_filler: 'pad' },
    template: { cooldown_hours: 24, blocks: c.blocks },
    overrides: [],
    from: c.from,
    to: addDays(c.from, c.days - 1),
    seed: c.seed,
    now: 0,
    freezeMs: 0,
    buildId: 'p',
    sources: new Map([['playlist:main', c.main], ['playlist:pad', c.pad], ['playlist:breaks', c.breaks]]),
    kept: keptOf(c),
    plays: new Map(),
    sequential: new Map()
  }
}

t.test('random templates and kept events: no overlap, every event inside its block instance, pad ends at the block end, breaks within their length', async (t) => {
  let refused = 0
  fc.assert(fc.property(caseArbitrary, (c) => {
    const input = inputOf(c)
    let events: BuiltEvent[]
    try {
      events = buildChannel(input).events
    } catch (e) {
      // Refusing a build that could make too many events (items of seconds over two weeks) is the documented answer.
      if ((e as { code?: string }).code === 'BUILD_TOO_LARGE') { refused++; return true }
      throw e
    }
    for (let i = 1; i < events.length; i++) if (events[i].start < events[i - 1].end) throw new Error(`overlap at ${new Date(events[i].start).toISOString()}`)
    for (const k of input.kept) if (events.some((e) => e.start < k.end && k.start < e.end)) throw new Error(`an event over kept "${k.title}"`)
    // A programme is one stretch: its segments back to back, one media's parts in order, pad last.
    const programmes = new Map<string, BuiltEvent[]>()
    for (const e of events) programmes.get(e.programme_id)?.push(e) ?? programmes.set(e.programme_id, [e])
    for (const [id, list] of programmes) {
      if (list.some((e, i) => i > 0 && e.start !== list[i - 1].end)) throw new Error(`programme ${id} has a gap or another event inside it`)
      const parts = list.filter((e) => e.origin.kind === 'item')
      if (new Set(parts.map((e) => e.video_key)).size > 1 || parts.some((e, i) => i > 0 && e.in_ms !== parts[i - 1].in_ms + parts[i - 1].end - parts[i - 1].start)) throw new Error(`programme ${id} airs more than one airing`)
      const firstPad = list.findIndex((e) => e.segment_role === 'pad')
      if (firstPad >= 0 && list.slice(firstPad).some((e) => e.segment_role !== 'pad')) throw new Error(`programme ${id}: something after its pad`)
    }
    const { segments } = planSegments(c.blocks, [], input.from, input.to, c.zone)
    const byBlock = new Map<string, BuiltEvent[]>()
    for (const e of events) if (e.origin.block !== undefined) byBlock.get(e.origin.block)?.push(e) ?? byBlock.set(e.origin.block, [e])
    for (const segment of segments) {
      const mine = (byBlock.get(segment.block.id) ?? []).filter((e) => e.start >= segment.start && e.start < segment.end)
      for (const e of mine) if (e.end > segment.end || e.end <= e.start) throw new Error(`${segment.block.id}: event past its block end`)
      const pads = mine.filter((e) => e.origin.kind === 'filler')
      const last = Math.max(...mine.map((e) => e.end))
      // Pad fills up to the block end, or up to a kept event the block runs into (what is after it past the window is the next build's).
      if (segment.block.fill === 'pad' && pads.length > 0 && last !== segment.end && !input.kept.some((k) => k.start === last)) throw new Error(`${segment.block.id}: pad does not end at the block end`)
      const breaks = segment.block.breaks
      let run = 0
      for (const e of mine) {
        if (e.origin.kind === 'break') run += e.end - e.start
        else run = 0
        if (breaks != null && run > breaks.max_seconds * 1000) throw new Error(`${segment.block.id}: a break over ${breaks.max_seconds} s`)
      }
    }
    const again = buildChannel(inputOf(c)).events
    if (JSON.stringify(again) !== JSON.stringify(events)) throw new Error('not deterministic')
    return true
  }), { numRuns: RUNS })
  t.ok(refused < RUNS / 2 + 1, `${RUNS} random builds, ${refused} refused as too large`)
})
