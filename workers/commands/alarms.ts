import type { AlarmList } from '../../contract/on-air.js'
import { CommandError } from '../../contract/command-error.js'
import { alarmKey, COVERAGE_ALARM_KINDS, coverageAlarms, type PendingNotice } from '../on-air/alarms.js'
import { coverageOf } from '../on-air/coverage.js'
import { iso } from '../schedule/model.js'
import type { Store } from '../storage/store.js'
import type { CommandDefinition } from './command.js'
import { jsonBody } from './json-body.js'
import { isRecordId } from './not-found.js'

// The alarm commands (SPEC §17): check-alarms (the on-air tick's `alarms` step, plugins/alarms.ts)
// opens and clears every channel's coverage alarms and answers what the webhook has still to be
// sent; alarm-notices-sent marks them sent once it has them; list-alarms is GET /api/alarms.

/** The most notices one check answers: the rest wait for the next tick. */
export const NOTICES_PER_CHECK = 100
/** Notices older than this are dropped, sent or not (a webhook down for a week has lost them). */
export const NOTICE_RETENTION_MS = 7 * 86_400_000

/** What a check answers: per channel how far it is built, what it opened and cleared, and the notices still to send. */
export interface AlarmCheck {
  now: string
  channels: Array<{ id: string, built_until: string | null, seconds_ahead: number }>
  opened: number
  cleared: number
  notices: PendingNotice[]
}

/** Opens what should be open, clears what should not, for every channel; and the alarms of channels deleted since. */
async function evaluate (db: Store, now: number): Promise<Omit<AlarmCheck, 'notices' | 'now'>> {
  const open = await db.alarms.keys()
  const openKeys = new Set(open.map((a) => a.key))
  const channels: AlarmCheck['channels'] = []
  let opened = 0
  let cleared = 0
  for (const channel of await db.channels.list()) {
    const coverage = await coverageOf(db, channel, now)
    const { builtUntil } = coverage
    const secondsAhead = Math.max(0, Math.round(((builtUntil ?? now) - now) / 1000))
    channels.push({ id: channel.id, built_until: builtUntil === null ? null : iso(builtUntil), seconds_ahead: secondsAhead })
    const wanted = coverageAlarms(channel, coverage, now)
    for (const kind of COVERAGE_ALARM_KINDS) {
      const alarm = wanted.get(kind)
      const key = alarmKey(kind, channel.id)
      if (alarm !== undefined) {
        if (await db.alarms.open(alarm, now)) opened++
      } else if (openKeys.has(key) && await db.alarms.clear(key, now)) cleared++
    }
  }
  // A deleted channel's alarms (of any kind) say nothing any more: cleared, so the webhook hears it.
  const ids = new Set(channels.map((c) => c.id))
  for (const { key, channel_id: channelId } of open) {
    if (channelId !== null && !ids.has(channelId) && await db.alarms.clear(key, now)) cleared++
  }
  return { channels, opened, cleared }
}

export const checkAlarms: CommandDefinition<AlarmCheck> = {
  summary: 'open and clear every channel\'s coverage, gap and dead-air alarms (SPEC §17); answer the notices the webhook has not been sent',
  async run ({ store, now: clock }) {
    const db = await store()
    const now = clock()
    const figures = await evaluate(db, now)
    await db.alarms.pruneNotices(now - NOTICE_RETENTION_MS)
    const notices = (await db.alarms.unsent(NOTICES_PER_CHECK)).map((n): PendingNotice => ({
      id: n.id, at: iso(n.at_ms), event: n.state === 'open' ? 'opened' : 'cleared', alarm: n.alarm
    }))
    return { now: iso(now), ...figures, notices }
  }
}

export const alarmNoticesSent: CommandDefinition<{ marked: number }> = {
  summary: 'mark alarm notices sent (the webhook has them, or there is none): body {"ids": [...]}',
  usage: '[ids.json]',
  async run ({ readInput, store, now }) {
    const { body } = await jsonBody(readInput)
    const ids = (body as { ids?: unknown }).ids
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && isRecordId(id))) {
      throw new CommandError('BAD_REQUEST', 'give {"ids": [notice ids]}', [{ field: 'ids', message: 'a list of notice ids' }])
    }
    return { marked: await (await store()).alarms.markSent(ids as string[], now()) }
  }
}

export const listAlarms: CommandDefinition<AlarmList> = {
  summary: 'the alarms open now, oldest first (SPEC §17); --channel <id>: one channel\'s',
  usage: '[--channel <id>]',
  options: { channel: { type: 'string' } },
  async run ({ options, store }) {
    const channel = typeof options.channel === 'string' ? options.channel : undefined
    return { alarms: await (await store()).alarms.list(channel) }
  }
}
