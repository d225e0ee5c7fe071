import type { Channel } from '../../contract/channels.js'
import type { Gap } from '../../contract/on-air.js'
import { DEFAULT_BLOCK_FILL, GAPS_AHEAD_HOURS, MIN_GAP_SECONDS } from '../../contract/limits.js'
import { planSegments } from '../channels/plan.js'
import { iso } from '../schedule/model.js'
import type { Store } from '../storage/store.js'
import { coverageStep } from './coverage-step.js'

// A channel's coverage (SPEC §17): how far it is built (`built_until`, the end of its last stored
// event) and the empty stretches of its next GAPS_AHEAD_HOURS (`gaps`), the stretch after
// built_until included. What it reads grows with those hours, never with the channel: two index
// seeks for built_until, one range of events_by_channel_id_start for the gaps.
//
// A gap is `on_purpose` where a block with `fill: "gap"` lies in the plan (workers/channels/plan.ts:
// the template's and the overrides' block instances of those local days, as a build would place
// them now) and the channel is built: the time such a block leaves after its last item is empty
// by the operator's choice. Time after built_until is never on purpose (nothing is built there).
// The plan is the present template's: after a template change the old days say what the new
// template asks for until they are rebuilt (a rolling build does that).

const HOUR_MS = 3_600_000

export interface Span { start: number, end: number }
export interface CoverageGap extends Span { onPurpose: boolean }
export interface Coverage {
  /** null: nothing stored */
  builtUntil: number | null
  /** between now and now + GAPS_AHEAD_HOURS, in time order */
  gaps: CoverageGap[]
}

/** [from, to) minus `spans` (sorted by start): the stretches at least MIN_GAP_SECONDS long. */
export function emptySpans (from: number, to: number, spans: readonly Span[]): Span[] {
  const empty: Span[] = []
  let t = from
  const add = (start: number, end: number): void => { if (end - start >= MIN_GAP_SECONDS * 1000) empty.push({ start, end }) }
  for (const s of spans) {
    if (s.start > t) add(t, Math.min(s.start, to))
    t = Math.max(t, s.end)
    if (t >= to) return empty
  }
  add(t, to)
  return empty
}

/** `gap` cut where it meets the `purposeful` spans (sorted, apart): the pieces inside them on purpose, the rest not. */
export function splitGap (gap: Span, purposeful: readonly Span[]): CoverageGap[] {
  const pieces: CoverageGap[] = []
  const add = (start: number, end: number, onPurpose: boolean): void => {
    if (end - start >= MIN_GAP_SECONDS * 1000) pieces.push({ start, end, onPurpose })
  }
  let t = gap.start
  for (const p of purposeful) {
    if (p.end <= t) continue
    if (p.start >= gap.end) break
    add(t, Math.max(t, p.start), false)
    const end = Math.min(p.end, gap.end)
    add(Math.max(t, p.start), end, true)
    t = end
  }
  add(t, gap.end, false)
  return pieces
}

/** The local date of an instant in `zone`, YYYY-MM-DD. */
const localDate = (ms: number, zone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms)

/** Where blocks with fill "gap" lie in [from, to) by the channel's plan, cut at `builtUntil`. */
async function gapBlocks (db: Store, channel: Pick<Channel, 'id' | 'timezone'>, from: number, to: number): Promise<Span[]> {
  const first = localDate(from, channel.timezone)
  const last = localDate(to, channel.timezone)
  const template = await db.channels.getTemplate(channel.id)
  if (template === null) return []
  const overrides = await db.channels.listOverrides(channel.id, { from: first, to: last })
  const hasGapBlock = [...template.template.blocks, ...overrides.flatMap((o) => o.blocks)].some((b) => (b.fill ?? DEFAULT_BLOCK_FILL) === 'gap')
  if (!hasGapBlock) return []
  const { segments } = planSegments(template.template.blocks, overrides, first, last, channel.timezone)
  return segments.filter((s) => (s.block.fill ?? DEFAULT_BLOCK_FILL) === 'gap' && s.end > from && s.start < to).map((s) => ({ start: s.start, end: s.end }))
}

/** The channel's coverage at `now` (SPEC §17). */
export async function coverageOf (db: Store, channel: Pick<Channel, 'id' | 'timezone'>, now: number): Promise<Coverage> {
  const to = now + GAPS_AHEAD_HOURS * HOUR_MS
  const builtUntil = await db.channels.builtUntil(channel.id)
  const empty = emptySpans(now, to, builtUntil === null ? [] : await db.channels.airedSpans(channel.id, { from: now, to }))
  if (empty.length === 0 || builtUntil === null) return { builtUntil, gaps: empty.map((g) => ({ ...g, onPurpose: false })) }
  const purposeful = (await gapBlocks(db, channel, now, to))
    .map((s) => ({ start: s.start, end: Math.min(s.end, builtUntil) }))
    .filter((s) => s.end > s.start)
  return { builtUntil, gaps: empty.flatMap((g) => splitGap(g, purposeful)) }
}

export const gapAnswer = (g: CoverageGap): Gap => ({ start: iso(g.start), end: iso(g.end), on_purpose: g.onPurpose })

/** The channel as the API answers it: with its coverage from the current step (COVERAGE_STEP_MS). */
export async function withCoverage (db: Store, channel: Channel, now: number): Promise<Channel> {
  const { builtUntil, gaps } = await coverageOf(db, channel, coverageStep(now))
  return { ...channel, built_until: builtUntil === null ? null : iso(builtUntil), gaps: gaps.map(gapAnswer) }
}
