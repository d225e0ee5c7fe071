import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema, QueueStatsSchema } from '../contract/api.js'

const startedAt = Date.now()

/** Open to all and never rate limited: load balancers and the dashboard poll these. */
const health: FastifyPluginAsyncTypebox = async (fastify) => {
  const open = { rateLimit: false } as const

  fastify.get('/health', {
    // Polled by load balancers every few seconds: a request line and a response line per
    // poll would be most of the log and a third of the cost of the answer. A degraded
    // answer is logged below, at warn.
    logLevel: 'warn',
    config: open,
    schema: { summary: 'Liveness, pool load and storage', tags: ['status'], response: { 200: HealthSchema, 503: HealthSchema } }
  }, async (request, reply) => {
    const stats = fastify.pool.load()
    const reasons: string[] = []
    if (stats.draining) reasons.push('shutting down')
    if (stats.queued >= stats.max_queue && stats.active >= stats.max_concurrency) reasons.push('process pool queue is full')
    const [storageOk, alarms] = await Promise.all([fastify.storage.check(), fastify.storage.openAlarms()])
    if (!storageOk) reasons.push(fastify.storage.kind === 'sqlite' ? 'data directory is not writable' : 'PostgreSQL does not answer')
    if (reasons.length > 0) request.log.warn({ reasons }, 'health: degraded')
    return reply.code(reasons.length > 0 ? 503 : 200).send({
      status: reasons.length > 0 ? 'degraded' : 'healthy',
      uptime_ms: Date.now() - startedAt,
      process_pool: {
        active: stats.active,
        max: stats.max_concurrency,
        queued: stats.queued,
        max_queue: stats.max_queue,
        utilization_percent: Math.round((stats.active / stats.max_concurrency) * 1000) / 10
      },
      storage: { kind: fastify.storage.kind, ok: storageOk },
      // Redis not answering is no reason to take the instance out of a load balancer: it
      // keeps answering, counting its limits alone.
      rate_limits: {
        counted: fastify.redis?.rateLimits ?? 'per-instance',
        redis: fastify.redis === null ? null : { ok: fastify.redis.rateLimits === 'shared' }
      },
      instance: fastify.config.instanceId,
      // A channel's alarm is no reason to take an instance out of a load balancer: counted only.
      alarms: alarms ?? null,
      ...(reasons.length > 0 && { reasons })
    })
  })

  fastify.get('/queue-stats', {
    config: open,
    schema: { summary: 'Process pool statistics', tags: ['status'], response: { 200: QueueStatsSchema } }
  }, async () => ({ instance: fastify.config.instanceId, ...fastify.pool.stats() }))
}
export default health
