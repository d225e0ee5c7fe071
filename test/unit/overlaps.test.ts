import t from 'tap'
import fc from 'fast-check'
import { detectOverlaps, type TimedEvent } from '../../workers/schedule/checks/overlaps.js'

/** Every pair, the slow obvious way: [start, end) intervals on one channel intersect. */
function bruteForcePairs (events: TimedEvent[]): Set<string> {
  const pairs = new Set<string>()
  for (let i = 0; i < events.length; i++) {
    for (let j = i + 1; j < events.length; j++) {
      const a = events[i]
      const b = events[j]
      if ((a.channel ?? '') === (b.channel ?? '') && a.start < b.end && b.start < a.end) pairs.add([a.index, b.index].sort((x, y) => x! - y!).join('-'))
    }
  }
  return pairs
}

const eventsArbitrary = fc.array(
  fc.record({ start: fc.integer({ min: 0, max: 200 }), length: fc.integer({ min: 1, max: 60 }), channel: fc.constantFrom(null, 'a', 'b') }),
  { maxLength: 60 }
).map((list) => list.map((e, index): TimedEvent => ({ index, title: `e${index}`, start: e.start, end: e.start + e.length, channel: e.channel })))

t.test('the sweep finds exactly the pairs that intersect, per channel', async (t) => {
  fc.assert(fc.property(eventsArbitrary, (events) => {
    const { overlaps, total } = detectOverlaps(events, Infinity)
    const found = new Set(overlaps.map((o) => [o.event1.index, o.event2.index].sort((x, y) => x! - y!).join('-')))
    const expected = bruteForcePairs(events)
    return total === expected.size && found.size === total && [...found].every((p) => expected.has(p))
  }), { numRuns: 300 })
  t.pass('300 random schedules agree with the all-pairs check')
})

t.test('the listed pairs stop at the cap while the total keeps counting', async (t) => {
  fc.assert(fc.property(eventsArbitrary, fc.integer({ min: 0, max: 20 }), (events, cap) => {
    const { overlaps, total } = detectOverlaps(events, cap)
    return overlaps.length === Math.min(cap, total) && total === bruteForcePairs(events).size
  }), { numRuns: 200 })
  t.pass('cap respected')
})

t.test('back-to-back events never overlap', async (t) => {
  const chain: TimedEvent[] = Array.from({ length: 1000 }, (_, i) => ({ index: i, title: `e${i}`, start: i * 10, end: (i + 1) * 10, channel: null }))
  t.equal(detectOverlaps(chain).total, 0)
})
