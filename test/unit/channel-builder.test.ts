import t, { type Test } from 'tap'
import { buildChannel, sequentialStateAfter } from '../../workers/channels/build.js'
import { sourceKey } from '../../workers/channels/sources.js'
import { guideEntries } from '../../workers/channels/guide.js'
import { wallInstant, localDays } from '../../workers/channels/wall-time.js'
import type { Block, BuildInput, BuildResult, BuiltEvent, Override, SourceItem } from '../../workers/channels/types.js'
import { findCooldownViolations } from '../../workers/schedule/checks/cooldown.js'
import { buildInput } from './build-input.js'

// The issue's scenario, built in process (pure: no store, no clock): weekday news at 08:00,
// a shuffled film block 20:00–23:00 with pad and a break every 15 minutes, a sequential
// series on Saturdays, and a Christmas override, over the weeks of the Europe/London clock
// changes in both directions.

const ZONE = 'Europe/London'
const MIN = 60_000
const HOUR = 3_600_000

const items = (prefix: string, count: number, seconds: (i: number) => number, extra: Partial<SourceItem> = {}): SourceItem[] =>
  Array.from({ length: count }, (_, i) => ({ url: `https://cdn.example/${prefix}/${i + 1}.mp4`, title: `${prefix} ${i + 1}`, duration: seconds(i), category: prefix, ...extra }))

// 30 films of 80–130 min and 4 shorts of 8–12 min (shorter than the break interval: never split).
const films = [...items('Film', 30, (i) => (80 + (i * 7) % 50) * 60), ...items('Short', 4, (i) => (8 + i) * 60)]
const sources = new Map<string, SourceItem[]>([
  ['playlist:films', films],
  ['playlist:series', items('Episode', 12, () => 30 * 60)],
  ['playlist:trailers', items('Trailer', 20, (i) => 60 + (i * 13) % 120)],
  ['playlist:idents', items('Ident', 6, (i) => 20 + i * 4)],
  ['playlist:music', items('Music video', 200, (i) => 180 + (i * 17) % 120)],
  ['playlist:carols', items('Carol', 40, (i) => 240 + (i * 29) % 300)]
])

const news: Block = { id: 'news', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '08:30', title: 'Morning News', source: { item: { url: 'https://cdn.example/news.mp4', title: 'Morning News', duration: 1800 } } }
const filmBlock: Block = {
  id: 'films',
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  start: '20:00',
  end: '23:00',
  source: { playlist: 'films' },
  order: 'shuffle',
  cooldown_hours: 168,
  fill: 'pad',
  filler: 'trailers',
  breaks: { every_minutes: 15, max_seconds: 120, filler: 'idents' }
}
const series: Block = { id: 'series', days: ['sat'], start: '18:00', end: '19:00', source: { playlist: 'series' }, order: 'sequential', fill: 'gap' }
const christmas: Override = {
  id: 'xmas',
  seq: 1,
  name: 'Christmas',
  from: '2026-12-24',
  to: '2026-12-26',
  days: null,
  replace: 'blocks',
  blocks: [{ id: 'carols', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '19:00', end: '23:30', source: { playlist: 'films' }, order: 'shuffle', fill: 'pad', filler: 'carols' }],
  events: [{ title: 'Carol Service (live)', start: Date.parse('2026-12-24T21:00:00Z'), end: Date.parse('2026-12-24T22:00:00Z'), video_url: 'rtmp://live.example/carols', category: null, description: null }]
}

function input (from: string, to: string, more: Partial<BuildInput> = {}): BuildInput {
  const template = { cooldown_hours: 48, blocks: [news, filmBlock, series] }
  return buildInput({ channel: { id: 'ch', timezone: ZONE, default_filler: 'music' }, template, overrides: [christmas], from, to, seed: 'abc', sources }, more)
}

const iso = (ms: number): string => new Date(ms).toISOString()
const ofBlock = (r: BuildResult, block: string): BuiltEvent[] => r.events.filter((e) => e.origin.block === block)
/** What a viewer sees of an event; ids and build ids aside. */
const seen = (e: BuiltEvent): string => `${iso(e.start)} ${iso(e.end)} ${e.title} ${e.video_url} ${e.origin.kind} ${e.origin.block ?? ''} ${e.in_ms}`

