import t from 'tap'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { buildChannel } from '../../workers/channels/build.js'
import type { Block, BuildInput, BuildResult, SourceItem } from '../../workers/channels/types.js'
import { fillSchedule } from '../../workers/autofill/fill.js'
import type { FillLink, FillPlan } from '../../workers/autofill/request.js'

// Seeded output pinned: every order (shuffle, sequential, random, a fixed item) in a channel
// build, and every auto-fill mode, compared line by line with what the code gave when the
// fixture was written (test/fixtures/order-outputs.json, a real run, never edited by hand; the longer runs
// kept as their line count and digest).
// A refactor of the orders or of the builder must leave these identical; a deliberate change
// of what airs rewrites the fixture: ORDER_FIXTURES=write npx tap test/unit/order-outputs.test.ts.

const FIXTURE = new URL('../fixtures/order-outputs.json', import.meta.url)
const HOUR = 3_600_000
const ZONE = 'Europe/London'

const items = (prefix: string, count: number, seconds: (i: number) => number | null, extra: (i: number) => Partial<SourceItem> = () => ({})): SourceItem[] =>
  Array.from({ length: count }, (_, i) => ({ url: `https://cdn.example/${prefix}/${i + 1}.mp4`, title: `${prefix} ${i + 1}`, duration: seconds(i), category: i % 3 === 0 ? 'A' : 'B', ...extra(i) }))

const sources = new Map<string, SourceItem[]>([
  ['playlist:films', [...items('Film', 12, (i) => (80 + (i * 7) % 50) * 60), ...items('Short', 3, (i) => (8 + i) * 60)]],
  ['playlist:series', items('Episode', 6, (i) => i === 2 ? null : 25 * 60)],
  ['playlist:series#Season 2', items('S2 Episode', 4, () => 40 * 60)],
  ['playlist:songs', items('Song', 9, (i) => 180 + (i * 41) % 200, (i) => ({ weight: i === 0 ? 5 : i === 1 ? 0.5 : i === 2 ? null : 1 }))],
  ['playlist:few', items('Few', 2, () => 20 * 60)],
  ['playlist:idents', items('Ident', 4, (i) => 20 + i * 7)],
  ['playlist:trailers', items('Trailer', 5, (i) => 60 + (i * 13) % 120)],
  ['playlist:default', items('Loop', 6, (i) => (20 + i * 5) * 60)]
])

const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as Block['days']
const blocks: Block[] = [
  { id: 'news', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '08:30', title: 'Morning News', source: { item: { url: 'https://cdn.example/news.mp4', title: 'Morning News', duration: 1800 } } },
  { id: 'films', days: every, start: '20:00', end: '23:00', source: { playlist: 'films' }, order: 'shuffle', cooldown_hours: 72, fill: 'pad', filler: 'trailers', breaks: { every_minutes: 30, max_seconds: 90, filler: 'idents' } },
  { id: 'series', days: every, start: '18:00', end: '19:10', source: { playlist: 'series' }, order: 'sequential', fill: 'gap' },
  { id: 'season2', days: ['sat', 'sun'], start: '12:00', end: '13:30', source: { playlist: 'series', group: 'Season 2' }, order: 'sequential', fill: 'cut' },
  { id: 'songs', days: every, start: '10:00', end: '11:00', source: { playlist: 'songs' }, order: 'random', cooldown_hours: 1, fill: 'pad', filler: 'idents' },
  { id: 'few-random', days: every, start: '14:00', end: '15:30', source: { playlist: 'few' }, order: 'random', fill: 'gap' },
  { id: 'few-shuffle', days: every, start: '16:00', end: '17:30', title: 'Two films', source: { playlist: 'few' }, fill: 'pad', filler: 'trailers' }
]

