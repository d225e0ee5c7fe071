import t from 'tap'
import fc from 'fast-check'
import { buildChannel } from '../../workers/channels/build.js'
import { addDays } from '../../workers/channels/wall-time.js'
import type { Block, Breaks, BuildInput, BuiltEvent, SourceItem } from '../../workers/channels/types.js'

// Breaks belong to programmes (SPEC §15), built in process: inside a programme a break falls
// at a multiple of every_minutes from the programme's own start, never in its first or last
// min_gap_minutes; between programmes once every_minutes of content ran since the last break;
// `between` never inside; `chapters` inside only at the item's chapter marks (outside the
// gaps, every_minutes apart at least), an item without marks never split; no clip twice in one break,
// none from the break before while another fits; bumpers open and close a break inside
// max_seconds; a part after a break starts where the last stopped, and an airing's parts make
// the item's length. FUZZ_RUNS runs per property (default small).

const RUNS = Number(process.env.FUZZ_RUNS ?? 25)
const MIN = 60_000
const DAY = 86_400_000
const BLOCK_START = 18 * 3_600_000
/** The first block instance's start, 2026-05-04 18:00 UTC */
const FIRST = Date.parse('2026-05-04T18:00:00Z')

const items = (prefix: string, seconds: number[], chapters: Array<number[] | null> = []): SourceItem[] =>
  seconds.map((duration, i) => ({ url: `https://cdn.example/${prefix}/${i + 1}.mp4`, title: `${prefix} ${i + 1}`, duration, category: null, ...(chapters[i] != null && { chapters: chapters[i]! }) }))

/**
 * Where SPEC §15 puts `chapters` breaks in an item (ms in), written apart from the builder: its
 * marks in order, each outside the first and last gap and at least the interval after the
 * item's start or the mark taken before it.
 */
function chapterPoints (marks: number[], lengthMs: number, everyMs: number, gapMs: number): number[] {
  const points: number[] = []
  let last = 0
  for (const mark of [...marks].sort((a, b) => a - b)) {
    if (mark > 0 && mark < lengthMs && mark >= gapMs && lengthMs - mark >= gapMs && mark - last >= everyMs) points.push(last = mark)
  }
  return points
}

