import { CommandError } from '../../contract/command-error.js'
import type { NowPlan } from '../on-air/now-answer.js'
import { nowPlan } from '../on-air/now-plan.js'
import { isRecordId } from './not-found.js'
import type { CommandDefinition } from './command.js'
import { parseInstant } from '../schedule/time.js'

// on-air-plan (SPEC §17): what each channel airs from now on, the plan the API answers
// GET /api/now and GET /api/channels/:id/now from (plugins/now-plan.ts). `--at`: the instant
// the API's reads will be answered from (default the service clock's now).

const onAirPlan: CommandDefinition<NowPlan> = {
  summary: 'each channel\'s now plan: channel, built_until, open alarms, its programmes from the one on air on, through the end of its local day (at least 12 ahead)',
  usage: '[--channel <id>]... [--at ISO]',
  options: { channel: { type: 'string', multiple: true }, at: { type: 'string' } },
  async run ({ options, store, now }) {
    const at = typeof options.at === 'string' ? parseInstant(options.at) : now()
    if (at === null) throw new CommandError('BAD_REQUEST', `at "${String(options.at)}" is not a valid date-time`, [{ field: 'at', message: 'not an ISO 8601 date-time' }])
    const ids = Array.isArray(options.channel) ? options.channel.map(String) : undefined
    // An id that is no UUID names no channel: it has no plan, as a deleted one has none.
    return nowPlan(await store(), at, ids?.filter(isRecordId))
  }
}
export default onAirPlan