function assertTimeline (t: Test, r: BuildResult, from: string, to: string): void {
  const days = localDays(from, to, ZONE)
  const { events } = r
  t.equal(events[0].start, days[0].start, 'the first event starts at the first local midnight')
  t.ok(events.at(-1)!.end >= days.at(-1)!.end, 'the last event reaches the last local midnight')
  const gaps = events.filter((e, i) => i > 0 && e.start > events[i - 1].end).map((e) => iso(e.start))
  const overlaps = events.filter((e, i) => i > 0 && e.start < events[i - 1].end).map((e) => iso(e.start))
  t.same(gaps, [], 'no gap in UTC')
  t.same(overlaps, [], 'no overlap in UTC')
  t.equal(r.stats.minutes_empty, 0, 'nothing left empty')
  for (const day of days) {
    const firstAt = (block: string): number | undefined => ofBlock(r, block).find((e) => e.start >= day.start && e.start < day.end)?.start
    if (['mon', 'tue', 'wed', 'thu', 'fri'].includes(day.weekday)) t.equal(firstAt('news'), wallInstant(day.date, '08:00', ZONE), `${day.date}: news at 08:00 ${ZONE}`)
    t.equal(firstAt('films'), wallInstant(day.date, '20:00', ZONE), `${day.date}: films from 20:00`)
    const filmsEnd = Math.max(...ofBlock(r, 'films').filter((e) => e.start >= day.start && e.start < day.end).map((e) => e.end))
    t.equal(filmsEnd, wallInstant(day.date, '23:00', ZONE), `${day.date}: films padded to 23:00 exactly`)
    if (day.weekday === 'sat') t.equal(firstAt('series'), wallInstant(day.date, '18:00', ZONE), `${day.date}: series at 18:00`)
  }
}

for (const [label, from, to] of [['March', '2026-03-23', '2026-03-29'], ['October', '2026-10-19', '2026-10-25']]) {
  t.test(`${label} clock-change week: the blocks at their wall-clock times, no gap, no overlap`, async (t) => {
    const r = buildChannel(input(from, to))
    assertTimeline(t, r, from, to)
    const lastDay = localDays(to, to, ZONE)[0]
    t.equal(lastDay.end - lastDay.start, (label === 'March' ? 23 : 25) * HOUR, `the Sunday lasts ${label === 'March' ? 23 : 25} h`)
    t.equal(r.stats.events, r.events.length)
    t.ok(r.stats.minutes_default > 0 && r.stats.minutes_filled > 0 && r.stats.minutes_padded > 0 && r.stats.minutes_breaks > 0, 'counts of each kind')
    t.same(r.warnings.filter((w) => w.code !== 'BLOCK_NOT_FILLED'), [], 'no warning')
  })
}

t.test('breaks every 15 minutes of content, each at most 120 s, never inside an item shorter than 15 minutes', async (t) => {
  const r = buildChannel(input('2026-03-23', '2026-03-29'))
  const film = ofBlock(r, 'films')
  let content = 0
  let breakRun = 0
  let breaks = 0
  for (const e of film) {
    if (e.origin.kind === 'break') { breakRun += e.end - e.start; continue }
    if (breakRun > 0) { breaks++; t.ok(breakRun <= 120_000, `break at ${iso(e.start)} ≤ 120 s`) }
    if (breakRun > 0 || e.start === wallInstant(new Date(e.start).toISOString().slice(0, 10), '20:00', ZONE)) content = 0
    breakRun = 0
    if (e.origin.kind === 'item') content += e.end - e.start
    if (e.origin.kind === 'item' && e.in_ms === 0 && e.end - e.start < 15 * MIN) t.ok(content <= 15 * MIN + (e.end - e.start), 'a short item is never split')
  }
  t.ok(breaks >= 35, `${breaks} breaks in the week (5 or more a night)`)
  const parts = film.filter((e) => e.origin.kind === 'item' && e.in_ms > 0)
  t.ok(parts.length > 0, 'films are split by breaks')
  const lengthOf = new Map(films.map((f) => [f.url, f.duration! * 1000]))
  t.ok(parts.every((e) => lengthOf.get(e.video_url!)! >= 15 * MIN), 'only items of 15 minutes or more are split')
  const shorts = film.filter((e) => e.title.startsWith('Short'))
  t.ok(shorts.length > 0 && shorts.every((e) => e.in_ms === 0 && e.end - e.start === lengthOf.get(e.video_url!)!), 'shorts air whole')
  const entries = guideEntries(film, { name: 'Test' })
  t.ok(entries.length < film.length, 'a film, its breaks and its parts are one guide entry')
  t.ok(entries.every((g) => !g.title.startsWith('Ident')), 'guide entries carry the film\'s title, not a break\'s')
})

