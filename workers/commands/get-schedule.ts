import { airedEvent } from '../schedule/model.js'
import type { ScheduleDetail, ScheduleWithEvents } from '../../contract/api.js'
import type { TimeRange } from '../schedule/time.js'
import { byStartThenId, cursorOption, isAfter, limitOption, nextPageUrl, scheduleDefaultLimit } from '../paging.js'
import { MAX_PAGE, SCHEDULE_FIRST_PAGE } from '../../contract/limits.js'
import type { CommandContext, CommandDefinition } from './command.js'
import { rangeOption, requiredId, timezoneOption } from './options.js'
import { found } from './not-found.js'
import { checkStoredSchedule, type CheckedEvent } from '../schedule/checks/stored-warnings.js'

/** A page of a schedule's events (SPEC §12): those of the range after the cursor, at most `limit`. */
export interface SchedulePage { schedule: ScheduleDetail, inRange: CheckedEvent[], range: TimeRange, limit: number, more: boolean }

/**
 * A schedule with its warnings worked out now, and a page of its events on air in the range
 * with their marks. `maxListed`: how many of each warning kind to list (the totals count them all).
 */
export async function readCheckedSchedule ({ options, positionals, store }: CommandContext, maxListed?: number): Promise<SchedulePage> {
  const id = requiredId(positionals, 'schedule')
  const range = rangeOption(options, timezoneOption(options))
  const limit = limitOption(options, scheduleDefaultLimit(range))
  const after = cursorOption(options)
  const { from = -Infinity, to = Infinity } = range
  const { schedules } = await store()
  const { report, ...detail } = found(await schedules.getSchedule(id), 'schedule', id)
  // The warnings are of the whole schedule, whatever range is asked for; its events are read once.
  const all = await schedules.listEvents(id)
  const checks = await checkStoredSchedule(schedules, id, all, detail.cooldown_hours, report, maxListed, detail.placed_on)
  const inRange: CheckedEvent[] = []
  all.forEach((event, i) => {
    if (event.start < to && event.end > from && isAfter(event, after)) inRange.push({ event, overlapping: checks.overlapping[i], replayed: checks.replayed[i] })
  })
  // Pages follow (start, id); events with one start are few, so this sort moves little.
  inRange.sort((a, b) => byStartThenId(a.event, b.event))
  const more = inRange.length > limit
  return { schedule: { ...detail, warnings: checks.warnings }, inRange: inRange.slice(0, limit), range, limit, more }
}

/** The `next` link of a page of GET /api/schedules/:id (with `extra`, e.g. fields=timeline), when one follows. */
export function scheduleNext ({ schedule, inRange, range, limit, more }: SchedulePage, extra: Record<string, string> = {}): { next?: string } {
  const last = inRange.at(-1)?.event
  return more && last !== undefined ? { next: nextPageUrl(`/api/schedules/${schedule.id}`, range, last, limit, extra) } : {}
}

/** What get-schedule and get-timeline take: a schedule id, the range of its events and the page. */
export const RANGE_OPTIONS = { from: { type: 'string' }, to: { type: 'string' }, timezone: { type: 'string' }, cursor: { type: 'string' }, limit: { type: 'string' } } as const
export const RANGE_USAGE = `<id> [--from ISO] [--to ISO] [--timezone ZONE for naive times] [--cursor C] [--limit N ≤ ${MAX_PAGE}; default ${SCHEDULE_FIRST_PAGE} without a range]`

const getSchedule: CommandDefinition<ScheduleWithEvents> = {
  summary: 'one schedule and a page of its events (its first 1,000 without a range), optionally those on air between --from and --to',
  usage: RANGE_USAGE,
  options: RANGE_OPTIONS,
  async run (context) {
    const page = await readCheckedSchedule(context)
    const events = page.inRange.map(({ event: e }) => ({
      ...airedEvent(e.id, e),
      tags: e.tags,
      channel: e.channel
    }))
    return { schedule: page.schedule, events, ...scheduleNext(page) }
  }
}
export default getSchedule
