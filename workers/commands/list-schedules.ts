import type { ScheduleList } from '../../contract/api.js'
import type { CommandDefinition } from './command.js'

const listSchedules: CommandDefinition<ScheduleList> = {
  summary: 'list schedules with their event counts and spans',
  async run ({ store }) {
    const schedules = await (await store()).schedules.listSchedules()
    return { schedules, count: schedules.length }
  }
}
export default listSchedules
