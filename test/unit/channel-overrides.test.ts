import t from 'tap'
import fc from 'fast-check'
import { buildChannel } from '../../workers/channels/build.js'
import { wallInstant } from '../../workers/channels/wall-time.js'
import { buildInput } from './build-input.js'
import type { Block, BuildInput, BuildResult, BuiltEvent, Override, SourceItem } from '../../workers/channels/types.js'

// Issue 24 item 6 (SPEC §15), built in process: an override replacing a template block whole
// or only the hours it covers, LEFT_TO_FILLER naming the local times it leaves to the default
// filler, a fixed event filled up to best-fit from the block's source, and `fill: "pad"`
// falling back to the channel's default filler.

const ZONE = 'Europe/London'
const DAY = '2026-12-12' // a Saturday, GMT: local times are UTC times
const MIN = 60_000

const items = (prefix: string, minutes: number[], extra: Partial<SourceItem> = {}): SourceItem[] =>
  minutes.map((m, i) => ({ url: `https://cdn.example/${prefix}/${i + 1}.mp4`, title: `${prefix} ${i + 1}`, duration: m * 60, category: prefix, ...extra }))

const sources = new Map<string, SourceItem[]>([
  ['playlist:films', items('Film', [95, 100, 105, 110, 115, 120, 90, 125])],
  ['playlist:sport', items('Match', [90, 100, 110, 95])],
  ['playlist:promos', items('Promo', [1, 2, 3, 1.5])],
  ['playlist:mixed', items('Show', [100, 110, 120, 95, 25, 30, 45, 20, 15])]
])

const at = (wall: string, date = DAY): number => wallInstant(date, wall, ZONE)
const films: Block = { id: 'films', days: ['sat'], start: '11:00', end: '19:00', source: { playlist: 'films' }, order: 'shuffle', fill: 'pad', filler: 'promos' }
const derby = (more: Partial<Override> = {}): Override => ({
  id: 'derby',
  seq: 1,
  name: 'Derby day',
  from: DAY,
  to: DAY,
  days: null,
  replace: 'blocks',
  blocks: [{ id: 'match', days: ['sat'], start: '13:00', end: '19:00', source: { playlist: 'sport' }, order: 'shuffle', fill: 'pad', filler: 'promos' }],
  events: [],
  ...more
})

function input (blocks: Block[], overrides: Override[], more: Partial<BuildInput> = {}): BuildInput {
  return buildInput({ channel: { id: 'ch', timezone: ZONE, default_filler: 'promos' }, template: { cooldown_hours: 48, blocks }, overrides, from: DAY, to: DAY, seed: 'derby', sources }, more)
}

const within = (e: BuiltEvent, from: number, to: number): boolean => e.start >= from && e.end <= to
const codes = (r: BuildResult, code: string): string[] => r.warnings.filter((w) => w.code === code).map((w) => w.message)

t.test('replace "blocks": the template block goes whole, and the build names the hours left to the default filler', async (t) => {
  const r = buildChannel(input([films], [derby()]))
  const early = r.events.filter((e) => within(e, at('11:00'), at('13:00')))
  t.ok(early.length > 0 && early.every((e) => e.origin.kind === 'default'), '11:00–13:00 airs the default filler')
  t.notOk(r.events.some((e) => e.origin.block === 'films'), 'no event of the template block "films"')
  t.same(codes(r, 'LEFT_TO_FILLER'), ['override "Derby day" leaves 11:00–13:00 on 2026-12-12 to the default filler: the template\'s block "films" covered it'], 'said once, in local times')
  t.match(r.warnings.find((w) => w.code === 'LEFT_TO_FILLER'), { block: 'films', date: DAY })
})

t.test('replace "hours": the template block airs the hours the override leaves, as an instance of its own', async (t) => {
  const r = buildChannel(input([films], [derby({ replace: 'hours' })]))
  const early = r.events.filter((e) => within(e, at('11:00'), at('13:00')))
  t.ok(early.length > 0, 'events from 11:00 to 13:00')
  t.ok(early.every((e) => e.origin.block === 'films' && e.origin.override === undefined), 'all of them the template block\'s')
  t.equal(early[0].start, at('11:00'), 'it starts at 11:00')
  t.equal(early.at(-1)!.end, at('13:00'), 'and ends at 13:00 (padded), where the override block starts')
  t.ok(r.events.filter((e) => e.start >= at('13:00') && e.start < at('19:00')).every((e) => e.origin.override === 'derby'), '13:00–19:00 is the override\'s')
  t.same(codes(r, 'LEFT_TO_FILLER'), [], 'nothing left to the default filler')
  t.notOk(r.events.some((e) => e.origin.kind === 'default' && e.start < at('19:00') && e.end > at('11:00')), 'no default filler from 11:00 to 19:00')
})

