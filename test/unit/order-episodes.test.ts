import t from 'tap'
import fc from 'fast-check'
import { buildChannel } from '../../workers/channels/build.js'
import { entriesOf } from '../../workers/orders/index.js'
import { inEpisodeOrder } from '../../workers/orders/episodes.js'
import type { Block, BuildInput, SourceItem } from '../../workers/channels/types.js'

// A sequential block airs in season and episode order where they are known (SPEC §15); items
// without numbers keep their place. Every aired item with numbers is named by them (xmltv_ns).

const item = (title: string, season: number | null, episode: number | null, seconds = 1500): SourceItem =>
  ({ url: `https://cdn.example/${encodeURIComponent(title)}.mp4`, title, duration: seconds, category: null, season, episode })

t.test('numbered items sort among their places; the others stay where the playlist put them', async (t) => {
  const entries = entriesOf([item('Intro', null, null), item('S01E02', 1, 2), item('S02E01', 2, 1), item('S01E01', 1, 1), item('Recap', null, null), item('Ep. 3', null, 3)])
  const ordered = inEpisodeOrder(entries)
  t.same(ordered.map((e) => e.item.title), ['Intro', 'Ep. 3', 'S01E01', 'S01E02', 'Recap', 'S02E01'], 'an episode without a season sorts before every season')
  t.same(ordered.map((e) => e.position), [0, 1, 2, 3, 4, 5], 'positions count in the new order')
  t.equal(inEpisodeOrder(entries), ordered, 'made once per source')
  const plain = entriesOf([item('A', null, null), item('B', null, null)])
  t.equal(inEpisodeOrder(plain), plain, 'nothing numbered: the source as it is')
})

const numbered = fc.array(fc.record({
  season: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  episode: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null })
}), { maxLength: 30 }).map((rows) => entriesOf(rows.map((r, i) => item(`item ${i}`, r.season, r.episode))))

t.test('the order is a stable sort of the numbered items over their own places', async (t) => {
  fc.assert(fc.property(numbered, (entries) => {
    const ordered = inEpisodeOrder(entries)
    if (ordered.length !== entries.length) return false
    if (!ordered.every((e, i) => e.position === i)) return false
    // the same items, each once
    if (new Set(ordered.map((e) => e.item)).size !== entries.length) return false
    // an item without an episode number stays at its index
    if (!entries.every((e, i) => e.item.episode != null || ordered[i].item === e.item)) return false
    // the numbered ones in (season, episode) order, ties in playlist order
    const seq = ordered.filter((e) => e.item.episode != null)
    const sourceIndex = new Map(entries.map((e, i) => [e.item, i]))
    return seq.every((e, k) => {
      if (k === 0) return true
      const a = seq[k - 1].item
      const b = e.item
      const sa = a.season ?? -1
      const sb = b.season ?? -1
      return sa < sb || (sa === sb && (a.episode! < b.episode! || (a.episode === b.episode && sourceIndex.get(a)! < sourceIndex.get(b)!)))
    })
  }), { numRuns: 300 })
  t.pass('300 random sources')
})

t.test('a sequential block airs a shuffled series in episode order, each named by its season and episode', async (t) => {
  const shuffled = [item('Harbour Lights S02E03', 2, 3), item('Harbour Lights S01E02', 1, 2), item('Harbour Lights S02E01', 2, 1), item('Harbour Lights S01E01', 1, 1), item('Harbour Lights S02E02', 2, 2)]
  const block: Block = { id: 'series', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '19:00', end: '19:30', source: { playlist: 'series' }, order: 'sequential', fill: 'gap' }
  const shuffle: Block = { ...block, id: 'repeats', start: '21:00', end: '21:30', order: 'shuffle' }
  const input: BuildInput = {
    channel: { id: 'ch', timezone: 'Europe/London', default_filler: null },
    template: { blocks: [block, shuffle] },
    overrides: [],
    from: '2026-12-07',
    to: '2026-12-13',
    seed: 's',
    now: 0,
    freezeMs: 0,
    buildId: 'b1',
    sources: new Map([['playlist:series', shuffled]]),
    kept: [],
    plays: new Map(),
    sequential: new Map()
  }
  const result = buildChannel(input)
  const aired = result.events.filter((e) => e.origin.kind === 'item' && e.origin.block === 'series')
  t.same(aired.map((e) => e.title.slice(-6)), ['S01E01', 'S01E02', 'S02E01', 'S02E02', 'S02E03', 'S01E01', 'S01E02'], 'in season and episode order, then round again')
  t.same(aired.map((e) => e.episode_num), ['0.0.', '0.1.', '1.0.', '1.1.', '1.2.', '0.0.', '0.1.'])
  t.same(aired.map((e) => e.origin_position), [0, 1, 2, 3, 4, 0, 1], 'positions in episode order')
  const repeats = result.events.filter((e) => e.origin.kind === 'item' && e.origin.block === 'repeats')
  t.ok(repeats.length > 0 && repeats.every((e) => e.episode_num === `${Number(e.title.slice(-4, -3)) - 1}.${Number(e.title.slice(-1)) - 1}.`), 'a shuffled block names its episodes too')
})

t.test('without numbers a sequential block still counts playlist positions', async (t) => {
  const block: Block = { id: 'series', days: ['sat'], start: '18:00', end: '18:30', source: { playlist: 'p' }, order: 'sequential', fill: 'gap' }
  const result = buildChannel({
    channel: { id: 'ch', timezone: 'UTC', default_filler: null },
    template: { blocks: [block] },
    overrides: [],
    from: '2026-12-05',
    to: '2026-12-12',
    seed: 's',
    now: 0,
    freezeMs: 0,
    buildId: 'b1',
    sources: new Map([['playlist:p', [item('Part A', null, null), item('Part B', null, null), item('Part C', null, null)]]]),
    kept: [],
    plays: new Map(),
    sequential: new Map()
  })
  t.same(result.events.filter((e) => e.origin.kind === 'item').map((e) => [e.title, e.episode_num]), [['Part A', '.0/3.'], ['Part B', '.1/3.']])
})
