import t from 'tap'
import { handRow, planEdits, type EditTimeline, type EventRow } from '../../workers/editing/plan.js'
import { readEditOps } from '../../workers/editing/request.js'
import { CommandError } from '../../contract/command-error.js'

// Programme edits and ripple modes worked out on rows (SPEC §12, §14), before anything is
// stored: a programme's segments (parts between breaks, a break, the pad) move, trim and pin
// together; ripples `day` and `gap` never make an overlap. The API test
// (test/programme-edits.test.ts) runs the same through the real app on both databases.

const CHANNEL = 'c0000000-0000-4000-8000-000000000001'
const MIN = 60_000
const DAY = Date.parse('2026-03-02T00:00:00Z')
const at = (hhmm: string, day = 0): number => DAY + day * 86_400_000 + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MIN
const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16)

const HAND = { schedule_id: null, channel_id: CHANNEL, video_url: null, category: null, description: null, channel: null, reason: null, pinned: 0 }
let position = 0
/** A channel row: by hand unless `programme` and `role` say it is a built segment. */
function row (id: string, title: string, start: string, end: string, extra: Partial<EventRow> = {}, day = 0): EventRow {
  return {
    ...handRow({ ...HAND, id, position: position++, title, start_ms: at(start, day), end_ms: at(end, day) }),
    ...extra
  }
}

/** A film of 40 minutes split by a 2-minute break at 20 minutes, with 8 minutes of pad after it: 20:00–20:50. */
const film = (): EventRow[] => [
  row('p1', 'Film', '20:00', '20:20', { programme_id: 'F', segment_role: 'part', origin_kind: 'item', in_ms: 0 }),
  row('b1', 'Ident', '20:20', '20:22', { programme_id: 'F', segment_role: 'break', origin_kind: 'break' }),
  row('p2', 'Film', '20:22', '20:42', { programme_id: 'F', segment_role: 'part', origin_kind: 'item', in_ms: 20 * MIN }),
  row('pad', 'Loop', '20:42', '20:50', { programme_id: 'F', segment_role: 'pad', origin_kind: 'filler' })
]

const timeline: EditTimeline = { kind: 'channel', id: CHANNEL, zone: 'UTC', newRow: () => { throw new Error('no adds here') } }
let ids = 0
const plan = (rows: EventRow[], ops: unknown[]) => planEdits(timeline, rows, readEditOps({ ops }, 'UTC'), () => `n${ids++}`)
/** The rows after the plan, as a person reads them. */
function after (rows: EventRow[], ops: unknown[]): string[] {
  const { changes } = plan(rows, ops)
  const byId = new Map(rows.map((r) => [r.id, r]))
  for (const r of changes.removed) byId.delete(r.id)
  for (const { after } of changes.changed) byId.set(after.id, after)
  return [...byId.values()].sort((a, b) => a.start_ms - b.start_ms).map((r) => `${r.id} ${hhmm(r.start_ms)}-${hhmm(r.end_ms)}${r.pinned === 1 ? ' pinned' : ''}`)
}
const refusal = (fn: () => unknown): { code: string, field?: string, message: string } => {
  try { fn() } catch (e) { if (e instanceof CommandError) return { code: e.code, field: e.errors?.[0]?.field, message: e.message }; throw e }
  throw new Error('not refused')
}

t.test('a move shifts every segment (the break stays where it is in the film) and pins them', async (t) => {
  t.same(after(film(), [{ op: 'update', programme: 'F', start: '2026-03-02T20:10:00Z' }]),
    ['p1 20:10-20:30 pinned', 'b1 20:30-20:32 pinned', 'p2 20:32-20:52 pinned', 'pad 20:52-21:00 pinned'])
  const { results } = plan(film(), [{ op: 'update', programme: 'F', start: '2026-03-02T20:10:00Z' }])
  t.match(results[0], { op: 'update', id: 'F', programme: { id: 'F', kind: 'item', title: 'Film', start: '2026-03-02T20:10:00.000Z', end: '2026-03-02T21:00:00.000Z', pinned: true } })
  t.same(results[0].programme?.segments.map((s) => `${s.role} ${s.in_ms}-${s.out_ms}`), ['part 0-1200000', 'break 0-120000', 'part 1200000-2400000', 'pad 0-480000'])
  t.notOk(results[0].item_cut)
  t.same(after(film(), [{ op: 'update', programme: 'F', pinned: true }]).filter((r) => !r.endsWith('pinned')), [], 'pinned: every segment pinned')
})

