import { accessSync, constants } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema, QueueStatsSchema } from '../contract/api.js'

const startedAt = Date.now()

/** Open to all and never rate limited: load balancers and the dashboard poll these. */
const health: FastifyPluginAsyncTypebox = async (fastify) => {
  const open = { rateLimit: false } as const

  fastify.get('/health', {
    config: open,
    schema: { summary: 'Liveness, pool load and storage', tags: ['status'], response: { 200: HealthSchema, 503: HealthSchema } }
  }, async (_request, reply) => {
    const stats = fastify.pool.stats()
    const reasons: string[] = []
    if (stats.draining) reasons.push('shutting down')
    if (stats.queued >= stats.max_queue && stats.active >= stats.max_concurrency) reasons.push('process pool queue is full')
    // The API does no storage work itself; it checks that the data dir is still writable.
    let storageOk = true
    try {
      accessSync(fastify.config.dataDir, constants.W_OK)
    } catch {
      storageOk = false
      reasons.push('data directory is not writable')
    }
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
      storage: { kind: 'sqlite', ok: storageOk },
      ...(reasons.length > 0 && { reasons })
    })
  })

  fastify.get('/queue-stats', {
    config: open,
    schema: { summary: 'Process pool statistics', tags: ['status'], response: { 200: QueueStatsSchema } }
  }, async () => fastify.pool.stats())
}
export default health
