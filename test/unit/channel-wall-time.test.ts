import t from 'tap'
import { addDays, localDays, wallInstant, weekdayOf } from '../../workers/channels/wall-time.js'
import { parseInstant } from '../../workers/schedule/time.js'

// SPEC §11: a template's wall-clock times in the channel's zone. A day on which clocks change
// has its real length; a block start that does not exist that day is the first instant after
// the gap, one in a repeated hour its first occurrence.

const HOUR = 3_600_000
const at = (iso: string): number => Date.parse(iso)
const hours = (day: { start: number, end: number }): number => (day.end - day.start) / HOUR

t.test('local days have their real length on clock-change days', async (t) => {
  const cases: Array<[string, string, number, string]> = [
    ['Europe/London', '2026-03-29', 23, '2026-03-29T00:00:00Z'],
    ['Europe/London', '2026-10-25', 25, '2026-10-24T23:00:00Z'],
    ['America/New_York', '2026-03-08', 23, '2026-03-08T05:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-04', 23.5, '2026-10-03T13:30:00Z'], // a 30-minute change
    ['Australia/Lord_Howe', '2026-04-05', 24.5, '2026-04-04T13:00:00Z'],
    ['America/Santiago', '2026-09-06', 23, '2026-09-06T04:00:00Z'], // midnight itself is skipped: the day starts at 01:00
    ['America/Santiago', '2026-04-04', 25, '2026-04-04T03:00:00Z'],
    ['Asia/Kolkata', '2026-03-29', 24, '2026-03-28T18:30:00Z'],
    ['UTC', '2026-03-29', 24, '2026-03-29T00:00:00Z']
  ]
  for (const [zone, date, length, start] of cases) {
    const [day] = localDays(date, date, zone)
    t.equal(hours(day), length, `${zone} ${date} lasts ${length} h`)
    t.equal(day.start, at(start), `${zone} ${date} starts at ${start}`)
  }
})

t.test('a week of days is contiguous in UTC: each day ends where the next begins', async (t) => {
  for (const zone of ['Europe/London', 'Australia/Lord_Howe', 'America/Santiago']) {
    const days = localDays('2026-03-23', '2026-10-31', zone)
    t.equal(days.length, 223, `${zone}: 223 days`)
    t.ok(days.every((d, i) => i === 0 || d.start === days[i - 1].end), `${zone}: no gap, no overlap`)
    t.ok(days.every((d) => d.weekday === weekdayOf(d.date)), `${zone}: weekdays`)
  }
  t.equal(weekdayOf('2026-03-23'), 'mon')
  t.equal(addDays('2026-12-31', 1), '2027-01-01')
})

t.test('a start in the skipped hour is the first instant after the gap', async (t) => {
  t.equal(wallInstant('2026-03-29', '01:30', 'Europe/London'), at('2026-03-29T01:00:00Z'), 'London 01:30 on 29 March → 01:00Z (02:00 BST)')
  t.equal(wallInstant('2026-03-29', '01:00', 'Europe/London'), at('2026-03-29T01:00:00Z'), 'London 01:00 too: the gap starts there')
  t.equal(wallInstant('2026-03-29', '02:00', 'Europe/London'), at('2026-03-29T01:00:00Z'), 'London 02:00 is the first instant after the gap')
  t.equal(wallInstant('2026-10-04', '02:15', 'Australia/Lord_Howe'), at('2026-10-03T15:30:00Z'), 'Lord Howe 02:15 → 02:30 local')
  t.equal(wallInstant('2026-09-06', '00:30', 'America/Santiago'), at('2026-09-06T04:00:00Z'), 'Santiago 00:30 → 01:00 local')
})

t.test('a start in the repeated hour is its first occurrence (not parseInstant\'s second)', async (t) => {
  t.equal(wallInstant('2026-10-25', '01:30', 'Europe/London'), at('2026-10-25T00:30:00Z'), 'London 01:30 on 25 October → 00:30Z (BST)')
  t.equal(parseInstant('2026-10-25T01:30:00', 'Europe/London'), at('2026-10-25T00:30:00Z'), 'an imported or edited naive time reads the same instant: its first occurrence')
  t.equal(wallInstant('2026-04-05', '01:45', 'Australia/Lord_Howe'), at('2026-04-04T14:45:00Z'), 'Lord Howe 01:45 at +11')
  t.equal(wallInstant('2026-04-04', '23:30', 'America/Santiago'), at('2026-04-05T02:30:00Z'), 'Santiago 23:30 at -03')
})

t.test('a block over the change keeps its real length', async (t) => {
  const start = wallInstant('2026-10-25', '00:30', 'Europe/London')
  const end = wallInstant('2026-10-25', '02:30', 'Europe/London')
  t.equal((end - start) / HOUR, 3, '00:30–02:30 on the autumn day is 3 h real')
  const spring = wallInstant('2026-03-29', '02:30', 'Europe/London') - wallInstant('2026-03-29', '00:30', 'Europe/London')
  t.equal(spring / HOUR, 1, '00:30–02:30 on the spring day is 1 h real')
})

t.test('wall times are monotonic on every day, so consecutive blocks never overlap', async (t) => {
  const walls = Array.from({ length: 96 }, (_, i) => `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`)
  for (const [zone, date] of [['Europe/London', '2026-03-29'], ['Europe/London', '2026-10-25'], ['Australia/Lord_Howe', '2026-04-05'], ['America/Santiago', '2026-04-04']]) {
    const instants = walls.map((w) => wallInstant(date, w, zone))
    t.ok(instants.every((ms, i) => i === 0 || ms >= instants[i - 1]), `${zone} ${date}`)
  }
})
