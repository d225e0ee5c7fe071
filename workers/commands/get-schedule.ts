import { durationSeconds, iso } from '../schedule/model.js'
import type { ScheduleTimeline, ScheduleWithEvents } from '../../contract/api.js'
import type { CommandDefinition } from './command.js'
import { oneOf, rangeOption, requiredId, timezoneOption } from './options.js'
import { found } from './not-found.js'
import { timelineEvents, type CheckedEvent } from './timeline-events.js'
import { checkStoredSchedule } from '../schedule/checks/stored-warnings.js'

const getSchedule: CommandDefinition<ScheduleWithEvents | ScheduleTimeline> = {
  summary: 'one schedule and its events, optionally those on air between --from and --to',
  usage: '<id> [--from ISO] [--to ISO] [--timezone ZONE for naive times] [--fields timeline (columns the panel draws)]',
  options: { from: { type: 'string' }, to: { type: 'string' }, timezone: { type: 'string' }, fields: { type: 'string' } },
  async run ({ options, positionals, store }) {
    const id = requiredId(positionals, 'schedule')
    const { from = -Infinity, to = Infinity } = rangeOption(options, timezoneOption(options))
    const fields = oneOf(options.fields, ['full', 'timeline'], 'fields') ?? 'full'
    const { schedules } = await store()
    const { report, ...detail } = found(schedules.getSchedule(id), 'schedule', id)
    // The warnings are of the whole schedule, whatever range is asked for; its events are read once.
    const all = schedules.listEvents(id)
    const checks = checkStoredSchedule(schedules, id, all, detail.cooldown_hours, report)
    const schedule = { ...detail, warnings: checks.warnings }
    const inRange: CheckedEvent[] = []
    all.forEach((event, i) => {
      if (event.start < to && event.end > from) inRange.push({ event, overlapping: checks.overlapping[i], replayed: checks.replayed[i] })
    })
    if (fields === 'timeline') return { schedule, events: timelineEvents(inRange) }
    const events = inRange.map(({ event: e }) => ({
      id: e.id,
      title: e.title,
      start: iso(e.start),
      end: iso(e.end),
      duration: durationSeconds(e),
      video_url: e.video_url,
      category: e.category,
      description: e.description,
      tags: e.tags,
      channel: e.channel
    }))
    return { schedule, events }
  }
}
export default getSchedule
