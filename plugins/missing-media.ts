import fp from 'fastify-plugin'
import { MISSING_MEDIA_CHECK_MINUTES } from '../contract/limits.js'

// The on-air tick's `missing-media` step (SPEC §16, §17), on the leader only, every
// MISSING_MEDIA_CHECK_MINUTES of the service clock: check-missing-media stats the library files due
// in the next SCHEDULEFLOW_MISSING_MEDIA_HOURS and opens or clears their missing_media alarms. A step
// of its own, not part of check-alarms: that one runs every tick (dead air is a matter of the
// minute) and reads only the database, while this one reads the file system, which may be a slow
// network share; apart, a slow share neither delays the coverage alarms nor shares their task's
// timeout. Registered before the alarms step, so the webhook hears of an alarm on the same tick.
//
// The gauge scheduleflow_missing_media (plugins/metrics.ts) is the last check's count of open
// missing_media alarms: on the leader, the instance that checks.

const CHECK_MS = MISSING_MEDIA_CHECK_MINUTES * 60_000

export interface MissingMediaState {
  /** missing_media alarms open after the last check here; null before one ran */
  open(): number | null
}

declare module 'fastify' {
  interface FastifyInstance { missingMedia: MissingMediaState }
}

export default fp(async (fastify) => {
  let open: number | null = null
  let lastCheck: number | null = null
  fastify.decorate('missingMedia', { open: () => open })

  fastify.onAir.addStep({
    name: 'missing-media',
    leaderOnly: true,
    async run ({ now }) {
      // A clock set back (tests, a corrected server clock) checks at once.
      if (lastCheck !== null && now >= lastCheck && now - lastCheck < CHECK_MS) return { skipped: true, next: new Date(lastCheck + CHECK_MS).toISOString() }
      const check = await fastify.runCli('check-missing-media', [])
      lastCheck = now
      open = check.open
      return check
    }
  })
}, { name: 'missing-media', dependencies: ['clock', 'on-air', 'process-pool'] })
