import t from 'tap'
import fc from 'fast-check'
import { fillSchedule } from '../../workers/autofill/fill.js'
import { forcedCooldownWarning } from '../../workers/autofill/warnings.js'
import { seededRandom, shuffleInPlace } from '../../workers/orders/seeded.js'
import type { FillLink, FillPlan } from '../../workers/autofill/request.js'
import { videoKey } from '../../workers/schedule/checks/cooldown.js'
import type { ScheduleEvent } from '../../workers/schedule/model.js'

const HOUR = 3_600_000
const START = Date.UTC(2025, 0, 6)

function plan (overrides: Partial<FillPlan>): FillPlan {
  return { playlistId: null, links: null, start: START, end: START + 24 * HOUR, cooldownMs: 48 * HOUR, shuffle: true, seed: 's', slotMs: 30 * 60_000, timezone: 'UTC', whenExhausted: 'least_recent', dryRun: false, name: null, decisionsOffset: 0, assumeMs: 1_800_000, ...overrides }
}

const linksArbitrary = fc.array(fc.record({
  duration: fc.option(fc.integer({ min: 60, max: 3 * 3600 }), { nil: null }),
  category: fc.constantFrom(null, 'News', 'Film', 'Kids')
}), { minLength: 1, maxLength: 25 }).map((list) => list.map((l, i): FillLink => ({ url: `https://cdn.example/v${i}.mp4`, title: `Video ${i}`, ...l })))

const planArbitrary = fc.record({
  hours: fc.integer({ min: 1, max: 96 }),
  cooldownHours: fc.integer({ min: 0, max: 72 }),
  slotMinutes: fc.option(fc.integer({ min: 5, max: 180 }), { nil: null }),
  seed: fc.string({ maxLength: 8 }),
  shuffle: fc.boolean()
})

const toPlan = (p: { hours: number, cooldownHours: number, slotMinutes: number | null, seed: string, shuffle: boolean }, whenExhausted: FillPlan['whenExhausted']): FillPlan =>
  plan({
    end: START + p.hours * HOUR,
    cooldownMs: p.cooldownHours * HOUR,
    slotMs: p.slotMinutes === null ? null : p.slotMinutes * 60_000,
    seed: p.seed,
    shuffle: p.shuffle,
    whenExhausted
  })

function startsByVideo (events: ScheduleEvent[]): Map<string, number[]> {
  const byVideo = new Map<string, number[]>()
  for (const e of events) byVideo.get(e.video_url!)?.push(e.start) ?? byVideo.set(e.video_url!, [e.start])
  return byVideo
}

t.test('gap mode: no video ever airs inside its cooldown, counted from its previous start', async (t) => {
  fc.assert(fc.property(linksArbitrary, planArbitrary, (links, p) => {
    const fill = fillSchedule(toPlan(p, 'gap'), links, new Map())
    for (const starts of startsByVideo(fill.events).values()) {
      for (let i = 1; i < starts.length; i++) if (starts[i] - starts[i - 1] < p.cooldownHours * HOUR) return false
    }
    return fill.stats.cooldown_overrides === 0
  }), { numRuns: 300 })
  t.pass('300 random fills')
})

t.test('events never overlap, stay in the window, and least_recent leaves no gap', async (t) => {
  fc.assert(fc.property(linksArbitrary, planArbitrary, fc.constantFrom('gap', 'least_recent') as fc.Arbitrary<FillPlan['whenExhausted']>, (links, p, mode) => {
    const fillPlan = toPlan(p, mode)
    const { events, stats } = fillSchedule(fillPlan, links, new Map())
    for (let i = 0; i < events.length; i++) {
      if (events[i].end <= events[i].start || events[i].start < fillPlan.start || events[i].start >= fillPlan.end) return false
      if (i > 0 && events[i - 1].end > events[i].start) return false
      if (mode === 'least_recent' && i > 0 && events[i - 1].end !== events[i].start) return false
    }
    if (mode === 'least_recent') return events[0].start === fillPlan.start && events.at(-1)!.end >= fillPlan.end && stats.gaps === 0
    return stats.slots_total === stats.slots_filled + stats.gaps
  }), { numRuns: 300 })
  t.pass('300 random fills')
})

