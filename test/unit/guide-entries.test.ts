import t from 'tap'
import fc from 'fast-check'
import { guideEntries, type GuideChannel, type GuideEntry, type GuideSource } from '../../workers/channels/guide.js'
import { MIN_GUIDE_ENTRY_MS } from '../../contract/limits.js'
import type { GuideMode } from '../../contract/programmes.js'

// The guide of SPEC §14 from hand-made events: programmes, not segments; the sources' guide
// modes (own, meld, hide) and their defaults; the long stretch of default filler; and, for
// random timelines, no overlap, no gap where something airs, no entry under a minute unless a
// source asked for own.

const MIN = 60_000
const SEC = 1000
const CHANNEL: GuideChannel = { name: 'Riverside TV', default_filler_guide: null, filler_guide_minutes: 15, filler_title: null }
const RUNS = Number(process.env.FUZZ_RUNS ?? 50)

type Kind = 'item' | 'break' | 'filler' | 'fixed' | 'default'
interface Spec { title: string, ms: number, kind?: Kind | null, programme?: string | null, mode?: GuideMode | null, gapBefore?: number, titled?: string }

/** Events back to back from 0 (a `gapBefore` leaves time with nothing on air). */
function timeline (specs: Spec[]): GuideSource[] {
  let t = 0
  return specs.map((s) => {
    const start = t + (s.gapBefore ?? 0)
    t = start + s.ms
    const kind = s.kind === undefined ? 'item' : s.kind
    return {
      title: s.title,
      start,
      end: t,
      category: null,
      icon: null,
      episode_num: null,
      guide_id: s.titled ?? null,
      guide_title: s.titled === undefined ? null : `Block ${s.titled}`,
      origin: kind === null ? null : { kind },
      programme_id: s.programme === undefined ? `p:${s.title}` : s.programme,
      segment_role: kind === 'break' ? 'break' : kind === 'filler' ? 'pad' : 'part',
      guide_mode: s.mode ?? null
    }
  })
}

const spans = (entries: GuideEntry[]): string[] => entries.map((e) => `${e.title} ${e.start / MIN}-${e.end / MIN}`)

/** A film of three parts with two breaks of idents, then pad. */
const film = (title: string, extra: Partial<Spec> = {}): Spec[] => [
  { title, ms: 30 * MIN, programme: title, ...extra },
  { title: 'Ident', ms: 30 * SEC, kind: 'break', programme: title },
  { title: 'Promo', ms: 30 * SEC, kind: 'break', programme: title },
  { title, ms: 30 * MIN, programme: title },
  { title: 'Ident', ms: MIN, kind: 'break', programme: title },
  { title, ms: 29 * MIN, programme: title },
  { title: 'Trailer', ms: 2 * MIN, kind: 'filler', programme: title }
]

t.test('a film with breaks and pad is one entry, named after the film', async (t) => {
  const events = timeline([...film('Brief Encounter'), ...film('The Third Man')])
  const entries = guideEntries(events, CHANNEL)
  t.same(spans(entries), ['Brief Encounter 0-93', 'The Third Man 93-186'])
  t.match(entries[0], { from: 0, to: 7 }, 'every segment of the film')
})

t.test('the pad before a fixed event joins what aired before it, not the film pushed after it', async (t) => {
  const events = timeline([
    { title: 'Film A', ms: 60 * MIN },
    { title: 'Trailer', ms: 20 * MIN, kind: 'filler', programme: 'p:Film A' },
    { title: 'Trailer 2', ms: 30 * MIN, kind: 'filler', programme: 'p:Film B' },
    { title: 'The Boat Race (live)', ms: 105 * MIN, kind: 'fixed' },
    { title: 'Film B', ms: 90 * MIN }
  ])
  t.same(spans(guideEntries(events, CHANNEL)), ['Film A 0-110', 'The Boat Race (live) 110-215', 'Film B 215-305'])
})

t.test('items under a minute meld into the programme before them unless their block says own', async (t) => {
  const specs: Spec[] = [{ title: 'Cartoon', ms: 7 * MIN }, { title: 'Promo 1', ms: 30 * SEC }, { title: 'Promo 2', ms: 20 * SEC }, { title: 'Cartoon 2', ms: 6 * MIN }]
  t.same(spans(guideEntries(timeline(specs), CHANNEL)), ['Cartoon 0-7.833333333333333', 'Cartoon 2 7.833333333333333-13.833333333333334'])
  const own = specs.map((s) => ({ ...s, mode: 'own' as const }))
  t.same(guideEntries(timeline(own), CHANNEL).map((e) => e.title), ['Cartoon', 'Promo 1', 'Promo 2', 'Cartoon 2'], 'own: an entry per clip, however short')
})

