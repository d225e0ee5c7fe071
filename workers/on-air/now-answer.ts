import type { Alarm, ChannelNow } from '../../contract/on-air.js'
import type { Programme } from '../../contract/programmes.js'
import { NEXT_PROGRAMMES } from '../../contract/limits.js'

// Now and next from a channel's plan (SPEC §17). The plan is what the on-air-plan command read
// (workers/on-air/now-plan.ts): the programmes from the one on air at `at` on, some way ahead.
// The API keeps plans and answers GET /api/now from them at the service clock's now, with
// these functions: no storage here, nothing loaded, so the API imports this module alone.

/** One channel's plan: what now/next is answered from until the channel changes or the clock passes it. */
export interface ChannelPlan {
  channel: { id: string, number: string, name: string }
  /** The channel's `revision` (SPEC §12) read before its programmes: a plan with an older one is stale. */
  revision: number
  built_until: string | null
  alarms: Alarm[]
  /** From the one on air at `at` (or the first after it) on, in (start, id) order, whole. */
  programmes: Programme[]
  /** Nothing is built after the last programme: the plan holds however far the clock moves. */
  complete: boolean
}

/** The plans of one read: every channel's (or those asked for), made at `at`. */
export interface NowPlan { at: string, channels: ChannelPlan[] }

/** A plan with its instants as numbers, ready to answer any now at which it holds. */
export interface IndexedPlan {
  plan: ChannelPlan
  at: number
  starts: number[]
  ends: number[]
  /** The plan answers every now in [at, holdsUntil): after it fewer than NEXT_PROGRAMMES follow now in it. */
  holdsUntil: number
}

export function indexPlan (plan: ChannelPlan, at: number): IndexedPlan {
  const starts = plan.programmes.map((p) => Date.parse(p.start))
  const ends = plan.programmes.map((p) => Date.parse(p.end))
  // At t, next is the programmes starting after t: NEXT_PROGRAMMES of them while t is before the start of the NEXT_PROGRAMMES-th from the end.
  const holdsUntil = plan.complete ? Infinity : (starts.at(-NEXT_PROGRAMMES) ?? at)
  return { plan, at, starts, ends, holdsUntil }
}

export const holdsAt = (plan: IndexedPlan, now: number): boolean => now >= plan.at && now < plan.holdsUntil

/** The first index whose programme starts after `now` (the plan's length when none does). */
function firstAfter (starts: number[], now: number): number {
  let low = 0
  let high = starts.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (starts[middle] > now) high = middle
    else low = middle + 1
  }
  return low
}

/** Where `now` falls in the plan: the programme on air (the latest started that has not ended; -1 in a gap) and the following ones. */
export function position (plan: IndexedPlan, now: number): { current: number, next: number[] } {
  const after = firstAfter(plan.starts, now)
  let current = -1
  for (let i = after - 1; i >= 0; i--) {
    if (plan.ends[i] > now) { current = i; break }
  }
  const next: number[] = []
  for (let i = after; i < plan.starts.length && next.length < NEXT_PROGRAMMES; i++) next.push(i)
  return { current, next }
}

/** The channel's now/next at `now` (ms), as GET /api/channels/:id/now answers it. */
export function channelNow (plan: IndexedPlan, now: number, serverTime: string): ChannelNow {
  const { current, next } = position(plan, now)
  const { programmes } = plan.plan
  return {
    channel: plan.plan.channel,
    now: current < 0 ? null : { ...programmes[current], offset_ms: now - plan.starts[current], remaining_ms: plan.ends[current] - now },
    next: next.map((i) => programmes[i]),
    built_until: plan.plan.built_until,
    alarms: plan.plan.alarms,
    server_time: serverTime
  }
}

/** What the ETag of a now answer names for one channel: which programmes it shows, not how far into them now is. */
export function positionKey (plan: IndexedPlan, now: number): string {
  const { current, next } = position(plan, now)
  return [current < 0 ? '-' : plan.plan.programmes[current].id, ...next.map((i) => plan.plan.programmes[i].id)].join(',')
}
