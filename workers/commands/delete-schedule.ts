import { CommandError } from '../../contract/command-error.js'
import type { DeleteAllAnswer, DeleteAnswer } from '../../contract/api.js'
import type { CommandDefinition } from './command.js'
import { requiredId } from './options.js'
import { notFound, type RecordKind } from './not-found.js'
import { IDEMPOTENCY_USAGE, idempotencyOptions, WriteOnce } from './idempotency.js'
import type { Store } from '../storage/store.js'

/**
 * A command deleting one record by id, idempotent with --idempotency-key. A missing record
 * throws inside the transaction: nothing is kept, not even the key.
 */
export function deleteById (what: RecordKind, summary: string, remove: (tx: Store, id: string) => Promise<boolean>): CommandDefinition<DeleteAnswer> {
  return {
    summary,
    usage: `<id> ${IDEMPOTENCY_USAGE}`,
    options: idempotencyOptions,
    async run ({ options, positionals, store, log }) {
      const id = requiredId(positionals, what)
      const db = await store()
      const once = WriteOnce.of<DeleteAnswer>(`delete-${what}`, options, positionals)
      const replay = await once.earlier(db)
      if (replay !== undefined) return replay
      const { replayed, answer } = await once.commit(db, async (tx) => {
        if (!await remove(tx, id)) throw notFound(what, id)
        return { status: 'success', deleted: id }
      })
      if (!replayed) log.info(`${what} deleted`, { [`${what}_id`]: id })
      return answer
    }
  }
}

export const deleteSchedule = deleteById('schedule', 'delete one schedule and its events', (tx, id) => tx.schedules.deleteSchedule(id))

export const CONFIRM_DELETE_ALL = 'DELETE_ALL_SCHEDULES'

export const deleteAllSchedules: CommandDefinition<DeleteAllAnswer> = {
  summary: 'delete every schedule',
  usage: `--confirm ${CONFIRM_DELETE_ALL} ${IDEMPOTENCY_USAGE}`,
  options: { confirm: { type: 'string' }, ...idempotencyOptions },
  async run ({ options, positionals, store, log }) {
    if (options.confirm !== CONFIRM_DELETE_ALL) {
      throw new CommandError('CONFIRMATION_REQUIRED', `deleting every schedule needs confirm = "${CONFIRM_DELETE_ALL}"`, [{ field: 'confirm', message: `must be ${CONFIRM_DELETE_ALL}` }])
    }
    const db = await store()
    const once = WriteOnce.of<DeleteAllAnswer>('delete-all-schedules', options, positionals)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay
    const { replayed, answer } = await once.commit(db, async (tx) => ({ status: 'success', deleted: await tx.schedules.deleteAllSchedules() }))
    if (!replayed) log.warn('all schedules deleted', { deleted: answer.deleted })
    return answer
  }
}