const EVERY_DAY: Block['days'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

function input (sources: Map<string, SourceItem[]>, breaks: Breaks, more: Partial<Block> = {}, days = 1): BuildInput {
  const block: Block = { id: 'b', days: EVERY_DAY, start: '18:00', end: '00:00', source: { playlist: 'main' }, order: 'shuffle', cooldown_hours: 0, fill: 'pad', filler: 'pad', breaks, ...more }
  return {
    channel: { id: 'ch', timezone: 'UTC', default_filler: 'pad' },
    template: { cooldown_hours: 0, blocks: [block] },
    overrides: [],
    from: '2026-05-04',
    to: addDays('2026-05-04', days - 1),
    seed: 's',
    now: 0,
    freezeMs: 0,
    buildId: 'x',
    sources: new Map([['playlist:pad', items('Pad', [60, 90, 45])], ...sources]),
    kept: [],
    plays: new Map(),
    sequential: new Map()
  }
}

/** One break as a viewer meets it: its clips, bumpers, where it falls and how much content ran before it. */
interface SeenBreak {
  start: number
  events: BuiltEvent[]
  clips: BuiltEvent[]
  /** the programme it is inside (a part of it follows), with how far into it; else null */
  inside: { programme: string, offset: number, title: string, url: string } | null
  /** content aired since the previous break of the block instance, or since its start */
  since: number
  /** where the block instance ends */
  blockEnd: number
}

const isBumper = (e: BuiltEvent): boolean => e.reason.startsWith('bumper')

function breaksOf (events: BuiltEvent[]): SeenBreak[] {
  const mine = events.filter((e) => e.origin.block === 'b')
  const found: SeenBreak[] = []
  let since = 0
  for (let i = 0; i < mine.length; i++) {
    const e = mine[i]
    if (e.start % DAY === BLOCK_START) since = 0
    if (e.origin.kind === 'item') since += e.end - e.start
    if (e.origin.kind !== 'break' || mine[i - 1]?.origin.kind === 'break') continue
    let j = i
    while (mine[j + 1]?.origin.kind === 'break' && mine[j + 1].start === mine[j].end) j++
    const run = mine.slice(i, j + 1)
    const after = mine[j + 1]
    const inside = after !== undefined && after.origin.kind === 'item' && after.in_ms > 0 && after.programme_id === e.programme_id
      ? { programme: e.programme_id, offset: after.in_ms, title: after.title, url: after.video_url! }
      : null
    found.push({ start: e.start, events: run, clips: run.filter((c) => !isBumper(c)), inside, since, blockEnd: e.start - (e.start % DAY) + DAY })
    since = 0
  }
  return found
}

/** Each airing of an item: its parts in order. */
function airings (events: BuiltEvent[]): BuiltEvent[][] {
  const byProgramme = new Map<string, BuiltEvent[]>()
  for (const e of events) if (e.origin.kind === 'item') byProgramme.get(e.programme_id)?.push(e) ?? byProgramme.set(e.programme_id, [e])
  return [...byProgramme.values()]
}

const caseArbitrary = fc.record({
  // Programmes of 1 to 150 minutes (whole seconds), some with chapter marks (ms, in any order, anywhere in the item or past it).
  main: fc.array(fc.record({
    seconds: fc.integer({ min: 60, max: 150 * 60 }),
    chapters: fc.option(fc.array(fc.integer({ min: 1, max: 150 * 60_000 }), { maxLength: 12 }), { nil: null })
  }), { minLength: 1, maxLength: 10 }),
  every: fc.integer({ min: 5, max: 60 }),
  gap: fc.option(fc.integer({ min: 0, max: 25 }), { nil: undefined }),
  at: fc.constantFrom<Breaks['at']>('within', 'between', 'chapters', undefined),
  maxSeconds: fc.integer({ min: 20, max: 300 }),
  clips: fc.array(fc.integer({ min: 5, max: 60 }), { minLength: 1, maxLength: 8 }),
  bumpers: fc.boolean(),
  fill: fc.constantFrom<Block['fill']>('pad', 'gap', 'cut')
})

t.test('random programmes, intervals and gaps: breaks where SPEC §15 puts them, clips fresh, in/out points exact', async (t) => {
  let inside = 0
  let between = 0
  let atChapters = 0
  fc.assert(fc.property(caseArbitrary, (c) => {
    const clips = items('Clip', c.clips.map((s) => Math.min(s, c.maxSeconds)))
    const bumperIn = items('Open', [3, 4])
    const bumperOut = items('Close', [2])
    const breaks: Breaks = {
      every_minutes: c.every,
      max_seconds: c.maxSeconds,
      filler: 'clips',
      ...(c.at !== undefined && { at: c.at }),
      ...(c.gap !== undefined && { min_gap_minutes: c.gap }),
      ...(c.bumpers && { bumper_in: 'open', bumper_out: 'close' })
    }
    const sources = new Map([['playlist:main', items('Item', c.main.map((m) => m.seconds), c.main.map((m) => m.chapters))], ['playlist:clips', clips], ['playlist:open', bumperIn], ['playlist:close', bumperOut]])
    const { events } = buildChannel(input(sources, breaks, { fill: c.fill }, 2))
    const everyMs = c.every * MIN
    const gapMs = (c.gap ?? 5) * MIN
    const lengthOf = new Map(c.main.map((m, i) => [`https://cdn.example/Item/${i + 1}.mp4`, m.seconds * 1000]))
    const marksOf = new Map(c.main.map((m, i) => [`https://cdn.example/Item/${i + 1}.mp4`, m.chapters ?? []]))
    const seen = breaksOf(events)
    for (const [k, b] of seen.entries()) {
      const where = `break at ${new Date(b.start).toISOString()}`
      if (b.since < everyMs) throw new Error(`${where}: only ${b.since / MIN} min of content since the last break`)
      if (b.events.reduce((sum, e) => sum + e.end - e.start, 0) > c.maxSeconds * 1000) throw new Error(`${where}: longer than max_seconds`)
      if (b.clips.length === 0) throw new Error(`${where}: bumpers without a clip`)
      if (new Set(b.clips.map((e) => e.video_key)).size !== b.clips.length) throw new Error(`${where}: a clip twice in one break`)
      const programmes = new Set(b.events.map((e) => e.programme_id))
      if (programmes.size !== 1) throw new Error(`${where}: its clips in more than one programme`)
      if (c.bumpers && b.events.some(isBumper)) {
        if (!isBumper(b.events[0]) || !isBumper(b.events.at(-1)!) || b.events.filter(isBumper).length !== 2) throw new Error(`${where}: bumpers not around the clips`)
        if (!b.events[0].title.startsWith('Open') || !b.events.at(-1)!.title.startsWith('Close')) throw new Error(`${where}: bumper_in first, bumper_out last`)
      }
      if (b.inside !== null) {
        inside++
        const length = lengthOf.get(b.inside.url)!
        if (c.at === 'between') throw new Error(`${where}: inside "${b.inside.title}" with at between`)
        if (c.at === 'chapters') {
          if (!marksOf.get(b.inside.url)!.includes(b.inside.offset)) throw new Error(`${where}: ${b.inside.offset} ms into "${b.inside.title}", not one of its chapter marks`)
          atChapters++
        } else if (b.inside.offset % everyMs !== 0) throw new Error(`${where}: ${b.inside.offset / MIN} min into "${b.inside.title}", not a multiple of ${c.every}`)
        if (b.inside.offset < gapMs || length - b.inside.offset < gapMs) throw new Error(`${where}: within ${gapMs / MIN} min of the start or end of "${b.inside.title}"`)
      } else between++
      // A clip of the break before comes back only when no other clip fitted what was left.
      const before = seen[k - 1]
      if (before === undefined || before.blockEnd !== b.blockEnd) continue
      const last = new Set(before.clips.map((e) => e.video_key))
      const closing = b.events.at(-1)!
      const reserved = isBumper(closing) && closing.title.startsWith('Close') ? closing.end - closing.start : 0
      const budgetEnd = Math.min(b.start + c.maxSeconds * 1000, b.blockEnd) - reserved
      b.clips.forEach((clip, i) => {
        if (!last.has(clip.video_key)) return
        const used = new Set(b.clips.slice(0, i).map((e) => e.video_key))
        const other = clips.find((x) => !last.has(`url:${x.url}`) && !used.has(`url:${x.url}`) && x.duration! * 1000 <= budgetEnd - clip.start)
        if (other !== undefined) throw new Error(`${where}: "${clip.title}" again from the break before while "${other.title}" fitted`)
      })
    }
    for (const parts of airings(events)) {
      const length = lengthOf.get(parts[0].video_url!)!
      const cut = parts.at(-1)!.reason.includes('cut at')
      parts.forEach((p, i) => { if (p.in_ms !== (i === 0 ? 0 : parts[i - 1].in_ms + parts[i - 1].end - parts[i - 1].start)) throw new Error(`"${p.title}": a part not starting where the last stopped`) })
      const aired = parts.reduce((sum, p) => sum + p.end - p.start, 0)
      if (!cut && aired !== length) throw new Error(`"${parts[0].title}": parts sum to ${aired}, not ${length}`)
      if (length < everyMs && parts.length > 1) throw new Error(`"${parts[0].title}" shorter than the interval, split`)
      // Every multiple of the interval a whole airing reaches, outside the gaps, has its break (within); every chapter mark SPEC §15 keeps (chapters).
      if (cut || c.at === 'between') continue
      const expected: number[] = []
      if (c.at === 'chapters') expected.push(...chapterPoints(marksOf.get(parts[0].video_url!)!, length, everyMs, gapMs))
      else for (let o = everyMs; o < length; o += everyMs) if (o >= gapMs && length - o >= gapMs) expected.push(o)
      const got = parts.slice(1).map((p) => p.in_ms)
      if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`"${parts[0].title}" (${length / MIN} min): breaks at ${got.map((o) => o / MIN).join(', ')} min, expected ${expected.map((o) => o / MIN).join(', ')}`)
    }
    return true
  }), { numRuns: RUNS })
  t.ok(inside > 0 && between > 0 && atChapters > 0, `${inside} breaks inside programmes (${atChapters} at chapter marks), ${between} between them`)
})

