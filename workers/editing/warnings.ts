import type { CooldownReport, EditWarnings, OverlapReport, OverlapSide } from '../../contract/api.js'
import type { Store } from '../storage/store.js'
import type { EditTarget } from '../storage/edits.js'
import { airOrder, isReadableRow, type EditReads, type Line, type NearRow, type Outside } from '../storage/edit-reads.js'
import { iso } from '../schedule/model.js'
import type { CooldownPolicy } from '../channels/cooldown-policy.js'

// The overlaps and cooldown replays an edit causes (SPEC §12): those the whole timeline as it
// is after the edit gives (for a schedule, against the other schedules too, as a read does:
// workers/schedule/checks/stored-warnings.ts) that name an event the edit added or changed —
// one of a pair that overlaps, a replay, or the play a replay now follows too closely. Found
// by indexed reads around the touched events only (workers/storage/edit-reads.ts), so an edit
// costs what it touches, not the timeline (issue 21 item 2):
// - overlaps: the events on air during each run of touched events that meet end to end (one
//   range read each), bounded below by the line's longest event, as channel reads are;
// - replays: each touched event's nearest airing of its video before and after it (a seek
//   each), and for a schedule the latest play outside it between its own previous play and it;
// - `index`: the event's place in the line's air order, an index-only count of the rows
//   starting before it (ranks()).
// `conflicts` are listed by the later event of each pair in air order, then the earlier.

const NONE: EditWarnings = { conflicts: [], conflicts_total: 0, cooldown: [], cooldown_total: 0 }

/** What another schedule's event is of a build: nothing (an overlap reads only its span). */
const NOT_BUILT = {
  category: null, origin_kind: null, origin_block: null, origin_override: null, origin_source: null, segment_role: null, programme_id: null, in_ms: 0
} as const

/** How long a play keeps its video from airing again (ms); null: the row is no airing (SPEC §15). */
type CooldownOf = (row: NearRow) => number | null

/** An event in a warning: the line's own (ranked), or another schedule's or a channel's (schedule edits). */
interface Near { row: NearRow, own: boolean }

/** How a schedule or channel's edit is checked. */
interface Checked {
  line: Line
  /** A schedule's: the plays its replays are counted against, the other events it may overlap. */
  outside: Outside | null
  /** Which timeline of overlaps an own event is on: the schedule's channel, its XMLTV channel, or all one. */
  group: (row: NearRow) => string
}

/**
 * `touched`: the rows the edit added or changed, as it wrote them. `placedOn`: the channel a
 * schedule is placed on (its events are then checked on that channel). `policy`: a channel's
 * (SPEC §15: which pieces are airings, each one's cooldown; a replay names both airings);
 * without one every event is an airing with `cooldownHours`.
 */
export async function editWarnings (
  store: Store,
  target: EditTarget,
  touched: readonly NearRow[],
  { cooldownHours, placedOn, policy = null }: { cooldownHours: number, placedOn: string | null, policy?: CooldownPolicy | null }
): Promise<EditWarnings> {
  const rows = touched.filter(isReadableRow)
  if (rows.length === 0) return NONE
  const checked: Checked = target.kind === 'schedule'
    ? { line: { column: 'schedule_id', id: target.id }, outside: { except: target.id, channelId: placedOn }, group: (r) => placedOn ?? r.channel ?? '' }
    : { line: { column: 'channel_id', id: target.id }, outside: null, group: () => '' }
  const read = await candidates(store, checked, rows)
  const pairs = overlapsOf(checked, rows, read)
  const cooldownOf: CooldownOf = policy === null ? () => cooldownHours * 3_600_000 : (row) => policy.of(row)
  const replays = await replaysOf(store.edits.reads, checked, rows, cooldownOf, policy !== null)
  const ownInWarnings = new Map<string, NearRow>()
  for (const { row, own } of [...pairs.flat(), ...replays.flatMap((r) => [r.play, ...(r.previous.own === null ? [] : [{ row: r.previous.own, own: true }])])]) {
    if (own) ownInWarnings.set(row.id, row)
  }
  const rank = await ranksOf(store.edits.reads, checked.line, read.runs, [...ownInWarnings.values()])
  const conflicts = pairs.map(([a, b]): OverlapReport => ({ type: 'overlap', event1: side(a, rank), event2: side(b, rank) }))
  const cooldown = replays.map((r) => cooldownReport(r, rank, policy !== null)).sort((a, b) => a.index - b.index)
  return { conflicts, conflicts_total: conflicts.length, cooldown, cooldown_total: cooldown.length }
}

