import { createHash } from 'node:crypto'
import { addDays, localDate, localDays, type LocalDay } from '../channels/wall-time.js'
import type { Channel, Template } from '../../contract/api.js'
import type { StoredOverride } from '../storage/channels.js'

// The rolling build horizon (SPEC §17): which local days of a channel the scheduler builds, with
// which seed, and when its inputs changed. No storage here: roll-channel reads and stores.
//
// A day is MISSING when no stored build of the channel (by hand or rolling: channel_builds rows)
// covered it. Not "after the end of the last stored event": a block running past midnight puts
// events into the next day without building it, and a day whose template airs nothing is built
// yet stores no event (it would be built again every minute). An undo of a build leaves its
// builds row: a day undone stays as the operator left it (the coverage alarm says when that is
// too little).

const HOUR_MS = 3_600_000

/** Who a rolling build is, in the channel's history (SPEC §14: the service's own work). */
export const SCHEDULER = { name: 'scheduler', role: 'system' } as const

/** What one roll of a channel did: the tick report shows it. */
export interface RollAnswer {
  channel_id: string
  /** local dates built because they were missing */
  built: string[]
  /** local dates rebuilt after an input changed (their unfrozen part) */
  rebuilt: string[]
  /** the end of the last local day built, from today on without a missing day; null: today is not */
  built_until: string | null
  /** the day whose build failed (a build_failed alarm is open), when one did */
  failed?: { date: string, message: string }
}

/** A day the roll builds: missing, or built already and rebuilt after a change. */
export interface RollDay { date: string, why: 'missing' | 'changed' }

/** The local days [today … today + aheadDays − 1] in the channel's zone. */
export function horizon (now: number, zone: string, aheadDays: number): LocalDay[] {
  if (aheadDays <= 0) return []
  const today = localDate(now, zone)
  return localDays(today, addDays(today, aheadDays - 1), zone)
}

type BuildRange = { from: string, to: string }

/** Whether a build range covers local `date` (YYYY-MM-DD compare as text). */
export const covers = (builds: readonly BuildRange[], date: string): boolean => builds.some((b) => b.from <= date && date <= b.to)

/** The days of `days` some build range covers. */
export const coveredDays = (days: readonly LocalDay[], builds: readonly BuildRange[]): Set<string> =>
  new Set(days.filter((d) => covers(builds, d.date)).map((d) => d.date))

/**
 * What to build, in day order: every missing day; after a change of inputs, also every built day
 * not wholly frozen (ending after now + rebuild_freeze_hours; its frozen part stays, the build keeps it).
 */
export function rollPlan (days: readonly LocalDay[], covered: ReadonlySet<string>, changed: boolean, freezeEnd: number): RollDay[] {
  return days.flatMap((d): RollDay[] => {
    if (!covered.has(d.date)) return [{ date: d.date, why: 'missing' }]
    return changed && d.end > freezeEnd ? [{ date: d.date, why: 'changed' }] : []
  })
}

/** The end of now's freeze: what a rolling build keeps as it is. */
export const freezeEnd = (now: number, channel: Pick<Channel, 'rebuild_freeze_hours'>): number => now + channel.rebuild_freeze_hours * HOUR_MS

/** A day's seed: the channel and the local date, so the same inputs give the same day. */
export const daySeed = (channelId: string, date: string): string =>
  `roll-${createHash('sha256').update(`${channelId}\n${date}`).digest('hex').slice(0, 16)}`

/** What a channel's days are built from, as the fingerprint hashes it. */
export interface RollInputs {
  channel: Pick<Channel, 'timezone' | 'default_filler' | 'default_filler_guide'>
  template: Template
  overrides: readonly StoredOverride[]
  /** every playlist the template, overrides and default filler draw from, with its change counter (null: gone) */
  playlists: ReadonlyMap<string, number | null>
  /** SPEC §16: every collection they draw from, with what its items are now (store.media.collectionVersion; null: gone) */
  collections?: ReadonlyMap<string, string | null>
}

/**
 * The fingerprint of the inputs: the zone, default filler, the template, every override (not
 * only those in the horizon: the horizon moving onto an override must not count as a change) and
 * the change counter of each playlist drawn from (raised by any write to it: items, guide,
 * cooldown). A hand edit of events changes none of these.
 */
export function fingerprint ({ channel, template, overrides, playlists, collections }: RollInputs): string {
  const text = JSON.stringify({
    zone: channel.timezone,
    filler: channel.default_filler,
    filler_guide: channel.default_filler_guide,
    template,
    overrides: [...overrides].sort((a, b) => a.seq - b.seq).map(({ created: _created, ...o }) => o),
    playlists: [...playlists].sort(([a], [b]) => a.localeCompare(b)),
    // Only when there are some: a channel without collections keeps the fingerprint it had.
    ...(collections !== undefined && collections.size > 0 && { collections: [...collections].sort(([a], [b]) => a.localeCompare(b)) })
  })
  return createHash('sha256').update(text).digest('hex')
}

/** The end of the last day of `days` covered, counted from the first without a hole. */
export function builtUntil (days: readonly LocalDay[], covered: ReadonlySet<string>): string | null {
  let end: number | null = null
  for (const d of days) {
    if (!covered.has(d.date)) break
    end = d.end
  }
  return end === null ? null : new Date(end).toISOString()
}
