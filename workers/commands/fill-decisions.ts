import { CommandError } from '../../contract/command-error.js'
import { MAX_DECISIONS } from '../../contract/limits.js'
import type { FillDecisionsPage } from '../../contract/api.js'
import type { CommandDefinition, OptionValues } from './command.js'
import { requiredId } from './options.js'
import { found } from './not-found.js'

/** A whole number option in [min, max], or its default; refused naming the option otherwise. */
function wholeOption (options: OptionValues, field: string, min: number, max: number, fallback: number): number {
  const value = options[field]
  if (value === undefined) return fallback
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN
  if (!(n >= min && n <= max)) {
    throw new CommandError('BAD_REQUEST', `${field} must be a whole number from ${min} to ${max.toLocaleString('en-US')}`, [{ field, message: `not a whole number from ${min} to ${max.toLocaleString('en-US')}` }])
  }
  return n
}

/** One page of the decision log an auto-fill stored with its schedule (issue 11 item 8). */
const fillDecisions: CommandDefinition<FillDecisionsPage> = {
  summary: 'page through the decisions an auto-fill stored with its schedule',
  usage: `<schedule id> [--offset N (default 0)] [--limit N (1–${MAX_DECISIONS}, default ${MAX_DECISIONS})]`,
  options: { offset: { type: 'string' }, limit: { type: 'string' } },
  async run ({ options, positionals, store }) {
    const id = requiredId(positionals, 'schedule')
    const offset = wholeOption(options, 'offset', 0, Number.MAX_SAFE_INTEGER, 0)
    const limit = wholeOption(options, 'limit', 1, MAX_DECISIONS, MAX_DECISIONS)
    const db = await store()
    found(await db.schedules.getSchedule(id), 'schedule', id)
    return { schedule_id: id, offset, limit, total: await db.fillDecisions.count(id), decisions: await db.fillDecisions.page(id, offset, limit) }
  }
}
export default fillDecisions