t.test('the holiday override replaces the blocks it overlaps, whole; a fixed event pushes the film it hits and says which', async (t) => {
  const r = buildChannel(input('2026-12-21', '2026-12-27'))
  assertTimeline(t, { ...r, events: r.events }, '2026-12-21', '2026-12-21')
  for (const date of ['2026-12-24', '2026-12-25', '2026-12-26']) {
    const [day] = localDays(date, date, ZONE)
    const on = (e: BuiltEvent): boolean => e.start >= day.start && e.start < day.end
    t.equal(r.events.filter((e) => on(e) && e.origin.block === 'films').length, 0, `${date}: no template film block`)
    t.ok(r.events.some((e) => on(e) && e.origin.block === 'carols' && e.origin.override === 'xmas' && e.start === wallInstant(date, '19:00', ZONE)), `${date}: the override's block from 19:00`)
  }
  for (const date of ['2026-12-23', '2026-12-27']) t.ok(ofBlock(r, 'films').some((e) => e.start === wallInstant(date, '20:00', ZONE)), `${date}: the template's films`)
  const fixed = r.events.find((e) => e.origin.kind === 'fixed')!
  t.match(fixed, { title: 'Carol Service (live)', start: Date.parse('2026-12-24T21:00:00Z'), end: Date.parse('2026-12-24T22:00:00Z'), reason: 'fixed: override "Christmas"' })
  const pushed = r.events.filter((e) => e.reason.includes('pushed after fixed "Carol Service (live)"'))
  t.equal(pushed.length, 1, 'one item pushed')
  t.equal(pushed[0].start, fixed.end, 'the pushed item starts where the fixed event ends')
  const warning = r.warnings.find((w) => w.code === 'ITEM_PUSHED')!
  t.ok(warning.message.includes(pushed[0].title) && warning.message.includes('Carol Service (live)'), `the warning names both: ${warning.message}`)
  t.equal(r.stats.items_pushed, 1)
  const before = r.events.filter((e) => e.end <= fixed.start && e.end > fixed.start - HOUR)
  t.equal(before.at(-1)!.end, fixed.start, 'the time before the fixed event is padded up to it')
})

t.test('same seed, same events; another seed, other events', async (t) => {
  const a = buildChannel(input('2026-10-19', '2026-10-25'))
  const b = buildChannel(input('2026-10-19', '2026-10-25'))
  const c = buildChannel(input('2026-10-19', '2026-10-25', { seed: 'xyz' }))
  t.same(a.events.map(seen), b.events.map(seen), 'identical')
  t.same(a.stats, b.stats)
  t.not(a.events.map(seen).join('\n'), c.events.map(seen).join('\n'), 'another seed differs')
  t.ok(a.events.every((e) => e.reason.length > 0 && e.origin.kind !== undefined), 'each event has an origin and a reason')
})

t.test('a sequential block continues episode by episode across two builds, and a rebuild gives the same episodes', async (t) => {
  const first = buildChannel(input('2026-03-23', '2026-04-05'))
  const episodes = (r: BuildResult): string[] => ofBlock(r, 'series').filter((e) => e.origin.kind === 'item').map((e) => e.title)
  t.same(episodes(first), ['Episode 1', 'Episode 2', 'Episode 3', 'Episode 4'])
  const state = sequentialStateAfter(first.events)
  t.same(state.get('series'), { key: 'url:https://cdn.example/Episode/4.mp4', position: 3, source: sourceKey(series.source) })
  const second = buildChannel(input('2026-04-06', '2026-04-19', { sequential: state, seed: 'another' }))
  t.same(episodes(second), ['Episode 5', 'Episode 6', 'Episode 7', 'Episode 8'], 'episode 4 → 5')
  const fifth = ofBlock(second, 'series')[0]
  t.equal(fifth.reason, 'sequential: episode 5 of 12')
  t.equal(fifth.episode_num, '.4/12.')
  t.same(episodes(buildChannel(input('2026-04-06', '2026-04-19', { sequential: state }))), episodes(second), 'rebuilding the range gives the same episodes')
  // SPEC §15: the series goes on by item identity (URL or path, then title), across a change of source too.
  const repointed = buildChannel(input('2026-04-06', '2026-04-12', { sequential: new Map([['series', { ...state.get('series')!, source: 'playlist:old' }]]) }))
  t.same(episodes(repointed), ['Episode 5', 'Episode 6'], 'a block pointed at another source holding its last item goes on after it')
  t.same(repointed.warnings.filter((w) => w.block === 'series'), [], 'silently')
  const gone = buildChannel(input('2026-04-06', '2026-04-12', { sequential: new Map([['series', { key: 'url:https://cdn.example/old/4.mp4', position: 3, source: 'playlist:old', title: 'Old Show 4' }]]) }))
  t.same(episodes(gone), ['Episode 1', 'Episode 2'], 'a series whose last aired item is gone starts again')
  t.match(gone.warnings.filter((w) => w.code === 'SEQUENTIAL_RESTARTED'), [{ block: 'series', message: /its last aired item "Old Show 4" is no longer in the playlist/ }], 'and says so, naming it')
})

