import t from 'tap'
import fc from 'fast-check'
import { buildChannel } from '../../workers/channels/build.js'
import { CooldownPolicy, itemCooldownHours, type Piece } from '../../workers/channels/cooldown-policy.js'
import type { Block, BuildInput, SourceItem, Template } from '../../workers/channels/types.js'

// SPEC §15: an item's cooldown resolves block cooldown_hours > playlist cooldown_hours >
// template cooldown_by_category[category] > template cooldown_hours; filler, pad, break clips,
// later parts of an airing, fixed items and fixed events are no airings unless a source sets
// cooldown_hours.

const HOUR = 3_600_000

// Four one-hour items in two one-hour slots a day: on the third day at 00:00 the least recent
// item last aired exactly 48 h before. A cooldown of 47 h lets it air; one of 49 h keeps every
// item in its cooldown, so the block airs one anyway and counts a cooldown override.
const items: SourceItem[] = ['A', 'B', 'C', 'D'].map((n) => ({ url: `https://cdn.example/${n}.mp4`, title: `Film ${n}`, duration: 3600, category: 'Films' }))
const block = (more: Partial<Block> = {}): Block => ({ id: 'films', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '02:00', source: { playlist: 'p' }, order: 'shuffle', fill: 'gap', ...more })

function overrides (template: Omit<Template, 'blocks'>, b: Block, playlistCooldowns = new Map<string, number>()): number {
  const input: BuildInput = {
    channel: { id: 'ch', timezone: 'UTC', default_filler: null },
    template: { ...template, blocks: [b] },
    overrides: [],
    from: '2026-03-02',
    to: '2026-03-04',
    seed: 's',
    now: 0,
    freezeMs: 0,
    buildId: '00000000-0000-4000-8000-000000000000',
    sources: new Map([['playlist:p', items]]),
    kept: [],
    plays: new Map(),
    sequential: new Map(),
    playlistCooldowns
  }
  return buildChannel(input).stats.cooldown_overrides
}

t.test('the builder resolves each item\'s cooldown: block > playlist > category > template', async (t) => {
  t.equal(overrides({ cooldown_hours: 47 }, block()), 0, 'the template\'s 47 h: day 3 airs day 1\'s items again')
  t.ok(overrides({ cooldown_hours: 49 }, block()) > 0, 'the template\'s 49 h: day 3 is inside every item\'s cooldown')
  t.equal(overrides({ cooldown_hours: 49, cooldown_by_category: { Films: 47 } }, block()), 0, 'the category\'s 47 h wins over the template\'s 49 h')
  t.ok(overrides({ cooldown_hours: 47, cooldown_by_category: { Series: 1 } }, block()) === 0 && overrides({ cooldown_hours: 49, cooldown_by_category: { Series: 1 } }, block()) > 0, 'another category\'s entry does not apply')
  t.ok(overrides({ cooldown_hours: 47, cooldown_by_category: { Films: 47 } }, block(), new Map([['p', 49]])) > 0, 'the playlist\'s 49 h wins over the category\'s 47 h')
  t.equal(overrides({ cooldown_hours: 49, cooldown_by_category: { Films: 49 } }, block({ cooldown_hours: 47 }), new Map([['p', 49]])), 0, 'the block\'s 47 h wins over the playlist\'s 49 h')
  t.ok(overrides({ cooldown_hours: 47 }, block({ cooldown_hours: 49 }), new Map([['p', 47]])) > 0, 'the block\'s 49 h wins over the playlist\'s 47 h')
  t.equal(overrides({}, block()), 0, 'no cooldown anywhere: the default 48 h, and exactly 48 h after is out of it')
  t.ok(overrides({ cooldown_by_category: { Films: 49 } }, block()) > 0, 'no template cooldown_hours: the category\'s still applies')
})

t.test('itemCooldownHours reads each level only when the ones above it say nothing', async (t) => {
  const facts = { template: { cooldown_hours: 10, cooldown_by_category: { News: 2 }, blocks: [] }, playlists: new Map([['p', 5]]) }
  t.equal(itemCooldownHours(facts, { cooldown_hours: 1 }, 'p', 'News'), 1)
  t.equal(itemCooldownHours(facts, { cooldown_hours: null }, 'p', 'News'), 5)
  t.equal(itemCooldownHours(facts, {}, 'q', 'News'), 2)
  t.equal(itemCooldownHours(facts, undefined, null, 'Films'), 10)
  t.equal(itemCooldownHours({ template: { blocks: [] }, playlists: new Map() }, undefined, null, null), 48, 'the default')
  t.equal(itemCooldownHours(facts, { cooldown_hours: 0 }, 'p', 'News'), 0, 'a block\'s 0 h is a cooldown of none, not "unset"')
})