t.test('every 30 minutes: a film\'s breaks fall 30 and 60 minutes into it, whatever aired before it; none in its last 5 minutes', async (t) => {
  // A 20-minute short, then a 95-minute film: the count restarts at the film's start (not 10 minutes in, as counting across programmes gave).
  const sources = new Map([['playlist:main', items('Item', [20 * 60, 95 * 60, 20 * 60, 63 * 60])], ['playlist:clips', items('Ident', [20, 25, 30])]])
  const r = buildChannel(input(sources, { every_minutes: 30, max_seconds: 60, filler: 'clips' }, { order: 'sequential' }))
  const seen = breaksOf(r.events)
  const into = (title: string): number[] => seen.filter((b) => b.inside?.title === title && b.start < FIRST + 3 * 3_600_000).map((b) => b.inside!.offset / MIN)
  t.same(into('Item 2'), [30, 60, 90], 'the 95-minute film (its first airing): 30, 60 and 90 minutes in (90 leaves 5 minutes)')
  t.same(into('Item 1'), [], 'the short is never split')
  t.same(into('Item 4'), [30], 'a 63-minute film: 30 minutes in; 60 would be 3 minutes before its end')
  const film4 = r.events.filter((e) => e.title === 'Item 4')
  t.ok(seen.some((b) => b.inside === null && b.start === film4[1].end), 'after the 63-minute film (33 minutes since its break): a break between programmes')
  t.ok(seen.every((b) => b.inside !== null || b.since >= 30 * MIN), 'a break between programmes only once 30 minutes of content ran')
  t.match(seen.find((b) => b.inside?.title === 'Item 2')!.events[0].reason, /^break 30 min into "Item 2"$/, 'its reason says where it falls')
})

