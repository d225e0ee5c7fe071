import { airedEvent } from '../schedule/model.js'
import type { ScheduleDetail, ScheduleWithEvents } from '../../contract/api.js'
import type { CommandContext, CommandDefinition } from './command.js'
import { rangeOption, requiredId, timezoneOption } from './options.js'
import { found } from './not-found.js'
import type { CheckedEvent } from './timeline-events.js'
import { checkStoredSchedule } from '../schedule/checks/stored-warnings.js'

/**
 * A schedule with its warnings worked out now, and its events on air in the range with their
 * marks. `maxListed`: how many of each warning kind to list (the totals count them all).
 */
export async function readCheckedSchedule ({ options, positionals, store }: CommandContext, maxListed?: number): Promise<{ schedule: ScheduleDetail, inRange: CheckedEvent[] }> {
  const id = requiredId(positionals, 'schedule')
  const { from = -Infinity, to = Infinity } = rangeOption(options, timezoneOption(options))
  const { schedules } = await store()
  const { report, ...detail } = found(await schedules.getSchedule(id), 'schedule', id)
  // The warnings are of the whole schedule, whatever range is asked for; its events are read once.
  const all = await schedules.listEvents(id)
  const checks = await checkStoredSchedule(schedules, id, all, detail.cooldown_hours, report, maxListed, detail.placed_on)
  const inRange: CheckedEvent[] = []
  all.forEach((event, i) => {
    if (event.start < to && event.end > from) inRange.push({ event, overlapping: checks.overlapping[i], replayed: checks.replayed[i] })
  })
  return { schedule: { ...detail, warnings: checks.warnings }, inRange }
}

/** What get-schedule and get-timeline take: a schedule id and the range of its events. */
export const RANGE_OPTIONS = { from: { type: 'string' }, to: { type: 'string' }, timezone: { type: 'string' } } as const
export const RANGE_USAGE = '<id> [--from ISO] [--to ISO] [--timezone ZONE for naive times]'

const getSchedule: CommandDefinition<ScheduleWithEvents> = {
  summary: 'one schedule and its events, optionally those on air between --from and --to',
  usage: RANGE_USAGE,
  options: RANGE_OPTIONS,
  async run (context) {
    const { schedule, inRange } = await readCheckedSchedule(context)
    const events = inRange.map(({ event: e }) => ({
      ...airedEvent(e.id, e),
      tags: e.tags,
      channel: e.channel
    }))
    return { schedule, events }
  }
}
export default getSchedule
