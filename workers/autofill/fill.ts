import type { ScheduleEvent } from '../schedule/model.js'
import { videoKey } from '../schedule/checks/cooldown.js'
import type { FillLink, FillPlan } from './request.js'
import { seededShuffle } from '../orders/seeded.js'
import { Rotation } from '../orders/rotation.js'
import { CommandError } from '../../contract/command-error.js'
import type { FillStats } from '../../contract/api.js'
import { hoursAgo, spokenLength, wallClock } from './clock.js'

/** The most events one fill may produce: it bounds the fill's memory, its answer and the write that stores it. */
export const MAX_FILL_EVENTS = 100_000

/** The shortest event the plan can air, in ms: its slot, else its shortest link. */
function shortestEventMs (plan: FillPlan, links: FillLink[]): number {
  if (plan.slotMs !== null) return plan.slotMs
  let shortest = Infinity
  for (const link of links) shortest = Math.min(shortest, link.duration === null ? plan.assumeMs : link.duration * 1000)
  return shortest
}

/**
 * Refuses a fill that could produce more than MAX_FILL_EVENTS events, from the window and
 * the shortest event alone, so a huge request is refused before any event is built.
 */
export function checkFillSize (plan: FillPlan, links: FillLink[]): void {
  const shortest = shortestEventMs(plan, links)
  const most = Math.ceil((plan.end - plan.start) / shortest)
  if (most <= MAX_FILL_EVENTS) return
  const count = (n: number): string => Number.isFinite(n) ? n.toLocaleString('en-US') : 'unboundedly many'
  const hours = (plan.end - plan.start) / 3_600_000
  throw new CommandError('FILL_TOO_LARGE',
    `this fill could produce ${count(most)} events (${hours} h of items as short as ${shortest / 1000} s); one fill may produce at most ${count(MAX_FILL_EVENTS)}: ask for fewer duration_hours, set slot_minutes, or fill in several parts`,
    [{ field: 'duration_hours', message: `${hours} h could produce ${count(most)} events, over the limit of ${count(MAX_FILL_EVENTS)} per fill` }])
}

export type { FillStats }

export interface FillResult {
  events: ScheduleEvent[]
  /** Per event: aired inside its cooldown because no link was out of it. */
  overridden: boolean[]
  stats: FillStats
  /** The decisions of the window asked for (`worded`), in order, times in the plan's zone. */
  decisions: string[]
  /** Every decision made, worded or not. */
  decisions_total: number
}

/** Which decisions to put in words, [from, to): a dry run words one page, a stored fill all of them. */
export interface DecisionWindow { from: number, to: number }
export const EVERY_DECISION: DecisionWindow = { from: 0, to: Infinity }

/** A fixed slot cuts a longer item and leaves the rest of its time over after a shorter one: said, not silent. */
function noteSlotFit (slotMs: number, title: string, ownMs: number, stats: SlotFitStats, decide: (words: () => string) => void): void {
  if (ownMs > slotMs) {
    stats.items_cut++
    stats.cut_seconds += (ownMs - slotMs) / 1000
    decide(() => `"${title}" cut to the ${spokenLength(slotMs)} slot: it runs ${spokenLength(ownMs)}, so ${spokenLength(ownMs - slotMs)} of it is not aired`)
  } else if (ownMs < slotMs) {
    stats.items_padded++
    stats.padded_seconds += (slotMs - ownMs) / 1000
    decide(() => `"${title}" padded to the ${spokenLength(slotMs)} slot: it runs ${spokenLength(ownMs)}, so ${spokenLength(slotMs - ownMs)} of the slot is left over`)
  }
}

/** The fill's figures a slot's fit adds to. */
interface SlotFitStats { items_cut: number, cut_seconds: number, items_padded: number, padded_seconds: number }

/**
 * Fills [plan.start, plan.end) from the links (SPEC §5): seeded Fisher–Yates order,
 * then a rotation ordered by last play. Each slot takes the least recently played link
 * out of cooldown among the first SCAN_WINDOW of the rotation, preferring one whose
 * category differs from the previous event's, but never one a round ahead of the others
 * (so every link airs at most once more than any other). The cooldown counts the
 * stored plays of every schedule, before and after the slot (`storedPlays`).
 */