t.test('fill cut: a film reaching a break point seconds before the block ends is cut there, said; no clip fills the rest in its place', async (t) => {
  // The case CI's fuzz found: on the second evening a 150-minute film starts 10 min 14 s before
  // midnight; its 10-minute break point leaves exactly one 14-second clip's room.
  const sources = new Map([['playlist:main', items('Item', [8994, 978])], ['playlist:clips', items('Clip', [14, 18, 20, 20])]])
  const r = buildChannel(input(sources, { every_minutes: 5, max_seconds: 20, filler: 'clips', min_gap_minutes: 7, at: 'within' }, { fill: 'cut' }, 2))
  const mine = r.events.filter((e) => e.origin.block === 'b')
  const ends = [FIRST + 6 * 3_600_000, FIRST + DAY + 6 * 3_600_000]
  for (const end of ends) {
    const last = mine.filter((e) => e.end <= end).at(-1)!
    t.equal(last.end, end, `${new Date(end).toISOString()}: the block is filled to its end`)
    t.ok(last.origin.kind === 'item' || !last.reason.includes(' into '), `${new Date(end).toISOString()}: it does not end on a break inside a programme ("${last.title}": ${last.reason})`)
  }
  const cut = mine.filter((e) => e.reason.includes('cut at block end'))
  t.equal(cut.length, 2, 'each evening\'s last programme is said to be cut at the block end')
  // A part reaching a break point exactly at the block's end (CI's fuzz: seed 1269932380): 18:00–18:41, a 50-minute film, breaks every 20 of one minute.
  const exact = buildChannel(input(new Map([['playlist:main', items('Item', [50 * 60])], ['playlist:clips', items('Clip', [60])]]), { every_minutes: 20, max_seconds: 60, filler: 'clips' }, { end: '18:41', fill: 'cut' }))
  const film = exact.events.filter((e) => e.title === 'Item 1')
  t.same(film.map((e) => [e.in_ms / MIN, (e.end - e.start) / MIN]), [[0, 20], [20, 20]], 'its parts: 20 minutes, the break, 20 minutes to 18:41')
  t.match(film[1].reason, /cut at block end$/, 'the second part says the film is cut there')
  t.match(exact.warnings.find((w) => w.code === 'ITEM_CUT')?.message, /"Item 1" of block "b" cut at block end at 18:41: 10 min not aired/, 'and the build warns of the 10 minutes not aired')
})

t.test('a programme shorter than the interval gets its break after it, never inside', async (t) => {
  // Every 20 minutes, items of 15 and 18: the 20 minutes are reached inside the second; its break follows it.
  const sources = new Map([['playlist:main', items('Item', [15 * 60, 18 * 60])], ['playlist:clips', items('Ident', [20, 25])]])
  const r = buildChannel(input(sources, { every_minutes: 20, max_seconds: 60, filler: 'clips' }, { order: 'sequential' }))
  const shorts = r.events.filter((e) => e.origin.kind === 'item' && e.end <= FIRST + 5 * 3_600_000)
  t.ok(shorts.length > 10 && shorts.every((e) => e.in_ms === 0 && e.end - e.start === (e.title === 'Item 1' ? 15 : 18) * MIN), 'each airs whole')
  const starts = new Set(breaksOf(r.events).map((b) => b.start))
  t.same(shorts.filter((e) => starts.has(e.end)).map((e) => e.title), shorts.filter((e) => e.title === 'Item 2').map((e) => e.title), 'a break right after each 18-minute item (33 minutes ran), none after the 15-minute one')
})

