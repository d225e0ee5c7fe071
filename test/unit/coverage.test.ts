import t from 'tap'
import { emptySpans, splitGap } from '../../workers/on-air/coverage.js'
import { coverageAlarms, spokenInstant } from '../../workers/on-air/alarms.js'

// Coverage and its alarms (SPEC §17), pure: the empty stretches between events, cut where a
// fill:gap block left time empty on purpose, and the alarms a coverage opens, in words.

const H = 3_600_000
const at = (iso: string): number => Date.parse(iso)
const channel = { id: 'c1', name: 'Campus TV', timezone: 'Europe/London', alarm_hours: 24 }

t.test('empty stretches: before, between and after the events; overlaps merge; shorter than a second is none', async (t) => {
  t.same(emptySpans(0, 10 * H, []), [{ start: 0, end: 10 * H }])
  t.same(emptySpans(0, 10 * H, [{ start: H, end: 3 * H }, { start: 2 * H, end: 4 * H }, { start: 4 * H + 500, end: 5 * H }, { start: 6 * H, end: 11 * H }]), [
    { start: 0, end: H }, { start: 5 * H, end: 6 * H }
  ], 'a half-second between clips is rounding, not a gap')
  t.same(emptySpans(2 * H, 10 * H, [{ start: 0, end: 3 * H }]), [{ start: 3 * H, end: 10 * H }], 'an event under way at the start covers it')
})

t.test('a gap cut by the fill:gap blocks: inside on purpose, outside not', async (t) => {
  t.same(splitGap({ start: 0, end: 10 * H }, [{ start: 2 * H, end: 4 * H }, { start: 8 * H, end: 12 * H }]), [
    { start: 0, end: 2 * H, onPurpose: false },
    { start: 2 * H, end: 4 * H, onPurpose: true },
    { start: 4 * H, end: 8 * H, onPurpose: false },
    { start: 8 * H, end: 10 * H, onPurpose: true }
  ])
  t.same(splitGap({ start: 3 * H, end: 4 * H }, [{ start: 2 * H, end: 5 * H }]), [{ start: 3 * H, end: 4 * H, onPurpose: true }])
})

t.test('alarms in words, in the channel\'s zone', async (t) => {
  t.equal(spokenInstant('Europe/London')(at('2026-12-17T06:00:00Z')), 'Thu 17 Dec 06:00')
  const now = at('2026-12-16T10:00:00Z')
  const short = coverageAlarms(channel, { builtUntil: at('2026-12-17T06:00:00Z'), gaps: [{ start: at('2026-12-17T06:00:00Z'), end: now + 48 * H, onPurpose: false }] }, now)
  t.same([...short.keys()], ['coverage'], 'the time after built_until is the coverage alarm\'s, not a gap alarm')
  t.match(short.get('coverage'), { key: 'coverage:c1', message: 'Campus TV is built only until Thu 17 Dec 06:00 (20 h ahead; alarm below 24 h)', details: { hours_ahead: 20 } })

  const holes = coverageAlarms(channel, {
    builtUntil: now + 72 * H,
    gaps: [
      { start: now, end: now + H, onPurpose: true },
      { start: now + 2 * H, end: now + 3 * H, onPurpose: false },
      { start: now + 5 * H, end: now + 6 * H, onPurpose: true },
      { start: now + 30 * H, end: now + 31 * H, onPurpose: false }
    ]
  }, now)
  t.same([...holes.keys()], ['gap'], 'on air now (on purpose), one real hole within 24 h')
  t.match(holes.get('gap'), { message: 'Campus TV has nothing to air Wed 16 Dec 12:00–13:00 (1 h, in 2 h)', details: { gaps: 1 } })

  const dark = coverageAlarms(channel, { builtUntil: now - 3 * H, gaps: [{ start: now, end: now + 48 * H, onPurpose: false }] }, now)
  t.same([...dark.keys()].sort(), ['coverage', 'dead_air'])
  t.match(dark.get('coverage'), { message: 'Campus TV is built only until Wed 16 Dec 07:00 (3 h ago; alarm below 24 h)' })
  t.match(dark.get('dead_air'), { message: 'Campus TV is off air: nothing is built after Wed 16 Dec 07:00' })
  t.same([...coverageAlarms({ ...channel, alarm_hours: 0 }, { builtUntil: null, gaps: [] }, now).keys()], [], 'alarm_hours 0: no coverage alarm')
})