t.test('a resize trims the pad first, then the item (said as item_cut), and extends only the pad', async (t) => {
  t.same(after(film(), [{ op: 'update', programme: 'F', end: '2026-03-02T20:45:00Z' }]),
    ['p1 20:00-20:20 pinned', 'b1 20:20-20:22 pinned', 'p2 20:22-20:42 pinned', 'pad 20:42-20:45 pinned'], 'into the pad: the pad shortened')
  t.notOk(plan(film(), [{ op: 'update', programme: 'F', end: '2026-03-02T20:45:00Z' }]).results[0].item_cut, 'the item is whole')
  t.same(after(film(), [{ op: 'update', programme: 'F', end: '2026-03-02T20:35:00Z' }]),
    ['p1 20:00-20:20 pinned', 'b1 20:20-20:22 pinned', 'p2 20:22-20:35 pinned'], 'past the pad: the pad gone, the last part cut')
  t.match(plan(film(), [{ op: 'update', programme: 'F', end: '2026-03-02T20:35:00Z' }]).results[0].item_cut,
    { code: 'ITEM_CUT', programme: 'F', cut_ms: 7 * MIN, message: /"Film" cut at 2026-03-02 20:35 UTC: 7 min of the item no longer airs/ })
  t.match(plan(film(), [{ op: 'update', programme: 'F', end: '2026-03-02T20:21:00Z' }]).results[0].item_cut, { cut_ms: 20 * MIN }, 'into the break: the last part goes whole')
  t.same(after(film(), [{ op: 'update', programme: 'F', end: '2026-03-02T21:00:00Z' }]).at(-1), 'pad 20:42-21:00 pinned', 'extended: the pad')
  const noPad = film().slice(0, 3)
  t.match(refusal(() => plan(noPad, [{ op: 'update', programme: 'F', end: '2026-03-02T21:00:00Z' }])), { code: 'VALIDATION_FAILED', field: 'ops.0.end', message: /no pad to extend/ })
  const hand = [row('h', 'Talk', '10:00', '10:30')]
  t.same(after(hand, [{ op: 'update', programme: 'h', end: '2026-03-02T11:00:00Z' }]), ['h 10:00-11:00 pinned'], 'a hand-added programme is resized as its event')
  t.match(refusal(() => plan(film(), [{ op: 'update', programme: 'F', start: '2026-03-02T21:00:00Z', end: '2026-03-02T20:00:00Z' }])), { field: 'ops.0.end' })
})

t.test('delete removes every segment; an unknown programme is NOT_FOUND; a schedule has none', async (t) => {
  t.same(after([...film(), row('x', 'Next', '20:50', '21:30')], [{ op: 'delete', programme: 'F' }]), ['x 20:50-21:30'])
  t.match(refusal(() => plan(film(), [{ op: 'delete', programme: 'G' }])), { code: 'NOT_FOUND', field: 'ops.0.programme' })
  const schedule: EditTimeline = { ...timeline, kind: 'schedule' }
  t.match(refusal(() => planEdits(schedule, film(), readEditOps({ ops: [{ op: 'delete', programme: 'F' }] }, 'UTC'), () => 'n')), { code: 'VALIDATION_FAILED', field: 'ops.0.programme' })
})

t.test('ripple day: later events of the day shift; the gaps before the next day absorb what does not fit; no room is refused', async (t) => {
  const day = (): EventRow[] => [...film(), row('a', 'A', '21:00', '22:00'), row('b', 'B', '22:30', '23:40'), row('next', 'Next', '00:00', '01:00', {}, 1)]
  t.same(after(day(), [{ op: 'update', programme: 'F', start: '2026-03-02T20:10:00Z', ripple: 'day' }]).slice(4),
    ['a 21:10-22:10 pinned', 'b 22:40-23:50 pinned', 'next 00:00-01:00'], 'each later event of the day 10 min later; the next day untouched')
  t.same(after(day(), [{ op: 'update', programme: 'F', start: '2026-03-02T20:40:00Z', ripple: true }]).slice(4),
    ['a 21:40-22:40 pinned', 'b 22:50-00:00 pinned', 'next 00:00-01:00'], 'true is day: B shifts only as far as room before the next day allows')
  t.match(refusal(() => plan(day(), [{ op: 'update', programme: 'F', start: '2026-03-02T21:20:00Z', ripple: 'day' }])),
    { code: 'VALIDATION_FAILED', field: 'ops.0.ripple', message: /no room/ }, '80 min of push, 50 min of room: refused')
  t.same(after(day(), [{ op: 'update', id: 'a', start: '2026-03-02T20:55:00Z', ripple: 'day' }]).slice(4),
    ['a 20:55-21:55 pinned', 'b 22:25-23:35 pinned', 'next 00:00-01:00'], 'earlier: they follow, a gap left at the end')
  const result = plan(day(), [{ op: 'update', programme: 'F', start: '2026-03-02T20:10:00Z', ripple: 'day' }]).results[0]
  t.same(result.moved, ['a', 'b'], 'moved names the events shifted')
})

