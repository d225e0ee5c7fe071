import t from 'tap'
import { describeBuild, describeChannel, describeEdit, describeOverride, describeTemplate } from '../../workers/editing/summary.js'
import { handRow, type EventRow } from '../../workers/editing/plan.js'
import type { StoredOverride } from '../../workers/storage/channels.js'

// What a history entry says (SPEC §14), in words and in the timeline's zone: the phrases the
// panel's history shows. The API test (test/history-kinds.test.ts) reads them end to end.

const at = (hhmm: string, day = '2026-07-01'): number => Date.parse(`${day}T${hhmm}:00Z`)
const row = (id: string, title: string, start: string, end: string, more: Partial<EventRow> = {}): EventRow => ({
  ...handRow({ id, schedule_id: null, channel_id: 'c', position: 0, title, start_ms: at(start), end_ms: at(end), video_url: null, category: null, description: null, channel: null, reason: null, pinned: 0 }),
  ...more
})
const moved = (r: EventRow, by: number): EventRow => ({ ...r, start_ms: r.start_ms + by, end_ms: r.end_ms + by })

t.test('edits in words, in the zone', async (t) => {
  const film = row('a', 'Harbour Lights S02E04', '19:00', '19:30')
  // London is on BST (UTC+1) in July: 19:00Z is 20:00 there.
  t.equal(describeEdit({ added: [], removed: [], changed: [{ before: film, after: moved(film, 600_000) }] }, 'Europe/London'), 'Harbour Lights S02E04 moved 20:00 → 20:10')
  t.equal(describeEdit({ added: [], removed: [], changed: [{ before: film, after: { ...film, end_ms: at('19:45') } }] }, 'UTC'), 'Harbour Lights S02E04 resized 19:00–19:30 → 19:00–19:45')
  t.equal(describeEdit({ added: [], removed: [], changed: [{ before: film, after: moved(film, 5 * 3_600_000) }] }, 'UTC'), 'Harbour Lights S02E04 moved 19:00 → 2026-07-02 00:00', 'the date when it moves to another day')
  t.equal(describeEdit({ added: [], removed: [], changed: [{ before: film, after: { ...film, pinned: 1, title: 'New' } }] }, 'UTC'), 'Harbour Lights S02E04 retitled "New", pinned')

  // A programme of three segments moved together is one phrase; a ripple's events are counted.
  const parts = ['19:00', '19:15', '19:17'].map((s, i) => row(`p${i}`, i === 1 ? 'Break' : 'Film', s, ['19:15', '19:17', '20:30'][i], { programme_id: 'p', segment_role: i === 1 ? 'break' : 'part' }))
  const later = [row('x', 'News', '21:00', '21:30'), row('y', 'Weather', '21:30', '21:35')]
  const changes = {
    added: [],
    removed: [],
    changed: [...parts, ...later].map((r) => ({ before: r, after: moved(r, 600_000) }))
  }
  t.equal(describeEdit(changes, 'UTC', new Set(['x', 'y'])), 'Film moved 19:00 → 19:10; 2 events moved by a ripple')

  const adds = Array.from({ length: 5 }, (_, i) => row(`n${i}`, `Short ${i + 1}`, `1${i}:00`, `1${i}:10`))
  t.equal(describeEdit({ added: adds, removed: [], changed: [] }, 'UTC'), 'Short 1 added 2026-07-01 10:00–10:10; Short 2 added 2026-07-01 11:00–11:10; Short 3 added 2026-07-01 12:00–12:10; and 2 more')
  t.equal(describeEdit({ added: [], removed: [film], changed: [] }, 'UTC'), 'Harbour Lights S02E04 deleted (2026-07-01 19:00–19:30)')
})

t.test('builds, templates, overrides and settings in words', async (t) => {
  t.equal(describeBuild({ id: 'b', from: '2026-12-04', to: '2026-12-17', seed: 'abc', events: 1131, replaced: 980 }), 'built 2026-12-04 – 2026-12-17 (seed abc): 1,131 events, replaced 980')
  const films = { id: 'films-day', days: ['mon' as const], start: '14:00', end: '19:00', source: { playlist: 'p' } }
  const news = { id: 'news', days: ['mon' as const], start: '19:00', end: '19:30', source: { playlist: 'p' } }
  t.equal(describeTemplate({ cooldown_hours: 48, blocks: [films] }, { cooldown_hours: 48, blocks: [{ ...films, end: '18:30' }, news] }), 'block films-day: end 19:00 → 18:30; block news added (mon 19:00–19:30)')
  t.equal(describeTemplate({ blocks: [films, news] }, { blocks: [films] }), 'block news removed')
  t.equal(describeTemplate({ blocks: [films] }, { blocks: [{ ...films, source: { playlist: 'q' } }] }), 'block films-day: source changed')
  const race: StoredOverride = { id: 'o', channel_id: 'c', seq: 1, created: '', name: 'Boat Race', from: '2026-04-05', to: '2026-04-05', days: null, replace: 'blocks', blocks: [], events: [] }
  t.equal(describeOverride(null, race), 'override Boat Race added (2026-04-05)')
  t.equal(describeOverride(race, { ...race, to: '2026-04-06' }), 'override Boat Race changed: to 2026-04-05 → 2026-04-06')
  t.equal(describeOverride(race, null), 'override Boat Race deleted')
  t.equal(describeChannel({ name: 'Riverside' }, { name: 'Riverside TV' }), 'name: Riverside → Riverside TV')
})