/**
 * Each row's index in the line's air order. A run read every row starting in [from, to): its
 * rows there follow its first one's index in order, so a bulk of 1,000 counts once per run
 * (ranks()), not once per row; rows elsewhere (an airing days away) are counted each.
 */
async function ranksOf (reads: EditReads, line: Line, runs: readonly Run[], rows: readonly NearRow[]): Promise<Map<string, number>> {
  const inRun = new Map<Run, NearRow[]>()
  const alone: NearRow[] = []
  for (const row of rows) {
    const run = runs.find((r) => row.start_ms >= r.from && row.start_ms < r.to)
    if (run === undefined) alone.push(row)
    else inRun.get(run)?.push(row) ?? inRun.set(run, [row])
  }
  const ordered = new Map([...inRun.keys()].map((run) => [run, run.own.filter((r) => r.start_ms >= run.from).sort(airOrder)]))
  const rank = await reads.ranks(line, [...alone, ...[...ordered.values()].map((list) => list[0])])
  for (const list of ordered.values()) {
    const first = rank.get(list[0].id)!
    list.forEach((row, i) => rank.set(row.id, first + i))
  }
  return rank
}

// ── Overlaps ───────────────────────────────────────────────────────────────────────────

/** As detectOverlaps orders a pair: by start, end, then index, another's event (no index) first. */
function before (a: Near, b: Near): boolean {
  if (a.row.start_ms !== b.row.start_ms) return a.row.start_ms < b.row.start_ms
  if (a.row.end_ms !== b.row.end_ms) return a.row.end_ms < b.row.end_ms
  if (a.own !== b.own) return !a.own
  return airOrder(a.row, b.row) < 0
}

/** Runs of touched events that overlap or meet: each is read once, as one span. */
function runs (rows: readonly NearRow[]): Array<{ from: number, to: number }> {
  const spans: Array<{ from: number, to: number }> = []
  for (const r of [...rows].sort(airOrder)) {
    const last = spans.at(-1)
    if (last !== undefined && r.start_ms <= last.to) last.to = Math.max(last.to, r.end_ms)
    else spans.push({ from: r.start_ms, to: r.end_ms })
  }
  return spans
}

/** A run's span and the line's events on air in it: every one starting in [from, to), so a touched event's neighbours there are known. */
interface Run { from: number, to: number, own: NearRow[] }

/** The events that may overlap the touched ones: the line's own (by run), and for a schedule what else airs on its channels. */
async function candidates (store: Store, { line, outside }: Checked, rows: readonly NearRow[]): Promise<{ runs: Run[], others: Near[] }> {
  const reads = store.edits.reads
  const longest = await reads.longest(line)
  const read: Run[] = []
  const others: Near[] = []
  for (const { from, to } of runs(rows)) {
    read.push({ from, to, own: await reads.onAir(line, from, to, longest ?? 0) })
    if (outside === null) continue
    const found = outside.channelId !== null
      ? await store.schedules.placedEventsOutside(outside.except, outside.channelId, from, to)
      : await store.schedules.channelEventsOutside(
        outside.except,
        [...new Set(rows.flatMap((r) => (r.channel !== null && r.start_ms < to && r.end_ms > from ? [r.channel] : [])))],
        from,
        to
      )
    for (const e of found) {
      // As checkStoredSchedule makes them: on the schedule's channel, or on their XMLTV channel.
      others.push({ own: false, row: { ...NOT_BUILT, id: e.id, schedule_id: e.schedule_id, position: 0, title: e.title, start_ms: e.start, end_ms: e.end, video_url: null, video_key: '', channel: outside.channelId ?? e.channel } })
    }
  }
  return { runs: read, others }
}

/** Every pair of an event the edit touched and one it overlaps, earlier first, in the order the list is answered. */
function overlapsOf (checked: Checked, rows: readonly NearRow[], { runs, others }: { runs: Run[], others: Near[] }): Array<[Near, Near]> {
  const touched = new Set(rows.map((r) => r.id))
  const all = [...runs.flatMap((run) => run.own.map((row) => ({ row, own: true }))), ...others]
  const groupOf = (n: Near): string => (n.own ? checked.group(n.row) : n.row.channel ?? '')
  const seen = new Set<string>()
  const pairs: Array<[Near, Near]> = []
  for (const t of rows) {
    const near: Near = { row: t, own: true }
    for (const x of all) {
      if (x.row.id === t.id || x.row.start_ms >= t.end_ms || x.row.end_ms <= t.start_ms || groupOf(x) !== groupOf(near)) continue
      const key = t.id < x.row.id || !touched.has(x.row.id) ? `${t.id} ${x.row.id}` : `${x.row.id} ${t.id}`
      if (seen.has(key)) continue
      seen.add(key)
      pairs.push(before(x, near) ? [x, near] : [near, x])
    }
  }
  return pairs.sort(([a1, a2], [b1, b2]) => order(a2, b2) || order(a1, b1))
}

