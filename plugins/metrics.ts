import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * Prometheus text at /metrics: process defaults, HTTP latency, the pool, the storage and
 * the rate limits' Redis read at scrape time. Every series carries `instance_id`
 * (SCHEDULEFLOW_INSTANCE_ID), so a scraper sums instances behind one load balancer; not
 * `instance`, which Prometheus sets itself to the scraped address.
 */
export default fp(async (fastify) => {
  const registry = new Registry()
  registry.setDefaultLabels({ instance_id: fastify.config.instanceId })
  collectDefaultMetrics({ register: registry, prefix: 'scheduleflow_' })

  const http = new Histogram({
    name: 'scheduleflow_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry]
  })
  fastify.addHook('onResponse', async (request, reply) => {
    http.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode }, reply.elapsedTime / 1000)
  })

  // The pool and the storage are read once per scrape, when /metrics is asked for.
  const gauge = (name: string, help: string): Gauge => new Gauge({ name, help, registers: [registry] })
  const active = gauge('scheduleflow_pool_active', 'CLI processes running an operation')
  const idle = gauge('scheduleflow_pool_idle', 'CLI processes started ahead of their call')
  const queued = gauge('scheduleflow_pool_queued', 'operations waiting for a process')
  const bound = gauge('scheduleflow_pool_max_concurrency', 'configured process bound')
  const shared = gauge('scheduleflow_rate_limits_shared', '1: rate limits counted in Redis across instances; 0: by this instance alone')
  const redisUp = fastify.redis === null ? null : gauge('scheduleflow_redis_up', '1: Redis (REDIS_URL) answered the last command')
  const storageUp = new Gauge({ name: 'scheduleflow_storage_up', help: '1: the storage (label kind: sqlite or postgres) takes work; 0: it does not', labelNames: ['kind'], registers: [registry] })
  const cacheHits = new Counter({ name: 'scheduleflow_answer_cache_hits_total', help: 'conditional GETs answered from the answers kept by their ETag, without a worker', registers: [registry] })
  const tasks = new Counter({ name: 'scheduleflow_pool_tasks_total', help: 'pool operations by outcome', labelNames: ['outcome'], registers: [registry] })
  // SPEC §17: the last alarm check's figures (plugins/alarms.ts), on the instance that leads the on-air work.
  const builtAhead = new Gauge({ name: 'scheduleflow_channel_built_seconds_ahead', help: 'seconds a channel is built ahead of now, at the last alarm check (the leader\'s)', labelNames: ['channel'], registers: [registry] })
  // SPEC §16: open missing_media alarms at the last missing-media check (plugins/missing-media.ts), on the leader.
  const missingMedia = gauge('scheduleflow_missing_media', 'library files due to air that are missing or changed since probed: open missing_media alarms at the last check (the leader\'s)')
  // Publish targets (SPEC §17), one series per target: read through the pool at scrape time.
  const targetLabels = ['channel', 'kind', 'dir']
  const publishedAt = new Gauge({ name: 'scheduleflow_publish_last_success_timestamp_seconds', help: 'when the target\'s files were last written without error (unix seconds; absent: never)', labelNames: targetLabels, registers: [registry] })
  const publishFailing = new Gauge({ name: 'scheduleflow_publish_failing', help: '1: the target\'s last publish failed (its publish_failed alarm is open; the tick retries it); 0: it succeeded', labelNames: targetLabels, registers: [registry] })
  const publishFiles = new Gauge({ name: 'scheduleflow_publish_files', help: 'files the target\'s last successful publish wrote', labelNames: targetLabels, registers: [registry] })
  const readPublish = async (): Promise<void> => {
    let targets
    try {
      targets = (await fastify.runCli('publish-status', [])).targets
    } catch (err) {
      fastify.log.warn({ err }, 'metrics: publish targets not read')
      return
    }
    for (const g of [publishedAt, publishFailing, publishFiles]) g.reset()
    for (const t of targets) {
      const labels = { channel: t.channel_id, kind: t.kind, dir: t.dir }
      if (t.last_published_ms !== null) publishedAt.set(labels, t.last_published_ms / 1000)
      publishFailing.set(labels, t.failing ? 1 : 0)
      publishFiles.set(labels, t.files)
    }
  }
  const readState = async (): Promise<void> => {
    await readPublish()
    storageUp.set({ kind: fastify.storage.kind }, await fastify.storage.check() ? 1 : 0)
    const stats = fastify.pool.stats()
    active.set(stats.active)
    idle.set(stats.idle)
    queued.set(stats.queued)
    bound.set(stats.max_concurrency)
    cacheHits.reset()
    cacheHits.inc(fastify.answerCache.stats().hits)
    tasks.reset()
    for (const [outcome, count] of Object.entries(stats.totals)) tasks.inc({ outcome }, count)
    builtAhead.reset()
    for (const [channel, seconds] of fastify.alarmState.secondsAhead()) builtAhead.set({ channel }, seconds)
    missingMedia.set(fastify.missingMedia.open() ?? 0)
    const sharedNow = fastify.redis?.rateLimits === 'shared' ? 1 : 0
    shared.set(sharedNow)
    redisUp?.set(sharedNow)
  }

  fastify.get('/metrics', { config: { rateLimit: false }, schema: { hide: true } }, async (_request, reply) => {
    await readState()
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}, { name: 'metrics', dependencies: ['process-pool', 'redis', 'storage', 'answer-cache', 'alarms', 'missing-media'] })