t.test('ripple gap: only as far as the next gap absorbs the push', async (t) => {
  const day = (): EventRow[] => [...film(), row('a', 'A', '20:50', '21:50'), row('b', 'B', '22:00', '23:00'), row('c', 'C', '23:00', '23:30'), row('next', 'Next', '00:00', '01:00', {}, 1)]
  t.same(after(day(), [{ op: 'update', programme: 'F', start: '2026-03-02T20:05:00Z', ripple: 'gap' }]).slice(4),
    ['a 20:55-21:55 pinned', 'b 22:00-23:00', 'c 23:00-23:30', 'next 00:00-01:00'], 'the 10-minute gap after A absorbs 5 minutes')
  t.same(after(day(), [{ op: 'update', programme: 'F', start: '2026-03-02T20:20:00Z', ripple: 'gap' }]).slice(4),
    ['a 21:10-22:10 pinned', 'b 22:10-23:10 pinned', 'c 23:10-23:40 pinned', 'next 00:00-01:00'], 'pushed on through B and C into the gap before midnight')
  t.match(refusal(() => plan(day(), [{ op: 'update', programme: 'F', start: '2026-03-02T21:00:00Z', ripple: 'gap' }])), { field: 'ops.0.ripple', message: /no room/ }, 'no gap wide enough before the next day')
  t.same(plan(day(), [{ op: 'update', programme: 'F', start: '2026-03-02T19:50:00Z', ripple: 'gap' }]).results[0].moved, [], 'moved earlier: nothing to push')
})

t.test('an event edit (one segment) ripples the same ways', async (t) => {
  const rows = [row('a', 'A', '21:00', '22:00'), row('b', 'B', '22:00', '23:00'), row('c', 'C', '23:30', '23:45'), row('next', 'Next', '00:00', '01:00', {}, 1)]
  t.same(after(rows, [{ op: 'update', id: 'a', start: '2026-03-02T21:30:00Z', ripple: 'gap' }]), ['a 21:30-22:30 pinned', 'b 22:30-23:30 pinned', 'c 23:30-23:45', 'next 00:00-01:00'])
  t.same(after(rows, [{ op: 'update', id: 'a', start: '2026-03-02T21:30:00Z', ripple: 'day' }]), ['a 21:30-22:30 pinned', 'b 22:30-23:30 pinned', 'c 23:45-00:00 pinned', 'next 00:00-01:00'],
    'C shifts 15 of the 30 minutes: up to the next day\'s first event')
  t.match(refusal(() => plan(rows, [{ op: 'update', id: 'a', start: '2026-03-02T22:05:00Z', ripple: 'day' }])), { field: 'ops.0.ripple' }, '65 minutes of push, 45 of room')
})

t.test('bodies: programme ops take the programme patch\'s fields only', async (t) => {
  const problems = (op: unknown): string[] => {
    try { readEditOps({ ops: [op] }, 'UTC') } catch (e) { return (e as CommandError).errors?.map((d) => d.field ?? '') ?? [] }
    return []
  }
  t.same(problems({ op: 'update', programme: 'F', title: 'x' }), ['ops.0.title'])
  t.same(problems({ op: 'update', programme: 'F', id: 'e' }), ['ops.0.id'])
  t.same(problems({ op: 'update', programme: 'F', ripple: 'week', start: '2026-03-02T20:00:00Z' }), ['ops.0.ripple'])
  t.same(problems({ op: 'update', programme: 'F', end: '2026-03-02T20:00:00Z', ripple: 'gap' }), ['ops.0.ripple'])
  t.same(problems({ op: 'update', programme: 7, pinned: 'yes' }), ['ops.0.programme', 'ops.0.pinned'])
  t.same(problems({ op: 'add', programme: 'F', title: 'x', start: '2026-03-02T20:00:00Z', end: '2026-03-02T21:00:00Z' }), ['ops.0.programme'])
})
