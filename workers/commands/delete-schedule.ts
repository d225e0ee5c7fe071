import { CommandError } from '../protocol.js'
import type { CommandDefinition } from './command.js'
import { requiredId } from './options.js'
import { notFound } from './not-found.js'

export const deleteSchedule: CommandDefinition = {
  summary: 'delete one schedule and its events',
  usage: '<id>',
  async run ({ positionals, store, log }) {
    const id = requiredId(positionals, 'schedule')
    if (!(await store()).schedules.deleteSchedule(id)) throw notFound('schedule', id)
    log.info('schedule deleted', { schedule_id: id })
    return { status: 'success', deleted: id }
  }
}

export const CONFIRM_DELETE_ALL = 'DELETE_ALL_SCHEDULES'

export const deleteAllSchedules: CommandDefinition = {
  summary: 'delete every schedule',
  usage: `--confirm ${CONFIRM_DELETE_ALL}`,
  options: { confirm: { type: 'string' } },
  async run ({ options, store, log }) {
    if (options.confirm !== CONFIRM_DELETE_ALL) {
      throw new CommandError('CONFIRMATION_REQUIRED', `deleting every schedule needs confirm = "${CONFIRM_DELETE_ALL}"`, [{ field: 'confirm', message: `must be ${CONFIRM_DELETE_ALL}` }])
    }
    const deleted = (await store()).schedules.deleteAllSchedules()
    log.warn('all schedules deleted', { deleted })
    return { status: 'success', deleted }
  }
}