t.test('the default filler: a long stretch is one entry titled by the channel, a short one melds', async (t) => {
  const night = (n: number): Spec[] => Array.from({ length: n }, (_, i) => ({ title: `Ident ${i}`, ms: 5 * MIN, kind: 'default' as const, programme: 'filler' }))
  const events = timeline([{ title: 'News', ms: 30 * MIN }, ...night(3), { title: 'Film', ms: 90 * MIN }, ...night(12), { title: 'Breakfast', ms: 60 * MIN }])
  t.same(spans(guideEntries(events, CHANNEL)), ['News 0-45', 'Film 45-135', 'Riverside TV 135-195', 'Breakfast 195-255'], '15 min melds, 60 min is one entry')
  t.same(guideEntries(events, { ...CHANNEL, filler_title: 'Riverside TV — overnight' })[2].title, 'Riverside TV — overnight')
  t.same(spans(guideEntries(events, { ...CHANNEL, filler_guide_minutes: 10 })).length, 5, 'filler_guide_minutes 10: the 15 min stretch is an entry too')
  t.equal(guideEntries(events, { ...CHANNEL, default_filler_guide: 'own' }).length, 3 + 15, 'own: every clip')
  t.same(spans(guideEntries(events, { ...CHANNEL, default_filler_guide: 'meld' })), ['News 0-45', 'Film 45-195', 'Breakfast 195-255'], 'meld: always joined')
  t.same(spans(guideEntries(events, { ...CHANNEL, default_filler_guide: 'hide' })), ['News 0-30', 'Film 45-135', 'Breakfast 195-255'], 'hide: holes')
})

t.test('breaks of a filler playlist marked own or hide', async (t) => {
  const own = timeline(film('Film').map((s) => s.kind === 'break' ? { ...s, mode: 'own' as const } : s))
  t.same(guideEntries(own, CHANNEL).map((e) => e.title), ['Film', 'Ident', 'Promo', 'Film', 'Ident', 'Film'])
  const hidden = timeline(film('Film').map((s) => s.kind === 'break' ? { ...s, mode: 'hide' as const } : s))
  t.same(spans(guideEntries(hidden, CHANNEL)), ['Film 0-30', 'Film 31-61', 'Film 62-93'], 'a hole for each break')
  const hiddenFilm = timeline([...film('Film', { mode: 'hide' }).map((s) => s.kind === undefined ? { ...s, mode: 'hide' as const } : s), { title: 'News', ms: 30 * MIN }])
  t.same(spans(guideEntries(hiddenFilm, CHANNEL)), ['News 93-123'], 'a hidden film\'s breaks and pad are hidden with it')
})

t.test('meld with nothing before it joins the programme after it; nothing airing around it, it is an entry', async (t) => {
  const events = timeline([{ title: 'Trailer', ms: 3 * MIN, kind: 'filler', programme: null }, { title: 'Film', ms: 90 * MIN }, { title: 'Trailer', ms: 3 * MIN, kind: 'filler', gapBefore: 10 * MIN }])
  t.same(spans(guideEntries(events, CHANNEL)), ['Film 0-93', 'Trailer 103-106'])
})

t.test('a titled block is one entry per block instance, split by a fixed event inside it', async (t) => {
  const events = timeline([
    { title: 'Toon 1', ms: 7 * MIN, titled: 'k1' }, { title: 'Ident', ms: 30 * SEC, kind: 'break', titled: 'k1' }, { title: 'Toon 2', ms: 7 * MIN, titled: 'k1' },
    { title: 'Live', ms: 30 * MIN, kind: 'fixed' },
    { title: 'Toon 3', ms: 7 * MIN, titled: 'k1' }
  ])
  t.same(spans(guideEntries(events, CHANNEL)), ['Block k1 0-14.5', 'Live 14.5-44.5', 'Block k1 44.5-51.5'])
})

t.test('events of no programme (a placed schedule, added by hand) are their own entries', async (t) => {
  const events = timeline([{ title: 'A', ms: 10 * MIN, kind: null, programme: null }, { title: 'A', ms: 10 * MIN, kind: null, programme: null }])
  t.equal(guideEntries(events, CHANNEL).length, 2)
})

// ── Properties ────────────────────────────────────────────────────────────────────────

