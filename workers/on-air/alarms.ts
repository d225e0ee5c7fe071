import type { Channel } from '../../contract/channels.js'
import type { Alarm, AlarmKind } from '../../contract/on-air.js'
import { GAP_ALARM_HOURS } from '../../contract/limits.js'
import { spokenLength } from '../autofill/clock.js'
import { iso } from '../schedule/model.js'
import type { AlarmInput } from '../storage/alarms.js'
import type { Coverage, CoverageGap } from './coverage.js'

// The coverage alarms of one channel (SPEC §17), from its coverage at an instant: what should be
// open, in words an operator reads, with the figures in `details`. Pure: check-alarms
// (workers/commands/alarms.ts) reads the coverage, opens what this says and clears the rest.
//
// - coverage: less than `alarm_hours` built ahead of now (0: never); nothing built counts as none.
// - gap: a hole inside the built time (not on purpose) starting within GAP_ALARM_HOURS; the time
//   after built_until is the coverage alarm's business (with the threshold the operator chose),
//   and a hole under way is dead air.
// - dead_air: now falls in a gap that is not on purpose, the time after built_until included.

const HOUR_MS = 3_600_000

/** The kinds this module opens and clears: one alarm of each per channel, keyed `<kind>:<channel id>`. */
export const COVERAGE_ALARM_KINDS = ['coverage', 'gap', 'dead_air'] as const satisfies readonly AlarmKind[]
export type CoverageAlarmKind = typeof COVERAGE_ALARM_KINDS[number]
export const alarmKey = (kind: AlarmKind, channelId: string): string => `${kind}:${channelId}`

/** A notice the webhook is sent (README "Coverage and alarms"): the alarm as GET /api/alarms answered it. */
export interface AlarmNotice { event: 'opened' | 'cleared', alarm: Alarm }
/** A notice not sent yet, with its stored id (to mark it sent) and when it happened. */
export interface PendingNotice extends AlarmNotice { id: string, at: string }

/** `Thu 17 Dec 06:00` in `zone`. */
export function spokenInstant (zone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  return (ms) => {
    const p = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]))
    return `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute}`
  }
}

/** Hours for people: `20 h`, `1.5 h`. */
const hours = (ms: number): string => `${Math.round(ms / (HOUR_MS / 10)) / 10} h`

type Subject = Pick<Channel, 'id' | 'name' | 'timezone' | 'alarm_hours'>

/** What should be open for the channel now, by kind (the kinds missing here are to be cleared). */
export function coverageAlarms (channel: Subject, { builtUntil, gaps }: Coverage, now: number): Map<CoverageAlarmKind, AlarmInput> {
  const open = new Map<CoverageAlarmKind, AlarmInput>()
  const at = spokenInstant(channel.timezone)
  const alarm = (kind: CoverageAlarmKind, message: string, details: Record<string, unknown>): void => {
    open.set(kind, { key: alarmKey(kind, channel.id), kind, channel_id: channel.id, message, details })
  }
  const ahead = builtUntil === null ? null : builtUntil - now
  if (channel.alarm_hours > 0 && (ahead === null || ahead < channel.alarm_hours * HOUR_MS)) {
    const threshold = `alarm below ${channel.alarm_hours} h`
    const message = builtUntil === null
      ? `${channel.name} has nothing built (${threshold})`
      : `${channel.name} is built only until ${at(builtUntil)} (${ahead! > 0 ? `${hours(ahead!)} ahead` : `${hours(-ahead!)} ago`}; ${threshold})`
    alarm('coverage', message, { built_until: builtUntil === null ? null : iso(builtUntil), hours_ahead: ahead === null ? null : Math.round(ahead / (HOUR_MS / 100)) / 100, alarm_hours: channel.alarm_hours })
  }
  const real = gaps.filter((g) => !g.onPurpose)
  const holes = real.filter((g) => builtUntil !== null && g.end <= builtUntil && g.start > now && g.start < now + GAP_ALARM_HOURS * HOUR_MS)
  if (holes.length > 0) {
    const [first] = holes
    const more = holes.length > 1 ? `; ${holes.length - 1} more in the next ${GAP_ALARM_HOURS} h` : ''
    alarm('gap', `${channel.name} has nothing to air ${at(first.start)}–${at(first.end)} (${spokenLength(first.end - first.start)}, in ${hours(first.start - now)})${more}`, {
      ...gapDetails(first), gaps: holes.length
    })
  }
  const airing = real.find((g) => g.start <= now && now < g.end)
  if (airing !== undefined) {
    const unbuilt = builtUntil === null || airing.start >= builtUntil
    const message = builtUntil === null
      ? `${channel.name} is off air: nothing is built`
      : unbuilt
        ? `${channel.name} is off air: nothing is built after ${at(builtUntil)}`
        : `${channel.name} is off air: nothing airs until ${at(airing.end)}`
    alarm('dead_air', message, { ...gapDetails(airing), built_until: builtUntil === null ? null : iso(builtUntil) })
  }
  return open
}

const gapDetails = (g: CoverageGap): Record<string, unknown> => ({ start: iso(g.start), end: iso(g.end) })