const order = (a: Near, b: Near): number => (a === b || a.row.id === b.row.id ? 0 : before(a, b) ? -1 : 1)

const side = ({ row, own }: Near, rank: ReadonlyMap<string, number>): OverlapSide => ({
  index: own ? rank.get(row.id)! : null,
  title: row.title,
  start: iso(row.start_ms),
  end: iso(row.end_ms),
  event_id: row.id,
  ...(!own && row.schedule_id !== null && { schedule_id: row.schedule_id })
})

// ── Cooldown replays ───────────────────────────────────────────────────────────────────

/** A play inside the cooldown of the play before it: the line's own previous airing, or a stored one outside it. */
interface Replay { play: Near, previous: { own: NearRow | null, start: number } }

/**
 * As findCooldownViolations counts them: a play replays the video's previous play (own, or
 * outside the schedule when that one is later) if it starts less than the cooldown after it.
 * For each touched play: its own replay, and the replay of the next play of its video if
 * the touched one is what that next one follows. Batched: the neighbours of every touched
 * play in one read, then the plays outside a schedule for every pair in another. With a
 * channel's policy (`airingsOnly`) only airings are plays: a piece it exempts (a later part of
 * the same airing, filler, a fixed event) is neither a replay nor what one follows.
 */
async function replaysOf (
  reads: EditReads, { line, outside }: Checked, rows: readonly NearRow[], cooldownOf: CooldownOf, airingsOnly: boolean
): Promise<Replay[]> {
  const windowOf = (row: NearRow): number => cooldownOf(row) ?? 0
  const plays = rows.filter((r) => windowOf(r) > 0 || (airingsOnly && cooldownOf(r) !== null))
  if (plays.length === 0) return []
  const neighbours = await reads.nearest(line, plays, airingsOnly ? (row) => cooldownOf(row) !== null : null)
  // Each touched play t with its own previous play, and its next play with t: the pairs whose replay names t.
  const pairs: Array<{ play: NearRow, own: NearRow | null }> = []
  for (const t of plays) {
    const { before = null, after = null } = neighbours.get(t.id) ?? {}
    pairs.push({ play: t, own: before })
    if (after !== null && after.start_ms - t.start_ms < windowOf(after)) pairs.push({ play: after, own: t })
  }
  const stored = outside === null
    ? pairs.map(() => null)
    : await reads.latestPlaysOutside(
      outside,
      pairs.map(({ play, own }) => ({ videoKey: play.video_key, after: own?.start_ms ?? null, atMost: play.start_ms }))
    )
  const touched = new Set(rows.map((r) => r.id))
  const found = new Map<string, Replay>()
  pairs.forEach(({ play, own }, i) => {
    const from = stored[i]
    const previous = from !== null ? { own: null, start: from } : own === null ? null : { own, start: own.start_ms }
    if (previous === null || play.start_ms - previous.start >= windowOf(play)) return
    // The next play's replay names t only when t is what it follows (no later play outside).
    if (!touched.has(play.id) && previous.own === null) return
    found.set(play.id, { play: { row: play, own: true }, previous })
  })
  return [...found.values()]
}

/** A replay as answered; `named`: with the previous airing's title too (a channel's, SPEC §15: both airings named). */
function cooldownReport ({ play: { row }, previous }: Replay, rank: ReadonlyMap<string, number>, named: boolean): CooldownReport {
  return {
    index: rank.get(row.id)!,
    title: row.title,
    video: row.video_url ?? row.title,
    start: iso(row.start_ms),
    previous_index: previous.own === null ? null : rank.get(previous.own.id)!,
    previous_start: iso(previous.start),
    ...(named && previous.own !== null && { previous_title: previous.own.title }),
    hours_since_previous: Math.round(((row.start_ms - previous.start) / 3_600_000) * 100) / 100
  }
}
