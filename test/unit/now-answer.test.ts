import t from 'tap'
import fc from 'fast-check'
import { Ajv } from 'ajv'
import { ChannelNowSchema } from '../../contract/on-air.js'
import type { Programme } from '../../contract/programmes.js'
import { channelNow, channelNowPieces, holdsAt, render, indexPlan, type ChannelPlan } from '../../workers/on-air/now-answer.js'

// Now and next from a plan (workers/on-air/now-answer.ts): what GET /api/now answers at any
// instant. The JSON text the API sends is channelNow()'s answer, in the contract's shape; now
// is the programme on air, next the three starting after now; the plan holds while three follow.

const MIN = 60_000
// The contract's schema as Fastify's validator reads it (nullable fields are type arrays).
const inShape = new Ajv({ strict: false }).compile(ChannelNowSchema)
const T0 = Date.UTC(2026, 2, 28, 18)
const iso = (ms: number): string => new Date(ms).toISOString()

/** Programmes back to back from T0 (with a gap where `gaps` says), each with one segment. */
function programmes (lengths: number[], gaps: boolean[]): Programme[] {
  let start = T0
  return lengths.map((minutes, i) => {
    if (gaps[i]) start += 10 * MIN
    const end = start + minutes * MIN
    const p: Programme = {
      id: `p${i}`,
      kind: i % 2 === 0 ? 'item' : 'filler',
      title: `Programme "${i}" — ü`,
      start: iso(start),
      end: iso(end),
      pinned: false,
      ...(i % 2 === 0 && { episode: i + 1, category: null }),
      segments: [{ event_id: `e${i}`, start: iso(start), end: iso(end), role: 'part', in_ms: 0, out_ms: end - start }]
    }
    start = end
    return p
  })
}

const plan = (list: Programme[], complete: boolean): ChannelPlan => ({
  channel: { id: 'c1', number: '7', name: 'Campus TV' },
  revision: 3,
  built_until: list.at(-1)?.end ?? null,
  alarms: [{ id: 'a1', kind: 'coverage', channel_id: 'c1', since: iso(T0), message: 'only 2 h built', details: { hours: 2 } }],
  programmes: list,
  complete
})

t.test('at any instant: the JSON sent (its pieces rendered) is channelNow() in the contract\'s shape; now on air or null; next the three starting after now', async () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 0, maxLength: 12 }),
    fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    fc.integer({ min: -30, max: 12 * 90 + 200 }),
    fc.boolean(),
    (lengths, gaps, minute, complete) => {
      const list = programmes(lengths, gaps)
      const indexed = indexPlan(plan(list, complete), T0 - 60 * MIN)
      const now = T0 + minute * MIN + 123
      const answer = channelNow(indexed, now, iso(now))
      const text = render(channelNowPieces(indexed, now), now, iso(now))
      if (!inShape(JSON.parse(text))) return false
      if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(answer)) return false
      const onAir = list.find((p) => Date.parse(p.start) <= now && now < Date.parse(p.end))
      if ((answer.now?.id ?? null) !== (onAir?.id ?? null)) return false
      const { now: on } = answer
      if (on !== null && (on.offset_ms !== now - Date.parse(on.start) || on.remaining_ms !== Date.parse(on.end) - now)) return false
      const after = list.filter((p) => Date.parse(p.start) > now)
      if (JSON.stringify(answer.next.map((p) => p.id)) !== JSON.stringify(after.slice(0, 3).map((p) => p.id))) return false
      // While the plan holds, three follow now, unless nothing more is built.
      return !holdsAt(indexed, now) || complete || answer.next.length === 3
    }
  ))
})

t.test('a plan holds from when it was read until fewer than three programmes follow now; a complete one until a change', async (t) => {
  const list = programmes([30, 30, 30, 30, 30], [])
  const partial = indexPlan(plan(list, false), T0)
  t.ok(holdsAt(partial, T0 + 59 * MIN), 'three start after now')
  t.notOk(holdsAt(partial, T0 + 60 * MIN), 'the third from last has started: read again')
  t.notOk(holdsAt(partial, T0 - 1), 'before it was read (a clock set back): read again')
  const complete = indexPlan(plan(list, true), T0)
  t.ok(holdsAt(complete, T0 + 10 * 60 * MIN), 'nothing more built: it holds')
})
