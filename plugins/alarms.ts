import fp from 'fastify-plugin'
import type { FastifyBaseLogger } from 'fastify'
import type { PendingNotice, AlarmNotice } from '../workers/on-air/alarms.js'

// The on-air tick's `alarms` step (SPEC §17), on the leader only: check-alarms opens and clears
// every channel's coverage alarms through the pool, then each notice it answers (an alarm opened
// or cleared, stored in the database) is POSTed to SCHEDULEFLOW_ALARM_WEBHOOK, in order, and
// marked sent through the pool once the webhook took it (2xx). The mark is in the database, so
// with several instances only the leader sends and a new leader does not send again. A webhook
// that fails or is slow stops this tick's sending (the rest wait for the next tick); it never
// fails the tick. With no webhook the notices are marked sent as they come.
//
// The gauge scheduleflow_channel_built_seconds_ahead (plugins/metrics.ts) is read at each scrape
// from the built_until of the last check: on the leader, the instance that checks.

/** One POST waits this long for the webhook's answer. */
export const WEBHOOK_TIMEOUT_MS = 3000
/** A tick sends for at most this long; what is left goes on the next tick. */
const SENDING_BUDGET_MS = 10_000

export interface AlarmState {
  /** Per channel id, seconds built ahead of the service clock's now, by the last check's built_until (none before one ran here). */
  secondsAhead(): ReadonlyMap<string, number>
}

declare module 'fastify' {
  interface FastifyInstance { alarmState: AlarmState }
}

/** POSTs one notice; true when the webhook answered 2xx in time. */
async function post (url: string, notice: AlarmNotice, log: FastifyBaseLogger): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notice),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)
    })
    await res.body?.cancel()
    if (!res.ok) log.warn({ status: res.status, alarm: notice.alarm.id }, 'alarm webhook refused a notice; sent again on a later tick')
    return res.ok
  } catch (err) {
    log.warn({ err: (err as Error).message, alarm: notice.alarm.id }, 'alarm webhook did not answer; sent again on a later tick')
    return false
  }
}

/** Sends the notices in order until one fails or the budget is spent: the ids sent. */
async function send (url: string | null, notices: PendingNotice[], log: FastifyBaseLogger): Promise<string[]> {
  if (url === null) return notices.map((n) => n.id)
  const sent: string[] = []
  const until = performance.now() + SENDING_BUDGET_MS
  for (const { id, event, alarm } of notices) {
    if (performance.now() > until || !await post(url, { event, alarm }, log)) break
    sent.push(id)
  }
  return sent
}

export default fp(async (fastify) => {
  let builtUntil = new Map<string, number | null>()
  fastify.decorate('alarmState', {
    secondsAhead () {
      const now = fastify.clock.now()
      return new Map([...builtUntil].map(([id, until]) => [id, until === null ? 0 : Math.max(0, Math.round((until - now) / 1000))]))
    }
  })

  fastify.onAir.addStep({
    name: 'alarms',
    leaderOnly: true,
    async run ({ log }) {
      const check = await fastify.runCli('check-alarms', [])
      builtUntil = new Map(check.channels.map((c) => [c.id, c.built_until === null ? null : Date.parse(c.built_until)]))
      const sent = await send(fastify.config.onAir.alarmWebhook, check.notices, log)
      if (sent.length > 0) await fastify.runCli('alarm-notices-sent', [], { input: JSON.stringify({ ids: sent }) })
      return { channels: check.channels, opened: check.opened, cleared: check.cleared, notices: check.notices.length, sent: sent.length }
    }
  })
}, { name: 'alarms', dependencies: ['config', 'clock', 'on-air', 'process-pool'] })