t.test('cooldown is never broken inside a block whose source is large enough, counting stored plays', async (t) => {
  // A film aired 100 h before the window is still in its 168 h cooldown for the first 68 h.
  const stored = new Map([['url:https://cdn.example/Film/1.mp4', [Date.parse('2026-03-19T00:00:00Z')]]])
  const r = buildChannel(input('2026-03-23', '2026-04-05', { plays: stored }))
  const plays = ofBlock(r, 'films').filter((e) => e.origin.kind === 'item' && e.in_ms === 0).map((e, index) => ({ index, title: e.title, start: e.start, video_url: e.video_url }))
  t.equal(findCooldownViolations(plays, 168, { stored }).total, 0, 'no film inside its 168 h cooldown')
  t.equal(r.stats.cooldown_overrides, 0)
  t.notOk(plays.some((p) => p.title === 'Film 1' && p.start < Date.parse('2026-03-26T00:00:00Z')), 'the film stored 100 h before the window does not air in its first 68 h')
})

t.test('a source too small for its cooldown is said up front, and its overrides counted', async (t) => {
  const small = new Map(sources)
  small.set('playlist:films', films.slice(0, 3))
  const r = buildChannel(input('2026-03-23', '2026-03-29', { sources: small }))
  t.ok(r.warnings.some((w) => w.code === 'SOURCE_TOO_SMALL' && w.block === 'films'), 'SOURCE_TOO_SMALL')
  t.ok(r.stats.cooldown_overrides > 0, `${r.stats.cooldown_overrides} cooldown overrides`)
  t.ok(ofBlock(r, 'films').some((e) => e.reason.startsWith('shuffle: every item in cooldown')), 'the reason says so')
})

t.test('kept events are built around; a missing source and a missing default filler are warned, not failed', async (t) => {
  const kept = [{ id: 'k1', title: 'Pinned talk', start: Date.parse('2026-03-24T20:30:00Z'), end: Date.parse('2026-03-24T21:10:00Z'), video_url: null, kept: 'pinned' as const }]
  const noMusic = new Map(sources)
  noMusic.delete('playlist:series')
  const r = buildChannel(input('2026-03-23', '2026-03-29', { kept, sources: noMusic, channel: { id: 'ch', timezone: ZONE, default_filler: null } }))
  t.notOk(r.events.some((e) => e.start < kept[0].end && kept[0].start < e.end), 'nothing built over the pinned event')
  t.equal(r.stats.kept_pinned, 1)
  t.ok(r.warnings.some((w) => w.code === 'SOURCE_MISSING' && w.block === 'block "series"'), 'SOURCE_MISSING')
  t.ok(r.warnings.some((w) => w.code === 'NO_DEFAULT_FILLER'), 'NO_DEFAULT_FILLER')
  t.ok(r.stats.minutes_empty > 0)
})

t.test('a build over 93 days, and one that would make too many events, are refused before building', async (t) => {
  t.throws(() => buildChannel(input('2026-01-01', '2026-04-04')), { code: 'VALIDATION_FAILED', errors: [{ field: 'from' }] }, 'over 93 days: VALIDATION_FAILED')
  const tiny = new Map(sources)
  tiny.set('playlist:music', items('Blip', 3, () => 1))
  t.throws(() => buildChannel(input('2026-01-01', '2026-03-31', { sources: tiny })), { code: 'BUILD_TOO_LARGE', errors: [{ field: 'to' }] }, 'a default filler of 1 s items over 90 days: BUILD_TOO_LARGE')
  t.throws(() => buildChannel(input('2026-01-02', '2026-01-01')), { code: 'VALIDATION_FAILED', errors: [{ field: 'to' }] }, 'to before from')
})

