import { accessSync, constants } from 'node:fs'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Nullable } from './schemas.js'

const PoolLoad = Type.Object({
  active: Type.Integer(),
  max: Type.Integer(),
  queued: Type.Integer(),
  max_queue: Type.Integer(),
  utilization_percent: Type.Number()
})

const Health = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded')]),
  uptime_ms: Type.Integer(),
  process_pool: PoolLoad,
  storage: Type.Object({ kind: Type.String(), ok: Type.Boolean() }),
  reasons: Type.Optional(Type.Array(Type.String()))
})

const QueueStats = Type.Object({
  active: Type.Integer(),
  idle: Type.Integer(),
  queued: Type.Integer(),
  max_concurrency: Type.Integer(),
  max_queue: Type.Integer(),
  draining: Type.Boolean(),
  totals: Type.Record(Type.String(), Type.Integer()),
  peaks: Type.Object({ active: Type.Integer(), queued: Type.Integer() }),
  latency_ms: Type.Object({
    samples: Type.Integer(),
    p50: Nullable(Type.Number()),
    p95: Nullable(Type.Number()),
    p99: Nullable(Type.Number())
  }),
  recent_errors: Type.Array(Type.Object({ time: Type.String(), command: Type.String(), code: Type.String(), message: Type.String(), request_id: Type.String() }))
})

const startedAt = Date.now()

/** Open to all and never rate limited: load balancers and the dashboard poll these. */
const health: FastifyPluginAsyncTypebox = async (fastify) => {
  const open = { rateLimit: false } as const

  fastify.get('/health', {
    config: open,
    schema: { summary: 'Liveness, pool load and storage', tags: ['status'], response: { 200: Health, 503: Health } }
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
    schema: { summary: 'Process pool statistics', tags: ['status'], response: { 200: QueueStats } }
  }, async () => fastify.pool.stats())
}
export default health