export function fillSchedule (plan: FillPlan, links: FillLink[], storedPlays: Map<string, number[]>, worded: DecisionWindow = EVERY_DECISION): FillResult {
  checkFillSize(plan, links)
  const order = plan.shuffle ? seededShuffle(links, plan.seed) : [...links]
  // The same video twice in a playlist is one link.
  const rotation = new Rotation(
    order.map((link) => ({ item: link, key: videoKey({ title: link.title, video_url: link.url }), category: link.category })),
    storedPlays,
    plan.start,
    plan.cooldownMs
  )
  const cooldown = plan.cooldownMs

  const events: ScheduleEvent[] = []
  const overridden: boolean[] = []
  const decisions: string[] = []
  const clock = wallClock(plan.timezone)
  let decisionsTotal = 0
  let t = plan.start
  // Only the decisions asked for are put in words (called at once, never kept): a long fill
  // makes hundreds of thousands of decisions, and a dry run answers one page of them.
  const decide = (words: () => string): void => {
    if (decisionsTotal >= worded.from && decisionsTotal < worded.to) decisions.push(`${clock(t)}: ${words()}`)
    decisionsTotal++
  }
  const stats = {
    slots_total: 0, slots_filled: 0, gaps: 0, cooldown_overrides: 0, items_cut: 0, cut_seconds: 0, items_padded: 0, padded_seconds: 0, assumed_durations: 0
  }
  const used = new Set<string>()
  let previousCategory: string | null = null

  while (t < plan.end) {
    stats.slots_total++
    const front = rotation.front!
    const found = rotation.pick(t, {
      previousCategory,
      onSkip: (node, looked, conflict) => {
        if (looked < 3) decide(() => `"${node.item.title}" skipped: ${conflict <= t ? `played ${hoursAgo(t - conflict)} ago` : `airs again in ${hoursAgo(conflict - t)}`} (cooldown ${hoursAgo(cooldown)})`)
      }
    })
    let pick = found.node
    const earliestFree = found.earliestFree
    const override = pick === null && plan.whenExhausted === 'least_recent'
    if (override) {
      pick = front
      stats.cooldown_overrides++
      decide(() => `no link out of cooldown; aired "${front.item.title}", the least recently played${Number.isFinite(front.lastPlay) ? ` (${hoursAgo(t - front.lastPlay)} ago)` : ''}`)
    }
    if (pick === null) {
      // Dead air asked for: until a link leaves its cooldown, or one slot.
      const gapEnd = Math.min(plan.end, plan.slotMs !== null ? t + plan.slotMs : Math.max(t + 60_000, earliestFree))
      stats.gaps++
      decide(() => `gap until ${clock(gapEnd)}: every link is in its cooldown`)
      t = gapEnd
      continue
    }
    const length = plan.slotMs ?? (pick.item.duration === null ? plan.assumeMs : pick.item.duration * 1000)
    // No silent guess (SPEC §5): an unknown length run as assume_seconds is counted.
    if (plan.slotMs === null && pick.item.duration === null) stats.assumed_durations++
    if (plan.slotMs !== null && pick.item.duration !== null) noteSlotFit(plan.slotMs, pick.item.title, pick.item.duration * 1000, stats, decide)
    events.push({
      title: pick.item.title,
      start: t,
      end: t + length,
      video_url: pick.item.url,
      category: pick.item.category,
      description: null,
      tags: [],
      channel: null
    })
    overridden.push(override)
    stats.slots_filled++
    used.add(pick.key)
    previousCategory = pick.item.category
    rotation.aired(pick, t)
    t += length
  }
  const seconds = (n: number): number => Math.round(n * 1000) / 1000 // sums of fractional durations
  stats.cut_seconds = seconds(stats.cut_seconds)
  stats.padded_seconds = seconds(stats.padded_seconds)
  return {
    events,
    overridden,
    stats: { ...stats, unique_items_used: used.size, links: rotation.size, seed: plan.seed },
    decisions,
    decisions_total: decisionsTotal
  }
}