t.test('measure: 93 days of a 30-block template from a 10,000-item source, in process', async (t) => {
  const big = items('Clip', 10_000, (i) => (2 + (i * 37) % 89) * 60)
  const many = new Map(sources)
  many.set('playlist:big', big)
  const orders = ['shuffle', 'sequential', 'random'] as const
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
  const slots = [['06:00', '09:00'], ['12:00', '14:00'], ['18:00', '20:00'], ['20:00', '23:30']]
  const blocks: Block[] = []
  days.forEach((day, d) => slots.forEach(([start, end], s) => blocks.push({
    id: `b${d}-${s}`,
    days: [day],
    start,
    end,
    source: { playlist: 'big' },
    order: orders[(d + s) % 3],
    cooldown_hours: 72,
    fill: 'pad',
    filler: 'trailers',
    breaks: s === 3 ? { every_minutes: 15, max_seconds: 120, filler: 'idents' } : null
  })))
  blocks.push({ id: 'late-sat', days: ['sat'], start: '00:00', end: '02:00', source: { playlist: 'big' }, order: 'shuffle', fill: 'cut' })
  blocks.push({ id: 'late-sun', days: ['sun'], start: '00:00', end: '02:00', source: { playlist: 'big' }, order: 'random', fill: 'gap' })
  const started = performance.now()
  const r = buildChannel(input('2026-03-01', '2026-06-01', { sources: many, template: { cooldown_hours: 48, blocks }, overrides: [] }))
  const ms = performance.now() - started
  t.comment(`93-day build, ${blocks.length} blocks, 10,000 items: ${r.events.length} events in ${Math.round(ms)} ms`)
  console.log(`# measure: 93-day build, ${blocks.length} blocks, 10,000-item source: ${r.events.length} events in ${Math.round(ms)} ms (in process)`)
  t.equal(blocks.length, 30)
  t.ok(r.events.length > 0)
})

/** The events of each programme, in time order, by programme id. */
function programmesOf (events: BuiltEvent[]): Map<string, BuiltEvent[]> {
  const by = new Map<string, BuiltEvent[]>()
  for (const e of events) {
    const list = by.get(e.programme_id) ?? []
    list.push(e)
    by.set(e.programme_id, list)
  }
  return by
}

t.test('programmes: each airing of an item is one programme, its parts, the breaks inside it and the pad after it; a default filler stretch is one', async (t) => {
  const r = buildChannel(input('2026-03-23', '2026-03-29'))
  const programmes = programmesOf(r.events)
  const roleOf = { item: 'part', break: 'break', filler: 'pad', default: 'part', fixed: 'part' } as const
  t.ok(r.events.every((e) => e.segment_role === roleOf[e.origin.kind]), 'a segment\'s role follows its origin')
  const wrong: string[] = []
  for (const [id, list] of programmes) {
    const parts = list.filter((e) => e.segment_role === 'part')
    const sameMedia = new Set(parts.map((e) => e.video_key)).size <= 1
    const contiguous = list.every((e, i) => i === 0 || e.start === list[i - 1].end)
    const continuing = parts.every((e, i) => i === 0 || e.in_ms === parts[i - 1].in_ms + (parts[i - 1].end - parts[i - 1].start))
    const padLast = list.findIndex((e) => e.segment_role === 'pad') === -1 || list.slice(list.findIndex((e) => e.segment_role === 'pad')).every((e) => e.segment_role === 'pad')
    const kinds = new Set(list.map((e) => e.origin.kind === 'item' ? 'item' : e.origin.kind === 'default' ? 'default' : 'other'))
    const oneStretch = !kinds.has('default') || kinds.size === 1
    const ok = (list[0].origin.kind === 'default' ? true : sameMedia && continuing) && contiguous && padLast && oneStretch
    if (!ok) wrong.push(`${id}: ${list.map((e) => `${e.segment_role} ${e.title}`).join(', ')}`)
  }
  t.same(wrong, [], 'every programme: one media with continuing in_ms, no gap, its pad last, default filler alone')
  const airings = r.events.filter((e) => e.origin.kind === 'item' && e.in_ms === 0).length
  const itemProgrammes = [...programmes.values()].filter((list) => list.some((e) => e.origin.kind === 'item')).length
  t.equal(itemProgrammes, airings, 'one programme per airing')
  // Default filler stretches: one programme each, from a block's end to the next block's start.
  const stretches = r.events.filter((e, i) => e.origin.kind === 'default' && r.events[i - 1]?.origin.kind !== 'default').length
  t.equal(new Set(r.events.filter((e) => e.origin.kind === 'default').map((e) => e.programme_id)).size, stretches, 'one filler programme per default filler stretch')
  t.ok(r.events.every((e) => /^b1-[0-9a-f]{12}$/.test(e.programme_id)), 'programme ids made from the build id')
  t.same(buildChannel(input('2026-03-23', '2026-03-29')).events.map((e) => e.programme_id), r.events.map((e) => e.programme_id), 'the same input, the same programmes')
})