t.test('min_gap_minutes: no break that close to a programme\'s start or end', async (t) => {
  const sources = new Map([['playlist:main', items('Item', [50 * 60])], ['playlist:clips', items('Ident', [20, 25])]])
  const r = buildChannel(input(sources, { every_minutes: 10, max_seconds: 60, filler: 'clips', min_gap_minutes: 15 }))
  const offsets = breaksOf(r.events).filter((b) => b.inside !== null && b.start < FIRST + DAY).map((b) => b.inside!.offset / MIN)
  t.same(offsets.slice(0, 2), [20, 30], 'a 50-minute programme, every 10 minutes, gap 15: breaks 20 and 30 minutes in (not 10, not 40)')
})

t.test('between and chapters: never inside a programme, after it once every_minutes of content ran', async (t) => {
  const sources = new Map([['playlist:main', items('Item', [10 * 60, 10 * 60, 10 * 60, 40 * 60])], ['playlist:clips', items('Ident', [20, 25, 30])]])
  const between = buildChannel(input(sources, { every_minutes: 30, max_seconds: 60, filler: 'clips', at: 'between' }, { order: 'sequential' }))
  const seen = breaksOf(between.events)
  t.ok(seen.length > 3, `${seen.length} breaks`)
  t.ok(seen.every((b) => b.inside === null), 'none inside a programme: the 40-minute item airs whole')
  t.ok(seen.every((b) => b.since >= 30 * MIN), 'each after 30 minutes of content or more')
  const first = seen[0]
  t.equal(first.start, r3End(between.events), 'the first after the third 10-minute item')
  t.ok(airings(between.events).every((parts) => parts.length === 1 || parts.at(-1)!.reason.includes('cut at')), 'every airing in one part')
  const chapters = buildChannel(input(sources, { every_minutes: 30, max_seconds: 60, filler: 'clips', at: 'chapters' }, { order: 'sequential' }))
  t.same(chapters.events.map((e) => [e.start, e.end, e.title]), between.events.map((e) => [e.start, e.end, e.title]), 'chapters, on items without chapter marks, airs as between')
  t.match(breaksOf(chapters.events)[0].events[0].reason, /^break between programmes after 30 min of content \("Item 3" has no chapter mark to break at\)$/, 'and its breaks say why')
})

t.test('chapters: a film\'s breaks fall at its chapter marks, every_minutes apart at least, none in its first or last min_gap_minutes', async (t) => {
  // A 100-minute film with marks at 3, 12, 20, 31, 47, 52, 80 and 97 minutes, then a 40-minute episode without marks; every 15, gap 5.
  const marks = [3, 12, 20, 31, 47, 52, 80, 97].map((m) => m * MIN)
  const sources = new Map([['playlist:main', items('Item', [100 * 60, 40 * 60], [[...marks].reverse(), null])], ['playlist:clips', items('Ident', [20, 25, 30])]])
  const r = buildChannel(input(sources, { every_minutes: 15, max_seconds: 60, filler: 'clips', at: 'chapters' }, { order: 'sequential', end: '20:30' }))
  const film = r.events.filter((e) => e.title === 'Item 1')
  t.same(film.map((e) => e.in_ms / MIN), [0, 20, 47, 80], 'parts start at 20, 47 and 80 minutes (3 is in the gap, 12 and 31 and 52 too close to the break before, 97 in the last 5 minutes)')
  t.same(film.map((e) => (e.end - e.start) / MIN), [20, 27, 33, 20], 'each part runs to the next mark; the parts make the film\'s 100 minutes')
  const seen = breaksOf(r.events)
  t.same(seen.filter((b) => b.inside?.title === 'Item 1').map((b) => b.inside!.offset / MIN), [20, 47, 80], 'a break at each of those marks, inside the film\'s programme')
  t.match(seen[0].events[0].reason, /^break 20 min into "Item 1" at a chapter mark$/, 'its reason says it is at a chapter mark')
  const episode = r.events.filter((e) => e.title === 'Item 2')
  t.equal(episode.length, 1, 'the episode without chapter marks airs whole')
  t.ok(seen.some((b) => b.inside === null && b.start === film.at(-1)!.end), 'after the film (20 minutes since its last break): a break between programmes')
  const after = seen.find((b) => b.start === episode[0].end)
  t.match(after?.events[0].reason, /\("Item 2" has no chapter mark to break at\)$/, 'the break after the episode says why it aired whole')
})

const r3End = (events: BuiltEvent[]): number => events.find((e) => e.title === 'Item 3')!.end