let ids = 0
const modeArbitrary = fc.constantFrom<GuideMode | null>(null, null, null, 'own', 'meld', 'hide')
const programmeArbitrary: fc.Arbitrary<Spec[]> = fc.oneof(
  // an item: parts with breaks between them, pad after
  fc.record({
    parts: fc.array(fc.integer({ min: 5, max: 3600 }), { minLength: 1, maxLength: 4 }),
    brk: fc.integer({ min: 5, max: 120 }),
    pad: fc.integer({ min: 0, max: 900 }),
    mode: modeArbitrary,
    fillerMode: modeArbitrary
  })
    .map(({ parts, brk, pad, mode, fillerMode }) => {
      const id = `i${++ids}`
      const specs: Spec[] = []
      parts.forEach((p, i) => {
        if (i > 0) specs.push({ title: 'Break', ms: brk * SEC, kind: 'break', programme: id, mode: fillerMode })
        specs.push({ title: `Item ${id}`, ms: p * SEC, programme: id, mode })
      })
      if (pad > 0) specs.push({ title: 'Pad', ms: pad * SEC, kind: 'filler', programme: id, mode: fillerMode })
      return specs
    }),
  fc.integer({ min: 5, max: 7200 }).map((s): Spec[] => [{ title: 'Fixed', ms: s * SEC, kind: 'fixed' }]),
  fc.record({ clips: fc.array(fc.integer({ min: 5, max: 600 }), { minLength: 1, maxLength: 8 }), mode: modeArbitrary })
    .map(({ clips, mode }) => clips.map((s): Spec => ({ title: 'Default', ms: s * SEC, kind: 'default', programme: 'f', mode }))),
  fc.record({ n: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 5, max: 1200 }) })
    .map(({ n, s }) => { const id = `t${++ids}`; return Array.from({ length: n }, (_, i): Spec => ({ title: `T${i}`, ms: s * SEC, titled: id })) }),
  fc.integer({ min: 5, max: 3600 }).map((s): Spec[] => [{ title: 'Placed', ms: s * SEC, kind: null, programme: null }])
)
const timelineArbitrary = fc.record({
  programmes: fc.array(fc.tuple(programmeArbitrary, fc.constantFrom(0, 0, 0, 0, 300 * SEC)), { minLength: 1, maxLength: 30 }),
  channel: fc.record({ default_filler_guide: modeArbitrary, filler_guide_minutes: fc.integer({ min: 0, max: 30 }), filler_title: fc.constantFrom(null, 'Overnight') })
}).map(({ programmes, channel }) => ({
  events: timeline(programmes.flatMap(([specs, gap]) => specs.map((s, i) => i === 0 ? { ...s, gapBefore: gap } : s))),
  channel: { name: 'Prop TV', ...channel }
}))

/** Hidden by its own source: no entry may cover it. */
const hidden = (e: GuideSource, channel: GuideChannel): boolean =>
  e.guide_title === null && (e.guide_mode ?? (e.origin?.kind === 'default' ? channel.default_filler_guide : null)) === 'hide'

t.test('for random timelines: entries in order, no overlap, every aired event in one entry unless hidden, no entry under a minute unless asked or alone', async (t) => {
  fc.assert(fc.property(timelineArbitrary, ({ events, channel }) => {
    const entries = guideEntries(events, channel)
    const seen = new Map<number, number>()
    entries.forEach((entry, k) => {
      if (k > 0 && entries[k - 1].end > entry.start) throw new Error(`overlap: ${spans(entries.slice(k - 1, k + 1)).join(' / ')}`)
      if (entry.start >= entry.end) throw new Error('empty entry')
      for (let i = entry.from; i < entry.to; i++) {
        if (seen.has(i)) throw new Error(`event ${i} in two entries`)
        seen.set(i, k)
        if (events[i].start < entry.start || events[i].end > entry.end) throw new Error(`event ${i} outside its entry`)
      }
      const touches = (k > 0 && entries[k - 1].end === entry.start) || entries[k + 1]?.start === entry.end
      if (entry.end - entry.start < MIN_GUIDE_ENTRY_MS && !entry.own && touches) throw new Error(`short entry ${spans([entry])[0]}`)
    })
    // Nothing airs without an entry unless hidden: by its own source, or melded beside what is (a titled block with a hidden item is hidden whole).
    const hiddenHere = (e: GuideSource): boolean => hidden(e, channel) || (e.guide_title !== null && events.some((x) => x.guide_id === e.guide_id && x.guide_mode === 'hide'))
    let run: number[] = []
    const closeRun = (): void => {
      if (run.length > 0 && !run.some((i) => hiddenHere(events[i]))) throw new Error(`events ${run.join(', ')} air with no entry and nothing hidden beside them`)
      run = []
    }
    events.forEach((e, i) => {
      if (seen.has(i) && hidden(e, channel)) throw new Error(`hidden event ${i} in an entry`)
      if (seen.has(i) || (run.length > 0 && events[run.at(-1)!].end !== e.start)) closeRun()
      if (!seen.has(i)) run.push(i)
    })
    closeRun()
  }), { numRuns: RUNS })
  t.pass('properties hold')
})