t.test('replace "hours" in the middle of a block leaves it two pieces, each filled', async (t) => {
  const r = buildChannel(input([films], [derby({ replace: 'hours', blocks: [{ ...derby().blocks[0], start: '14:00', end: '16:00' }] })]))
  const before = r.events.filter((e) => within(e, at('11:00'), at('14:00')))
  const after = r.events.filter((e) => within(e, at('16:00'), at('19:00')))
  t.ok(before.length > 0 && before.every((e) => e.origin.block === 'films'), 'films 11:00–14:00')
  t.ok(after.length > 0 && after.every((e) => e.origin.block === 'films'), 'films 16:00–19:00')
  t.equal(before.at(-1)!.end, at('14:00'))
  t.equal(after[0].start, at('16:00'))
  t.same(codes(r, 'LEFT_TO_FILLER'), [])
})

t.test('LEFT_TO_FILLER: a hole of 5 minutes or less is not said; with two overrides the later one is named', async (t) => {
  const short = buildChannel(input([films], [derby({ blocks: [{ ...derby().blocks[0], start: '11:05', end: '19:00' }] })]))
  t.same(codes(short, 'LEFT_TO_FILLER'), [], 'five minutes: not said')
  const longer = buildChannel(input([films], [derby({ blocks: [{ ...derby().blocks[0], start: '11:06', end: '19:00' }] })]))
  t.same(codes(longer, 'LEFT_TO_FILLER'), ['override "Derby day" leaves 11:00–11:06 on 2026-12-12 to the default filler: the template\'s block "films" covered it'], 'six minutes: said')
  // A later override replacing Derby day's block from 15:00 leaves 13:00–15:00 empty.
  const later: Override = { ...derby(), id: 'news', seq: 2, name: 'Election news', blocks: [{ id: 'studio', days: ['sat'], start: '15:00', end: '19:00', source: { playlist: 'sport' } }] }
  const two = buildChannel(input([films], [derby(), later]))
  t.same(codes(two, 'LEFT_TO_FILLER').sort(), [
    'override "Derby day" and override "Election news" leave 11:00–15:00 on 2026-12-12 to the default filler: the template\'s block "films" and override "Derby day"\'s block "match" covered it'
  ], 'one stretch, one warning naming both overrides and both blocks')
  const noFiller = buildChannel(input([films], [derby()], { channel: { id: 'ch', timezone: ZONE, default_filler: null } }))
  t.match(codes(noFiller, 'LEFT_TO_FILLER'), [/11:00–13:00 on 2026-12-12 to the default filler \(the channel has none: nothing airs\)/], 'said too when nothing airs')
})

/** The run of non-item events (pad, breaks) that ends where `at` starts. */
function runBefore (events: BuiltEvent[], at: number): number {
  let start = at
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (e.end > at || e.end < start) continue
    if (e.end !== start || e.origin.kind === 'item' || e.origin.kind === 'fixed' || e.origin.kind === 'default') break
    start = e.start
  }
  return at - start
}

const fixed = (start: string, end: string): Override => ({ ...derby(), id: 'live', name: 'Live', blocks: [], events: [{ title: 'Derby (live)', start: at(start), end: at(end), video_url: 'rtmp://live.example/derby', category: null, description: null }] })
const mixed: Block = { id: 'mixed', days: ['sat'], start: '11:00', end: '19:00', source: { playlist: 'mixed' }, order: 'shuffle', fill: 'pad', filler: 'promos', cooldown_hours: 0 }

t.test('before_fixed "best_fit" fills up to a fixed event with items that fit; "pad" pushes and pads', async (t) => {
  const padded = buildChannel(input([mixed], [fixed('13:10', '14:00')]))
  const bestFit = buildChannel(input([{ ...mixed, before_fixed: 'best_fit' }], [fixed('13:10', '14:00')]))
  const padRun = runBefore(padded.events, at('13:10'))
  const fitRun = runBefore(bestFit.events, at('13:10'))
  t.ok(padRun >= 15 * MIN, `pad: ${padRun / MIN} min of promos before the event (the film is pushed)`)
  t.ok(fitRun < 15 * MIN, `best_fit: ${fitRun / MIN} min, under the shortest item (15 min)`)
  const fits = bestFit.events.filter((e) => /best fit before fixed "Derby \(live\)" \(13:10\)/.test(e.reason))
  t.ok(fits.length > 0 && fits.every((e) => e.origin.kind === 'item' && e.end <= at('13:10')), 'the items that fit say why, and end before the event')
  t.ok(codes(bestFit, 'ITEM_PUSHED').length > 0, 'the item the order chose is still pushed after the event, and said')
  t.ok(bestFit.events.some((e) => e.start === at('14:00') && e.origin.kind === 'item'), 'an item airs from the event\'s end')
})

t.test('best_fit: whatever the lengths and the event\'s time, no pad run before it is as long as the shortest item', async () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 5, max: 150 }), { minLength: 1, maxLength: 10 }),
    fc.integer({ min: 12 * 60, max: 17 * 60 }),
    fc.integer({ min: 10, max: 90 }),
    fc.constantFrom<Block['order']>('shuffle', 'random'),
    (minutes, startMinute, length, order) => {
      const local = new Map(sources).set('playlist:mixed', items('Show', minutes))
      const wall = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
      const r = buildChannel(input([{ ...mixed, order, before_fixed: 'best_fit' }], [fixed(wall(startMinute), wall(startMinute + length))], { sources: local }))
      const run = runBefore(r.events, at(wall(startMinute)))
      return run < Math.min(...minutes) * MIN
    }
  ), { numRuns: Number(process.env.FUZZ_RUNS ?? 40) })
})