function channelInput (more: Partial<BuildInput> = {}): BuildInput {
  return {
    channel: { id: 'ch', timezone: ZONE, default_filler: 'default' },
    template: { cooldown_hours: 24, blocks },
    overrides: [{
      id: 'o1',
      seq: 1,
      name: 'Special',
      from: '2026-10-25',
      to: '2026-10-25',
      days: null,
      replace: 'blocks',
      blocks: [{ id: 'special', days: every, start: '19:00', end: '23:30', source: { playlist: 'films' }, order: 'random', fill: 'pad', filler: 'trailers' }],
      events: [{ title: 'Live', start: Date.parse('2026-10-25T21:00:00Z'), end: Date.parse('2026-10-25T21:45:00Z'), video_url: 'rtmp://live.example/x', category: null, description: null }]
    }],
    from: '2026-10-23',
    to: '2026-10-26',
    seed: 'golden',
    now: Date.parse('2026-10-01T00:00:00Z'),
    freezeMs: 0,
    buildId: 'b',
    sources,
    kept: [{ id: 'k', title: 'Pinned', start: Date.parse('2026-10-24T20:40:00Z'), end: Date.parse('2026-10-24T21:05:00Z'), video_url: null, kept: 'pinned' }],
    plays: new Map([['url:https://cdn.example/Film/3.mp4', [Date.parse('2026-10-22T21:00:00Z')]], ['url:https://cdn.example/Few/1.mp4', [Date.parse('2026-10-23T13:00:00Z')]]]),
    sequential: new Map([['series', { key: 'url:https://cdn.example/Episode/5.mp4', position: 4, source: 'playlist:series' }], ['season2', { key: 'gone', position: 1, source: 'playlist:old' }]]),
    ...more
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16)
const buildLines = (r: BuildResult): string[] => [
  ...r.events.map((e) => [iso(e.start), iso(e.end), e.title, e.origin.kind, e.origin.block ?? '', e.origin.override ?? '', e.origin_source ?? '', e.origin_position ?? '', e.in_ms, e.episode_num ?? '', e.guide_id, e.guide_title ?? '', e.reason].join(' | ')),
  JSON.stringify(r.stats),
  ...r.warnings.map((w) => `${w.code} ${w.block ?? ''} ${w.date ?? ''}: ${w.message}`),
  `warnings_total ${r.warnings_total}`
]

const links: FillLink[] = items('Clip', 14, (i) => i % 5 === 4 ? null : (4 + (i * 11) % 40) * 60).map((s, i) => ({ url: s.url!, title: i === 9 ? 'Clip 2' : s.title, duration: s.duration, category: i % 4 === 0 ? null : s.category }))
const START = Date.UTC(2026, 2, 28, 6)
const fillPlan = (more: Partial<FillPlan>): FillPlan => ({ playlistId: null, links: null, start: START, end: START + 30 * HOUR, cooldownMs: 6 * HOUR, shuffle: true, seed: 'golden', slotMs: null, timezone: ZONE, whenExhausted: 'least_recent', dryRun: false, name: null, decisionsOffset: 0, assumeMs: 1_800_000, ...more })
const fillLines = (plan: FillPlan): string[] => {
  const r = fillSchedule(plan, links, new Map([['url:https://cdn.example/Clip/1.mp4', [START - HOUR]], ['url:https://cdn.example/Clip/4.mp4', [START + 3 * HOUR]]]))
  return [...r.events.map((e, i) => `${iso(e.start)} ${iso(e.end)} ${e.title} ${e.category ?? ''}${r.overridden[i] ? ' overridden' : ''}`), JSON.stringify(r.stats), ...r.decisions, `decisions_total ${r.decisions_total}`]
}

/** A big build, pinned by its digest: 30 blocks of every order over 5 weeks from a 2,000-item source. */
function bigBuild (): string[] {
  const big = items('Clip', 2000, (i) => (2 + (i * 37) % 89) * 60)
  const orders = ['shuffle', 'sequential', 'random'] as const
  const slots = [['06:00', '09:00'], ['12:00', '14:00'], ['18:00', '20:00'], ['20:00', '23:30']]
  const many: Block[] = every.flatMap((day, d) => slots.map(([start, end], s): Block => ({
    id: `b${d}-${s}`, days: [day], start, end, source: { playlist: 'big' }, order: orders[(d + s) % 3], cooldown_hours: 72, fill: (['pad', 'gap', 'cut'] as const)[s % 3], filler: 'trailers', breaks: s === 3 ? { every_minutes: 15, max_seconds: 120, filler: 'idents' } : null
  })))
  const r = buildChannel(channelInput({ sources: new Map([...sources, ['playlist:big', big]]), template: { cooldown_hours: 48, blocks: many }, from: '2026-03-02', to: '2026-04-05', sequential: new Map() }))
  return digest(buildLines(r))
}

/** Lines too many to keep in the fixture: their count and digest. */
const digest = (lines: string[]): string[] => [`${lines.length} lines`, createHash('sha256').update(lines.join('\n')).digest('hex')]

function outputs (): Record<string, string[]> {
  return {
    'channel build, every order': buildLines(buildChannel(channelInput())),
    'channel build, another seed, no stored state (digest)': digest(buildLines(buildChannel(channelInput({ seed: 'other', sequential: new Map(), plays: new Map() })))),
    'channel build, 5 weeks of 30 blocks (digest)': bigBuild(),
    'auto-fill, shuffle, least_recent': fillLines(fillPlan({})),
    'auto-fill, shuffle, gap, 30-minute slots (digest)': digest(fillLines(fillPlan({ whenExhausted: 'gap', slotMs: 30 * 60_000, cooldownMs: 10 * HOUR }))),
    'auto-fill, in playlist order, gap (digest)': digest(fillLines(fillPlan({ shuffle: false, whenExhausted: 'gap' }))),
    'auto-fill, in playlist order, least_recent, 20-minute slots (digest)': digest(fillLines(fillPlan({ shuffle: false, slotMs: 20 * 60_000, cooldownMs: 12 * HOUR })))
  }
}

const now = outputs()
if (process.env.ORDER_FIXTURES === 'write') writeFileSync(FIXTURE, JSON.stringify(now, null, 1) + '\n')
const pinned = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string[]>

t.same(Object.keys(now), Object.keys(pinned), 'the same scenarios as the fixture')
for (const [name, lines] of Object.entries(pinned)) {
  t.test(name, async (t) => {
    t.ok(lines.length >= 2, `${lines.length} lines pinned`)
    t.same(now[name], lines, 'identical to the pinned run')
  })
}