t.test('the same seed gives the same schedule', async (t) => {
  fc.assert(fc.property(linksArbitrary, planArbitrary, (links, p) => {
    const a = fillSchedule(toPlan(p, 'least_recent'), links, new Map())
    const b = fillSchedule(toPlan(p, 'least_recent'), links, new Map())
    return JSON.stringify(a) === JSON.stringify(b)
  }), { numRuns: 100 })
  const links = Array.from({ length: 50 }, (_, i): FillLink => ({ url: `u${i}`, title: `t${i}`, duration: null, category: null }))
  const one = fillSchedule(plan({ seed: 'one' }), links, new Map()).events.map((e) => e.video_url)
  const other = fillSchedule(plan({ seed: 'other' }), links, new Map()).events.map((e) => e.video_url)
  t.not(one.join(), other.join(), 'another seed, another order')
})

t.test('when repeats are forced, every link airs at most once more than any other', async (t) => {
  fc.assert(fc.property(linksArbitrary, planArbitrary, (links, p) => {
    const fillPlan = toPlan({ ...p, cooldownHours: 1000 }, 'least_recent')
    const { events } = fillSchedule(fillPlan, links, new Map())
    const counts = links.map((l) => events.filter((e) => e.video_url === l.url).length)
    return Math.max(...counts) - Math.min(...counts) <= 1
  }), { numRuns: 300 })
  t.pass('300 random fills')
})

t.test('stored plays before and after the window count for the cooldown', async (t) => {
  fc.assert(fc.property(linksArbitrary, planArbitrary, fc.array(
    fc.record({ video: fc.nat(30), at: fc.integer({ min: -100, max: 200 }) }),
    { maxLength: 40 }
  ), (links, p, plays) => {
    const stored = new Map<string, number[]>()
    for (const { video, at } of plays) {
      const key = videoKey({ title: '', video_url: `https://cdn.example/v${video}.mp4` })
      stored.get(key)?.push(START + at * HOUR) ?? stored.set(key, [START + at * HOUR])
    }
    for (const list of stored.values()) list.sort((a, b) => a - b)
    const { events } = fillSchedule(toPlan(p, 'gap'), links, stored)
    const window = p.cooldownHours * HOUR
    return events.every((e) => (stored.get(videoKey(e)) ?? []).every((s) => Math.abs(s - e.start) >= window))
  }), { numRuns: 300 })
  t.pass('300 random fills against random stored plays')
})

t.test('categories are spread when another is available in the round', async (t) => {
  const links: FillLink[] = ['News', 'News', 'News', 'Film', 'Film', 'Film'].map((category, i) => ({ url: `u${i}`, title: `t${i}`, duration: null, category }))
  const { events } = fillSchedule(plan({ end: START + 3 * HOUR, cooldownMs: 0, seed: 'x' }), links, new Map())
  for (let i = 1; i < events.length; i++) t.not(events[i].category, events[i - 1].category, `slot ${i} changes category`)
})

t.test('the shuffle is unbiased: chi-square over 24,000 seeds at significance 0.001', async (t) => {
  // Fisher–Yates of 4 items: 24 permutations, each expected 1,000 times.
  const counts = new Map<string, number>()
  const seeds = 24_000
  for (let s = 0; s < seeds; s++) {
    const key = shuffleInPlace([0, 1, 2, 3], seededRandom(`chi-${s}`)).join('')
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  t.equal(counts.size, 24, 'every permutation occurs')
  const expected = seeds / 24
  const chiSquare = [...counts.values()].reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0)
  // Critical value of chi-square with 23 degrees of freedom at p = 0.001.
  const CRITICAL_23_DF_P001 = 49.728
  t.ok(chiSquare < CRITICAL_23_DF_P001, `chi-square ${chiSquare.toFixed(2)} < ${CRITICAL_23_DF_P001}`)
})

t.test('the forced-override forecast is a floor the fill never goes under, and each override is flagged on its event', async (t) => {
  fc.assert(fc.property(linksArbitrary, planArbitrary, (links, p) => {
    const fillPlan = toPlan(p, 'least_recent')
    const fill = fillSchedule(fillPlan, links, new Map())
    t.equal(fill.overridden.filter(Boolean).length, fill.stats.cooldown_overrides)
    const forced = forcedCooldownWarning(fillPlan, links)
    if (forced === null) return
    if (forced.count !== undefined) t.ok(fill.stats.cooldown_overrides >= forced.count, `${fill.stats.cooldown_overrides} overrides, at least ${forced.count} forecast`)
    else {
      // Back to back: the share is of airtime.
      const window = fillPlan.end - fillPlan.start
      const overriddenMs = fill.events.reduce((sum, e, i) => sum + (fill.overridden[i] ? Math.min(e.end, fillPlan.end) - e.start : 0), 0)
      t.ok(overriddenMs / window >= forced.share! - 1e-9, `${overriddenMs / window} of the airtime overridden, at least ${forced.share!} forecast`)
    }
  }), { numRuns: 200 })
})
