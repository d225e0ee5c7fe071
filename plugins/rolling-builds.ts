import { randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { RedisLease, soleInstance, PostgresLease, type LeaderLease } from '../lib/leader-lease.js'
import type { RollAnswer } from '../workers/on-air/rolling.js'

// The rolling build horizon (SPEC §17): the tick step `rolling-builds`, run by the leader only,
// rolls every channel with build_ahead_days > 0 through the pool (roll-channel), a few at a time.
// The leader: with DATABASE_URL, the instance holding a PostgreSQL advisory lock; else, with
// REDIS_URL (instances sharing one SQLite data dir on one machine, as the cluster tests run
// them), the one holding a Redis lease; else this one instance. After a write that changes what
// channels are built from (template, override, playlist, channel settings), a tick is asked for
// soon, so the change is rebuilt without waiting for the timer.

/** Channels rolled at once: a few, never the whole pool (requests still get a process). */
const ROLLS_AT_ONCE = 4
/** Writes within this long of each other ask for one tick. */
const SOON_MS = 1000
/** The Redis lease lives this many ticks unrenewed (at least LEASE_MIN_MS): a dead leader is replaced within it. */
const LEASE_TICKS = 3
const LEASE_MIN_MS = 30_000

/** What the step answers in the tick report: each channel's roll, or why it failed. */
export interface RollingReport {
  channels: Array<RollAnswer | { channel_id: string, error: string }>
}

async function pickLease (fastify: FastifyInstance): Promise<LeaderLease> {
  const { databaseUrl, instanceId, onAir } = fastify.config
  if (databaseUrl !== null) {
    const { openPostgresSession } = await import('../lib/postgres-link.js')
    return new PostgresLease(() => openPostgresSession(databaseUrl))
  }
  if (fastify.redis !== null) return new RedisLease(fastify.redis, `${instanceId}:${randomUUID()}`, Math.max(LEASE_MIN_MS, LEASE_TICKS * onAir.tickMs))
  return soleInstance
}

/** Runs `work` on each item, at most `width` at a time, answers in the items' order. */
async function fewAtATime<T, R> (items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i])
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane))
  return results
}

async function rollAll (fastify: FastifyInstance): Promise<RollingReport> {
  const { channels: due } = await fastify.runCli('rolling-channels')
  const width = Math.max(1, Math.min(ROLLS_AT_ONCE, fastify.config.pool.size - 1))
  const args = (id: string): string[] => ['--channel', id, `--history-days=${fastify.config.historyDays}`]
  return {
    channels: await fewAtATime(due, width, async (id) => {
      try {
        return await fastify.runCli('roll-channel', args(id), { cost: 'heavy' })
      } catch (err) {
        // A channel deleted meanwhile, a worker that died: the others still roll.
        return { channel_id: id, error: (err as Error).message }
      }
    })
  }
}

/** Writes after which the days built may no longer be what the inputs give. */
const INPUT_WRITES = [
  /^\/api\/channels$/, // a new channel: built ahead at once
  /^\/api\/channels\/:id$/, // its zone, default filler, build_ahead_days
  /^\/api\/channels\/:id\/(template|overrides|overrides\/:oid|undo|revert)$/,
  /^\/api\/playlists(\/.*)?$/
]
const changesInputs = (request: FastifyRequest): boolean =>
  request.method !== 'GET' && request.method !== 'HEAD' && INPUT_WRITES.some((re) => re.test(request.routeOptions.url ?? ''))

export default fp(async (fastify) => {
  fastify.onAir.useLease(await pickLease(fastify))
  fastify.onAir.addStep({ name: 'rolling-builds', leaderOnly: true, run: async () => rollAll(fastify) })

  // With the timer off (SCHEDULEFLOW_ON_AIR_TICK_MS=0) nothing ticks by itself, writes neither.
  if (fastify.config.onAir.tickMs === 0) return
  let soon: NodeJS.Timeout | undefined
  let closing = false
  fastify.addHook('onResponse', async (request, reply) => {
    if (closing || soon !== undefined || reply.statusCode >= 300 || !changesInputs(request)) return
    soon = setTimeout(() => {
      soon = undefined
      fastify.onAir.tick().catch((err: unknown) => fastify.log.warn({ err }, 'on-air tick after a write failed'))
    }, SOON_MS)
    soon.unref()
  })
  fastify.addHook('preClose', async () => {
    closing = true
    clearTimeout(soon)
  })
}, { name: 'rolling-builds', dependencies: ['on-air', 'redis', 'config', 'process-pool'] })