t.test('no clip twice in one break; consecutive breaks share no clip while the source has others', async (t) => {
  // Two 20-second idents and a 120-second break: each break airs both once (it aired one ident six times before).
  const two = new Map([['playlist:main', items('Item', [100 * 60])], ['playlist:clips', items('Ident', [20, 20])]])
  const r = buildChannel(input(two, { every_minutes: 15, max_seconds: 120, filler: 'clips' }))
  const seen = breaksOf(r.events)
  t.ok(seen.length > 5, `${seen.length} breaks`)
  t.ok(seen.every((b) => b.clips.length === 2 && new Set(b.clips.map((e) => e.video_key)).size === 2), 'every break: the two idents once each')
  // Three 30-second idents, one per break: no break repeats the one before it.
  const three = new Map([['playlist:main', items('Item', [100 * 60])], ['playlist:clips', items('Ident', [30, 30, 30])]])
  const one = breaksOf(buildChannel(input(three, { every_minutes: 15, max_seconds: 45, filler: 'clips' })).events)
  t.ok(one.length > 5 && one.every((b) => b.clips.length === 1), 'one ident per break')
  t.same(one.filter((b, i) => i > 0 && b.clips[0].video_key === one[i - 1].clips[0].video_key).map((b) => new Date(b.start).toISOString()), [], 'never the same ident in two breaks in a row')
})

t.test('bumpers: one bumper_in before and one bumper_out after each break\'s clips, in the break\'s programme and inside max_seconds', async (t) => {
  const sources = new Map([
    ['playlist:main', items('Item', [70 * 60, 12 * 60])],
    ['playlist:clips', items('Ident', [20, 25, 30, 35])],
    ['playlist:open', items('Open', [5, 6])],
    ['playlist:close', items('Close', [4])]
  ])
  const r = buildChannel(input(sources, { every_minutes: 20, max_seconds: 60, filler: 'clips', bumper_in: 'open', bumper_out: 'close' }))
  const seen = breaksOf(r.events)
  t.ok(seen.length > 5, `${seen.length} breaks`)
  for (const b of seen) {
    const titles = b.events.map((e) => e.title)
    if (!(titles[0].startsWith('Open') && titles.at(-1)!.startsWith('Close') && titles.slice(1, -1).every((x) => x.startsWith('Ident')) && titles.length > 2)) {
      t.fail(`break at ${new Date(b.start).toISOString()}: ${titles.join(', ')}`)
    }
  }
  t.ok(seen.every((b) => b.events.every((e) => e.segment_role === 'break' && e.origin.kind === 'break' && e.programme_id === b.events[0].programme_id)), 'bumpers are break segments of the break\'s programme')
  t.ok(seen.every((b) => b.events.at(-1)!.end - b.start <= 60_000), 'bumpers count in max_seconds')
  t.match(seen[0].events[0].reason, /^bumper before the break/)
  // No room for a bumper beside a clip: the break airs the clip alone.
  const tight = new Map([...sources, ['playlist:clips', items('Ident', [58])]])
  const alone = breaksOf(buildChannel(input(tight, { every_minutes: 20, max_seconds: 60, filler: 'clips', bumper_in: 'open', bumper_out: 'close' })).events)
  t.ok(alone.length > 0 && alone.every((b) => b.events.length === 1 && b.events[0].title === 'Ident 1'), 'a 58-second ident in a 60-second break: no bumpers')
})

t.test('the size guard counts bumpers: a build they would take over the limit is refused before anything is built', async (t) => {
  // One break a minute of content, each a 10-second ident between 1-second bumpers (12 s at most): four events a minute.
  const sources = new Map([['playlist:main', items('Item', [180 * 60])], ['playlist:clips', items('Ident', [10, 10])], ['playlist:open', items('Open', [1])], ['playlist:close', items('Close', [1])]])
  const breaks: Breaks = { every_minutes: 1, max_seconds: 12, filler: 'clips', min_gap_minutes: 0, bumper_in: 'open', bumper_out: 'close' }
  const day = buildChannel(input(sources, breaks, { start: '00:00', end: '23:30', fill: 'cut' }))
  t.ok(day.events.filter((e) => e.title.startsWith('Open')).length > 1000, 'a day: a bumper in every break')
  t.throws(() => buildChannel(input(sources, breaks, { start: '00:00', end: '23:30', fill: 'cut' }, 25)), { code: 'BUILD_TOO_LARGE', message: /could produce/ }, '25 days: refused by the estimate, not half-way through the build')
})