t.test('property: the first level that says a cooldown wins, whatever the others say', async (t) => {
  const hours = fc.option(fc.integer({ min: 0, max: 8784 }), { nil: undefined })
  fc.assert(fc.property(hours, hours, hours, hours, fc.constantFrom('Films', 'News', null), (block, playlist, category, template, itemCategory) => {
    const facts = {
      template: {
        ...(template !== undefined && { cooldown_hours: template }),
        ...(category !== undefined && { cooldown_by_category: { Films: category } }),
        blocks: []
      },
      playlists: new Map(playlist === undefined ? [] : [['p', playlist]])
    }
    const expected = [block, playlist, itemCategory === 'Films' ? category : undefined, template, 48].find((h) => h !== undefined)
    return itemCooldownHours(facts, { cooldown_hours: block ?? null }, 'p', itemCategory) === expected
  }))
  t.pass('block > playlist > category > template > 48')
})

t.test('which pieces are airings', async (t) => {
  const films: Block = { id: 'films', days: ['mon'], start: '20:00', end: '23:00', source: { playlist: 'films' }, cooldown_hours: 168, filler: 'trailers', breaks: { every_minutes: 30, max_seconds: 120, filler: 'idents' } }
  const news: Block = { id: 'news', days: ['mon'], start: '08:00', end: '08:30', source: { item: { url: 'https://cdn.example/news.mp4', title: 'News', duration: 1800 } } }
  const counted: Block = { ...news, id: 'counted-news', cooldown_hours: 20 }
  const policy = (playlists = new Map<string, number>()): CooldownPolicy => new CooldownPolicy({
    template: { cooldown_hours: 48, cooldown_by_category: { Drama: 72 }, blocks: [films, news, counted] },
    overrides: [{ id: 'o1', blocks: [{ ...films, id: 'films', cooldown_hours: 12 }] }],
    playlists,
    defaultFiller: 'music'
  })
  const piece = (more: Partial<Piece>): Piece => ({ origin_kind: 'item', origin_block: 'films', origin_override: null, origin_source: 'playlist:films', segment_role: 'part', in_ms: 0, category: null, ...more })
  const p = policy()
  t.equal(p.of(piece({})), 168 * HOUR, 'a film: its block\'s cooldown')
  t.equal(p.of(piece({ origin_override: 'o1' })), 12 * HOUR, 'an override\'s block of the same id: its own')
  t.equal(p.of(piece({ in_ms: 1_800_000 })), null, 'a film\'s part after a break')
  t.equal(p.of(piece({ origin_kind: 'break', origin_source: null, segment_role: 'break' })), null, 'a break clip')
  t.equal(p.of(piece({ origin_kind: 'filler', origin_source: null, segment_role: 'pad' })), null, 'a pad clip')
  t.equal(p.of(piece({ origin_kind: 'default', origin_block: null, origin_source: 'playlist:music' })), null, 'the default filler')
  t.equal(p.of(piece({ origin_block: 'news', origin_source: 'item:url:https://cdn.example/news.mp4' })), null, 'a fixed item')
  t.equal(p.of(piece({ origin_block: 'counted-news', origin_source: 'item:url:https://cdn.example/news.mp4' })), 20 * HOUR, 'a fixed item whose block sets cooldown_hours')
  t.equal(p.of(piece({ origin_kind: 'fixed', origin_block: null, origin_override: 'o1', origin_source: null })), null, 'a fixed event')
  t.equal(p.of(piece({ origin_kind: null, origin_block: null, origin_source: null, category: 'Drama' })), 72 * HOUR, 'a hand-added event: its category\'s')
  t.equal(p.of(piece({ origin_kind: null, origin_block: null, origin_source: null, segment_role: null })), 48 * HOUR, 'a placed schedule\'s event: the template\'s')
  const spaced = policy(new Map([['idents', 2], ['music', 1], ['trailers', 3]]))
  t.equal(spaced.of(piece({ origin_kind: 'break', origin_source: null, segment_role: 'break' })), 2 * HOUR, 'a break playlist with cooldown_hours: its clips count')
  t.equal(spaced.of(piece({ origin_kind: 'filler', origin_source: null, segment_role: 'pad' })), 3 * HOUR, 'the block\'s pad filler with cooldown_hours')
  t.equal(spaced.of(piece({ origin_kind: 'default', origin_block: null, origin_source: 'playlist:music' })), 1 * HOUR, 'the default filler with cooldown_hours')
  t.equal(spaced.of(piece({ origin_kind: 'break', origin_source: null, segment_role: 'break', in_ms: 5000 })), null, 'the rest of a cut clip is still no airing')
  t.equal(p.longestMs, 168 * HOUR, 'the longest cooldown any piece may have: how far a page\'s marks read')
})