t.test('best_fit keeps the cooldown: an item in its cooldown is not taken, the rest is padded', async (t) => {
  // One short item, in its cooldown from a play an hour before: nothing fits out of cooldown.
  const local = new Map(sources).set('playlist:mixed', items('Show', [100, 20]))
  const shortKey = buildChannel(input([{ ...mixed, cooldown_hours: 0 }], [], { sources: local })).events.find((e) => e.title === 'Show 2')!.video_key
  const r = buildChannel(input([{ ...mixed, cooldown_hours: 24, before_fixed: 'best_fit' }], [fixed('12:00', '14:00')], { sources: local, plays: new Map([[shortKey, [at('10:00')]]]) }))
  t.notOk(r.events.some((e) => e.title === 'Show 2' && e.end <= at('12:00')), 'the short item in cooldown does not air before the event')
  t.equal(runBefore(r.events, at('12:00')), 60 * MIN, 'the hour is padded instead')
})

t.test('a sequential block never takes a best fit: its episode waits and the time is padded', async (t) => {
  const r = buildChannel(input([{ ...mixed, order: 'sequential', before_fixed: 'best_fit' }], [fixed('13:10', '14:00')]))
  t.notOk(r.events.some((e) => e.reason.includes('best fit')), 'no best fit')
  t.same(r.events.filter((e) => e.origin.kind === 'item').map((e) => e.origin_position).filter((p, i, all) => all.indexOf(p) === i).slice(0, 3), [0, 1, 2], 'episodes in order')
})

t.test('fill "pad" with no filler of its own pads with the channel\'s default filler (SPEC §15)', async (t) => {
  const noFiller: Block = { id: 'films', days: ['sat'], start: '11:00', end: '13:00', source: { playlist: 'films' }, order: 'shuffle' }
  const r = buildChannel(input([noFiller], []))
  const pads = r.events.filter((e) => e.origin.kind === 'filler' && e.origin.block === 'films')
  t.ok(pads.length > 0, 'the block is padded (fill defaults to pad)')
  t.ok(pads.every((e) => e.title.startsWith('Promo')), 'with the default filler\'s items')
  t.equal(pads.at(-1)!.end, at('13:00'), 'up to the block\'s end')
  t.same(codes(r, 'BLOCK_NOT_FILLED'), [])
  const none = buildChannel(input([noFiller], [], { channel: { id: 'ch', timezone: ZONE, default_filler: null } }))
  t.match(codes(none, 'BLOCK_NOT_FILLED'), [/no filler to pad with/], 'with no default filler either, the block says it is not filled')
})

t.test('replace, for any template block and override block on one day: "hours" leaves the rest to the template block, "blocks" says each hole over 5 minutes', async () => {
  const wall = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
  const quarter = fc.integer({ min: 1, max: 94 })
  const span = fc.tuple(quarter, quarter).filter(([a, b]) => a !== b).map(([a, b]) => [Math.min(a, b) * 15, Math.max(a, b) * 15] as const)
  fc.assert(fc.property(span, span, fc.integer({ min: 0, max: 14 }), (tpl, ovr, shift) => {
    const [ts, te] = tpl
    const [os, oe] = [ovr[0] + shift, Math.min(ovr[1] + shift, 24 * 60 - 1)]
    const template: Block = { ...films, start: wall(ts), end: wall(te) }
    const override = (replace: Override['replace']): Override => derby({ replace, blocks: [{ ...derby().blocks[0], start: wall(os), end: wall(oe) }] })
    const touches = os < te && ts < oe
    const hours = buildChannel(input([template], [override('hours')]))
    // Every minute of the template block outside the override block airs the template block.
    const outside = [[ts, Math.min(te, os)], [Math.max(ts, oe), te]].filter(([a, b]) => a < b)
    for (const [a, b] of touches ? outside : [[ts, te]]) {
      const events = hours.events.filter((e) => e.start < at(wall(b)) && e.end > at(wall(a)))
      if (events.some((e) => e.origin.block !== 'films' || e.origin.override !== undefined)) return false
      if (events.reduce((sum, e) => sum + Math.min(e.end, at(wall(b))) - Math.max(e.start, at(wall(a))), 0) !== (b - a) * MIN) return false
    }
    if (hours.warnings.some((w) => w.code === 'LEFT_TO_FILLER')) return false
    const blocks = buildChannel(input([template], [override('blocks')]))
    const expected = touches ? outside.filter(([a, b]) => b - a > 5).map(([a, b]) => `${wall(a)}–${wall(b)}`) : []
    const said = blocks.warnings.filter((w) => w.code === 'LEFT_TO_FILLER').map((w) => /leaves (\S+) on/.exec(w.message)![1])
    return JSON.stringify(said) === JSON.stringify(expected)
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 40) })
})