t.test('a 40-minute film with a break every 15 minutes is one programme of 3 parts and 2 breaks, then its pad; guide modes come from each source', async (t) => {
  const one = new Map(sources)
  one.set('playlist:one-film', items('Long film', 1, () => 40 * 60))
  const block: Block = { id: 'film', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '20:00', end: '21:00', source: { playlist: 'one-film' }, order: 'shuffle', cooldown_hours: 0, fill: 'pad', filler: 'trailers', breaks: { every_minutes: 15, max_seconds: 120, filler: 'idents' }, guide: 'own' }
  const r = buildChannel(input('2026-03-24', '2026-03-24', {
    template: { cooldown_hours: 0, blocks: [block] },
    overrides: [],
    channel: { id: 'ch', timezone: ZONE, default_filler: 'music', default_filler_guide: 'meld' },
    sources: one,
    playlistGuides: new Map([['idents', 'hide']])
  }))
  const film = ofBlock(r, 'film')
  const programmes = programmesOf(film)
  t.equal(programmes.size, 1, 'the film, its breaks and its pad: one programme')
  const [list] = programmes.values()
  const roles = list.map((e) => e.segment_role).join(' ').replace(/(break )+/g, 'break ').replace(/( pad)+$/, ' pad')
  t.equal(roles, 'part break part break part pad', 'its segments in order')
  t.same(list.filter((e) => e.segment_role === 'part').map((e) => e.in_ms), [0, 15 * MIN, 30 * MIN], 'the parts continue where the last stopped')
  t.ok(list.filter((e) => e.segment_role === 'part').every((e) => e.guide_mode === 'own'), 'parts: the block\'s guide mode')
  t.ok(list.filter((e) => e.segment_role === 'break').every((e) => e.guide_mode === 'hide'), 'breaks: their playlist\'s guide mode')
  t.ok(list.filter((e) => e.segment_role === 'pad').every((e) => e.guide_mode === null), 'pad: its playlist has none (the default rule)')
  const filler = r.events.filter((e) => e.origin.kind === 'default')
  t.ok(filler.length > 0 && filler.every((e) => e.guide_mode === 'meld' && e.segment_role === 'part'), 'default filler: the channel\'s default_filler_guide')
  t.equal(new Set(filler.map((e) => e.programme_id)).size, 2, 'the stretch before the block and the one after: two filler programmes')
})

t.test('the pad before a fixed event belongs to the programme before it, never to the item pushed after it', async (t) => {
  const r = buildChannel(input('2026-12-24', '2026-12-24'))
  const fixed = r.events.find((e) => e.origin.kind === 'fixed')!
  t.match(fixed, { segment_role: 'part', guide_mode: null })
  t.equal(r.events.filter((e) => e.programme_id === fixed.programme_id).length, 1, 'the fixed event is a programme of its own')
  const pushed = r.events.find((e) => e.reason.includes('pushed after fixed'))!
  const padBefore = r.events.filter((e) => e.end <= fixed.start && e.origin.kind === 'filler' && e.end > fixed.start - HOUR)
  t.ok(padBefore.length > 0, 'there is pad before the fixed event')
  const lastItem = r.events.filter((e) => e.end <= fixed.start && e.origin.kind === 'item').at(-1)!
  t.ok(padBefore.filter((e) => e.start >= lastItem.end).every((e) => e.programme_id === lastItem.programme_id), 'the pad joins the item aired before it')
  t.ok(r.events.filter((e) => e.programme_id === pushed.programme_id).every((e) => e.start >= fixed.end), 'the pushed item\'s programme is all after the fixed event')
})
